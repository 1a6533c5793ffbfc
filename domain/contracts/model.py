"""Contracts (合同), their payment plans (回款计划: milestones) and the payments that settle them.

A contract's amount comes from the deal's accepted quote; its plan is a list of milestones whose amounts
add up to the contract's amount exactly (domain/contracts/plan.py refuses anything else). Payments are
reported by the rep and confirmed by finance (two steps); only confirmed payments settle milestones, in
milestone order (domain/contracts/plan.py `allocate`)."""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import date, datetime
from typing import Final

from domain.money import DEFAULT_CURRENCY, Money


class ContractStatus(enum.StrEnum):
    DRAFT = "draft"
    SENT = "sent"  # sent for signature
    SIGNED = "signed"  # the signed document is on file; no money yet
    ACTIVE = "active"  # money is coming in
    COMPLETED = "completed"  # fully paid
    CANCELLED = "cancelled"


C = ContractStatus
TRANSITIONS: Final[dict[ContractStatus, frozenset[ContractStatus]]] = {
    C.DRAFT: frozenset({C.SENT, C.SIGNED, C.CANCELLED}),
    C.SENT: frozenset({C.SIGNED, C.CANCELLED}),
    C.SIGNED: frozenset({C.ACTIVE, C.COMPLETED, C.CANCELLED}),
    C.ACTIVE: frozenset({C.COMPLETED, C.CANCELLED}),
    C.COMPLETED: frozenset(),
    C.CANCELLED: frozenset(),
}
UNSIGNED: Final = frozenset({C.DRAFT, C.SENT})  # the signing deadline is watched
COLLECTING: Final = frozenset({C.SIGNED, C.ACTIVE})  # payments are reported, confirmed and reminded of
OPEN: Final = frozenset({C.DRAFT, C.SENT, C.SIGNED, C.ACTIVE})


def may_move(frm: ContractStatus, to: ContractStatus) -> bool:
    return to in TRANSITIONS[frm]


def contract_number(year: int, seq: int) -> str:
    return f"HT-{year}-{seq:04d}"


@dataclass(eq=False)
class Contract:
    team_id: int
    opportunity_id: int
    owner_id: int  # the deal's owner when opened: the signing deadline's and the reminders' person
    created_by: int
    year: int
    seq: int
    amount_minor: int
    created_at: datetime
    sign_by: date  # the signing deadline (the team's local day, inclusive)
    currency: str = DEFAULT_CURRENCY
    quote_id: int | None = None
    status: ContractStatus = ContractStatus.DRAFT
    plan: str | None = None  # the template the plan came from (domain/contracts/plan.py Template)
    amount_reason: str | None = None  # why a manager changed the amount from the quote's
    sent_at: datetime | None = None
    signed_at: datetime | None = None
    signed_by: int | None = None
    document_file_id: str | None = None  # the signed scan, by Telegram file id
    document_hash: str | None = None  # sha256 of its bytes
    document_name: str | None = None
    provider: str = "chat"  # the SignatureProvider that recorded the signature
    signature_ref: str | None = None  # the provider's id of the envelope (an e-signature callback's)
    document_url: str | None = None  # where the provider keeps the signed document (a callback's)
    cancelled_reason: str | None = None
    paid_minor: int = 0  # confirmed payments, all of them (an overpayment included)
    # The signing watch (domain/contracts/sweeps.py): when it looks next, and what it said already
    # (0 nothing, 1 the owner was nudged at half the time, 2 the deadline passed).
    check_at: datetime | None = None
    sign_stage: int = 0
    updated_at: datetime | None = None
    id: int | None = None

    @property
    def number(self) -> str:
        return contract_number(self.year, self.seq)

    @property
    def amount(self) -> Money:
        return Money(self.amount_minor, self.currency)

    @property
    def paid(self) -> Money:
        return Money(self.paid_minor, self.currency)

    @property
    def outstanding(self) -> Money:
        return Money(max(0, self.amount_minor - self.paid_minor), self.currency)

    @property
    def overpaid(self) -> Money:
        return Money(max(0, self.paid_minor - self.amount_minor), self.currency)


@dataclass(eq=False)
class Milestone:
    """One step of a payment plan: an amount due on a day, on a condition ("签约后 30%")."""

    contract_id: int
    team_id: int
    position: int  # 1, 2, 3: settlement order
    label: str  # the condition, as the plan says it
    amount_minor: int
    due_on: date
    currency: str = DEFAULT_CURRENCY
    percent_bp: int | None = None  # when it was given as a share of the contract (30% = 3000)
    paid_minor: int = 0  # settled by confirmed payments, at most amount_minor
    paid_at: datetime | None = None  # when it was settled in full
    # The reminder cadence (domain/contracts/reminders.py): the next step of the cadence and when it falls.
    remind_step: int = 0
    check_at: datetime | None = None
    # What the milestone waits for, when a template says it: "signing", "delivery", "acceptance" (the
    # acceptance sign-off, 验收, releases it: domain/delivery/signoff.py on_acceptance_signed).
    trigger: str | None = None
    id: int | None = None

    @property
    def amount(self) -> Money:
        return Money(self.amount_minor, self.currency)

    @property
    def outstanding(self) -> Money:
        return Money(self.amount_minor - self.paid_minor, self.currency)

    @property
    def settled(self) -> bool:
        return self.paid_minor >= self.amount_minor


class PaymentState(enum.StrEnum):
    REPORTED = "reported"  # the rep says it came in; finance has not confirmed yet
    CONFIRMED = "confirmed"
    REJECTED = "rejected"


class PaymentMethod(enum.StrEnum):
    BANK = "bank"  # 银行转账
    ACCEPTANCE = "acceptance"  # 承兑汇票
    ALIPAY = "alipay"
    WECHAT = "wechat"
    CASH = "cash"
    OTHER = "other"


@dataclass(eq=False)
class Payment:
    contract_id: int
    team_id: int
    amount_minor: int  # what was reported (or recorded by finance)
    paid_on: date
    method: PaymentMethod
    reported_by: int
    reported_at: datetime
    currency: str = DEFAULT_CURRENCY
    milestone_id: int | None = None  # the milestone the rep said it is for (settlement goes in plan order)
    receipt_file_id: str | None = None  # a photo or PDF of the bank slip
    receipt_kind: str | None = None  # "photo" or "document"
    state: PaymentState = PaymentState.REPORTED
    confirmed_minor: int | None = None  # what finance confirmed ("amount differs": not what was reported)
    decided_by: int | None = None
    decided_at: datetime | None = None
    reject_reason: str | None = None
    id: int | None = None

    @property
    def amount(self) -> Money:
        return Money(self.amount_minor, self.currency)

    @property
    def settled_amount(self) -> Money:
        """What counts towards the plan: the confirmed amount, nothing until confirmed."""
        if self.state is not PaymentState.CONFIRMED:
            return Money(0, self.currency)
        return Money(self.confirmed_minor if self.confirmed_minor is not None else self.amount_minor, self.currency)


@dataclass(eq=False)
class PaymentPolicy:
    """A team's payment settings: its plan templates (None: the built-in ones, domain/contracts/plan.py
    BUILT_IN) and its reminder cadence in days from the due date (None: domain/contracts/watch.py CADENCE).
    Templates are stored as plain dicts (plan.template_to_dict) and read back with plan.template_from_dict."""

    team_id: int
    templates: list[dict[str, object]] | None = None
    cadence: list[int] | None = None
    id: int | None = None


# --- read models -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ReceivableLine:
    """One open milestone as /receivables counts it."""

    contract_id: int
    number: str
    company: str
    owner_id: int
    owner_name: str
    position: int
    label: str
    due_on: date
    outstanding: Money


@dataclass(frozen=True)
class PaymentLine:
    """One payment as the XLSX export lists it."""

    number: str
    company: str
    amount: Money
    paid_on: date
    method: PaymentMethod
    state: PaymentState
    reported_by: str
    confirmed: Money | None
