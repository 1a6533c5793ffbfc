"""While a queued notice still holds: each rule of domain/outbox/kinds.py `Valid` as one SQL condition on
the notifications row (its subject, recipient and creation time), so that a whole batch of rows is
checked, and the stale ones cancelled, in one statement.

Used when a notice is queued (storage/outbox_repo.py), when a service says its subject moved on (the
same), and just before the dispatcher sends (storage/delivery_repo.py).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from datetime import datetime
from typing import Any

from sqlalchemy import (
    BindParameter,
    ColumnElement,
    and_,
    case,
    exists,
    false,
    literal,
    not_,
    or_,
    select,
    update,
)

from domain.assist.model import PENDING as ASSIST_PENDING
from domain.contracts.model import COLLECTING, UNSIGNED, PaymentState
from domain.followup.rules import SUBJECT_OPPORTUNITY
from domain.handoffs.model import HandoffState
from domain.leads.model import LeadStatus
from domain.outbox.kinds import Kind, Subject, Valid
from domain.outbox.model import NotificationState
from domain.quotes.model import LIVE, QuoteStatus, StepState
from domain.reminders.model import ReminderState
from domain.tickets.model import OPEN as TICKET_OPEN
from domain.tickets.model import RUNNING as TICKET_RUNNING
from domain.tickets.model import TicketStatus
from storage.sql import CLOSED_STAGES
from storage.tables import (
    activities,
    assist_questions,
    contract_milestones,
    contracts,
    delivery_items,
    handoffs,
    leads,
    notifications,
    opportunities,
    payments,
    quote_approvals,
    quotes,
    reminders,
    renewals,
    stage_changes,
    teams,
    tickets,
    users,
)

n = notifications
h = handoffs
o = opportunities
r = reminders
s = stage_changes
a = activities
PENDING = NotificationState.PENDING.value
CANCELLED = NotificationState.CANCELLED.value


def _open() -> ColumnElement[bool]:
    return o.c.stage.not_in(CLOSED_STAGES)


def _latest(change: Any) -> ColumnElement[bool]:
    later = stage_changes.alias("later")
    return not_(exists().where(later.c.opportunity_id == change.c.opportunity_id, later.c.id > change.c.id))


def _handoff_pending() -> ColumnElement[bool]:
    return exists().where(h.c.id == n.c.subject_id, h.c.state == HandoffState.PENDING)


def _handoff_stands() -> ColumnElement[bool]:
    return exists().where(
        h.c.id == n.c.subject_id, h.c.state == HandoffState.ACCEPTED, o.c.id == h.c.opportunity_id,
        o.c.owner_id == h.c.to_user_id,
    )


def _deal_in_pool() -> ColumnElement[bool]:
    return exists().where(o.c.id == n.c.subject_id, o.c.owner_id.is_(None), o.c.pooled_at.is_not(None), _open())


def _silence(level: int, *, recipient_owns: bool) -> Callable[[], ColumnElement[bool]]:
    def predicate() -> ColumnElement[bool]:
        owner = o.c.owner_id == n.c.recipient_id if recipient_owns else o.c.owner_id.is_not(None)
        return exists().where(o.c.id == n.c.subject_id, _open(), owner, o.c.silence_level >= level)

    return predicate


def _untouched() -> ColumnElement[bool]:
    return exists().where(
        o.c.id == n.c.subject_id, _open(), o.c.owner_id == n.c.recipient_id,
        or_(o.c.last_activity_at.is_(None), o.c.last_activity_at <= n.c.created_at),
    )


def _step_due() -> ColumnElement[bool]:
    deal_still_theirs = exists().where(o.c.id == r.c.subject_id, _open(), o.c.owner_id == r.c.user_id).correlate_except(o)
    return exists().where(
        r.c.id == n.c.subject_id, r.c.state == ReminderState.SENT,
        or_(r.c.subject_kind.is_(None), r.c.subject_kind != SUBJECT_OPPORTUNITY, deal_still_theirs),
    )


def _step_ignored() -> ColumnElement[bool]:
    # The escalation sweep's own test of "acted on" (domain/followup/nudges.py escalate_followup).
    return exists().where(
        r.c.id == n.c.subject_id, r.c.state == ReminderState.SENT, r.c.subject_kind == SUBJECT_OPPORTUNITY,
        o.c.id == r.c.subject_id, _open(), o.c.owner_id == r.c.user_id,
        or_(o.c.last_activity_at.is_(None), r.c.sent_at.is_(None), o.c.last_activity_at < r.c.sent_at),
    )


def _stage_latest() -> ColumnElement[bool]:
    return exists().where(s.c.id == n.c.subject_id, _latest(s), o.c.id == s.c.opportunity_id,
                          o.c.owner_id == n.c.recipient_id)


def _activity_owner() -> ColumnElement[bool]:
    # A note on a lead without a deal went to the lead's capturer, who stays responsible for it.
    deal_theirs = exists().where(o.c.id == a.c.opportunity_id, o.c.owner_id == n.c.recipient_id).correlate_except(o)
    return exists().where(a.c.id == n.c.subject_id, or_(a.c.opportunity_id.is_(None), deal_theirs))


def _still_unreachable() -> ColumnElement[bool]:
    return exists().where(users.c.id == n.c.subject_id, users.c.reachable.is_(False))


def _lead_nurtured() -> ColumnElement[bool]:
    return exists().where(leads.c.id == n.c.subject_id, leads.c.status == LeadStatus.NURTURE)


def _group_unbound() -> ColumnElement[bool]:
    return exists().where(teams.c.id == n.c.subject_id, teams.c.group_chat_id.is_(None))


def _quote_step_pending() -> ColumnElement[bool]:
    return exists().where(quote_approvals.c.id == n.c.subject_id, quote_approvals.c.state == StepState.PENDING)


def _quote_back_with_rep() -> ColumnElement[bool]:
    step = quote_approvals
    return exists().where(
        step.c.id == n.c.subject_id, quotes.c.id == step.c.quote_id, quotes.c.status == QuoteStatus.DRAFT,
        quotes.c.superseded_at.is_(None),
    )


def _quote_in(statuses: frozenset[QuoteStatus]) -> Callable[[], ColumnElement[bool]]:
    def predicate() -> ColumnElement[bool]:
        return exists().where(
            quotes.c.id == n.c.subject_id, quotes.c.status.in_(statuses), quotes.c.superseded_at.is_(None)
        )

    return predicate
def _contract_unsigned() -> ColumnElement[bool]:
    return exists().where(contracts.c.id == n.c.subject_id, contracts.c.status.in_([x.value for x in UNSIGNED]))


def _milestone_open() -> ColumnElement[bool]:
    ms = contract_milestones
    return exists().where(
        ms.c.id == n.c.subject_id, ms.c.paid_minor < ms.c.amount_minor, contracts.c.id == ms.c.contract_id,
        contracts.c.status.in_([x.value for x in COLLECTING]),
    )


def _payment_waiting() -> ColumnElement[bool]:
    return exists().where(payments.c.id == n.c.subject_id, payments.c.state == PaymentState.REPORTED.value)


def _ticket_open() -> ColumnElement[bool]:
    return exists().where(
        tickets.c.id == n.c.subject_id, tickets.c.status.in_([st.value for st in TICKET_OPEN]),
        tickets.c.owner_id == n.c.recipient_id,
    )


def _ticket_running() -> ColumnElement[bool]:
    return exists().where(tickets.c.id == n.c.subject_id, tickets.c.status.in_([st.value for st in TICKET_RUNNING]))


def _delivery_item_open() -> ColumnElement[bool]:
    return exists().where(
        delivery_items.c.id == n.c.subject_id, delivery_items.c.done_at.is_(None),
        opportunities.c.id == delivery_items.c.opportunity_id, opportunities.c.stage == "delivery",
    )


def _delivery_item_owned() -> ColumnElement[bool]:
    return exists().where(
        delivery_items.c.id == n.c.subject_id, delivery_items.c.done_at.is_(None),
        delivery_items.c.owner_id == n.c.recipient_id,
        opportunities.c.id == delivery_items.c.opportunity_id, opportunities.c.stage == "delivery",
    )


def _renewal_open() -> ColumnElement[bool]:
    return exists().where(renewals.c.id == n.c.subject_id, renewals.c.new_opportunity_id.is_(None))


def _assist_pending() -> ColumnElement[bool]:
    q = assist_questions
    ticket_open = exists().where(
        tickets.c.id == q.c.ticket_id, tickets.c.status.in_([st.value for st in TICKET_OPEN])
    ).correlate_except(tickets)
    deal_open = exists().where(o.c.id == q.c.opportunity_id, _open()).correlate_except(o)
    return exists().where(
        q.c.id == n.c.subject_id, q.c.state.in_([st.value for st in ASSIST_PENDING]),
        or_(and_(q.c.ticket_id.is_not(None), ticket_open), and_(q.c.ticket_id.is_(None), deal_open)),
    )


def _ticket_unanswered() -> ColumnElement[bool]:
    return exists().where(tickets.c.id == n.c.subject_id, tickets.c.status == TicketStatus.NEW.value)


PREDICATES: dict[Valid, Callable[[], ColumnElement[bool]]] = {
    Valid.HANDOFF_PENDING: _handoff_pending,
    Valid.HANDOFF_STANDS: _handoff_stands,
    Valid.DEAL_IN_POOL: _deal_in_pool,
    Valid.SILENCE_OWNER: _silence(1, recipient_owns=True),
    Valid.SILENCE_MANAGER: _silence(2, recipient_owns=False),
    Valid.UNTOUCHED: _untouched,
    Valid.STEP_DUE: _step_due,
    Valid.STEP_IGNORED: _step_ignored,
    Valid.STAGE_LATEST: _stage_latest,
    Valid.ACTIVITY_OWNER: _activity_owner,
    Valid.STILL_UNREACHABLE: _still_unreachable,
    Valid.GROUP_UNBOUND: _group_unbound,
    Valid.LEAD_NURTURED: _lead_nurtured,
    Valid.QUOTE_STEP_PENDING: _quote_step_pending,
    Valid.QUOTE_BACK_WITH_REP: _quote_back_with_rep,
    Valid.QUOTE_LIVE: _quote_in(LIVE),
    Valid.QUOTE_EXPIRED: _quote_in(frozenset({QuoteStatus.EXPIRED})),
    Valid.CONTRACT_UNSIGNED: _contract_unsigned,
    Valid.MILESTONE_OPEN: _milestone_open,
    Valid.PAYMENT_WAITING: _payment_waiting,
    Valid.TICKET_OPEN: _ticket_open,
    Valid.TICKET_RUNNING: _ticket_running,
    Valid.TICKET_UNANSWERED: _ticket_unanswered,
    Valid.DELIVERY_ITEM_OPEN: _delivery_item_open,
    Valid.DELIVERY_ITEM_OWNED: _delivery_item_owned,
    Valid.RENEWAL_OPEN: _renewal_open,
    Valid.ASSIST_PENDING: _assist_pending,
}


def notices_by_rule(notices: Iterable[str | None] | None = None) -> dict[Valid, list[str]]:
    """The message keys of each rule other than ALWAYS (of the given notices only, when given)."""
    wanted = None if notices is None else set(notices)
    by_rule: dict[Valid, list[str]] = defaultdict(list)
    for kind in Kind:
        spec = kind.spec
        if spec.valid is not Valid.ALWAYS and (wanted is None or spec.key in wanted):
            by_rule[spec.valid].append(spec.key)
    return dict(by_rule)


def stale(rules: dict[Valid, list[str]]) -> ColumnElement[bool]:
    """The row's kind has one of these rules, and it no longer holds."""
    branches = [and_(n.c.notice.in_(keys), not_(PREDICATES[rule]())) for rule, keys in rules.items()]
    return or_(*branches) if branches else false()


def cancel(
    where: Iterable[Any], rules: dict[Valid, list[str]], now: datetime | BindParameter[Any], why: str | None, prefix: str
) -> Any:
    """UPDATE marking the matching pending rows whose rule fails cancelled, why in last_error; RETURNING
    id, notice, recipient_id. Without `why` the reason is the rule itself ("<prefix>: handoff_pending")."""
    reason: Any = literal(why) if why is not None else case(
        *((n.c.notice.in_(keys), f"{prefix}: {rule.value}") for rule, keys in rules.items()), else_=prefix
    )
    return (
        update(n)
        .where(*where, n.c.state == PENDING, stale(rules))
        .values(state=CANCELLED, last_error=reason, next_attempt_at=now, lease_owner=None, lease_until=None)
        .returning(n.c.id, n.c.notice, n.c.recipient_id)
    )


def about_deal(opportunity_id: int) -> ColumnElement[bool]:
    """The notifications row is about the deal or about what belongs to it: its hand-offs, next steps,
    stage changes and activities (each found by its own index)."""
    return or_(
        and_(n.c.subject_kind == Subject.OPPORTUNITY.value, n.c.subject_id == opportunity_id),
        and_(n.c.subject_kind == Subject.HANDOFF.value,
             n.c.subject_id.in_(select(h.c.id).where(h.c.opportunity_id == opportunity_id))),
        and_(n.c.subject_kind == Subject.REMINDER.value, n.c.subject_id.in_(
            select(r.c.id).where(r.c.subject_kind == SUBJECT_OPPORTUNITY, r.c.subject_id == opportunity_id)
        )),
        and_(n.c.subject_kind == Subject.STAGE_CHANGE.value,
             n.c.subject_id.in_(select(s.c.id).where(s.c.opportunity_id == opportunity_id))),
        and_(n.c.subject_kind == Subject.ACTIVITY.value,
             n.c.subject_id.in_(select(a.c.id).where(a.c.opportunity_id == opportunity_id))),
    )
