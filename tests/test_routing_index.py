"""The combined Router tries only the handlers that can match an event (bot/routing.py IndexedObserver):
a button press goes to the handlers of its CallbackData prefix and to those without one, a command to the
handlers of that command and to those without a Command filter, always in declaration order. Checked
over every handler the bot registers: no handler that could match is ever left out, so the handler that
answers is the one a full scan would have picked."""

from __future__ import annotations

from typing import Any

from aiogram.filters import Command
from aiogram.filters.callback_data import CallbackQueryFilter
from aiogram.types import CallbackQuery, Chat, Message, User

import handlers
from bot.routing import IndexedObserver

PERSON = User(id=1, is_bot=False, first_name="A")
CHAT = Chat(id=1, type="private")


def press(data: str | None) -> CallbackQuery:
    return CallbackQuery(id="1", from_user=PERSON, chat_instance="1", data=data)


def message(text: str | None, caption: str | None = None) -> Message:
    return Message(message_id=1, date=0, chat=CHAT, from_user=PERSON, text=text, caption=caption)


def observers() -> tuple[IndexedObserver, IndexedObserver]:
    (router,) = handlers.routers()
    assert isinstance(router.message, IndexedObserver) and isinstance(router.callback_query, IndexedObserver)
    assert router.observers["message"] is router.message
    assert router.observers["callback_query"] is router.callback_query
    return router.message, router.callback_query


def filters_of(handler: Any, kind: type) -> list[Any]:
    return [f.callback for f in handler.filters or [] if isinstance(f.callback, kind)]


def test_a_press_is_tried_on_every_handler_of_its_prefix_and_every_handler_without_one() -> None:
    _, buttons = observers()
    prefixes = {f.callback_data.__prefix__ for h in buttons.handlers for f in filters_of(h, CallbackQueryFilter)}
    assert len(prefixes) > 20
    for prefix in prefixes:
        expected = [
            h for h in buttons.handlers
            if not filters_of(h, CallbackQueryFilter)
            or any(f.callback_data.__prefix__ == prefix for f in filters_of(h, CallbackQueryFilter))
        ]
        assert buttons.candidates(press(f"{prefix}:1:2")) == expected
    catch_all = [h for h in buttons.handlers if not filters_of(h, CallbackQueryFilter)]
    assert catch_all, "the expired-button fallback takes any press"
    for data in ("forged:1", "", None, "nothing"):
        assert buttons.candidates(press(data)) == catch_all


def test_a_command_is_tried_on_its_handlers_and_every_handler_without_a_command_filter() -> None:
    messages, _ = observers()
    commands = {name for h in messages.handlers for f in filters_of(h, Command) for name in f.commands}
    assert {"lead", "start", "cancel"} <= commands
    without = [h for h in messages.handlers if not filters_of(h, Command)]
    for name in commands:
        expected = [
            h for h in messages.handlers
            if not filters_of(h, Command) or any(name in f.commands for f in filters_of(h, Command))
        ]
        assert messages.candidates(message(f"/{name} 王芳 13900000001")) == expected
        assert messages.candidates(message(f"/{name}@loop_bot")) == expected
        assert messages.candidates(message(None, caption=f"/{name}")) == expected
    for text in ("王芳 13900000001", "/nosuchcommand", "", None, "   "):
        assert messages.candidates(message(text)) == without
