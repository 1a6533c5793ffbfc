"""The team group: /bindgroup makes a group the team's announcement group; /help there says what works
in a group (bot/commands.py GROUP_COMMANDS; bot/chat_scope.py keeps everything else out of groups)."""

from __future__ import annotations

from aiogram import Bot, F
from aiogram.filters import Command
from aiogram.types import Message

from bot.chat_scope import private_chat_markup, private_chat_url
from bot.commands import group_commands
from bot.formatting import h
from bot.i18n import Translate
from bot.routing import Routes
from domain.clock import Clock
from domain.ports import UnitOfWork
from domain.team import onboarding
from domain.team.model import User

routes = Routes(__name__)

IN_GROUP = F.chat.type.in_({"group", "supergroup"})


@routes.message(Command("bindgroup"), F.chat.type == "private")
async def cmd_bindgroup_private(message: Message, t: Translate) -> None:
    await message.answer(t("bindgroup-in-private"))


@routes.message(Command("bindgroup"), IN_GROUP, flags={"public": True})
async def cmd_bindgroup(message: Message, user: User | None, uow: UnitOfWork, t: Translate, clock: Clock) -> None:
    if user is None or not user.active:
        await message.reply(t("bindgroup-stranger"))
        return
    team = await onboarding.bind_group(uow, actor=user, chat_id=message.chat.id, now=clock.now())
    await message.answer(t("bindgroup-done", team=h(team.name), name=h(user.name)))


@routes.message(Command("help"), IN_GROUP, flags={"public": True})
async def cmd_help_in_group(message: Message, t: Translate, bot: Bot) -> None:
    """The same for everyone in the group: which commands work here, and the way to the private chat."""
    commands = "\n".join(f"/{c.name} — {t(c.description_key)}" for c in group_commands())
    await message.answer(
        t("group-help", commands=commands), reply_markup=private_chat_markup(t, await private_chat_url(bot))
    )
