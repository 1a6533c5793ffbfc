"""Service tickets (售后工单) and satisfaction surveys (满意度): entities, statuses and the team's rules.

A ticket has two SLA limits in the team's working minutes, one for the first response and one for the
resolution (domain/tickets/sla.py keeps the clocks). The resolution clock stops while the ticket waits for
the customer and runs on when they answer."""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Final


class Category(enum.StrEnum):
    FAULT = "fault"  # 故障
    QUESTION = "question"  # 咨询
    COMPLAINT = "complaint"  # 投诉
    CHANGE = "change"  # 变更需求


class Priority(enum.StrEnum):
    P1 = "p1"
    P2 = "p2"
    P3 = "p3"


class TicketStatus(enum.StrEnum):
    NEW = "new"
    IN_PROGRESS = "in_progress"
    WAITING = "waiting"  # waiting for the customer: the resolution clock is paused
    RESOLVED = "resolved"
    CLOSED = "closed"


S = TicketStatus
TRANSITIONS: Final[dict[TicketStatus, frozenset[TicketStatus]]] = {
    S.NEW: frozenset({S.IN_PROGRESS, S.WAITING, S.RESOLVED}),
    S.IN_PROGRESS: frozenset({S.WAITING, S.RESOLVED}),
    S.WAITING: frozenset({S.IN_PROGRESS, S.RESOLVED}),
    S.RESOLVED: frozenset({S.CLOSED, S.IN_PROGRESS}),  # reopened within REOPEN_WITHIN
    S.CLOSED: frozenset({S.IN_PROGRESS}),  # reopened within REOPEN_WITHIN
}
OPEN: Final = frozenset({S.NEW, S.IN_PROGRESS, S.WAITING})
RUNNING: Final = frozenset({S.NEW, S.IN_PROGRESS})  # the SLA clocks run
DONE: Final = frozenset({S.RESOLVED, S.CLOSED})
REOPEN_WITHIN: Final = timedelta(days=7)


def may_move(frm: TicketStatus, to: TicketStatus) -> bool:
    return to in TRANSITIONS[frm]


class OwnerRule(enum.StrEnum):
    DEAL_OWNER = "deal_owner"  # the deal's owner; the team's service person (else the opener) without one
    SERVICE = "service"  # always the team's service person (售后专员)


# Working minutes: (first response, resolution) per priority.
DEFAULT_SLA: Final[dict[Priority, tuple[int, int]]] = {
    Priority.P1: (60, 12 * 60),  # 1 working hour / 1 working day (the default day is 09:00-21:00)
    Priority.P2: (4 * 60, 3 * 12 * 60),
    Priority.P3: (12 * 60, 7 * 12 * 60),
}


@dataclass(eq=False)
class ServicePolicy:
    """A team's after-sales rules: who owns a new ticket, the SLA per priority, how long a survey link
    stays valid. The defaults until a manager changes one."""

    team_id: int
    owner_rule: OwnerRule = OwnerRule.DEAL_OWNER
    service_user_id: int | None = None
    p1_response: int = DEFAULT_SLA[Priority.P1][0]
    p1_resolve: int = DEFAULT_SLA[Priority.P1][1]
    p2_response: int = DEFAULT_SLA[Priority.P2][0]
    p2_resolve: int = DEFAULT_SLA[Priority.P2][1]
    p3_response: int = DEFAULT_SLA[Priority.P3][0]
    p3_resolve: int = DEFAULT_SLA[Priority.P3][1]
    survey_days: int = 7
    renewal_days: int = 30  # the owner's re-engagement nudge, this many days before a renewal date
    id: int | None = None

    def limits(self, priority: Priority) -> tuple[int, int]:
        """(first response, resolution) in working minutes."""
        return {
            Priority.P1: (self.p1_response, self.p1_resolve),
            Priority.P2: (self.p2_response, self.p2_resolve),
            Priority.P3: (self.p3_response, self.p3_resolve),
        }[priority]


@dataclass(eq=False)
class Ticket:
    team_id: int
    company: str
    company_key: str
    category: Category
    priority: Priority
    description: str
    created_by: int
    created_at: datetime
    owner_id: int
    response_minutes: int
    resolve_minutes: int
    opportunity_id: int | None = None
    contact: str | None = None
    media: str | None = None  # "photo:<file id>" or "voice:<file id>": what came with the description
    status: TicketStatus = TicketStatus.NEW
    responded_at: datetime | None = None
    resolve_used: int = 0  # working minutes of the resolution clock spent before resolve_since
    resolve_since: datetime | None = None  # the resolution clock runs from here; None while stopped
    response_stage: int = 0  # 0 on time; 1 the owner was nudged (75%); 2 the manager told (100%); 3 again (2x)
    resolve_stage: int = 0
    check_at: datetime | None = None  # the SLA sweep looks at it then
    resolved_at: datetime | None = None
    closed_at: datetime | None = None
    survey_id: int | None = None  # the survey whose low score this ticket follows up
    updated_at: datetime | None = None
    id: int | None = None

    @property
    def number(self) -> str:
        return ticket_number(self.id or 0)

    @property
    def is_open(self) -> bool:
        return self.status in OPEN


def ticket_number(ticket_id: int) -> str:
    return f"T-{ticket_id:05d}"


@dataclass(frozen=True)
class TicketDraft:
    """What the /ticket flow collected."""

    category: Category
    priority: Priority
    description: str
    opportunity_id: int | None = None
    company: str | None = None  # without a deal: the customer's name as typed
    contact: str | None = None
    media: str | None = None


class Scope(enum.StrEnum):
    MINE = "mine"
    TEAM = "team"


class Filter(enum.StrEnum):
    OPEN = "open"
    WAITING = "waiting"
    AT_RISK = "risk"  # open, past 75% of a limit
    DONE = "done"
    ALL = "all"


@dataclass(frozen=True)
class TicketQuery:
    team_id: int | None
    owner_id: int | None  # None: the whole team
    status_in: tuple[TicketStatus, ...] = ()
    priority: Priority | None = None
    at_risk: bool = False
    company_key: str | None = None


# --- surveys -------------------------------------------------------------------------------------------


class SurveyChannel(enum.StrEnum):
    LINK = "link"  # the customer answered through the deep link
    PHONE = "phone"  # the rep recorded what the customer said on the phone


LOW_SCORE: Final = 2  # 1-2 alerts the manager at once
SCORES: Final = (1, 2, 3, 4, 5)
MAX_COMMENT: Final = 500


@dataclass(eq=False)
class Survey:
    team_id: int
    company: str
    company_key: str
    created_by: int
    created_at: datetime
    channel: SurveyChannel = SurveyChannel.LINK
    ticket_id: int | None = None
    opportunity_id: int | None = None
    token_hash: str | None = None  # sha256 of the link's token; the token itself is never stored
    expires_at: datetime | None = None
    answered_at: datetime | None = None
    score: int | None = None
    comment: str | None = None
    respondent: int | None = None  # the Telegram id that answered through the link
    follow_up_id: int | None = None  # the ticket a manager opened from a low score
    id: int | None = None

    @property
    def answered(self) -> bool:
        return self.answered_at is not None

    @property
    def low(self) -> bool:
        return self.score is not None and self.score <= LOW_SCORE


@dataclass(frozen=True)
class HistoryLine:
    """One line of a ticket's history (from the audit trail)."""

    at: datetime
    action: str
    actor: str
    note: str | None = None
