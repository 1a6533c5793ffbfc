"""Ports of the reminders feature."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from datetime import date, datetime
from typing import Protocol

from domain.reminders.model import Reminder, ReminderState


class ReminderRepo(Protocol):
    async def add(self, reminder: Reminder) -> Reminder: ...
    async def get(self, reminder_id: int) -> Reminder | None: ...
    async def open_for_user(self, user_id: int, *, offset: int, limit: int) -> tuple[Sequence[Reminder], int]:
        """A page of the pending and snoozed reminders of one person, soonest first, and their total."""
        ...
    async def personal_open(self, user_id: int) -> int:
        """How many personal reminders (about no subject) of one person are pending or snoozed."""
        ...
    async def due(self, now: datetime, limit: int, skip: Collection[int] = ()) -> Sequence[Reminder]:
        """The sweep's query: pending or snoozed reminders due at `now`, oldest first (locked on PostgreSQL)."""
        ...
    async def due_between(self, team_id: int, start: datetime, end: datetime) -> Sequence[Reminder]:
        """Pending and snoozed reminders of a team due in [start, end), by owner and time."""
        ...
    async def transition(
        self, reminder: Reminder, *, expect: Collection[ReminderState], round: int | None = None,
        **changes: object,
    ) -> bool:
        """Applies `changes` only if the row is still in one of the `expect` states (and, when given,
        still at snooze round `round`); False when another action won the race."""
        ...


class DigestRuns(Protocol):
    async def claim(self, team_id: int, kind: str, day: date, now: datetime) -> bool:
        """Marks the team's `kind` digest for local `day` as done; False if it already was."""
        ...
