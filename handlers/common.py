"""Small helpers every flow uses: show a screen in place, report a domain error politely."""

from __future__ import annotations

import contextlib

from aiogram.exceptions import TelegramBadRequest
from aiogram.types import CallbackQuery, InlineKeyboardMarkup, Message

from bot.i18n import Translate
from domain.errors import DomainError
from domain.model import Role

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


async def refuse(event: Message | CallbackQuery, t: Translate, error: DomainError) -> None:
    text = t(error.code, **{k: str(v) for k, v in error.params.items()})
    if isinstance(event, CallbackQuery):
        await event.answer(text, show_alert=True)
    else:
        await event.answer(text)
