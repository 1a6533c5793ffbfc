"""Contracts and payments as use cases: open a contract from the deal's accepted quote (or, a manager, from
the deal card), give it a payment plan, send it for signature, record the signed document; report a
payment (the rep), confirm / reject / correct it (finance or an admin of the same team, once), record one
directly (finance); settle confirmed money on the milestones in order and move the deal on."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Final

from domain.audit import record
from domain.contracts import plan as rules
from domain.contracts import watch
from domain.contracts.model import (
    COLLECTING,
    OPEN,
    UNSIGNED,
    Contract,
    ContractStatus,
    Milestone,
    Payment,
    PaymentMethod,
    PaymentState,
)
from domain.contracts.policy import cadence_of, template_of
from domain.contracts.ports import SignatureEvent, SignatureProvider
from domain.contracts.providers import parse_number
from domain.deals.access import deal_context, visible_opportunity
from domain.deals.model import Opportunity, Stage
from domain.deals.services import change_stage
from domain.errors import AlreadyDone, DomainError, Forbidden, InvalidInput, NotFound
from domain.leads.model import Lead
from domain.money import Money
from domain.outbox.kinds import Kind, Subject
from domain.outbox.model import Action, Phrase
from domain.outbox.notify import Notice, moved_on, tell_managers, tell_user
from domain.permissions import Ability, in_team, manages_team, require, sees_whole_team
from domain.ports import UnitOfWork
from domain.quotes.text import money_text
from domain.team.model import Role, Team, User
from domain.team.people import name_of
from domain.worktime import local

MAX_REASON: Final = 300
MAX_FILE_NAME: Final = 120

# Buttons in pushed messages (handlers/contracts.py registers how each becomes a button).
ACTION_OPEN: Final = "contract.open"
ACTION_CONFIRM: Final = "payment.confirm"
ACTION_REJECT: Final = "payment.reject"
ACTION_DIFFERS: Final = "payment.differs"
ACTION_RECEIPT: Final = "payment.receipt"
ACTION_REPORT: Final = "payment.report"


# --- who may do what -------------------------------------------------------------------------------------


def may_see(viewer: User, contract: Contract, opportunity: Opportunity) -> bool:
    """The owner, whoever owns the deal, the team's managers and finance, and admins."""
    if not viewer.active or not in_team(viewer, contract.team_id):
        return False
    return sees_whole_team(viewer) or viewer.id in (contract.owner_id, opportunity.owner_id)


def may_work(actor: User, contract: Contract, opportunity: Opportunity) -> bool:
    """Open, send, sign, report payments: the deal's owner (or the contract's) or a manager of the team."""
    return actor.active and (
        actor.id in (contract.owner_id, opportunity.owner_id) or manages_team(actor, contract.team_id)
    )


def may_confirm(actor: User, team_id: int) -> bool:
    """Confirming money is finance's, or an admin's, and only in their own team."""
    return actor.active and actor.role in (Role.FINANCE, Role.ADMIN) and actor.team_id == team_id


async def _context(uow: UnitOfWork, contract: Contract) -> tuple[Opportunity, Lead, Team]:
    opportunity = await uow.opportunities.get(contract.opportunity_id)
    if opportunity is None:
        raise NotFound("error-contract-not-found")
    lead, team, _policy = await deal_context(uow, opportunity)
    return opportunity, lead, team


async def visible_contract(uow: UnitOfWork, viewer: User, contract_id: int) -> Contract:
    contract = await uow.contracts.get(contract_id)
    if contract is None:
        raise NotFound("error-contract-not-found")
    if not in_team(viewer, contract.team_id):
        raise Forbidden("error-other-team")
    opportunity = await uow.opportunities.get(contract.opportunity_id)
    if opportunity is None or not may_see(viewer, contract, opportunity):
        raise Forbidden("error-contract-not-yours")
    return contract


async def _workable(uow: UnitOfWork, actor: User, contract_id: int) -> tuple[Contract, Opportunity, Lead, Team]:
    contract = await visible_contract(uow, actor, contract_id)
    opportunity, lead, team = await _context(uow, contract)
    if not may_work(actor, contract, opportunity):
        raise Forbidden("error-contract-not-yours")
    return contract, opportunity, lead, team


# --- reading ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ContractView:
    contract: Contract
    milestones: tuple[Milestone, ...]
    payments: tuple[Payment, ...]
    opportunity: Opportunity
    lead: Lead
    team: Team
    owner_name: str
    may_work: bool
    may_confirm: bool

    @property
    def waiting(self) -> tuple[Payment, ...]:
        return tuple(p for p in self.payments if p.state is PaymentState.REPORTED)

    def open_milestones(self) -> list[Milestone]:
        return [m for m in self.milestones if not m.settled]


async def view_contract(uow: UnitOfWork, *, viewer: User, contract_id: int) -> ContractView:
    contract = await visible_contract(uow, viewer, contract_id)
    return await build_view(uow, viewer, contract)


async def build_view(uow: UnitOfWork, viewer: User, contract: Contract) -> ContractView:
    assert contract.id is not None
    opportunity, lead, team = await _context(uow, contract)
    return ContractView(
        contract=contract, milestones=tuple(await uow.contracts.milestones(contract.id)),
        payments=tuple(await uow.contracts.payments(contract.id)), opportunity=opportunity, lead=lead, team=team,
        owner_name=await name_of(uow, contract.owner_id), may_work=may_work(viewer, contract, opportunity),
        may_confirm=may_confirm(viewer, contract.team_id),
    )


@dataclass(frozen=True)
class DealContracts:
    """What the deal's 📑 screen shows: its contracts, and whether (and from what) a new one may be opened."""

    opportunity: Opportunity
    lead: Lead
    contracts: tuple[Contract, ...]
    quote_id: int | None  # the accepted quote a contract would be opened from
    quote_number: str | None
    quote_total: Money | None
    may_open: bool  # from the quote (owner or manager), or without one (a manager, on the deal's amount)


async def deal_contracts(uow: UnitOfWork, *, viewer: User, opportunity_id: int) -> DealContracts:
    opportunity = await visible_opportunity(uow, viewer, opportunity_id)
    if not (sees_whole_team(viewer) or opportunity.owner_id == viewer.id):
        raise Forbidden("error-deal-not-yours")
    assert opportunity.id is not None
    lead, _team, _policy = await deal_context(uow, opportunity)
    contracts = tuple(await uow.contracts.for_deal(opportunity.id))
    accepted = next((q for q in await uow.quotes.for_deal(opportunity.id) if q.status.value == "accepted"), None)
    busy = any(c.status in OPEN for c in contracts)
    works = opportunity.is_open and (opportunity.owner_id == viewer.id or manages_team(viewer, opportunity.team_id))
    may_open = works and not busy and (accepted is not None or (
        manages_team(viewer, opportunity.team_id) and opportunity.amount is not None and opportunity.amount.minor > 0
    ))
    return DealContracts(
        opportunity=opportunity, lead=lead, contracts=contracts, quote_id=accepted.id if accepted else None,
        quote_number=accepted.number if accepted else None, quote_total=accepted.total if accepted else None,
        may_open=may_open,
    )


# --- opening, the amount, the plan -------------------------------------------------------------------------


async def open_contract(uow: UnitOfWork, *, actor: User, opportunity_id: int, now: datetime) -> Contract:
    """A draft contract on the deal: the amount is the accepted quote's total; without an accepted quote
    only a manager opens one, on the deal's amount. A deal has one open contract at a time: asking again
    returns it (a double press opens one)."""
    require(actor, Ability.WORK_DEALS, "error-contract-role")
    opportunity = await visible_opportunity(uow, actor, opportunity_id)
    if not (opportunity.owner_id == actor.id or manages_team(actor, opportunity.team_id)):
        raise Forbidden("error-deal-not-yours")
    if not opportunity.is_open:
        raise InvalidInput("error-stage-closed")
    assert opportunity.id is not None and actor.id is not None
    existing = next((c for c in await uow.contracts.for_deal(opportunity.id) if c.status in OPEN), None)
    if existing is not None:
        return existing
    _lead, team, _policy = await deal_context(uow, opportunity)
    accepted = next((q for q in await uow.quotes.for_deal(opportunity.id) if q.status.value == "accepted"), None)
    if accepted is not None:
        amount, quote_id = accepted.total, accepted.id
    elif manages_team(actor, opportunity.team_id) and opportunity.amount is not None and opportunity.amount.minor > 0:
        amount, quote_id = opportunity.amount, None
    else:
        raise InvalidInput("error-contract-needs-quote")
    today = local(now, team.timezone).date()
    year = today.year
    contract = await uow.contracts.add(Contract(
        team_id=opportunity.team_id, opportunity_id=opportunity.id, owner_id=opportunity.owner_id or actor.id,
        created_by=actor.id, year=year, seq=await uow.contracts.next_seq(opportunity.team_id, year),
        amount_minor=amount.minor, currency=amount.currency, created_at=now, updated_at=now, quote_id=quote_id,
        sign_by=rules.working_days_after(today, rules.SIGNING_WORKING_DAYS, team),
    ))
    contract.check_at = watch.half_time(now, contract.sign_by, team)
    await record(
        uow, now=now, action="contract.opened", entity="contract", entity_id=contract.id, actor_id=actor.id,
        team_id=contract.team_id,
        after={"number": contract.number, "opportunity_id": opportunity.id, "quote_id": quote_id,
               "amount_minor": contract.amount_minor, "sign_by": contract.sign_by.isoformat()},
    )
    return contract


async def change_amount(
    uow: UnitOfWork, *, actor: User, contract_id: int, amount: Money, reason: str, now: datetime
) -> Contract:
    """A manager changes an unsigned contract's amount, with a reason (audited); the plan is made again."""
    contract, _opportunity, _lead, _team = await _workable(uow, actor, contract_id)
    if not manages_team(actor, contract.team_id):
        raise Forbidden("error-contract-amount-role")
    if contract.status not in UNSIGNED:
        raise AlreadyDone("error-contract-signed-already")
    text = " ".join((reason or "").split())
    if not text or len(text) > MAX_REASON:
        raise InvalidInput("error-contract-amount-reason", max=MAX_REASON)
    if amount.minor <= 0 or amount.currency != contract.currency:
        raise InvalidInput("error-contract-amount")
    assert contract.id is not None
    before = {"amount_minor": contract.amount_minor, "plan": contract.plan}
    contract.amount_minor, contract.amount_reason, contract.plan, contract.updated_at = amount.minor, text, None, now
    await uow.contracts.clear_milestones(contract.id)
    await record(
        uow, now=now, action="contract.amount", entity="contract", entity_id=contract.id, actor_id=actor.id,
        team_id=contract.team_id, before=before, after={"amount_minor": amount.minor, "reason": text},
    )
    return contract


async def set_plan(
    uow: UnitOfWork, *, actor: User, contract_id: int, parts: Sequence[rules.Part], now: datetime,
    template: str | None = None,
) -> list[Milestone]:
    """The contract's payment plan (replacing the one before, while no money was confirmed): the
    milestones must add up to the contract's amount exactly (PlanMismatch otherwise)."""
    contract, _opportunity, _lead, team = await _workable(uow, actor, contract_id)
    if contract.status not in (ContractStatus.DRAFT, ContractStatus.SENT, ContractStatus.SIGNED) or contract.paid_minor:
        raise AlreadyDone("error-contract-plan-fixed")
    planned = rules.build_plan(contract.amount, parts)
    assert contract.id is not None
    before = [m.amount_minor for m in await uow.contracts.milestones(contract.id)]
    await uow.contracts.clear_milestones(contract.id)
    made = []
    cadence = await cadence_of(uow, contract.team_id)
    for item in planned:
        milestone = Milestone(
            contract_id=contract.id, team_id=contract.team_id, position=item.position, label=item.label,
            amount_minor=item.amount.minor, currency=item.amount.currency, due_on=item.due_on,
            percent_bp=item.percent_bp, trigger=item.trigger,
        )
        if contract.status in COLLECTING:
            milestone.remind_step, milestone.check_at = watch.first_check(milestone.due_on, now, team, cadence)
        made.append(await uow.contracts.add_milestone(milestone))
    contract.plan, contract.updated_at = template, now
    await record(
        uow, now=now, action="contract.plan", entity="contract", entity_id=contract.id, actor_id=actor.id,
        team_id=contract.team_id, before={"milestones": before},
        after={"template": template, "milestones": [m.amount_minor for m in made],
               "due": [m.due_on.isoformat() for m in made]},
    )
    return made


async def apply_template(
    uow: UnitOfWork, *, actor: User, contract_id: int, template: rules.Template | str, labels: dict[str, str],
    now: datetime,
) -> list[Milestone]:
    """A plan from one of the team's templates (by its key), its first milestone due on the signing
    deadline."""
    contract = await visible_contract(uow, actor, contract_id)
    _opportunity, _lead, team = await _context(uow, contract)
    chosen = await template_of(uow, contract.team_id, str(template.value if isinstance(template, rules.Template)
                                                            else template))
    start = max(contract.sign_by, local(now, team.timezone).date())
    parts = rules.template_parts(chosen, start, labels)
    return await set_plan(uow, actor=actor, contract_id=contract_id, parts=parts, now=now, template=chosen.key)


# --- signature -------------------------------------------------------------------------------------------


async def send_for_signature(
    uow: UnitOfWork, *, actor: User, contract_id: int, provider: SignatureProvider, now: datetime
) -> str:
    """Draft → sent for signature (the plan must be made); returns what the rep does next (a message code)."""
    contract, _opportunity, _lead, _team = await _workable(uow, actor, contract_id)
    await _need_plan(uow, contract)
    if contract.status is not ContractStatus.DRAFT:
        raise AlreadyDone("error-contract-sent-already")
    request = await provider.send(contract, now=now)
    if not await uow.contracts.move(contract, expect=(ContractStatus.DRAFT,), status=ContractStatus.SENT, sent_at=now,
                                   provider=provider.name, updated_at=now):
        raise AlreadyDone("error-contract-sent-already")
    await record(
        uow, now=now, action="contract.sent", entity="contract", entity_id=contract.id, actor_id=actor.id,
        team_id=contract.team_id, after={"number": contract.number, "provider": provider.name,
                                         "reference": request.reference},
    )
    return request.instructions


async def _need_plan(uow: UnitOfWork, contract: Contract) -> list[Milestone]:
    assert contract.id is not None
    milestones = list(await uow.contracts.milestones(contract.id))
    if not milestones:
        raise InvalidInput("error-contract-no-plan")
    return milestones


async def record_signature(uow: UnitOfWork, *, actor: User, event: SignatureEvent, now: datetime) -> Contract:
    """The signed document is on file (by Telegram file id and sha256): the contract is signed, the plan's
    reminders start, the signing watch stops, and the deal moves to the payment stage."""
    if event.contract_id is None:
        raise NotFound("error-contract-not-found")
    contract, opportunity, _lead, team = await _workable(uow, actor, event.contract_id)
    await _sign(uow, contract, opportunity, team, event, actor, now)
    return contract


@dataclass(frozen=True)
class ProviderSigned:
    contract: Contract
    recorded: bool  # False: it was signed already (a repeated callback changes nothing)


async def record_provider_signature(
    uow: UnitOfWork, *, team_id: int, event: SignatureEvent, now: datetime
) -> ProviderSigned:
    """An e-signature provider's callback says the team's contract was signed (bot/web.py checked that it
    comes from the provider): recorded as a scan in chat is, by nobody in chat; the deal moves on in its
    owner's name and the owner is told. A contract signed already is left as it is (a provider repeats
    its callbacks); one of another team is not found."""
    number = parse_number(event.number or "")
    contract = await uow.contracts.by_number(team_id, *number) if number else None
    if contract is None:
        raise NotFound("error-contract-not-found")
    if contract.status not in UNSIGNED:
        if contract.status is ContractStatus.CANCELLED:
            raise AlreadyDone("error-contract-final")
        return ProviderSigned(contract, recorded=False)
    opportunity, lead, team = await _context(uow, contract)
    # The deal moves on in its current owner's name (the contract's owner may have handed it over).
    owner = await uow.users.get(opportunity.owner_id) if opportunity.owner_id is not None else None
    mover = owner if owner is not None and owner.active and owner.team_id == contract.team_id else None
    try:
        await _sign(uow, contract, opportunity, team, event, mover, now, by_provider=True)
    except AlreadyDone:
        if contract.status is ContractStatus.CANCELLED:
            raise
        return ProviderSigned(contract, recorded=False)  # the same callback, a moment ago
    assert contract.id is not None
    await tell_user(uow, contract.owner_id, Notice(
        Kind.CONTRACT_SIGNED_REMOTE, about=contract.id,
        params={"number": contract.number, "company": lead.company, "provider": event.provider},
        actions=((Action(ACTION_OPEN, contract.id),),),
    ), team_id=contract.team_id, now=now)
    return ProviderSigned(contract, recorded=True)


async def _sign(
    uow: UnitOfWork, contract: Contract, opportunity: Opportunity, team: Team, event: SignatureEvent,
    actor: User | None, now: datetime, *, by_provider: bool = False,
) -> None:
    milestones = await _need_plan(uow, contract)
    if contract.status not in UNSIGNED:
        raise AlreadyDone("error-contract-signed-already")
    signed_at = min(event.signed_at, now) if event.signed_at is not None else now
    if not await uow.contracts.move(
        contract, expect=UNSIGNED, status=ContractStatus.SIGNED, signed_at=signed_at,
        signed_by=None if by_provider or actor is None else actor.id,
        document_file_id=event.file_id, document_hash=event.file_hash,
        document_name=(event.file_name or "")[:MAX_FILE_NAME] or None, provider=event.provider, check_at=None,
        signature_ref=event.reference, document_url=event.document_url, updated_at=now,
    ):
        raise AlreadyDone("error-contract-signed-already")
    cadence = await cadence_of(uow, contract.team_id)
    for milestone in milestones:
        milestone.remind_step, milestone.check_at = watch.first_check(milestone.due_on, now, team, cadence)
    await record(
        uow, now=now, action="contract.signed", entity="contract", entity_id=contract.id,
        actor_id=None if by_provider or actor is None else actor.id,
        team_id=contract.team_id, before={"status": "sent" if contract.sent_at else "draft"},
        after={"number": contract.number, "status": "signed", "opportunity_id": contract.opportunity_id,
               "amount_minor": contract.amount_minor, "currency": contract.currency, "provider": event.provider,
               "document_hash": event.file_hash, "reference": event.reference,
               "milestones": [{"amount_minor": m.amount_minor, "due_on": m.due_on.isoformat()} for m in milestones]},
    )
    await moved_on(uow, Subject.CONTRACT, contract.id, why="contract.signed", now=now)
    if opportunity.stage is Stage.CONTRACT and actor is not None:
        assert opportunity.id is not None
        try:
            await change_stage(uow, actor=actor, opportunity_id=opportunity.id, to=Stage.PAYMENT, now=now)
        except DomainError:
            if not by_provider:
                raise
            # A callback signs the contract whatever the deal's state; the deal's people move it on.


async def cancel_contract(uow: UnitOfWork, *, actor: User, contract_id: int, reason: str, now: datetime) -> Contract:
    """A manager cancels a contract no money was confirmed on (audited); the watches stop."""
    contract, _opportunity, _lead, _team = await _workable(uow, actor, contract_id)
    if not manages_team(actor, contract.team_id):
        raise Forbidden("error-contract-cancel-role")
    text = " ".join((reason or "").split())
    if not text or len(text) > MAX_REASON:
        raise InvalidInput("error-contract-cancel-reason", max=MAX_REASON)
    if contract.paid_minor:
        raise InvalidInput("error-contract-has-money")
    if not await uow.contracts.move(contract, expect=OPEN, status=ContractStatus.CANCELLED, cancelled_reason=text,
                                   check_at=None, updated_at=now):
        raise AlreadyDone("error-contract-final")
    assert contract.id is not None
    for milestone in await uow.contracts.milestones(contract.id):
        milestone.check_at = None
        await moved_on(uow, Subject.MILESTONE, milestone.id, why="contract.cancelled", now=now)
    await moved_on(uow, Subject.CONTRACT, contract.id, why="contract.cancelled", now=now)
    await record(
        uow, now=now, action="contract.cancelled", entity="contract", entity_id=contract.id, actor_id=actor.id,
        team_id=contract.team_id, after={"number": contract.number, "reason": text},
    )
    return contract


# --- payments --------------------------------------------------------------------------------------------


def check_paid_on(paid_on: date, now: datetime, team: Team) -> date:
    today = local(now, team.timezone).date()
    if paid_on > today or paid_on < today - timedelta(days=366):
        raise InvalidInput("error-payment-date")
    return paid_on


async def finance_of(uow: UnitOfWork, team_id: int) -> list[User]:
    """Who confirms the team's payments: its finance people, else the admins of the team."""
    people = [u for u in await uow.users.with_role(team_id, Role.FINANCE.value) if u.active]
    if people:
        return people
    return [a for a in await uow.users.admins() if a.team_id == team_id and a.active]


def method_phrase(method: PaymentMethod) -> Phrase:
    return Phrase(f"payment-method-{method.value}")


async def report_payment(
    uow: UnitOfWork, *, actor: User, contract_id: int, milestone_id: int, amount: Money, paid_on: date,
    method: PaymentMethod, receipt_file_id: str | None, receipt_kind: str | None, now: datetime,
) -> Payment:
    """The rep says money came in, with the receipt: finance gets a card to confirm it. Nothing is
    settled until finance confirms."""
    contract, _opportunity, lead, team = await _workable(uow, actor, contract_id)
    if contract.status not in COLLECTING:
        raise InvalidInput("error-payment-not-collecting")
    milestone = await _milestone_of(uow, contract, milestone_id)
    if amount.minor <= 0 or amount.currency != contract.currency:
        raise InvalidInput("error-payment-amount")
    if not receipt_file_id:
        raise InvalidInput("error-payment-receipt")
    check_paid_on(paid_on, now, team)
    assert contract.id is not None and actor.id is not None
    payment = await uow.contracts.add_payment(Payment(
        contract_id=contract.id, team_id=contract.team_id, milestone_id=milestone.id, amount_minor=amount.minor,
        currency=amount.currency, paid_on=paid_on, method=method, reported_by=actor.id, reported_at=now,
        receipt_file_id=receipt_file_id, receipt_kind=receipt_kind,
    ))
    await record(
        uow, now=now, action="payment.reported", entity="payment", entity_id=payment.id, actor_id=actor.id,
        team_id=contract.team_id,
        after={"contract": contract.number, "milestone": milestone.position, "amount_minor": amount.minor,
               "paid_on": paid_on.isoformat(), "method": method.value},
    )
    assert payment.id is not None
    notice = Notice(
        Kind.PAYMENT_CARD, about=payment.id,
        params={"number": contract.number, "company": lead.company, "rep": actor.name, "amount": money_text(amount),
                "milestone": f"{milestone.position}. {milestone.label}", "paid_on": paid_on.isoformat(),
                "method": method_phrase(method), "outstanding": money_text(contract.outstanding),
                "receipt": Phrase("payment-receipt-attached")},
        actions=((Action(ACTION_CONFIRM, payment.id), Action(ACTION_REJECT, payment.id)),
                 (Action(ACTION_DIFFERS, payment.id), Action(ACTION_RECEIPT, payment.id))),
    )
    for person in await finance_of(uow, contract.team_id):
        assert person.id is not None
        if person.id != actor.id:
            await tell_user(uow, person.id, notice, team_id=contract.team_id, now=now)
    return payment


async def _milestone_of(uow: UnitOfWork, contract: Contract, milestone_id: int) -> Milestone:
    milestone = await uow.contracts.get_milestone(milestone_id)
    if milestone is None or milestone.contract_id != contract.id:
        raise NotFound("error-milestone-not-found")
    if milestone.settled:
        raise AlreadyDone("error-milestone-paid")
    return milestone


async def _deciding(uow: UnitOfWork, actor: User, payment_id: int) -> tuple[Payment, Contract]:
    payment = await uow.contracts.get_payment(payment_id)
    if payment is None:
        raise NotFound("error-payment-not-found")
    if not actor.active or (actor.team_id != payment.team_id and actor.role is not Role.ADMIN):
        raise Forbidden("error-other-team")
    if not may_confirm(actor, payment.team_id):
        raise Forbidden("error-payment-confirm-role")
    if payment.state is not PaymentState.REPORTED:
        raise AlreadyDone("error-payment-decided")
    contract = await uow.contracts.get(payment.contract_id)
    if contract is None:
        raise NotFound("error-contract-not-found")
    return payment, contract


@dataclass(frozen=True)
class Settled:
    payment: Payment
    contract: Contract
    completed: bool  # this payment paid the contract in full
    over: Money  # beyond the contract's amount


async def confirm_payment(
    uow: UnitOfWork, *, actor: User, payment_id: int, now: datetime, amount: Money | None = None
) -> Settled:
    """Finance confirms a reported payment, at the amount reported or (amount differs) at the amount that
    really came in. Once: a second press, or a press after a rejection, is AlreadyDone."""
    payment, contract = await _deciding(uow, actor, payment_id)
    confirmed = amount if amount is not None else payment.amount
    if confirmed.minor <= 0 or confirmed.currency != payment.currency:
        raise InvalidInput("error-payment-amount")
    if not await uow.contracts.decide_payment(
        payment, expect=PaymentState.REPORTED, state=PaymentState.CONFIRMED, confirmed_minor=confirmed.minor,
        decided_by=actor.id, decided_at=now,
    ):
        raise AlreadyDone("error-payment-decided")
    return await _settle_and_tell(uow, actor, payment, contract, now, reported=True)


async def record_payment(
    uow: UnitOfWork, *, actor: User, contract_id: int, amount: Money, paid_on: date, method: PaymentMethod,
    now: datetime, milestone_id: int | None = None,
) -> Settled:
    """Finance records money seen on the bank statement directly: confirmed at once; the rep is told."""
    contract = await visible_contract(uow, actor, contract_id)
    if not may_confirm(actor, contract.team_id):
        raise Forbidden("error-payment-confirm-role")
    if contract.status not in COLLECTING:
        raise InvalidInput("error-payment-not-collecting")
    _opportunity, _lead, team = await _context(uow, contract)
    if amount.minor <= 0 or amount.currency != contract.currency:
        raise InvalidInput("error-payment-amount")
    check_paid_on(paid_on, now, team)
    if milestone_id is not None:
        await _milestone_of(uow, contract, milestone_id)
    assert contract.id is not None and actor.id is not None
    payment = await uow.contracts.add_payment(Payment(
        contract_id=contract.id, team_id=contract.team_id, milestone_id=milestone_id, amount_minor=amount.minor,
        currency=amount.currency, paid_on=paid_on, method=method, reported_by=actor.id, reported_at=now,
        state=PaymentState.CONFIRMED, confirmed_minor=amount.minor, decided_by=actor.id, decided_at=now,
    ))
    return await _settle_and_tell(uow, actor, payment, contract, now, reported=False)


async def _settle_and_tell(
    uow: UnitOfWork, actor: User, payment: Payment, contract: Contract, now: datetime, *, reported: bool
) -> Settled:
    assert contract.id is not None and payment.id is not None
    opportunity, lead, _team = await _context(uow, contract)
    before = {"state": "reported" if reported else None, "paid_minor": contract.paid_minor,
              "status": contract.status.value}
    over = await settle(uow, contract, now)
    completed = contract.status is ContractStatus.COMPLETED and before["status"] != ContractStatus.COMPLETED.value
    await record(
        uow, now=now, action="payment.confirmed", entity="payment", entity_id=payment.id, actor_id=actor.id,
        team_id=contract.team_id, before=before,
        after={"state": "confirmed", "contract": contract.number, "contract_id": contract.id,
               "amount_minor": payment.settled_amount.minor, "reported_minor": payment.amount_minor,
               "currency": payment.currency, "paid_on": payment.paid_on.isoformat(), "method": payment.method.value,
               "paid_minor": contract.paid_minor, "outstanding_minor": contract.outstanding.minor,
               "status": contract.status.value},
    )
    await moved_on(uow, Subject.PAYMENT, payment.id, why="payment.confirmed", now=now)
    notice = Notice(
        Kind.PAYMENT_CONFIRMED, about=payment.id,
        params={"number": contract.number, "company": lead.company, "amount": money_text(payment.settled_amount),
                "by": actor.name, "outstanding": money_text(contract.outstanding)},
        actions=((Action(ACTION_OPEN, contract.id),),),
    )
    told = {actor.id}
    for person_id in (payment.reported_by, contract.owner_id):
        if person_id not in told:
            told.add(person_id)
            await tell_user(uow, person_id, notice, team_id=contract.team_id, now=now)
    await tell_managers(uow, contract.team_id, notice, now=now, exclude=tuple(told))
    if over.minor > 0:
        for person in await finance_of(uow, contract.team_id):
            assert person.id is not None
            await tell_user(uow, person.id, Notice(
                Kind.PAYMENT_OVERPAID, about=payment.id,
                params={"number": contract.number, "company": lead.company, "over": money_text(over)},
                actions=((Action(ACTION_OPEN, contract.id),),),
            ), team_id=contract.team_id, now=now)
    if completed and opportunity.stage is Stage.PAYMENT:
        assert opportunity.id is not None
        await change_stage(uow, actor=actor, opportunity_id=opportunity.id, to=Stage.DELIVERY, now=now)
    return Settled(payment=payment, contract=contract, completed=completed, over=over)


async def settle(uow: UnitOfWork, contract: Contract, now: datetime) -> Money:
    """Confirmed money on the milestones in plan order; the contract's paid total and status follow.
    Returns the overpayment (money beyond the whole contract)."""
    assert contract.id is not None
    await uow.contracts.lock(contract.id)  # then every confirmed payment, also one confirmed a moment ago
    milestones = list(await uow.contracts.milestones(contract.id))
    confirmed = sum((p.settled_amount.minor for p in await uow.contracts.payments(contract.id)), 0)
    settlement = rules.allocate([m.amount for m in milestones], Money(confirmed, contract.currency))
    for milestone, paid in zip(milestones, settlement.paid, strict=True):
        was_settled = milestone.settled
        milestone.paid_minor = paid.minor
        if milestone.settled and not was_settled:
            milestone.paid_at, milestone.check_at = now, None
            await moved_on(uow, Subject.MILESTONE, milestone.id, why="milestone.paid", now=now)
    contract.paid_minor, contract.updated_at = confirmed, now
    status = contract.status
    if confirmed >= contract.amount_minor and milestones:
        status = ContractStatus.COMPLETED
    elif confirmed > 0 and status is ContractStatus.SIGNED:
        status = ContractStatus.ACTIVE
    if status is not contract.status:
        contract.status = status
    return settlement.over


async def reject_payment(uow: UnitOfWork, *, actor: User, payment_id: int, reason: str, now: datetime) -> Payment:
    """Finance says the money is not there (why): the rep is told; nothing is settled."""
    text = " ".join((reason or "").split())
    if not text or len(text) > MAX_REASON:
        raise InvalidInput("error-payment-reject-reason", max=MAX_REASON)
    payment, contract = await _deciding(uow, actor, payment_id)
    if not await uow.contracts.decide_payment(
        payment, expect=PaymentState.REPORTED, state=PaymentState.REJECTED, reject_reason=text, decided_by=actor.id,
        decided_at=now,
    ):
        raise AlreadyDone("error-payment-decided")
    _opportunity, lead, _team = await _context(uow, contract)
    await record(
        uow, now=now, action="payment.rejected", entity="payment", entity_id=payment.id, actor_id=actor.id,
        team_id=contract.team_id, before={"state": "reported"}, after={"state": "rejected", "reason": text},
    )
    await moved_on(uow, Subject.PAYMENT, payment.id, why="payment.rejected", now=now)
    assert contract.id is not None and payment.id is not None
    await tell_user(uow, payment.reported_by, Notice(
        Kind.PAYMENT_REJECTED, about=payment.id,
        params={"number": contract.number, "company": lead.company, "amount": money_text(payment.amount), "by": actor.name,
                "reason": text},
        actions=((Action(ACTION_OPEN, contract.id),),),
    ), team_id=contract.team_id, now=now)
    return payment


async def payment_for(uow: UnitOfWork, *, actor: User, payment_id: int) -> tuple[Payment, Contract]:
    """A payment finance is about to decide (for the reason / amount prompts), checked like the decision."""
    return await _deciding(uow, actor, payment_id)


async def receipt_of(uow: UnitOfWork, *, viewer: User, payment_id: int) -> Payment:
    payment = await uow.contracts.get_payment(payment_id)
    if payment is None:
        raise NotFound("error-payment-not-found")
    await visible_contract(uow, viewer, payment.contract_id)
    if not payment.receipt_file_id:
        raise NotFound("error-payment-no-receipt")
    return payment


# --- what delivery releases ------------------------------------------------------------------------------


async def release_on_acceptance(uow: UnitOfWork, *, opportunity: Opportunity, now: datetime,
                                actor_id: int | None = None) -> list[Milestone]:
    """The customer signed the acceptance (验收, domain/delivery/signoff.py): each open milestone that waits
    for it ("10% 验收后") falls due today, so its reminder goes out now and receivables show it due; the
    rest of the plan keeps its dates. Returns the milestones released."""
    assert opportunity.id is not None
    team = await uow.teams.get(opportunity.team_id)
    if team is None:
        return []
    today = local(now, team.timezone).date()
    released = []
    for contract in await uow.contracts.for_deal(opportunity.id):
        if contract.status not in COLLECTING:
            continue
        assert contract.id is not None
        for milestone in await uow.contracts.milestones(contract.id):
            if milestone.trigger != rules.ACCEPTANCE or milestone.paid_minor >= milestone.amount_minor:
                continue
            if milestone.due_on <= today:
                continue  # due already: its reminders run as they are
            before = milestone.due_on.isoformat()
            milestone.due_on = today
            milestone.remind_step, milestone.check_at = watch.first_check(
                today, now, team, await cadence_of(uow, contract.team_id))
            released.append(milestone)
            await record(
                uow, now=now, action="milestone.released", entity="contract", entity_id=contract.id,
                actor_id=actor_id, team_id=contract.team_id,
                after={"milestone": milestone.position, "due_on": today.isoformat(), "was": before,
                       "why": "delivery.accepted"},
            )
    return released
