"""/start: joining a team by invite, and a greeting that says what one can do."""

from __future__ import annotations

from aiogram import Bot, F
from aiogram.filters import CommandObject, CommandStart
from aiogram.types import Message

from bot.commands import commands_for, main_menu, set_user_commands
from bot.formatting import h
from bot.i18n import Catalogue, Translate
from bot.routing import Routes
from domain.clock import Clock
from domain.errors import AlreadyDone, DomainError
from domain.team import onboarding
from domain.team.model import Language, Team, User
from handlers.common import role_name
from storage.uow import SqlUnitOfWork

routes = Routes(__name__)


def greeting(t: Translate, user: User, team: Team) -> str:
    lines = [t("start-welcome", name=h(user.name), team=h(team.name), role=role_name(t, user.role)), ""]
    lines.append(t("start-you-can"))
    lines.extend(f"/{c.name} — {t(c.description_key)}" for c in commands_for(user.role))
    return "\n".join(lines)


@routes.message(CommandStart(deep_link=True), F.chat.type == "private", flags={"public": True})
async def cmd_start_with_code(
    message: Message, command: CommandObject, uow: SqlUnitOfWork, user: User | None, t: Translate,
    lang: Language, clock: Clock, catalogue: Catalogue, bot: Bot,
) -> None:
    if user is not None:
        await cmd_start_known(message, uow, user, t, catalogue, lang)
        return
    assert message.from_user is not None
    tg = message.from_user
    try:
        member, team = await onboarding.redeem_invite(
            uow, code=(command.args or "").strip(), telegram_id=tg.id, name=tg.full_name,
            username=tg.username, language=lang, now=clock.now(),
        )
    except AlreadyDone:
        await message.answer(t("error-already-registered"))
        return
    except DomainError as error:
        await message.answer(t(error.code) + "\n\n" + t("refuse-how-to-join"))
        return
    await message.answer(greeting(t, member, team), reply_markup=main_menu(catalogue, lang, member.role))
    await set_user_commands(bot, catalogue, member, lang)


@routes.message(CommandStart(), F.chat.type == "private", flags={"public": True})
async def cmd_start(
    message: Message, uow: SqlUnitOfWork, user: User | None, t: Translate, catalogue: Catalogue, lang: Language
) -> None:
    if user is None:
        await message.answer(t("refuse-unknown"))
        return
    await cmd_start_known(message, uow, user, t, catalogue, lang)


async def cmd_start_known(
    message: Message, uow: SqlUnitOfWork, user: User, t: Translate, catalogue: Catalogue, lang: Language
) -> None:
    if not user.active:
        await message.answer(t("refuse-inactive"))
        return
    team = await uow.teams.get(user.team_id)
    assert team is not None
    await message.answer(greeting(t, user, team), reply_markup=main_menu(catalogue, lang, user.role))
