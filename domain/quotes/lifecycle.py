"""After approval: the quote is sent to the customer, accepted or rejected (with a reason, kept for the
lost-reason analysis), or it expires. Accepting sets the deal's amount from the quote's total and moves
the deal to the contract stage; sending moves a deal that was not there yet to the proposal stage. The
expiry sweep nudges the owner two working days before the last valid day, and marks the quote expired
after it."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from datetime import datetime

from domain.audit import record
from domain.deals.model import PIPELINE, Opportunity, Stage
from domain.deals.services import change_stage
from domain.deals.stages import next_stage
from domain.errors import AlreadyDone, Forbidden, InvalidInput
from domain.outbox.kinds import Kind
from domain.outbox.model import Action
from domain.outbox.notify import Notice, tell_user
from domain.ports import UnitOfWork
from domain.quotes.approvals import ACTION_OPEN, settle, withdraw
from domain.quotes.model import LIVE, REVISABLE, Quote, QuoteLine, QuoteStatus
from domain.quotes.services import (
    _context,
    expires_at,
    line_seed,
    may_edit,
    reprice,
    schedule_expiry,
    valid_until,
    visible_quote,
)
from domain.sweeps import Sweep
from domain.team.model import User

MAX_REASON = 300


async def _live(uow: UnitOfWork, actor: User, quote_id: int) -> Quote:
    quote = await visible_quote(uow, actor, quote_id)
    if not may_edit(actor, quote):
        raise Forbidden("error-quote-not-yours")
    if not quote.current:
        raise AlreadyDone("error-quote-superseded")
    if quote.status not in LIVE:
        raise AlreadyDone("error-quote-not-live")
    return quote


async def _step_to(uow: UnitOfWork, opportunity: Opportunity, target: Stage, actor: User, now: datetime) -> None:
    """Move an open deal forward one stage at a time until `target` (nothing if it is there or past it)."""
    assert opportunity.id is not None
    while opportunity.stage in PIPELINE and PIPELINE.index(opportunity.stage) < PIPELINE.index(target):
        following = next_stage(opportunity.stage)
        assert following is not None
        await change_stage(uow, actor=actor, opportunity_id=opportunity.id, to=following, now=now)


# --- versions --------------------------------------------------------------------------------------------


async def revise(uow: UnitOfWork, *, actor: User, quote_id: int, now: datetime) -> Quote:
    """Change a quote that left the draft: one waiting for approval goes back to draft (its approvals are
    withdrawn); an approved, sent, rejected or expired one gets a new version (v2) as a draft with the same
    lines, while v1 stays readable."""
    quote = await visible_quote(uow, actor, quote_id)
    if not may_edit(actor, quote):
        raise Forbidden("error-quote-not-yours")
    if not quote.current:
        raise AlreadyDone("error-quote-superseded")
    if quote.status is QuoteStatus.DRAFT:
        return quote
    if quote.status is QuoteStatus.PENDING:
        await withdraw(uow, quote, actor=actor, now=now)
        return quote
    if quote.status not in REVISABLE:
        raise AlreadyDone("error-quote-final")
    assert quote.id is not None
    if not await uow.quotes.move(quote, expect=(quote.status,), superseded_at=now, check_at=None):
        raise AlreadyDone("error-quote-superseded")
    opportunity, _lead, team = await _context(uow, quote)
    policy = await uow.quotes.policy(quote.team_id)
    newer = await uow.quotes.add(Quote(
        team_id=quote.team_id, opportunity_id=quote.opportunity_id, owner_id=quote.owner_id, year=quote.year,
        seq=quote.seq, version=quote.version + 1, created_at=now, updated_at=now,
        valid_until=valid_until(now, team, policy.validity_days), currency=quote.currency,
        discount_bp=quote.discount_bp, reason=quote.reason, needs=list(quote.needs), covered=list(quote.covered),
        parent_id=quote.id,
    ))
    assert newer.id is not None
    for line in await uow.quotes.lines(quote.id):
        await uow.quotes.add_line(QuoteLine(quote_id=newer.id, position=line.position, **line_seed(line)))
    await reprice(uow, newer, now)
    opportunity.quote_status = newer.status.value
    await settle(uow, quote, why="quote.revised", now=now)
    await record(
        uow, now=now, action="quote.revised", entity="quote", entity_id=newer.id, actor_id=actor.id,
        team_id=quote.team_id, before={"number": quote.number, "status": quote.status.value},
        after={"number": newer.number},
    )
    return newer


async def mark_sent(uow: UnitOfWork, *, actor: User, quote_id: int, now: datetime) -> Quote:
    quote = await _live(uow, actor, quote_id)
    if quote.status is QuoteStatus.SENT:
        raise AlreadyDone("error-quote-sent-already")
    if not await uow.quotes.move(quote, expect=(QuoteStatus.APPROVED,), status=QuoteStatus.SENT, sent_at=now):
        raise AlreadyDone("error-quote-not-live")
    opportunity, _lead, team = await _context(uow, quote)
    opportunity.quote_status = QuoteStatus.SENT.value
    schedule_expiry(quote, team, now)
    await _step_to(uow, opportunity, Stage.PROPOSAL, actor, now)
    await settle(uow, quote, why="quote.sent", now=now)
    await record(
        uow, now=now, action="quote.sent", entity="quote", entity_id=quote.id, actor_id=actor.id,
        team_id=quote.team_id, after={"number": quote.number},
    )
    return quote


async def mark_accepted(uow: UnitOfWork, *, actor: User, quote_id: int, now: datetime) -> Quote:
    """The customer accepted: the deal's amount is the quote's total, and the deal enters the contract stage."""
    quote = await _live(uow, actor, quote_id)
    if not await uow.quotes.move(quote, expect=LIVE, status=QuoteStatus.ACCEPTED, decided_at=now, check_at=None):
        raise AlreadyDone("error-quote-not-live")
    opportunity, _lead, _team = await _context(uow, quote)
    before = opportunity.amount_minor
    opportunity.amount = quote.total
    opportunity.quote_status = QuoteStatus.ACCEPTED.value
    opportunity.updated_at = now
    await settle(uow, quote, why="quote.accepted", now=now)
    await record(
        uow, now=now, action="quote.accepted", entity="quote", entity_id=quote.id, actor_id=actor.id,
        team_id=quote.team_id, before={"deal_amount_minor": before},
        after={"number": quote.number, "deal_amount_minor": quote.total_minor},
    )
    await _step_to(uow, opportunity, Stage.CONTRACT, actor, now)
    return quote


async def mark_rejected(uow: UnitOfWork, *, actor: User, quote_id: int, reason: str, now: datetime) -> Quote:
    """The customer said no, and why (kept for the lost-reason analysis). The deal stays where it is: the rep
    revises the quote or marks the deal lost."""
    text = " ".join((reason or "").split())
    if not text:
        raise InvalidInput("error-quote-reject-reason")
    if len(text) > MAX_REASON:
        raise InvalidInput("error-quote-reason", max=MAX_REASON)
    quote = await _live(uow, actor, quote_id)
    if not await uow.quotes.move(quote, expect=LIVE, status=QuoteStatus.REJECTED, decided_at=now, check_at=None,
                                 customer_reason=text):
        raise AlreadyDone("error-quote-not-live")
    opportunity, _lead, _team = await _context(uow, quote)
    opportunity.quote_status = QuoteStatus.REJECTED.value
    await settle(uow, quote, why="quote.rejected", now=now)
    await record(
        uow, now=now, action="quote.rejected", entity="quote", entity_id=quote.id, actor_id=actor.id,
        team_id=quote.team_id, after={"number": quote.number, "reason": text},
    )
    return quote


async def expiry_check(uow: UnitOfWork, quote: Quote, now: datetime) -> bool:
    """The expiry sweep's act: two working days before the end the owner is nudged; after it, expired."""
    if quote.status not in LIVE or not quote.current or quote.check_at is None or quote.check_at > now:
        return False
    opportunity, lead, team = await _context(uow, quote)
    assert quote.id is not None
    if now >= expires_at(quote, team):
        if not await uow.quotes.move(quote, expect=LIVE, status=QuoteStatus.EXPIRED, check_at=None):
            return False
        opportunity.quote_status = QuoteStatus.EXPIRED.value
        await settle(uow, quote, why="quote.expired", now=now)
        await record(
            uow, now=now, action="quote.expired", entity="quote", entity_id=quote.id, actor_id=None,
            team_id=quote.team_id, after={"number": quote.number, "valid_until": quote.valid_until.isoformat()},
        )
        await tell_user(uow, quote.owner_id, Notice(
            Kind.QUOTE_EXPIRED, about=quote.id, params={"number": quote.number, "company": lead.company},
            actions=((Action(ACTION_OPEN, quote.id),),),
        ), team_id=quote.team_id, now=now)
        return True
    if quote.expiry_nudged:
        schedule_expiry(quote, team, now)
        return True
    if not await uow.quotes.move(quote, expect=LIVE, expiry_nudged=True, check_at=expires_at(quote, team)):
        return False
    await tell_user(uow, quote.owner_id, Notice(
        Kind.QUOTE_EXPIRING, about=quote.id,
        params={"number": quote.number, "company": lead.company, "until": quote.valid_until.isoformat()},
        actions=((Action(ACTION_OPEN, quote.id),),),
    ), team_id=quote.team_id, now=now)
    return True


class _QuotesDue:
    def __init__(self, uow: UnitOfWork) -> None:
        self.uow = uow

    async def due(self, now: datetime, limit: int, skip: Collection[int] = ()) -> Sequence[Quote]:
        return await self.uow.quotes.due(now, limit, skip)


EXPIRY_SWEEP: Sweep[Quote] = Sweep(name="quote-expiry", source=_QuotesDue, act=expiry_check)
