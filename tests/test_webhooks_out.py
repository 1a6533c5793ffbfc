"""Outbound webhooks: an admin connects the team's OA in chat; new leads and stage changes reach it
signed, once; a failing receiver is retried, then stopped with the admin told; pause and resume keep
what happened meanwhile. On SQLite and PostgreSQL."""

from __future__ import annotations

import json
import re
from collections.abc import AsyncIterator
from dataclasses import dataclass, field

import pytest
from aiohttp import web
from aiohttp.test_utils import TestServer

from bot.factory import App
from bot.sandbox import Person, Sandbox
from bot.webhooks import webhooks_of
from domain.deals.model import Stage
from domain.team.model import Role
from domain.webhooks.delivery import DISABLE_AFTER, verify
from tests.conftest import join
from tests.deal_support import alert, inbox, member, move, seed_deal


@dataclass
class Receiver:
    status: int = 200
    got: list[tuple[dict[str, str], bytes]] = field(default_factory=list)
    url: str = ""

    def events(self) -> list[str]:
        return [json.loads(body)["event"] for _, body in self.got]


@pytest.fixture
async def receiver() -> AsyncIterator[Receiver]:
    state = Receiver()

    async def hook(request: web.Request) -> web.Response:
        body = await request.read()
        if state.status < 300:
            state.got.append((dict(request.headers), body))
        return web.Response(status=state.status)

    web_app = web.Application()
    web_app.router.add_post("/hook", hook)
    server = TestServer(web_app)
    await server.start_server()
    state.url = str(server.make_url("/hook"))
    try:
        yield state
    finally:
        await server.close()


async def connect(admin: Person, url: str, *events: str) -> str:
    await admin.send("/webhooks")
    await admin.press("➕ 添加地址")
    assert "请发接收地址" in admin.last.text
    await admin.send("ftp://oa.example.com")
    assert "地址要以 https:// 开头" in admin.last.text
    await admin.send(url)
    assert "点选要推的" in admin.last.text
    for event in events:
        await admin.press(f"▫️ {event}")
        assert any(label == f"✅ {event}" for label, _ in admin.last.buttons)
    await admin.press("💾 保存")
    found = re.search(r"whsec_[A-Za-z0-9_\-]+", admin.last.text)
    assert found is not None, admin.last.text
    return found.group(0)


async def test_the_teams_oa_hears_of_new_leads_and_stage_changes_signed_and_once(
    app: App, sandbox: Sandbox, receiver: Receiver
) -> None:
    admin = await join(app, sandbox, "王总", Role.ADMIN)
    rep = await join(app, sandbox, "小王", Role.REP)
    other_rep = await join(app, sandbox, "小赵", Role.REP, team="华北销售部")
    await rep.send("/webhooks")
    assert "只有管理员可以管理外部系统对接" in rep.last.text

    await admin.send("/webhooks")
    await admin.press("➕ 添加地址")
    await admin.send(receiver.url)
    calls = await admin.press("💾 保存")
    assert "请至少选一个事件" in alert(calls)
    await admin.press("▫️ 新线索")
    await admin.press("▫️ 阶段变化")
    await admin.press("💾 保存")
    secret = re.search(r"whsec_[A-Za-z0-9_\-]+", admin.last.text)
    assert secret is not None

    wang = await member(app, rep)
    deal = await seed_deal(app, wang, "华东科技")
    await move(app, wang, deal, Stage.FOLLOWING_UP)
    await seed_deal(app, await member(app, other_rep), "华北重工")  # another team's: not ours to hear
    sender = webhooks_of(app)
    assert await sender.run_once() == 2
    assert await sender.run_once() == 0  # nothing twice
    assert receiver.events() == ["lead.created", "deal.stage_changed"]
    for headers, body in receiver.got:
        assert verify(secret.group(0), headers["X-Loopbot-Signature"], body, app.clock.now())
        assert not verify("whsec_wrong", headers["X-Loopbot-Signature"], body, app.clock.now())
    created, staged = (json.loads(body) for _, body in receiver.got)
    assert created["data"]["company"] == "华东科技" and created["object"]["type"] == "lead"
    assert staged["previous"]["stage"] == "qualified" and staged["data"]["stage"] == "following_up"
    assert staged["object"] == {"type": "opportunity", "id": deal}
    assert receiver.got[0][0]["X-Loopbot-Delivery"] == created["id"]


async def test_a_failing_receiver_is_retried_then_stopped_and_the_admin_told(
    app: App, sandbox: Sandbox, receiver: Receiver
) -> None:
    admin = await join(app, sandbox, "王总", Role.ADMIN)
    await connect(admin, receiver.url, "新线索")
    sender = webhooks_of(app)
    receiver.status = 500
    await admin.press("🔗 返回列表")
    for _ in range(DISABLE_AFTER):
        calls = await admin.press("🧪 测试 1")
        assert "测试推送" in alert(calls)
    assert await sender.run_once() == 0
    await admin.send("/webhooks")
    assert "连续失败，已自动停用" in admin.last.text
    told = await inbox(app, await member(app, admin))
    assert any(f"连续 {DISABLE_AFTER} 次推送失败" in text and "▶️ 恢复" in text for text in told), told

    receiver.status = 200
    app.clock.advance(minutes=2)
    assert await sender.run_once() == 0  # stopped: nothing goes out until the admin resumes
    await admin.press("▶️ 恢复 1")
    assert "已恢复" in admin.last.text and "推送中" in admin.last.text
    assert await sender.run_once() == DISABLE_AFTER  # what was kept goes out
    assert receiver.events() == ["ping"] * DISABLE_AFTER


async def test_paused_events_wait_and_removing_drops_them(app: App, sandbox: Sandbox, receiver: Receiver) -> None:
    admin = await join(app, sandbox, "王总", Role.ADMIN)
    rep = await join(app, sandbox, "小王", Role.REP)
    await connect(admin, receiver.url, "新线索")
    await admin.press("🔗 返回列表")
    await admin.press("⏸ 暂停 1")
    assert "已暂停" in admin.last.text
    _, pause = admin.find_button("▶️ 恢复 1")
    await seed_deal(app, await member(app, rep), "华东科技")
    sender = webhooks_of(app)
    assert await sender.run_once() == 0
    await admin.press("▶️ 恢复 1")
    calls = await admin.press_data(pause)  # the same press again: acts once
    assert "已经在推送了" in alert(calls)
    assert await sender.run_once() == 1 and receiver.events() == ["lead.created"]

    await admin.press("🗑 删除 1")
    await admin.press("确认删除")
    assert "已删除" in admin.last.text and "还没有对接外部系统" in admin.last.text
    await seed_deal(app, await member(app, rep), "华南贸易")
    assert await sender.run_once() == 0
