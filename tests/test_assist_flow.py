"""Cross-team help (跨部门协作) in chat, on SQLite and PostgreSQL: the ticket's owner asks a colleague from
the ticket's card, the colleague accepts and answers from the pushed card, the asker hears both and the
answer is on the ticket's history; with a fake clock the colleague is reminded once and the asker told once
when it runs late, and the answer from a deal's card lands on the deal's timeline; a stale or double press
acts once; nobody from another team can act on a question or be asked one. Notices still queued when the
question was answered or its subject closed never go out."""

from __future__ import annotations

import pytest
from aiogram.methods import AnswerCallbackQuery
from sqlalchemy import select

from bot.factory import App
from bot.outbox import outbox_of
from bot.sandbox import Call, Sandbox
from bot.sweeps import run_digests, run_sweeps
from domain.assist import services as assist
from domain.assist.model import AssistState, Deadline
from domain.deals import services as deal_service
from domain.deals.model import Stage
from domain.errors import InvalidInput
from domain.followup import activities as followup
from domain.team.model import Role
from domain.tickets import services as tickets
from handlers.assist_cb import AssistAct, AssistCb
from handlers.pipeline_ui import DealAct, DealCb
from handlers.tickets.common import TicketAct, TicketCb
from storage.tables import notifications
from tests.conftest import join
from tests.deal_support import member, seed_deal
from tests.fakes import FakeClock
from tests.quote_support import buttons_of, crew, notes_to, tap
from tests.ticket_support import open_ticket, shanghai


def alerts(calls: list[Call]) -> list[str]:
    return [c.method.text or "" for c in calls if isinstance(c.method, AnswerCallbackQuery) and c.method.text]


async def question_state(app: App, question_id: int) -> AssistState:
    async with app.uow() as uow:
        q = await uow.assists.get(question_id)
    assert q is not None
    return q.state


async def test_asked_from_the_ticket_accepted_and_answered_the_answer_is_on_the_ticket_history(
    app: App, sandbox: Sandbox, clock: FakeClock
) -> None:
    c = await crew(app, sandbox)
    deal_id = await seed_deal(app, c.rep, "华东科技")
    ticket = await open_ticket(app, c.manager, deal_id)  # goes to the deal's owner, 小王
    assert ticket.id is not None

    await tap(c.rep_p, TicketCb(act=TicketAct.OPEN, id=ticket.id).pack())
    await c.rep_p.press("求助同事")
    assert "想请哪位同事帮忙" in c.rep_p.last.text
    names = [label for label, _ in c.rep_p.last.buttons]
    assert "小李" in names and "李经理" in names and "小王" not in names  # a colleague, never oneself
    await c.rep_p.press("小李")
    await c.rep_p.send("客户问能不能对接金蝶？")
    assert "最晚什么时候要答复" in c.rep_p.last.text and "客户问能不能对接金蝶" in c.rep_p.last.text
    await c.rep_p.press("今天下班前")
    assert "已发给 小李，要求 11月26日 周四 21:00 前答复" in c.rep_p.last.text, c.rep_p.last.text

    [card] = await notes_to(app, c.other, "assist.asked")
    assert "小王 向你求助：华东科技 · 工单 T-00001" in card["text"] and "客户问能不能对接金蝶" in card["text"]
    buttons = buttons_of(card)
    assert set(buttons) == {"✋ 接受", "✍️ 答复"}

    await tap(c.other_p, buttons["✋ 接受"])
    assert "已接受" in c.other_p.last.text and "对方已接受" in c.other_p.last.text
    [accepted] = await notes_to(app, c.rep, "assist.accepted")
    assert "小李 接受了你的求助" in accepted["text"]
    calls = await tap(c.other_p, buttons["✋ 接受"])  # the card's button pressed again
    assert any("已经接受过了" in text for text in alerts(calls))
    assert len(await notes_to(app, c.rep, "assist.accepted")) == 1

    await tap(c.rep_p, TicketCb(act=TicketAct.OPEN, id=ticket.id).pack())  # the ticket shows what it waits for
    assert "🤝 等 小李 答复求助（11月26日 周四 21:00 前）" in c.rep_p.last.text
    await c.rep_p.press("问小李的")
    assert "状态：对方已接受，等待答复" in c.rep_p.last.text and "撤回求助" in str(c.rep_p.last.buttons)

    await tap(c.other_p, buttons["✍️ 答复"])
    assert "直接把你的答复发过来" in c.other_p.last.text
    await c.other_p.send("可以，用标准接口，两天能配好")
    assert "答复已发给 小王" in c.other_p.last.text and "状态：已答复" in c.other_p.last.text
    [answered] = await notes_to(app, c.rep, "assist.answered")
    assert "小李 答复了你的求助" in answered["text"] and "可以，用标准接口，两天能配好" in answered["text"]

    calls = await tap(c.other_p, buttons["✍️ 答复"])  # a stale press: no second answer
    assert any("已经答复过了" in text for text in alerts(calls))
    assert len(await notes_to(app, c.rep, "assist.answered")) == 1

    await tap(c.rep_p, TicketCb(act=TicketAct.OPEN, id=ticket.id).pack())
    history = c.rep_p.last.text
    assert "等 小李 答复" not in history and "问小李的" not in str(c.rep_p.last.buttons)
    assert "小王 🤝 向同事求助 — 小李: 客户问能不能对接金蝶？" in history, history
    assert "小李 💬 答复了求助 — 可以，用标准接口，两天能配好" in history

    clock.set(shanghai(27, 12))  # past the deadline: an answered question is not watched any more
    await run_sweeps(app)
    assert await notes_to(app, c.other, "assist.due") == []
    assert await notes_to(app, c.rep, "assist.overdue") == []


async def test_from_a_deal_the_colleague_is_reminded_once_the_asker_told_once_and_the_answer_is_on_the_timeline(
    app: App, sandbox: Sandbox, clock: FakeClock
) -> None:
    c = await crew(app, sandbox)
    deal_id = await seed_deal(app, c.rep, "华东科技")
    await tap(c.rep_p, DealCb(act=DealAct.OPEN, id=deal_id).pack())
    await c.rep_p.press("求助同事")
    await c.rep_p.press("小李")
    await c.rep_p.send("这个客户的集团折扣以前给过多少？")
    await c.rep_p.press("2 个工作小时")  # Thursday 10:00: due at 12:00, the reminder at 11:30
    assert "11月26日 周四 12:00 前答复" in c.rep_p.last.text, c.rep_p.last.text
    await tap(c.rep_p, DealCb(act=DealAct.OPEN, id=deal_id).pack())  # the deal shows what it waits for
    assert "🤝 等 小李 答复求助（11月26日 周四 12:00 前）" in c.rep_p.last.text
    labels = [label for label, _ in c.rep_p.last.buttons]
    assert labels[-2:] == ["🤝 问小李的", "⬅️ 返回列表"], labels

    clock.set(shanghai(26, 11, 29))
    await run_sweeps(app)
    assert await notes_to(app, c.other, "assist.due") == []
    clock.set(shanghai(26, 11, 30))
    await run_sweeps(app)
    await run_sweeps(app)
    [due] = await notes_to(app, c.other, "assist.due")
    assert "小王 的求助快到期了" in due["text"] and "商机「" in due["text"] and "✍️ 答复" in buttons_of(due)
    assert await notes_to(app, c.rep, "assist.overdue") == []

    clock.set(shanghai(26, 12))
    await run_sweeps(app)
    clock.set(shanghai(26, 15))
    await run_sweeps(app)
    [late] = await notes_to(app, c.rep, "assist.overdue")
    assert "你问 小李 的问题已超过答复期限" in late["text"] and "🔎 查看求助" in buttons_of(late)
    assert len(await notes_to(app, c.other, "assist.due")) == 1

    await tap(c.other_p, buttons_of(due)["✍️ 答复"])
    await c.other_p.send("去年给的是 9 折")
    async with app.uow() as uow:
        page = await followup.timeline(uow, viewer=c.rep, opportunity_id=deal_id)
    entry = page.items[0]
    assert entry.actor_name == "小李" and entry.note is not None
    assert "集团折扣" in entry.note and "去年给的是 9 折" in entry.note

    # The asker's card of it: answered, no withdraw any more.
    await tap(c.rep_p, buttons_of(late)["🔎 查看求助"])
    assert "去年给的是 9 折" in c.rep_p.last.text and "撤回" not in str(c.rep_p.last.buttons)


async def test_nobody_from_another_team_is_asked_or_acts_and_a_withdrawn_question_takes_no_answer(
    app: App, sandbox: Sandbox, clock: FakeClock
) -> None:
    c = await crew(app, sandbox)
    zhao_p = await join(app, sandbox, "老赵", Role.REP, team="华南销售部")
    zhao = await member(app, zhao_p)
    deal_id = await seed_deal(app, c.rep, "华东科技")

    await tap(c.rep_p, DealCb(act=DealAct.OPEN, id=deal_id).pack())
    await c.rep_p.press("求助同事")
    assert "老赵" not in [label for label, _ in c.rep_p.last.buttons]
    assert zhao.id is not None
    async with app.uow() as uow:
        with pytest.raises(InvalidInput):
            await assist.ask(uow, actor=c.rep, helper_id=zhao.id, question="问一下", deadline=Deadline.TODAY,
                             now=clock.now(), deal_id=deal_id)
    await c.rep_p.press("小李")
    await c.rep_p.send("能不能下周一上门？")
    await c.rep_p.press("明天下班前")
    [card] = await notes_to(app, c.other, "assist.asked")
    question_id = int(AssistCb.unpack(buttons_of(card)["✋ 接受"]).id)

    # 老赵 of another team forges the card's buttons: refused, nothing changes.
    for act in (AssistAct.ACCEPT, AssistAct.ANSWER, AssistAct.OPEN, AssistAct.WITHDRAW):
        calls = await tap(zhao_p, AssistCb(act=act, id=question_id).pack())
        assert any("其他团队" in text or "别的团队" in text for text in alerts(calls)), (act, alerts(calls))
    calls = await tap(zhao_p, AssistCb(act=AssistAct.DEAL, id=deal_id).pack())
    assert alerts(calls) and await question_state(app, question_id) is AssistState.ASKED
    # ...and so does a colleague who was not asked.
    calls = await tap(c.manager_p, AssistCb(act=AssistAct.ANSWER, id=question_id).pack())
    assert any("不是问你的" in text for text in alerts(calls))

    # Friday 09:00: the question is in 小李's morning agenda, with its deadline.
    clock.set(shanghai(27, 9))
    await run_digests(app)
    [agenda] = await notes_to(app, c.other, "digest.agenda")
    assert "🤝 同事的求助 1 个：华东科技·小王 问（11月27日 周五 21:00 前答复）" in agenda["text"], agenda["text"]
    assert await notes_to(app, c.rep, "digest.agenda") == []  # the asker has nothing to do today

    # The asker withdraws while 小李 is typing his answer: it is not taken, and his flow ends.
    await tap(c.other_p, buttons_of(card)["✍️ 答复"])
    assert "直接把你的答复发过来" in c.other_p.last.text
    await tap(c.rep_p, AssistCb(act=AssistAct.OPEN, id=question_id).pack())
    await c.rep_p.press("撤回求助")
    assert "求助已撤回" in c.rep_p.last.text
    calls = await tap(c.rep_p, AssistCb(act=AssistAct.WITHDRAW, id=question_id).pack())
    assert any("已经答复或撤回" in text for text in alerts(calls))
    [gone] = await notes_to(app, c.other, "assist.withdrawn")
    assert "小王 撤回了求助" in gone["text"]
    await c.other_p.send("下周一可以")
    assert "撤回了这个求助" in c.other_p.last.text and "状态：已撤回" in c.other_p.last.text
    await c.other_p.send("还在吗")  # the flow is over: this is no answer, and the answer step is not shown again
    assert "直接把你的答复发过来" not in c.other_p.last.text and "撤回了这个求助" not in c.other_p.last.text
    assert await question_state(app, question_id) is AssistState.WITHDRAWN
    assert await notes_to(app, c.rep, "assist.answered") == []
    calls = await tap(c.other_p, buttons_of(card)["✍️ 答复"])
    assert any("撤回了这个求助" in text for text in alerts(calls))
    assert await question_state(app, question_id) is AssistState.WITHDRAWN


async def test_notices_still_queued_when_the_question_is_answered_or_its_subject_closes_never_go_out(
    app: App, sandbox: Sandbox, clock: FakeClock
) -> None:
    c = await crew(app, sandbox)
    deliver = outbox_of(app).run_once
    deal_id = await seed_deal(app, c.rep, "华东科技")
    ticket = await open_ticket(app, c.manager, deal_id)
    assert ticket.id is not None and c.other.id is not None
    await deliver()

    # Thursday 22:00, after hours: the card waits for 09:00; 小李 sees the ticket anyway, accepts and answers
    # that night. At 09:00 小王 gets the answer only, 小李 no card.
    clock.set(shanghai(26, 22))
    async with app.uow() as uow:
        q = await assist.ask(uow, actor=c.rep, helper_id=c.other.id, question="金蝶接口怎么配？",
                             deadline=Deadline.TOMORROW, now=clock.now(), ticket_id=ticket.id)
        await uow.commit()
    assert q.id is not None
    clock.set(shanghai(26, 22, 10))
    async with app.uow() as uow:
        await assist.accept(uow, actor=c.other, question_id=q.id, now=clock.now())
        await uow.commit()
    clock.set(shanghai(26, 22, 20))
    async with app.uow() as uow:
        await assist.answer(uow, actor=c.other, question_id=q.id, text="按文档第三节配置", now=clock.now())
        await uow.commit()

    # Thursday 20:00 on the deal, due at 21:00; the sweep is away until 21:30: the reminder and the late
    # notice wait for 09:00; the deal is lost at 08:00 Friday: neither goes out.
    clock.set(shanghai(26, 20))
    async with app.uow() as uow:
        late = await assist.ask(uow, actor=c.rep, helper_id=c.other.id, question="客户还要不要？",
                                deadline=Deadline.TODAY, now=clock.now(), deal_id=deal_id)
        await uow.commit()
    await deliver()  # the card of this one goes out at once (working hours)
    clock.set(shanghai(26, 21, 30))
    await run_sweeps(app)
    clock.set(shanghai(27, 8))
    async with app.uow() as uow:
        await deal_service.change_stage(uow, actor=c.manager, opportunity_id=deal_id, to=Stage.LOST, override=True,
                                        now=clock.now(), lost_reason="price")
        await uow.commit()
    clock.set(shanghai(27, 9))
    await deliver()
    await run_sweeps(app)

    rep_texts = [m.text or "" for m in c.rep_p.chat()]
    other_texts = [m.text or "" for m in c.other_p.chat()]
    assert any("按文档第三节配置" in text for text in rep_texts)
    assert not any("金蝶接口怎么配" in text and "向你求助" in text for text in other_texts)
    assert not any("接受了你的求助" in text for text in rep_texts)
    assert not any("快到期" in text for text in other_texts)
    assert not any("已超过答复期限" in text for text in rep_texts)
    async with app.engine.connect() as conn:
        rows = (await conn.execute(select(notifications.c.notice, notifications.c.state, notifications.c.subject_id)
                                   .where(notifications.c.subject_kind == "assist"))).all()
    states = {(notice, subject): str(getattr(state, "value", state)) for notice, state, subject in rows}
    assert states[("assist-asked", q.id)] == "cancelled"
    assert states[("assist-accepted", q.id)] == "cancelled"
    assert states[("assist-due", late.id)] == "cancelled"
    assert states[("assist-overdue", late.id)] == "cancelled"
    assert states[("assist-answered", q.id)] == "sent"
    # The ticket itself resolved: a question on it can no longer be asked.
    async with app.uow() as uow:
        await tickets.resolve(uow, actor=c.rep, ticket_id=ticket.id, now=clock.now())
        await uow.commit()
    await tap(c.rep_p, TicketCb(act=TicketAct.OPEN, id=ticket.id).pack())
    assert "求助同事" not in str(c.rep_p.last.buttons)
    calls = await tap(c.rep_p, AssistCb(act=AssistAct.TICKET, id=ticket.id).pack())
    assert any("已经关闭" in text for text in alerts(calls))


async def test_a_colleague_beyond_the_buttons_is_found_by_typing_the_name(app: App, sandbox: Sandbox) -> None:
    c = await crew(app, sandbox)
    # A team larger than the picker's buttons: twelve more reps, named so that 韩工程师 sorts after them all (by code point).
    for i in range(12):
        await join(app, sandbox, f"销售{i:02d}", Role.REP)
    await join(app, sandbox, "韩工程师", Role.REP)
    deal_id = await seed_deal(app, c.rep, "华东科技")

    await tap(c.rep_p, DealCb(act=DealAct.OPEN, id=deal_id).pack())
    await c.rep_p.press("求助同事")
    names = [label for label, _ in c.rep_p.last.buttons]
    assert "韩工程师" not in names and "打名字找" in c.rep_p.last.text

    await c.rep_p.send("销售0")  # several match: nothing is picked, they are named
    assert "有几位同事都对得上" in c.rep_p.last.text and "销售00" in c.rep_p.last.text
    await c.rep_p.send("赵六")
    assert "没找到「赵六」" in c.rep_p.last.text
    await c.rep_p.send("韩工")  # the only one whose name contains it
    assert "韩工程师" in c.rep_p.last.text and "最晚" not in c.rep_p.last.text  # now the question
    await c.rep_p.send("客户问私有化部署要几台服务器？")
    await c.rep_p.press("明天下班前")
    assert "已发给 韩工程师" in c.rep_p.last.text, c.rep_p.last.text


async def test_a_question_let_go_when_its_ticket_closed_is_watched_again_when_the_ticket_reopens(
    app: App, sandbox: Sandbox, clock: FakeClock
) -> None:
    c = await crew(app, sandbox)
    ticket = await open_ticket(app, c.manager, await seed_deal(app, c.rep, "华东科技"))
    assert ticket.id is not None and c.other.id is not None
    clock.set(shanghai(26, 10))
    async with app.uow() as uow:
        q = await assist.ask(uow, actor=c.rep, helper_id=c.other.id, question="金蝶接口怎么配？",
                             deadline=Deadline.TOMORROW, now=clock.now(), ticket_id=ticket.id)
        await uow.commit()
    assert q.id is not None
    async with app.uow() as uow:
        await tickets.resolve(uow, actor=c.rep, ticket_id=ticket.id, now=clock.now())
        await uow.commit()
    clock.set(q.remind_at)
    await run_sweeps(app)
    await outbox_of(app).run_once()
    assert not any("快到期" in (m.text or "") for m in c.other_p.chat())  # let go: the ticket was done

    # The customer calls back the same day: 小王 reopens the ticket, and 小李 is reminded of the question.
    async with app.uow() as uow:
        await tickets.reopen(uow, actor=c.rep, ticket_id=ticket.id, now=clock.now(), note="客户说还是连不上")
        await uow.commit()
    await run_sweeps(app)
    await outbox_of(app).run_once()
    assert sum("快到期" in (m.text or "") and "金蝶接口怎么配" in (m.text or "") for m in c.other_p.chat()) == 1
    clock.set(q.due_at)
    await run_sweeps(app)
    clock.set(shanghai(28, 9))  # the deadline is the end of Friday's working day: the notice goes at 09:00
    await outbox_of(app).run_once()
    assert any("你问 小李 的问题已超过答复期限" in (m.text or "") for m in c.rep_p.chat())
