"""The outbound webhook event quote.approved (issue 11), on SQLite and PostgreSQL: the team's OA hears of a
quote once it is approved at its last level (not at the manager's step of a two-level approval), with the
quote's number, totals and who approved it; another team's quotes never reach it."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from bot.factory import App
from bot.sandbox import Sandbox
from domain.webhooks import services as webhook_service
from storage.tables import webhook_deliveries
from tests.quote_support import (
    build,
    buttons_of,
    crew,
    deal_with_needs,
    latest_quote,
    notes_to,
    seed_catalog,
    submit,
    tap,
)


async def deliveries(app: App) -> list[Any]:
    async with app.engine.connect() as conn:
        return list((await conn.execute(select(webhook_deliveries).order_by(webhook_deliveries.c.id))).mappings())


async def test_the_teams_oa_hears_quote_approved_once_the_last_level_approves(app: App, sandbox: Sandbox) -> None:
    c = await crew(app, sandbox)
    await seed_catalog(app, c.manager)
    await c.admin_p.send("/webhooks")
    await c.admin_p.press("➕ 添加地址")
    await c.admin_p.send("https://oa.example.com/hooks/crm")
    await c.admin_p.press("▫️ 报价审批通过")  # the event is offered by name, like the others
    await c.admin_p.press("💾 保存")
    async with app.uow() as uow:
        [endpoint] = await webhook_service.team_endpoints(uow, actor=c.admin)
    assert endpoint.events == ["quote.approved"]

    deal_id = await deal_with_needs(app, c.rep)
    await build(c.rep_p, deal_id, discount="")
    await c.rep_p.press("1. CRM 专业版")
    await c.rep_p.press("输入折扣")
    await c.rep_p.send("25")
    await submit(c.rep_p)
    [card] = await notes_to(app, c.manager, "quote.approval")
    await tap(c.manager_p, buttons_of(card)["✅ 批准"])
    assert await deliveries(app) == []  # the manager's step: not approved yet
    [admin_card] = await notes_to(app, c.admin, "quote.approval")
    await tap(c.admin_p, buttons_of(admin_card)["✅ 批准"])

    quote = await latest_quote(app, deal_id)
    [delivery] = await deliveries(app)
    payload = delivery["payload"]
    assert delivery["event"] == "quote.approved" and payload["event"] == "quote.approved"
    assert payload["object"] == {"type": "quote", "id": quote.id} and payload["actor_id"] == c.admin.id
    data = payload["data"]
    assert data["number"] == "Q-2026-0001-v1" and data["company"] == "华东科技" and data["currency"] == "CNY"
    assert data["total"] == quote.total_minor == 10_848_000 and data["discount_percent"] == "25.0"
    assert data["by"] == c.admin.id and data["levels"] == ["manager", "admin"]
    assert data["opportunity_id"] == deal_id and data["valid_until"] == "2026-12-11"
