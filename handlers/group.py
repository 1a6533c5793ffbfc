"""/bindgroup: sent in a group chat, makes that group the team's announcement group."""

from __future__ import annotations

from aiogram import F
from aiogram.filters import Command
from aiogram.types import Message

from bot.formatting import h
from bot.i18n import Translate
from bot.routing import Routes
from domain.clock import Clock
from domain.ports import UnitOfWork
from domain.team import onboarding
from domain.team.model import User

routes = Routes(__name__)


@routes.message(Command("bindgroup"), F.chat.type == "private")
async def cmd_bindgroup_private(message: Message, t: Translate) -> None:
    await message.answer(t("bindgroup-in-private"))


@routes.message(Command("bindgroup"), F.chat.type.in_({"group", "supergroup"}), flags={"public": True})
async def cmd_bindgroup(message: Message, user: User | None, uow: UnitOfWork, t: Translate, clock: Clock) -> None:
    if user is None or not user.active:
        await message.reply(t("bindgroup-stranger"))
        return
    team = await onboarding.bind_group(uow, actor=user, chat_id=message.chat.id, now=clock.now())
    await message.answer(t("bindgroup-done", team=h(team.name), name=h(user.name)))
