"""The updates already handled (processed_updates): Telegram delivers at least once, so each update id
is recorded in the transaction of its effects and looked up before handling. The table is kept for
a week (bot/sweeps.py prunes it); Telegram gives up redelivering an update within a day."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from functools import cache
from typing import Any

from sqlalchemy import Insert, Select, and_, bindparam, delete, exists, insert, literal_column, select, tuple_
from sqlalchemy.ext.asyncio import AsyncSession

from domain.policy.model import TeamPolicy
from domain.team.model import Team, User
from storage.sql import rowcount, upsert
from storage.tables import fsm_states, processed_updates, users
from storage.team_repo import person_context, with_team

# Every update runs these: built once (storage/sql.py says why), the values are bound at execution.
_RECORD = insert(processed_updates)


@cache
def _claim(dialect: str) -> Insert:
    claim: Insert = (
        upsert(dialect, processed_updates)
        .on_conflict_do_nothing(index_elements=["bot_id", "update_id"])
        .returning(processed_updates.c.update_id)
    )
    return claim


@cache
def _opening(dialect: str) -> Select[Any]:
    """An update's first statement: whether it is new (PostgreSQL: claimed, in a data-modifying CTE;
    SQLite: looked up), the person behind it with their team, its policy and whether it has webhooks
    (SqlUsers.current), and the conversation's stored state (bot/fsm_storage.py). One row, whether or
    not any of them exists: everything is outer-joined to a one-row anchor."""
    anchor = select(literal_column("1").label("one")).subquery("anchor")
    state = (fsm_states.c.state, fsm_states.c.data)
    stmt: Select[Any]
    if dialect == "postgresql":
        claim = (
            _claim(dialect)
            .values(bot_id=bindparam("bot_id"), update_id=bindparam("update_id"), at=bindparam("at"))
            .cte("claim")
        )
        fresh = exists(select(claim.c.update_id)).label("fresh")
        stmt = select(*person_context(), fresh, *state).add_cte(claim).select_from(anchor)
    else:
        fresh = processed_updates.c.update_id.is_(None).label("fresh")
        stmt = (
            select(*person_context(), fresh, *state)
            .select_from(anchor)
            .outerjoin(
                processed_updates,
                and_(
                    processed_updates.c.bot_id == bindparam("bot_id"),
                    processed_updates.c.update_id == bindparam("update_id"),
                ),
            )
        )
    stmt = stmt.outerjoin(users, users.c.telegram_id == bindparam("telegram_id"))
    return with_team(stmt).outerjoin(fsm_states, fsm_states.c.key == bindparam("fsm_key"))


@dataclass(frozen=True)
class Opening:
    """What an update's first statement found (SqlProcessedUpdates.open)."""

    fresh: bool
    person: tuple[User | None, Team | None, TeamPolicy | None, bool]  # for SqlUsers.prime_current
    fsm: tuple[str | None, dict[str, Any] | None]  # the conversation's stored state and data


class SqlProcessedUpdates:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    @property
    def claims_first(self) -> bool:
        """PostgreSQL: the update is claimed by its first statement (claim()), and a second delivery
        running at the same time waits on the row, then skips. SQLite: looked up first (open()) and
        recorded last (record()), so that an update does not hold the database's one write lock from
        its first statement on (bot/middlewares.py)."""
        bind = self.session.get_bind()
        return bind.dialect.name == "postgresql"

    async def claim(self, bot_id: int, update_id: int, at: datetime) -> bool:
        """Records the update in one statement (INSERT … ON CONFLICT DO NOTHING RETURNING): False when it
        was recorded before (by an earlier delivery, or one committed meanwhile)."""
        stmt = _claim(self.session.get_bind().dialect.name)
        values = {"bot_id": bot_id, "update_id": update_id, "at": at}
        return (await self.session.execute(stmt, values)).first() is not None

    async def open(
        self, bot_id: int, update_id: int, at: datetime, *, telegram_id: int | None, fsm_key: str | None
    ) -> Opening:
        """The update's context in its first statement (_opening): whether it is new (on PostgreSQL it is
        claimed then, as claim() does; on SQLite looked up, and recorded last by record()), the person
        behind it, and its conversation's stored state. Instead of three statements: every update runs it."""
        dialect = self.session.get_bind().dialect.name
        values: dict[str, Any] = {
            "bot_id": bot_id, "update_id": update_id, "telegram_id": telegram_id, "fsm_key": fsm_key,
        }
        if dialect == "postgresql":
            values["at"] = at
        row = (await self.session.execute(_opening(dialect), values)).one()
        user, team, policy, hooked, fresh, state, data = row
        return Opening(
            fresh=bool(fresh), person=(user, team, policy, bool(hooked)),
            fsm=(state, dict(data) if data else None),
        )

    async def record(self, bot_id: int, update_id: int, at: datetime) -> None:
        """Raises IntegrityError (at once or at commit) when another run recorded it first."""
        await self.session.execute(_RECORD, {"bot_id": bot_id, "update_id": update_id, "at": at})

    async def prune(self, before: datetime, limit: int) -> int:
        """Deletes up to `limit` of the oldest rows recorded before `before` (on the `at` index); returns
        how many went."""
        oldest = (
            select(processed_updates.c.bot_id, processed_updates.c.update_id)
            .where(processed_updates.c.at < before)
            .order_by(processed_updates.c.at)
            .limit(limit)
        )
        keys = [tuple(row) for row in (await self.session.execute(oldest)).all()]
        if not keys:
            return 0
        gone = delete(processed_updates).where(
            tuple_(processed_updates.c.bot_id, processed_updates.c.update_id).in_(keys)
        )
        return rowcount(await self.session.execute(gone))
