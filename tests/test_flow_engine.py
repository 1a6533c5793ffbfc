"""The flow engine, on every declared flow: each step of each step table is put on screen (by something the
step does not take, a sticker: the engine's fallback draws it again), and then Back, Skip, Edit and
Cancel are pressed on it as a person would, and a button of an earlier or finished flow is pressed too.
Plus what the engine promised the capture flow: a quick-capture message is read once, and Confirm asks
for duplicates once."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from typing import Any

import pytest
from aiogram.fsm.context import FSMContext
from aiogram.fsm.storage.base import StorageKey
from aiogram.methods import AnswerCallbackQuery
from aiogram.types import Chat, Message, Sticker, Update

from bot.factory import App
from bot.sandbox import Call, Person, Sandbox, Sent
from domain.deals.model import Stage
from domain.leads import contact
from domain.team.model import Language, Role
from handlers.flow import FLOWS, FlowAction, FlowCb
from handlers.pipeline_ui import DealAct, DealCb
from tests.conftest import join
from tests.deal_support import member, move, seed_deal

STICKER = Sticker(
    file_id="sticker-1", file_unique_id="s1", type="regular", width=512, height=512, is_animated=False, is_video=False
)


def fsm(app: App, person: Person) -> FSMContext:
    key = StorageKey(bot_id=app.bot.id, chat_id=person.telegram_id, user_id=person.telegram_id)
    return FSMContext(storage=app.dp.storage, key=key)


async def send_sticker(person: Person) -> list[Call]:
    sandbox = person.sandbox
    message = Message(
        message_id=next(sandbox.message_ids), date=datetime.now(UTC), chat=Chat(id=person.telegram_id, type="private"),
        from_user=person.tg, sticker=STICKER,
    )
    return await sandbox.feed(Update(update_id=next(sandbox.update_ids), message=message))


def alerts(calls: list[Call]) -> list[str]:
    return [c.method.text or "" for c in calls if isinstance(c.method, AnswerCallbackQuery) and c.method.text]


def flow_buttons(sent: Sent) -> list[tuple[str, FlowCb]]:
    return [(text, FlowCb.unpack(data)) for text, data in sent.buttons if data.startswith("flow:")]


# --- how each flow is started for real, and the answers its later steps need ---------------------------

Starter = Callable[[App, Sandbox], Awaitable[Person]]


async def start_lead(app: App, sandbox: Sandbox) -> Person:
    rep = await join(app, sandbox, "小王", Role.REP)
    await rep.send("/lead")
    return rep


async def start_log(app: App, sandbox: Sandbox) -> Person:
    rep = await join(app, sandbox, "小王", Role.REP)
    await seed_deal(app, await member(app, rep), "华东科技")
    await rep.send("/deals")
    await rep.press(". 华东科技")
    await rep.press("记录跟进")
    return rep


async def start_remind(app: App, sandbox: Sandbox) -> Person:
    rep = await join(app, sandbox, "小王", Role.REP)
    await rep.send("/remind")
    return rep


async def start_number(app: App, sandbox: Sandbox) -> Person:
    manager = await join(app, sandbox, "李经理", Role.MANAGER)
    await manager.send("/policy")
    await manager.press("回收天数")
    return manager


async def start_plan_template(app: App, sandbox: Sandbox) -> Person:
    manager = await join(app, sandbox, "李经理", Role.MANAGER)
    await manager.send("/policy")
    await manager.press("🗓 回款模板")
    await manager.press("➕ 新建模板")
    return manager


async def start_cadence(app: App, sandbox: Sandbox) -> Person:
    manager = await join(app, sandbox, "李经理", Role.MANAGER)
    await manager.send("/policy")
    await manager.press("⏰ 回款提醒")
    return manager


async def start_quote_policy(app: App, sandbox: Sandbox) -> Person:
    manager = await join(app, sandbox, "李经理", Role.MANAGER)
    await manager.send("/policy")
    await manager.press("报价审批")
    await manager.press("审批时限")
    return manager


async def start_idle(app: App, sandbox: Sandbox) -> Person:
    manager = await join(app, sandbox, "李经理", Role.MANAGER)
    await manager.send("/policy")
    await manager.press("沉默时限")
    await manager.press("深度跟进")
    return manager


async def start_skills(app: App, sandbox: Sandbox) -> Person:
    manager = await join(app, sandbox, "李经理", Role.MANAGER)
    await join(app, sandbox, "小王", Role.REP)
    await manager.send("/policy")
    await manager.press("销售技能")
    await manager.press("小王")
    await manager.press("区域")
    return manager


async def start_apikey(app: App, sandbox: Sandbox) -> Person:
    manager = await join(app, sandbox, "李经理", Role.MANAGER)
    await manager.send("/apikeys")
    await manager.press("➕ 新建密钥")
    return manager


async def start_ticket(app: App, sandbox: Sandbox) -> Person:
    rep = await join(app, sandbox, "小王", Role.REP)
    await seed_deal(app, await member(app, rep), "华东科技")
    await rep.send("/ticket")
    return rep


async def start_service_number(app: App, sandbox: Sandbox) -> Person:
    manager = await join(app, sandbox, "李经理", Role.MANAGER)
    await manager.send("/policy")
    await manager.press("售后规则")
    await manager.press("P2 解决")
    return manager


async def start_sign_off(app: App, sandbox: Sandbox) -> Person:
    rep = await join(app, sandbox, "小王", Role.REP)
    deal_id = await seed_deal(app, await member(app, rep), "华东科技")
    manager = await join(app, sandbox, "李经理", Role.MANAGER)
    await move(app, await member(app, manager), deal_id, Stage.DELIVERY, override=True)
    await rep.press_data(DealCb(act=DealAct.OPEN, id=deal_id).pack())
    await rep.press("交付清单")
    await rep.press("4. 验收签字")
    await rep.press("✍️ 验收签字")
    return rep


async def start_renewal(app: App, sandbox: Sandbox) -> Person:
    rep = await join(app, sandbox, "小王", Role.REP)
    deal_id = await seed_deal(app, await member(app, rep), "华东科技")
    manager = await join(app, sandbox, "李经理", Role.MANAGER)
    await move(app, await member(app, manager), deal_id, Stage.WON, override=True)
    await rep.press_data(DealCb(act=DealAct.OPEN, id=deal_id).pack())
    await rep.press("续约/复购")
    return rep


async def start_assist(app: App, sandbox: Sandbox) -> Person:
    rep = await join(app, sandbox, "小王", Role.REP)
    await join(app, sandbox, "小李", Role.REP)
    deal_id = await seed_deal(app, await member(app, rep), "华东科技")
    await rep.press_data(DealCb(act=DealAct.OPEN, id=deal_id).pack())
    await rep.press("求助同事")
    return rep


async def start_assist_answer(app: App, sandbox: Sandbox) -> Person:
    from domain.assist import services as assist
    from domain.assist.model import Deadline
    from handlers.assist_cb import AssistAct, AssistCb

    rep = await join(app, sandbox, "小王", Role.REP)
    helper = await join(app, sandbox, "小李", Role.REP)
    wang, li = await member(app, rep), await member(app, helper)
    deal_id = await seed_deal(app, wang, "华东科技")
    assert li.id is not None
    async with app.uow() as uow:
        q = await assist.ask(uow, actor=wang, helper_id=li.id, question="集团折扣多少？", deadline=Deadline.TODAY,
                             now=app.clock.now(), deal_id=deal_id)
        await uow.commit()
    await helper.press_data(AssistCb(act=AssistAct.ANSWER, id=q.id or 0).pack())
    return helper


async def start_checklist_template(app: App, sandbox: Sandbox) -> Person:
    manager = await join(app, sandbox, "李经理", Role.MANAGER)
    await manager.send("/policy")
    await manager.press("交付清单模板")
    await manager.press("添加事项")
    return manager


async def start_hook(app: App, sandbox: Sandbox) -> Person:
    admin = await join(app, sandbox, "王总", Role.ADMIN)
    await admin.send("/webhooks")
    await admin.press("➕ 添加地址")
    return admin


async def start_product(app: App, sandbox: Sandbox) -> Person:
    manager = await join(app, sandbox, "李经理", Role.MANAGER)
    await manager.send("/products")
    await manager.press("添加产品")
    return manager


HIT = {
    "kind": "lead", "id": 1, "team": "华东销售部", "matched": "phone", "detailed": True, "same_team": True,
    "mine": True, "lead_id": 1, "company": "华东科技", "owner": None, "stage": None, "last": None, "creator": "小王",
    "status": "nurture", "in_pool": False, "waiting": False,
}  # fmt: skip
STARTERS: dict[str, tuple[Starter, dict[str, Any]]] = {
    "lead": (start_lead, {
        "company": "华东科技", "contact_name": "张总", "phone": "+8613800138000", "source": "website", "need": "CRM",
        "budget": "known", "hits": [HIT], "note_hit": 1,
    }),
    "log": (start_log, {"kind": "call", "outcome": "reached", "note": "先发资料", "needs": "审批", "step": "回访"}),
    "remind": (start_remind, {"due": "2026-11-27T01:00:00+00:00"}),
    "pnum": (start_number, {}),
    "pidle": (start_idle, {}),
    "qpol": (start_quote_policy, {}),
    "ptpl": (start_plan_template, {"name": "4-5-1 分期"}),
    "pcad": (start_cadence, {}),
    "pskill": (start_skills, {}),
    "apikey": (start_apikey, {"channel": "官网表单"}),
    "hook": (start_hook, {"url": "https://oa.example.com/hook", "events": ["lead.created"]}),
    "psvc": (start_service_number, {}),
    "dsign": (start_sign_off, {}),
    "renew": (start_renewal, {}),
    "assist": (start_assist, {"helper": 2, "helper_name": "小李", "question": "集团折扣多少？"}),
    "asans": (start_assist_answer, {}),
    "ctpl": (start_checklist_template, {"name": "数据迁移", "days": 3}),
    "ticket": (start_ticket, {"deal": None, "company": "华东科技", "category": "fault", "priority": "p1"}),
    "prod": (start_product, {
        "code": "CRM-PRO", "name_zh": "CRM 专业版", "unit": "套", "list_price_minor": 1_280_000, "cost_minor": 400_000,
    }),
}


def test_every_declared_flow_is_walked() -> None:
    import handlers  # declares every flow

    handlers.routers()
    assert set(FLOWS) == set(STARTERS)


class Walk:
    """One person in one flow: put any step on screen with the answers so far."""

    def __init__(self, app: App, person: Person, flow: str, base: dict[str, Any]) -> None:
        self.app, self.person, self.flow, self.base = app, person, FLOWS[flow], base
        self.instance = 0

    async def enter(self, step: str, *, token: str | None = None) -> Sent:
        state = fsm(self.app, self.person)
        self.instance += 1
        await state.set_state(self.flow.state_of(step))
        await state.set_data({**self.base, "flow_token": token or f"t{self.instance}"})
        await send_sticker(self.person)  # not an answer to any step: the engine draws the step again
        shown = self.person.sandbox.session.last_with_buttons(self.person.telegram_id)
        assert shown is not None and shown is self.person.last, f"{self.flow.name}:{step} has no buttons"
        return shown

    async def state(self) -> str | None:
        return await fsm(self.app, self.person).get_state()

    def expect_text(self, key: str) -> str:
        return self.app.catalogue.get(Language.ZH, key)


@pytest.mark.parametrize("name", sorted(STARTERS))
async def test_back_skip_edit_cancel_and_stale_presses_on_every_step(app: App, sandbox: Sandbox, name: str) -> None:
    starter, extra = STARTERS[name]
    person = await starter(app, sandbox)
    flow = FLOWS[name]
    first = await fsm(app, person).get_state()
    assert flow.step_at(first) is not None, f"{name} did not start: {person.last.text}"
    base = {**await fsm(app, person).get_data(), **extra}
    walk = Walk(app, person, name, base)

    for step in flow.steps:
        here = flow.state_of(step.name)
        shown = await walk.enter(step.name)
        if step.expect:  # the fallback says what the step wants, and every answer is kept
            assert walk.expect_text(step.expect).split("\n")[0][:12] in shown.text, (here, shown.text)
        assert await walk.state() == here
        markup = shown.markup
        assert markup is not None and all(len(row) <= 3 for row in markup.inline_keyboard), here
        assert all(len(data.encode()) <= 64 for _, data in shown.buttons), here

        for label, data in flow_buttons(shown):
            assert data.flow == name and data.step == step.name, (here, label)
            if data.action is FlowAction.PICK:
                continue  # answers: the flow tests walk them
            shown = await walk.enter(step.name)
            _, fresh = next((text, cb) for text, cb in flow_buttons(shown) if text == label)
            calls = await person.press_data(fresh.pack(), message_id=shown.message_id)
            after = await walk.state()
            if data.action is FlowAction.CANCEL:
                assert after is None and "已取消" in person.last.text, here
            elif data.action is FlowAction.BACK:
                assert after != here and flow.step_at(after) is not None, (here, after, alerts(calls))
            elif data.action is FlowAction.SKIP:
                assert after != here and flow.step_at(after) is not None, (here, after, alerts(calls))
            elif data.action is FlowAction.EDIT:
                assert after == flow.state_of(data.value), (here, after)
                edited = person.sandbox.session.last_with_buttons(person.telegram_id)
                assert edited is not None
                back = next(cb for _, cb in flow_buttons(edited) if cb.action is FlowAction.BACK)
                await person.press_data(back.pack(), message_id=edited.message_id)
                assert await walk.state() == here, f"Back from an edit of {data.value} returns to {step.name}"

        # A button of an earlier instance of the same flow: stale, and the open one carries on.
        old = await walk.enter(step.name, token="earlier")
        own = [cb for _, cb in flow_buttons(old)]  # a step whose only button leaves the flow: a forged Cancel
        pressed = own[0] if own else FlowCb(flow=name, action=FlowAction.CANCEL, step=step.name, token="earlier")
        await walk.enter(step.name, token="later")
        calls = await person.press_data(pressed.pack(), message_id=old.message_id)
        assert walk.expect_text(flow.stale) in alerts(calls), (here, alerts(calls))
        assert await walk.state() == here
        # ...and once the flow is over: a polite alert, nothing else happens.
        await person.send("/cancel")
        assert await walk.state() is None
        before = len(person.chat())
        calls = await person.press_data(pressed.pack(), message_id=old.message_id)
        assert walk.expect_text(step.done or flow.stale) in alerts(calls), (here, alerts(calls))
        assert len(person.chat()) == before and await walk.state() is None


# --- quick capture is read once; Confirm asks for duplicates once --------------------------------------


@pytest.fixture
def parses(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    seen: list[str] = []
    real = contact._parse

    def counting(raw: str) -> contact.QuickCapture:
        seen.append(raw)
        return real(raw)

    monkeypatch.setattr(contact, "_parse", counting)
    return seen


async def test_a_quick_capture_line_is_parsed_once(app: App, sandbox: Sandbox, parses: list[str]) -> None:
    rep = await join(app, sandbox, "小王", Role.REP)
    parses.clear()
    await rep.send("张三 13800138000 华东科技 官网 预算50万 下月上线")
    assert "我从你的消息里整理出这些" in rep.last.text and len(parses) == 1
    await rep.send("/cancel")
    parses.clear()
    await rep.send("/lead 李四 13700137000 华北贸易 展会")
    assert "我从你的消息里整理出这些" in rep.last.text and len(parses) == 1


@pytest.fixture
def duplicate_queries(monkeypatch: pytest.MonkeyPatch) -> list[dict[str, Any]]:
    from storage.leads_repo import SqlLeads

    seen: list[dict[str, Any]] = []
    real = SqlLeads.matching

    async def counting(self: SqlLeads, **kwargs: Any) -> Any:
        seen.append(kwargs)
        return await real(self, **kwargs)

    monkeypatch.setattr(SqlLeads, "matching", counting)
    return seen


async def test_confirm_asks_for_duplicates_once(
    app: App, sandbox: Sandbox, duplicate_queries: list[dict[str, Any]]
) -> None:
    rep = await join(app, sandbox, "小王", Role.REP)
    await rep.send("/lead 张三 13800138000 华东科技 官网 预算50万 下月上线")
    duplicate_queries.clear()
    await rep.press("确认保存")
    assert "线索已保存" in rep.last.text and len(duplicate_queries) == 1  # nothing matched: saved

    other = await join(app, sandbox, "小李", Role.REP)
    await other.send("/lead 李四 13800138000 华东科技有限公司 展会")
    duplicate_queries.clear()
    await other.press("确认保存")
    assert "这个客户好像已经有记录了" in other.last.text and len(duplicate_queries) == 1
    await other.press("仍然新建")
    assert "线索已保存" in other.last.text and "已关联" in other.last.text
    assert len(duplicate_queries) == 1  # the rep saw the matches: saving them as related asks nothing more
