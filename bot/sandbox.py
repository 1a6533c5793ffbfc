"""A Telegram stand-in: a recording bot session and simulated people, shared by the console sandbox
(`python -m bot console`) and the flow tests. Nothing here touches the network."""

from __future__ import annotations

import hashlib
import itertools
import time
from collections.abc import AsyncGenerator, Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from aiogram import Bot, Dispatcher
from aiogram.client.session.base import BaseSession
from aiogram.exceptions import TelegramBadRequest
from aiogram.methods import (
    AnswerCallbackQuery,
    EditMessageReplyMarkup,
    EditMessageText,
    GetFile,
    GetMe,
    SendMessage,
    SendPhoto,
    TelegramMethod,
)
from aiogram.types import (
    BufferedInputFile,
    CallbackQuery,
    Chat,
    Contact,
    Document,
    File,
    InlineKeyboardMarkup,
    Message,
    PhotoSize,
    ReplyKeyboardMarkup,
    Update,
)
from aiogram.types import User as TgUser

SANDBOX_TOKEN = "4242424242:sandbox-token-not-a-real-one-000"
SANDBOX_BOT_ID = 4242424242
SANDBOX_BOT_USERNAME = "loop_sandbox_bot"


@dataclass
class Sent:
    """A message as a chat would show it now (edits applied)."""

    chat_id: int
    message_id: int
    text: str
    markup: InlineKeyboardMarkup | None = None
    edited: bool = False
    menu: list[list[str]] | None = None  # a reply keyboard (the main menu) sent with the message
    photo: bytes | None = None  # a photo's image (an uploaded one; a file id's photo: empty); `text` is its caption

    @property
    def buttons(self) -> list[tuple[str, str]]:
        if self.markup is None:
            return []
        return [
            (b.text, b.callback_data or b.url or "")
            for row in self.markup.inline_keyboard
            for b in row
        ]


@dataclass
class Call:
    method: TelegramMethod[Any]
    chat_id: int | None
    text: str | None


class RecordingSession(BaseSession):
    """Answers every Bot API method locally and records it.

    `responder`, when set, may return a result or raise a TelegramAPIError for a method: tests use it
    to simulate rate limits, blocked users and server errors.
    """

    def __init__(self, bot_username: str = SANDBOX_BOT_USERNAME) -> None:
        super().__init__()
        self.bot_username = bot_username
        self.calls: list[Call] = []
        self.chats: dict[int, list[Sent]] = {}
        self._ids = itertools.count(1)
        self.responder: Callable[[TelegramMethod[Any]], Any] | None = None
        self.listeners: list[Callable[[Call, Sent | None], None]] = []
        self.files: dict[str, bytes] = {}  # file id -> content, for documents people send (Person.send_document)
        self.pictures: dict[int, list[Sent]] = {}

    async def close(self) -> None:
        return None

    async def stream_content(
        self, url: str, headers: dict[str, Any] | None = None, timeout: int = 30,
        chunk_size: int = 65536, raise_for_status: bool = True,
    ) -> AsyncGenerator[bytes, None]:
        file_id = url.rsplit("/", 1)[-1]
        yield self.files.get(file_id, b"")

    def messages(self, chat_id: int) -> list[Sent]:
        return self.chats.setdefault(chat_id, [])

    def photos(self, chat_id: int) -> list[Sent]:
        """Every photo the bot sent to the chat. A photo with buttons under it (a digest with its chart) is
        in `messages` too, where a person reads and presses it; a bare picture (/report's chart after its
        summary, a receipt's scan) is only here, so that `last` stays the message a flow is about."""
        return self.pictures.setdefault(chat_id, [])

    def last_with_buttons(self, chat_id: int) -> Sent | None:
        for sent in reversed(self.messages(chat_id)):
            if sent.markup is not None and sent.markup.inline_keyboard:
                return sent
        return None

    async def make_request(self, bot: Bot, method: TelegramMethod[Any], timeout: int | None = None) -> Any:
        chat_id = getattr(method, "chat_id", None)
        chat_id = int(chat_id) if isinstance(chat_id, int | str) and str(chat_id).lstrip("-").isdigit() else None
        call = Call(method=method, chat_id=chat_id, text=getattr(method, "text", None))
        if self.responder is not None:
            override = self.responder(method)  # may raise
            if override is not None:
                self.calls.append(call)
                return override
        self.calls.append(call)
        result, shown = self._answer(method, chat_id)
        for listener in self.listeners:
            listener(call, shown)
        return result

    def _answer(self, method: TelegramMethod[Any], chat_id: int | None) -> tuple[Any, Sent | None]:
        now = datetime.now(UTC)
        if isinstance(method, GetMe):
            return TgUser(
                id=SANDBOX_BOT_ID, is_bot=True, first_name="Loop", username=self.bot_username
            ), None
        if isinstance(method, SendMessage) and chat_id is not None:
            markup = method.reply_markup if isinstance(method.reply_markup, InlineKeyboardMarkup) else None
            menu = (
                [[key.text for key in row] for row in method.reply_markup.keyboard]
                if isinstance(method.reply_markup, ReplyKeyboardMarkup) else None
            )
            sent = Sent(chat_id=chat_id, message_id=next(self._ids), text=method.text, markup=markup, menu=menu)
            self.messages(chat_id).append(sent)
            chat_type = "private" if chat_id > 0 else "supergroup"
            return Message(
                message_id=sent.message_id, date=now, chat=Chat(id=chat_id, type=chat_type),
                text=method.text, reply_markup=markup,
            ), sent
        if isinstance(method, SendPhoto) and chat_id is not None:
            markup = method.reply_markup if isinstance(method.reply_markup, InlineKeyboardMarkup) else None
            image = method.photo.data if isinstance(method.photo, BufferedInputFile) else b""
            sent = Sent(chat_id=chat_id, message_id=next(self._ids), text=method.caption or "", markup=markup,
                        photo=image)
            self.photos(chat_id).append(sent)
            if markup is not None and markup.inline_keyboard:
                self.messages(chat_id).append(sent)
            size = PhotoSize(file_id=f"photo{sent.message_id}", file_unique_id=f"photo{sent.message_id}",
                             width=1, height=1, file_size=len(image))
            return Message(
                message_id=sent.message_id, date=now, chat=Chat(id=chat_id, type="private" if chat_id > 0 else "supergroup"),
                photo=[size], caption=method.caption, reply_markup=markup,
            ), sent
        if isinstance(method, EditMessageText | EditMessageReplyMarkup) and chat_id is not None:
            for shown in reversed(self.messages(chat_id)):  # the one edited is most often the last
                if shown.message_id == method.message_id:
                    if isinstance(method, EditMessageText) and shown.photo is not None:
                        # As Telegram answers: a photo's caption is not a text (editMessageCaption is).
                        raise TelegramBadRequest(method, "Bad Request: there is no text in the message to edit")
                    if isinstance(method, EditMessageText):
                        shown.text = method.text or ""
                    markup = method.reply_markup if isinstance(method.reply_markup, InlineKeyboardMarkup) else None
                    shown.markup = markup
                    shown.edited = True
                    return Message(
                        message_id=shown.message_id, date=now, chat=Chat(id=chat_id, type="private"),
                        text=shown.text, reply_markup=markup,
                    ), shown
            # A message from before a restart: the phone still shows it, so the edit lands there.
            markup = method.reply_markup if isinstance(method.reply_markup, InlineKeyboardMarkup) else None
            text = method.text if isinstance(method, EditMessageText) else ""
            shown = Sent(chat_id=chat_id, message_id=method.message_id or 0, text=text or "", markup=markup, edited=True)
            self.messages(chat_id).append(shown)
            return Message(
                message_id=shown.message_id, date=now, chat=Chat(id=chat_id, type="private"), text=shown.text,
                reply_markup=markup,
            ), shown
        if isinstance(method, GetFile):
            data = self.files.get(method.file_id, b"")
            return File(file_id=method.file_id, file_unique_id=method.file_id, file_size=len(data),
                        file_path=f"documents/{method.file_id}"), None
        if isinstance(method, AnswerCallbackQuery):
            return True, None
        return True, None


class UpdateIds:
    """Update ids that never repeat, also across sandbox runs on the same database."""

    def __init__(self) -> None:
        self._counter = itertools.count(time.time_ns() // 1000)

    def __next__(self) -> int:
        return next(self._counter)


@dataclass
class Person:
    """A simulated Telegram user who chats with the bot."""

    sandbox: Sandbox
    telegram_id: int
    first_name: str
    username: str | None = None
    language_code: str | None = "zh-hans"

    @property
    def tg(self) -> TgUser:
        return TgUser(
            id=self.telegram_id, is_bot=False, first_name=self.first_name, username=self.username,
            language_code=self.language_code,
        )

    def chat(self) -> list[Sent]:
        return self.sandbox.session.messages(self.telegram_id)

    @property
    def last(self) -> Sent:
        return self.chat()[-1]

    def photos(self) -> list[Sent]:
        return self.sandbox.session.photos(self.telegram_id)

    @property
    def menu(self) -> list[str]:
        """The labels of the main menu under this chat (the latest reply keyboard the bot sent)."""
        for sent in reversed(self.chat()):
            if sent.menu is not None:
                return [label for row in sent.menu for label in row]
        return []

    async def send(self, text: str, *, chat_id: int | None = None, chat_type: str = "private") -> list[Call]:
        chat = Chat(id=chat_id or self.telegram_id, type=chat_type, title="Team" if chat_id else None)
        message = Message(
            message_id=next(self.sandbox.message_ids), date=datetime.now(UTC), chat=chat,
            from_user=self.tg, text=text,
            entities=self.sandbox.command_entities(text),
        )
        return await self.sandbox.feed(Update(update_id=next(self.sandbox.update_ids), message=message))

    async def share_contact(self, phone: str, first_name: str, last_name: str | None = None) -> list[Call]:
        message = Message(
            message_id=next(self.sandbox.message_ids), date=datetime.now(UTC),
            chat=Chat(id=self.telegram_id, type="private"), from_user=self.tg,
            contact=Contact(phone_number=phone, first_name=first_name, last_name=last_name),
        )
        return await self.sandbox.feed(Update(update_id=next(self.sandbox.update_ids), message=message))

    async def send_document(self, file_name: str, data: bytes) -> list[Call]:
        """Send a file (a CSV or XLSX to import): the bot can download it as Telegram would serve it."""
        file_id = f"doc{next(self.sandbox.message_ids)}"
        self.sandbox.session.files[file_id] = data
        message = Message(
            message_id=next(self.sandbox.message_ids), date=datetime.now(UTC),
            chat=Chat(id=self.telegram_id, type="private"), from_user=self.tg,
            document=Document(file_id=file_id, file_unique_id=file_id, file_name=file_name, file_size=len(data)),
        )
        return await self.sandbox.feed(Update(update_id=next(self.sandbox.update_ids), message=message))

    def find_button(self, label: str | int) -> tuple[Sent, str]:
        sent = self.sandbox.session.last_with_buttons(self.telegram_id)
        if sent is None:
            raise LookupError("no message with buttons in this chat")
        buttons = [b for b in sent.buttons if not b[1].startswith("http")]
        if isinstance(label, int):
            if not 1 <= label <= len(buttons):
                raise LookupError(f"there is no button #{label}")
            return sent, buttons[label - 1][1]
        for text, data in buttons:
            if text == label or label in text:
                return sent, data
        raise LookupError(f"no button {label!r} among {[b[0] for b in buttons]}")

    async def press(self, label: str | int) -> list[Call]:
        sent, data = self.find_button(label)
        return await self.press_data(data, message_id=sent.message_id, text=sent.text)

    async def press_data(self, data: str, *, message_id: int = 1, text: str = "") -> list[Call]:
        message = Message(
            message_id=message_id, date=datetime.now(UTC), chat=Chat(id=self.telegram_id, type="private"),
            text=text or ".",
        )
        query = CallbackQuery(
            id=str(next(self.sandbox.update_ids)), from_user=self.tg, chat_instance="sandbox",
            message=message, data=data,
        )
        return await self.sandbox.feed(Update(update_id=next(self.sandbox.update_ids), callback_query=query))


@dataclass
class Sandbox:
    dp: Dispatcher
    bot: Bot
    session: RecordingSession
    people: dict[str, Person] = field(default_factory=dict)
    update_ids: UpdateIds = field(default_factory=UpdateIds)
    message_ids: itertools.count[int] = field(default_factory=lambda: itertools.count(1_000_000))

    def person(self, name: str, *, language_code: str | None = "zh-hans") -> Person:
        if name not in self.people:
            # Stable ids per name, so a sandbox restarted on the same database knows its people.
            digest = hashlib.sha256(name.encode("utf-8")).digest()
            telegram_id = 10_000 + int.from_bytes(digest[:5], "big") % 5_000_000_000
            while any(p.telegram_id == telegram_id for p in self.people.values()):
                telegram_id += 1
            self.people[name] = Person(
                self, telegram_id=telegram_id, first_name=name, username=name if name.isascii() else None,
                language_code=language_code,
            )
        return self.people[name]

    @staticmethod
    def command_entities(text: str) -> list[Any] | None:
        from aiogram.types import MessageEntity

        if text.startswith("/"):
            command = text.split()[0]
            return [MessageEntity(type="bot_command", offset=0, length=len(command.encode("utf-16-le")) // 2)]
        return None

    async def feed(self, update: Update) -> list[Call]:
        before = len(self.session.calls)
        await self.dp.feed_update(self.bot, update)
        return self.session.calls[before:]
