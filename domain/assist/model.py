"""Cross-team help (跨部门协作): the owner of a ticket or a deal asks a named colleague of the team (a
product specialist, an implementation engineer) a question with a deadline in working time; the colleague
accepts (optional) and answers; the answer lands on the ticket's history or the deal's timeline."""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import datetime
from typing import Final


class AssistState(enum.StrEnum):
    ASKED = "asked"  # waiting for the colleague
    ACCEPTED = "accepted"  # the colleague took it on
    ANSWERED = "answered"
    WITHDRAWN = "withdrawn"  # the asker took it back


PENDING: Final = frozenset({AssistState.ASKED, AssistState.ACCEPTED})


class Deadline(enum.StrEnum):
    """The deadline presets, in the team's working time."""

    TWO_HOURS = "2h"  # two working hours from now
    TODAY = "today"  # the end of today's working hours (of the next working day, after hours)
    TOMORROW = "tomorrow"  # the end of the next working day
    THREE_DAYS = "3d"  # the end of the third working day


MAX_QUESTION: Final = 500
MAX_ANSWER: Final = 1000
REMIND_AT: Final = (3, 4)  # the colleague is reminded at 3/4 of the working time to the deadline


@dataclass(eq=False)
class Question:
    team_id: int
    asked_by: int
    helper_id: int
    company: str  # the customer it is about, for the cards
    question: str
    created_at: datetime
    due_at: datetime
    remind_at: datetime
    ticket_id: int | None = None  # about a ticket (its card) ...
    opportunity_id: int | None = None  # ... or a deal (its card); a ticket's deal too, when it has one
    state: AssistState = AssistState.ASKED
    accepted_at: datetime | None = None
    answer: str | None = None
    answered_at: datetime | None = None
    withdrawn_at: datetime | None = None
    nudge_stage: int = 0  # 0 nothing said; 1 the colleague reminded; 2 the asker told it is overdue
    check_at: datetime | None = None  # the assist sweep looks at it then
    id: int | None = None

    @property
    def pending(self) -> bool:
        return self.state in PENDING

    @property
    def about_ticket(self) -> bool:
        return self.ticket_id is not None

    def next_check(self) -> datetime | None:
        """When the assist sweep looks at it next: the colleague's reminder, then the deadline; None once
        both were said or it is no longer pending."""
        if not self.pending or self.nudge_stage >= 2:
            return None
        return self.remind_at if self.nudge_stage == 0 else self.due_at


@dataclass(frozen=True)
class AgendaQuestion:
    """A question waiting for its colleague, for their morning agenda."""

    helper_id: int
    question_id: int
    company: str
    asker: str
    due_at: datetime
