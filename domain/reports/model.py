"""The report's read models: plain numbers, filled by storage's aggregate queries."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from datetime import datetime

from domain.deals.model import PIPELINE, Stage
from domain.reports.periods import Period

# What follows a stage in the funnel: reaching any later stage (or won) converts it (a manager's
# override may skip stages).
FUNNEL_STAGES: tuple[Stage, ...] = (*PIPELINE, Stage.WON)


@dataclass(frozen=True)
class Scope:
    """Whose records: a team's (team_id), one rep's in it (owner_id), or every team's (team_id None)."""

    team_id: int | None
    owner_id: int | None = None

    @property
    def whole_org(self) -> bool:
        return self.team_id is None


def rate(part: int, whole: int) -> float | None:
    """part / whole as a fraction, None when there is nothing to divide by."""
    return None if whole == 0 else part / whole


@dataclass(frozen=True)
class FunnelStage:
    stage: Stage
    entered: int  # deals that entered it in the period (once each, however often they re-entered)
    converted: int  # of those, how many reached a later stage (or won) before the period ended

    @property
    def conversion(self) -> float | None:
        return rate(self.converted, self.entered)


@dataclass(frozen=True)
class WinRate:
    key: str  # the lead source's value, or the rep's name
    won: int
    lost: int
    user_id: int | None = None

    @property
    def rate(self) -> float | None:
        return rate(self.won, self.won + self.lost)


@dataclass(frozen=True)
class Funnel:
    stages: tuple[FunnelStage, ...]
    leads: int  # leads captured in the period
    leads_won: int  # of those, how many became a won deal by the period's end
    won: int  # deals won in the period
    won_amount_minor: int  # their amount (fen), in the team's currency
    lost: int  # deals lost in the period
    by_source: tuple[WinRate, ...] = ()
    by_rep: tuple[WinRate, ...] = ()

    @property
    def lead_to_won(self) -> float | None:
        return rate(self.leads_won, self.leads)

    @property
    def win_rate(self) -> float | None:
        return rate(self.won, self.won + self.lost)

    def stage(self, stage: Stage) -> FunnelStage:
        return next(row for row in self.stages if row.stage is stage)


@dataclass(frozen=True)
class Durations:
    """How long something took, in seconds: how many, the median and the 90th percentile (nearest rank:
    the ceil(p × n)-th smallest, so the median of an even count is the lower middle one)."""

    count: int = 0
    median: int | None = None
    p90: int | None = None


@dataclass(frozen=True)
class CycleTimes:
    in_stage: dict[Stage, Durations]  # time in a stage, for stays that ended in the period
    first_followup: Durations  # a lead captured in the period → the first activity on its deal
    no_followup: int  # leads captured in the period whose deal has no activity yet
    handoff_accept: Durations  # hand-off offered → accepted, accepted in the period
    quote_approval: Durations  # quote submitted → approved, for quotes that needed an approver


@dataclass(frozen=True)
class Holder:
    user_id: int | None
    name: str | None
    count: int


@dataclass(frozen=True)
class BreakpointRow:
    """One row of the breakpoint board (断点)."""

    key: str  # the source's key (storage/reports_repo.py BREAKPOINT_SOURCES); its label is report-bp-<key>
    now: int  # open right now
    period: int  # that became a breakpoint in the period
    holders: tuple[Holder, ...] = ()  # who holds the open ones, most first
    oldest: datetime | None = None  # since when the oldest open one waits
    alerted: int | None = None  # notices the bot queued about them in the period (None: it sends none)
    escalated: int | None = None  # of those, to a manager or an admin


@dataclass(frozen=True)
class LostLine:
    key: str  # the reason (or the stage's value, the rep's name)
    count: int
    amount_minor: int = 0


@dataclass(frozen=True)
class LostReport:
    by_reason: tuple[LostLine, ...]
    by_stage: tuple[LostLine, ...]  # the stage a lost deal was in when it was lost
    by_rep: tuple[LostLine, ...]
    quote_rejections: tuple[LostLine, ...]  # quotes the customer rejected, by the customer's reason

    @property
    def total(self) -> int:
        return sum(line.count for line in self.by_reason)


@dataclass(frozen=True)
class ActivityCount:
    user_id: int
    name: str
    week: int  # index into Period.weeks()
    kind: str
    count: int


@dataclass(frozen=True)
class Timeliness:
    """A rep's follow-ups due in the period: done before the manager heard (on time), or not (late)."""

    user_id: int
    name: str
    on_time: int
    late: int


@dataclass(frozen=True)
class Waiting:
    """What waits for someone in a team right now: hand-offs not yet accepted, quotes for approval."""

    handoffs: int
    approvals: int


@dataclass(frozen=True)
class Report:
    period: Period
    scope: Scope
    funnel: Funnel
    cycle: CycleTimes
    board: tuple[BreakpointRow, ...]
    lost: LostReport
    activity: tuple[ActivityCount, ...] = ()
    timeliness: tuple[Timeliness, ...] = ()
    title: str = ""  # the team's name, or empty for the whole organisation
    extra: dict[str, object] = field(default_factory=dict)

    def breakpoint(self, key: str) -> BreakpointRow:
        return next(row for row in self.board if row.key == key)


class Sheet(enum.StrEnum):
    """The sheets of the XLSX export (domain/reports/export.py)."""

    DEALS = "deals"
    ACTIVITIES = "activities"
    QUOTES = "quotes"
