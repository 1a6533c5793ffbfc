"""Everything a person typed, made plain text before any handler sees it.

One outer middleware on every update (bot/factory.py registers it first), so no handler, parser or
repository has to think about it:

- NUL (U+0000) and the other control characters are dropped, except the line break and the tab: a NUL
  makes PostgreSQL refuse the whole write ("invalid byte sequence"), and the others are never meant.
  Lone surrogates (invalid UTF-16 smuggled in through JSON escapes) go the same way.
- A text of nothing but zero-width characters (U+200B and friends) and white space is empty: "" is what
  the handlers get, and each step refuses an empty answer in its own words (a company name of
  "\u200b" is no name). Zero-width joiners inside a text stay (they hold emoji such as 👨‍👩‍👧 together).
- Unicode NFC, so that "é" typed two ways is one company name, one search.

What is normalised: a message's (or an edited message's) text and caption, and the names on a shared
contact card. Button presses carry the bot's own data and are left alone. An update with nothing to
change is passed on as it came (the objects are immutable: a changed one is a copy).
"""

from __future__ import annotations

import unicodedata
from collections.abc import Awaitable, Callable
from typing import Any, Final

from aiogram import BaseMiddleware, Bot
from aiogram.types import Message, TelegramObject, Update

Handler = Callable[[TelegramObject, dict[str, Any]], Awaitable[Any]]

ZERO_WIDTH: Final = frozenset("\u200b\u200c\u200d\u2060\ufeff\u180e\u00ad")
KEPT_CONTROLS: Final = frozenset("\n\t")


def normalize_text(text: str) -> str:
    """A typed text as the bot keeps it: no control characters but line breaks and tabs, NFC, and empty
    when nothing but zero-width characters and white space is left."""
    kept = "".join(
        ch for ch in text if ch in KEPT_CONTROLS or unicodedata.category(ch) not in ("Cc", "Cs")
    )
    if all(ch in ZERO_WIDTH or ch.isspace() for ch in kept):
        return ""
    return unicodedata.normalize("NFC", kept)


def _normalized_message(message: Message) -> Message | None:
    """A copy of the message with its typed texts normalised, or None when nothing changes."""
    changes: dict[str, Any] = {}
    for field in ("text", "caption"):
        value = getattr(message, field)
        if value is not None and normalize_text(value) != value:
            changes[field] = normalize_text(value)
    if message.contact is not None:
        card = message.contact
        names = {
            field: normalize_text(getattr(card, field)) or (None if field == "last_name" else "")
            for field in ("first_name", "last_name")
            if getattr(card, field) is not None and normalize_text(getattr(card, field)) != getattr(card, field)
        }
        if names:
            changes["contact"] = card.model_copy(update=names)
    return message.model_copy(update=changes) if changes else None


class NormalizeTextMiddleware(BaseMiddleware):
    async def __call__(self, handler: Handler, event: TelegramObject, data: dict[str, Any]) -> Any:
        if isinstance(event, Update):
            for field in ("message", "edited_message"):
                message = getattr(event, field)
                changed = _normalized_message(message) if message is not None else None
                if changed is not None:
                    bot = data.get("bot")
                    if isinstance(bot, Bot):
                        changed = changed.as_(bot)
                    event = event.model_copy(update={field: changed})
                    data["event_update"] = event
        return await handler(event, data)


__all__ = ["NormalizeTextMiddleware", "normalize_text"]
