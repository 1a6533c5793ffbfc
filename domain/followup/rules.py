"""Follow-up (深度跟进): the rules behind logging activities, next steps, nudges, escalation, silence
alerts, agendas and search. Plain functions of plain values; the use cases are beside
them in domain/followup/ (activities, nudges, silence, stale, search).

The silence watch, in one place:
- a deal's clock runs from `Opportunity.idle_since` (its last activity, or when its owner got it);
- each open stage has a maximum idle time (team setting, DEFAULT_IDLE_DAYS otherwise);
- idle longer than the limit: the owner is nudged once (level 1); idle twice the limit: the manager is
  alerted once (level 2);
- a deal with no open next step (no follow-up reminder waiting) is flagged the same way, only sooner:
  its owner is nudged once it has gone NO_STEP_GRACE without one (a step is planned in seconds, so a
  day is plenty), and its manager at twice the stage limit like any silent deal;
- anything that moves the clock (an activity, a stage change, a new owner) starts a new silence period
  at level 0: the alerts' dedupe keys carry the period's start, so a new period alerts again.
"""

from __future__ import annotations

import enum
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from domain.deals.model import PIPELINE, Opportunity, Stage
from domain.followup.model import ActivityKind, ActivityOutcome
from domain.policy.model import DEFAULT_IDLE_DAYS, TeamPolicy
from domain.team.model import Team
from domain.worktime import at_local, is_working_day, local, next_working_moment, working_window

# What a follow-up reminder is about (Reminder.subject_kind).
SUBJECT_OPPORTUNITY = "opportunity"

# Button kinds of a follow-up nudge and of a silence alert; handlers/followup.py makes them buttons.
ACTION_LOG = "followup.log"  # id: the opportunity; opens /log on it
ACTION_LOSE = "deal.lose"  # id: the opportunity; the deal card's "mark lost" steps
ACTION_OPEN = "deal.open"  # id: the opportunity; the deal card (registered by handlers/deals.py)

MAX_NOTE = 2000
MAX_NEEDS = 1000
MAX_STEP = 200  # it becomes the reminder's text
MAX_AHEAD = timedelta(days=366)  # a next step further away than a year is not a next step
MIN_IDLE_DAYS, MAX_IDLE_DAYS = 1, 365
NO_STEP_GRACE = timedelta(days=1)
CONTACT_KINDS = frozenset(ActivityKind) - {ActivityKind.NOTE}


class Level(enum.IntEnum):
    """How far the silence alerts of the current period went."""

    NONE = 0
    OWNER = 1  # the owner was nudged
    MANAGER = 2  # the manager was alerted too


class Flag(enum.StrEnum):
    SILENT = "silent"  # no activity for longer than the stage allows
    NO_STEP = "no_step"  # no next step planned


# --- idle limits ----------------------------------------------------------------------------------


def idle_limit(policy: TeamPolicy | None, stage: Stage) -> timedelta:
    days = (policy.idle_days if policy is not None else {}).get(stage.value)
    return timedelta(days=days if days is not None else DEFAULT_IDLE_DAYS.get(stage.value, 7))


def idle_limits(policy: TeamPolicy | None) -> dict[Stage, int]:
    """Every open stage with its limit in days, as the team has it."""
    return {stage: idle_limit(policy, stage).days for stage in PIPELINE}


# --- the silence verdict --------------------------------------------------------------------------


@dataclass(frozen=True)
class Verdict:
    """What the silence sweep does with one deal at `now`."""

    deserved: Level  # the alert level the deal has earned in this period
    flag: Flag | None  # why, when it earned at least OWNER
    check_at: datetime | None  # when to look again (None: nothing more can happen this period)

    def alert(self, current: int) -> Level | None:
        """The alert to send now, given the level already reached; None for none."""
        return self.deserved if self.deserved > current else None


def silence_verdict(
    opportunity: Opportunity, *, limit: timedelta, has_next_step: bool, now: datetime
) -> Verdict:
    since = opportunity.idle_since
    owner_at = since + (limit if has_next_step else min(limit, NO_STEP_GRACE))
    manager_at = since + 2 * limit
    if now >= manager_at:
        return Verdict(Level.MANAGER, Flag.SILENT, None)
    if now >= owner_at:
        flag = Flag.SILENT if now >= since + limit else Flag.NO_STEP
        # The owner was told; a plan made now does not stop the manager hearing of the silence later.
        return Verdict(Level.OWNER, flag, manager_at)
    # Look again when the owner is due a nudge; a next step added meanwhile only pushes that later.
    return Verdict(Level.NONE, None, owner_at)


def restarted(opportunity: Opportunity) -> datetime | None:
    """When the silence sweep must look at a deal whose clock was just restarted (or that changed
    stage or owner): at once for an open, owned deal, which the sweep then schedules exactly; never
    for a closed or ownerless one. The services that change those facts apply it (silence.restart_silence_watch)."""
    if not opportunity.is_open or opportunity.owner_id is None:
        return None
    return opportunity.idle_since


def period_key(opportunity: Opportunity) -> str:
    """Names the current silence period in dedupe keys: a new period alerts again."""
    return str(int(opportunity.idle_since.timestamp()))


# What to try when a deal has gone quiet, by stage: catalogue keys followup-try-<code>.
SUGGESTIONS: dict[Stage, tuple[str, ...]] = {
    Stage.QUALIFIED: ("restate_need", "ask_decider"),
    Stage.FOLLOWING_UP: ("share_case", "restate_need", "ask_decider"),
    Stage.PROPOSAL: ("limited_offer", "ask_decider", "share_case"),
    Stage.CONTRACT: ("ask_decider", "limited_offer"),
    Stage.PAYMENT: ("confirm_payment",),
    Stage.DELIVERY: ("check_delivery",),
    Stage.AFTER_SALES: ("ask_feedback", "ask_referral"),
}


def suggestion(stage: Stage, since: datetime) -> str:
    """One suggestion for the stage; successive silence periods of a deal get different ones."""
    options = SUGGESTIONS.get(stage) or ("restate_need",)
    return options[int(since.timestamp() // 86_400) % len(options)]


# --- next steps -----------------------------------------------------------------------------------


class NextStepPreset(enum.StrEnum):
    """The one-tap answers to "next step when?" in /log."""

    TOMORROW = "tomorrow"
    IN_3_DAYS = "3d"
    NEXT_WEEK = "week"  # next Monday (or the team's first working day of next week)


def next_working_day(day: date, team: Team) -> date:
    """`day` itself if the team works that day, else the next day it does."""
    for offset in range(8):
        candidate = day + timedelta(days=offset)
        if is_working_day(candidate, team):
            return candidate
    return day


def next_step_time(preset: NextStepPreset, now: datetime, team: Team) -> datetime:
    """The start of the team's working day a preset means (a day off rolls to the next working day).
    Such a time is not `exact`: the nudge keeps to working hours."""
    today = local(now, team.timezone).date()
    if preset is NextStepPreset.TOMORROW:
        day = today + timedelta(days=1)
    elif preset is NextStepPreset.IN_3_DAYS:
        day = today + timedelta(days=3)
    else:
        day = today + timedelta(days=(7 - today.weekday()) % 7 or 7)
    return at_local(next_working_day(day, team), team.work_start, team.timezone)


def escalation_deadline(nudged_at: datetime, team: Team, *, exact: bool = False) -> datetime:
    """A follow-up nudge not acted on by the end of the team's next working day, after the day it
    reached the person, goes to the manager. A nudge that keeps to working hours (not `exact`) reaches
    them at the next working window; an exact one at once."""
    delivered = nudged_at if exact else next_working_moment(nudged_at, team)
    day = local(delivered, team.timezone).date()
    for offset in range(1, 9):
        window = working_window(day + timedelta(days=offset), team)
        if window is not None:
            return window[1]
    return delivered + timedelta(days=1)  # no working window configured: a day later


# --- outcomes -------------------------------------------------------------------------------------


class Hint(enum.StrEnum):
    """What the /log flow offers after saving."""

    MARK_LOST = "mark_lost"  # not interested: mark the deal lost, with a reason
    ADVANCE = "advance"  # needs a proposal: move the deal on towards the proposal stage
    PLAN_NEXT_STEP = "plan_next_step"  # no next step planned: the deal will be flagged


def toward_proposal(stage: Stage) -> Stage | None:
    """The next stage on the way to a proposal (one step at a time); None once there or beyond."""
    here, target = PIPELINE.index(stage) if stage in PIPELINE else None, PIPELINE.index(Stage.PROPOSAL)
    if here is None or here >= target:
        return None
    return PIPELINE[here + 1]


# --- search ---------------------------------------------------------------------------------------

MIN_PHONE_DIGITS = 4
MAX_QUERY = 100
_PHONE_QUERY = re.compile(r"^[\d\s\-+().]+$")


@dataclass(frozen=True)
class SearchQuery:
    words: tuple[str, ...] = ()  # each must appear (case-insensitively) in some searched text
    digits: str | None = None  # a phone fragment: digits only

    @property
    def empty(self) -> bool:
        return not self.words and not self.digits


def parse_search(text: str) -> SearchQuery:
    """`华东` -> words; `138-0013 8000` or `+86 138` -> a phone fragment of digits (spaces, dashes,
    dots and brackets ignored); a query of fewer than MIN_PHONE_DIGITS digits is searched as a word."""
    cleaned = " ".join(unicodedata.normalize("NFKC", text or "").split())[:MAX_QUERY]
    if _PHONE_QUERY.match(cleaned):
        digits = re.sub(r"\D", "", cleaned)
        if len(digits) >= MIN_PHONE_DIGITS:
            return SearchQuery(digits=digits)
    return SearchQuery(words=tuple(dict.fromkeys(cleaned.split())))


def snippet(text: str, needle: str, width: int = 60) -> str:
    """A piece of `text` around the first case-insensitive `needle`, for a search result."""
    flat = " ".join(text.split())
    at = flat.lower().find(needle.lower())
    if at < 0 or len(flat) <= width:
        return flat[:width] + ("…" if len(flat) > width else "")
    start = max(0, at - width // 3)
    end = min(len(flat), start + width)
    return ("…" if start else "") + flat[start:end] + ("…" if end < len(flat) else "")


# --- read models ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class LogResult:
    activity_id: int
    opportunity: Opportunity
    reminder_id: int | None  # the next step's reminder, when a date was given
    completed: int  # open follow-up reminders of the owner on this deal that the activity completed
    hints: tuple[Hint, ...] = ()
    advance_to: Stage | None = None  # the stage the ADVANCE hint moves to (the actor may do it now)


@dataclass(frozen=True)
class TimelineEntry:
    id: int
    kind: ActivityKind
    at: datetime
    actor_id: int
    actor_name: str | None
    outcome: ActivityOutcome | None = None
    note: str | None = None
    voice_file_id: str | None = None
    needs: str | None = None
    next_step: str | None = None
    next_due: datetime | None = None


@dataclass(frozen=True)
class TimelinePage:
    items: list[TimelineEntry]  # newest first
    total: int
    page: int
    per_page: int

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))


@dataclass(frozen=True)
class SearchHit:
    kind: str  # "customer" (the company) | "contact" (name, phone, e-mail) | "opportunity" | "note"
    opportunity_id: int
    title: str
    company: str
    snippet: str  # what matched
    stage: Stage | None = None


@dataclass(frozen=True)
class SearchRow:
    """One visible deal as storage finds it for a search, with the texts a hit can come from."""

    opportunity_id: int
    title: str
    stage: Stage
    company: str
    contact_name: str | None
    phone: str | None
    email: str | None
    notes: tuple[str, ...] = ()  # matching activity notes and needs, newest first


@dataclass(frozen=True)
class Visibility:
    """Whose deals a viewer may see: one owner's, one team's, or (both None) everyone's."""

    owner_id: int | None = None
    team_id: int | None = None


@dataclass(frozen=True)
class StaleRow:
    """An open deal as the stale report reads it from storage."""

    opportunity: Opportunity
    company: str
    owner_name: str
    overdue_since: datetime | None  # the earliest follow-up nudged and not acted on
    has_next_step: bool


@dataclass(frozen=True)
class StaleItem:
    opportunity_id: int
    title: str
    company: str
    stage: Stage
    idle_since: datetime
    idle_days: int
    limit_days: int
    flags: tuple[Flag, ...]  # SILENT / NO_STEP, as the silence watch flagged it
    overdue_since: datetime | None = None  # a follow-up was nudged and not acted on since then


@dataclass(frozen=True)
class StaleGroup:
    rep_id: int
    rep_name: str
    items: list[StaleItem] = field(default_factory=list)  # oldest silence first


@dataclass(frozen=True)
class AgendaLine:
    """One line of a person's morning agenda, as storage finds it."""

    user_id: int
    section: str  # "today" | "overdue" | "handoff"
    at: datetime  # due (today, overdue) or the hand-off's deadline
    text: str  # the reminder's text, or the company for a hand-off
    company: str | None = None  # the deal a follow-up is about
    step: str | None = None  # a follow-up's planned step
