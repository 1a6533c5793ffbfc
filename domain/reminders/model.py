"""Reminders: personal, or the next step of a deal."""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import datetime


class ReminderState(enum.StrEnum):
    PENDING = "pending"
    SENT = "sent"
    DONE = "done"
    SNOOZED = "snoozed"
    CANCELLED = "cancelled"


@dataclass(eq=False)
class Reminder:
    user_id: int
    team_id: int
    text: str
    due_at: datetime
    created_at: datetime
    note: str | None = None
    state: ReminderState = ReminderState.PENDING
    # True when a person chose the exact time: it fires then, even outside working hours.
    explicit: bool = True
    subject_kind: str | None = None  # "opportunity" for a follow-up's next step
    subject_id: int | None = None
    sent_at: datetime | None = None
    done_at: datetime | None = None
    snoozes: int = 0
    # A follow-up nudge not acted on by this moment goes to the manager (domain/followup/), once:
    # escalated_at records that it did.
    escalate_at: datetime | None = None
    escalated_at: datetime | None = None
    id: int | None = None

    @property
    def is_open(self) -> bool:
        return self.state in (ReminderState.PENDING, ReminderState.SNOOZED, ReminderState.SENT)


OPEN_STATES = (ReminderState.PENDING, ReminderState.SNOOZED)  # waiting for their time
MAX_TEXT = 200
PER_PAGE = 10  # reminders per page of the /reminders list


@dataclass(frozen=True)
class ReminderPage:
    """One page of a person's open reminders, soonest first, and how many there are in all."""

    items: list[Reminder]
    total: int
    page: int  # 0-based, after clamping to the pages there are
    per_page: int

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))


class QuickTime(enum.StrEnum):
    """The one-tap answers to "when?" in /remind."""

    IN_1H = "1h"
    TOMORROW = "tomorrow"  # tomorrow at the start of working hours
    IN_3D = "3d"
    NEXT_MONDAY = "monday"  # next Monday at the start of working hours


class Snooze(enum.StrEnum):
    """The snooze buttons under a nudge."""

    HOUR = "1h"
    TOMORROW = "tomorrow"
    THREE_DAYS = "3d"


# Button kinds of a nudge; the bot layer registers how each becomes a button (handlers/reminders.py).
ACTION_DONE = "reminder.done"
ACTION_SNOOZE = {snooze: f"reminder.snooze.{snooze.value}" for snooze in Snooze}
