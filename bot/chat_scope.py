"""Private data stays in private chats: in a group the bot answers only group commands.

One outer middleware on every update (bot/factory.py registers it first, before the unit of work), so no
handler needs a chat-type filter of its own and a handler added later is covered too:

- A message in a group or supergroup reaches the handlers only if it is a group command
  (bot/commands.py GROUP_COMMANDS), sent as a new message and not addressed to another bot
  (`/help@other_bot`).
- Any other command there, or a message addressed to the bot (an @mention of it, a reply to one of its
  messages), gets a short "talk to me in private" with a button that opens the private chat, at most
  once per group every HINT_EVERY, so a busy group is not answered message by message.
- Ordinary chatter (not a command, not addressed to the bot) gets nothing: a message that reads like a
  lead, or a main-menu label, is never read, let alone echoed. Channel posts get nothing either.
- A button pressed on a message in a group is refused with a short alert, unless its CallbackData is a
  group action (bot/commands.py GROUP_CALLBACKS). A press whose message is unknown (no message, as for
  inline-mode messages, which this bot does not make) is refused the same way.

Whatever is refused here never reaches the unit of work: it writes nothing, not even the processed
update. Other updates (the bot added to or removed from a chat, ...) pass untouched; a handler for one
in a group has to be careful on its own.

The "once per group" memory is per process (with several instances each may hint once per window).
The hint and the alert speak the sender's Telegram language: the profile is not read for them.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Iterable
from datetime import datetime, timedelta
from typing import Any

from aiogram import BaseMiddleware, Bot
from aiogram.exceptions import TelegramAPIError
from aiogram.filters.callback_data import CallbackData
from aiogram.types import (
    CallbackQuery,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    Message,
    TelegramObject,
    Update,
)
from aiogram.types import User as TgUser
from aiogram.types.update import UpdateTypeLookupError

from bot.i18n import Catalogue, Translate
from domain.clock import Clock
from domain.team.model import Language

log = logging.getLogger(__name__)
Handler = Callable[[TelegramObject, dict[str, Any]], Awaitable[Any]]

HINT_EVERY = timedelta(minutes=10)
_REMEMBERED_GROUPS = 10_000  # past this, groups not hinted within HINT_EVERY are forgotten


async def bot_username(bot: Bot) -> str | None:
    """The bot's @username (getMe, asked once per process; None if Telegram can't be asked)."""
    try:
        me = await bot.me()
    except (TelegramAPIError, OSError, TimeoutError) as exc:
        log.warning("could not ask Telegram for the bot's username: %s", exc)
        return None
    return me.username


async def private_chat_url(bot: Bot) -> str | None:
    """https://t.me/<the bot>: opens the private chat with the bot."""
    username = await bot_username(bot)
    return f"https://t.me/{username}" if username else None


def private_chat_markup(t: Translate, url: str | None) -> InlineKeyboardMarkup | None:
    if url is None:
        return None
    return InlineKeyboardMarkup(inline_keyboard=[[InlineKeyboardButton(text=t("group-open-private"), url=url)]])


def command_of(text: str | None) -> tuple[str, str | None] | None:
    """`/Name@bot args` -> ("name", "bot"); None when the text is not a command."""
    if not text or not text.startswith("/"):
        return None
    head = text.split(maxsplit=1)[0][1:]
    name, _, mention = head.partition("@")
    if not name:
        return None
    return name.lower(), mention or None


class ChatScopeMiddleware(BaseMiddleware):
    def __init__(
        self, catalogue: Catalogue, default_language: Language, clock: Clock, *,
        group_commands: Iterable[str], group_callbacks: Iterable[type[CallbackData]],
        hint_every: timedelta = HINT_EVERY,
    ) -> None:
        self.catalogue = catalogue
        self.default_language = default_language
        self.clock = clock
        self.group_commands = frozenset(name.lower() for name in group_commands)
        # "prefix:" as the packed data of each group action starts (each class has its own separator).
        self.group_heads = tuple(f"{cls.__prefix__}{cls.__separator__}" for cls in group_callbacks)
        self.hint_every = hint_every
        self.hinted: dict[int, datetime] = {}  # group chat id -> when it was last told

    async def __call__(self, handler: Handler, event: TelegramObject, data: dict[str, Any]) -> Any:
        assert isinstance(event, Update)
        try:
            inner = event.event
        except UpdateTypeLookupError:  # a kind of update this aiogram does not know: the Dispatcher says so
            return await handler(event, data)
        if isinstance(inner, CallbackQuery):
            if self.callback_allowed(inner):
                return await handler(event, data)
            await self.refuse_press(inner)
            return None
        if isinstance(inner, Message) and inner.chat.type != "private":
            if await self.message_allowed(event, inner, data["bot"]):
                return await handler(event, data)
            return None
        return await handler(event, data)

    # --- buttons ---

    def callback_allowed(self, query: CallbackQuery) -> bool:
        if query.message is not None and query.message.chat.type == "private":
            return True
        return bool(self.group_heads) and (query.data or "").startswith(self.group_heads)

    async def refuse_press(self, query: CallbackQuery) -> None:
        try:
            await query.answer(self.translator(query.from_user)("group-button-private"), show_alert=True)
        except TelegramAPIError as exc:  # e.g. the press is too old to answer
            log.info("could not answer a press in a group: %s", exc)

    # --- messages ---

    async def message_allowed(self, update: Update, message: Message, bot: Bot) -> bool:
        """True for a group command; otherwise says at most a hint and returns False."""
        if message.chat.type == "channel" or message.from_user is None:
            return False
        command = command_of(message.text or message.caption)
        if command is not None:
            name, mention = command
            if mention is not None and not await self.is_me(bot, mention):
                return False  # another bot's command
            if name in self.group_commands and update.message is message:
                return True
            if update.message is message:  # an edited command is not answered again
                await self.hint(message, bot)
            return False
        if update.message is message and await self.addressed_to_me(message, bot):
            await self.hint(message, bot)
        return False

    async def addressed_to_me(self, message: Message, bot: Bot) -> bool:
        replied = message.reply_to_message
        if replied is not None and replied.from_user is not None and replied.from_user.id == bot.id:
            return True
        text = message.text or message.caption or ""
        for entity in message.entities or message.caption_entities or []:
            if entity.type == "text_mention" and entity.user is not None and entity.user.id == bot.id:
                return True
            if entity.type == "mention":
                mention = entity.extract_from(text).lstrip("@")
                if await self.is_me(bot, mention):
                    return True
        return False

    @staticmethod
    async def is_me(bot: Bot, username: str) -> bool:
        mine = await bot_username(bot)
        return mine is not None and mine.lower() == username.lower()

    async def hint(self, message: Message, bot: Bot) -> None:
        now = self.clock.now()
        last = self.hinted.get(message.chat.id)
        if last is not None and now - last < self.hint_every:
            return
        self.hinted[message.chat.id] = now
        if len(self.hinted) > _REMEMBERED_GROUPS:
            self.hinted = {chat: at for chat, at in self.hinted.items() if now - at < self.hint_every}
        t = self.translator(message.from_user)
        try:
            await message.reply(t("group-use-private"), reply_markup=private_chat_markup(t, await private_chat_url(bot)))
        except TelegramAPIError as exc:  # e.g. the bot may not write in this group
            log.info("could not tell group %s to use a private chat: %s", message.chat.id, exc)

    def translator(self, tg_user: TgUser | None) -> Translate:
        lang = Language.pick(tg_user.language_code if tg_user else None, default=self.default_language)
        return self.catalogue.translator(lang)
