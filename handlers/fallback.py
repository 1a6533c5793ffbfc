"""The catch-all, registered last: explain instead of staying silent; stale buttons answer politely."""

from __future__ import annotations

from aiogram import F
from aiogram.types import CallbackQuery, Message

from bot.i18n import Translate
from bot.routing import Routes

routes = Routes(__name__)


@routes.message(F.chat.type == "private")
async def on_anything_else(message: Message, t: Translate) -> None:
    await message.answer(t("fallback-unknown"))


@routes.callback_query(flags={"public": True})
async def on_stale_button(query: CallbackQuery, t: Translate) -> None:
    await query.answer(t("stale-button"), show_alert=True)
