"""The combined Router tries only the handlers that can match an event (bot/routing.py IndexedObserver):
a button press goes to the handlers of its CallbackData prefix, a command to the handlers of that
command, and either only to handlers whose state filter lets the conversation's state pass (handlers
without such filters take any), always in declaration order. Checked over every handler the bot
registers and every state it declares, with aiogram's own filters as the judge: no handler that could
match is ever left out, so the handler that answers is the one a full scan would have picked."""

from __future__ import annotations

from typing import Any

from aiogram.filters import Command, StateFilter
from aiogram.filters.callback_data import CallbackQueryFilter
from aiogram.fsm.state import State
from aiogram.types import CallbackQuery, Chat, Message, User

from bot.config import Settings
from bot.factory import build_app
from bot.routing import IndexedObserver
from bot.sandbox import RecordingSession

PERSON = User(id=1, is_bot=False, first_name="A")
CHAT = Chat(id=1, type="private")


def press(data: str | None) -> CallbackQuery:
    return CallbackQuery(id="1", from_user=PERSON, chat_instance="1", data=data)


def message(text: str | None, caption: str | None = None) -> Message:
    return Message(message_id=1, date=0, chat=CHAT, from_user=PERSON, text=text, caption=caption)


def observers() -> tuple[IndexedObserver, IndexedObserver]:
    """The Router of an app as built (its bare State filters wrapped to run in the event loop)."""
    settings = Settings(_env_file=None, database_url="sqlite://", bot_token=None, redis_url=None)  # type: ignore[call-arg]
    (router,) = build_app(settings, session=RecordingSession()).dp.sub_routers
    assert isinstance(router.message, IndexedObserver) and isinstance(router.callback_query, IndexedObserver)
    assert router.observers["message"] is router.message
    assert router.observers["callback_query"] is router.callback_query
    return router.message, router.callback_query


def filters_of(handler: Any, kind: type) -> list[Any]:
    """The handler's filters of a kind (a bare State runs wrapped once an app is built: bot/factory.py)."""
    found = [getattr(f.callback, "__wrapped__", f.callback) for f in handler.filters or []]
    return [f for f in found if isinstance(f, kind)]


async def state_passes(handler: Any, event: Any, raw_state: str | None) -> bool:
    """What aiogram's own state filters of the handler say (True when it has none)."""
    for check in filters_of(handler, StateFilter):
        if not await check(event, raw_state=raw_state):
            return False
    return all(check(event, raw_state=raw_state) for check in filters_of(handler, State))


def states(observer: IndexedObserver) -> list[str | None]:
    found: set[str | None] = {None, "nobody:knows"}
    for handler in observer.handlers:
        for check in filters_of(handler, StateFilter):
            found |= {s.state if isinstance(s, State) else s for s in check.states if not isinstance(s, type)}
        found |= {check.state for check in filters_of(handler, State)}
    return sorted(found, key=str)


async def test_a_press_is_tried_on_the_handlers_of_its_prefix_that_take_the_state() -> None:
    _, buttons = observers()
    prefixes = {f.callback_data.__prefix__ for h in buttons.handlers for f in filters_of(h, CallbackQueryFilter)}
    assert len(prefixes) > 20
    known = states(buttons)
    # Every state a press handler's filter names (bare States too: observers() reads them through the wrapper
    # a built app runs them in, so the count no longer depends on whether another test built an app first).
    assert len([state for state in known if state not in (None, "nobody:knows")]) > 10
    for raw_state in known:
        for prefix in [*prefixes, "forged"]:
            event = press(f"{prefix}:1:2")
            expected = [
                h for h in buttons.handlers
                if all(f.callback_data.__prefix__ == prefix for f in filters_of(h, CallbackQueryFilter))
                and await state_passes(h, event, raw_state)
            ]
            assert buttons.candidates(event, {"raw_state": raw_state}) == expected, (prefix, raw_state)
    catch_all = [h for h in buttons.handlers if not h.filters]
    assert catch_all, "the expired-button fallback takes any press"
    for data in ("forged:1", "", None, "nothing"):
        assert buttons.candidates(press(data), {"raw_state": None}) == catch_all


async def test_a_message_is_tried_on_the_handlers_of_its_command_that_take_the_state() -> None:
    messages, _ = observers()
    commands = {name for h in messages.handlers for f in filters_of(h, Command) for name in f.commands}
    assert {"lead", "start", "cancel"} <= commands
    for raw_state in states(messages):
        for text in [*(f"/{name} 王芳 13900000001" for name in commands), "王芳 139", "/nosuchcommand", "", None]:
            for event in (message(text), message(None, caption=text)):
                word = (text or "").split(maxsplit=1)[0][1:] if (text or "").strip() else None
                expected = [
                    h for h in messages.handlers
                    if all(word in f.commands for f in filters_of(h, Command))
                    and await state_passes(h, event, raw_state)
                ]
                assert messages.candidates(event, {"raw_state": raw_state}) == expected, (text, raw_state)
        mentioned = message("/lead@loop_bot")
        assert messages.candidates(mentioned, {"raw_state": raw_state}) == messages.candidates(
            message("/lead"), {"raw_state": raw_state}
        )
