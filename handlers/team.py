"""/team: members, roles and status; deactivate or reactivate someone, with a confirmation."""

from __future__ import annotations

from collections.abc import Sequence

from aiogram import F
from aiogram.filters import Command
from aiogram.filters.callback_data import CallbackData
from aiogram.types import CallbackQuery, InlineKeyboardMarkup, Message

from bot.formatting import date_only, h
from bot.i18n import Translate
from bot.keyboards import button, grid, keyboard
from bot.routing import Routes
from domain.clock import Clock
from domain.errors import DomainError
from domain.permissions import may_manage_member
from domain.team import onboarding
from domain.team.model import Language, Role, Team, User
from handlers.common import refuse, role_name, show
from storage.uow import SqlUnitOfWork

routes = Routes(__name__)
PAGE = 8


class TeamCb(CallbackData, prefix="team"):
    action: str  # teams | list | member | ask_off | ask_on | off | on
    team_id: int = 0
    user_id: int = 0
    page: int = 0


def member_line(t: Translate, member: User) -> str:
    status = t("team-status-active") if member.active else t("team-status-inactive")
    unreachable = "" if member.reachable else " " + t("team-unreachable")
    return f"• {h(member.name)} — {role_name(t, member.role)} · {status}{unreachable}"


def members_screen(
    t: Translate, actor: User, team: Team, members: Sequence[User], page: int, team_count: int
) -> tuple[str, InlineKeyboardMarkup]:
    pages = max(1, (len(members) + PAGE - 1) // PAGE)
    page = min(max(page, 0), pages - 1)
    chunk = members[page * PAGE : (page + 1) * PAGE]
    active = sum(1 for m in members if m.active)
    lines = [t("team-title", team=h(team.name), active=active, total=len(members))]
    if pages > 1:
        lines.append(t("team-page", page=page + 1, pages=pages))
    lines.append("")
    lines.extend(member_line(t, m) for m in chunk)
    lines.extend(["", t("team-hint")])
    assert team.id is not None
    buttons = [
        button(m.name if m.active else f"⏸ {m.name}", TeamCb(action="member", team_id=team.id, user_id=m.id or 0, page=page))
        for m in chunk
    ]
    paging = []
    if page > 0:
        paging.append(button(t("btn-prev"), TeamCb(action="list", team_id=team.id, page=page - 1)))
    if page < pages - 1:
        paging.append(button(t("btn-next"), TeamCb(action="list", team_id=team.id, page=page + 1)))
    back = TeamCb(action="teams") if actor.role is Role.ADMIN and team_count > 1 else None
    return "\n".join(lines), grid(buttons, t, back=back, cancel=False, per_row=2, extra_rows=[paging] if paging else ())


async def teams_screen(uow: SqlUnitOfWork, t: Translate) -> tuple[str, InlineKeyboardMarkup]:
    teams = await uow.teams.list()
    buttons = [button(team.name, TeamCb(action="list", team_id=team.id or 0)) for team in teams]
    return t("team-choose"), grid(buttons, t, cancel=False, per_row=2)


@routes.message(Command("team"))
async def cmd_team(message: Message, user: User, uow: SqlUnitOfWork, t: Translate) -> None:
    if not user.is_manager_or_admin:
        await message.answer(t("error-forbidden"))
        return
    teams = await uow.teams.list() if user.role is Role.ADMIN else []
    if len(teams) > 1:
        text, markup = await teams_screen(uow, t)
        await message.answer(text, reply_markup=markup)
        return
    await send_members(message, user, uow, t, user.team_id, 0)


async def send_members(
    event: Message | CallbackQuery, user: User, uow: SqlUnitOfWork, t: Translate, team_id: int, page: int
) -> None:
    try:
        team, members = await onboarding.team_members(uow, actor=user, team_id=team_id)
    except DomainError as error:
        await refuse(event, t, error)
        return
    team_count = len(await uow.teams.list()) if user.role is Role.ADMIN else 1
    text, markup = members_screen(t, user, team, members, page, team_count)
    await show(event, text, markup)


@routes.callback_query(TeamCb.filter(F.action == "teams"))
async def on_teams(query: CallbackQuery, user: User, uow: SqlUnitOfWork, t: Translate) -> None:
    if user.role is not Role.ADMIN:
        await query.answer(t("error-forbidden"), show_alert=True)
        return
    text, markup = await teams_screen(uow, t)
    await show(query, text, markup)


@routes.callback_query(TeamCb.filter(F.action == "list"))
async def on_list(query: CallbackQuery, callback_data: TeamCb, user: User, uow: SqlUnitOfWork, t: Translate) -> None:
    await send_members(query, user, uow, t, callback_data.team_id, callback_data.page)


def member_card(t: Translate, lang: Language, actor: User, member: User, team: Team, page: int) -> tuple[str, InlineKeyboardMarkup]:
    text = t(
        "team-member-card", name=h(member.name), role=role_name(t, member.role),
        status=t("team-status-active") if member.active else t("team-status-inactive"),
        joined=date_only(member.created_at, team.timezone, lang) if member.created_at else "-",
        username=f"@{h(member.username)}" if member.username else "-",
    )
    if not member.reachable:
        text += "\n" + t("team-member-unreachable")
    assert member.id is not None and team.id is not None
    actions = []
    if may_manage_member(actor, member):
        if member.active:
            actions.append(button(t("team-btn-deactivate"), TeamCb(action="ask_off", team_id=team.id, user_id=member.id, page=page)))
        else:
            actions.append(button(t("team-btn-reactivate"), TeamCb(action="ask_on", team_id=team.id, user_id=member.id, page=page)))
    back = button(t("btn-back"), TeamCb(action="list", team_id=team.id, page=page))
    return text, keyboard(actions, [back])


@routes.callback_query(TeamCb.filter(F.action == "member"))
async def on_member(
    query: CallbackQuery, callback_data: TeamCb, user: User, uow: SqlUnitOfWork, t: Translate, lang: Language
) -> None:
    try:
        member = await onboarding.get_member(uow, actor=user, user_id=callback_data.user_id)
    except DomainError as error:
        await refuse(query, t, error)
        return
    team = await uow.teams.get(member.team_id)
    assert team is not None
    text, markup = member_card(t, lang, user, member, team, callback_data.page)
    await show(query, text, markup)


@routes.callback_query(TeamCb.filter(F.action.in_({"ask_off", "ask_on"})))
async def on_ask_confirm(query: CallbackQuery, callback_data: TeamCb, user: User, uow: SqlUnitOfWork, t: Translate) -> None:
    try:
        member = await onboarding.get_member(uow, actor=user, user_id=callback_data.user_id)
    except DomainError as error:
        await refuse(query, t, error)
        return
    if not may_manage_member(user, member):
        await query.answer(t("error-cannot-manage-member"), show_alert=True)
        return
    turning_off = callback_data.action == "ask_off"
    assert member.id is not None
    confirm = TeamCb(action="off" if turning_off else "on", team_id=member.team_id, user_id=member.id, page=callback_data.page)
    back = TeamCb(action="member", team_id=member.team_id, user_id=member.id, page=callback_data.page)
    text = t("team-confirm-deactivate" if turning_off else "team-confirm-reactivate", name=h(member.name))
    await show(
        query, text,
        keyboard(
            [button(t("team-btn-confirm-deactivate" if turning_off else "team-btn-confirm-reactivate"), confirm)],
            [button(t("btn-back"), back)],
        ),
    )


@routes.callback_query(TeamCb.filter(F.action.in_({"off", "on"})))
async def on_confirmed(
    query: CallbackQuery, callback_data: TeamCb, user: User, uow: SqlUnitOfWork, t: Translate, clock: Clock,
    lang: Language,
) -> None:
    active = callback_data.action == "on"
    try:
        member = await onboarding.set_member_active(uow, actor=user, user_id=callback_data.user_id, active=active, now=clock.now())
    except DomainError as error:
        await refuse(query, t, error)
        return
    team = await uow.teams.get(member.team_id)
    assert team is not None
    text, markup = member_card(t, lang, user, member, team, callback_data.page)
    done = t("team-done-reactivated" if active else "team-done-deactivated", name=h(member.name))
    await show(query, done + "\n\n" + text, markup)
