"""Building a quote (报价单) on a deal: start it (empty, from a template or from one of the customer's
earlier quotes), add catalog lines and free lines, quantities and discounts, tick the needs it covers,
revise it as a new version, save it as a template; and what a quote looks like with its totals, margin,
approval route and each line's price history.

A draft is edited in place by its owner (or a manager of its team); anything else is refused as
AlreadyDone, so a press on an old screen changes nothing. Every change re-prices the quote and keeps its
total and each line's net (price history reads them)."""

from __future__ import annotations

import statistics
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import Any, Final

from domain.audit import record
from domain.deals.access import deal_context, visible_opportunity
from domain.deals.model import Opportunity
from domain.errors import AlreadyDone, Forbidden, InvalidInput, NotFound
from domain.leads.model import Lead
from domain.money import Money
from domain.permissions import Ability, can, in_team, manages_team, require, sees_whole_team
from domain.ports import UnitOfWork
from domain.quotes import catalog
from domain.quotes.approval import Route, may_decide, route
from domain.quotes.model import (
    LIVE,
    ApprovalStep,
    Level,
    PriceHistory,
    Product,
    Quote,
    QuoteLine,
    QuotePolicy,
    QuoteStatus,
    QuoteSummary,
    QuoteTemplate,
)
from domain.quotes.pricing import LineInput, Totals, price
from domain.team.model import Team, User
from domain.team.people import name_of
from domain.worktime import at_local, is_working_day, local

MAX_LINES: Final = 30
MAX_NEEDS: Final = 10
MAX_REASON: Final = 300
MAX_TEMPLATE_NAME: Final = 64
HISTORY_DAYS: Final = 90
LAST_PRICES: Final = 3
NUDGE_WORKING_DAYS: Final = 2  # the owner hears this many working days before a quote expires


# --- reading --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class QuoteView:
    """A quote as its screens and documents show it."""

    quote: Quote
    lines: tuple[QuoteLine, ...]
    totals: Totals
    list_totals: Totals  # the same lines at list prices: the margin before any discount
    route: Route
    opportunity: Opportunity
    lead: Lead
    team: Team
    owner_name: str
    history: dict[int, PriceHistory]  # line id -> its product's price history
    steps: tuple[ApprovalStep, ...]
    policy: QuotePolicy
    names_en: dict[int, str] = field(default_factory=dict)  # line id -> its product's English name

    @property
    def editable(self) -> bool:
        return self.quote.status is QuoteStatus.DRAFT and self.quote.current

    def line_name(self, line: QuoteLine, language: str | None) -> str:
        """A line's name in the reader's language: an English reader gets the product's English name when
        it has one; everyone else (and a free line) the name on the line, the Chinese one."""
        if language == "en" and line.id is not None and line.id in self.names_en:
            return self.names_en[line.id]
        return line.name


async def line_label(uow: UnitOfWork, line: QuoteLine, language: str | None) -> str:
    """One line's name in the reader's language (as QuoteView.line_name, for a screen without the view)."""
    if language == "en" and line.product_id is not None:
        product = await uow.products.get(line.product_id)
        if product is not None and product.name_en:
            return product.name_en
    return line.name


def line_input(line: QuoteLine, currency: str) -> LineInput:
    return LineInput(
        unit_price=Money(line.unit_price_minor, currency), quantity=line.quantity, discount_bp=line.discount_bp,
        tax_bp=line.tax_bp, unit_cost=Money(line.cost_minor, currency),
        floor=Money(line.floor_minor, currency) if line.floor_minor else None,
    )


def totals_of(quote: Quote, lines: Sequence[QuoteLine], *, at_list: bool = False) -> Totals:
    inputs = [line_input(line, quote.currency) for line in lines]
    if at_list:
        inputs = [LineInput(i.unit_price, i.quantity, 0, i.tax_bp, i.unit_cost, i.floor) for i in inputs]
    return price(inputs, 0 if at_list else quote.discount_bp, quote.currency)


def unit_price(net_minor: int, quantity: int, currency: str) -> Money:
    """A line's net per unit, rounded half up to the minor unit."""
    share = (Decimal(net_minor) / max(quantity, 1)).to_integral_value(rounding=ROUND_HALF_UP)
    return Money(int(share), currency)


def median(amounts: Sequence[Money]) -> Money | None:
    if not amounts:
        return None
    middle = Decimal(statistics.median(sorted(a.minor for a in amounts)))
    return Money(int(middle.to_integral_value(rounding=ROUND_HALF_UP)), amounts[0].currency)


async def price_history(
    uow: UnitOfWork, *, team_id: int, company_key: str, product_id: int, currency: str, now: datetime,
    besides: tuple[int, int] | None = None,
) -> PriceHistory:
    """The customer's last prices for the product (accepted quotes) and the team's median of the last 90
    days (quotes approved, sent or accepted; not quote (year, seq) `besides` itself), per unit after
    discounts, without tax."""
    last = await uow.quotes.customer_prices(team_id, company_key, product_id, LAST_PRICES, besides=besides)
    since = now - timedelta(days=HISTORY_DAYS)
    team = await uow.quotes.team_prices(team_id, product_id, since, 500, besides=besides)
    units = [unit_price(net, qty, currency) for net, qty in team]
    return PriceHistory(
        last=tuple(unit_price(net, qty, currency) for net, qty in last), median=median(units), samples=len(units)
    )


async def _context(uow: UnitOfWork, quote: Quote) -> tuple[Opportunity, Lead, Team]:
    opportunity = await uow.opportunities.get(quote.opportunity_id)
    if opportunity is None:
        raise NotFound("error-quote-not-found")
    lead, team, _policy = await deal_context(uow, opportunity)
    return opportunity, lead, team


def may_see(viewer: User, quote: Quote, opportunity: Opportunity) -> bool:
    """The owner, whoever owns the deal, the team's managers and finance, and admins (approvers)."""
    if not viewer.active or not in_team(viewer, quote.team_id):
        return False
    return sees_whole_team(viewer) or viewer.id in (quote.owner_id, opportunity.owner_id)


async def visible_quote(uow: UnitOfWork, viewer: User, quote_id: int) -> Quote:
    quote = await uow.quotes.get(quote_id)
    if quote is None:
        raise NotFound("error-quote-not-found")
    if not in_team(viewer, quote.team_id):
        raise Forbidden("error-other-team")
    opportunity = await uow.opportunities.get(quote.opportunity_id)
    if opportunity is None or not may_see(viewer, quote, opportunity):
        raise Forbidden("error-quote-not-yours")
    return quote


async def view_quote(uow: UnitOfWork, *, viewer: User, quote_id: int, now: datetime) -> QuoteView:
    quote = await visible_quote(uow, viewer, quote_id)
    return await build_view(uow, quote, now)


async def build_view(uow: UnitOfWork, quote: Quote, now: datetime) -> QuoteView:
    assert quote.id is not None
    opportunity, lead, team = await _context(uow, quote)
    lines = tuple(await uow.quotes.lines(quote.id))
    policy = await uow.quotes.policy(quote.team_id)
    totals = totals_of(quote, lines)
    history = {}
    names_en = {}
    for line in lines:
        if line.product_id is not None and line.id is not None:
            product = await uow.products.get(line.product_id)
            if product is not None and product.name_en:
                names_en[line.id] = product.name_en
            history[line.id] = await price_history(
                uow, team_id=quote.team_id, company_key=lead.company_key, product_id=line.product_id,
                currency=quote.currency, now=now, besides=(quote.year, quote.seq),
            )
    return QuoteView(
        quote=quote, lines=lines, totals=totals, list_totals=totals_of(quote, lines, at_list=True),
        route=route(totals, policy), opportunity=opportunity, lead=lead, team=team,
        owner_name=await name_of(uow, quote.owner_id), history=history,
        steps=tuple(await uow.quotes.steps(quote.id)), policy=policy, names_en=names_en,
    )


async def deal_quotes(uow: UnitOfWork, *, viewer: User, opportunity_id: int) -> Sequence[QuoteSummary]:
    """The deal's quotes (their latest versions), newest first."""
    opportunity = await visible_opportunity(uow, viewer, opportunity_id)
    if not (sees_whole_team(viewer) or opportunity.owner_id == viewer.id):
        raise Forbidden("error-deal-not-yours")
    assert opportunity.id is not None
    return await uow.quotes.for_deal(opportunity.id)


async def deal_for_quotes(uow: UnitOfWork, *, viewer: User, opportunity_id: int) -> tuple[Opportunity, Lead, bool]:
    """The deal whose quotes `viewer` looks at, its lead, and whether they may start a quote on it."""
    opportunity = await visible_opportunity(uow, viewer, opportunity_id)
    lead, _team, _policy = await deal_context(uow, opportunity)
    try:
        await quotable_deal(uow, viewer, opportunity_id)
    except (Forbidden, InvalidInput):
        return opportunity, lead, False
    return opportunity, lead, True


async def customer_quotes(uow: UnitOfWork, *, viewer: User, opportunity_id: int, limit: int = 5) -> Sequence[QuoteSummary]:
    """Earlier quotes to the deal's customer (any of the team's deals with the same company), newest first."""
    opportunity = await visible_opportunity(uow, viewer, opportunity_id)
    lead, _team, _policy = await deal_context(uow, opportunity)
    return await uow.quotes.for_customer(opportunity.team_id, lead.company_key, limit)


async def templates(uow: UnitOfWork, *, viewer: User) -> Sequence[QuoteTemplate]:
    if not viewer.active:
        raise Forbidden()
    return await uow.quotes.templates(viewer.team_id)


# --- starting a quote ------------------------------------------------------------------------------------


async def quotable_deal(uow: UnitOfWork, actor: User, opportunity_id: int) -> tuple[Opportunity, Lead, Team]:
    """A deal `actor` may quote on: open, and theirs (or their team's, for a manager)."""
    require(actor, Ability.WORK_QUOTES, "error-quote-role")
    opportunity = await visible_opportunity(uow, actor, opportunity_id)
    if not (opportunity.owner_id == actor.id or manages_team(actor, opportunity.team_id)):
        raise Forbidden("error-deal-not-yours")
    if not opportunity.is_open:
        raise InvalidInput("error-stage-closed")
    lead, team, _policy = await deal_context(uow, opportunity)
    return opportunity, lead, team


async def deal_needs(uow: UnitOfWork, opportunity: Opportunity, lead: Lead) -> list[str]:
    """The needs recorded on the deal: the lead's, then those logged with follow-ups (newest first)."""
    found: list[str] = []
    texts = [lead.need] if lead.need else []
    assert opportunity.id is not None
    texts += [a.needs for a in await uow.activities.for_opportunity(opportunity.id, 50) if a.needs]
    for text in texts:
        cleaned = " ".join(text.split())
        if cleaned and cleaned not in found:
            found.append(cleaned[:200])
    return found[:MAX_NEEDS]


def valid_until(now: datetime, team: Team, days: int) -> date:
    return local(now, team.timezone).date() + timedelta(days=days)


async def start_quote(
    uow: UnitOfWork, *, actor: User, opportunity_id: int, now: datetime, template_id: int | None = None,
    copy_of: int | None = None,
) -> Quote:
    """A new draft on the deal (a new number, v1): empty, with a template's lines, or with the lines of
    an earlier quote to the same customer (一键调用历史方案). Prices of catalog lines are today's."""
    opportunity, lead, team = await quotable_deal(uow, actor, opportunity_id)
    policy = await uow.quotes.policy(opportunity.team_id)
    year = local(now, team.timezone).year
    assert opportunity.id is not None and actor.id is not None
    seeds: list[dict[str, Any]] = []
    discount_bp = 0
    if template_id is not None:
        template = await uow.quotes.get_template(template_id)
        if template is None or template.team_id != opportunity.team_id or not template.active:
            raise NotFound("error-template-not-found")
        seeds, discount_bp = list(template.lines), template.discount_bp
    elif copy_of is not None:
        earlier = await uow.quotes.get(copy_of)
        if earlier is None or earlier.team_id != opportunity.team_id:
            raise NotFound("error-quote-not-found")
        earlier_deal = await uow.opportunities.get(earlier.opportunity_id)
        earlier_lead = await uow.leads.get(earlier_deal.lead_id) if earlier_deal else None
        if earlier_lead is None or earlier_lead.company_key != lead.company_key:
            raise Forbidden("error-quote-other-customer")
        seeds = [line_seed(line) for line in await uow.quotes.lines(copy_of)]
        discount_bp = earlier.discount_bp
    quote = await uow.quotes.add(Quote(
        team_id=opportunity.team_id, opportunity_id=opportunity.id, owner_id=opportunity.owner_id or actor.id,
        year=year, seq=await uow.quotes.next_seq(opportunity.team_id, year), created_at=now, updated_at=now,
        valid_until=valid_until(now, team, policy.validity_days), currency=opportunity.currency,
        discount_bp=discount_bp, needs=await deal_needs(uow, opportunity, lead), covered=[],
    ))
    assert quote.id is not None
    for position, seed in enumerate(seeds, start=1):
        await _seed_line(uow, quote, position, seed)
    await reprice(uow, quote, now)
    opportunity.quote_status = quote.status.value
    await record(
        uow, now=now, action="quote.started", entity="quote", entity_id=quote.id, actor_id=actor.id,
        team_id=quote.team_id,
        after={"number": quote.number, "opportunity_id": opportunity.id, "template_id": template_id, "copy_of": copy_of},
    )
    return quote


def line_seed(line: QuoteLine) -> dict[str, Any]:
    return {
        "product_id": line.product_id, "code": line.code, "name": line.name, "unit": line.unit,
        "quantity": line.quantity, "unit_price_minor": line.unit_price_minor, "cost_minor": line.cost_minor,
        "floor_minor": line.floor_minor, "tax_bp": line.tax_bp, "discount_bp": line.discount_bp,
    }


async def _seed_line(uow: UnitOfWork, quote: Quote, position: int, seed: dict[str, Any]) -> None:
    """A line from a template or an earlier quote: a catalog product at today's prices (skipped when it
    was deactivated), or the free line as it was."""
    assert quote.id is not None
    product_id = seed.get("product_id")
    if product_id is not None:
        product = await uow.products.get(int(product_id))
        if product is None or not product.active or product.team_id != quote.team_id or product.currency != quote.currency:
            return
        await uow.quotes.add_line(product_line(quote.id, position, product, int(seed.get("quantity") or 1),
                                               int(seed.get("discount_bp") or 0)))
        return
    await uow.quotes.add_line(QuoteLine(
        quote_id=quote.id, position=position, name=str(seed["name"]), unit=str(seed.get("unit") or ""),
        quantity=int(seed.get("quantity") or 1), unit_price_minor=int(seed["unit_price_minor"]),
        cost_minor=int(seed.get("cost_minor") or 0), tax_bp=int(seed.get("tax_bp") or 0),
        discount_bp=int(seed.get("discount_bp") or 0),
    ))


def product_line(quote_id: int, position: int, product: Product, quantity: int, discount_bp: int = 0) -> QuoteLine:
    return QuoteLine(
        quote_id=quote_id, position=position, product_id=product.id, code=product.code, name=product.name_zh,
        unit=product.unit, quantity=quantity, unit_price_minor=product.list_price_minor, cost_minor=product.cost_minor,
        floor_minor=product.floor_price_minor, tax_bp=product.tax_bp, discount_bp=discount_bp,
    )


async def reprice(uow: UnitOfWork, quote: Quote, now: datetime) -> Totals:
    """Price the quote again: each line's net and the quote's total are kept."""
    assert quote.id is not None
    lines = await uow.quotes.lines(quote.id)
    totals = totals_of(quote, lines)
    for line, priced in zip(lines, totals.lines, strict=True):
        line.net_minor = priced.net.minor
    quote.total_minor = totals.total.minor
    quote.updated_at = now
    return totals


# --- editing a draft -------------------------------------------------------------------------------------


def may_edit(actor: User, quote: Quote) -> bool:
    return actor.active and (actor.id == quote.owner_id or manages_team(actor, quote.team_id))


async def draft(uow: UnitOfWork, actor: User, quote_id: int) -> Quote:
    """The quote, if `actor` may edit it and it is a current draft; AlreadyDone for a quote that moved on."""
    quote = await visible_quote(uow, actor, quote_id)
    if not may_edit(actor, quote):
        raise Forbidden("error-quote-not-yours")
    if quote.status is not QuoteStatus.DRAFT or not quote.current:
        raise AlreadyDone("error-quote-not-draft")
    return quote


async def _line(uow: UnitOfWork, quote: Quote, line_id: int) -> QuoteLine:
    assert quote.id is not None
    line = next((line for line in await uow.quotes.lines(quote.id) if line.id == line_id), None)
    if line is None:
        raise AlreadyDone("error-quote-line-gone")
    return line


async def add_product_line(
    uow: UnitOfWork, *, actor: User, quote_id: int, product_id: int, quantity: int, now: datetime
) -> QuoteLine:
    """A catalog product at its list price; the same product again adds to its line's quantity."""
    quote = await draft(uow, actor, quote_id)
    assert quote.id is not None
    if not 1 <= quantity <= catalog.MAX_QUANTITY:
        raise InvalidInput("error-quote-quantity", max=catalog.MAX_QUANTITY)
    product = await uow.products.get(product_id)
    if product is None or product.team_id != quote.team_id or not product.active:
        raise NotFound("error-product-not-found")
    if product.currency != quote.currency:
        raise InvalidInput("error-quote-currency", currency=product.currency)
    lines = await uow.quotes.lines(quote.id)
    same = next((line for line in lines if line.product_id == product.id), None)
    if same is not None:
        same.quantity = min(catalog.MAX_QUANTITY, same.quantity + quantity)
        added = same
    else:
        if len(lines) >= MAX_LINES:
            raise InvalidInput("error-quote-lines-full", max=MAX_LINES)
        added = await uow.quotes.add_line(product_line(quote.id, _next_position(lines), product, quantity))
    await reprice(uow, quote, now)
    return added


def _next_position(lines: Sequence[QuoteLine]) -> int:
    return max((line.position for line in lines), default=0) + 1


def parse_free_line(text: str, currency: str = "CNY") -> tuple[str, int, int]:
    """A free line as typed: "实施服务 5000", "培训 2000 x3", "运维服务 1.2万 × 2": (name, price, quantity)."""
    words = text.replace("×", " x ").replace("*", " x ").split()
    quantity = 1
    if len(words) >= 3 and words[-2].lower() == "x":
        quantity = catalog.parse_quantity(words[-1])
        words = words[:-2]
    elif len(words) >= 2 and words[-1].lower().startswith("x") and words[-1][1:].isdigit():
        quantity = catalog.parse_quantity(words[-1][1:])
        words = words[:-1]
    if len(words) < 2:
        raise InvalidInput("error-quote-free-line")
    try:
        amount = catalog.parse_price(words[-1], currency)
    except InvalidInput:
        raise InvalidInput("error-quote-free-line") from None
    return catalog.parse_name(" ".join(words[:-1])), amount, quantity


async def add_free_line(
    uow: UnitOfWork, *, actor: User, quote_id: int, name: str, unit_price_minor: int, quantity: int, now: datetime,
    tax_bp: int = 600, unit: str = "项",
) -> QuoteLine:
    """A line for a service that is not in the catalog: no cost, no floor (VAT 6% unless said)."""
    quote = await draft(uow, actor, quote_id)
    assert quote.id is not None
    lines = await uow.quotes.lines(quote.id)
    if len(lines) >= MAX_LINES:
        raise InvalidInput("error-quote-lines-full", max=MAX_LINES)
    if unit_price_minor < 0 or not 1 <= quantity <= catalog.MAX_QUANTITY:
        raise InvalidInput("error-quote-free-line")
    line = await uow.quotes.add_line(QuoteLine(
        quote_id=quote.id, position=_next_position(lines), name=catalog.parse_name(name), unit=unit, quantity=quantity,
        unit_price_minor=unit_price_minor, tax_bp=tax_bp,
    ))
    await reprice(uow, quote, now)
    return line


async def set_quantity(uow: UnitOfWork, *, actor: User, quote_id: int, line_id: int, quantity: int, now: datetime) -> None:
    quote = await draft(uow, actor, quote_id)
    if not 1 <= quantity <= catalog.MAX_QUANTITY:
        raise InvalidInput("error-quote-quantity", max=catalog.MAX_QUANTITY)
    (await _line(uow, quote, line_id)).quantity = quantity
    await reprice(uow, quote, now)


async def set_line_discount(
    uow: UnitOfWork, *, actor: User, quote_id: int, line_id: int, discount_bp: int, now: datetime
) -> None:
    quote = await draft(uow, actor, quote_id)
    if not 0 <= discount_bp <= 10_000:
        raise InvalidInput("error-quote-discount")
    (await _line(uow, quote, line_id)).discount_bp = discount_bp
    await reprice(uow, quote, now)


async def remove_line(uow: UnitOfWork, *, actor: User, quote_id: int, line_id: int, now: datetime) -> None:
    quote = await draft(uow, actor, quote_id)
    await uow.quotes.remove_line(await _line(uow, quote, line_id))
    await reprice(uow, quote, now)


async def set_quote_discount(uow: UnitOfWork, *, actor: User, quote_id: int, discount_bp: int, now: datetime) -> None:
    """A discount on the whole quote, on top of each line's own."""
    quote = await draft(uow, actor, quote_id)
    if not 0 <= discount_bp <= 10_000:
        raise InvalidInput("error-quote-discount")
    quote.discount_bp = discount_bp
    await reprice(uow, quote, now)


async def set_reason(uow: UnitOfWork, *, actor: User, quote_id: int, reason: str, now: datetime) -> None:
    """Why the discount (the approvers read it)."""
    quote = await draft(uow, actor, quote_id)
    text = " ".join(reason.split())
    if not text or len(text) > MAX_REASON:
        raise InvalidInput("error-quote-reason", max=MAX_REASON)
    quote.reason = text
    quote.updated_at = now


async def toggle_need(uow: UnitOfWork, *, actor: User, quote_id: int, index: int, now: datetime) -> bool:
    """Tick (or untick) a need of the deal as covered by the quote; returns whether it is covered now."""
    quote = await draft(uow, actor, quote_id)
    if not 0 <= index < len(quote.needs):
        raise AlreadyDone("error-quote-need-gone")
    covered = set(quote.covered)
    covered.symmetric_difference_update({index})
    quote.covered = sorted(covered)  # a new list: the JSON column is written when replaced
    quote.updated_at = now
    return index in covered


async def refresh_needs(uow: UnitOfWork, *, actor: User, quote_id: int, now: datetime) -> None:
    """The deal's needs as they are now (a follow-up logged meanwhile); ticks stay on needs still there."""
    quote = await draft(uow, actor, quote_id)
    opportunity, lead, _team = await _context(uow, quote)
    needs = await deal_needs(uow, opportunity, lead)
    kept = {quote.needs[i] for i in quote.covered if i < len(quote.needs)}
    quote.needs = needs
    quote.covered = [i for i, need in enumerate(needs) if need in kept]
    quote.updated_at = now


# --- templates -------------------------------------------------------------------------------------------


async def save_template(uow: UnitOfWork, *, actor: User, quote_id: int, name: str, now: datetime) -> QuoteTemplate:
    """A manager keeps a quote's lines (and its quote-wide discount) as a named template of the team."""
    require(actor, Ability.SAVE_TEMPLATES, "error-template-role")
    quote = await visible_quote(uow, actor, quote_id)
    if not manages_team(actor, quote.team_id):
        raise Forbidden("error-template-role")
    text = " ".join(name.split())
    if not text or len(text) > MAX_TEMPLATE_NAME:
        raise InvalidInput("error-template-name", max=MAX_TEMPLATE_NAME)
    assert quote.id is not None
    lines = await uow.quotes.lines(quote.id)
    if not lines:
        raise InvalidInput("error-quote-empty")
    template = await uow.quotes.add_template(QuoteTemplate(
        team_id=quote.team_id, name=text, created_by=actor.id or 0, created_at=now,
        lines=[line_seed(line) for line in lines], discount_bp=quote.discount_bp,
    ))
    await record(
        uow, now=now, action="quote.template_saved", entity="quote_template", entity_id=template.id,
        actor_id=actor.id, team_id=quote.team_id, after={"name": text, "from": quote.number, "lines": len(lines)},
    )
    return template


# --- the deal, the expiry watch ------------------------------------------------------------------------


def expires_at(quote: Quote, team: Team) -> datetime:
    """A quote is valid through its last day, in the team's time zone."""
    return at_local(quote.valid_until + timedelta(days=1), time(0), team.timezone)


def nudge_at(quote: Quote, team: Team) -> datetime:
    """The start of work NUDGE_WORKING_DAYS working days before the last valid day."""
    day = quote.valid_until
    counted = 0
    for _ in range(60):
        day -= timedelta(days=1)
        if is_working_day(day, team):
            counted += 1
            if counted == NUDGE_WORKING_DAYS:
                break
    return at_local(day, team.work_start, team.timezone)


def schedule_expiry(quote: Quote, team: Team, now: datetime) -> None:
    """When the expiry sweep should look at a live quote next: the nudge, else the expiry."""
    if quote.status not in LIVE:
        quote.check_at = None
        return
    nudge = nudge_at(quote, team)
    quote.check_at = nudge if not quote.expiry_nudged and nudge > now else expires_at(quote, team)


async def deciders(uow: UnitOfWork, quote: Quote, level: Level) -> list[User]:
    """Who may decide a step of `level` on `quote`: the team's managers (or the admins, when the team has
    none besides the owner) for MANAGER; the admins for ADMIN. Never the quote's owner."""
    if level is Level.MANAGER:
        from domain.team.people import managers_of

        people = await managers_of(uow, quote.team_id, exclude=(quote.owner_id,))
    else:
        people = list(await uow.users.admins())
    return [u for u in people if may_decide(u, level, team_id=quote.team_id, owner_id=quote.owner_id)]


def may_start(user: User) -> bool:
    return can(user, Ability.WORK_QUOTES)


# --- the team's quote policy -----------------------------------------------------------------------------

POLICY_LIMITS: Final[dict[str, tuple[int, int]]] = {
    "manager_from_bp": (0, 10_000),
    "admin_from_bp": (0, 10_000),
    "margin_floor_bp": (0, 10_000),
    "sla_minutes": (30, 7 * 24 * 60),
    "validity_days": (1, 365),
}


def parse_policy(text: str) -> dict[str, int]:
    """"10 20 15 4 15": the manager's tier %, the admin's tier %, the margin floor %, the SLA in working
    hours and the validity in days (percentages to 0.01, hours to 0.5)."""
    words = text.replace("%", " ").replace("，", " ").replace(",", " ").split()
    if len(words) != 5:
        raise InvalidInput("error-quote-policy")
    try:
        manager, admin, margin = (catalog.parse_discount(w) for w in words[:3])
        hours, days = Decimal(words[3]), int(words[4])
    except (InvalidInput, ArithmeticError, ValueError):
        raise InvalidInput("error-quote-policy") from None
    minutes = hours * 60
    if minutes != minutes.to_integral_value():
        raise InvalidInput("error-quote-policy")
    return {"manager_from_bp": manager, "admin_from_bp": admin, "margin_floor_bp": margin,
            "sla_minutes": int(minutes), "validity_days": days}


# How each number of the policy is typed and tapped in the /policy menu: percentages (basis points), the
# SLA in working hours (minutes, to the half hour), the validity in days; and the -/+ steps of its buttons.
POLICY_STEPS: Final[dict[str, tuple[int, ...]]] = {
    "manager_from_bp": (100, 500),
    "admin_from_bp": (100, 500),
    "margin_floor_bp": (100, 500),
    "sla_minutes": (30, 120),
    "validity_days": (1, 5),
}


def parse_policy_value(name: str, text: str) -> int:
    """One number of the policy as a manager types it: "12.5" (%), "4" or "2.5" (working hours), "30" (days)."""
    cleaned = text.strip().replace("％", "%")
    try:
        if name.endswith("_bp"):
            return catalog.parse_discount(cleaned)
        if name == "sla_minutes":
            hours = Decimal(cleaned.rstrip("hH小时").strip())
            minutes = hours * 60
            if minutes != minutes.to_integral_value() or int(minutes) % 30:
                raise InvalidInput("error-quote-policy-value")
            return int(minutes)
        if name == "validity_days":
            return int(cleaned.rstrip("天dD").strip())
    except (InvalidInput, ArithmeticError, ValueError):
        raise InvalidInput("error-quote-policy-value") from None
    raise InvalidInput("error-quote-policy-value")


async def quote_policy(uow: UnitOfWork, *, viewer: User, team_id: int | None = None) -> QuotePolicy:
    team = team_id if team_id is not None else viewer.team_id
    if not viewer.active or not in_team(viewer, team):
        raise Forbidden("error-other-team")
    return await uow.quotes.policy(team)


def _shown(name: str, value: int) -> str:
    """A limit of the policy as its screen says it: 100%, 0.5 (hours), 365 (days)."""
    if name.endswith("_bp"):
        return f"{Decimal(value) / 100:g}%"
    return f"{value / 60:g}" if name == "sla_minutes" else str(value)


async def update_quote_policy(
    uow: UnitOfWork, *, actor: User, changes: dict[str, int], now: datetime, team_id: int | None = None
) -> QuotePolicy:
    """A manager sets the team's approval tiers, margin floor, approval SLA and validity (audited)."""
    require(actor, Ability.EDIT_POLICY, "error-quote-policy-role")
    team = team_id if team_id is not None else actor.team_id
    if not manages_team(actor, team):
        raise Forbidden("error-other-team")
    policy = await uow.quotes.policy(team)
    before = {name: getattr(policy, name) for name in POLICY_LIMITS}
    for name, value in changes.items():
        low, high = POLICY_LIMITS.get(name, (1, 0))
        if type(value) is not int or not low <= value <= high:
            raise InvalidInput(f"error-quote-policy-range-{name}", low=_shown(name, low), high=_shown(name, high))
        setattr(policy, name, value)
    if policy.manager_from_bp > policy.admin_from_bp:
        raise InvalidInput("error-quote-policy-order")
    policy = await uow.quotes.save_policy(policy)
    after = {name: getattr(policy, name) for name in POLICY_LIMITS}
    await record(
        uow, now=now, action="quote.policy", entity="quote_policy", entity_id=policy.id, actor_id=actor.id,
        team_id=team, before=before, after=after,
    )
    return policy
