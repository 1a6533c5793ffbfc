"""The dispatcher against a fake Bot API server, on SQLite and PostgreSQL: every row ends sent, dead or
unreachable as specified, the limits hold by the server's own count, and nothing is lost."""

from __future__ import annotations

import asyncio
import json
import time
from collections import defaultdict

from sqlalchemy import select

from bot.factory import App
from bot.outbox import Limits, Window, outbox_of
from domain.outbox.kinds import Kind
from domain.outbox.notify import Notice, tell_user
from domain.outbox.retry import MAX_ATTEMPTS
from domain.team import onboarding
from domain.team.model import Role, Team, User
from storage.tables import audit_events, notifications
from tests.fakeapi import FakeBotApi
from tests.fakes import FakeClock
from tests.outbox_support import dispatcher, fake_api, outbox_app, queue, rows

# A wider safety margin than the default 3%: these tests share a machine with everything else, and a
# stalled test process shows the server requests bunched up that left evenly (bench/outbox.py
# measures the default margin on its own).
FAST = Limits(overall=Window(100, 1.0), private=Window(5, 1.0), group=Window(20, 60.0), safety=0.08)


async def wait_for(condition, timeout: float = 10.0) -> None:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out waiting"
        await asyncio.sleep(0.02)


async def people(app: App, *, with_group: int | None = None) -> tuple[Team, User, User]:
    async with app.uow() as uow:
        team = await onboarding.ensure_team(uow, name="华东销售部", timezone="Asia/Shanghai", now=app.clock.now())
        assert team.id is not None
        team.group_chat_id = with_group
        manager = await uow.users.add(User(telegram_id=7001, name="李经理", role=Role.MANAGER, team_id=team.id))
        rep = await uow.users.add(User(telegram_id=7002, name="小王", username="xiaowang", role=Role.REP, team_id=team.id))
        await uow.commit()
    return team, manager, rep


async def test_backlog_drains_in_order_against_a_server_that_enforces_the_caps(db_url: str, clock: FakeClock) -> None:
    # The fake server refuses with 429 what exceeds the caps, as Telegram does. That the dispatcher's own
    # departures keep under the caps is the pacer's unit test (tests/test_outbox_rules.py); arrival times
    # here share one event loop with the sender, so on a loaded machine a stall can bunch them up, and a
    # 429 is then retried like in production: everything still arrives once, in order.
    async with fake_api(FAST) as api, outbox_app(db_url, api, clock) as app:
        messages = [(1000 + c, f"chat {c} #{k}") for k in range(7) for c in range(20)]
        messages += [(-100500, f"group #{k}") for k in range(10)]
        await queue(app, messages)
        buttons = json.dumps({"inline_keyboard": [[{"text": "✅ 完成", "callback_data": "rem:done:1"}]]})
        await queue(app, [(1000, "with buttons")], prefix="b", reply_markup=buttons)

        report = await dispatcher(app, FAST).run_once()

        assert report.sent == 151
        assert {r.state for r in await rows(app)} == {"sent"}
        assert all(r.message_id for r in await rows(app))
        assert len(api.delivered()) == 151 and len({r.text for r in api.delivered()}) == 151
        by_chat = defaultdict(list)
        for record in api.delivered():
            by_chat[record.chat_id].append(record.text)
        assert by_chat[1003] == [f"chat 3 #{k}" for k in range(7)]
        assert by_chat[-100500] == [f"group #{k}" for k in range(10)]
        assert json.loads(api.delivered(1000)[-1].reply_markup or "{}")["inline_keyboard"][0][0]["text"] == "✅ 完成"
        # How close to the cap it drains is a figure for bench/outbox.py, not an assertion here.


async def test_429_pauses_the_whole_bot_and_is_not_an_attempt(db_url: str, clock: FakeClock) -> None:
    async with fake_api(FAST) as api, outbox_app(db_url, api, clock) as app:
        await queue(app, [(2000 + c, f"m{c}") for c in range(10)])
        api.fail_next("429:1")

        # One request at a time: none is on its way when the 429 comes back, so whatever the server sees
        # next was sent after the pause began (with several in flight, how late those land depends on
        # the machine's load, and the test would measure that instead).
        report = await dispatcher(app, FAST, max_in_flight=1).run_once()

        assert report.rate_limited == 1 and report.sent == 10
        refused = next(r for r in api.records if r.outcome == "injected_429")
        after = [r.at for r in api.records if r.at > refused.at]
        assert after and min(after) >= refused.at + 1.0  # nothing reached Telegram before retry_after passed
        retried = next(r for r in await rows(app) if r.text == refused.text)
        assert (retried.state, retried.attempts) == ("sent", 0)


async def test_5xx_and_timeouts_back_off_then_succeed_or_die(db_url: str, clock: FakeClock) -> None:
    async with fake_api(FAST, slow_seconds=8.0) as api, outbox_app(db_url, api, clock) as app:
        await queue(app, [(3001, "flaky"), (3002, "down"), (3003, "fine")])
        api.fail_chat(3001, "500", "timeout")
        api.fail_chat(3002, *["500"] * 10)
        outbox = dispatcher(app, FAST, send_timeout=2.0, max_attempts=3)

        first = await outbox.run_once()
        assert (first.sent, first.retried) == (1, 2)
        state = {r.chat_id: r for r in await rows(app)}
        assert state[3001].state == "pending" and state[3001].attempts == 1
        assert state[3001].last_error == "server: Internal Server Error"
        assert (await outbox.run_once()).sent == 0  # backing off: not due yet

        clock.advance(minutes=5)
        await outbox.run_once()
        state = {r.chat_id: r for r in await rows(app)}
        assert state[3001].attempts == 2 and (state[3001].last_error or "").startswith("timeout:")

        clock.advance(minutes=5)
        await outbox.run_once()
        state = {r.chat_id: r for r in await rows(app)}
        assert (state[3001].state, state[3001].attempts) == ("sent", 2)
        assert (state[3002].state, state[3002].attempts) == ("dead", 3)
        assert state[3002].last_error == "server: Internal Server Error"
        assert [r.outcome for r in api.records if r.chat_id == 3001] == ["server_error", "timeout", "ok"]


async def test_default_attempts_ride_out_a_long_outage(db_url: str, clock: FakeClock) -> None:
    roomy = Limits(private=Window(50, 1.0), safety=0.08)  # twelve attempts within a second of real time
    async with fake_api(roomy) as api, outbox_app(db_url, api, clock) as app:
        await queue(app, [(3100, "during an outage")])
        api.fail_chat(3100, *["500"] * (MAX_ATTEMPTS - 1))
        outbox = dispatcher(app, roomy)
        for _ in range(MAX_ATTEMPTS):
            await outbox.run_once()
            clock.advance(minutes=15)
        (row,) = await rows(app)
        assert (row.state, row.attempts) == ("sent", MAX_ATTEMPTS - 1)


async def test_blocked_user_is_flagged_and_the_manager_told_exactly_once(db_url: str, clock: FakeClock) -> None:
    async with fake_api(FAST) as api, outbox_app(db_url, api, clock) as app:
        team, manager, rep = await people(app)
        await queue(app, [(rep.telegram_id, f"提醒 {k}") for k in range(3)], recipient_id=rep.id, team_id=team.id)
        await queue(app, [(manager.telegram_id, "给经理的消息")], prefix="m", recipient_id=manager.id, team_id=team.id)
        api.block(rep.telegram_id, "403")

        outbox = dispatcher(app, FAST)
        report = await outbox.run_once()
        await outbox.run_once()

        assert report.unreachable == 3
        assert {r.state for r in await rows(app) if r.chat_id == rep.telegram_id} == {"unreachable"}
        told = [r.text for r in api.delivered(manager.telegram_id)]
        assert len(told) == 2 and "给经理的消息" in told
        notice = next(t for t in told if "小王" in t)
        assert "@xiaowang" in notice and "（销售）" in notice and "/start" in notice
        async with app.uow() as uow:
            flagged = await uow.users.get(rep.id or 0)
            assert flagged is not None and flagged.reachable is False


async def test_a_manager_who_blocked_the_bot_is_reported_to_the_admins(db_url: str, clock: FakeClock) -> None:
    async with fake_api(FAST) as api, outbox_app(db_url, api, clock) as app:
        team, manager, _ = await people(app)
        async with app.uow() as uow:
            admin = await uow.users.add(User(telegram_id=7009, name="Ada", role=Role.ADMIN, team_id=team.id or 0, language=None))
            await uow.commit()
        await queue(app, [(manager.telegram_id, "审批")], recipient_id=manager.id, team_id=team.id)
        api.block(manager.telegram_id, "notfound")

        await dispatcher(app, FAST).run_once()

        (notice,) = [r.text for r in api.delivered(admin.telegram_id)]
        assert "李经理" in notice and "销售经理" in notice
        assert (await rows(app))[0].last_error == "chat_not_found: Bad Request: chat not found"


async def test_lost_group_is_unbound_and_managers_told_once(db_url: str, clock: FakeClock) -> None:
    group = -100777
    async with fake_api(FAST) as api, outbox_app(db_url, api, clock) as app:
        team, manager, _ = await people(app, with_group=group)
        await queue(app, [(group, "🎉 成交喜报"), (group, "交接通知")], team_id=team.id)
        api.block(group, "403")

        await dispatcher(app, FAST).run_once()

        assert {r.state for r in await rows(app) if r.chat_id == group} == {"unreachable"}
        (notice,) = [r.text for r in api.delivered(manager.telegram_id)]
        assert "华东销售部" in notice and "/bindgroup" in notice
        async with app.uow() as uow:
            unbound = await uow.teams.get(team.id or 0)
            assert unbound is not None and unbound.group_chat_id is None
        async with app.engine.connect() as conn:
            actions: list[str] = list((await conn.execute(select(audit_events.c.action))).scalars().all())
        assert "team.group_unreachable" in actions


async def test_group_upgraded_to_supergroup_follows_the_new_id(db_url: str, clock: FakeClock) -> None:
    async with fake_api(FAST) as api, outbox_app(db_url, api, clock) as app:
        team, _, _ = await people(app, with_group=-4242)
        await queue(app, [(-4242, "喜报")], team_id=team.id)
        api.fail_chat(-4242, "migrate:-1004242")

        await dispatcher(app, FAST).run_once()

        assert [r.text for r in api.delivered(-1004242)] == ["喜报"]
        async with app.uow() as uow:
            moved = await uow.teams.get(team.id or 0)
            assert moved is not None and moved.group_chat_id == -1004242


async def test_long_text_goes_out_in_clean_parts_with_buttons_on_the_last(db_url: str, clock: FakeClock) -> None:
    async with fake_api(FAST) as api, outbox_app(db_url, api, clock) as app:
        text = "\n".join(f"<b>{i}.</b> 客户 &lt;A&gt; 报价 ¥{i * 1000:,} <i>备注：下周回访</i>" for i in range(300))
        buttons = json.dumps({"inline_keyboard": [[{"text": "查看", "callback_data": "x:1"}]]})
        await queue(app, [(4001, text)], reply_markup=buttons)

        report = await dispatcher(app, FAST).run_once()

        parts = api.delivered(4001)
        assert len(parts) >= 3 and report.messages == len(parts) and report.sent == 1
        assert api.count("rejected") == 0  # the server parsed every part's HTML and length
        assert [p.reply_markup is not None for p in parts] == [False] * (len(parts) - 1) + [True]
        shown = "\n".join(p.text for p in parts)
        assert all(f"<b>{i}.</b>" in shown for i in range(300))
        (row,) = await rows(app)
        assert row.state == "sent" and row.message_id == parts[-1].message_id


async def test_message_telegram_refuses_is_dead_at_once(db_url: str, clock: FakeClock) -> None:
    async with fake_api(FAST) as api, outbox_app(db_url, api, clock) as app:
        await queue(app, [(5001, "<b>unclosed"), (5002, "ok")])
        report = await dispatcher(app, FAST).run_once()
        assert (report.dead, report.sent) == (1, 1)
        dead = next(r for r in await rows(app) if r.chat_id == 5001)
        assert dead.state == "dead" and dead.attempts == 1 and (dead.last_error or "").startswith("rejected:")


async def test_a_slow_chat_does_not_hold_up_the_others_and_a_stop_hands_rows_back(db_url: str, clock: FakeClock) -> None:
    slow_group = Limits(overall=Window(100, 1.0), private=Window(5, 1.0), group=Window(2, 30.0), safety=0.08)
    async with fake_api(slow_group) as api, outbox_app(db_url, api, clock) as app:
        await queue(app, [(-9000, f"group {k}") for k in range(5)])
        await queue(app, [(6000 + c, f"p{c}") for c in range(20)], prefix="p")
        drain = asyncio.create_task(dispatcher(app, slow_group).run_once())

        # Two group rows use the group's window for the next 30 s: the twenty private rows go meanwhile.
        await wait_for(lambda: len(api.delivered()) == 22, timeout=60.0)
        await asyncio.sleep(0.2)
        drain.cancel()
        await asyncio.gather(drain, return_exceptions=True)

        assert [r.text for r in api.delivered(-9000)] == ["group 0", "group 1"]
        waiting = [r for r in await rows(app) if r.state == "pending"]
        assert [r.text for r in waiting] == ["group 2", "group 3", "group 4"]
        assert all(r.lease_owner is None for r in waiting)  # handed back at once, not left to expire


async def test_a_commit_that_queues_a_notification_wakes_delivery(db_url: str, clock: FakeClock) -> None:
    async with fake_api(FAST) as api, outbox_app(db_url, api, clock) as app:
        team, manager, _ = await people(app)
        serving = asyncio.create_task(outbox_of(app).serve())
        try:
            await asyncio.sleep(0.2)  # the start-up drain finds nothing
            async with app.uow() as uow:
                assert team.id is not None and manager.id is not None
                notice = Notice(Kind.GROUP_UNREACHABLE, about=team.id, refs={"chat": -1, "source": 0},
                                params={"team": team.name})
                assert await tell_user(uow, manager.id, notice, team_id=team.id, now=clock.now()) is not None
                await uow.commit()
            # No scheduler runs here: only the commit's wake-up can deliver it.
            await wait_for(lambda: len(api.delivered(manager.telegram_id)) == 1, timeout=60.0)
        finally:
            serving.cancel()
            await asyncio.gather(serving, return_exceptions=True)
        async with app.engine.connect() as conn:
            assert (await conn.execute(select(notifications.c.state))).scalar_one().value == "sent"


async def test_the_installed_dispatcher_keeps_the_configured_rates(db_url: str, clock: FakeClock) -> None:
    async with FakeBotApi("0:x") as api, outbox_app(
        db_url, api, clock, rate_global_per_second=25, rate_private_per_second=0.5, rate_group_per_minute=12
    ) as app:
        limits = outbox_of(app).limits
        assert (limits.overall, limits.private, limits.group) == (Window(25, 1.0), Window(1, 2.0), Window(12, 60.0))
        assert [job.name for job in app.periodic][-1] == "outbox"
