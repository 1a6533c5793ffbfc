"""What each CLI command does, given valid settings."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import sys

from aiogram.exceptions import TelegramAPIError

from bot.app import prepare
from bot.config import Settings
from bot.factory import build_app
from bot.outbox import outbox_of
from bot.sandbox import SANDBOX_BOT_USERNAME
from domain.clock import SystemClock
from domain.errors import DomainError
from domain.team import onboarding
from domain.team.model import Role
from storage import migrate as migrations
from storage.db import create_engine, session_factory
from storage.uow import SqlUnitOfWork

log = logging.getLogger(__name__)


async def migrate(settings: Settings) -> int:
    engine = create_engine(settings.database_url)
    try:
        await migrations.upgrade(engine)
        print(f"Database schema is at revision {await migrations.current_revision(engine)}.")
    finally:
        await engine.dispose()
    return 0


async def bot_username(settings: Settings) -> str | None:
    if settings.bot_username:
        return settings.bot_username.lstrip("@")
    if settings.bot_token is None:
        return SANDBOX_BOT_USERNAME
    app = build_app(settings)
    try:
        me = await app.bot.me()
        return me.username
    except TelegramAPIError as exc:
        log.warning("could not ask Telegram for the bot's username: %s", exc)
        return None
    except OSError as exc:
        log.warning("could not reach Telegram for the bot's username: %s", exc)
        return None
    finally:
        await app.close()


async def invite(settings: Settings, role: Role, team_name: str, timezone: str) -> int:
    engine = create_engine(settings.database_url)
    clock = SystemClock()
    try:
        await migrations.upgrade(engine)
        async with SqlUnitOfWork(session_factory(engine)) as uow:
            try:
                team = await onboarding.ensure_team(uow, name=team_name, timezone=timezone, now=clock.now())
                assert team.id is not None
                code, invite = await onboarding.create_invite(
                    uow, actor=None, role=role, team_id=team.id, now=clock.now()
                )
            except DomainError as error:
                print(f"Cannot create the invite: {error.code} {error.params}", file=sys.stderr)
                return 2
            await uow.commit()
    finally:
        await engine.dispose()
    username = await bot_username(settings)
    link = f"https://t.me/{username or '<your_bot_username>'}?start={code}"
    print(f"Invite: {role.value} of team {team.name!r}, single use, valid until {invite.expires_at:%Y-%m-%d %H:%M} UTC")
    print(link)
    print(f"code: {code}")
    if username is None:
        print("(Set BOT_USERNAME in .env to print the exact link.)")
    elif settings.bot_token is None:
        print(f"In the console sandbox: /start {code}")
    return 0


async def run(settings: Settings) -> int:
    from bot.commands import set_default_commands
    from bot.scheduler import start_scheduler

    app = build_app(settings)
    await prepare(app)
    scheduler = start_scheduler(app)
    # Delivers the outbox right after every commit that queued notifications (the scheduler's
    # periodic "outbox" job is the safety net).
    delivery = asyncio.create_task(outbox_of(app).serve(), name="outbox")
    try:
        me = await app.bot.me()
        log.info("running as @%s (id %s)", me.username, me.id)
        await set_default_commands(app.bot, app.catalogue, settings.default_language)
        await app.dp.start_polling(app.bot, allowed_updates=app.dp.resolve_used_update_types())
    finally:
        scheduler.shutdown(wait=False)
        delivery.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await delivery
        await app.close()
    return 0


async def console(settings: Settings) -> int:
    from bot.console import run_console

    # The terminal is the chat here: keep routine log lines out of it (LOG_LEVEL=DEBUG still shows all).
    root = logging.getLogger()
    if root.level > logging.DEBUG:
        root.setLevel(logging.WARNING)

    return await run_console(settings)
