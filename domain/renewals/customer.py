"""The customer card (客户卡片): everything about one customer in one place — their deals, quotes, service
tickets and satisfaction scores, and the money: its contracts with what was paid, what is outstanding and
the next milestone due — as the viewer may see it (a rep: their own deals and tickets; a manager
or finance: the team's). Found by /customer <words> the way /find finds a deal."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from domain.errors import NotFound
from domain.followup import search
from domain.permissions import sees_whole_team
from domain.ports import UnitOfWork
from domain.renewals.model import CustomerContract, CustomerDeal, CustomerQuote
from domain.team.model import User
from domain.tickets.model import Survey, Ticket, TicketQuery
from domain.tickets.services import may_see


@dataclass(frozen=True)
class CustomerCard:
    company: str
    deals: Sequence[CustomerDeal]
    quotes: Sequence[CustomerQuote]
    tickets: Sequence[Ticket]
    surveys: Sequence[Survey]
    owners: dict[int, str]
    contracts: Sequence[CustomerContract] = ()

    @property
    def average(self) -> float | None:
        scores = [s.score for s in self.surveys if s.score is not None]
        return sum(scores) / len(scores) if scores else None


async def customer_card(uow: UnitOfWork, *, viewer: User, query: str) -> CustomerCard:
    hits = await search.search(uow, viewer=viewer, query=query, limit=1)
    if not hits:
        raise NotFound("error-customer-none")
    deal = await uow.opportunities.get(hits[0].opportunity_id)
    lead = await uow.leads.get(deal.lead_id) if deal else None
    if deal is None or lead is None:
        raise NotFound("error-customer-none")
    whole = sees_whole_team(viewer)
    deals = [d for d in await uow.customers.deals_of(deal.team_id, lead.company_key) if whole or d.owner_id == viewer.id]
    quotes = await uow.customers.quotes_of(deal.team_id, [d.id for d in deals])
    contracts = await uow.customers.contracts_of(deal.team_id, [d.id for d in deals])
    tickets = [t for t in await uow.tickets.find(
        TicketQuery(team_id=deal.team_id, owner_id=None, company_key=lead.company_key), deal.created_at, 20,
    ) if may_see(viewer, t) or t.opportunity_id in {d.id for d in deals}]
    surveys = await uow.tickets.surveys_for(deal.team_id, company_key=lead.company_key, limit=10)
    if not whole:
        seen = {t.id for t in tickets}
        surveys = [s for s in surveys if s.ticket_id in seen or s.opportunity_id in {d.id for d in deals}]
    owners: dict[int, str] = {}
    for person_id in {d.owner_id for d in deals if d.owner_id} | {t.owner_id for t in tickets}:
        person = await uow.users.get(person_id)
        owners[person_id] = person.name if person else "—"
    return CustomerCard(lead.company, deals, quotes, tickets, surveys, owners, contracts)
