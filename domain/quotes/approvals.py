"""Discount approvals (折扣审批): submitting a quote, the approvers' decisions (approve, reject with a
reason, counter-offer a discount the rep takes with one tap), the levels in order, and the SLA watch.

Each level is an ApprovalStep. Submitting creates every step the route needs: the first PENDING (its card
goes to whoever may decide it, through the outbox), the next WAITING until the first is approved. A
decision is a conditional update of a PENDING step, so a stale or repeated press acts once; the service
checks the presser may decide that level of that quote (never their own quote, never another team's).

The SLA (the team's quote policy, 4 working hours by default) runs per step from when it was asked:
past it the deciders are reminded and the rep told where it stands; past twice it the step is escalated
(the admins are told, and may decide a manager's step), and the rep told again; after that, while the step
still waits, whoever it was escalated to is reminded once every SLA period, and the rep told each time. A
pending step always has its next check: nothing waits silently. Every decision is audited.

Whatever ends a step (a decision, a withdrawal, a new version) says so to the outbox (`moved_on`): the cards,
reminders and status notices about it still queued are dropped; a press on an old card is told who
decided it, and changes nothing.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from domain.audit import record
from domain.errors import AlreadyDone, Forbidden, InvalidInput, NotFound
from domain.money import Money
from domain.outbox.kinds import Kind, Subject
from domain.outbox.model import Action, Phrase
from domain.outbox.notify import Notice, moved_on, tell_user
from domain.permissions import Ability, can, in_team
from domain.ports import UnitOfWork
from domain.quotes.approval import covered_by, may_decide, route
from domain.quotes.model import (
    OPEN_STEPS,
    ApprovalStep,
    Level,
    Quote,
    QuoteStatus,
    StepState,
)
from domain.quotes.pricing import discount_for
from domain.quotes.services import (
    QuoteView,
    build_view,
    deciders,
    draft,
    reprice,
    schedule_expiry,
)
from domain.quotes.text import money_text, percent_text
from domain.sweeps import Sweep
from domain.team.model import Language, Role, User
from domain.team.people import name_of
from domain.worktime import add_working_minutes

MAX_NOTE = 300

# Buttons of an approval card (handlers/quotes/approvals.py turns them into buttons).
ACTION_APPROVE = "quote.approve"
ACTION_REJECT = "quote.reject"
ACTION_COUNTER = "quote.counter"
ACTION_TAKE_COUNTER = "quote.take_counter"
ACTION_OPEN = "quote.open"


def card_actions(step_id: int) -> tuple[tuple[Action, ...], ...]:
    return (
        (Action(ACTION_APPROVE, step_id),),
        (Action(ACTION_REJECT, step_id), Action(ACTION_COUNTER, step_id)),
    )


# --- the card -------------------------------------------------------------------------------------------


def card_lines(view: QuoteView, language: Language | None = None) -> str:
    """Each line as the approver reads it, in their language: quantity, price, discount, net, and its price
    history."""
    rows = []
    for index, (line, priced) in enumerate(zip(view.lines, view.totals.lines, strict=True), start=1):
        price = money_text(Money(line.unit_price_minor, view.quote.currency), language)
        row = f"{index}. {view.line_name(line, language)} × {line.quantity} @ {price}"
        if line.discount_bp:
            row += f" −{percent_text(line.discount_bp, bp=True)}"
        row += f" = {money_text(priced.net, language)}"
        if priced.below_floor:
            row += " ⚠️"
        history = view.history.get(line.id or 0)
        if history is not None and (history.last or history.median):
            parts = []
            if history.last:
                parts.append("↩ " + money_text(history.last[0], language))
            if history.median is not None:
                parts.append("≈ " + money_text(history.median, language))
            row += f" ({' · '.join(parts)})"
        rows.append(row)
    return "\n".join(rows)


def card_params(view: QuoteView, step: ApprovalStep, rep: str, language: Language | None = None) -> dict[str, Any]:
    """The card's parameters for a reader of `language` (the product names and the money are theirs)."""
    quote, totals = view.quote, view.totals
    uncovered = quote.uncovered
    return {
        "number": quote.number, "company": view.lead.company, "deal": view.opportunity.title, "rep": rep,
        "level": Phrase(f"quote-level-{step.level.value}"), "total": money_text(totals.total, language),
        "discount": percent_text(totals.discount_percent),
        "margin_before": percent_text(view.list_totals.margin_percent),
        "margin_after": percent_text(totals.margin_percent),
        "lines": card_lines(view, language),
        "uncovered": "\n".join(f"• {need}" for need in uncovered) if uncovered else Phrase("quote-needs-all-covered"),
        "reason": quote.reason or "—",
        "why": [Phrase(f"quote-why-{why.value}") for why in view.route.why],
        "due": step.due_at or step.requested_at,
    }


async def _ask(uow: UnitOfWork, view: QuoteView, step: ApprovalStep, now: datetime) -> None:
    """The step is asked: its SLA starts and its deciders get the card."""
    policy = view.policy
    step.due_at = add_working_minutes(now, policy.sla_minutes, view.team)
    step.check_at = step.due_at
    step.requested_at = now
    assert step.id is not None
    rep = await name_of(uow, view.quote.owner_id)
    for user in await deciders(uow, view.quote, step.level):
        assert user.id is not None
        await tell_user(uow, user.id, Notice(
            Kind.QUOTE_APPROVAL_CARD, about=step.id, params=card_params(view, step, rep, user.language),
            actions=card_actions(step.id),
        ), team_id=view.quote.team_id, now=now)


# --- submitting ----------------------------------------------------------------------------------------


async def submit(uow: UnitOfWork, *, actor: User, quote_id: int, now: datetime) -> Quote:
    """The rep is done: a quote that needs no approval is approved at once; else its first level is asked."""
    quote = await draft(uow, actor, quote_id)
    assert quote.id is not None
    totals = await reprice(uow, quote, now)
    if not totals.lines or totals.subtotal.minor <= 0:
        raise InvalidInput("error-quote-empty")
    view = await build_view(uow, quote, now)
    levels = view.route.levels
    if not levels:
        await _approve_quote(uow, quote, view, actor=actor, now=now, by=None)
        await settle(uow, quote, why="quote.approved", now=now)
        return quote
    if not await uow.quotes.move(quote, expect=(QuoteStatus.DRAFT,), status=QuoteStatus.PENDING, submitted_at=now,
                                 counter_bp=None, counter_level=None):
        raise AlreadyDone("error-quote-not-draft")
    view.opportunity.quote_status = QuoteStatus.PENDING.value
    first: ApprovalStep | None = None
    for number, level in enumerate(levels, start=1):
        step = await uow.quotes.add_step(ApprovalStep(
            quote_id=quote.id, team_id=quote.team_id, step=number, level=level, requested_at=now,
            state=StepState.PENDING if number == 1 else StepState.WAITING,
        ))
        first = first or step
    assert first is not None
    await _ask(uow, view, first, now)
    await settle(uow, quote, why="quote.submitted", now=now)
    await record(
        uow, now=now, action="quote.submitted", entity="quote", entity_id=quote.id, actor_id=actor.id,
        team_id=quote.team_id,
        after={
            "number": quote.number, "levels": [lv.value for lv in levels], "why": [w.value for w in view.route.why],
            "discount": str(view.totals.discount_percent), "total": view.totals.total.minor,
        },
    )
    return quote


async def _approve_quote(
    uow: UnitOfWork, quote: Quote, view: QuoteView, *, actor: User, now: datetime, by: User | None
) -> None:
    """Approved (at once, or by the last level): valid from now, watched for expiry; the rep is told when
    somebody else approved it."""
    expect = (QuoteStatus.DRAFT, QuoteStatus.PENDING)
    if not await uow.quotes.move(quote, expect=expect, status=QuoteStatus.APPROVED, decided_at=now,
                                 submitted_at=quote.submitted_at or now, counter_bp=None, counter_level=None):
        raise AlreadyDone("error-quote-not-draft")
    schedule_expiry(quote, view.team, now)
    view.opportunity.quote_status = QuoteStatus.APPROVED.value
    totals = view.totals
    # Also the webhook event quote.approved (domain/webhooks/events.py): `data` is this record's `after`.
    await record(
        uow, now=now, action="quote.approved", entity="quote", entity_id=quote.id, actor_id=actor.id,
        team_id=quote.team_id,
        after={
            "number": quote.number, "by": by.id if by else None, "total": quote.total_minor,
            "opportunity_id": quote.opportunity_id, "owner_id": quote.owner_id, "company": view.lead.company,
            "currency": quote.currency, "subtotal": totals.subtotal.minor, "discount": totals.discount.minor,
            "discount_percent": str(totals.discount_percent), "tax": totals.tax.minor,
            "margin_percent": None if totals.margin_percent is None else str(totals.margin_percent),
            "valid_until": quote.valid_until.isoformat(),
            "levels": [s.level.value for s in view.steps if s.state is StepState.APPROVED],
        },
    )
    if by is not None:
        assert quote.id is not None
        owner = await uow.users.get(quote.owner_id)
        await tell_user(uow, quote.owner_id, Notice(
            Kind.QUOTE_APPROVED, about=quote.id,
            params={"number": quote.number, "company": view.lead.company, "approver": by.name,
                    "total": money_text(view.totals.total, owner.language if owner else None)},
            actions=((Action(ACTION_OPEN, quote.id),),),
        ), team_id=quote.team_id, now=now)


# --- deciding ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Decision:
    step: ApprovalStep
    quote: Quote
    outcome: str  # "approved" (the quote), "next" (the next level was asked), "rejected", "countered"


async def step_for(uow: UnitOfWork, *, actor: User, step_id: int) -> tuple[ApprovalStep, Quote]:
    """A step `actor` may decide, still pending; else the refusal a press would get."""
    step = await uow.quotes.get_step(step_id)
    if step is None:
        raise NotFound("error-approval-not-found")
    quote = await uow.quotes.get(step.quote_id)
    if quote is None:
        raise NotFound("error-approval-not-found")
    if not in_team(actor, quote.team_id):
        raise Forbidden("error-other-team")
    if actor.id == quote.owner_id:
        raise Forbidden("error-approval-own")
    if not may_decide(actor, step.level, team_id=quote.team_id, owner_id=quote.owner_id):
        raise Forbidden("error-approval-level")
    if step.state is not StepState.PENDING:
        raise await decided_error(uow, step, quote)
    return step, quote


async def decided_error(uow: UnitOfWork, step: ApprovalStep, quote: Quote) -> AlreadyDone:
    """What a press on a step that is no longer pending is told: who decided it, and how."""
    if step.decided_by is None:
        return AlreadyDone("error-approval-done")
    by = await name_of(uow, step.decided_by)
    if step.state is StepState.CANCELLED:
        state = "withdrawn" if step.decided_by == quote.owner_id else "closed"
    else:
        state = step.state.value
    return AlreadyDone(f"error-approval-decided-{state}", by=by, number=quote.number)


async def approval_view(uow: UnitOfWork, *, actor: User, step_id: int, now: datetime) -> tuple[ApprovalStep, QuoteView]:
    """The card of a step `actor` may decide (for /approvals)."""
    step, quote = await step_for(uow, actor=actor, step_id=step_id)
    return step, await build_view(uow, quote, now)


def _note(text: str | None, *, required: bool) -> str | None:
    cleaned = " ".join((text or "").split())
    if required and not cleaned:
        raise InvalidInput("error-approval-reason")
    if len(cleaned) > MAX_NOTE:
        raise InvalidInput("error-approval-reason-long", max=MAX_NOTE)
    return cleaned or None


def acting_level(actor: User, step: ApprovalStep) -> Level:
    """The level an approver decides at: an admin's decision is an admin's, whatever the step."""
    return Level.ADMIN if actor.role is Role.ADMIN else step.level


async def _claim(uow: UnitOfWork, step: ApprovalStep, actor: User, now: datetime, state: StepState,
                 **more: object) -> None:
    if not await uow.quotes.move_step(step, expect=(StepState.PENDING,), state=state, decided_by=actor.id,
                                      decided_at=now, check_at=None, **more):
        fresh = await uow.quotes.get_step(step.id or 0)
        quote = await uow.quotes.get(step.quote_id)
        if fresh is not None and quote is not None:
            raise await decided_error(uow, fresh, quote)
        raise AlreadyDone("error-approval-done")


async def _close_others(uow: UnitOfWork, quote: Quote, actor: User, now: datetime) -> None:
    assert quote.id is not None
    for other in await uow.quotes.steps(quote.id):
        if other.state in OPEN_STEPS:
            await uow.quotes.move_step(other, expect=OPEN_STEPS, state=StepState.CANCELLED, check_at=None,
                                       decided_at=now, decided_by=actor.id)


async def settle(uow: UnitOfWork, quote: Quote, *, why: str, now: datetime) -> None:
    """The quote or its approval moved on: what is queued about it (cards, reminders, where-it-stands, the
    rep's answers) and no longer holds by its kind's rule is dropped now."""
    assert quote.id is not None
    await moved_on(uow, Subject.QUOTE, quote.id, why=why, now=now)
    for step in await uow.quotes.steps(quote.id):
        await moved_on(uow, Subject.QUOTE_STEP, step.id, why=why, now=now)


async def approve(uow: UnitOfWork, *, actor: User, step_id: int, now: datetime) -> Decision:
    step, quote = await step_for(uow, actor=actor, step_id=step_id)
    await _claim(uow, step, actor, now, StepState.APPROVED)
    await _audit(uow, step, quote, actor, now, "quote.approval.approved")
    view = await build_view(uow, quote, now)
    following = next((s for s in view.steps if s.state is StepState.WAITING), None)
    if following is not None and following.level not in covered_by(acting_level(actor, step)):
        await uow.quotes.move_step(following, expect=(StepState.WAITING,), state=StepState.PENDING)
        await _ask(uow, view, following, now)
        await _tell_rep_where(uow, view, following, "next", Phrase(
            "quote-where-next", {"approver": actor.name, "level": Phrase(f"quote-level-{following.level.value}")},
        ), now)
        await settle(uow, quote, why="quote.approval.approved", now=now)
        return Decision(step, quote, "next")
    await _close_others(uow, quote, actor, now)
    await _approve_quote(uow, quote, view, actor=actor, now=now, by=actor)
    await settle(uow, quote, why="quote.approved", now=now)
    return Decision(step, quote, "approved")


async def reject(uow: UnitOfWork, *, actor: User, step_id: int, reason: str, now: datetime) -> Decision:
    """Rejected with a reason: the quote goes back to the rep as a draft, the other levels are withdrawn."""
    note = _note(reason, required=True)
    step, quote = await step_for(uow, actor=actor, step_id=step_id)
    await _claim(uow, step, actor, now, StepState.REJECTED, note=note)
    await _close_others(uow, quote, actor, now)
    await _back_to_draft(uow, quote)
    await settle(uow, quote, why="quote.approval.rejected", now=now)
    await _audit(uow, step, quote, actor, now, "quote.approval.rejected", note=note)
    view = await build_view(uow, quote, now)
    assert step.id is not None
    await tell_user(uow, quote.owner_id, Notice(
        Kind.QUOTE_APPROVAL_REJECTED, about=step.id,
        params={"number": quote.number, "company": view.lead.company, "approver": actor.name, "reason": note or ""},
        actions=((Action(ACTION_OPEN, quote.id or 0),),),
    ), team_id=quote.team_id, now=now)
    return Decision(step, quote, "rejected")


async def counter(uow: UnitOfWork, *, actor: User, step_id: int, discount_bp: int, now: datetime) -> Decision:
    """A counter-offer: the approver would agree to `discount_bp` off in all (less than asked). The quote
    goes back to the rep as a draft with the offer, which they take with one tap (take_counter)."""
    step, quote = await step_for(uow, actor=actor, step_id=step_id)
    view = await build_view(uow, quote, now)
    asked = view.totals.discount_percent
    if not 0 <= discount_bp < int(asked * 100):
        raise InvalidInput("error-approval-counter", asked=percent_text(asked))
    await _claim(uow, step, actor, now, StepState.COUNTERED, counter_bp=discount_bp)
    await _close_others(uow, quote, actor, now)
    await _back_to_draft(uow, quote, counter_bp=discount_bp, counter_level=acting_level(actor, step).value)
    await settle(uow, quote, why="quote.approval.countered", now=now)
    await _audit(uow, step, quote, actor, now, "quote.approval.countered", counter_bp=discount_bp)
    assert step.id is not None and quote.id is not None
    await tell_user(uow, quote.owner_id, Notice(
        Kind.QUOTE_COUNTERED, about=step.id,
        params={"number": quote.number, "company": view.lead.company, "approver": actor.name,
                "percent": percent_text(discount_bp, bp=True), "asked": percent_text(asked)},
        actions=((Action(ACTION_TAKE_COUNTER, quote.id),), (Action(ACTION_OPEN, quote.id),)),
    ), team_id=quote.team_id, now=now)
    return Decision(step, quote, "countered")


async def take_counter(uow: UnitOfWork, *, actor: User, quote_id: int, now: datetime) -> Decision | None:
    """The rep takes the counter-offer: the lines' own discounts go, the whole quote gets the offered
    discount. The approver's word covers their level (an admin's both): what the new terms still need
    beyond it is asked; otherwise the quote is approved. Returns the step asked next, or None."""
    quote = await draft(uow, actor, quote_id)
    if quote.counter_bp is None or quote.counter_level is None:
        raise AlreadyDone("error-counter-gone")
    assert quote.id is not None
    level = Level(quote.counter_level)
    for line in await uow.quotes.lines(quote.id):
        line.discount_bp = 0
    quote.discount_bp = discount_for(quote.counter_bp)
    await reprice(uow, quote, now)
    view = await build_view(uow, quote, now)
    await record(
        uow, now=now, action="quote.counter_taken", entity="quote", entity_id=quote.id, actor_id=actor.id,
        team_id=quote.team_id, after={"number": quote.number, "discount_bp": quote.discount_bp, "level": level.value},
    )
    remaining = [lv for lv in route(view.totals, view.policy).levels if lv not in covered_by(level)]
    if not remaining:
        await _approve_quote(uow, quote, view, actor=actor, now=now, by=None)
        await settle(uow, quote, why="quote.counter_taken", now=now)
        return None
    if not await uow.quotes.move(quote, expect=(QuoteStatus.DRAFT,), status=QuoteStatus.PENDING, submitted_at=now,
                                 counter_bp=None, counter_level=None):
        raise AlreadyDone("error-quote-not-draft")
    view.opportunity.quote_status = QuoteStatus.PENDING.value
    done = max(s.step for s in view.steps) if view.steps else 0
    step = await uow.quotes.add_step(ApprovalStep(
        quote_id=quote.id, team_id=quote.team_id, step=done + 1, level=remaining[0], requested_at=now,
        state=StepState.PENDING,
    ))
    await _ask(uow, view, step, now)
    await settle(uow, quote, why="quote.counter_taken", now=now)
    return Decision(step, quote, "next")


async def withdraw(uow: UnitOfWork, quote: Quote, *, actor: User, now: datetime) -> None:
    """The rep takes a quote waiting for approval back to change it: its open steps are withdrawn."""
    await _close_others(uow, quote, actor, now)
    if not await uow.quotes.move(quote, expect=(QuoteStatus.PENDING,), status=QuoteStatus.DRAFT):
        raise AlreadyDone("error-quote-not-pending")
    await settle(uow, quote, why="quote.withdrawn", now=now)
    opportunity = await uow.opportunities.get(quote.opportunity_id)
    if opportunity is not None:
        opportunity.quote_status = QuoteStatus.DRAFT.value
    await record(
        uow, now=now, action="quote.withdrawn", entity="quote", entity_id=quote.id, actor_id=actor.id,
        team_id=quote.team_id, after={"number": quote.number},
    )


async def _back_to_draft(uow: UnitOfWork, quote: Quote, **changes: object) -> None:
    if not await uow.quotes.move(quote, expect=(QuoteStatus.PENDING,), status=QuoteStatus.DRAFT, **changes):
        raise AlreadyDone("error-approval-done")
    opportunity = await uow.opportunities.get(quote.opportunity_id)
    if opportunity is not None:
        opportunity.quote_status = QuoteStatus.DRAFT.value


async def _audit(
    uow: UnitOfWork, step: ApprovalStep, quote: Quote, actor: User, now: datetime, action: str, **more: Any
) -> None:
    await record(
        uow, now=now, action=action, entity="quote_approval", entity_id=step.id, actor_id=actor.id,
        team_id=quote.team_id, before={"state": StepState.PENDING.value},
        after={"state": step.state.value, "quote": quote.number, "level": step.level.value, "step": step.step, **more},
    )


# --- what waits for me ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Waiting:
    step: ApprovalStep
    quote: Quote
    company: str
    rep: str


async def waiting_for(uow: UnitOfWork, *, viewer: User) -> Sequence[Waiting]:
    """/approvals: the steps `viewer` may decide now, the oldest request first."""
    if not can(viewer, Ability.APPROVE_DISCOUNTS):
        raise Forbidden("error-approval-role")
    admin = viewer.role is Role.ADMIN
    levels: Collection[str] = [lv.value for lv in Level] if admin else [Level.MANAGER.value]
    scope = None if admin else viewer.team_id
    found = []
    for step in await uow.quotes.open_steps(scope, levels):
        quote = await uow.quotes.get(step.quote_id)
        if quote is None or not may_decide(viewer, step.level, team_id=quote.team_id, owner_id=quote.owner_id):
            continue
        deal = await uow.opportunities.get(quote.opportunity_id)
        lead = await uow.leads.get(deal.lead_id) if deal else None
        found.append(Waiting(step, quote, lead.company if lead else "—", await name_of(uow, quote.owner_id)))
    return found


# --- the SLA watch --------------------------------------------------------------------------------------


async def _tell_rep_where(
    uow: UnitOfWork, view: QuoteView, step: ApprovalStep, period: str, where: Phrase, now: datetime
) -> None:
    assert step.id is not None
    await tell_user(uow, view.quote.owner_id, Notice(
        Kind.QUOTE_APPROVAL_STATUS, about=step.id, refs={"period": period},
        params={"number": view.quote.number, "company": view.lead.company, "where": where},
    ), team_id=view.quote.team_id, now=now)


REMINDED, ESCALATED = 1, 2  # the SLA stages; from 3 on, a reminder per SLA period after the escalation


async def sla_check(uow: UnitOfWork, step: ApprovalStep, now: datetime) -> bool:
    """The SLA sweep's act for one pending step past its check: first a reminder to its deciders, then
    (a full SLA later) an escalation to the admins, then a reminder to them once every SLA period for as
    long as it waits; the rep hears where it stands each time. The step's next check is always set."""
    if step.state is not StepState.PENDING or (step.check_at is not None and step.check_at > now):
        return False  # (no check at all: a step escalated before steps were watched after it; due now)
    quote = await uow.quotes.get(step.quote_id)
    if quote is None:
        return False
    view = await build_view(uow, quote, now)
    stage = step.sla_stage + 1
    check_at = add_working_minutes(now, view.policy.sla_minutes, view.team)
    if not await uow.quotes.move_step(step, expect=(StepState.PENDING,), sla_stage=stage, check_at=check_at):
        return False
    assert step.id is not None
    rep = await name_of(uow, quote.owner_id)
    deciders_now = await deciders(uow, quote, step.level)
    names = "、".join(u.name for u in deciders_now) or "—"
    def short(reader: User) -> dict[str, Any]:
        return {"number": quote.number, "company": view.lead.company, "rep": rep,
                "total": money_text(view.totals.total, reader.language),
                "discount": percent_text(view.totals.discount_percent), "due": step.due_at or now}

    if stage == REMINDED:
        for user in deciders_now:
            assert user.id is not None
            await tell_user(uow, user.id, Notice(
                Kind.QUOTE_APPROVAL_REMINDER, about=step.id, actions=card_actions(step.id), params=short(user),
            ), team_id=quote.team_id, now=now)
        where = Phrase("quote-where-reminded", {"approvers": names})
        action, period = "quote.approval.reminded", "reminded"
    elif stage == ESCALATED:
        for admin in await deciders(uow, quote, Level.ADMIN):
            assert admin.id is not None
            params = {**card_params(view, step, rep, admin.language), "waiting": names}
            await tell_user(uow, admin.id, Notice(
                Kind.QUOTE_APPROVAL_ESCALATED, about=step.id, params=params, actions=card_actions(step.id),
            ), team_id=quote.team_id, now=now)
        where = Phrase("quote-where-escalated", {"approvers": names})
        action, period = "quote.approval.escalated", "escalated"
    else:
        # Escalated and still waiting: whoever it went to (the admins; its own deciders when there are none)
        # is reminded, once this SLA period.
        chasing = await deciders(uow, quote, Level.ADMIN) or deciders_now
        for user in chasing:
            assert user.id is not None
            await tell_user(uow, user.id, Notice(
                Kind.QUOTE_APPROVAL_OVERDUE, about=step.id, actions=card_actions(step.id),
                params={**short(user), "waiting": names}, refs={"round": stage},
            ), team_id=quote.team_id, now=now)
        where = Phrase("quote-where-overdue", {"approvers": "、".join(u.name for u in chasing) or "—"})
        action, period = "quote.approval.overdue", f"overdue-{stage}"
    await record(
        uow, now=now, action=action, entity="quote_approval", entity_id=step.id, actor_id=None, team_id=quote.team_id,
        after={"quote": quote.number, "level": step.level.value, "due_at": (step.due_at or now).isoformat(),
               "sla_stage": stage, "next_check": check_at.isoformat()},
    )
    await _tell_rep_where(uow, view, step, period, where, now)
    return True


class _StepsDue:
    def __init__(self, uow: UnitOfWork) -> None:
        self.uow = uow

    async def due(self, now: datetime, limit: int, skip: Collection[int] = ()) -> Sequence[ApprovalStep]:
        return await self.uow.quotes.steps_due(now, limit, skip)


APPROVAL_SWEEP: Sweep[ApprovalStep] = Sweep(name="quote-approvals", source=_StepsDue, act=sla_check)

