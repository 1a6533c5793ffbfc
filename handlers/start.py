"""/start: joining a team by invite, and a greeting that says what one can do."""

from __future__ import annotations

from aiogram import Bot, F
from aiogram.filters import CommandObject, CommandStart
from aiogram.fsm.context import FSMContext
from aiogram.types import Message

from bot.commands import commands_for, main_menu, set_user_commands
from bot.errors import Refusal
from bot.formatting import h
from bot.i18n import Catalogue, Translate
from bot.routing import Routes
from domain.clock import Clock
from domain.errors import AlreadyDone, DomainError
from domain.ports import UnitOfWork
from domain.team import onboarding
from domain.team.model import Language, Team, User
from domain.team.ports import TeamsWork
from domain.team.queries import own_team
from domain.tickets.surveys import is_survey_payload
from handlers.common import role_name
from handlers.tickets import survey

routes = Routes(__name__)


def greeting(t: Translate, user: User, team: Team) -> str:
    lines = [t("start-welcome", name=h(user.name), team=h(team.name), role=role_name(t, user.role)), ""]
    lines.append(t("start-you-can"))
    lines.extend(f"/{c.name} — {t(c.description_key)}" for c in commands_for(user.role))
    return "\n".join(lines)


@routes.message(CommandStart(deep_link=True), F.chat.type == "private", flags={"public": True})
async def cmd_start_with_code(
    message: Message, command: CommandObject, uow: UnitOfWork, user: User | None, t: Translate,
    lang: Language, clock: Clock, catalogue: Catalogue, bot: Bot, state: FSMContext,
) -> None:
    if is_survey_payload(command.args):  # a customer's satisfaction survey (handlers/tickets/survey.py)
        await survey.open_link(message, command.args or "", state, uow, user, t, clock)
        return
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
        raise  # already one of us: the reason says it all
    except DomainError as error:
        raise Refusal(error, hint="refuse-how-to-join") from error
    await message.answer(greeting(t, member, team), reply_markup=main_menu(catalogue, lang, member.role))
    await set_user_commands(bot, catalogue, member, lang)


@routes.message(CommandStart(), F.chat.type == "private", flags={"public": True})
async def cmd_start(
    message: Message, uow: TeamsWork, user: User | None, t: Translate, catalogue: Catalogue, lang: Language
) -> None:
    if user is None:
        await message.answer(t("refuse-unknown"))
        return
    await cmd_start_known(message, uow, user, t, catalogue, lang)


async def cmd_start_known(
    message: Message, uow: TeamsWork, user: User, t: Translate, catalogue: Catalogue, lang: Language
) -> None:
    if not user.active:
        await message.answer(t("refuse-inactive"))
        return
    team = await own_team(uow, user)
    await message.answer(greeting(t, user, team), reply_markup=main_menu(catalogue, lang, user.role))
