"""Handlers are declared at import time and built into a fresh Router for each Dispatcher, so tests and
benchmarks can build several apps in one process (aiogram lets a Router have one parent only)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from aiogram import Router

Handler = Callable[..., Any]


class Routes:
    """`@routes.message(...)` / `@routes.callback_query(...)` like a Router's decorators; `router()` builds
    a new Router with every handler registered, in declaration order."""

    def __init__(self, name: str) -> None:
        self.name = name
        self._entries: list[tuple[str, Handler, tuple[Any, ...], dict[str, Any]]] = []

    def message(self, *filters: Any, **kwargs: Any) -> Callable[[Handler], Handler]:
        return self._on("message", filters, kwargs)

    def callback_query(self, *filters: Any, **kwargs: Any) -> Callable[[Handler], Handler]:
        return self._on("callback_query", filters, kwargs)

    def _on(self, observer: str, filters: tuple[Any, ...], kwargs: dict[str, Any]) -> Callable[[Handler], Handler]:
        def register(handler: Handler) -> Handler:
            self._entries.append((observer, handler, filters, kwargs))
            return handler

        return register

    def router(self) -> Router:
        router = Router(name=self.name)
        for observer, handler, filters, kwargs in self._entries:
            getattr(router, observer).register(handler, *filters, **kwargs)
        return router
