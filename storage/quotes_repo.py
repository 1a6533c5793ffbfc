"""The catalog, quotes, their lines, approval steps, templates and quote policies in storage."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import and_, delete, func, or_, select, text, update
from sqlalchemy.ext.asyncio import AsyncSession

from domain.money import Money
from domain.quotes.model import (
    LIVE,
    ApprovalStep,
    Product,
    ProductPage,
    Quote,
    QuoteLine,
    QuotePolicy,
    QuoteStatus,
    QuoteSummary,
    QuoteTemplate,
    StepState,
    quote_number,
)
from storage.sql import get_by_id, rowcount
from storage.tables import (
    STEP_DUE_SQL,
    leads,
    opportunities,
    products,
    quote_approvals,
    quote_lines,
    quote_policies,
    quote_templates,
    quotes,
    teams,
    users,
)

AGREED_FOR_HISTORY = [QuoteStatus.APPROVED.value, QuoteStatus.SENT.value, QuoteStatus.ACCEPTED.value]


def _like(query: str) -> str:
    escaped = query.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


class SqlProducts:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def add(self, product: Product) -> Product:
        self.session.add(product)
        await self.session.flush()
        return product

    async def get(self, product_id: int) -> Product | None:
        return await get_by_id(self.session, Product, product_id)

    async def by_codes(self, team_id: int, codes: Collection[str]) -> Sequence[Product]:
        if not codes:
            return []
        stmt = select(Product).where(products.c.team_id == team_id, products.c.code.in_(list(codes)))
        return (await self.session.execute(stmt)).scalars().all()

    async def all_codes(self, team_id: int) -> Sequence[Product]:
        stmt = select(Product).where(products.c.team_id == team_id).order_by(products.c.code)
        return (await self.session.execute(stmt)).scalars().all()

    async def page(self, team_id: int, *, query: str | None, active_only: bool, offset: int, limit: int) -> ProductPage:
        conditions = [products.c.team_id == team_id]
        if active_only:
            conditions.append(products.c.active.is_(True))
        if query:
            pattern = _like(query)
            conditions.append(or_(
                func.lower(products.c.code).like(pattern, escape="\\"),
                func.lower(products.c.name_zh).like(pattern, escape="\\"),
                func.lower(func.coalesce(products.c.name_en, "")).like(pattern, escape="\\"),
            ))
        total = (await self.session.execute(select(func.count()).select_from(products).where(*conditions))).scalar_one()
        stmt = select(Product).where(*conditions).order_by(products.c.code).offset(offset).limit(limit)
        return ProductPage(list((await self.session.execute(stmt)).scalars().all()), int(total))


class SqlQuotes:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    @property
    def _dialect(self) -> str:
        return self.session.bind.dialect.name if self.session.bind else "sqlite"

    # --- quotes -----------------------------------------------------------------------------------------

    async def add(self, quote: Quote) -> Quote:
        self.session.add(quote)
        await self.session.flush()
        return quote

    async def get(self, quote_id: int) -> Quote | None:
        return await get_by_id(self.session, Quote, quote_id)

    async def next_seq(self, team_id: int, year: int) -> int:
        if self._dialect == "postgresql":  # one team's numbers are drawn one at a time
            await self.session.execute(select(teams.c.id).where(teams.c.id == team_id).with_for_update())
        stmt = select(func.max(quotes.c.seq)).where(quotes.c.team_id == team_id, quotes.c.year == year)
        return int((await self.session.execute(stmt)).scalar_one() or 0) + 1

    async def move(self, quote: Quote, *, expect: Collection[QuoteStatus], **changes: object) -> bool:
        stmt = (
            update(Quote)
            .where(quotes.c.id == quote.id, quotes.c.status.in_([s.value for s in expect]), quotes.c.superseded_at.is_(None))
            .values(**changes)
            .execution_options(synchronize_session="fetch")
        )
        return rowcount(await self.session.execute(stmt)) == 1

    async def lines(self, quote_id: int) -> Sequence[QuoteLine]:
        stmt = select(QuoteLine).where(quote_lines.c.quote_id == quote_id).order_by(quote_lines.c.position, quote_lines.c.id)
        return (await self.session.execute(stmt)).scalars().all()

    async def add_line(self, line: QuoteLine) -> QuoteLine:
        self.session.add(line)
        await self.session.flush()
        return line

    async def remove_line(self, line: QuoteLine) -> None:
        await self.session.execute(delete(quote_lines).where(quote_lines.c.id == line.id))
        self.session.expunge(line)

    def _summaries(self) -> Any:
        return (
            select(
                quotes.c.id, quotes.c.year, quotes.c.seq, quotes.c.version, quotes.c.status, quotes.c.total_minor,
                quotes.c.currency, leads.c.company, users.c.name, quotes.c.created_at, quotes.c.opportunity_id,
            )
            .join(opportunities, opportunities.c.id == quotes.c.opportunity_id)
            .join(leads, leads.c.id == opportunities.c.lead_id)
            .join(users, users.c.id == quotes.c.owner_id)
            .where(quotes.c.superseded_at.is_(None))
        )

    @staticmethod
    def _summary(row: Any) -> QuoteSummary:
        return QuoteSummary(
            id=row.id, number=quote_number(row.year, row.seq, row.version), status=QuoteStatus(row.status),
            total=Money(int(row.total_minor), row.currency), company=row.company, owner_name=row.name,
            created_at=row.created_at, opportunity_id=row.opportunity_id,
        )

    async def for_deal(self, opportunity_id: int) -> Sequence[QuoteSummary]:
        stmt = self._summaries().where(quotes.c.opportunity_id == opportunity_id).order_by(
            quotes.c.created_at.desc(), quotes.c.id.desc()
        )
        return [self._summary(row) for row in (await self.session.execute(stmt)).all()]

    async def for_customer(self, team_id: int, company_key: str, limit: int) -> Sequence[QuoteSummary]:
        stmt = (
            self._summaries()
            .where(quotes.c.team_id == team_id, leads.c.company_key == company_key)
            .order_by(quotes.c.created_at.desc(), quotes.c.id.desc())
            .limit(limit)
        )
        return [self._summary(row) for row in (await self.session.execute(stmt)).all()]

    async def versions(self, team_id: int, year: int, seq: int) -> Sequence[Quote]:
        stmt = select(Quote).where(quotes.c.team_id == team_id, quotes.c.year == year, quotes.c.seq == seq).order_by(
            quotes.c.version
        )
        return (await self.session.execute(stmt)).scalars().all()

    async def customer_prices(
        self, team_id: int, company_key: str, product_id: int, limit: int, *, besides: tuple[int, int] | None = None
    ) -> Sequence[tuple[int, int]]:
        stmt = (
            select(quote_lines.c.net_minor, quote_lines.c.quantity)
            .join(quotes, quotes.c.id == quote_lines.c.quote_id)
            .join(opportunities, opportunities.c.id == quotes.c.opportunity_id)
            .join(leads, leads.c.id == opportunities.c.lead_id)
            .where(
                quotes.c.team_id == team_id, leads.c.company_key == company_key,
                quotes.c.status == QuoteStatus.ACCEPTED.value, quote_lines.c.product_id == product_id,
            )
            .order_by(quotes.c.decided_at.desc(), quotes.c.id.desc())
            .limit(limit)
        )
        if besides is not None:
            stmt = stmt.where(~and_(quotes.c.year == besides[0], quotes.c.seq == besides[1]))
        return [(int(row[0]), int(row[1])) for row in (await self.session.execute(stmt)).all()]

    async def team_prices(
        self, team_id: int, product_id: int, since: datetime, limit: int, *, besides: tuple[int, int] | None = None
    ) -> Sequence[tuple[int, int]]:
        stmt = (
            select(quote_lines.c.net_minor, quote_lines.c.quantity)
            .join(quotes, quotes.c.id == quote_lines.c.quote_id)
            .where(
                quote_lines.c.product_id == product_id, quotes.c.team_id == team_id,
                quotes.c.status.in_(AGREED_FOR_HISTORY), quotes.c.submitted_at >= since,
            )
            .order_by(quotes.c.submitted_at.desc())
            .limit(limit)
        )
        if besides is not None:
            stmt = stmt.where(~and_(quotes.c.year == besides[0], quotes.c.seq == besides[1]))
        return [(int(row[0]), int(row[1])) for row in (await self.session.execute(stmt)).all()]

    async def due(self, now: datetime, limit: int, skip: Collection[int] = ()) -> Sequence[Quote]:
        stmt = (
            select(Quote)
            .where(
                text("quotes.check_at IS NOT NULL"), quotes.c.check_at <= now,
                quotes.c.status.in_([s.value for s in LIVE]), quotes.c.superseded_at.is_(None),
            )
            .order_by(quotes.c.check_at, quotes.c.id)
            .limit(limit)
            .with_for_update(skip_locked=True)
        )
        if skip:
            stmt = stmt.where(quotes.c.id.not_in(list(skip)))
        return (await self.session.execute(stmt)).scalars().all()

    # --- approval steps -------------------------------------------------------------------------------

    async def add_step(self, step: ApprovalStep) -> ApprovalStep:
        self.session.add(step)
        await self.session.flush()
        return step

    async def get_step(self, step_id: int) -> ApprovalStep | None:
        return await get_by_id(self.session, ApprovalStep, step_id)

    async def steps(self, quote_id: int) -> Sequence[ApprovalStep]:
        stmt = select(ApprovalStep).where(quote_approvals.c.quote_id == quote_id).order_by(
            quote_approvals.c.id
        )
        return (await self.session.execute(stmt)).scalars().all()

    async def move_step(self, step: ApprovalStep, *, expect: Collection[StepState], **changes: object) -> bool:
        stmt = (
            update(ApprovalStep)
            .where(quote_approvals.c.id == step.id, quote_approvals.c.state.in_([s.value for s in expect]))
            .values(**changes)
            .execution_options(synchronize_session="fetch")
        )
        return rowcount(await self.session.execute(stmt)) == 1

    async def open_steps(self, team_id: int | None, levels: Collection[str]) -> Sequence[ApprovalStep]:
        stmt = select(ApprovalStep).where(
            quote_approvals.c.state == StepState.PENDING.value, quote_approvals.c.level.in_(list(levels))
        )
        if team_id is not None:
            stmt = stmt.where(quote_approvals.c.team_id == team_id)
        stmt = stmt.order_by(quote_approvals.c.requested_at, quote_approvals.c.id).limit(200)
        return (await self.session.execute(stmt)).scalars().all()

    async def steps_due(self, now: datetime, limit: int, skip: Collection[int] = ()) -> Sequence[ApprovalStep]:
        stmt = (
            select(ApprovalStep)
            # A pending step without a check is one an earlier version escalated and stopped watching: due now.
            .where(
                text("quote_approvals." + STEP_DUE_SQL),
                or_(quote_approvals.c.check_at <= now, quote_approvals.c.check_at.is_(None)),
            )
            .order_by(quote_approvals.c.check_at, quote_approvals.c.id)
            .limit(limit)
            .with_for_update(skip_locked=True)
        )
        if skip:
            stmt = stmt.where(quote_approvals.c.id.not_in(list(skip)))
        return (await self.session.execute(stmt)).scalars().all()

    # --- templates and the policy ----------------------------------------------------------------------

    async def add_template(self, template: QuoteTemplate) -> QuoteTemplate:
        self.session.add(template)
        await self.session.flush()
        return template

    async def get_template(self, template_id: int) -> QuoteTemplate | None:
        return await get_by_id(self.session, QuoteTemplate, template_id)

    async def templates(self, team_id: int) -> Sequence[QuoteTemplate]:
        stmt = select(QuoteTemplate).where(
            quote_templates.c.team_id == team_id, quote_templates.c.active.is_(True)
        ).order_by(quote_templates.c.name, quote_templates.c.id)
        return (await self.session.execute(stmt)).scalars().all()

    async def policy(self, team_id: int) -> QuotePolicy:
        stmt = select(QuotePolicy).where(quote_policies.c.team_id == team_id)
        found = (await self.session.execute(stmt)).scalars().first()
        return found if found is not None else QuotePolicy(team_id=team_id)

    async def save_policy(self, policy: QuotePolicy) -> QuotePolicy:
        if policy.id is None:
            self.session.add(policy)
        await self.session.flush()
        return policy

