from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from domain.reminders import Reminder, ReminderState


class SqlReminders:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def add(self, reminder: Reminder) -> Reminder:
        self.session.add(reminder)
        await self.session.flush()
        return reminder

    async def get(self, reminder_id: int) -> Reminder | None:
        return await self.session.get(Reminder, reminder_id)

    async def open_for_user(self, user_id: int) -> Sequence[Reminder]:
        stmt = (
            select(Reminder)
            .filter_by(user_id=user_id)
            .where(Reminder.state.in_([ReminderState.PENDING, ReminderState.SNOOZED]))  # type: ignore[attr-defined]
            .order_by(Reminder.due_at, Reminder.id)  # type: ignore[arg-type]
        )
        return (await self.session.execute(stmt)).scalars().all()
