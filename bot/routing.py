"""Handlers are declared at import time and built into a fresh Router for each Dispatcher, so tests and
benchmarks can build several apps in one process (aiogram lets a Router have one parent only).

Registering a handler makes aiogram inspect the signature of the handler and of each of its filters (about
70 ms for the whole bot); a Routes does that once per process and gives every later Router the same
handler objects, which hold no state of their own (the callback, its filters and flags)."""

from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import Any

from aiogram import Router
from aiogram.dispatcher.event.bases import UNHANDLED, SkipHandler
from aiogram.dispatcher.event.handler import HandlerObject
from aiogram.dispatcher.event.telegram import TelegramEventObserver
from aiogram.filters import Command
from aiogram.filters.callback_data import CallbackQueryFilter
from aiogram.types import CallbackQuery, Message, TelegramObject

Handler = Callable[..., Any]
Key = Hashable


class Routes:
    """`@routes.message(...)` / `@routes.callback_query(...)` like a Router's decorators; `combined()` puts
    every handler, in declaration order, into a new Router."""

    def __init__(self, name: str) -> None:
        self.name = name
        self._entries: list[tuple[str, Handler, tuple[Any, ...], dict[str, Any]]] = []
        self._built: dict[str, list[Any]] | None = None  # observer -> its HandlerObjects, once registered

    def message(self, *filters: Any, **kwargs: Any) -> Callable[[Handler], Handler]:
        return self._on("message", filters, kwargs)

    def callback_query(self, *filters: Any, **kwargs: Any) -> Callable[[Handler], Handler]:
        return self._on("callback_query", filters, kwargs)

    def _on(self, observer: str, filters: tuple[Any, ...], kwargs: dict[str, Any]) -> Callable[[Handler], Handler]:
        def register(handler: Handler) -> Handler:
            self._entries.append((observer, handler, filters, kwargs))
            self._built = None
            return handler

        return register

    def handlers(self) -> dict[str, list[Any]]:
        """Observer name -> its handler objects, in declaration order (registered once per process)."""
        if self._built is None:
            router = Router(name=self.name)
            for observer, handler, filters, kwargs in self._entries:
                getattr(router, observer).register(handler, *filters, **kwargs)
            self._built = {name: list(getattr(router, name).handlers) for name in {e[0] for e in self._entries}}
        return self._built


def combined(name: str, features: list[Routes]) -> Router:
    """One Router holding the handlers of `features`, feature after feature in the order given: the same
    handlers tried in the same order as one Router per feature would (no feature has router-level filters
    or middlewares), for a fraction of the set-up (each aiogram Router builds two dozen observers)."""
    router = Router(name=name)
    for observer_name, keys_of, event_keys in (
        ("message", command_keys, message_keys), ("callback_query", prefix_keys, press_keys)
    ):
        indexed = IndexedObserver(router, observer_name, keys_of, event_keys)
        router.observers[observer_name] = indexed
        setattr(router, observer_name, indexed)
    for feature in features:
        for observer, handlers in feature.handlers().items():
            getattr(router, observer).handlers.extend(handlers)
    return router


class IndexedObserver(TelegramEventObserver):
    """An observer that tries, in their order, only the handlers that can match the event: aiogram tries
    every handler in turn until one's filters pass, and with ~190 button handlers in one Router a press
    ran up to ~190 filter checks (each unpacking the callback data, or raising on a wrong prefix) before
    its own handler; about 5% of the CPU of a captured lead.

    A handler whose filters include one that can only pass for some keys (a CallbackData filter: data
    beginning with its prefix; a Command filter: its commands) is listed under those keys; every other
    handler under every key. The event's possible keys pick the list, which keeps the handlers' order,
    so the first handler whose filters pass is the one aiogram would have found (the filters still all
    run). The index is built when first needed and again whenever handlers are added."""

    def __init__(
        self, router: Router, event_name: str,
        keys_of: Callable[[HandlerObject], frozenset[Key] | None],
        event_keys: Callable[[TelegramObject, frozenset[Any]], frozenset[Key]],
    ) -> None:
        super().__init__(router=router, event_name=event_name)
        self.keys_of = keys_of
        self.event_keys = event_keys
        self._indexed_count = -1
        self._by_keys: dict[frozenset[Key], list[HandlerObject]] = {}
        self._keyed: list[tuple[HandlerObject, frozenset[Key] | None]] = []
        self._kinds: frozenset[Any] = frozenset()  # what event_keys needs to know (e.g. the separators)

    def _index(self) -> None:
        self._keyed = [(handler, self.keys_of(handler)) for handler in self.handlers]
        self._kinds = frozenset(
            key[0] for _, keys in self._keyed if keys for key in keys if isinstance(key, tuple)
        )
        self._by_keys = {}
        self._indexed_count = len(self.handlers)

    def candidates(self, event: TelegramObject) -> list[HandlerObject]:
        if self._indexed_count != len(self.handlers):
            self._index()
        keys = self.event_keys(event, self._kinds)
        found = self._by_keys.get(keys)
        if found is None:
            found = [handler for handler, own in self._keyed if own is None or not own.isdisjoint(keys)]
            if len(self._by_keys) < 1024:  # keys are the handlers' own, plus unknown ones: bounded anyway
                self._by_keys[keys] = found
        return found

    async def trigger(self, event: TelegramObject, **kwargs: Any) -> Any:
        # aiogram's TelegramEventObserver.trigger over the candidates instead of every handler.
        for handler in self.candidates(event):
            kwargs["handler"] = handler
            result, data = await handler.check(event, **kwargs)
            if result:
                kwargs.update(data)
                try:
                    wrapped_inner = self.outer_middleware.wrap_middlewares(
                        self._resolve_middlewares(),
                        handler.call,
                    )
                    return await wrapped_inner(event, kwargs)
                except SkipHandler:
                    continue
        return UNHANDLED


def prefix_keys(handler: HandlerObject) -> frozenset[Key] | None:
    """A button handler's key: (separator, prefix) of its CallbackData filter; None when it has none."""
    for event_filter in handler.filters or []:
        if isinstance(event_filter.callback, CallbackQueryFilter):
            data = event_filter.callback.callback_data
            return frozenset({(data.__separator__, data.__prefix__)})
    return None


def press_keys(event: TelegramObject, separators: frozenset[Any]) -> frozenset[Key]:
    """(separator, what precedes it) for each separator in use: a CallbackData filter unpacks only data
    whose first part is its prefix. No data: no key (such a filter fails)."""
    data = event.data if isinstance(event, CallbackQuery) else None
    if not data:
        return frozenset()
    return frozenset((separator, data.split(separator, 1)[0]) for separator in separators)


def command_keys(handler: HandlerObject) -> frozenset[Key] | None:
    """A message handler's keys: (prefix, command) of its Command filter when its commands are plain
    strings (a pattern matches any: None); None when it has no Command filter."""
    for event_filter in handler.filters or []:
        command = event_filter.callback
        if isinstance(command, Command):
            if not all(isinstance(name, str) for name in command.commands):
                return None
            return frozenset((prefix, name) for prefix in command.prefix for name in command.commands)
    return None


def message_keys(event: TelegramObject, _prefixes: frozenset[Any]) -> frozenset[Key]:
    """(prefix, command) as aiogram's Command filter reads them from the text or caption (before any
    mention), as written and case-folded (a filter that ignores case holds its commands folded)."""
    text = (event.text or event.caption) if isinstance(event, Message) else None
    words = text.split(maxsplit=1) if text else []
    if not words:
        return frozenset()
    full = words[0]
    command = full[1:].partition("@")[0]
    return frozenset({(full[0], command), (full[0], command.casefold())})
