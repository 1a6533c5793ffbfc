"""Ports of the contracts feature: what its services need from storage, and the e-signature port."""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from domain.contracts.model import (
    Contract,
    ContractStatus,
    Milestone,
    Payment,
    PaymentLine,
    PaymentPolicy,
    PaymentState,
    ReceivableLine,
)


class ContractRepo(Protocol):
    async def add(self, contract: Contract) -> Contract: ...
    async def get(self, contract_id: int) -> Contract | None: ...
    async def next_seq(self, team_id: int, year: int) -> int:
        """The next contract number of the team in `year` (locked against a concurrent one on PostgreSQL)."""
        ...
    async def for_deal(self, opportunity_id: int) -> Sequence[Contract]:
        """The deal's contracts, newest first."""
        ...
    async def lock(self, contract_id: int) -> None:
        """Hold the contract's row until the commit (PostgreSQL): two confirmations settle one after the other."""
        ...
    async def move(self, contract: Contract, *, expect: Collection[ContractStatus], **changes: object) -> bool:
        """Set `changes` if the contract is still in one of `expect`; False when it moved first."""
        ...
    async def by_number(self, team_id: int, year: int, seq: int) -> Contract | None:
        """The team's contract HT-<year>-<seq>."""
        ...
    async def signing_due(self, now: datetime, limit: int, skip: Collection[int] = ()) -> Sequence[Contract]:
        """Unsigned contracts whose signing check is due (locked on PostgreSQL)."""
        ...

    # the plan
    async def add_milestone(self, milestone: Milestone) -> Milestone: ...
    async def milestones(self, contract_id: int) -> Sequence[Milestone]:
        """In plan order."""
        ...
    async def clear_milestones(self, contract_id: int) -> None: ...
    async def get_milestone(self, milestone_id: int) -> Milestone | None: ...
    async def open_milestones(self, team_id: int) -> Sequence[Milestone]:
        """Open milestones of the team's collecting contracts (their reminders follow the team's cadence)."""
        ...
    async def milestones_due(self, now: datetime, limit: int, skip: Collection[int] = ()) -> Sequence[Milestone]:
        """Open milestones of collecting contracts whose reminder is due (locked on PostgreSQL)."""
        ...

    # payments
    async def add_payment(self, payment: Payment) -> Payment: ...
    async def get_payment(self, payment_id: int) -> Payment | None: ...
    async def payments(self, contract_id: int) -> Sequence[Payment]:
        """Oldest first."""
        ...
    async def decide_payment(self, payment: Payment, *, expect: PaymentState, **changes: object) -> bool:
        """Set `changes` if the payment is still in `expect` (a double press decides once)."""
        ...
    async def waiting_payments(self, team_id: int | None) -> Sequence[Payment]:
        """Reported payments not yet decided (None: every team), oldest first."""
        ...

    # receivables
    async def receivables(self, team_id: int | None, owner_id: int | None) -> Sequence[ReceivableLine]:
        """Open milestones of signed or active contracts (of one owner, when given), by due date."""
        ...
    async def payment_lines(self, team_id: int | None, owner_id: int | None, limit: int) -> Sequence[PaymentLine]:
        """Payments, newest first."""
        ...


    # the team's payment policy
    async def policy(self, team_id: int) -> PaymentPolicy:
        """The team's templates and cadence (a new, unsaved one with the built-ins when it has none)."""
        ...
    async def save_policy(self, policy: PaymentPolicy) -> PaymentPolicy: ...


# --- e-signature ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class SignatureRequest:
    """What a provider did when asked to get a contract signed."""

    provider: str
    reference: str | None  # the provider's id of the envelope; None for the in-chat provider
    instructions: str  # a message code: what the rep does next


@dataclass(frozen=True)
class SignatureEvent:
    """A provider's word that a contract was signed: the signed file as the chat holds it (in-chat), or
    the contract's number, the envelope and where the provider keeps the signed document (a callback)."""

    provider: str
    contract_id: int | None
    file_id: str | None
    file_hash: str
    file_name: str | None = None
    number: str | None = None  # HT-2026-0001: how a callback names the contract (within its team)
    reference: str | None = None  # the provider's envelope id
    document_url: str | None = None
    signed_at: datetime | None = None  # when the provider says the last party signed


class SignatureProvider(Protocol):
    """An e-signature service. `send` starts the signing (an envelope at the provider, or nothing to do
    for the in-chat provider); `signed` reads the provider's status callback into a SignatureEvent (None
    when it says anything else). The services record the event the same way whoever sent it."""

    name: str

    async def send(self, contract: Contract, *, now: datetime) -> SignatureRequest: ...

    def signed(self, callback: dict[str, object]) -> SignatureEvent | None: ...


class CallbackProvider(SignatureProvider, Protocol):
    """A provider that tells us by an HTTP callback (POST /api/v1/esign/<name>/<team id>, bot/web.py):
    `verify` checks that the request really comes from it (its signature over the raw body with the
    secret the operator configured, recent enough); `signed` then reads it (InvalidInput naming the field
    for a malformed one; None for a status other than signed)."""

    def verify(self, headers: Mapping[str, str], body: bytes, secret: str, now: datetime) -> bool: ...
