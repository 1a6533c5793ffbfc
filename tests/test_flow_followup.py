"""Follow-up in chat: /log in three taps, every branch (not interested -> lost, needs a proposal ->
advance), notes typed or spoken, wrong dates, Back and Cancel, a double tap; the deal's timeline; the
nudge's Log now / Snooze / Mark lost (also pressed twice); a manager's /stale; /find with who may see
what. On SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime

from aiogram.methods import SendVoice
from aiogram.types import Chat, Message, Sticker, Update, Voice
from sqlalchemy import select

from bot.factory import App
from bot.sandbox import Call, Person, Sandbox
from domain.deals.model import Stage
from domain.followup.model import Activity, ActivityKind, ActivityOutcome
from domain.reminders.model import Reminder, ReminderState
from domain.team.model import Role
from tests.conftest import join
from tests.deal_support import alert, deal_row, has_button, labels, member, move, screen, seed_deal
from tests.fakes import FakeClock


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


async def activities(app: App, deal_id: int) -> list[Activity]:
    async with app.uow() as uow:
        assert uow.session is not None
        rows = await uow.session.execute(select(Activity).where(Activity.opportunity_id == deal_id).order_by(Activity.id))
        return list(rows.scalars().all())


async def reminders(app: App) -> list[Reminder]:
    async with app.uow() as uow:
        assert uow.session is not None
        return list((await uow.session.execute(select(Reminder).order_by(Reminder.id))).scalars().all())


async def send_other(person: Person, **content: object) -> list[Call]:
    """Something that is not text: a voice note, a sticker."""
    sandbox = person.sandbox
    message = Message(
        message_id=next(sandbox.message_ids), date=datetime.now(UTC),
        chat=Chat(id=person.telegram_id, type="private"), from_user=person.tg, **content,  # type: ignore[arg-type]
    )
    return await sandbox.feed(Update(update_id=next(sandbox.update_ids), message=message))


def voice(file_id: str = "voice-1") -> Voice:
    return Voice(file_id=file_id, file_unique_id=file_id + "-u", duration=9)


async def open_card(person: Person, company: str) -> None:
    await person.send("/deals")
    await person.press(f". {company}")


async def test_three_taps_log_a_call_and_plan_tomorrow_and_a_double_tap_logs_once(
    app: App, sandbox: Sandbox, clock: FakeClock
) -> None:
    wang_p = await join(app, sandbox, "小王", Role.REP)
    deal_id = await seed_deal(app, await member(app, wang_p), "华东科技")
    await open_card(wang_p, "华东科技")
    await wang_p.press("📞 记录跟进")
    flow = wang_p.last
    assert "📞 <b>记录跟进</b> · <b>华东科技</b>" in flow.text and "怎么联系客户" in flow.text
    assert labels(wang_p) == ["📞 电话", "🤝 拜访", "💬 微信/消息", "📧 邮件", "👥 会议", "⬅️ 返回", "✖️ 取消"]

    await wang_p.press("电话")  # 1
    assert "结果怎么样" in wang_p.last.text
    await wang_p.press("已联系上")  # 2
    assert "下次什么时候跟进" in wang_p.last.text and "电话 · 已联系上" in wang_p.last.text
    tomorrow_message, tomorrow = wang_p.find_button("明天")
    await wang_p.press("明天")  # 3
    done = wang_p.last
    assert done is flow and done.edited  # one message, edited in place, from the card to the result
    assert "✅ <b>跟进已记录</b> · <b>华东科技</b>" in done.text and "📞 电话 · 已联系上" in done.text
    assert "🗓 下次跟进：11月27日 周五 09:00 · 跟进客户，到时提醒你。" in done.text
    assert labels(wang_p) == ["🕘 跟进记录", "📂 查看商机"]

    [activity] = await activities(app, deal_id)
    assert (activity.kind, activity.outcome, activity.note) == (ActivityKind.CALL, ActivityOutcome.REACHED, None)
    [reminder] = await reminders(app)
    assert reminder.due_at == utc(2026, 11, 27, 1, 0) and not reminder.explicit and reminder.subject_id == deal_id

    again = await wang_p.press_data(tomorrow, message_id=tomorrow_message.message_id)
    assert "已经记好或已取消" in alert(again)
    assert len(await activities(app, deal_id)) == 1 and len(await reminders(app)) == 1


async def test_not_interested_saves_without_a_next_step_and_offers_the_lost_reason_steps(app: App, sandbox: Sandbox) -> None:
    wang_p = await join(app, sandbox, "小王", Role.REP)
    deal_id = await seed_deal(app, await member(app, wang_p), "华东科技")
    await open_card(wang_p, "华东科技")
    await wang_p.press("记录跟进")
    await wang_p.press("拜访")
    await wang_p.press("没兴趣")
    assert "点「不定下一步」保存，接着可以直接标记丢单" in wang_p.last.text
    await wang_p.press("不定下一步")
    assert "🤝 拜访 · 没兴趣" in wang_p.last.text and "可以直接标记丢单" in wang_p.last.text
    assert "还没定下一步" not in wang_p.last.text  # a deal on its way out needs no next step
    assert labels(wang_p) == ["❌ 标记丢单", "🕘 跟进记录", "📂 查看商机"]
    assert await reminders(app) == []

    await wang_p.press("标记丢单")  # the deal card's own lost-reason steps
    assert "「华东科技」为什么丢单？" in wang_p.last.text
    await wang_p.press("客户没预算")
    await wang_p.send("明年再看")
    await wang_p.press("确认丢单")
    assert "❌ 已标记为丢单" in wang_p.last.text and "丢单原因：客户没预算" in wang_p.last.text
    deal = await deal_row(app, deal_id)
    assert deal.stage is Stage.LOST and deal.lost_reason == "no_budget" and deal.lost_note == "明年再看"
    assert not has_button(wang_p, "记录跟进")  # a closed deal takes no more follow-ups


async def test_needs_a_proposal_offers_to_advance_towards_the_proposal_stage(app: App, sandbox: Sandbox) -> None:
    wang_p = await join(app, sandbox, "小王", Role.REP)
    wang = await member(app, wang_p)
    deal_id = await seed_deal(app, wang, "华东科技")
    await move(app, wang, deal_id, Stage.FOLLOWING_UP)
    await open_card(wang_p, "华东科技")
    await wang_p.press("记录跟进")
    await wang_p.press("微信/消息")
    await wang_p.press("需要方案报价")
    await wang_p.press("3天后")
    text = wang_p.last.text
    assert "💬 微信/消息 · 需要方案报价" in text and "11月29日 周日" not in text
    assert "🗓 下次跟进：11月30日 周一 09:00" in text  # 3 days on is a Sunday: the next working day
    assert "客户要方案了，可以把商机推进到「方案报价」" in text
    assert labels(wang_p)[0] == "➡️ 推进到「方案报价」"
    await wang_p.press("推进到「方案报价」")  # the deal card's confirmation
    assert "从「深度跟进」推进到「方案报价」吗" in wang_p.last.text
    await wang_p.press("确认推进")
    assert "✅ 已进入「方案报价」阶段。" in wang_p.last.text
    assert (await deal_row(app, deal_id)).stage is Stage.PROPOSAL


async def test_a_note_spoken_needs_and_a_typed_step_and_date_are_kept(app: App, sandbox: Sandbox) -> None:
    wang_p = await join(app, sandbox, "小王", Role.REP)
    deal_id = await seed_deal(app, await member(app, wang_p), "华东科技")
    await open_card(wang_p, "华东科技")
    await wang_p.press("记录跟进")
    await wang_p.press("会议")
    await wang_p.press("有意向")

    await wang_p.press("📝 备注")
    assert "发一段文字，或者直接发条语音" in wang_p.last.text and has_button(wang_p, "跳过")
    await send_other(wang_p, voice=voice("voice-meeting-1"))
    assert "🎤 已附语音备注" in wang_p.last.text and "下次什么时候跟进" in wang_p.last.text
    assert has_button(wang_p, "📝 改备注")

    await wang_p.press("💡 客户需求")
    await send_other(wang_p, sticker=Sticker(
        file_id="s1", file_unique_id="s1u", type="regular", width=512, height=512, is_animated=False, is_video=False,
    ))
    assert "客户需求请打字告诉我" in wang_p.last.text and has_button(wang_p, "跳过")  # the step stays open
    await wang_p.send("想要手机端审批，预算 20 万以内")
    assert "客户需求：想要手机端审批，预算 20 万以内" in wang_p.last.text

    await wang_p.press("✏️ 下一步做什么")
    await wang_p.send("发方案给张总")
    assert "下一步：发方案给张总" in wang_p.last.text
    await wang_p.send("下周一 15点")  # typed on the date step, as in /remind
    text = wang_p.last.text
    assert "✅ <b>跟进已记录</b>" in text and "👥 会议 · 有意向" in text and "🎤 已附语音备注" in text
    assert "🗓 下次跟进：11月30日 周一 15:00 · 发方案给张总" in text

    [activity] = await activities(app, deal_id)
    assert activity.voice_file_id == "voice-meeting-1" and activity.note is None
    assert activity.needs == "想要手机端审批，预算 20 万以内" and activity.next_step == "发方案给张总"
    [reminder] = await reminders(app)
    # A time of day the rep typed is exact: the nudge goes then.
    assert reminder.due_at == utc(2026, 11, 30, 7, 0) and reminder.explicit and reminder.text == "发方案给张总"


async def test_a_typed_note_can_be_cleared_and_a_voice_on_the_date_step_is_the_note(app: App, sandbox: Sandbox) -> None:
    wang_p = await join(app, sandbox, "小王", Role.REP)
    deal_id = await seed_deal(app, await member(app, wang_p), "华东科技")
    await open_card(wang_p, "华东科技")
    await wang_p.press("记录跟进")
    await wang_p.press("电话")
    await wang_p.press("约了再联系")
    await wang_p.press("📝 备注")
    await wang_p.send("张总在出差，下周回来")
    assert "备注：张总在出差，下周回来" in wang_p.last.text
    await wang_p.press("📝 改备注")
    await wang_p.press("清空")
    assert "备注：" not in wang_p.last.text and has_button(wang_p, "📝 备注")
    await send_other(wang_p, voice=voice("voice-2"))  # spoken straight on the date step
    assert "🎤 已附语音备注" in wang_p.last.text
    await wang_p.press("下周")
    assert "🗓 下次跟进：11月30日 周一 09:00" in wang_p.last.text
    [activity] = await activities(app, deal_id)
    assert activity.outcome is ActivityOutcome.CALL_BACK and activity.voice_file_id == "voice-2" and activity.note is None


async def test_wrong_dates_keep_the_step_open_with_examples(app: App, sandbox: Sandbox) -> None:
    wang_p = await join(app, sandbox, "小王", Role.REP)
    deal_id = await seed_deal(app, await member(app, wang_p), "华东科技")
    await open_card(wang_p, "华东科技")
    await wang_p.press("记录跟进")
    await wang_p.press("电话")
    await wang_p.press("没接通")

    await wang_p.send("等他有空")
    assert "没看懂「等他有空」是哪天" in wang_p.last.text and "明天 10点 · 周五" in wang_p.last.text
    assert "下次什么时候跟进" in wang_p.last.text and has_button(wang_p, "明天")  # the same step, still open
    await wang_p.send("今天 8点")  # it is 10:00 in Shanghai
    assert "11月26日 周四 08:00 已经过去了" in wang_p.last.text
    await wang_p.send("2028-01-05")  # readable, but further than a next step may be
    assert "下次跟进的时间太远了" in wang_p.last.text and has_button(wang_p, "明天")
    assert await activities(app, deal_id) == []

    await wang_p.press("📅 选个日期")
    assert "下次跟进定在哪天" in wang_p.last.text and "下周一 15:00" in wang_p.last.text
    await wang_p.send("下下辈子")
    assert "没看懂" in wang_p.last.text and "下次跟进定在哪天" in wang_p.last.text
    await wang_p.send("12月3日")
    assert "🗓 下次跟进：12月3日 周四 09:00" in wang_p.last.text
    [reminder] = await reminders(app)
    assert not reminder.explicit  # a day without a time of day keeps to working hours
    assert len(await activities(app, deal_id)) == 1


async def test_back_and_cancel_at_every_step_and_a_fallback_per_step(app: App, sandbox: Sandbox) -> None:
    wang_p = await join(app, sandbox, "小王", Role.REP)
    deal_id = await seed_deal(app, await member(app, wang_p), "华东科技")
    await open_card(wang_p, "华东科技")
    await wang_p.press("记录跟进")
    await wang_p.send("打了电话")
    assert "请点按钮选一种联系方式" in wang_p.last.text and has_button(wang_p, "📞 电话")
    await wang_p.press("电话")
    await wang_p.send("接了")
    assert "请点按钮选一个结果" in wang_p.last.text and has_button(wang_p, "已联系上")
    await wang_p.press("已联系上")
    await wang_p.press("💡 客户需求")
    await wang_p.press("返回")
    assert "下次什么时候跟进" in wang_p.last.text
    await wang_p.press("📅 选个日期")
    await wang_p.press("返回")
    assert "下次什么时候跟进" in wang_p.last.text
    await wang_p.press("返回")
    assert "结果怎么样" in wang_p.last.text and "📞 电话" in wang_p.last.text
    await wang_p.press("返回")
    assert "怎么联系客户" in wang_p.last.text
    await wang_p.press("返回")
    assert "💼 <b>华东科技</b>" in wang_p.last.text  # Back from the first step: the card it came from

    await wang_p.press("记录跟进")
    await wang_p.press("邮件")
    await wang_p.press("有意向")
    _, old_tomorrow = wang_p.find_button("明天")
    await wang_p.press("取消")
    assert "已取消" in wang_p.last.text
    assert "已经记好或已取消" in alert(await wang_p.press_data(old_tomorrow))
    assert await activities(app, deal_id) == [] and await reminders(app) == []

    await wang_p.send("/log")
    assert "怎么联系客户" in wang_p.last.text  # the only open deal: /log opens it at once
    await wang_p.press("返回")
    assert "记录哪个商机的跟进" in wang_p.last.text and has_button(wang_p, "1. 华东科技")  # Back: the list
    await wang_p.press("1. 华东科技")  # from the list, a deal is opened when pressed (no loop back)
    assert "怎么联系客户" in wang_p.last.text
    await wang_p.send("/cancel")
    assert "已取消" in wang_p.last.text


async def log_directly(app: App, actor: object, deal_id: int, **kwargs: object) -> None:
    """An activity logged earlier (through the service, as the flow does)."""
    from domain.followup import activities as followup

    async with app.uow() as uow:
        await followup.log_activity(uow, actor=actor, opportunity_id=deal_id, now=app.clock.now(), **kwargs)  # type: ignore[arg-type]
        await uow.commit()


async def test_the_timeline_is_newest_first_paged_with_who_and_when_and_back_to_the_card(
    app: App, sandbox: Sandbox, clock: FakeClock
) -> None:
    manager_p = await join(app, sandbox, "李经理", Role.MANAGER)
    wang_p = await join(app, sandbox, "小王", Role.REP)
    li_p = await join(app, sandbox, "小李", Role.REP)
    wang, manager = await member(app, wang_p), await member(app, manager_p)
    deal_id = await seed_deal(app, wang, "华东科技")
    await open_card(wang_p, "华东科技")
    await wang_p.press("🕘 跟进记录")
    assert "🕘 <b>跟进记录</b> · <b>华东科技</b>（共 0 条）" in wang_p.last.text and "还没有跟进记录" in wang_p.last.text

    await log_directly(app, wang, deal_id, kind="call", outcome="no_answer")
    for day in range(5):
        clock.advance(hours=1)
        await log_directly(app, wang, deal_id, kind="message", outcome="reached", note=f"第 {day + 2} 次：发了资料")
    clock.advance(hours=1)
    await log_directly(
        app, manager, deal_id, kind="visit", outcome="interested", voice_file_id="voice-visit", needs="要对接 ERP",
        next_step="约技术交流", next_due=utc(2026, 12, 1, 2, 0),
    )
    await open_card(wang_p, "华东科技")
    await wang_p.press("🕘 跟进记录")
    text = wang_p.last.text
    assert "（共 7 条）" in text and "第 1/2 页" in text
    assert text.index("1. 11月26日 周四 16:00 · 李经理 · 🤝 拜访 · 有意向") < text.index("2. 11月26日 周四 15:00 · 小王")
    assert "🎤 语音备注" in text and "客户需求：要对接 ERP" in text and "下一步：约技术交流（12月1日 周二 10:00）" in text
    assert "备注：第 6 次：发了资料" in text and "第 2 次" not in text
    calls = await wang_p.press("🎤 听第 1 条")
    assert [c.method.voice for c in calls if isinstance(c.method, SendVoice)] == ["voice-visit"]
    await wang_p.press("下一页")
    text = wang_p.last.text
    assert "第 2/2 页" in text and "6. 11月26日 周四 11:00 · 小王 · 💬 微信/消息 · 已联系上" in text
    assert "7. 11月26日 周四 10:00 · 小王 · 📞 电话 · 没接通/未回复" in text
    await wang_p.press("返回商机")
    assert "💼 <b>华东科技</b>" in wang_p.last.text

    # Someone who may not see the deal sees nothing of it, however the button was made.
    from handlers.followup.log import VoiceCb
    from handlers.pipeline_ui import DealCb

    assert "不是你负责的" in alert(await li_p.press_data(DealCb(act="tl", id=deal_id).pack()))
    assert "不是你负责的" in alert(await li_p.press_data(VoiceCb(deal=deal_id, page=0, activity=1).pack()))


async def nudge_for(app: App, person: Person) -> None:
    """The next step came due: the sweep queues the nudge, the dispatcher delivers it."""
    from bot.sweeps import run_sweeps
    from tests.test_flow_reminders import deliver

    await run_sweeps(app)
    await deliver(app, person)


async def test_the_nudges_log_now_opens_log_in_place_and_presses_twice_change_nothing(
    app: App, sandbox: Sandbox, clock: FakeClock
) -> None:
    wang_p = await join(app, sandbox, "小王", Role.REP)
    wang = await member(app, wang_p)
    deal_id = await seed_deal(app, wang, "华东科技")
    await log_directly(app, wang, deal_id, kind="call", outcome="reached", note="先发资料", next_step="回访张总",
                       next_due=utc(2026, 11, 27, 1, 0))
    clock.set(utc(2026, 11, 27, 1, 0))
    await nudge_for(app, wang_p)
    nudge = wang_p.last
    assert "该跟进「华东科技」了" in nudge.text and "回访张总" in nudge.text and "先发资料" in nudge.text
    assert labels(wang_p) == ["📝 记录跟进", "❌ 标记丢单", "💤 1小时后", "💤 明天再说", "💤 3天后"]
    _, log_now = wang_p.find_button("记录跟进")
    _, snooze = wang_p.find_button("1小时后")

    await wang_p.press("记录跟进")
    assert wang_p.last is nudge and "怎么联系客户" in nudge.text  # /log in the nudge's own message
    calls = await wang_p.press_data(log_now, message_id=nudge.message_id)
    assert "接着选就行" in "".join(c.method.text or "" for c in calls if hasattr(c.method, "show_alert"))
    assert "怎么联系客户" in nudge.text
    await wang_p.press("电话")
    await wang_p.press("已联系上")
    await wang_p.press("明天")
    assert "之前这个商机的跟进提醒已经自动标记完成" in nudge.text and "11月28日 周六 09:00" in nudge.text
    first, second = await reminders(app)
    assert first.state is ReminderState.DONE and second.state is ReminderState.PENDING

    # The old nudge's Snooze: the follow-up is done, nothing to snooze.
    assert "已经处理过了" in alert(await wang_p.press_data(snooze, message_id=nudge.message_id))
    assert len(await activities(app, deal_id)) == 2


async def test_snooze_and_mark_lost_work_from_the_nudge_and_a_second_press_is_answered_politely(
    app: App, sandbox: Sandbox, clock: FakeClock
) -> None:
    wang_p = await join(app, sandbox, "小王", Role.REP)
    wang = await member(app, wang_p)
    deal_id = await seed_deal(app, wang, "华东科技")
    await log_directly(app, wang, deal_id, kind="call", outcome="reached", next_due=utc(2026, 11, 27, 1, 0))
    clock.set(utc(2026, 11, 27, 1, 0))
    await nudge_for(app, wang_p)
    nudge = wang_p.last
    _, snooze = wang_p.find_button("1小时后")
    await wang_p.press("1小时后")
    assert "💤 好的，11月27日 周五 10:00 再提醒你。" in nudge.text and nudge.markup is None
    assert "已经处理过了" in alert(await wang_p.press_data(snooze, message_id=nudge.message_id))
    [reminder] = await reminders(app)
    assert reminder.state is ReminderState.SNOOZED and reminder.due_at == utc(2026, 11, 27, 2, 0)

    clock.advance(hours=1)
    await nudge_for(app, wang_p)
    nudge = wang_p.last
    _, lose = wang_p.find_button("标记丢单")
    await wang_p.press("标记丢单")
    assert wang_p.last is nudge and "「华东科技」为什么丢单？" in nudge.text
    await wang_p.press("输给竞品")
    await wang_p.press("跳过")
    await wang_p.press("确认丢单")
    assert "❌ 已标记为丢单" in nudge.text
    assert (await deal_row(app, deal_id)).stage is Stage.LOST
    assert "已经在「丢单」阶段了" in alert(await wang_p.press_data(lose, message_id=nudge.message_id))


async def test_a_manager_logs_on_a_reps_deal_and_others_are_refused(app: App, sandbox: Sandbox) -> None:
    from handlers.flow import FlowAction, FlowCb
    from handlers.followup.log import ListAction, LogListCb
    from handlers.followup.nudges import FollowupAction, FollowupCb
    from handlers.pipeline_ui import DealCb
    from tests.deal_support import inbox

    manager_p = await join(app, sandbox, "李经理", Role.MANAGER)
    wang_p = await join(app, sandbox, "小王", Role.REP)
    li_p = await join(app, sandbox, "小李", Role.REP)
    wang = await member(app, wang_p)
    deal_id = await seed_deal(app, wang, "华东科技")

    assert "不是你负责的" in alert(await li_p.press_data(DealCb(act="log", id=deal_id).pack()))
    assert "不是你负责的" in alert(await li_p.press_data(FollowupCb(action=FollowupAction.LOG, deal_id=deal_id).pack()))
    assert "过期" in alert(await li_p.press_data(FlowCb(flow="log", action=FlowAction.PICK, step="when", value="tomorrow", token="abc123").pack()))
    await li_p.send("/log")
    await li_p.press_data(LogListCb(action=ListAction.DEAL, deal=deal_id).pack())
    assert await activities(app, deal_id) == []

    await manager_p.send("/deals")
    await manager_p.press("1. 华东科技")
    await manager_p.press("记录跟进")
    await manager_p.press("拜访")
    await manager_p.press("有意向")
    await manager_p.press("明天")
    assert "✅ <b>跟进已记录</b>" in manager_p.last.text and "到时提醒 小王。" in manager_p.last.text
    [activity] = await activities(app, deal_id)
    assert activity.actor_id == (await member(app, manager_p)).id
    [reminder] = await reminders(app)
    assert reminder.user_id == wang.id  # the next step is the owner's
    assert "李经理 在你的商机「华东科技」上记录了一条跟进" in (await inbox(app, wang))[-1]


async def test_stale_lists_the_teams_silent_and_overdue_deals_by_rep_oldest_first_with_reassign(
    app: App, sandbox: Sandbox, clock: FakeClock
) -> None:
    manager_p = await join(app, sandbox, "李经理", Role.MANAGER)
    wang_p = await join(app, sandbox, "小王", Role.REP)
    li_p = await join(app, sandbox, "小李", Role.REP)
    wang, li = await member(app, wang_p), await member(app, li_p)
    east = await seed_deal(app, wang, "华东科技")
    clock.advance(hours=1)
    await seed_deal(app, li, "西湖软件")
    clock.advance(hours=1)
    river = await seed_deal(app, wang, "钱塘物流")
    await log_directly(app, wang, river, kind="call", outcome="interested", next_due=utc(2026, 11, 27, 1, 0))

    await manager_p.send("/stale")
    assert "全队没有沉默或逾期的商机" in manager_p.last.text
    await wang_p.send("/stale")
    assert "只有销售经理或管理员可以查看全队的沉默商机" in wang_p.last.text

    clock.set(utc(2026, 11, 27, 1, 0))
    await nudge_for(app, wang_p)  # 钱塘物流's next step is nudged, and nobody acts on it
    clock.set(utc(2026, 11, 30, 2, 0))  # Monday 10:00: four days on
    await nudge_for(app, wang_p)

    await manager_p.send("/stale")
    text = manager_p.last.text
    assert "🔕 <b>沉默和逾期的商机</b>（共 3 个，涉及 2 位销售）" in text
    assert text.index("👤 <b>小王</b>（2 个）") < text.index("👤 <b>小李</b>（1 个）")
    assert "1. <b>华东科技</b> · 商机认定 — 已经 4 天没跟进（要求 2 天内）\n   🗓 没定下一步" in text
    assert "2. <b>钱塘物流</b> · 商机认定 — 已经 3 天没跟进（要求 2 天内）\n   ⏰ 11月27日 周五 09:00 的跟进提醒还没处理" in text
    assert "3. <b>西湖软件</b>" in text
    assert labels(manager_p) == [
        "1. 华东科技 · 小王", "👋 提醒", "🔁 转给别人", "2. 钱塘物流 · 小王", "👋 提醒", "🔁 转给别人",
        "3. 西湖软件 · 小李", "👋 提醒", "🔁 转给别人",
    ]

    await manager_p.press(3)  # the first deal's "reassign": /assign's steps
    assert "把「华东科技」转给谁？现在的负责人：小王" in manager_p.last.text
    await manager_p.press("小李")
    await manager_p.press("平衡工作量")
    assert "🔁 已转给 小李" in manager_p.last.text
    await manager_p.send("/stale")
    await manager_p.press("1. 华东科技")
    assert "💼 <b>华东科技</b>" in manager_p.last.text and "等待 小李 确认接手" in manager_p.last.text
    assert east and li


async def test_stale_remind_nudges_the_owner_once_a_day_and_waits_for_working_hours(
    app: App, sandbox: Sandbox, clock: FakeClock
) -> None:
    from domain.outbox.model import Notification

    manager_p = await join(app, sandbox, "李经理", Role.MANAGER)
    wang_p = await join(app, sandbox, "小王", Role.REP)
    wang = await member(app, wang_p)
    await seed_deal(app, wang, "华东科技")
    clock.set(utc(2026, 11, 30, 2, 0))  # Monday 10:00 in Shanghai, four days of silence
    from bot.sweeps import run_sweeps

    await run_sweeps(app)

    await manager_p.send("/stale")
    calls = await manager_p.press("👋 提醒")
    assert "已提醒 小王，TA 会收到跟进「华东科技」的消息" in alert(calls)
    calls = await manager_p.press("👋 提醒")  # pressed again the same day
    assert "今天已经提醒过 TA 了" in alert(calls)

    async with app.uow() as uow:
        assert uow.session is not None
        pings = (await uow.session.execute(select(Notification).where(Notification.kind == "followup.ping"))).scalars().all()
    assert len(pings) == 1
    assert pings[0].chat_id == wang_p.telegram_id
    assert "李经理 提醒你跟进「华东科技」" in pings[0].text and "记录跟进" in (pings[0].reply_markup or "")

    clock.set(utc(2026, 12, 1, 14, 0))  # Tuesday 22:00: after hours, a new day
    await manager_p.send("/stale")
    calls = await manager_p.press("👋 提醒")
    assert "现在是非工作时间，12月2日 周三 09:00 会提醒 小王" in alert(calls)

    await wang_p.send("/stale")
    assert "只有销售经理或管理员" in wang_p.last.text


async def test_find_by_chinese_english_and_phone_fragments_shows_only_what_the_person_may_see(
    app: App, sandbox: Sandbox
) -> None:
    from handlers.pipeline_ui import DealCb

    manager_p = await join(app, sandbox, "李经理", Role.MANAGER)
    wang_p = await join(app, sandbox, "小王", Role.REP)
    li_p = await join(app, sandbox, "小李", Role.REP)
    wang, li = await member(app, wang_p), await member(app, li_p)
    east = await seed_deal(app, wang, "华东科技有限公司", phone="13800138000", contact_name="张伟")
    acme = await seed_deal(app, wang, "ACME Trading Ltd", phone="+44 20 7946 0958", contact_name="John Smith")
    await seed_deal(app, li, "华南物流")
    await log_directly(app, wang, acme, kind="email", outcome="interested", note="想集成金蝶财务系统")

    await wang_p.send("/find 华东")
    text = wang_p.last.text
    assert "🔎 「华东」找到 1 个商机" in text and "1. <b>华东科技有限公司</b> · 商机认定" in text
    assert "公司：华东科技有限公司" in text and labels(wang_p) == ["1. 华东科技有限公司 · 商机认定"]
    await wang_p.press("1. 华东科技有限公司")
    assert "💼 <b>华东科技有限公司</b>" in wang_p.last.text

    await wang_p.send("/find acme")
    assert "ACME Trading Ltd" in wang_p.last.text
    await wang_p.send("/find 8001")
    assert "华东科技有限公司" in wang_p.last.text and "联系人：张伟 · +8613800138000" in wang_p.last.text
    await wang_p.send("/find 金蝶")
    assert "跟进记录：想集成金蝶财务系统" in wang_p.last.text and "ACME" in wang_p.last.text

    await wang_p.send("/find 华南")  # 小李's deal
    assert "没找到和「华南」相关的商机" in wang_p.last.text and "比如 8001" in wang_p.last.text
    assert wang_p.last.markup is None
    await li_p.send("/find 华东")
    assert "没找到" in li_p.last.text
    assert "不是你负责的" in alert(await li_p.press_data(DealCb(act="open", id=east).pack()))

    await manager_p.send("/find 华")
    assert "找到 2 个商机" in manager_p.last.text and "华南物流" in manager_p.last.text

    await wang_p.send("/find")
    assert "要找什么" in wang_p.last.text
    await send_other(wang_p, voice=voice())
    assert "请打字告诉我要找什么" in wang_p.last.text
    await wang_p.send("smith")
    assert "ACME Trading Ltd" in wang_p.last.text and "联系人：John Smith" in wang_p.last.text


async def test_log_lists_my_open_deals_paged_and_finds_one_by_typing(app: App, sandbox: Sandbox) -> None:
    wang_p = await join(app, sandbox, "小王", Role.REP)
    wang = await member(app, wang_p)
    companies = ("华东科技", "西湖软件", "钱塘物流", "江南制造", "苏州电子", "宁波港务", "杭州医药", "无锡纺织", "常州机械")
    for name in companies:
        await seed_deal(app, wang, name)

    await wang_p.send("/log")
    assert "记录哪个商机的跟进？</b>（共 9 个）" in wang_p.last.text and "第 1/2 页" in wang_p.last.text
    await wang_p.press("下一页")
    assert "第 2/2 页" in wang_p.last.text and labels(wang_p)[0].startswith("9. ")
    await wang_p.send("钱塘")
    assert "「钱塘」找到 1 个商机" in screen(wang_p)
    await wang_p.press("1. 钱塘物流")
    assert "记录跟进</b> · <b>钱塘物流</b>" in wang_p.last.text
    await wang_p.press("返回")
    assert "记录哪个商机的跟进" in wang_p.last.text

    await wang_p.send("/log 不存在的公司")
    assert "没找到和「不存在的公司」相关的商机" in wang_p.last.text and has_button(wang_p, "我的全部商机")
    await wang_p.send("/log 宁波")
    await wang_p.press("1. 宁波港务")
    await wang_p.press("电话")
    await wang_p.press("已联系上")
    await wang_p.press("明天")
    assert "✅ <b>跟进已记录</b> · <b>宁波港务</b>" in wang_p.last.text


async def test_log_with_the_deal_and_what_happened_in_one_line_keeps_the_rest_as_the_note(
    app: App, sandbox: Sandbox
) -> None:
    wang_p = await join(app, sandbox, "小王", Role.REP)
    wang = await member(app, wang_p)
    deal_id = await seed_deal(app, wang, "华东科技")
    await seed_deal(app, wang, "华东制造")
    await seed_deal(app, wang, "西湖软件")

    # One deal found by the line's beginning: opened at once, the rest already the note.
    await wang_p.send("/log 西湖软件 打了电话，客户想先看案例")
    assert "记录跟进</b> · <b>西湖软件</b>" in wang_p.last.text and "怎么联系客户" in wang_p.last.text
    assert "备注：打了电话，客户想先看案例" in wang_p.last.text
    await wang_p.press("电话")
    await wang_p.press("已联系上")
    await wang_p.press("明天")
    assert "✅ <b>跟进已记录</b> · <b>西湖软件</b>" in wang_p.last.text
    assert "备注：打了电话，客户想先看案例" in wang_p.last.text

    # Two found: the note is said and kept while one is picked.
    await wang_p.send("/log 华东 客户说下周开会")
    assert "「华东」找到 2 个商机" in screen(wang_p) and "后面的话先记为跟进备注：客户说下周开会" in screen(wang_p)
    await wang_p.press("华东科技")
    assert "备注：客户说下周开会" in wang_p.last.text
    await wang_p.press("会议")
    await wang_p.press("有意向")
    await wang_p.press("下周")
    [logged] = [a for a in await activities(app, deal_id) if a.note]
    assert logged.note == "客户说下周开会"

    # A line that finds nothing at all is still said as not found, nothing taken for a note.
    await wang_p.send("/log 不存在的公司 打过电话")
    assert "没找到和「不存在的公司 打过电话」相关的商机" in wang_p.last.text


async def test_an_english_speaker_in_berlin_logs_in_three_taps(app: App, sandbox: Sandbox) -> None:
    anna_p = await join(
        app, sandbox, "Anna", Role.REP, team="Berlin Sales", language_code="en", timezone="Europe/Berlin"
    )
    await seed_deal(app, await member(app, anna_p), "Acme GmbH")
    await anna_p.send("/log")
    assert "How did you get in touch?" in anna_p.last.text  # her only open deal: no list to pick from
    await anna_p.press("📞 Call")
    assert labels(anna_p)[:2] == ["✅ Reached", "📵 No answer"]
    await anna_p.press("Reached")
    await anna_p.press("Tomorrow")
    text = anna_p.last.text
    assert "✅ <b>Follow-up logged</b> · <b>Acme GmbH</b>" in text and "📞 Call · reached" in text
    assert "🗓 Next follow-up: Fri 27 Nov 09:00 · follow up with the customer; I'll remind you." in text


async def taps_until_logged(person: Person, *taps: str) -> int:
    """Presses the buttons in turn until the follow-up is saved: how many presses that took."""
    for count, label in enumerate(taps, start=1):
        await person.press(label)
        if "跟进已记录" in person.last.text:
            return count
    raise AssertionError(f"not saved after {len(taps)} taps: {person.last.text}")


THREE = ("电话", "已联系上", "明天")


async def test_log_is_three_taps_from_the_command_with_one_open_deal_from_the_card_and_from_a_nudge(
    app: App, sandbox: Sandbox, clock: FakeClock
) -> None:
    wang_p = await join(app, sandbox, "小王", Role.REP)
    wang = await member(app, wang_p)
    deal_id = await seed_deal(app, wang, "华东科技")

    await wang_p.send("/log")  # exactly one open deal: straight to the kind
    assert await taps_until_logged(wang_p, *THREE, "x") == 3
    await open_card(wang_p, "华东科技")
    await wang_p.press("📞 记录跟进")
    assert await taps_until_logged(wang_p, *THREE, "x") == 3
    clock.set(utc(2026, 11, 27, 1, 0))  # tomorrow 09:00: the next step comes due
    await nudge_for(app, wang_p)
    assert "该跟进「华东科技」了" in wang_p.last.text
    await wang_p.press("📝 记录跟进")
    assert await taps_until_logged(wang_p, *THREE, "x") == 3
    assert len(await activities(app, deal_id)) == 3

    # Two open deals: /log asks which one first (the one extra tap a choice needs).
    await seed_deal(app, wang, "西湖软件")
    await wang_p.send("/log")
    assert "记录哪个商机的跟进" in wang_p.last.text
    assert await taps_until_logged(wang_p, "1. ", *THREE) == 4


async def test_log_does_not_open_a_deal_still_waiting_for_acceptance(app: App, sandbox: Sandbox) -> None:
    li_p = await join(app, sandbox, "李经理", Role.MANAGER)
    wang_p = await join(app, sandbox, "小王", Role.REP)
    await seed_deal(app, await member(app, li_p), "华东科技", keep=False)  # routed to 小王, not accepted yet
    await wang_p.send("/log")
    assert "记录哪个商机的跟进" in wang_p.last.text and has_button(wang_p, "1. 华东科技")
    calls = await wang_p.press("1. 华东科技")  # he is told what to do first, not that it is someone else's
    assert any("先在交接卡上点「✅ 接手」" in (getattr(c.method, "text", "") or "") for c in calls)
