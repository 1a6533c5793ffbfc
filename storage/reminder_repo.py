"""Reminders in storage: the person's list, the sweep's due query and race-safe state changes."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from datetime import datetime

from sqlalchemy import func, select, text, update
from sqlalchemy.ext.asyncio import AsyncSession

from domain.reminders.model import Reminder, ReminderState
from storage.preload import Preloaded
from storage.sql import get_by_id
from storage.tables import reminders

OPEN = (ReminderState.PENDING, ReminderState.SNOOZED)
# Spelled exactly like the predicate of the partial index ix_reminders_due, so that both SQLite and
# PostgreSQL use the index (a bound-parameter IN list does not prove the index predicate).
DUE_STATES = text("reminders.state IN ('pending', 'snoozed')")


class SqlReminders:
    def __init__(self, session: AsyncSession, preloaded: Preloaded | None = None) -> None:
        self.session = session
        self.preloaded = preloaded

    async def add(self, reminder: Reminder) -> Reminder:
        self.session.add(reminder)
        await self.session.flush()
        return reminder

    async def get(self, reminder_id: int) -> Reminder | None:
        return await get_by_id(self.session, Reminder, reminder_id)

    async def open_for_user(self, user_id: int, *, offset: int, limit: int) -> tuple[Sequence[Reminder], int]:
        # Both on ix_reminders_user_state: a page and a count, never the person's whole list.
        mine = (reminders.c.user_id == user_id, reminders.c.state.in_(OPEN))
        total = (await self.session.execute(select(func.count()).select_from(reminders).where(*mine))).scalar_one()
        if not total:
            return [], 0
        stmt = select(Reminder).where(*mine).order_by(reminders.c.due_at, reminders.c.id).offset(offset).limit(limit)
        return (await self.session.execute(stmt)).scalars().all(), int(total)

    async def personal_open(self, user_id: int) -> int:
        stmt = select(func.count()).select_from(reminders).where(
            reminders.c.user_id == user_id, reminders.c.state.in_(OPEN), reminders.c.subject_kind.is_(None)
        )
        return int((await self.session.execute(stmt)).scalar_one())

    async def due(self, now: datetime, limit: int, skip: Collection[int] = ()) -> Sequence[Reminder]:
        stmt = (
            select(Reminder)
            .where(DUE_STATES, reminders.c.due_at <= now)
            .order_by(reminders.c.due_at, reminders.c.id)
            .limit(limit)
            # PostgreSQL: rows another sweeper holds are skipped, not waited for (SQLite ignores this;
            # it has one writer at a time anyway, and the claim in transition() still decides).
            .with_for_update(skip_locked=True)
        )
        if skip:
            stmt = stmt.where(reminders.c.id.not_in(list(skip)))
        due = (await self.session.execute(stmt)).scalars().all()
        if self.preloaded is not None:  # what the acts read, for the whole due set (storage/preload.py)
            await self.preloaded.reminders(due, deals=any(r.subject_kind == "opportunity" for r in due))
        return due

    async def due_between(self, team_id: int, start: datetime, end: datetime) -> Sequence[Reminder]:
        stmt = (
            select(Reminder)
            .where(DUE_STATES, reminders.c.team_id == team_id, reminders.c.due_at >= start, reminders.c.due_at < end)
            .order_by(reminders.c.user_id, reminders.c.due_at, reminders.c.id)
        )
        return (await self.session.execute(stmt)).scalars().all()

    async def transition(
        self, reminder: Reminder, *, expect: Collection[ReminderState], round: int | None = None,
        **changes: object,
    ) -> bool:
        # A conditional UPDATE: of two actions racing on one reminder, exactly one changes the row.
        conditions = [reminders.c.id == reminder.id, reminders.c.state.in_(list(expect))]
        if round is not None:
            conditions.append(reminders.c.snoozes == round)
        stmt = (
            update(Reminder)
            .where(*conditions)
            .values(**changes)
            .execution_options(synchronize_session="fetch")
        )
        result = await self.session.execute(stmt)
        return bool(result.rowcount)  # type: ignore[attr-defined]
