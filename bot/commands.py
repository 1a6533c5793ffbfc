"""The command menu per role and language (setMyCommands). Features add their commands here."""

from __future__ import annotations

import logging
from dataclasses import dataclass

from aiogram import Bot
from aiogram.exceptions import TelegramAPIError
from aiogram.types import (
    BotCommand,
    BotCommandScopeChat,
    BotCommandScopeDefault,
    KeyboardButton,
    ReplyKeyboardMarkup,
)

from bot.i18n import Catalogue
from domain.team.model import Language, Role, User

log = logging.getLogger(__name__)

EVERYONE = frozenset(Role)
LEADS = frozenset({Role.ADMIN, Role.MANAGER})
SELLERS = frozenset({Role.ADMIN, Role.MANAGER, Role.REP})


@dataclass(frozen=True)
class Command:
    name: str
    roles: frozenset[Role]

    @property
    def description_key(self) -> str:
        return f"cmd-{self.name}"


COMMANDS: list[Command] = [
    Command("help", EVERYONE),
    Command("me", EVERYONE),
    Command("lang", EVERYONE),
    Command("invite", LEADS),
    Command("team", LEADS),
    Command("bindgroup", LEADS),
    Command("remind", EVERYONE),
    Command("reminders", EVERYONE),
    Command("hours", EVERYONE),
    Command("lead", SELLERS),
    Command("deadletters", frozenset({Role.ADMIN})),
    Command("deals", SELLERS),
    Command("log", SELLERS),
    Command("find", EVERYONE),
    Command("assign", LEADS),
    Command("stale", LEADS),
    Command("pool", SELLERS),
    Command("policy", LEADS),
    Command("cancel", EVERYONE),
]

PUBLIC = ("start", "help", "lang")


def commands_for(role: Role | None) -> list[Command]:
    if role is None:
        return [Command(name, EVERYONE) for name in PUBLIC]
    return [c for c in COMMANDS if role in c.roles]


def bot_commands(catalogue: Catalogue, lang: Language, role: Role | None) -> list[BotCommand]:
    return [
        BotCommand(command=c.name, description=catalogue.get(lang, c.description_key))
        for c in commands_for(role)
    ]


async def set_default_commands(bot: Bot, catalogue: Catalogue, default: Language) -> None:
    """The menu strangers see, in each language Telegram may ask for."""
    for lang in Language:
        await bot.set_my_commands(
            bot_commands(catalogue, lang, None), scope=BotCommandScopeDefault(), language_code=lang.value
        )
    await bot.set_my_commands(bot_commands(catalogue, default, None), scope=BotCommandScopeDefault())


async def set_user_commands(bot: Bot, catalogue: Catalogue, user: User, lang: Language) -> None:
    """A member's own menu: their role's commands, in their language."""
    try:
        await bot.set_my_commands(
            bot_commands(catalogue, lang, user.role), scope=BotCommandScopeChat(chat_id=user.telegram_id)
        )
    except TelegramAPIError as exc:  # a menu is a nicety; never fail the conversation for it
        log.warning("could not set the command menu for user %s: %s", user.id, exc)


# The main menu: a persistent keyboard under the chat for one-thumb use. Each button is an alias of a
# command (its label, in either language, is read as that command), so no flow needs a second entry.
MAIN_MENU: list[list[str]] = [
    ["lead", "deals", "log"],
    ["remind", "pool", "find"],
    ["stale", "team", "help"],
]


def menu_commands(role: Role) -> list[list[str]]:
    allowed = {c.name for c in commands_for(role)}
    rows = [[name for name in row if name in allowed] for row in MAIN_MENU]
    return [row for row in rows if row]


def main_menu(catalogue: Catalogue, lang: Language, role: Role) -> ReplyKeyboardMarkup:
    return ReplyKeyboardMarkup(
        keyboard=[
            [KeyboardButton(text=catalogue.get(lang, f"menu-{name}")) for name in row]
            for row in menu_commands(role)
        ],
        resize_keyboard=True,
        is_persistent=True,
        input_field_placeholder=catalogue.get(lang, "menu-placeholder"),
    )


def menu_aliases(catalogue: Catalogue) -> dict[str, str]:
    """Every menu label in every language -> its command."""
    return {
        catalogue.get(lang, f"menu-{name}"): name
        for lang in Language
        for row in MAIN_MENU
        for name in row
    }
