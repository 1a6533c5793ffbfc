"""Small helpers every flow uses: show a screen in place, report a domain error politely."""

from __future__ import annotations

import contextlib

from aiogram import Bot
from aiogram.exceptions import TelegramBadRequest
from aiogram.filters import CommandObject
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, InlineKeyboardMarkup, Message

from bot.i18n import Translate
from domain.errors import DomainError
from domain.team.model import Role

ROLE_KEYS = {Role.ADMIN: "role-admin", Role.MANAGER: "role-manager", Role.REP: "role-rep", Role.FINANCE: "role-finance"}


def role_name(t: Translate, role: Role) -> str:
    return t(ROLE_KEYS[role])


async def show(event: Message | CallbackQuery, text: str, markup: InlineKeyboardMarkup | None = None) -> None:
    """Edit the flow's message in place when the user pressed one of its buttons; else send anew."""
    if isinstance(event, CallbackQuery):
        with contextlib.suppress(TelegramBadRequest):  # "message is not modified" is not an error
            await event.answer()
        if isinstance(event.message, Message):
            try:
                await event.message.edit_text(text, reply_markup=markup)
                return
            except TelegramBadRequest as exc:
                if "not modified" in str(exc):
                    return
        if event.message is not None:
            await event.bot.send_message(event.message.chat.id, text, reply_markup=markup)  # type: ignore[union-attr]
        return
    await event.answer(text, reply_markup=markup)


def command_words(command: CommandObject) -> str:
    """What was typed after a command, its spaces evened out ("" for none)."""
    return " ".join((command.args or "").split())


def error_text(t: Translate, error: DomainError) -> str:
    """A domain error in the reader's words."""
    return t(error.code, **{k: str(v) for k, v in error.params.items()})


async def refuse(event: Message | CallbackQuery, t: Translate, error: DomainError) -> None:
    text = error_text(t, error)
    if isinstance(event, CallbackQuery):
        await event.answer(text, show_alert=True)
    else:
        await event.answer(text)


async def draw_flow(
    event: Message | CallbackQuery, bot: Bot, text: str, markup: InlineKeyboardMarkup | None, *, old: int | None,
    in_place: bool = False,
) -> int | None:
    """Draw a flow's screen; returns the message that holds the flow now. A button press edits the flow's
    message in place; a typed answer gets a new message below it (that is where the person is looking),
    and the old message `old` loses its buttons so that only one set stays live. `in_place`: a typed
    answer edits the old message too (a short flow whose message is still the latest thing in the chat);
    only when that fails does a new message take its place."""
    if isinstance(event, CallbackQuery):
        await show(event, text, markup)
        return event.message.message_id if isinstance(event.message, Message) else old
    if old is not None and in_place:
        try:
            await bot.edit_message_text(text=text, chat_id=event.chat.id, message_id=old, reply_markup=markup)
            return old
        except TelegramBadRequest as exc:
            if "not modified" in str(exc):
                return old
    elif old is not None:
        with contextlib.suppress(TelegramBadRequest):
            await bot.edit_message_reply_markup(chat_id=event.chat.id, message_id=old, reply_markup=None)
    sent = await event.answer(text, reply_markup=markup)
    return sent.message_id


async def render_flow(
    event: Message | CallbackQuery, state: FSMContext, bot: Bot, text: str, markup: InlineKeyboardMarkup | None,
    *, in_place: bool = False,
) -> None:
    """draw_flow for a flow that keeps its message in the FSM data ("flow_msg") while a state is open."""
    old = (await state.get_data()).get("flow_msg") if isinstance(event, Message) else None
    shown = await draw_flow(event, bot, text, markup, old=old if isinstance(old, int) else None, in_place=in_place)
    if shown is not None and await state.get_state() is not None:
        await state.update_data(flow_msg=shown)
