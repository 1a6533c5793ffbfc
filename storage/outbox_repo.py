"""Writing to the outbox: one row per notification, unique by dedupe key. Rows arrive rendered (the
domain renders through the bot's renderer, domain/outbox/notify.py); this stores them, and cancels those
whose subject moved on (storage/notice_rules.py)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime
from functools import cache
from typing import Any

from sqlalchemy import and_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from domain.outbox.kinds import Subject
from domain.outbox.model import Cancelled, HeldNotice, Notification, NotificationState
from storage import notice_rules
from storage.sql import upsert
from storage.tables import notifications

n = notifications


@cache
def _insert_new(dialect: str) -> Any:
    """INSERT … ON CONFLICT (dedupe_key) DO NOTHING, as the database spells it; built once (storage/sql.py)."""
    return upsert(dialect, notifications).on_conflict_do_nothing(index_elements=["dedupe_key"])


@cache
def _insert_many(dialect: str) -> Any:
    return _insert_new(dialect).returning(notifications.c.id, notifications.c.dedupe_key)


class SqlOutbox:
    def __init__(self, session: AsyncSession, on_queued: Callable[[], None]) -> None:
        self.session = session
        # Called for every row inserted: the unit of work wakes the dispatcher after its commit.
        self.on_queued = on_queued

    async def queued(self, dedupe_key: str) -> bool:
        """The domain's early look for a dedupe key (domain/outbox/notify.py). Not asked of the database:
        add() inserts with ON CONFLICT DO NOTHING on the key and returns None for a notification queued
        before, which is the same answer, in one statement instead of two per notification."""
        return False

    async def add(self, row: Notification) -> Notification | None:
        """Insert unless a row with the same dedupe key exists (also against a concurrent writer)."""
        values = {
            c.name: getattr(row, c.name) for c in notifications.columns if c.name != "id"
        }
        result = await self.session.execute(self._insert().values(**values).returning(notifications.c.id))
        new_id = result.scalar_one_or_none()
        if new_id is None:
            return None
        row.id = new_id
        self.on_queued()
        return row

    async def add_many(self, rows: Sequence[Notification]) -> list[Notification | None]:
        """add() for many rows, in one INSERT: each new one gets its id, one whose dedupe key exists (in the
        table, or earlier in `rows`) comes back as None. The ids are matched by dedupe key, which is
        unique, so the order the database returns them in does not matter."""
        if not rows:
            return []
        values = [{c.name: getattr(row, c.name) for c in notifications.columns if c.name != "id"} for row in rows]
        result = await self.session.execute(_insert_many(self._dialect()), values)
        ids: dict[str, int] = {row.dedupe_key: row.id for row in result.all()}
        added: list[Notification | None] = []
        for row in rows:
            new_id = ids.pop(row.dedupe_key, None)
            if new_id is None:
                added.append(None)
                continue
            row.id = new_id
            added.append(row)
        if any(row is not None for row in added):
            self.on_queued()
        return added

    def _dialect(self) -> str:
        return self.session.bind.dialect.name if self.session.bind else "sqlite"

    def _insert(self) -> Any:
        """INSERT … ON CONFLICT (dedupe_key) DO NOTHING, as the database spells it."""
        return _insert_new(self._dialect())

    async def check_queued(self, rows: Sequence[Notification], now: datetime) -> set[int]:
        rules = notice_rules.notices_by_rule(row.notice for row in rows)
        ids = [row.id for row in rows if row.id is not None]
        if not rules or not ids:
            return set()
        await self.session.flush()  # the rules read what this transaction changed so far
        stmt = notice_rules.cancel([n.c.id.in_(ids)], rules, now, None, "stale when queued")
        stale = {r.id for r in (await self.session.execute(stmt)).all()}
        for row in rows:
            if row.id in stale:
                row.state = NotificationState.CANCELLED
        return stale

    async def release(self, notice: str, team_id: int, at: datetime) -> int:
        stmt = (
            update(n)
            .where(n.c.notice == notice, n.c.team_id == team_id, n.c.state == NotificationState.PENDING,
                   n.c.next_attempt_at > at)
            .values(not_before=at, next_attempt_at=at)
        )
        result = await self.session.execute(stmt)
        released = int(result.rowcount or 0)  # type: ignore[attr-defined]
        if released:
            self.on_queued()
        return released

    async def opened(self, notification_id: int) -> HeldNotice | None:
        row = (await self.session.execute(
            select(n.c.id, n.c.recipient_id, n.c.text, n.c.reply_markup, n.c.held_over, n.c.notice)
            .where(n.c.id == notification_id)
        )).first()
        if row is None:
            return None
        rules = notice_rules.notices_by_rule([row.notice])
        holds = True
        if rules:
            stale = select(n.c.id).where(n.c.id == notification_id, notice_rules.stale(rules))
            holds = (await self.session.execute(stale)).first() is None
        return HeldNotice(
            id=row.id, recipient_id=row.recipient_id, text=row.text, reply_markup=row.reply_markup,
            held_over=bool(row.held_over), holds=holds,
        )

    async def settle(self, subject: Subject, subject_id: int, *, why: str, now: datetime) -> Sequence[Cancelled]:
        """Cancel the pending notices about the subject (for a deal, also about what belongs to it) whose
        rule no longer holds. Most calls find nothing pending: one indexed SELECT answers them, and only
        the rows found, with only their kinds' rules, go into the UPDATE that checks the rules."""
        await self.session.flush()
        if subject is Subject.OPPORTUNITY:
            scope = notice_rules.about_deal(subject_id)
        else:
            scope = and_(n.c.subject_kind == subject.value, n.c.subject_id == subject_id)
        found = (await self.session.execute(
            select(n.c.id, n.c.notice).where(scope, n.c.state == NotificationState.PENDING)
        )).all()
        rules = notice_rules.notices_by_rule(row.notice for row in found)
        if not rules:
            return []
        stmt = notice_rules.cancel([n.c.id.in_([row.id for row in found])], rules, now, f"moved on: {why}", "")
        return [
            Cancelled(id=r.id, notice=r.notice, recipient_id=r.recipient_id)
            for r in (await self.session.execute(stmt)).all()
        ]
