"""Leads from outside the chat: a manager makes a key in /apikeys, the website posts leads with it, and
they land in the same pipeline as a rep's capture: hand-off card, dedupe, source. On SQLite and PostgreSQL."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from typing import Any

import pytest
from aiohttp.test_utils import TestClient, TestServer
from sqlalchemy import func, select

from bot.factory import App
from bot.sandbox import Person, Sandbox
from bot.web import LIMITER_KEY, build_web_app
from domain.leads.model import LeadSource
from domain.team.model import Role
from storage.tables import activities, api_keys, leads
from tests.conftest import join
from tests.deal_support import alert, inbox, member
from tests.fakes import FakeClock

HOT = {
    "company": "杭州云栖科技", "contact_name": "陈总", "phone": "13900139001", "need": "门店收银系统替换",
    "budget": "known", "authority": "yes", "timeline": "this_month",
}


@pytest.fixture
async def client(app: App) -> AsyncIterator[TestClient[Any, Any]]:
    web_app = build_web_app(app)
    async with TestClient(TestServer(web_app)) as test_client:
        yield test_client


async def make_key(person: Person, channel: str = "官网表单", source: str = "官网") -> str:
    await person.send("/apikeys")
    await person.press("➕ 新建密钥")
    assert "这个密钥给哪个渠道用" in person.last.text
    await person.send(channel)
    assert f"「{channel}」来的线索，来源记成哪一类" in person.last.text
    await person.press(source)
    text = person.last.text
    assert "密钥只显示这一次" in text, text
    found = re.search(r"lk_[A-Za-z0-9_\-]+", text)
    assert found is not None
    return found.group(0)


async def lead_count(app: App) -> int:
    async with app.engine.connect() as conn:
        return int((await conn.execute(select(func.count()).select_from(leads))).scalar_one())


async def test_a_website_lead_reaches_the_rep_as_a_hand_off_card(
    app: App, sandbox: Sandbox, client: TestClient[Any, Any]
) -> None:
    manager = await join(app, sandbox, "李经理", Role.MANAGER)
    rep = await join(app, sandbox, "小王", Role.REP)
    await rep.send("/apikeys")
    assert "只有销售经理和管理员可以管理接入密钥" in rep.last.text

    await manager.send("/apikeys")
    assert "还没有接入密钥" in manager.last.text
    key = await make_key(manager)
    await manager.press("🔑 返回密钥列表")
    assert "官网表单" in manager.last.text and key[:10] in manager.last.text and key not in manager.last.text

    response = await client.post("/api/v1/leads", json=HOT, headers={"Authorization": f"Bearer {key}"})
    assert response.status == 201, await response.text()
    body = await response.json()
    assert body["outcome"] == "handoff" and body["deal_id"] and body["lead_id"]

    wang = await member(app, rep)
    cards = await inbox(app, wang)
    assert any("杭州云栖科技" in text for text in cards), cards
    async with app.uow() as uow:
        lead = await uow.leads.get(body["lead_id"])
    assert lead is not None and lead.source is LeadSource.WEBSITE
    assert lead.created_by == (await member(app, manager)).id
    await manager.send("/apikeys")
    assert "还没用过" not in manager.last.text  # last used now shows a time


async def test_a_retry_with_the_same_idempotency_key_records_the_lead_once(
    app: App, sandbox: Sandbox, client: TestClient[Any, Any]
) -> None:
    manager = await join(app, sandbox, "李经理", Role.MANAGER)
    await join(app, sandbox, "小王", Role.REP)
    key = await make_key(manager)
    headers = {"Authorization": f"Bearer {key}", "Idempotency-Key": "form-8812"}
    first = await client.post("/api/v1/leads", json=HOT, headers=headers)
    again = await client.post("/api/v1/leads", json=HOT, headers=headers)
    assert first.status == again.status == 201
    assert (await first.json()) == (await again.json())
    assert again.headers.get("Idempotent-Replayed") == "true"
    assert await lead_count(app) == 1


async def test_a_keys_last_use_is_written_at_most_once_a_minute(
    app: App, sandbox: Sandbox, client: TestClient[Any, Any], clock: FakeClock
) -> None:
    """/apikeys shows the last use to the minute; a busy form must not write the key's row on every lead."""
    manager = await join(app, sandbox, "李经理", Role.MANAGER)
    await join(app, sandbox, "小王", Role.REP)
    key = await make_key(manager)
    headers = {"Authorization": f"Bearer {key}"}

    async def last_used() -> Any:
        async with app.engine.connect() as conn:
            return (await conn.execute(select(api_keys.c.last_used_at))).scalar_one()

    first_at = clock.now()
    assert (await client.post("/api/v1/leads", json=HOT, headers=headers)).status == 201
    assert await last_used() == first_at
    clock.advance(seconds=40)
    second = {**HOT, "company": "宁波海天科技", "phone": "13900139002"}
    assert (await client.post("/api/v1/leads", json=second, headers=headers)).status == 201
    assert await last_used() == first_at  # within the minute: the row is not written again
    later = clock.advance(seconds=30)
    third = {**HOT, "company": "绍兴兰亭科技", "phone": "13900139003"}
    assert (await client.post("/api/v1/leads", json=third, headers=headers)).status == 201
    assert await last_used() == later
    assert await lead_count(app) == 3


async def test_a_customer_who_submits_twice_becomes_a_note_on_the_known_lead(
    app: App, sandbox: Sandbox, client: TestClient[Any, Any]
) -> None:
    manager = await join(app, sandbox, "李经理", Role.MANAGER)
    await join(app, sandbox, "小王", Role.REP)
    key = await make_key(manager)
    auth = {"X-Api-Key": key}
    first = await (await client.post("/api/v1/leads", json=HOT, headers=auth)).json()
    second = await client.post(
        "/api/v1/leads", json={**HOT, "company": "云栖科技（杭州）", "need": "还想要会员积分"}, headers=auth
    )
    assert second.status == 200
    body = await second.json()
    assert body["outcome"] == "duplicate" and body["lead_id"] == first["lead_id"]
    assert await lead_count(app) == 1
    async with app.engine.connect() as conn:
        notes = (await conn.execute(select(activities.c.note))).scalars().all()
    assert any("官网表单" in (note or "") and "还想要会员积分" in (note or "") for note in notes), notes


async def test_bad_requests_get_problem_details_naming_the_field(
    app: App, sandbox: Sandbox, client: TestClient[Any, Any]
) -> None:
    manager = await join(app, sandbox, "李经理", Role.MANAGER)
    key = await make_key(manager)
    auth = {"Authorization": f"Bearer {key}"}

    async def post(body: Any, headers: dict[str, str] | None = None, raw: bool = False) -> tuple[int, dict[str, Any]]:
        if raw:
            response = await client.post(
                "/api/v1/leads", data=body, headers={**auth, "Content-Type": "application/json", **(headers or {})}
            )
        else:
            response = await client.post("/api/v1/leads", json=body, headers={**auth, **(headers or {})})
        assert response.content_type == "application/problem+json", await response.text()
        return response.status, await response.json()

    status, problem = await post({**HOT, "company": ""})
    assert status == 422 and problem["errors"][0]["field"] == "company"
    status, problem = await post({k: v for k, v in HOT.items() if k != "company"})
    assert status == 422 and problem["errors"][0]["field"] == "company"
    status, problem = await post({**HOT, "budget": "lots"})
    assert status == 422 and problem["errors"][0]["field"] == "budget"
    assert "known" in problem["detail"] and "unknown" in problem["detail"]
    status, problem = await post({"company": "某某公司"})
    assert status == 422 and problem["errors"][0]["field"] == "phone"
    status, problem = await post({**HOT, "phone": "12"})
    assert status == 422 and problem["errors"][0]["field"] == "phone"
    status, problem = await post({**HOT, "fax": "010-1"})
    assert status == 422 and problem["errors"][0]["field"] == "fax"
    status, problem = await post({**HOT, "need": 5})
    assert status == 422 and problem["errors"][0]["field"] == "need"
    status, problem = await post("{not json", raw=True)
    assert status == 400
    status, problem = await post(["a list"])
    assert status == 400
    status, problem = await post({**HOT, "company": ""}, headers={"Accept-Language": "zh-CN,zh;q=0.9"})
    assert "公司名称" in problem["detail"]
    status, problem = await post({**HOT, "company": ""}, headers={"Accept-Language": "en"})
    assert "company name" in problem["detail"]
    status, problem = await post(HOT, headers={"Idempotency-Key": "x" * 300})
    assert status == 422 and problem["errors"][0]["field"] == "Idempotency-Key"
    assert await lead_count(app) == 0  # nothing half-saved


async def test_without_a_valid_key_nothing_is_recorded(app: App, sandbox: Sandbox, client: TestClient[Any, Any]) -> None:
    manager = await join(app, sandbox, "李经理", Role.MANAGER)
    key = await make_key(manager)
    for headers in ({}, {"Authorization": "Bearer lk_wrong"}, {"Authorization": "Basic abc"}, {"X-Api-Key": key + "x"}):
        response = await client.post("/api/v1/leads", json=HOT, headers=headers)
        assert response.status == 401
        assert response.content_type == "application/problem+json"
        assert response.headers.get("WWW-Authenticate", "").startswith("Bearer")

    await manager.send("/apikeys")
    await manager.press("🗑 吊销「官网表单」")
    assert "确定吊销「官网表单」的密钥" in manager.last.text
    _, confirm = manager.find_button("确认吊销")
    await manager.press("确认吊销")
    assert "已吊销" in manager.last.text and "还没有接入密钥" in manager.last.text
    again = await manager.press_data(confirm)  # a stale second press
    assert "已经吊销过了" in alert(again)
    response = await client.post("/api/v1/leads", json=HOT, headers={"Authorization": f"Bearer {key}"})
    assert response.status == 401
    assert await lead_count(app) == 0


async def test_another_team_cannot_see_or_revoke_a_key(app: App, sandbox: Sandbox, client: TestClient[Any, Any]) -> None:
    east = await join(app, sandbox, "李经理", Role.MANAGER)
    north = await join(app, sandbox, "赵经理", Role.MANAGER, team="华北销售部")
    key = await make_key(east)
    await east.press("🔑 返回密钥列表")
    _, ask = east.find_button("🗑 吊销「官网表单」")
    await north.send("/apikeys")
    assert "还没有接入密钥" in north.last.text and key[:10] not in north.last.text
    forged = ask.replace(":ask:", ":revoke:")
    calls = await north.press_data(forged)
    assert "找不到这个密钥" in alert(calls)
    response = await client.post("/api/v1/leads", json=HOT, headers={"Authorization": f"Bearer {key}"})
    assert response.status == 201


async def test_a_key_beyond_its_rate_gets_429_with_retry_after(
    app: App, sandbox: Sandbox, client: TestClient[Any, Any]
) -> None:
    client.server.app[LIMITER_KEY].per_minute = 2
    manager = await join(app, sandbox, "李经理", Role.MANAGER)
    key = await make_key(manager)
    auth = {"Authorization": f"Bearer {key}"}
    statuses = []
    for n in range(3):
        response = await client.post("/api/v1/leads", json={**HOT, "company": f"客户{n}号", "phone": f"1390013900{n}"}, headers=auth)
        statuses.append(response.status)
    assert statuses[:2] == [201, 201] and statuses[2] == 429
    assert int(response.headers["Retry-After"]) >= 1
    assert await lead_count(app) == 2


async def test_health_and_metrics(app: App, sandbox: Sandbox, client: TestClient[Any, Any]) -> None:
    manager = await join(app, sandbox, "李经理", Role.MANAGER)
    key = await make_key(manager)
    await client.post("/api/v1/leads", json=HOT, headers={"Authorization": f"Bearer {key}"})
    health = await client.get("/healthz")
    body = await health.json()
    assert health.status == 200 and body["database"] == "ok" and body["status"] == "ok"
    assert body["outbox_backlog"] >= 1  # the hand-off's notices are queued, nobody delivered them yet
    metrics = await (await client.get("/metrics")).text()
    assert re.search(r'loopbot_intake_requests_total\{outcome="(handoff|pool)"\} 1\.0', metrics), metrics
    assert re.search(r'loopbot_updates_total\{result="ok",type="(message|callback_query)"\} [1-9]', metrics), metrics
    assert "loopbot_outbox_backlog" in metrics


async def form_slug(manager: Person) -> str:
    await make_key(manager)
    await manager.press("🔑 返回密钥列表")
    found = re.search(r"/f/([A-Za-z0-9_\-]+)", manager.last.text)
    assert found is not None, manager.last.text
    return found.group(1)


async def test_the_public_web_form_brings_a_lead_in_once(
    app: App, sandbox: Sandbox, client: TestClient[Any, Any]
) -> None:
    manager = await join(app, sandbox, "李经理", Role.MANAGER)
    rep = await join(app, sandbox, "小王", Role.REP)
    slug = await form_slug(manager)
    zh = {"Accept-Language": "zh-CN"}
    page = await client.get(f"/f/{slug}", headers=zh)
    html = await page.text()
    assert page.status == 200 and "联系我们" in html and 'name="company"' in html
    nonce = re.search(r'name="nonce" value="([^"]+)"', html)
    assert nonce is not None

    sent = {"company": "宁波海曙贸易", "contact_name": "周女士", "phone": "13700137000", "need": "想做进销存",
            "nonce": nonce.group(1), "website": ""}
    done = await client.post(f"/f/{slug}", data=sent, headers=zh)
    thanks = await done.text()
    assert done.status == 200 and "提交成功" in thanks
    assert "13700137000" not in thanks and "宁波海曙贸易" not in thanks  # nothing echoed back
    again = await client.post(f"/f/{slug}", data=sent, headers=zh)  # the same form sent twice
    assert again.status == 200 and await lead_count(app) == 1
    # No budget or timing given: it scores below the line and goes to nurture, so the key's manager
    # hears of it (nobody typed it in, nobody else would know); the rep gets no card.
    told = await inbox(app, await member(app, manager))
    assert any("「官网表单」来了一条新线索：宁波海曙贸易（周女士）" in text and "培育池" in text for text in told), told
    assert await inbox(app, await member(app, rep)) == []


async def test_the_web_form_keeps_what_was_typed_refuses_bots_and_floods(
    app: App, sandbox: Sandbox, client: TestClient[Any, Any]
) -> None:
    manager = await join(app, sandbox, "李经理", Role.MANAGER)
    slug = await form_slug(manager)
    wrong = await client.post(f"/f/{slug}", data={"company": "<b>坏</b>公司", "need": "要报价"}, headers={"Accept-Language": "zh"})
    page = await wrong.text()
    assert wrong.status == 422 and "手机号和邮箱至少要填一个" in page
    assert "&lt;b&gt;坏&lt;/b&gt;公司" in page and "<b>坏</b>" not in page and "要报价" in page

    bot = await client.post(f"/f/{slug}", data={"company": "垃圾", "phone": "13600136000", "website": "http://spam"})
    assert bot.status == 200 and await lead_count(app) == 0  # thanked, nothing recorded

    statuses = []
    for n in range(4):
        response = await client.post(f"/f/{slug}", data={"company": f"客户{n}", "phone": f"1350013500{n}"})
        statuses.append(response.status)
    assert statuses[:3] == [200, 200, 200] and statuses[3] == 429  # 5 a minute from one address
    assert await lead_count(app) == 3

    await manager.send("/apikeys")
    await manager.press("🗑 吊销「官网表单」")
    await manager.press("确认吊销")
    gone = await client.get(f"/f/{slug}", headers={"Accept-Language": "zh"})
    assert gone.status == 404 and "停用" in await gone.text()
