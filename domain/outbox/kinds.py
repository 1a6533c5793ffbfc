"""Every kind of notification, declared once: its message, who it goes to, what it is about, how its
dedupe key is built and when it may go out.

Services never build rows or dedupe keys: they say `tell_managers(uow, team_id, Notice(Kind.X, ...))`
(domain/outbox/notify.py) and the declaration below does the rest.

The dedupe key is a template over
  {subject}  the id of the thing the notice is about (the kind's `subject`),
  {to}       the recipient's user id,
  {now}      the moment of the event (ISO), for events that can happen again to the same subject,
  {at}       the scheduled time (ISO) of a SCHEDULED notice,
and the kind's own `refs` (a silence period, a local day...), which the caller supplies. Kinds that share
a template on purpose ("handoff-taken-over" and "handoff-accepted-notice") make sure one person hears of
one event once. The templates and message keys are those of the rows already in live databases: never
change one.
"""

from __future__ import annotations

import enum
import string
from dataclasses import dataclass
from datetime import datetime

from domain.team.model import Team
from domain.worktime import next_working_moment


class Subject(enum.StrEnum):
    """What a notice is about (stored on the row, so a notice whose subject moved on can be found)."""

    ACTIVITY = "activity"
    HANDOFF = "handoff"
    LEAD = "lead"
    OPPORTUNITY = "opportunity"
    QUOTE = "quote"
    QUOTE_STEP = "quote_step"  # one approval step of a quote
    REMINDER = "reminder"
    STAGE_CHANGE = "stage_change"
    TEAM = "team"
    WEBHOOK = "webhook"
    USER = "user"


class Audience(enum.Enum):
    PERSON = "person"  # a user: their language, their private chat
    GROUP = "group"  # the team's group chat: the bot's default language


class Urgency(enum.Enum):
    NOW = "now"  # goes at once, day or night
    WORKING_HOURS = "working_hours"  # waits for the team's working hours
    # At a given time (a reminder's due time): exactly then when the person chose it, else within
    # working hours like anything the system schedules by itself.
    SCHEDULED = "scheduled"


BUILT_IN = frozenset({"subject", "to", "now", "at"})


@dataclass(frozen=True)
class Spec:
    key: str  # the catalogue message
    category: str  # stored as the row's kind (admins see it in /deadletters)
    subject: Subject
    dedupe: str  # the dedupe key's template (see the module docstring)
    params: tuple[str, ...]  # the message's parameters, all of them, always
    audience: Audience = Audience.PERSON
    urgency: Urgency = Urgency.WORKING_HOURS
    refs: tuple[str, ...] = ()  # the template's fields the caller supplies

    @property
    def fields(self) -> frozenset[str]:
        return frozenset(name for _, name, _, _ in string.Formatter().parse(self.dedupe) if name)

    def dedupe_key(
        self, *, subject: int, to: int | None, now: datetime, at: datetime | None, refs: dict[str, object]
    ) -> str:
        values: dict[str, object] = {**refs, "subject": subject, "now": now.isoformat()}
        if to is not None:
            values["to"] = to
        if at is not None:
            values["at"] = at.isoformat()
        return self.dedupe.format(**values)


_P, _G = Audience.PERSON, Audience.GROUP
_LEAD = ("company", "contact", "source", "score", "reasons", "need")
_CARD = (*_LEAD, "deadline", "minutes")
_QUOTE_CARD = (
    "number", "company", "deal", "rep", "level", "total", "discount", "margin_before", "margin_after", "lines",
    "uncovered", "reason", "why", "due",
)


class Kind(enum.Enum):
    """One member per message; the value is the declaration."""

    # -- deals
    WON_GROUP = Spec(
        "pipeline-group-won", "pipeline.won", Subject.STAGE_CHANGE, "stage:{subject}:group", ("owner", "company"), _G
    )
    STAGE_CHANGED = Spec(
        "pipeline-stage-changed", "pipeline.stage", Subject.STAGE_CHANGE, "stage:{subject}:to:{to}",
        ("actor", "company", "stage", "from_stage"),
    )
    NOTE_ADDED = Spec(
        "pipeline-note-added", "pipeline.note", Subject.ACTIVITY, "activity:{subject}:to:{to}",
        ("actor", "company", "note"),
    )

    # -- hand-offs
    HANDOFF_CARD = Spec("handoff-card", "handoff.card", Subject.HANDOFF, "handoff:{subject}:card", _CARD)
    HANDOFF_CARD_REASSIGNED = Spec(
        "handoff-card-reassigned", "handoff.card", Subject.HANDOFF, "handoff:{subject}:card", (*_CARD, "by", "reason")
    )
    ASSIGNED_GROUP = Spec(
        "pipeline-group-assigned", "handoff.group", Subject.HANDOFF, "handoff:{subject}:group",
        ("company", "score", "assignee", "deadline"), _G,
    )
    ACCEPTED_GROUP = Spec(
        "pipeline-group-accepted", "handoff.group", Subject.HANDOFF, "handoff:{subject}:accepted:group",
        ("assignee", "company"), _G,
    )
    HANDOFF_TAKEN_OVER = Spec(
        "handoff-taken-over", "handoff.accepted", Subject.HANDOFF, "handoff:{subject}:accepted:to:{to}",
        ("assignee", "company"),
    )
    HANDOFF_ACCEPTED = Spec(
        "handoff-accepted-notice", "handoff.accepted", Subject.HANDOFF, "handoff:{subject}:accepted:to:{to}",
        ("assignee", "company"),
    )
    HANDOFF_DECLINED = Spec(
        "handoff-declined-manager", "handoff.declined", Subject.HANDOFF, "handoff:{subject}:declined:to:{to}",
        ("assignee", "company", "reason", "outcome"),
    )
    HANDOFF_EXPIRED_ASSIGNEE = Spec(
        "handoff-expired-assignee", "handoff.expired", Subject.HANDOFF, "handoff:{subject}:expired:to:{to}",
        ("company", "deadline"),
    )
    HANDOFF_EXPIRED_MANAGER = Spec(
        "handoff-expired-manager", "handoff.expired", Subject.HANDOFF, "handoff:{subject}:expired:to:{to}",
        ("assignee", "company", "deadline", "outcome", "score"),
    )
    HANDOFF_REASSIGNED = Spec(
        "handoff-reassigned-old", "handoff.reassigned", Subject.HANDOFF, "handoff:{subject}:reassigned:to:{to}",
        ("company", "manager", "assignee", "reason", "owner"),
    )

    # -- intake from channels outside the chat
    INTAKE_NURTURED = Spec(
        "intake-nurtured", "intake.nurtured", Subject.LEAD, "lead:{subject}:intake:to:{to}",
        ("channel", "company", "contact", "score", "reasons", "need"),
    )

    WEBHOOK_STOPPED = Spec(
        "webhook-stopped", "webhook.stopped", Subject.WEBHOOK, "webhook:{subject}:stopped:{now}:to:{to}",
        ("url", "failures", "error"), urgency=Urgency.NOW,
    )

    # -- the public pool
    POOLED = Spec(
        "pipeline-pool-manager", "pipeline.pool", Subject.OPPORTUNITY, "opportunity:{subject}:pool:{now}:to:{to}",
        ("company", "score", "reasons", "why"),
    )
    RECYCLED_OWNER = Spec(
        "recycle-old-owner", "pipeline.recycled", Subject.OPPORTUNITY,
        "opportunity:{subject}:recycled:{now}:to:{to}", ("company", "days", "cooloff"),
    )
    RECYCLED_MANAGER = Spec(
        "recycle-manager", "pipeline.recycled", Subject.OPPORTUNITY,
        "opportunity:{subject}:recycled:{now}:to:{to}", ("company", "owner", "days"),
    )
    CLAIMED_GROUP = Spec(
        "pipeline-group-claimed", "pipeline.claimed", Subject.OPPORTUNITY, "opportunity:{subject}:claimed:{now}",
        ("rep", "company"), _G,
    )

    # -- follow-up
    FOLLOWUP_NUDGE = Spec(
        "followup-nudge", "followup.nudge", Subject.REMINDER, "reminder:{subject}:{at}",
        ("company", "contact", "stage", "step", "last"), urgency=Urgency.SCHEDULED,
    )
    FOLLOWUP_ESCALATED = Spec(
        "followup-escalated-manager", "followup.escalated", Subject.REMINDER, "followup:{subject}:escalated:to:{to}",
        ("rep", "company", "step", "due", "nudged"),
    )
    FOLLOWUP_LOGGED = Spec(
        "followup-logged-by-other", "followup.logged", Subject.ACTIVITY, "activity:{subject}:to:{to}",
        ("actor", "company", "kind", "outcome", "note", "step"),
    )
    SILENT_OWNER = Spec(
        "followup-stale-owner", "followup.stale", Subject.OPPORTUNITY, "silence:{subject}:{period}:owner",
        ("company", "days", "limit", "stage", "try"), refs=("period",),
    )
    NO_STEP_OWNER = Spec(
        "followup-no-step-owner", "followup.stale", Subject.OPPORTUNITY, "silence:{subject}:{period}:owner",
        ("company", "days", "limit", "stage", "try"), refs=("period",),
    )
    SILENT_MANAGER = Spec(
        "followup-stale-manager", "followup.stale", Subject.OPPORTUNITY, "silence:{subject}:{period}:manager:{to}",
        ("rep", "company", "days", "limit", "stage"), refs=("period",),
    )
    # Once per manager, deal and team-local day (the recipient is always the owner).
    PING_OWNER = Spec(
        "followup-ping-owner", "followup.ping", Subject.OPPORTUNITY, "ping:{subject}:{by}:{day}",
        ("manager", "company", "stage", "days"), refs=("by", "day"),
    )

    # -- reminders and the morning agenda
    REMINDER_NUDGE = Spec(
        "reminder-nudge", "reminder", Subject.REMINDER, "reminder:{subject}:{at}", ("text",),
        urgency=Urgency.SCHEDULED,
    )
    AGENDA = Spec(
        "followup-agenda", "digest.agenda", Subject.TEAM, "digest:agenda:{subject}:{day}:{to}",
        ("head", "overdue", "handoffs", "next"), refs=("day",),
    )

    # -- quotes and discount approvals (issue 11)
    QUOTE_APPROVAL_CARD = Spec(
        "quote-approval-card", "quote.approval", Subject.QUOTE_STEP, "approval:{subject}:card:to:{to}",
        _QUOTE_CARD,
    )
    QUOTE_APPROVAL_REMINDER = Spec(
        "quote-approval-reminder", "quote.approval", Subject.QUOTE_STEP, "approval:{subject}:reminder:to:{to}",
        ("number", "company", "rep", "total", "discount", "due"),
    )
    QUOTE_APPROVAL_ESCALATED = Spec(
        "quote-approval-escalated", "quote.approval", Subject.QUOTE_STEP, "approval:{subject}:escalated:to:{to}",
        (*_QUOTE_CARD, "waiting"),
    )
    QUOTE_APPROVAL_STATUS = Spec(
        "quote-approval-status", "quote.status", Subject.QUOTE_STEP, "approval:{subject}:status:{period}:to:{to}",
        ("number", "company", "where"), refs=("period",),
    )
    QUOTE_APPROVED = Spec(
        "quote-approved", "quote.status", Subject.QUOTE, "quote:{subject}:approved:to:{to}",
        ("number", "company", "approver", "total"),
    )
    QUOTE_APPROVAL_REJECTED = Spec(
        "quote-approval-rejected", "quote.status", Subject.QUOTE_STEP, "approval:{subject}:rejected:to:{to}",
        ("number", "company", "approver", "reason"),
    )
    QUOTE_COUNTERED = Spec(
        "quote-countered", "quote.status", Subject.QUOTE_STEP, "approval:{subject}:countered:to:{to}",
        ("number", "company", "approver", "percent", "asked"),
    )
    QUOTE_EXPIRING = Spec(
        "quote-expiring", "quote.expiry", Subject.QUOTE, "quote:{subject}:expiring:to:{to}",
        ("number", "company", "until"),
    )
    QUOTE_EXPIRED = Spec(
        "quote-expired", "quote.expiry", Subject.QUOTE, "quote:{subject}:expired:to:{to}", ("number", "company"),
    )

    # -- delivery
    USER_UNREACHABLE = Spec(
        "outbox-user-unreachable", "outbox.unreachable", Subject.USER, "unreachable:{subject}:{source}:to:{to}",
        ("name", "role"), refs=("source",),
    )
    GROUP_UNREACHABLE = Spec(
        "outbox-group-unreachable", "outbox.unreachable", Subject.TEAM, "unreachable-group:{chat}:{source}:to:{to}",
        ("team",), refs=("chat", "source"),
    )

    def __repr__(self) -> str:
        return f"Kind.{self.name}"

    @property
    def spec(self) -> Spec:
        spec: Spec = self.value
        return spec


def send_at(urgency: Urgency, now: datetime, team: Team | None, *, at: datetime | None = None,
            chosen: bool = False) -> datetime:
    """When a notice may go out: urgent ones and times a person chose at once (or at that time);
    anything else the system decided by itself waits for the team's working hours."""
    moment = at or now
    if urgency is Urgency.NOW or (urgency is Urgency.SCHEDULED and chosen) or team is None:
        return moment
    return next_working_moment(moment, team)
