"""What a production bot must survive: restarts mid-flow (database or Redis state), floods, and bugs."""

from __future__ import annotations

import secrets

import pytest
from aiogram.fsm.storage.redis import RedisStorage

from bot.config import Settings
from bot.factory import build_app
from bot.fsm_storage import SqlStorage
from bot.sandbox import RecordingSession, Sandbox
from domain.team.model import Role
from tests.conftest import join
from tests.fakes import FakeClock

REDIS_URL = "redis://127.0.0.1:6379/15"


async def restart_mid_invite(settings: Settings, clock: FakeClock) -> tuple[str, str]:
    """The manager opens /invite, the bot restarts, the manager presses 销售 on the old message.

    The manager's name (so their Telegram id, so their keys in Redis) is new each run: another suite
    running at the same time on this machine shares the Redis database, and must not touch this state."""
    name = f"经理{secrets.token_hex(4)}"
    first = build_app(settings, session=RecordingSession(), clock=clock)
    try:
        sandbox = Sandbox(dp=first.dp, bot=first.bot, session=first.bot.session)  # type: ignore[arg-type]
        manager = await join(first, sandbox, name, Role.MANAGER)
        await manager.send("/invite")
        _, role_button = manager.find_button("销售")
        storage_kind = type(first.dp.storage).__name__
    finally:
        await first.close()

    second = build_app(settings, session=RecordingSession(), clock=clock)
    try:
        sandbox = Sandbox(dp=second.dp, bot=second.bot, session=second.bot.session)  # type: ignore[arg-type]
        manager = sandbox.person(name)
        await manager.press_data(role_button)
        return storage_kind, manager.last.text
    finally:
        await second.close()


async def test_flow_survives_restart_with_state_in_the_database(settings: Settings, clock: FakeClock) -> None:
    kind, reply = await restart_mid_invite(settings, clock)
    assert kind == SqlStorage.__name__
    assert "邀请链接已生成" in reply and "?start=" in reply


@pytest.mark.parametrize("backend", ["sqlite"])
async def test_flow_survives_restart_with_state_in_redis(settings: Settings, clock: FakeClock) -> None:
    kind, reply = await restart_mid_invite(settings.model_copy(update={"redis_url": REDIS_URL}), clock)
    assert kind == RedisStorage.__name__
    assert "邀请链接已生成" in reply


@pytest.mark.parametrize("backend", ["sqlite"])
async def test_a_flood_is_throttled_with_one_notice(settings: Settings, clock: FakeClock) -> None:
    app = build_app(settings.model_copy(update={"throttle_per_second": 0.5}), session=RecordingSession(), clock=clock)
    try:
        sandbox = Sandbox(dp=app.dp, bot=app.bot, session=app.bot.session)  # type: ignore[arg-type]
        rep = await join(app, sandbox, "rep", Role.REP)
        for _ in range(15):
            await rep.send("/me")
        texts = [m.text for m in rep.chat()]
        cards = [t for t in texts if "角色：销售" in t]
        notices = [t for t in texts if "操作有点快" in t]
        assert 3 <= len(cards) <= 6, len(cards)
        assert len(notices) == 1
    finally:
        await app.close()


async def test_a_bug_gets_an_apology_with_an_error_id_and_the_bot_goes_on(
    app, sandbox: Sandbox, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture  # type: ignore[no-untyped-def]
) -> None:
    manager = await join(app, sandbox, "经理", Role.MANAGER)

    async def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("database on fire")

    monkeypatch.setattr("domain.team.onboarding.team_members", broken)
    await manager.send("/team")
    apology = manager.last.text
    assert "出了点问题" in apology and "错误编号" in apology
    error_id = apology.split("错误编号 ")[1][:8]
    assert any(error_id in r.getMessage() and r.exc_info for r in caplog.records)

    monkeypatch.undo()
    await manager.send("/me")
    assert "角色：销售经理" in manager.last.text


async def test_a_finished_flow_leaves_no_state_row_behind(app, sandbox: Sandbox) -> None:  # type: ignore[no-untyped-def]
    from sqlalchemy import func, select

    from storage.tables import fsm_states

    manager = await join(app, sandbox, "经理", Role.MANAGER)
    await manager.send("/invite")
    async with app.engine.connect() as conn:
        assert (await conn.execute(select(func.count()).select_from(fsm_states))).scalar_one() == 1
    await manager.press("销售")
    assert "邀请链接已生成" in manager.last.text
    async with app.engine.connect() as conn:
        assert (await conn.execute(select(func.count()).select_from(fsm_states))).scalar_one() == 0
