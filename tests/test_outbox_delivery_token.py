"""A refused token (401 Unauthorized: revoked in @BotFather), against the fake Bot API server: delivery and
polling wait for it, one log line says so with the token redacted, nothing is dead-lettered, and both
resume by themselves once a getMe (one a minute) is accepted again."""

from __future__ import annotations

import asyncio
import logging

import pytest

from bot.outbox import outbox_of
from tests.fakeapi import FakeBotApi, update_with_text
from tests.fakes import FakeClock
from tests.outbox_support import TOKEN, dispatcher, fake_api, outbox_app, queue, rows
from tests.test_outbox_delivery import FAST, wait_for

REVOKED = "123456:AAHsomeoneRevokedThisInBotFather0123"  # the server now knows only another token


class Ticks:
    """A monotonic clock the test moves."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def methods(api: FakeBotApi, since: int = 0) -> list[str]:
    return [method for _, method in api.calls[since:]]


def refusal_lines(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [r.getMessage() for r in caplog.records if "refuses the bot token" in r.getMessage()]


async def test_a_refused_token_pauses_delivery_and_fails_no_row(
    db_url: str, clock: FakeClock, caplog: pytest.LogCaptureFixture
) -> None:
    async with fake_api(FAST) as api, outbox_app(db_url, api, clock) as app:
        await queue(app, [(9000 + c, f"跟进提醒 {c}") for c in range(5)])
        ticks = Ticks()
        guard = outbox_of(app).guard  # the one in the bot's session, as in production: one guard per bot
        guard.monotonic = ticks
        outbox = dispatcher(app, FAST, guard=guard)
        api.token = REVOKED

        report = await outbox.run_once()

        assert report.unauthorized >= 1 and (report.sent, report.retried, report.dead) == (0, 0, 0)
        # Every row waits as it was: no attempt counted, no error, no lease held, nothing dead.
        assert {(r.state, r.attempts, r.last_error, r.lease_owner) for r in await rows(app)} == {("pending", 0, None, None)}
        (line,) = refusal_lines(caplog)
        assert "123456:***" in line and TOKEN.partition(":")[2] not in line and "cannot be told" in line

        asked = len(api.calls)
        for _ in range(5):  # the scheduler's ticks within the minute: nobody asks Telegram
            await outbox.run_once()
        assert len(api.calls) == asked

        ticks.now += 61  # a minute on: one getMe, still refused, and no second log line
        assert (await outbox.run_once()).sent == 0
        assert methods(api, asked) == ["getMe"] and len(refusal_lines(caplog)) == 1

        api.token = TOKEN  # the token works again (a self-hosted Bot API server back to normal, say)
        ticks.now += 61
        report = await outbox.run_once()

        assert report.sent == 5 and {(r.state, r.attempts) for r in await rows(app)} == {("sent", 0)}
        assert any("accepts the bot token again" in r.getMessage() for r in caplog.records)


async def test_the_metrics_show_a_refused_token(db_url: str, clock: FakeClock) -> None:
    async with fake_api(FAST) as api, outbox_app(db_url, api, clock) as app:
        await queue(app, [(9100, "审批提醒")])
        installed = outbox_of(app)
        ticks = Ticks()
        installed.guard.monotonic = ticks
        api.token = REVOKED
        await installed.run_once()
        assert b"loopbot_telegram_token_refused 1.0" in app.metrics.text()

        api.token = TOKEN
        ticks.now += 61
        assert (await installed.run_once()).sent == 1
        assert b"loopbot_telegram_token_refused 0.0" in app.metrics.text()


async def test_polling_stops_asking_while_the_token_is_refused_then_resumes(
    db_url: str, clock: FakeClock, caplog: pytest.LogCaptureFixture
) -> None:
    async with FakeBotApi(TOKEN) as api, outbox_app(db_url, api, clock) as app:
        guard = outbox_of(app).guard  # installed in the bot's session: it sees getUpdates too
        ticks = Ticks()

        async def a_minute_passes(seconds: float) -> None:
            ticks.now += seconds
            await asyncio.sleep(0.02)

        guard.monotonic, guard.sleep = ticks, a_minute_passes
        await app.bot.me()
        api.token = REVOKED
        polling = asyncio.create_task(
            app.dp.start_polling(app.bot, handle_signals=False, close_bot_session=False, polling_timeout=1)
        )
        try:
            asked = len(api.calls)
            await wait_for(lambda: methods(api, asked).count("getMe") >= 3, timeout=60.0)  # three minutes of probing
            # One getUpdates got the 401; since then only the probes, a minute apart (not a retry every second).
            assert methods(api, asked).count("getUpdates") == 1
            assert len(refusal_lines(caplog)) == 1

            api.token = TOKEN
            api.add_update(update_with_text(1, 9200, "/start"))
            await wait_for(lambda: len(api.delivered(9200)) >= 1, timeout=60.0)  # polling resumed: the bot answers
        finally:
            polling.cancel()
            await asyncio.gather(polling, return_exceptions=True)
        assert any("accepts the bot token again" in r.getMessage() for r in caplog.records)
        assert not any(r.name == "aiogram.dispatcher" and r.levelno >= logging.ERROR for r in caplog.records)
