"""The command menu per role and language (setMyCommands). Features add their commands here."""

from __future__ import annotations

import logging
from dataclasses import dataclass

from aiogram import Bot
from aiogram.exceptions import TelegramAPIError
from aiogram.filters.callback_data import CallbackData
from aiogram.types import (
    BotCommand,
    BotCommandScopeAllGroupChats,
    BotCommandScopeChat,
    BotCommandScopeDefault,
    KeyboardButton,
    ReplyKeyboardMarkup,
)

from bot.i18n import Catalogue
from domain.permissions import Ability, roles_with
from domain.team.model import Language, Role, User

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Command:
    name: str
    ability: Ability  # who sees it in the menu: the roles domain/permissions.py gives this ability

    @property
    def roles(self) -> frozenset[Role]:
        return roles_with(self.ability)

    @property
    def description_key(self) -> str:
        return f"cmd-{self.name}"


COMMANDS: list[Command] = [
    Command("help", Ability.USE_BOT),
    Command("me", Ability.USE_BOT),
    Command("lang", Ability.USE_BOT),
    Command("invite", Ability.MANAGE_TEAM),
    Command("team", Ability.MANAGE_TEAM),
    Command("bindgroup", Ability.MANAGE_TEAM),
    Command("remind", Ability.USE_BOT),
    Command("reminders", Ability.USE_BOT),
    Command("hours", Ability.USE_BOT),
    Command("lead", Ability.CAPTURE_LEADS),
    Command("deadletters", Ability.RETRY_DEAD_LETTERS),
    Command("webhooks", Ability.MANAGE_WEBHOOKS),
    Command("deals", Ability.WORK_DEALS),
    Command("log", Ability.WORK_DEALS),
    Command("find", Ability.USE_BOT),
    Command("assign", Ability.REASSIGN_DEALS),
    Command("stale", Ability.SEE_STALE_REPORT),
    Command("pool", Ability.SEE_POOL),
    Command("policy", Ability.EDIT_POLICY),
    Command("apikeys", Ability.MANAGE_INTEGRATIONS),
    Command("quote", Ability.WORK_QUOTES),
    Command("approvals", Ability.APPROVE_DISCOUNTS),
    Command("products", Ability.MANAGE_CATALOG),
    Command("quotepolicy", Ability.EDIT_POLICY),
    Command("receivables", Ability.USE_BOT),
    Command("report", Ability.SEE_REPORTS),
    Command("ticket", Ability.WORK_TICKETS),
    Command("tickets", Ability.WORK_TICKETS),
    Command("customer", Ability.WORK_TICKETS),
    Command("cancel", Ability.USE_BOT),
]

PUBLIC = ("start", "help", "lang")

# What the bot answers in a group chat (bot/chat_scope.py): these commands, and presses of these buttons.
# Everything else there gets at most a short "talk to me in private" (customers' data stays in private
# chats). A command or button meant for the team group is added here, and nowhere else.
GROUP_COMMANDS: frozenset[str] = frozenset({"bindgroup", "help"})
GROUP_CALLBACKS: tuple[type[CallbackData], ...] = ()


def commands_for(role: Role | None) -> list[Command]:
    if role is None:
        return [Command(name, Ability.USE_BOT) for name in PUBLIC]
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
    # In groups the menu offers only what works there.
    for lang in Language:
        await bot.set_my_commands(
            group_bot_commands(catalogue, lang), scope=BotCommandScopeAllGroupChats(), language_code=lang.value
        )
    await bot.set_my_commands(group_bot_commands(catalogue, default), scope=BotCommandScopeAllGroupChats())


def group_commands() -> list[Command]:
    """The commands that work in a group chat, in the menu's order."""
    return [c for c in COMMANDS if c.name in GROUP_COMMANDS]


def group_bot_commands(catalogue: Catalogue, lang: Language) -> list[BotCommand]:
    return [BotCommand(command=c.name, description=catalogue.get(lang, c.description_key)) for c in group_commands()]


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
