"""/invite: a manager or admin picks a role (and a team) by buttons and gets a one-time link."""

from __future__ import annotations

import enum

from aiogram import Bot, F
from aiogram.filters import Command, StateFilter
from aiogram.filters.callback_data import CallbackData
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import CallbackQuery, InlineKeyboardMarkup, Message

from bot.callbacks import Id
from bot.errors import refusing
from bot.formatting import h, when
from bot.i18n import Translate
from bot.keyboards import button, grid
from bot.routing import Routes
from domain.clock import Clock
from domain.permissions import Ability, can, invitable_roles, require
from domain.ports import UnitOfWork
from domain.team import onboarding
from domain.team.model import Language, Role, User
from domain.team.ports import TeamsWork
from domain.team.queries import own_team, team_in_reach, teams_to_pick
from handlers.common import role_name, show

routes = Routes(__name__)


class InviteFlow(StatesGroup):
    choosing_role = State()
    choosing_team = State()
    entering_team_name = State()


class InviteStep(enum.StrEnum):
    ROLE = "role"  # a role was picked
    TEAM = "team"  # a team was picked (admins)
    NEW_TEAM = "new_team"  # an admin invites into a team yet to be named
    BACK = "back"


class InviteCb(CallbackData, prefix="inv"):
    step: InviteStep
    role: Role | None = None
    team_id: Id = 0


async def invite_link(bot: Bot, code: str) -> str:
    me = await bot.me()
    return f"https://t.me/{me.username}?start={code}"


def role_keyboard(t: Translate, user: User) -> InlineKeyboardMarkup:
    roles = invitable_roles(user)
    return grid([button(role_name(t, r), InviteCb(step=InviteStep.ROLE, role=r)) for r in roles], t)


@routes.message(Command("invite"))
async def cmd_invite(message: Message, user: User, state: FSMContext, t: Translate) -> None:
    if not invitable_roles(user):
        await message.answer(t("error-invite-not-allowed"))
        return
    await state.set_state(InviteFlow.choosing_role)
    await message.answer(t("invite-choose-role"), reply_markup=role_keyboard(t, user))


@routes.callback_query(InviteFlow.choosing_role, InviteCb.filter(F.step == InviteStep.ROLE))
async def on_role_chosen(
    query: CallbackQuery, callback_data: InviteCb, user: User, uow: UnitOfWork, state: FSMContext,
    t: Translate, clock: Clock, bot: Bot, lang: Language,
) -> None:
    role = callback_data.role
    if role is None:
        await query.answer(t("stale-button"), show_alert=True)
        return
    if role not in invitable_roles(user):
        await query.answer(t("error-invite-role", role=role_name(t, role)), show_alert=True)
        return
    await state.update_data(role=role.value)
    if can(user, Ability.WORK_IN_ANY_TEAM):
        await show_team_step(query, user, uow, state, t, role)
        return
    await finish_invite(query, user, role, user.team_id, uow, state, t, clock, bot, lang)


async def show_team_step(
    query: CallbackQuery, user: User, uow: TeamsWork, state: FSMContext, t: Translate, role: Role
) -> None:
    teams = await teams_to_pick(uow, user)
    buttons = [button(team.name, InviteCb(step=InviteStep.TEAM, team_id=team.id or 0)) for team in teams]
    buttons.append(button(t("invite-new-team"), InviteCb(step=InviteStep.NEW_TEAM)))
    await state.set_state(InviteFlow.choosing_team)
    await show(
        query, t("invite-choose-team", role=role_name(t, role)),
        grid(buttons, t, back=InviteCb(step=InviteStep.BACK), per_row=2),
    )


@routes.callback_query(InviteFlow.choosing_team, InviteCb.filter(F.step == InviteStep.TEAM))
async def on_team_chosen(
    query: CallbackQuery, callback_data: InviteCb, user: User, uow: UnitOfWork, state: FSMContext,
    t: Translate, clock: Clock, bot: Bot, lang: Language,
) -> None:
    data = await state.get_data()
    if "role" not in data:
        await query.answer(t("stale-button"), show_alert=True)
        return
    await finish_invite(query, user, Role(data["role"]), callback_data.team_id, uow, state, t, clock, bot, lang)


@routes.callback_query(InviteFlow.choosing_team, InviteCb.filter(F.step == InviteStep.NEW_TEAM))
async def on_new_team(query: CallbackQuery, state: FSMContext, t: Translate) -> None:
    await state.set_state(InviteFlow.entering_team_name)
    await show(query, t("invite-enter-team-name"), grid([], t, back=InviteCb(step=InviteStep.BACK)))


@routes.callback_query(
    StateFilter(InviteFlow.choosing_team, InviteFlow.entering_team_name), InviteCb.filter(F.step == InviteStep.BACK)
)
async def on_back(query: CallbackQuery, user: User, uow: TeamsWork, state: FSMContext, t: Translate) -> None:
    data = await state.get_data()
    if await state.get_state() == InviteFlow.entering_team_name.state and "role" in data:
        await show_team_step(query, user, uow, state, t, Role(data["role"]))
        return
    await state.set_state(InviteFlow.choosing_role)
    await show(query, t("invite-choose-role"), role_keyboard(t, user))


@routes.message(InviteFlow.entering_team_name, F.text)
async def on_team_name(
    message: Message, user: User, uow: UnitOfWork, state: FSMContext, t: Translate, clock: Clock,
    bot: Bot, lang: Language,
) -> None:
    with refusing(leave_flow=True):
        require(user, Ability.WORK_IN_ANY_TEAM)
    name = " ".join((message.text or "").split())
    if not 1 <= len(name) <= 64 or name.startswith("/"):
        await message.answer(t("error-team-name"))
        return
    data = await state.get_data()
    if "role" not in data:
        await state.clear()
        await message.answer(t("stale-flow"))
        return
    timezone = (await own_team(uow, user)).timezone
    team = await onboarding.ensure_team(uow, name=name, timezone=timezone, now=clock.now())
    assert team.id is not None
    await finish_invite(message, user, Role(data["role"]), team.id, uow, state, t, clock, bot, lang)


@routes.message(StateFilter(InviteFlow), ~F.text.startswith("/"))
async def on_invite_unexpected(message: Message, state: FSMContext, t: Translate) -> None:
    current = await state.get_state()
    key = "invite-expect-team-name" if current == InviteFlow.entering_team_name.state else "expect-button"
    await message.answer(t(key))


async def finish_invite(
    event: Message | CallbackQuery, user: User, role: Role, team_id: int, uow: UnitOfWork,
    state: FSMContext, t: Translate, clock: Clock, bot: Bot, lang: Language,
) -> None:
    with refusing(leave_flow=True):
        code, invite = await onboarding.create_invite(uow, actor=user, role=role, team_id=team_id, now=clock.now())
    team = await team_in_reach(uow, user, team_id)
    await state.clear()
    await show(
        event,
        t(
            "invite-ready", role=role_name(t, role), team=h(team.name), link=await invite_link(bot, code),
            expires=when(invite.expires_at, team.timezone, lang),
        ),
    )
