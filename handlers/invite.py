"""/invite: a manager or admin picks a role (and a team) by buttons and gets a one-time link."""

from __future__ import annotations

from aiogram import Bot, F
from aiogram.filters import Command, StateFilter
from aiogram.filters.callback_data import CallbackData
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import CallbackQuery, InlineKeyboardMarkup, Message

from bot.formatting import h, when
from bot.i18n import Translate
from bot.keyboards import button, grid
from bot.routing import Routes
from domain.clock import Clock
from domain.errors import DomainError
from domain.permissions import invitable_roles
from domain.team import onboarding
from domain.team.model import Language, Role, User
from handlers.common import refuse, role_name, show
from storage.uow import SqlUnitOfWork

routes = Routes(__name__)


class InviteFlow(StatesGroup):
    choosing_role = State()
    choosing_team = State()
    entering_team_name = State()


class InviteCb(CallbackData, prefix="inv"):
    step: str  # role | team | newteam | back
    value: str = ""


async def invite_link(bot: Bot, code: str) -> str:
    me = await bot.me()
    return f"https://t.me/{me.username}?start={code}"


def role_keyboard(t: Translate, user: User) -> InlineKeyboardMarkup:
    roles = invitable_roles(user)
    return grid([button(role_name(t, r), InviteCb(step="role", value=r.value)) for r in roles], t)


@routes.message(Command("invite"))
async def cmd_invite(message: Message, user: User, state: FSMContext, t: Translate) -> None:
    if not invitable_roles(user):
        await message.answer(t("error-invite-not-allowed"))
        return
    await state.set_state(InviteFlow.choosing_role)
    await message.answer(t("invite-choose-role"), reply_markup=role_keyboard(t, user))


@routes.callback_query(InviteFlow.choosing_role, InviteCb.filter(F.step == "role"))
async def on_role_chosen(
    query: CallbackQuery, callback_data: InviteCb, user: User, uow: SqlUnitOfWork, state: FSMContext,
    t: Translate, clock: Clock, bot: Bot, lang: Language,
) -> None:
    try:
        role = Role(callback_data.value)
    except ValueError:
        await query.answer(t("stale-button"), show_alert=True)
        return
    if role not in invitable_roles(user):
        await query.answer(t("error-invite-role", role=role_name(t, role)), show_alert=True)
        return
    await state.update_data(role=role.value)
    if user.role is Role.ADMIN:
        await show_team_step(query, uow, state, t, role)
        return
    await finish_invite(query, user, role, user.team_id, uow, state, t, clock, bot, lang)


async def show_team_step(
    query: CallbackQuery, uow: SqlUnitOfWork, state: FSMContext, t: Translate, role: Role
) -> None:
    teams = await uow.teams.list()
    buttons = [button(team.name, InviteCb(step="team", value=str(team.id))) for team in teams]
    buttons.append(button(t("invite-new-team"), InviteCb(step="newteam")))
    await state.set_state(InviteFlow.choosing_team)
    await show(
        query, t("invite-choose-team", role=role_name(t, role)),
        grid(buttons, t, back=InviteCb(step="back"), per_row=2),
    )


@routes.callback_query(InviteFlow.choosing_team, InviteCb.filter(F.step == "team"))
async def on_team_chosen(
    query: CallbackQuery, callback_data: InviteCb, user: User, uow: SqlUnitOfWork, state: FSMContext,
    t: Translate, clock: Clock, bot: Bot, lang: Language,
) -> None:
    data = await state.get_data()
    if not callback_data.value.isdigit() or "role" not in data:
        await query.answer(t("stale-button"), show_alert=True)
        return
    await finish_invite(query, user, Role(data["role"]), int(callback_data.value), uow, state, t, clock, bot, lang)


@routes.callback_query(InviteFlow.choosing_team, InviteCb.filter(F.step == "newteam"))
async def on_new_team(query: CallbackQuery, state: FSMContext, t: Translate) -> None:
    await state.set_state(InviteFlow.entering_team_name)
    await show(query, t("invite-enter-team-name"), grid([], t, back=InviteCb(step="back")))


@routes.callback_query(
    StateFilter(InviteFlow.choosing_team, InviteFlow.entering_team_name), InviteCb.filter(F.step == "back")
)
async def on_back(query: CallbackQuery, user: User, uow: SqlUnitOfWork, state: FSMContext, t: Translate) -> None:
    data = await state.get_data()
    if await state.get_state() == InviteFlow.entering_team_name.state and "role" in data:
        await show_team_step(query, uow, state, t, Role(data["role"]))
        return
    await state.set_state(InviteFlow.choosing_role)
    await show(query, t("invite-choose-role"), role_keyboard(t, user))


@routes.message(InviteFlow.entering_team_name, F.text)
async def on_team_name(
    message: Message, user: User, uow: SqlUnitOfWork, state: FSMContext, t: Translate, clock: Clock,
    bot: Bot, lang: Language,
) -> None:
    if user.role is not Role.ADMIN:
        await state.clear()
        await message.answer(t("error-forbidden"))
        return
    name = " ".join((message.text or "").split())
    if not 1 <= len(name) <= 64 or name.startswith("/"):
        await message.answer(t("error-team-name"))
        return
    data = await state.get_data()
    if "role" not in data:
        await state.clear()
        await message.answer(t("stale-flow"))
        return
    own_team = await uow.teams.get(user.team_id)
    timezone = own_team.timezone if own_team is not None else "Asia/Shanghai"
    try:
        team = await onboarding.ensure_team(uow, name=name, timezone=timezone, now=clock.now())
    except DomainError as error:
        await refuse(message, t, error)
        return
    assert team.id is not None
    await finish_invite(message, user, Role(data["role"]), team.id, uow, state, t, clock, bot, lang)


@routes.message(StateFilter(InviteFlow), ~F.text.startswith("/"))
async def on_invite_unexpected(message: Message, state: FSMContext, t: Translate) -> None:
    current = await state.get_state()
    key = "invite-expect-team-name" if current == InviteFlow.entering_team_name.state else "expect-button"
    await message.answer(t(key))


async def finish_invite(
    event: Message | CallbackQuery, user: User, role: Role, team_id: int, uow: SqlUnitOfWork,
    state: FSMContext, t: Translate, clock: Clock, bot: Bot, lang: Language,
) -> None:
    try:
        code, invite = await onboarding.create_invite(uow, actor=user, role=role, team_id=team_id, now=clock.now())
    except DomainError as error:
        await state.clear()
        await refuse(event, t, error)
        return
    team = await uow.teams.get(team_id)
    assert team is not None
    await state.clear()
    await show(
        event,
        t(
            "invite-ready", role=role_name(t, role), team=h(team.name), link=await invite_link(bot, code),
            expires=when(invite.expires_at, team.timezone, lang),
        ),
    )
