"""Answers to button presses (pop-up alerts and toasts) are plain text of at most 200 characters, in one place.

Telegram shows a callback answer as plain text (no HTML) and refuses one over 200 characters. Every text
the bot words is HTML (bot/i18n.py escapes each parameter, handlers bold what they bold), so an alert
made of it would show "&lt;i&gt;&amp;" and "<b>", and a long name could push it over the limit. Rather
than each of the many `query.answer(text, show_alert=True)` calls doing it, a request middleware on the
bot's session (registered in bot/factory.py `make_bot`) rewrites every answerCallbackQuery on its way
out: tags dropped, entities unescaped, cut at 200 characters with "…".
"""

from __future__ import annotations

from typing import Any, Final, cast

from aiogram import Bot
from aiogram.client.session.middlewares.base import BaseRequestMiddleware, NextRequestMiddlewareType
from aiogram.methods import AnswerCallbackQuery, TelegramMethod
from aiogram.methods.base import TelegramType

from bot.formatting import plain

ALERT_LIMIT: Final = 200  # Telegram's limit for a callback answer's text


def _units(text: str) -> int:
    """Length as Telegram counts it (UTF-16 code units: an emoji may count 2)."""
    return len(text.encode("utf-16-le")) // 2


def plain_alert(text: str, limit: int = ALERT_LIMIT) -> str:
    """An HTML text as an alert shows it: without tags, unescaped, at most `limit` characters."""
    shown = plain(text)
    if _units(shown) <= limit:
        return shown
    cut = shown
    while _units(cut) > limit - 1:
        cut = cut[: -max(1, (_units(cut) - limit + 1) // 2)]
    return cut.rstrip() + "…"


class AlertTextMiddleware(BaseRequestMiddleware):
    async def __call__(
        self, make_request: NextRequestMiddlewareType[TelegramType], bot: Bot, method: TelegramMethod[TelegramType]
    ) -> Any:
        if isinstance(method, AnswerCallbackQuery) and method.text:
            text = plain_alert(method.text)
            if text != method.text:
                return await make_request(bot, cast(TelegramMethod[TelegramType], method.model_copy(update={"text": text})))
        return await make_request(bot, method)


__all__ = ["ALERT_LIMIT", "AlertTextMiddleware", "plain_alert"]
