"""Middlewares: throttling (before anything else), one unit of work per update (and once per
update_id), the current user, i18n and access control."""

from __future__ import annotations

import logging
import time
from collections.abc import Awaitable, Callable
from typing import Any

from aiogram import BaseMiddleware, Bot
from aiogram.dispatcher.flags import get_flag
from aiogram.fsm.context import FSMContext
from aiogram.fsm.middleware import FSMContextMiddleware
from aiogram.fsm.storage.base import BaseStorage
from aiogram.types import CallbackQuery, Message, TelegramObject, Update
from aiogram.types import User as TgUser
from sqlalchemy.exc import DBAPIError, IntegrityError

from bot.errors import Refusal, tell_refusal
from bot.fsm_storage import SqlStorage, current_states
from bot.i18n import Catalogue, Translate
from domain.clock import Clock
from domain.errors import DomainError
from domain.outbox import services as delivery
from domain.team.model import Language, User
from storage.uow import SqlUnitOfWork
from storage.updates_repo import Opening, SqlProcessedUpdates

log = logging.getLogger(__name__)
Handler = Callable[[TelegramObject, dict[str, Any]], Awaitable[Any]]


class UnitOfWorkMiddleware(BaseMiddleware):
    """Opens the update's transaction; an update_id seen before has no effect (Telegram delivers
    at least once). The update is recorded in the same transaction as its effects, so a failed
    update can be delivered again and a succeeded one never acts twice.

    A refusal (a DomainError, or a bot.errors.Refusal, escaping the handler) rolls the transaction back,
    FSM changes included, answers the person in their language (an alert for a button press, a message
    otherwise) and still records the update as processed: handlers need no try/except and no rollback
    of their own to say no. See bot/errors.py.

    With the FSM state in the database (bot/fsm_storage.py) the update's conversation state is read
    through this transaction's session, at most once, and written just before its commit (write-behind).

    The update's first statement (SqlProcessedUpdates.open) says whether it is new and loads both its
    conversation's state and the person behind it (for CurrentUserMiddleware): one statement instead of
    three on every update.

    The update's first statement is where a pooled connection that the database dropped shows up (no
    pre-ping on the hot path, storage/db.py): the transaction is then opened once more, on a fresh
    connection, before any handler ran."""

    def __init__(
        self, make_uow: Callable[[], SqlUnitOfWork], clock: Clock, storage: BaseStorage | None = None
    ) -> None:
        self.make_uow = make_uow
        self.clock = clock
        self.storage = storage if isinstance(storage, SqlStorage) else None

    async def __call__(self, handler: Handler, event: TelegramObject, data: dict[str, Any]) -> Any:
        assert isinstance(event, Update)
        bot: Bot = data["bot"]
        tg_user: TgUser | None = data.get("event_from_user")
        context: FSMContext | None = data.get(CONVERSATION)
        fsm_key = (
            self.storage.key_builder.build(context.key) if self.storage is not None and context is not None else None
        )
        for attempt in (1, 2):
            async with self.make_uow() as uow:
                assert uow.session is not None
                processed = SqlProcessedUpdates(uow.session)
                claimed = processed.claims_first
                try:
                    # One statement: new or not (claimed on PostgreSQL), the person, the conversation's state.
                    opening = await processed.open(
                        bot.id, event.update_id, self.clock.now(),
                        telegram_id=tg_user.id if tg_user is not None else None, fsm_key=fsm_key,
                    )
                except DBAPIError as exc:
                    if attempt == 1 and exc.connection_invalidated:
                        log.warning("update %s: the database connection was dropped; retrying once", event.update_id)
                        continue
                    raise
                if not opening.fresh:
                    log.info("update %s already processed; skipped", event.update_id)
                    return None
                if tg_user is not None:
                    uow.users.prime_current(tg_user.id, opening.person)
                return await self.handle(handler, event, data, uow, processed, claimed, (fsm_key, opening))
        return None  # pragma: no cover (the loop returns or raises)

    async def handle(
        self, handler: Handler, event: Update, data: dict[str, Any], uow: SqlUnitOfWork,
        processed: SqlProcessedUpdates, claimed: bool, opened: tuple[str | None, Opening],
    ) -> Any:
        bot: Bot = data["bot"]
        assert uow.session is not None
        data["uow"] = uow
        token = None
        if self.storage is not None:
            states = self.storage.buffer(uow.session)
            if opened[0] is not None:
                states.prime(opened[0], *opened[1].fsm)
            uow.join(states)
            token = current_states.set(states)
        refused = False
        try:
            result = await handler(event, data)
        except (DomainError, Refusal) as exc:
            if data.get("t") is None:  # refused before anyone knew the person's language: a bug
                raise
            await self.refused(event, data, uow, Refusal.of(exc))
            refused = True
            result = None
        finally:
            if token is not None:
                current_states.reset(token)
        try:
            if not claimed:
                await processed.record(bot.id, event.update_id, self.clock.now())
            elif refused and not await processed.claim(bot.id, event.update_id, self.clock.now()):
                raise IntegrityError("processed_updates", None, Exception("claimed concurrently"))
            await uow.commit()
        except IntegrityError:
            await uow.rollback()
            log.warning("update %s was processed concurrently elsewhere; this run rolled back", event.update_id)
        return result

    @staticmethod
    async def refused(event: Update, data: dict[str, Any], uow: SqlUnitOfWork, refusal: Refusal) -> None:
        """Undo what the update did so far, end the flow if asked, say why (the caller records the update)."""
        t: Translate = data["t"]
        log.info("update %s refused: %s", event.update_id, refusal.error.code)
        await uow.rollback()
        tg_user: TgUser | None = data.get("event_from_user")
        if data.get("heard_from") and tg_user is not None:
            # Writing to the bot made the person reachable again, refused or not.
            person = await uow.users.by_telegram_id(tg_user.id)
            if person is not None:
                delivery.heard_from(person)
        state: FSMContext | None = data.get("state")
        if refusal.leave_flow and state is not None:
            await state.clear()
        await tell_refusal(event, refusal.text(t))


CONVERSATION = "conversation"  # the update's FSMContext, between the two middlewares below


class ConversationLockMiddleware(BaseMiddleware):
    """aiogram's FSM middleware, first half (registered first): one update at a time per conversation
    (the events isolation lock), as aiogram does; the state itself is not read yet."""

    def __init__(self, fsm: FSMContextMiddleware) -> None:
        self.fsm = fsm

    async def __call__(self, handler: Handler, event: TelegramObject, data: dict[str, Any]) -> Any:
        data["fsm_storage"] = self.fsm.storage
        context = self.fsm.resolve_event_context(data["bot"], data)
        if context is None:
            return await handler(event, data)
        async with self.fsm.events_isolation.lock(key=context.key):
            data[CONVERSATION] = context
            return await handler(event, data)


class ConversationStateMiddleware(BaseMiddleware):
    """aiogram's FSM middleware, second half (registered after the unit of work): the conversation's
    state is read inside the update's transaction, on its one connection (bot/fsm_storage.py)."""

    async def __call__(self, handler: Handler, event: TelegramObject, data: dict[str, Any]) -> Any:
        context: FSMContext | None = data.pop(CONVERSATION, None)
        if context is not None:
            data["state"] = context
            data["raw_state"] = await context.get_state()
        return await handler(event, data)


class CurrentUserMiddleware(BaseMiddleware):
    """Loads the registered User behind the event (None for strangers) and their translator."""

    def __init__(self, catalogue: Catalogue, default_language: Language) -> None:
        self.catalogue = catalogue
        self.default_language = default_language

    async def __call__(self, handler: Handler, event: TelegramObject, data: dict[str, Any]) -> Any:
        tg_user: TgUser | None = data.get("event_from_user")
        uow: SqlUnitOfWork | None = data.get("uow")
        user: User | None = None
        if tg_user is not None and uow is not None:
            # The update's context in one statement: the person, their team and its policy; services
            # asking for the team (by id) or the policy later find them in the unit of work.
            user, team, policy = await uow.users.current(tg_user.id)
            data["current_team"] = team
            if policy is not None:
                uow.policies.prime(policy)
            chat = data.get("event_chat")
            if user is not None and chat is not None and chat.type == "private":
                data["heard_from"] = delivery.heard_from(user)
        data["user"] = user
        lang = Language.pick(
            user.language.value if user and user.language else None,
            tg_user.language_code if tg_user else None,
            default=self.default_language,
        )
        data["lang"] = lang
        data["t"] = self.catalogue.translator(lang)
        return await handler(event, data)


class ThrottlingMiddleware(BaseMiddleware):
    """A token bucket per person: bursts of a few taps are fine, a flood is dropped with one notice.

    Registered on updates before the unit of work: a dropped message or button press opens no
    transaction and leaves no row (not even in processed_updates). The notice is in the language the
    person's last handled update was answered in (their Telegram language before that)."""

    def __init__(
        self, rate_per_second: float, catalogue: Catalogue, default_language: Language, burst: int = 6
    ) -> None:
        self.rate = rate_per_second
        self.burst = burst
        self.catalogue = catalogue
        self.default_language = default_language
        self.buckets: dict[int, tuple[float, float, float]] = {}  # id -> (tokens, updated, warned_at)
        self.languages: dict[int, Language] = {}

    async def __call__(self, handler: Handler, event: TelegramObject, data: dict[str, Any]) -> Any:
        assert isinstance(event, Update)
        tg_user: TgUser | None = data.get("event_from_user")
        tapped = event.message or event.callback_query
        if tg_user is None or tapped is None:
            return await handler(event, data)
        now = time.monotonic()
        tokens, updated, warned = self.buckets.get(tg_user.id, (float(self.burst), now, 0.0))
        tokens = min(float(self.burst), tokens + (now - updated) * self.rate)
        if tokens < 1.0:
            self.buckets[tg_user.id] = (tokens, now, warned)
            if now - warned > 10:
                self.buckets[tg_user.id] = (tokens, now, now)
                await tapped.answer(self.translator(tg_user)("throttled"))
            return None
        self.buckets[tg_user.id] = (tokens - 1.0, now, warned)
        if len(self.buckets) > 10_000:
            self.buckets = {k: v for k, v in self.buckets.items() if now - v[1] < 60}
            self.languages = {k: v for k, v in self.languages.items() if k in self.buckets}
        result = await handler(event, data)
        lang = data.get("lang")  # set by CurrentUserMiddleware, inside
        if isinstance(lang, Language):
            self.languages[tg_user.id] = lang
        return result

    def translator(self, tg_user: TgUser) -> Translate:
        lang = self.languages.get(tg_user.id) or Language.pick(None, tg_user.language_code, default=self.default_language)
        return self.catalogue.translator(lang)


class AccessMiddleware(BaseMiddleware):
    """Only registered, active people reach handlers, except those flagged `public`."""

    async def __call__(self, handler: Handler, event: TelegramObject, data: dict[str, Any]) -> Any:
        if get_flag(data, "public"):
            return await handler(event, data)
        user: User | None = data.get("user")
        t = data["t"]
        if user is not None and user.active:
            return await handler(event, data)
        key = "refuse-unknown" if user is None else "refuse-inactive"
        if isinstance(event, CallbackQuery):
            await event.answer(t(key), show_alert=True)
        elif isinstance(event, Message):
            if event.chat.type == "private":
                await event.answer(t(key))
        return None


class CommandsLeaveFlowsMiddleware(BaseMiddleware):
    """A command always works and leaves whatever flow was open (except /cancel, which says so)."""

    async def __call__(self, handler: Handler, event: TelegramObject, data: dict[str, Any]) -> Any:
        commands = get_flag(data, "commands") or []
        state = data.get("state")
        if commands and state is not None and not any("cancel" in c.commands for c in commands):
            if await state.get_state() is not None:
                await state.clear()
        return await handler(event, data)


class MenuMiddleware(BaseMiddleware):
    """A main-menu button press arrives as its label; it is handled as the command it stands for."""

    def __init__(self, aliases: dict[str, str]) -> None:
        self.aliases = aliases

    async def __call__(self, handler: Handler, event: TelegramObject, data: dict[str, Any]) -> Any:
        if isinstance(event, Message) and event.text and event.chat.type == "private":
            command = self.aliases.get(event.text.strip())
            if command is not None:
                event = event.model_copy(update={"text": f"/{command}", "entities": None})
        return await handler(event, data)
