"""Handlers are declared at import time and built into a fresh Router for each Dispatcher, so tests and
benchmarks can build several apps in one process (aiogram lets a Router have one parent only).

Registering a handler makes aiogram inspect the signature of the handler and of each of its filters (about
70 ms for the whole bot); a Routes does that once per process and gives every later Router the same
handler objects, which hold no state of their own (the callback, its filters and flags)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from aiogram import Router

Handler = Callable[..., Any]


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
    for feature in features:
        for observer, handlers in feature.handlers().items():
            getattr(router, observer).handlers.extend(handlers)
    return router
