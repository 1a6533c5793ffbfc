"""The one wiring point: settings -> engine, sessions, catalogue, clock, Bot, Dispatcher."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from typing import Any

from aiogram import Bot, Dispatcher
from aiogram.client.default import DefaultBotProperties
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.client.session.base import BaseSession
from aiogram.client.telegram import TelegramAPIServer
from aiogram.fsm.state import State
from aiogram.fsm.storage.base import BaseEventIsolation, BaseStorage
from aiogram.fsm.storage.memory import SimpleEventIsolation
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.alerts import AlertTextMiddleware
from bot.app import App, Periodic
from bot.chat_scope import ChatScopeMiddleware
from bot.commands import GROUP_CALLBACKS, GROUP_COMMANDS, menu_aliases
from bot.config import Settings
from bot.errors import make_error_handler
from bot.fsm_storage import SqlStorage
from bot.i18n import catalogue
from bot.metrics import UpdateMetricsMiddleware
from bot.middlewares import (
    AccessMiddleware,
    CommandsLeaveFlowsMiddleware,
    ConversationLockMiddleware,
    ConversationStateMiddleware,
    CurrentUserMiddleware,
    MenuMiddleware,
    ThrottlingMiddleware,
    UnitOfWorkMiddleware,
)
from bot.normalize import NormalizeTextMiddleware
from bot.outbox import install_outbox
from bot.render import Renderer
from bot.sandbox import SANDBOX_TOKEN
from bot.sweeps import install_sweeps
from bot.webhooks import install_webhooks
from domain.clock import Clock, SystemClock
from handlers import routers
from storage.db import create_engine, session_factory

log = logging.getLogger(__name__)


def fsm_backend(settings: Settings, engine: AsyncEngine) -> tuple[BaseStorage, BaseEventIsolation]:
    if settings.redis_url:
        from aiogram.fsm.storage.redis import RedisEventIsolation, RedisStorage

        storage = RedisStorage.from_url(settings.redis_url)
        return storage, RedisEventIsolation(redis=storage.redis)
    # One process on the embedded database: an in-process lock per chat keeps a user's updates in order.
    return SqlStorage(engine), SimpleEventIsolation()


def run_pure_filters_inline(dp: Dispatcher) -> int:
    """aiogram runs a filter that is not a coroutine in a worker thread (asyncio.to_thread): every magic
    filter (F.text, F.chat.type == "private"…) and every bare State, each time a handler is tried, a
    thread hop apiece (a dozen per update). They are pure and quick: run them in the event loop
    instead. Returns how many filters were changed."""
    changed = 0
    for router in dp.chain_tail:
        for observer in router.observers.values():
            for handler in [observer._handler, *observer.handlers]:  # the router's own filters too
                for flt in handler.filters or ():
                    if flt.awaitable or not (flt.magic is not None or isinstance(flt.callback, State)):
                        continue
                    flt.callback = _inline(flt.callback)
                    flt.awaitable = True
                    changed += 1
    return changed


def _inline(check: Callable[..., Any]) -> Callable[..., Awaitable[Any]]:
    async def run(*args: Any, **kwargs: Any) -> Any:
        return check(*args, **kwargs)

    run.__wrapped__ = check  # type: ignore[attr-defined]  # what it runs: the router's index reads a State's states
    return run


def make_bot(settings: Settings, session: BaseSession | None) -> Bot:
    if session is None:
        session = (
            AiohttpSession(api=TelegramAPIServer.from_base(settings.telegram_api_base))
            if settings.telegram_api_base
            else AiohttpSession()
        )
    token = settings.bot_token.get_secret_value() if settings.bot_token else SANDBOX_TOKEN
    session.middleware(AlertTextMiddleware())  # every callback answer plain and within 200 characters
    return Bot(token=token, session=session, default=DefaultBotProperties(parse_mode="HTML"))


def build_app(settings: Settings, *, session: BaseSession | None = None, clock: Clock | None = None) -> App:
    clock = clock or SystemClock()
    engine = create_engine(settings.database_url)
    sessions = session_factory(engine)
    cat = catalogue()
    renderer = Renderer(cat, settings.default_language, settings.timezone)
    storage, isolation = fsm_backend(settings, engine)
    # aiogram's FSM middleware is split in two (bot/middlewares.py): the per-conversation lock first, the
    # state read after the unit of work opened, so it goes through the update's one connection.
    dp = Dispatcher(storage=storage, events_isolation=isolation, disable_fsm=True)
    app = App(
        settings=settings, engine=engine, sessions=sessions, catalogue=cat, clock=clock, renderer=renderer,
        bot=make_bot(settings, session), dp=dp,
    )
    dp["app"] = app
    dp["catalogue"] = cat
    dp["clock"] = clock
    dp["settings"] = settings

    # Outermost: every update counted and timed for /metrics (bot/metrics.py).
    dp.update.outer_middleware(UpdateMetricsMiddleware(app.metrics))
    dp.update.outer_middleware(NormalizeTextMiddleware())  # then: typed text as plain text (bot/normalize.py)
    dp.update.outer_middleware(ConversationLockMiddleware(dp.fsm))
    # Then: in a group only group commands go on; the rest never opens a transaction (bot/chat_scope.py).
    dp.update.outer_middleware(
        ChatScopeMiddleware(
            cat, settings.default_language, clock, group_commands=GROUP_COMMANDS, group_callbacks=GROUP_CALLBACKS
        )
    )
    # Then the flood guard: a throttled update is dropped before its transaction opens, leaving no row.
    dp.update.outer_middleware(ThrottlingMiddleware(settings.throttle_per_second, cat, settings.default_language))
    dp.update.outer_middleware(UnitOfWorkMiddleware(app.uow, clock, storage))
    dp.update.outer_middleware(ConversationStateMiddleware())
    dp.update.outer_middleware(CurrentUserMiddleware(cat, settings.default_language))
    dp.message.outer_middleware(MenuMiddleware(menu_aliases(cat)))
    access = AccessMiddleware()
    dp.message.middleware(access)
    dp.callback_query.middleware(access)
    dp.message.middleware(CommandsLeaveFlowsMiddleware())
    dp.errors.register(make_error_handler(cat, settings.default_language))

    dp.include_routers(*routers())
    run_pure_filters_inline(dp)
    install_sweeps(app)
    install_webhooks(app)
    install_outbox(app)  # last: the console then delivers at once what the sweeps queued
    return app


__all__ = ["App", "Periodic", "build_app", "fsm_backend", "make_bot"]
