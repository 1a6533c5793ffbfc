"""What the bot does while Telegram refuses its token (401 Unauthorized: revoked or replaced in @BotFather).

It is not an error to retry like a 5xx: nothing can get through until the token works again. So the
first 401 logs ONE clear line (the token redacted) and the bot waits: the outbox hands its rows back
untouched (no attempt counted, no dead letters; bot/outbox.py) and polling stops asking for updates
(this module's request middleware holds getUpdates). Every PROBE_SECONDS a getMe asks whether the token
works again; when it does, one line says so and everything resumes. Telling the admins is not possible
through Telegram with a refused token: the log line says so, and /metrics shows
loopbot_telegram_token_refused 1 for the monitoring to alert on.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any

from aiogram.client.session.middlewares.base import BaseRequestMiddleware, NextRequestMiddlewareType
from aiogram.exceptions import TelegramAPIError, TelegramUnauthorizedError
from aiogram.methods import GetUpdates, TelegramMethod
from aiogram.methods.base import TelegramType

if TYPE_CHECKING:
    from aiogram import Bot

log = logging.getLogger(__name__)


def redacted(token: str) -> str:
    """The bot's id is public; the secret after the colon is not."""
    head, sep, _ = token.partition(":")
    return f"{head}:***" if sep else "***"


class TokenGuard(BaseRequestMiddleware):
    PROBE_SECONDS = 60.0

    def __init__(
        self, bot: Bot, *, probe_seconds: float = PROBE_SECONDS, monotonic: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], Awaitable[Any]] = asyncio.sleep, on_change: Callable[[bool], Any] | None = None,
    ) -> None:
        self.bot = bot
        self.probe_seconds = probe_seconds
        self.monotonic = monotonic
        self.sleep = sleep
        self.on_change = on_change
        self.refused_since: float | None = None
        self.next_probe = 0.0
        self._probing: asyncio.Lock | None = None

    @property
    def refused(self) -> bool:
        return self.refused_since is not None

    def note_refused(self) -> None:
        """A request got 401: the first one says so, once."""
        if self.refused_since is not None:
            return
        self.refused_since = self.monotonic()
        self.next_probe = self.refused_since + self.probe_seconds
        log.error(
            "Telegram refuses the bot token %s (401 Unauthorized): it was revoked or replaced in @BotFather. "
            "Sending and receiving are paused (queued notifications wait, none is dropped) and retried every "
            "%.0f s; set the new BOT_TOKEN and restart. The admins cannot be told through Telegram with a "
            "refused token: alert on loopbot_telegram_token_refused in /metrics.",
            redacted(self.bot.token), self.probe_seconds,
        )
        if self.on_change is not None:
            self.on_change(True)

    def note_accepted(self) -> None:
        if self.refused_since is None:
            return
        paused = self.monotonic() - self.refused_since
        self.refused_since = None
        log.warning("Telegram accepts the bot token again after %.0f s: sending and receiving resume.", paused)
        if self.on_change is not None:
            self.on_change(False)

    async def usable(self) -> bool:
        """May the bot talk to Telegram now? While refused, a getMe every `probe_seconds` asks again."""
        if self.refused_since is None:
            return True
        if self.monotonic() < self.next_probe:
            return False
        if self._probing is None:
            self._probing = asyncio.Lock()
        async with self._probing:
            if self.refused_since is None:
                return True
            if self.monotonic() < self.next_probe:
                return False
            self.next_probe = self.monotonic() + self.probe_seconds
            try:
                await self.bot.get_me()
            except TelegramUnauthorizedError:
                return False
            except (TelegramAPIError, OSError, TimeoutError) as error:
                log.info("checking the bot token: Telegram did not answer (%s); asking again later", type(error).__name__)
                return False
            self.note_accepted()
            return True

    async def wait_until_usable(self) -> None:
        while not await self.usable():
            await self.sleep(max(0.0, self.next_probe - self.monotonic()))

    async def __call__(
        self, make_request: NextRequestMiddlewareType[TelegramType], bot: Bot, method: TelegramMethod[TelegramType]
    ) -> Any:
        """Every request to Telegram: a 401 is noted; polling (getUpdates) then waits for the token to work,
        instead of asking again every few seconds."""
        while True:
            try:
                response = await make_request(bot, method)
            except TelegramUnauthorizedError:
                self.note_refused()
                if not isinstance(method, GetUpdates):
                    raise
                await self.wait_until_usable()
                continue
            if self.refused_since is not None:
                self.note_accepted()
            return response


__all__ = ["TokenGuard", "redacted"]
