"""Handlers are declared at import time and built into a fresh Router for each Dispatcher, so tests and
benchmarks can build several apps in one process (aiogram lets a Router have one parent only).

Registering a handler makes aiogram inspect the signature of the handler and of each of its filters (about
70 ms for the whole bot); a Routes does that once per process and gives every later Router the same
handler objects, which hold no state of their own (the callback, its filters and flags)."""

from __future__ import annotations

from collections.abc import Callable, Hashable
from dataclasses import dataclass
from inspect import isclass
from typing import Any

from aiogram import Router
from aiogram.dispatcher.event.bases import UNHANDLED, SkipHandler
from aiogram.dispatcher.event.handler import HandlerObject
from aiogram.dispatcher.event.telegram import TelegramEventObserver
from aiogram.filters import Command, StateFilter
from aiogram.filters.callback_data import CallbackQueryFilter
from aiogram.fsm.state import State, StatesGroup
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
    for observer_name, by_event in (("message", COMMAND), ("callback_query", PREFIX)):
        indexed = IndexedObserver(router, observer_name, (by_event, STATE))
        router.observers[observer_name] = indexed
        setattr(router, observer_name, indexed)
    for feature in features:
        for observer, handlers in feature.handlers().items():
            getattr(router, observer).handlers.extend(handlers)
    return router


@dataclass(frozen=True)
class Dimension:
    """One way to tell handlers apart: `of_handler` gives the keys a handler's filters can pass for
    (None: any, or it has no such filter), `of_event` the keys an event has (from the event and the
    handlers' keyword arguments; `kinds` are the first parts of the handlers' keys, e.g. separators)."""

    of_handler: Callable[[HandlerObject], frozenset[Key] | None]
    of_event: Callable[[TelegramObject, dict[str, Any], frozenset[Any]], frozenset[Key]]


class IndexedObserver(TelegramEventObserver):
    """An observer that tries, in their order, only the handlers that can match the event: aiogram tries
    every handler in turn until one's filters pass, and with ~190 button handlers in one Router a press
    ran up to ~190 filter checks (each unpacking the callback data, or raising on a wrong prefix) before
    its own handler; about 5% of the CPU of a captured lead.

    For each dimension (what the event is: a button's CallbackData prefix, a message's command; and the
    conversation's state), a handler with a filter that can only pass for some keys is listed under those
    keys, any other handler under every key. An event's keys pick the handlers listed under them in every
    dimension, in the handlers' order, so the first handler whose filters pass is the one aiogram would
    have found (the filters still all run). Built when first needed and again when handlers are added."""

    def __init__(self, router: Router, event_name: str, dimensions: tuple[Dimension, ...]) -> None:
        super().__init__(router=router, event_name=event_name)
        self.dimensions = dimensions
        self._indexed_count = -1
        self._keyed: list[tuple[HandlerObject, tuple[frozenset[Key] | None, ...]]] = []
        self._kinds: tuple[frozenset[Any], ...] = ()
        self._by_keys: dict[tuple[frozenset[Key], ...], list[HandlerObject]] = {}

    def _index(self) -> None:
        self._keyed = [(h, tuple(d.of_handler(h) for d in self.dimensions)) for h in self.handlers]
        self._kinds = tuple(
            frozenset(key[0] for _, own in self._keyed if own[n] for key in own[n] if isinstance(key, tuple))  # type: ignore[union-attr]
            for n in range(len(self.dimensions))
        )
        self._by_keys = {}
        self._indexed_count = len(self.handlers)

    def candidates(self, event: TelegramObject, data: dict[str, Any] | None = None) -> list[HandlerObject]:
        if self._indexed_count != len(self.handlers):
            self._index()
        data = {} if data is None else data
        keys = tuple(d.of_event(event, data, kinds) for d, kinds in zip(self.dimensions, self._kinds, strict=True))
        found = self._by_keys.get(keys)
        if found is None:
            found = [
                handler for handler, own in self._keyed
                if all(mine is None or not mine.isdisjoint(its) for mine, its in zip(own, keys, strict=True))
            ]
            if len(self._by_keys) < 4096:  # commands, prefixes and states are the handlers' own: bounded
                self._by_keys[keys] = found
        return found

    async def trigger(self, event: TelegramObject, **kwargs: Any) -> Any:
        # aiogram's TelegramEventObserver.trigger over the candidates instead of every handler.
        for handler in self.candidates(event, kwargs):
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


def _prefix_keys(handler: HandlerObject) -> frozenset[Key] | None:
    """A button handler's key: (separator, prefix) of its CallbackData filter."""
    for event_filter in handler.filters or []:
        if isinstance(event_filter.callback, CallbackQueryFilter):
            data = event_filter.callback.callback_data
            return frozenset({(data.__separator__, data.__prefix__)})
    return None


def _press_keys(event: TelegramObject, _data: dict[str, Any], separators: frozenset[Any]) -> frozenset[Key]:
    """(separator, what precedes it) for each separator in use: a CallbackData filter unpacks only data
    whose first part is its prefix. No data: no key (such a filter fails)."""
    data = event.data if isinstance(event, CallbackQuery) else None
    if not data:
        return frozenset()
    return frozenset((separator, data.split(separator, 1)[0]) for separator in separators)


def _command_keys(handler: HandlerObject) -> frozenset[Key] | None:
    """A message handler's keys: (prefix, command) of its Command filter when its commands are plain
    strings (a pattern may match any command: None)."""
    for event_filter in handler.filters or []:
        command = event_filter.callback
        if isinstance(command, Command):
            if not all(isinstance(name, str) for name in command.commands):
                return None
            return frozenset((prefix, name) for prefix in command.prefix for name in command.commands)
    return None


def _message_keys(event: TelegramObject, _data: dict[str, Any], _prefixes: frozenset[Any]) -> frozenset[Key]:
    """(prefix, command) as aiogram's Command filter reads them from the text or caption (before any
    mention), as written and case-folded (a filter that ignores case holds its commands folded)."""
    text = (event.text or event.caption) if isinstance(event, Message) else None
    words = text.split(maxsplit=1) if text else []
    if not words:
        return frozenset()
    full = words[0]
    command = full[1:].partition("@")[0]
    return frozenset({(full[0], command), (full[0], command.casefold())})


_ANY = object()


def _state_names(state: Any) -> frozenset[str | None] | object:
    """The raw states a StateFilter's state (or a bare State filter) passes for; _ANY for "*"."""
    if state is None or isinstance(state, str):
        return _ANY if state == "*" else frozenset({state})
    if isinstance(state, State):
        return _ANY if state.state == "*" else frozenset({state.state})
    if isinstance(state, StatesGroup):
        return frozenset(type(state).__all_states_names__)
    if isclass(state) and issubclass(state, StatesGroup):
        return frozenset(state.__all_states_names__)
    return _ANY


def _state_keys(handler: HandlerObject) -> frozenset[Key] | None:
    """The conversation states a handler's StateFilter (or bare State filter) passes for."""
    for event_filter in handler.filters or []:
        check = getattr(event_filter.callback, "__wrapped__", event_filter.callback)  # bot/factory.py _inline
        states = check.states if isinstance(check, StateFilter) else (check,) if isinstance(check, State) else None
        if states is None:
            continue
        names: set[str | None] = set()
        for state in states:
            found = _state_names(state)
            if not isinstance(found, frozenset):
                return None
            names |= found
        return frozenset(names)
    return None


def _event_state(_event: TelegramObject, data: dict[str, Any], _kinds: frozenset[Any]) -> frozenset[Key]:
    """The conversation's raw state, as the state filters are given it (None when there is none)."""
    return frozenset({data.get("raw_state")})


PREFIX = Dimension(_prefix_keys, _press_keys)
COMMAND = Dimension(_command_keys, _message_keys)
STATE = Dimension(_state_keys, _event_state)
