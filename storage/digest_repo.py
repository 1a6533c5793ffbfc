"""Claims of the daily digests: one row per team, kind and team-local day."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.sql import upsert
from storage.tables import digest_runs


class SqlDigestRuns:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def claim(self, team_id: int, kind: str, day: date, now: datetime) -> bool:
        key = (digest_runs.c.team_id == team_id, digest_runs.c.kind == kind, digest_runs.c.local_date == day)
        if (await self.session.execute(select(digest_runs.c.at).where(*key))).first() is not None:
            return False  # the usual case, every minute after the digest went out: no write at all
        dialect = self.session.bind.dialect.name if self.session.bind else "sqlite"
        # A concurrent claimer waits on the first one's row, then finds the conflict and gets nothing.
        stmt = (
            upsert(dialect, digest_runs)
            .values(team_id=team_id, kind=kind, local_date=day, at=now)
            .on_conflict_do_nothing(index_elements=["team_id", "kind", "local_date"])
            .returning(digest_runs.c.team_id)
        )
        return (await self.session.execute(stmt)).first() is not None
