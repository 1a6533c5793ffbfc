"""What each CLI command does, given valid settings."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import sys
import time
from collections.abc import Awaitable, Callable

from aiogram import Bot
from aiogram.exceptions import (
    TelegramAPIError,
    TelegramNetworkError,
    TelegramNotFound,
    TelegramRetryAfter,
    TelegramServerError,
    TelegramUnauthorizedError,
)
from aiogram.types import User as TgUser

from bot import gc_tuning
from bot.app import App, prepare
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

TELEGRAM = "https://api.telegram.org"
ATTEMPT_SECONDS = 10.0  # one getMe may take this long before it counts as failed
FIRST_PAUSE, LONGEST_PAUSE = 1.0, 10.0


class StartupError(Exception):
    """Why the bot cannot start, in one line for the operator (never with the token in it)."""


def _reason(exc: BaseException, secrets: list[str]) -> str:
    text = exc.message if isinstance(exc, TelegramAPIError) else f"{type(exc).__name__}: {exc}".rstrip(": ")
    for secret in secrets:
        if secret:
            text = text.replace(secret, "***")
    return " ".join(text.split()) or type(exc).__name__


async def whoami(
    bot: Bot, settings: Settings, *, sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    monotonic: Callable[[], float] = time.monotonic,
) -> TgUser:
    """getMe at start-up. While the Bot API can't be reached (network errors, timeouts, 5xx, 429) it is asked
    again after growing pauses (1, 2, 4, ... 10 s) for STARTUP_RETRY_SECONDS; then, or at once when the token
    is refused, a StartupError says what to check."""
    where = settings.telegram_api_base or TELEGRAM
    token = settings.bot_token.get_secret_value() if settings.bot_token else ""
    secrets = [token, token.partition(":")[2]]
    window = settings.startup_retry_seconds
    give_up_at = monotonic() + window
    pause = FIRST_PAUSE
    attempts = 0
    while True:
        attempts += 1
        try:
            async with asyncio.timeout(ATTEMPT_SECONDS):
                return await bot.me()
        except (TelegramUnauthorizedError, TelegramNotFound) as exc:
            check = "BOT_TOKEN and TELEGRAM_API_BASE" if settings.telegram_api_base else "BOT_TOKEN (from @BotFather)"
            raise StartupError(
                f"The Bot API at {where} does not accept the bot token ({_reason(exc, secrets)}): check {check}."
            ) from None
        except TelegramRetryAfter as exc:
            reason, wait = _reason(exc, secrets), float(exc.retry_after)
        except (TelegramNetworkError, TelegramServerError, TimeoutError, OSError) as exc:
            reason, wait = _reason(exc, secrets), pause
        except TelegramAPIError as exc:
            raise StartupError(f"The Bot API at {where} answered getMe with an error: {_reason(exc, secrets)}.") from None
        left = give_up_at - monotonic()
        if left <= 0:
            tried = f"after {attempts} attempt{'s' if attempts > 1 else ''} in {window:g} s (STARTUP_RETRY_SECONDS)"
            if settings.telegram_api_base:
                raise StartupError(
                    f"Cannot reach the Bot API server at {where} (TELEGRAM_API_BASE) {tried}: {reason}. "
                    "Check that it is running and that TELEGRAM_API_BASE points to it."
                )
            raise StartupError(
                f"Cannot reach Telegram at {where} {tried}: {reason}. Check the network "
                "(or set TELEGRAM_API_BASE to a Bot API server this machine can reach)."
            )
        wait = min(wait, left)
        log.warning("the Bot API at %s can't be reached (%s); attempt %d, trying again in %.0f s", where, reason, attempts, wait)
        await sleep(wait)
        pause = min(pause * 2, LONGEST_PAUSE)


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
    from bot.web import start_web

    app = build_app(settings)
    try:
        me = await whoami(app.bot, settings)
    except StartupError as exc:
        print(exc, file=sys.stderr)
        await app.close()
        return 1
    log.info("running as @%s (id %s)", me.username, me.id)
    await prepare(app)
    gc_tuning.settle_after_startup()
    scheduler = start_scheduler(app)
    web_runner = await start_web(app)  # the HTTP API, when HTTP_PORT is set
    # Delivers the outbox right after every commit that queued notifications (the scheduler's
    # periodic "outbox" job is the safety net).
    delivery = asyncio.create_task(outbox_of(app).serve(), name="outbox")
    try:
        try:
            await set_default_commands(app.bot, app.catalogue, settings.default_language)
        except TelegramAPIError as exc:  # the menus are a nicety: polling starts anyway
            log.warning("could not set the command menus: %s", exc)
        if settings.webhook_url is not None:
            await serve_webhook(app, settings)
        else:
            # A refused token (401) holds getUpdates in the bot's session until it works again, a getMe a
            # minute, instead of aiogram's retry every few seconds (bot/token_guard.py, installed with the outbox).
            await app.dp.start_polling(app.bot, allowed_updates=app.dp.resolve_used_update_types())
    finally:
        scheduler.shutdown(wait=False)
        if web_runner is not None:
            await web_runner.cleanup()
        delivery.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await delivery
        await app.close()
    return 0


async def serve_webhook(app: App, settings: Settings) -> None:
    """Webhook mode: Telegram posts updates to WEBHOOK_URL, served by the HTTP API (bot/web.py). Every
    instance sets the same webhook; leaving does not delete it (the other instances go on)."""
    from bot.web import webhook_secret

    assert settings.webhook_url is not None
    await app.bot.set_webhook(
        settings.webhook_url, secret_token=webhook_secret(settings),
        allowed_updates=app.dp.resolve_used_update_types(), drop_pending_updates=False,
    )
    log.info("webhook mode: Telegram posts updates to %s", settings.webhook_url)
    await app.dp.emit_startup(bot=app.bot)
    try:
        await asyncio.Event().wait()  # until the process is stopped
    finally:
        await app.dp.emit_shutdown(bot=app.bot)


async def console(settings: Settings) -> int:
    from bot.console import run_console

    # The terminal is the chat here: keep routine log lines out of it (LOG_LEVEL=DEBUG still shows all).
    root = logging.getLogger()
    if root.level > logging.DEBUG:
        root.setLevel(logging.WARNING)

    return await run_console(settings)
