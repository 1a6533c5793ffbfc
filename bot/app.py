"""What a running bot is made of (the App) and the periodic work it carries. Built by bot/factory.py;
the outbox dispatcher (bot/outbox.py) and the sweeps (bot/sweeps.py) add their jobs to it, and the CLI
(bot/runner.py) and the console sandbox (bot/console.py) run it. It imports none of them, so that each
can import it without a circle."""

from __future__ import annotations

import os
import socket
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

from aiogram import Bot, Dispatcher
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from bot.config import Settings
from bot.i18n import Catalogue
from bot.metrics import Metrics
from bot.render import Renderer
from domain.clock import Clock
from storage import migrate as migrations
from storage.uow import SqlUnitOfWork


@dataclass(frozen=True)
class Periodic:
    """A job the scheduler runs every `seconds` (a thin call into a service)."""

    name: str
    seconds: float
    run: Callable[[], Awaitable[Any]]
    # The console sandbox runs it after every line, so its effects show at once.
    in_console: bool = True
    # Run by one instance at a time (a lease in the database): the sweeps and digests. Jobs that claim
    # their own rows (the outbox, the webhooks) run everywhere.
    leased: bool = False


@dataclass
class App:
    settings: Settings
    engine: AsyncEngine
    sessions: async_sessionmaker[AsyncSession]
    catalogue: Catalogue
    clock: Clock
    renderer: Renderer
    bot: Bot
    dp: Dispatcher
    # Called after a commit that queued notifications (the outbox dispatcher hooks in here).
    outbox_listeners: list[Callable[[], Any]] = field(default_factory=list)
    # Periodic work the scheduler runs (bot/scheduler.py); the console runs it after each line.
    periodic: list[Periodic] = field(default_factory=list)
    # What /metrics and /healthz report (bot/web.py).
    metrics: Metrics = field(default_factory=Metrics)
    # This process among the instances (scheduler leases).
    instance: str = field(default_factory=lambda: f"{socket.gethostname()[:40]}:{os.getpid()}:{uuid.uuid4().hex[:8]}")

    def uow(self) -> SqlUnitOfWork:
        return SqlUnitOfWork(self.sessions, self.renderer, self.clock, outbox_hook=self._outbox_committed)

    def _outbox_committed(self) -> None:
        for listener in self.outbox_listeners:
            listener()

    async def close(self) -> None:
        await self.dp.storage.close()
        await self.bot.session.close()
        await self.engine.dispose()


async def prepare(app: App) -> None:
    """Before the first update: the database schema at its newest revision."""
    await migrations.upgrade(app.engine)
