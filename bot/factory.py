"""The one wiring point: settings -> engine, sessions, catalogue, clock, Bot, Dispatcher."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

from aiogram import Bot, Dispatcher
from aiogram.client.default import DefaultBotProperties
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.client.session.base import BaseSession
from aiogram.client.telegram import TelegramAPIServer
from aiogram.fsm.storage.base import BaseEventIsolation, BaseStorage
from aiogram.fsm.storage.memory import SimpleEventIsolation
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from bot.commands import menu_aliases
from bot.config import Settings
from bot.errors import make_error_handler
from bot.fsm_storage import SqlStorage
from bot.i18n import Catalogue, catalogue
from bot.middlewares import (
    AccessMiddleware,
    CommandsLeaveFlowsMiddleware,
    CurrentUserMiddleware,
    MenuMiddleware,
    ThrottlingMiddleware,
    UnitOfWorkMiddleware,
)
from bot.render import Renderer
from bot.sandbox import SANDBOX_TOKEN
from domain.clock import Clock, SystemClock
from storage.db import create_engine, session_factory
from storage.uow import SqlUnitOfWork

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Periodic:
    """A job the scheduler runs every `seconds` (a thin call into a service)."""

    name: str
    seconds: float
    run: Callable[[], Awaitable[Any]]
    # The console sandbox runs it after every line, so its effects show at once.
    in_console: bool = True


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

    def uow(self) -> SqlUnitOfWork:
        return SqlUnitOfWork(self.sessions, self.renderer, self.clock, outbox_hook=self._outbox_committed)

    def _outbox_committed(self) -> None:
        for listener in self.outbox_listeners:
            listener()

    async def close(self) -> None:
        await self.dp.storage.close()
        await self.bot.session.close()
        await self.engine.dispose()


def fsm_backend(settings: Settings, engine: AsyncEngine) -> tuple[BaseStorage, BaseEventIsolation]:
    if settings.redis_url:
        from aiogram.fsm.storage.redis import RedisEventIsolation, RedisStorage

        storage = RedisStorage.from_url(settings.redis_url)
        return storage, RedisEventIsolation(redis=storage.redis)
    # One process on the embedded database: an in-process lock per chat keeps a user's updates in order.
    return SqlStorage(engine), SimpleEventIsolation()


def make_bot(settings: Settings, session: BaseSession | None) -> Bot:
    if session is None:
        session = (
            AiohttpSession(api=TelegramAPIServer.from_base(settings.telegram_api_base))
            if settings.telegram_api_base
            else AiohttpSession()
        )
    token = settings.bot_token.get_secret_value() if settings.bot_token else SANDBOX_TOKEN
    return Bot(token=token, session=session, default=DefaultBotProperties(parse_mode="HTML"))


def build_app(settings: Settings, *, session: BaseSession | None = None, clock: Clock | None = None) -> App:
    clock = clock or SystemClock()
    engine = create_engine(settings.database_url)
    sessions = session_factory(engine)
    cat = catalogue()
    renderer = Renderer(cat, settings.default_language, settings.timezone)
    storage, isolation = fsm_backend(settings, engine)
    dp = Dispatcher(storage=storage, events_isolation=isolation)
    app = App(
        settings=settings, engine=engine, sessions=sessions, catalogue=cat, clock=clock, renderer=renderer,
        bot=make_bot(settings, session), dp=dp,
    )
    dp["app"] = app
    dp["catalogue"] = cat
    dp["clock"] = clock
    dp["settings"] = settings

    dp.update.outer_middleware(UnitOfWorkMiddleware(app.uow, clock))
    dp.update.outer_middleware(CurrentUserMiddleware(cat, settings.default_language))
    throttle = ThrottlingMiddleware(settings.throttle_per_second)
    dp.message.outer_middleware(throttle)
    dp.message.outer_middleware(MenuMiddleware(menu_aliases(cat)))
    dp.callback_query.outer_middleware(throttle)
    access = AccessMiddleware()
    dp.message.middleware(access)
    dp.callback_query.middleware(access)
    dp.message.middleware(CommandsLeaveFlowsMiddleware())
    dp.errors.register(make_error_handler(cat, settings.default_language))

    from handlers import routers

    dp.include_routers(*routers())
    from bot.sweeps import install_sweeps

    install_sweeps(app)
    from bot.outbox import install_outbox

    install_outbox(app)  # last: the console then delivers at once what the sweeps queued
    return app
