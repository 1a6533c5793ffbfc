"""Every kind of notification, declared once: its message, who it goes to, what it is about, how its
dedupe key is built, when it may go out, while it still holds, and whether several may go as one.

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

While it holds (`valid`): a notice queued for later (the working hours, a backlog) can be overtaken by
what happens to its subject meanwhile: the owner accepted from /deals before the 09:00 card went out.
Each kind names the rule (`Valid`) under which it still says something true and useful; a notice
whose rule fails is cancelled (kept, marked with why) instead of sent. The rule is checked when the
notice is queued, again just before it is sent (bot/outbox.py, for a claimed batch at once), and at
once by the services whose change can end it (`uow.outbox.settle`). storage/notice_rules.py turns
each rule into one SQL condition on the row.

Several at once (`family`): alerts of one family due for one person at the same delivery moment, at
least COALESCE_AT of them, go as one message: how many, the first DIGEST_LINES of their one-line
summaries (`line`, rendered when queued) and a button to the list where they can be acted on.

A person's daily budget (`Budget`): nobody gets more than a set number of the bot's messages a day (the
team's local day) except on what cannot wait. Exempt (`Spec.exempt`): what goes at once day or night, what
comes at a time the person chose (their next steps and reminders), the cards that ask them to decide
something with a deadline running (`decides`: a hand-off to accept, a quote to approve, a payment to
confirm, a colleague's question), warnings of an SLA counted in hours (`sla`: after-sales tickets, discount
approvals), and the daily and weekly digests. Everything else due for a person who
had their budget's worth today is held over (`Family.HELD_OVER`) to the start of their next working day,
where all of it goes as one message, each line with a button that opens that notice as it was (what moved
on meanwhile is cancelled, as always, and not listed).
"""

from __future__ import annotations

import enum
import re
import string
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from domain.team.model import Team
from domain.worktime import day_bounds, local, next_working_moment


class Subject(enum.StrEnum):
    """What a notice is about (stored on the row, so a notice whose subject moved on can be found)."""

    ACTIVITY = "activity"
    CONTRACT = "contract"
    MILESTONE = "milestone"  # one milestone of a contract's payment plan
    PAYMENT = "payment"
    HANDOFF = "handoff"
    LEAD = "lead"
    OPPORTUNITY = "opportunity"
    QUOTE = "quote"
    QUOTE_STEP = "quote_step"  # one approval step of a quote
    REMINDER = "reminder"
    STAGE_CHANGE = "stage_change"
    TEAM = "team"
    TICKET = "ticket"
    SURVEY = "survey"
    DELIVERY_ITEM = "delivery_item"
    RENEWAL = "renewal"
    ASSIST = "assist"  # a question to a colleague (cross-team help)
    WEBHOOK = "webhook"
    USER = "user"


class Valid(enum.Enum):
    """While a queued notice still holds. Each member is one SQL condition in storage/notice_rules.py."""

    ALWAYS = "always"  # the report of something that happened: it stays true
    HANDOFF_PENDING = "handoff_pending"  # the hand-off still waits for its assignee
    HANDOFF_STANDS = "handoff_stands"  # the hand-off was accepted and its assignee still owns the deal
    DEAL_IN_POOL = "deal_in_pool"  # the deal still waits in the pool: open, no owner, nobody asked to take it
    # The deal is open, still the recipient's, and still in the silence period its owner was nudged in
    # (a follow-up logged, a stage move or a new owner starts a new one).
    SILENCE_OWNER = "silence_owner"
    SILENCE_MANAGER = "silence_manager"  # the deal is open and its silence reached the manager this period
    UNTOUCHED = "untouched"  # the deal is open, still the recipient's, nothing logged on it since queued
    # The reminder still waits for its person (not done, snoozed or cancelled); a deal's next step also
    # needs the deal open and still theirs.
    STEP_DUE = "step_due"
    # The nudged next step is still unanswered: as STEP_DUE, and nothing logged on the deal since the nudge.
    STEP_IGNORED = "step_ignored"
    STAGE_LATEST = "stage_latest"  # the deal has not moved again since, and the recipient still owns it
    # The recipient is still responsible for what the note or follow-up is on (the deal's owner).
    ACTIVITY_OWNER = "activity_owner"
    STILL_UNREACHABLE = "still_unreachable"  # the person has not written to the bot since
    GROUP_UNBOUND = "group_unbound"  # the team has not bound a group again
    LEAD_NURTURED = "lead_nurtured"  # the lead still waits in nurture (nobody re-scored it into a deal)
    QUOTE_STEP_PENDING = "quote_step_pending"  # the approval step still waits for a decision
    # The answered step's quote is still the current draft back with the rep (not resubmitted, taken or revised).
    QUOTE_BACK_WITH_REP = "quote_back_with_rep"
    QUOTE_LIVE = "quote_live"  # the quote is the current version, approved or sent
    QUOTE_EXPIRED = "quote_expired"  # the quote is the current version and still expired (no new version yet)
    CONTRACT_UNSIGNED = "contract_unsigned"  # the contract is still a draft or out for signature
    MILESTONE_OPEN = "milestone_open"  # the milestone is not paid in full and its contract still collects
    PAYMENT_WAITING = "payment_waiting"  # the reported payment still waits for finance's decision
    TICKET_OPEN = "ticket_open"  # the ticket is not resolved or closed, and the recipient still owns it
    TICKET_RUNNING = "ticket_running"  # its SLA clock still runs (new or in progress: not waiting, not done)
    TICKET_UNANSWERED = "ticket_unanswered"  # nobody has answered the ticket yet (still new)
    DELIVERY_ITEM_OWNED = "delivery_item_owned"  # the item is open, its deal in delivery, the recipient owns it
    DELIVERY_ITEM_OPEN = "delivery_item_open"  # the item is open and its deal still in delivery
    RENEWAL_OPEN = "renewal_open"  # no opportunity was opened from the renewal yet
    # The question to a colleague still waits (asked or accepted: not answered or withdrawn), and its ticket
    # is still open (its deal, for a question from a deal's card: not won or lost).
    ASSIST_PENDING = "assist_pending"


@dataclass(frozen=True)
class Digest:
    """How alerts of one family go as one message: its heading (a message with $count) and the button
    to the list where they are acted on (an Action kind a handler registers)."""

    key: str
    action: str


class Family(enum.Enum):
    """Alerts that may go as one message (see the module docstring)."""

    STALE = Digest("outbox-digest-stale", "stale.report")  # quiet deals, unanswered nudges: /stale
    POOL = Digest("outbox-digest-pool", "pool.list")  # deals waiting in the pool: /pool
    HANDOFFS = Digest("outbox-digest-handoffs", "deals.waiting")  # hand-offs not taken: the team's waiting deals
    # Leads a manager imported from a file, offered to a rep: the rep's deals waiting for them (/deals).
    IMPORTED = Digest("outbox-digest-imported", "deals.waiting_mine")
    # Notices held over a person's daily budget (the module docstring): not a family of kinds but of rows
    # (their `held_over` mark); each line has its own button (OPEN_HELD), which opens that notice.
    HELD_OVER = Digest("outbox-digest-held-over", "outbox.open")


OPEN_HELD = Family.HELD_OVER.value.action


@dataclass(frozen=True)
class Budget:
    """How many of the bot's messages a person gets a day before what can wait is held over (0: no limit)."""

    per_day: int = 20

    def over(self, sent_today: int) -> bool:
        return self.per_day > 0 and sent_today >= self.per_day


def held_over_until(now: datetime, team: Team) -> datetime:
    """When notices held over a person's budget today go: the start of the team's next working day."""
    _, end_of_day = day_bounds(local(now, team.timezone).date(), team.timezone)
    return next_working_moment(end_of_day, team)


def headline(text: str) -> str:
    """A notice's first line without its markup: its line in a digest of held-over notices (the text is
    HTML with everything a person typed escaped, so removing the tags leaves it safe)."""
    for line in text.splitlines():
        plain = _TAG.sub("", line).strip()
        if plain:
            return plain
    return ""


_TAG = re.compile(r"<[^>]*>")


# At least this many alerts of one family for one person at one moment go as one message, which lists
# the first DIGEST_LINES of them.
COALESCE_AT = 3
DIGEST_LINES = 10


class Audience(enum.Enum):
    PERSON = "person"  # a user: their language, their private chat
    GROUP = "group"  # the team's group chat: the bot's default language


class Urgency(enum.Enum):
    NOW = "now"  # goes at once, day or night
    WORKING_HOURS = "working_hours"  # waits for the team's working hours
    # At a given time (a reminder's due time): exactly then when the person chose it, else within
    # working hours like anything the system schedules by itself.
    SCHEDULED = "scheduled"
    # Queued by a batch of many (a file import) and held until the batch is done (`notify.release_held`),
    # so that the whole batch reaches each person at one moment and goes as one digest of its family;
    # at the latest HELD_AT_MOST after it was queued. Then within working hours.
    HELD = "held"


HELD_AT_MOST = timedelta(minutes=30)  # a batch that never finished (the process died) lets its notices go

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
    valid: Valid = field(kw_only=True)  # while a queued notice still holds: every kind says
    family: Family | None = field(default=None, kw_only=True)  # it may go with others of its family as one
    line: str | None = field(default=None, kw_only=True)  # its one-line summary in such a message (same params)
    # A card asking its person to decide something with a deadline running: never held over their budget.
    decides: bool = field(default=False, kw_only=True)
    digest: bool = field(default=False, kw_only=True)  # a daily or weekly digest: one a day at most
    # Warns of a deadline counted in hours (an after-sales ticket's SLA, a discount approval's): held to the
    # next morning it would come too late to act on, so it is never held over the person's budget.
    sla: bool = field(default=False, kw_only=True)

    def __post_init__(self) -> None:
        if (self.family is None) != (self.line is None):
            raise ValueError(f"{self.key}: a kind of a family needs its one-line summary, and only it")

    @property
    def exempt(self) -> bool:
        """Goes even to a person over their daily budget (the module docstring)."""
        return self.decides or self.digest or self.sla or self.urgency in (Urgency.NOW, Urgency.SCHEDULED)

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

_WEEK = ("period", "leads", "leads_change", "won", "won_change", "rate", "rate_change", "amount", "breakpoints")


class Kind(enum.Enum):
    """One member per message; the value is the declaration."""

    # -- deals
    WON_GROUP = Spec(  # a won deal stays won (domain/deals/stages.py)
        "pipeline-group-won", "pipeline.won", Subject.STAGE_CHANGE, "stage:{subject}:group", ("owner", "company"), _G,
        valid=Valid.ALWAYS,
    )
    STAGE_CHANGED = Spec(
        "pipeline-stage-changed", "pipeline.stage", Subject.STAGE_CHANGE, "stage:{subject}:to:{to}",
        ("actor", "company", "stage", "from_stage"), valid=Valid.STAGE_LATEST,
    )
    NOTE_ADDED = Spec(
        "pipeline-note-added", "pipeline.note", Subject.ACTIVITY, "activity:{subject}:to:{to}",
        ("actor", "company", "note"), valid=Valid.ACTIVITY_OWNER,
    )

    # -- hand-offs
    HANDOFF_CARD = Spec(
        "handoff-card", "handoff.card", Subject.HANDOFF, "handoff:{subject}:card", _CARD, decides=True, valid=Valid.HANDOFF_PENDING
    )
    # The card of a lead that came in a file a manager imported: held until the import is done, so that
    # a rep who is offered many gets one message listing them (Family.IMPORTED); one or two go as cards.
    HANDOFF_CARD_IMPORTED = Spec(
        "handoff-card-imported", "handoff.card", Subject.HANDOFF, "handoff:{subject}:card", (*_CARD, "by"),
        urgency=Urgency.HELD, decides=True, valid=Valid.HANDOFF_PENDING, family=Family.IMPORTED, line="outbox-line-imported",
    )
    HANDOFF_CARD_REASSIGNED = Spec(
        "handoff-card-reassigned", "handoff.card", Subject.HANDOFF, "handoff:{subject}:card", (*_CARD, "by", "reason"),
        decides=True, valid=Valid.HANDOFF_PENDING,
    )
    ASSIGNED_GROUP = Spec(
        "pipeline-group-assigned", "handoff.group", Subject.HANDOFF, "handoff:{subject}:group",
        ("company", "score", "assignee", "deadline"), _G, valid=Valid.HANDOFF_PENDING,
    )
    ACCEPTED_GROUP = Spec(
        "pipeline-group-accepted", "handoff.group", Subject.HANDOFF, "handoff:{subject}:accepted:group",
        ("assignee", "company"), _G, valid=Valid.HANDOFF_STANDS,
    )
    HANDOFF_TAKEN_OVER = Spec(
        "handoff-taken-over", "handoff.accepted", Subject.HANDOFF, "handoff:{subject}:accepted:to:{to}",
        ("assignee", "company"), valid=Valid.HANDOFF_STANDS,
    )
    HANDOFF_ACCEPTED = Spec(
        "handoff-accepted-notice", "handoff.accepted", Subject.HANDOFF, "handoff:{subject}:accepted:to:{to}",
        ("assignee", "company"), valid=Valid.HANDOFF_STANDS,
    )
    HANDOFF_DECLINED = Spec(
        "handoff-declined-manager", "handoff.declined", Subject.HANDOFF, "handoff:{subject}:declined:to:{to}",
        ("assignee", "company", "reason", "outcome"),
        valid=Valid.ALWAYS, family=Family.HANDOFFS, line="outbox-line-declined",
    )
    HANDOFF_EXPIRED_ASSIGNEE = Spec(
        "handoff-expired-assignee", "handoff.expired", Subject.HANDOFF, "handoff:{subject}:expired:to:{to}",
        ("company", "deadline"), valid=Valid.ALWAYS,
    )
    HANDOFF_EXPIRED_MANAGER = Spec(
        "handoff-expired-manager", "handoff.expired", Subject.HANDOFF, "handoff:{subject}:expired:to:{to}",
        ("assignee", "company", "deadline", "outcome", "score"),
        valid=Valid.ALWAYS, family=Family.HANDOFFS, line="outbox-line-expired",
    )
    # To the owner and to the rep whose hand-off was cancelled: true until the new assignee decides
    # (an acceptance then tells the old owner itself).
    HANDOFF_REASSIGNED = Spec(
        "handoff-reassigned-old", "handoff.reassigned", Subject.HANDOFF, "handoff:{subject}:reassigned:to:{to}",
        ("company", "manager", "assignee", "reason", "owner"), valid=Valid.HANDOFF_PENDING,
    )

    # -- intake from channels outside the chat
    INTAKE_NURTURED = Spec(
        "intake-nurtured", "intake.nurtured", Subject.LEAD, "lead:{subject}:intake:to:{to}",
        ("channel", "company", "contact", "score", "reasons", "need"), valid=Valid.LEAD_NURTURED,
    )

    WEBHOOK_STOPPED = Spec(
        "webhook-stopped", "webhook.stopped", Subject.WEBHOOK, "webhook:{subject}:stopped:{now}:to:{to}",
        ("url", "failures", "error"), urgency=Urgency.NOW, valid=Valid.ALWAYS,
    )

    # -- the public pool
    POOLED = Spec(
        "pipeline-pool-manager", "pipeline.pool", Subject.OPPORTUNITY, "opportunity:{subject}:pool:{now}:to:{to}",
        ("company", "score", "reasons", "why"), valid=Valid.DEAL_IN_POOL, family=Family.POOL, line="outbox-line-pooled",
    )
    RECYCLED_OWNER = Spec(
        "recycle-old-owner", "pipeline.recycled", Subject.OPPORTUNITY,
        "opportunity:{subject}:recycled:{now}:to:{to}", ("company", "days", "cooloff"), valid=Valid.ALWAYS,
    )
    RECYCLED_MANAGER = Spec(
        "recycle-manager", "pipeline.recycled", Subject.OPPORTUNITY,
        "opportunity:{subject}:recycled:{now}:to:{to}", ("company", "owner", "days"),
        valid=Valid.DEAL_IN_POOL, family=Family.POOL, line="outbox-line-recycled",
    )
    CLAIMED_GROUP = Spec(
        "pipeline-group-claimed", "pipeline.claimed", Subject.OPPORTUNITY, "opportunity:{subject}:claimed:{now}",
        ("rep", "company"), _G, valid=Valid.ALWAYS,
    )

    # -- follow-up
    FOLLOWUP_NUDGE = Spec(
        "followup-nudge", "followup.nudge", Subject.REMINDER, "reminder:{subject}:{at}",
        ("company", "contact", "stage", "step", "last"), urgency=Urgency.SCHEDULED, valid=Valid.STEP_DUE,
    )
    FOLLOWUP_ESCALATED = Spec(
        "followup-escalated-manager", "followup.escalated", Subject.REMINDER, "followup:{subject}:escalated:to:{to}",
        ("rep", "company", "step", "due", "nudged"),
        valid=Valid.STEP_IGNORED, family=Family.STALE, line="outbox-line-escalated",
    )
    FOLLOWUP_LOGGED = Spec(
        "followup-logged-by-other", "followup.logged", Subject.ACTIVITY, "activity:{subject}:to:{to}",
        ("actor", "company", "kind", "outcome", "note", "step"), valid=Valid.ACTIVITY_OWNER,
    )
    SILENT_OWNER = Spec(
        "followup-stale-owner", "followup.stale", Subject.OPPORTUNITY, "silence:{subject}:{period}:owner",
        ("company", "days", "limit", "stage", "try"), refs=("period",), valid=Valid.SILENCE_OWNER,
    )
    NO_STEP_OWNER = Spec(
        "followup-no-step-owner", "followup.stale", Subject.OPPORTUNITY, "silence:{subject}:{period}:owner",
        ("company", "days", "limit", "stage", "try"), refs=("period",), valid=Valid.SILENCE_OWNER,
    )
    SILENT_MANAGER = Spec(
        "followup-stale-manager", "followup.stale", Subject.OPPORTUNITY, "silence:{subject}:{period}:manager:{to}",
        ("rep", "company", "days", "limit", "stage"), refs=("period",),
        valid=Valid.SILENCE_MANAGER, family=Family.STALE, line="outbox-line-silent",
    )
    # Once per manager, deal and team-local day (the recipient is always the owner).
    PING_OWNER = Spec(
        "followup-ping-owner", "followup.ping", Subject.OPPORTUNITY, "ping:{subject}:{by}:{day}",
        ("manager", "company", "stage", "days"), refs=("by", "day"), valid=Valid.UNTOUCHED,
    )

    # -- reminders and the morning agenda
    REMINDER_NUDGE = Spec(
        "reminder-nudge", "reminder", Subject.REMINDER, "reminder:{subject}:{at}", ("text",),
        urgency=Urgency.SCHEDULED, valid=Valid.STEP_DUE,
    )
    # Made at the start of the person's working day from what is due that day.
    AGENDA = Spec(
        "followup-agenda", "digest.agenda", Subject.TEAM, "digest:agenda:{subject}:{day}:{to}",
        ("head", "overdue", "handoffs", "delivery", "next", "payments", "assist"), refs=("day",), digest=True, valid=Valid.ALWAYS,
    )

    # -- report digests (issue 14): made at the start of the working day from the team's numbers then
    REPORT_DAILY = Spec(
        "report-digest-daily", "digest.report", Subject.TEAM, "digest:report_daily:{subject}:{day}:{to}",
        ("leads", "handoffs_waiting", "approvals_waiting", "breakpoints"), refs=("day",), digest=True, valid=Valid.ALWAYS,
    )
    REPORT_WEEKLY = Spec(
        "report-digest-weekly", "digest.report", Subject.TEAM, "digest:report_weekly:{subject}:{day}:{to}",
        _WEEK, refs=("day",), digest=True, valid=Valid.ALWAYS,
    )
    REPORT_REP_WEEKLY = Spec(
        "report-digest-rep", "digest.report", Subject.TEAM, "digest:report_rep:{subject}:{day}:{to}",
        (*_WEEK, "touches", "on_time", "late"), refs=("day",), digest=True, valid=Valid.ALWAYS,
    )

    # -- quotes and discount approvals (issue 11)
    QUOTE_APPROVAL_CARD = Spec(
        "quote-approval-card", "quote.approval", Subject.QUOTE_STEP, "approval:{subject}:card:to:{to}",
        _QUOTE_CARD, decides=True, valid=Valid.QUOTE_STEP_PENDING,
    )
    QUOTE_APPROVAL_REMINDER = Spec(
        "quote-approval-reminder", "quote.approval", Subject.QUOTE_STEP, "approval:{subject}:reminder:to:{to}",
        ("number", "company", "rep", "total", "discount", "due"), valid=Valid.QUOTE_STEP_PENDING, sla=True,
    )
    QUOTE_APPROVAL_ESCALATED = Spec(
        "quote-approval-escalated", "quote.approval", Subject.QUOTE_STEP, "approval:{subject}:escalated:to:{to}",
        (*_QUOTE_CARD, "waiting"), decides=True, valid=Valid.QUOTE_STEP_PENDING,
    )
    # After the escalation, once per SLA period while the step still waits (`round`: the SLA stage).
    QUOTE_APPROVAL_OVERDUE = Spec(
        "quote-approval-overdue", "quote.approval", Subject.QUOTE_STEP, "approval:{subject}:overdue:{round}:to:{to}",
        ("number", "company", "rep", "total", "discount", "due", "waiting"), refs=("round",),
        valid=Valid.QUOTE_STEP_PENDING, sla=True,
    )
    QUOTE_APPROVAL_STATUS = Spec(
        "quote-approval-status", "quote.status", Subject.QUOTE_STEP, "approval:{subject}:status:{period}:to:{to}",
        ("number", "company", "where"), refs=("period",), valid=Valid.QUOTE_STEP_PENDING,
    )
    QUOTE_APPROVED = Spec(
        "quote-approved", "quote.status", Subject.QUOTE, "quote:{subject}:approved:to:{to}",
        ("number", "company", "approver", "total"), valid=Valid.QUOTE_LIVE,
    )
    QUOTE_APPROVAL_REJECTED = Spec(
        "quote-approval-rejected", "quote.status", Subject.QUOTE_STEP, "approval:{subject}:rejected:to:{to}",
        ("number", "company", "approver", "reason"), valid=Valid.QUOTE_BACK_WITH_REP,
    )
    QUOTE_COUNTERED = Spec(
        "quote-countered", "quote.status", Subject.QUOTE_STEP, "approval:{subject}:countered:to:{to}",
        ("number", "company", "approver", "percent", "asked"), valid=Valid.QUOTE_BACK_WITH_REP,
    )
    QUOTE_EXPIRING = Spec(
        "quote-expiring", "quote.expiry", Subject.QUOTE, "quote:{subject}:expiring:to:{to}",
        ("number", "company", "until"), valid=Valid.QUOTE_LIVE,
    )
    QUOTE_EXPIRED = Spec(
        "quote-expired", "quote.expiry", Subject.QUOTE, "quote:{subject}:expired:to:{to}", ("number", "company"),
        valid=Valid.QUOTE_EXPIRED,
    )

    # -- contracts and payments (issue 12)
    CONTRACT_SIGN_HALF = Spec(
        "contract-sign-half", "contract.signing", Subject.CONTRACT, "contract:{subject}:sign-half:to:{to}",
        ("number", "company", "until"), valid=Valid.CONTRACT_UNSIGNED,
    )
    # Daily once the deadline has passed, to the owner and the managers.
    CONTRACT_SIGN_OVERDUE = Spec(
        "contract-sign-overdue", "contract.signing", Subject.CONTRACT, "contract:{subject}:sign-late:{day}:to:{to}",
        ("number", "company", "until", "rep"), refs=("day",), valid=Valid.CONTRACT_UNSIGNED,
    )
    # An e-signature provider's callback signed the contract (bot/web.py): its owner hears of it.
    CONTRACT_SIGNED_REMOTE = Spec(
        "contract-signed-remote", "contract.signed", Subject.CONTRACT, "contract:{subject}:signed:to:{to}",
        ("number", "company", "provider"), valid=Valid.ALWAYS,
    )
    PAYMENT_CARD = Spec(
        "payment-card", "payment.card", Subject.PAYMENT, "payment:{subject}:card:to:{to}",
        ("number", "company", "rep", "amount", "milestone", "paid_on", "method", "outstanding", "receipt"),
        decides=True, valid=Valid.PAYMENT_WAITING,
    )
    PAYMENT_CONFIRMED = Spec(
        "payment-confirmed", "payment.decided", Subject.PAYMENT, "payment:{subject}:decided:to:{to}",
        ("number", "company", "amount", "by", "outstanding"), valid=Valid.ALWAYS,
    )
    PAYMENT_REJECTED = Spec(
        "payment-rejected", "payment.decided", Subject.PAYMENT, "payment:{subject}:decided:to:{to}",
        ("number", "company", "amount", "by", "reason"), valid=Valid.ALWAYS,
    )
    PAYMENT_OVERPAID = Spec(
        "payment-overpaid", "payment.overpaid", Subject.PAYMENT, "payment:{subject}:overpaid:to:{to}",
        ("number", "company", "over"), valid=Valid.ALWAYS,
    )
    # The cadence: one per milestone and step of the cadence; the step is its day ("d-7", "d0", "d14"), so a
    # team's new cadence never takes an old step's key.
    PAYMENT_DUE = Spec(
        "payment-due", "payment.reminder", Subject.MILESTONE, "milestone:{subject}:remind:{step}:to:{to}",
        ("number", "company", "milestone", "outstanding", "due", "when"), refs=("step",),
        valid=Valid.MILESTONE_OPEN,
    )
    PAYMENT_OVERDUE = Spec(
        "payment-overdue", "payment.reminder", Subject.MILESTONE, "milestone:{subject}:escalated:{step}:to:{to}",
        ("number", "company", "rep", "milestone", "outstanding", "due", "when"), refs=("step",),
        valid=Valid.MILESTONE_OPEN,
    )

    # -- after-sales: tickets and surveys (issue 13)
    TICKET_ASSIGNED = Spec(
        "ticket-assigned", "ticket.assigned", Subject.TICKET, "ticket:{subject}:assigned:to:{to}",
        ("number", "company", "priority", "category", "opener"), valid=Valid.TICKET_OPEN,
    )
    TICKET_RESPONSE_DUE = Spec(
        "ticket-response-due", "ticket.sla", Subject.TICKET, "ticket:{subject}:response:75:to:{to}",
        ("number", "company", "priority", "category", "due"), valid=Valid.TICKET_UNANSWERED, sla=True,
    )
    TICKET_RESOLVE_DUE = Spec(
        "ticket-resolve-due", "ticket.sla", Subject.TICKET, "ticket:{subject}:resolve:75:to:{to}",
        ("number", "company", "priority", "category", "due"), valid=Valid.TICKET_RUNNING, sla=True,
    )
    TICKET_RESPONSE_LATE = Spec(
        "ticket-response-late", "ticket.sla", Subject.TICKET, "ticket:{subject}:response:{level}:to:{to}",
        ("number", "company", "priority", "category", "due", "owner", "late"), refs=("level",),
        valid=Valid.TICKET_UNANSWERED, sla=True,
    )
    TICKET_RESOLVE_LATE = Spec(
        "ticket-resolve-late", "ticket.sla", Subject.TICKET, "ticket:{subject}:resolve:{level}:to:{to}",
        ("number", "company", "priority", "category", "due", "owner", "late"), refs=("level",),
        valid=Valid.TICKET_RUNNING, sla=True,
    )
    TICKET_RESOLVED = Spec(  # to the owner when someone else resolved it: the survey link is on the card
        "ticket-resolved-owner", "ticket.resolved", Subject.TICKET, "ticket:{subject}:resolved:{now}:to:{to}",
        ("number", "company", "priority", "category", "by"), valid=Valid.ALWAYS,
    )
    SURVEY_LOW_SCORE = Spec(
        "survey-low-score", "survey.low", Subject.SURVEY, "survey:{subject}:low:to:{to}",
        ("company", "number", "score", "comment", "owner", "channel"), urgency=Urgency.NOW, valid=Valid.ALWAYS,
    )

    # -- delivery checklists (issue 13)
    DELIVERY_ITEM_ASSIGNED = Spec(
        "delivery-item-assigned", "delivery.item", Subject.DELIVERY_ITEM, "delivery:{subject}:assigned:to:{to}",
        ("company", "item", "due", "by"), valid=Valid.DELIVERY_ITEM_OWNED,
    )
    DELIVERY_ITEM_DUE = Spec(
        "delivery-item-due", "delivery.item", Subject.DELIVERY_ITEM, "delivery:{subject}:due:to:{to}",
        ("company", "item", "due"), valid=Valid.DELIVERY_ITEM_OWNED,
    )
    DELIVERY_ITEM_OVERDUE = Spec(
        "delivery-item-overdue", "delivery.item", Subject.DELIVERY_ITEM, "delivery:{subject}:overdue:to:{to}",
        ("company", "item", "due", "owner"), valid=Valid.DELIVERY_ITEM_OPEN,
    )
    DELIVERY_ACCEPTED = Spec(  # to the deal's owner when a manager signed off: the survey link is a tap away
        "delivery-accepted-owner", "delivery.accepted", Subject.OPPORTUNITY, "delivery:{subject}:accepted:to:{to}",
        ("company", "by"), valid=Valid.ALWAYS,
    )
    RENEWAL_DUE = Spec(
        "renewal-due", "renewal.due", Subject.RENEWAL, "renewal:{subject}:due:to:{to}",
        ("company", "on", "days"), valid=Valid.RENEWAL_OPEN,
    )

    # -- cross-team help (issue 13): a question to a colleague, with its own deadline
    ASSIST_ASKED = Spec(
        "assist-asked", "assist.asked", Subject.ASSIST, "assist:{subject}:asked:to:{to}",
        ("asker", "company", "about", "question", "due"), decides=True, valid=Valid.ASSIST_PENDING,
    )
    ASSIST_ACCEPTED = Spec(
        "assist-accepted", "assist.accepted", Subject.ASSIST, "assist:{subject}:accepted:to:{to}",
        ("helper", "company", "about", "question"), valid=Valid.ASSIST_PENDING,
    )
    ASSIST_ANSWERED = Spec(  # the answer is on the record: it stays true
        "assist-answered", "assist.answered", Subject.ASSIST, "assist:{subject}:answered:to:{to}",
        ("helper", "company", "about", "question", "answer"), valid=Valid.ALWAYS,
    )
    ASSIST_WITHDRAWN = Spec(
        "assist-withdrawn", "assist.withdrawn", Subject.ASSIST, "assist:{subject}:withdrawn:to:{to}",
        ("asker", "company", "about", "question"), valid=Valid.ALWAYS,
    )
    ASSIST_DUE = Spec(  # to the colleague, at 3/4 of the time to the deadline
        "assist-due", "assist.due", Subject.ASSIST, "assist:{subject}:due:to:{to}",
        ("asker", "company", "about", "question", "due"), valid=Valid.ASSIST_PENDING,
    )
    ASSIST_OVERDUE = Spec(  # to the asker, once the deadline has passed
        "assist-overdue", "assist.overdue", Subject.ASSIST, "assist:{subject}:overdue:to:{to}",
        ("helper", "company", "about", "question", "due"), valid=Valid.ASSIST_PENDING,
    )

    # -- delivery
    USER_UNREACHABLE = Spec(
        "outbox-user-unreachable", "outbox.unreachable", Subject.USER, "unreachable:{subject}:{source}:to:{to}",
        ("name", "role"), refs=("source",), valid=Valid.STILL_UNREACHABLE,
    )
    GROUP_UNREACHABLE = Spec(
        "outbox-group-unreachable", "outbox.unreachable", Subject.TEAM, "unreachable-group:{chat}:{source}:to:{to}",
        ("team",), refs=("chat", "source"), valid=Valid.GROUP_UNBOUND,
    )

    def __repr__(self) -> str:
        return f"Kind.{self.name}"

    @property
    def spec(self) -> Spec:
        spec: Spec = self.value
        return spec

    @classmethod
    def of_notice(cls, key: str | None) -> Kind | None:
        """The kind whose message a row carries (its `notice` column); None for rows queued before kinds
        were recorded, which hold always and go alone."""
        return _BY_KEY.get(key or "")


_BY_KEY: dict[str, Kind] = {kind.spec.key: kind for kind in Kind}


def send_at(urgency: Urgency, now: datetime, team: Team | None, *, at: datetime | None = None,
            chosen: bool = False) -> datetime:
    """When a notice may go out: urgent ones and times a person chose at once (or at that time);
    anything else the system decided by itself waits for the team's working hours."""
    moment = at or now
    if urgency is Urgency.HELD:
        moment = now + HELD_AT_MOST
    if urgency is Urgency.NOW or (urgency is Urgency.SCHEDULED and chosen) or team is None:
        return moment
    return next_working_moment(moment, team)
