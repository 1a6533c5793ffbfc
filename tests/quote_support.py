"""Helpers for the quote tests: a team with a manager, two reps and an admin who joined through /start,
a catalog seeded through the service, a deal with recorded needs, and what a person's phone got."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select

from bot.factory import App
from bot.sandbox import Person, Sandbox
from domain.followup import activities
from domain.followup.model import ActivityKind, ActivityOutcome
from domain.quotes import products as product_service
from domain.quotes.model import Product, Quote
from domain.team.model import Role, User
from storage.tables import notifications
from tests.conftest import join
from tests.deal_support import member, seed_deal

CATALOG: list[dict[str, Any]] = [
    {"code": "CRM-PRO", "name_zh": "CRM 专业版", "name_en": "CRM Pro", "unit": "套", "list_price_minor": 1_280_000,
     "floor_price_minor": 980_000, "cost_minor": 400_000, "tax_bp": 1300, "category": "软件"},
    {"code": "CRM-STD", "name_zh": "CRM 标准版", "name_en": "CRM Standard", "unit": "套", "list_price_minor": 680_000,
     "floor_price_minor": 0, "cost_minor": 200_000, "tax_bp": 1300, "category": "软件"},
    {"code": "IMPL-DAY", "name_zh": "实施服务", "name_en": "Implementation", "unit": "天", "list_price_minor": 300_000,
     "floor_price_minor": 200_000, "cost_minor": 150_000, "tax_bp": 600, "category": "服务"},
]


@dataclass
class Crew:
    manager_p: Person
    rep_p: Person
    other_p: Person
    admin_p: Person
    manager: User
    rep: User
    other: User
    admin: User


async def crew(app: App, sandbox: Sandbox) -> Crew:
    manager_p = await join(app, sandbox, "李经理", Role.MANAGER)
    rep_p = await join(app, sandbox, "小王", Role.REP)
    other_p = await join(app, sandbox, "小李", Role.REP)
    admin_p = await join(app, sandbox, "admin", Role.ADMIN)
    return Crew(
        manager_p, rep_p, other_p, admin_p, await member(app, manager_p), await member(app, rep_p),
        await member(app, other_p), await member(app, admin_p),
    )


async def seed_catalog(app: App, manager: User) -> list[Product]:
    found = []
    async with app.uow() as uow:
        for values in CATALOG:
            found.append(await product_service.add_product(uow, actor=manager, values=values, now=app.clock.now()))
        await uow.commit()
    return found


async def deal_with_needs(app: App, rep: User, company: str = "华东科技") -> int:
    """A deal the rep owns, with the lead's need and one more logged on a call."""
    deal_id = await seed_deal(app, rep, company)
    async with app.uow() as uow:
        await activities.log_activity(
            uow, actor=rep, opportunity_id=deal_id, kind=ActivityKind.CALL, outcome=ActivityOutcome.INTERESTED,
            needs="需要移动端", now=app.clock.now(),
        )
        await uow.commit()
    return deal_id


async def notes_to(app: App, user: User, kind: str | None = None) -> list[Any]:
    async with app.engine.connect() as conn:
        rows = (await conn.execute(select(notifications).order_by(notifications.c.id))).mappings().all()
    return [r for r in rows if r["recipient_id"] == user.id and (kind is None or r["kind"] == kind)]


def buttons_of(row: Any) -> dict[str, str]:
    """A notification's buttons: label -> callback data."""
    markup = json.loads(row["reply_markup"] or '{"inline_keyboard": []}')
    return {b["text"]: b["callback_data"] for line in markup["inline_keyboard"] for b in line}


async def quote_row(app: App, quote_id: int) -> Quote:
    async with app.uow() as uow:
        quote = await uow.quotes.get(quote_id)
    assert quote is not None
    return quote


async def latest_quote(app: App, deal_id: int) -> Quote:
    async with app.uow() as uow:
        summaries = await uow.quotes.for_deal(deal_id)
        quote = await uow.quotes.get(summaries[0].id)
    assert quote is not None
    return quote


async def another_deal_with(app: App, rep: User, deal_id: int) -> int:
    """A second deal with the same customer (a new lead linked to the first, as /lead offers it)."""
    from domain.leads import services as lead_service
    from tests.deal_support import hot_lead

    async with app.uow() as uow:
        first = await uow.opportunities.get(deal_id)
        assert first is not None
        lead = await uow.leads.get(first.lead_id)
        assert lead is not None
        result = await lead_service.capture_lead(
            uow, actor=rep, draft=hot_lead(lead.company, keep_myself=True), now=app.clock.now(),
            related_lead_id=lead.id,
        )
        assert result.opportunity is not None and result.opportunity.id is not None
        await uow.commit()
    return result.opportunity.id


async def tap(person, data: str):  # type: ignore[no-untyped-def]
    """Press a button whose data we hold (a notification's, a forged one) on the chat's latest message."""
    return await person.press_data(data, message_id=person.last.message_id)


async def build(rep_p, deal_id: int, *, discount: str = "15%", qty: str = "10") -> None:  # type: ignore[no-untyped-def]
    """The rep's taps: deal card → 📄 报价 → new → add CRM-PRO × qty → the line's discount."""
    from handlers.pipeline_ui import DealAct, DealCb

    await tap(rep_p, DealCb(act=DealAct.OPEN, id=deal_id).pack())
    await rep_p.press("📄 报价")
    await rep_p.press("新报价")
    await rep_p.press("添加产品")
    await rep_p.send("crm")
    await rep_p.press("CRM-PRO")
    await rep_p.press(qty)
    if discount:
        await rep_p.press("1. CRM 专业版")
        await rep_p.press(f"−{discount}")


async def submit(rep_p, reason: str | None = None):  # type: ignore[no-untyped-def]
    """📤 on the quote; when it needs approval and has no reason yet the bot asks for one: typed, or
    submitted without it."""
    calls = await rep_p.press("📤 提交")
    if "写一句折扣说明" in rep_p.last.text:
        calls = await (rep_p.send(reason) if reason else rep_p.press("直接提交"))
    return calls
