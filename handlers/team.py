"""/team: members, roles and status; deactivate or reactivate someone, with a confirmation."""

from __future__ import annotations

import enum
from collections.abc import Sequence

from aiogram import F
from aiogram.filters import Command
from aiogram.filters.callback_data import CallbackData
from aiogram.types import CallbackQuery, InlineKeyboardMarkup, Message

from bot.callbacks import Id, Page
from bot.formatting import date_only, h
from bot.i18n import Translate
from bot.keyboards import button, grid, keyboard
from bot.routing import Routes
from domain.clock import Clock
from domain.errors import Forbidden
from domain.permissions import Ability, may_manage_member, require
from domain.ports import UnitOfWork
from domain.team import onboarding
from domain.team.model import Language, Team, User
from domain.team.ports import PeopleWork, TeamsWork
from domain.team.queries import member_in_reach, team_in_reach, teams_to_pick
from handlers.common import role_name, show

routes = Routes(__name__)
PAGE = 8


class TeamAction(enum.StrEnum):
    # The values are what buttons already sent carry: they stay, so those buttons keep working.
    TEAMS = "teams"  # the admin's list of teams
    MEMBERS = "list"  # a team's members, a page of them
    MEMBER = "member"  # one member's card
    ASK_DEACTIVATE = "ask_off"
    ASK_REACTIVATE = "ask_on"
    DEACTIVATE = "off"  # confirmed
    REACTIVATE = "on"  # confirmed


class TeamCb(CallbackData, prefix="team"):
    action: TeamAction
    team_id: Id = 0
    user_id: Id = 0
    page: Page = 0


def member_line(t: Translate, member: User) -> str:
    status = t("team-status-active") if member.active else t("team-status-inactive")
    unreachable = "" if member.reachable else " " + t("team-unreachable")
    return f"• {h(member.name)} — {role_name(t, member.role)} · {status}{unreachable}"


def members_screen(
    t: Translate, team: Team, members: Sequence[User], page: int, back_to_teams: bool
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
        button(
            m.name if m.active else f"⏸ {m.name}",
            TeamCb(action=TeamAction.MEMBER, team_id=team.id, user_id=m.id or 0, page=page),
        )
        for m in chunk
    ]
    paging = []
    if page > 0:
        paging.append(button(t("btn-prev"), TeamCb(action=TeamAction.MEMBERS, team_id=team.id, page=page - 1)))
    if page < pages - 1:
        paging.append(button(t("btn-next"), TeamCb(action=TeamAction.MEMBERS, team_id=team.id, page=page + 1)))
    back = TeamCb(action=TeamAction.TEAMS) if back_to_teams else None
    return "\n".join(lines), grid(buttons, t, back=back, cancel=False, per_row=2, extra_rows=[paging] if paging else ())


def teams_screen(t: Translate, teams: Sequence[Team]) -> tuple[str, InlineKeyboardMarkup]:
    buttons = [button(team.name, TeamCb(action=TeamAction.MEMBERS, team_id=team.id or 0)) for team in teams]
    return t("team-choose"), grid(buttons, t, cancel=False, per_row=2)


@routes.message(Command("team"))
async def cmd_team(message: Message, user: User, uow: UnitOfWork, t: Translate) -> None:
    require(user, Ability.MANAGE_TEAM)
    teams = await teams_to_pick(uow, user)
    if len(teams) > 1:
        text, markup = teams_screen(t, teams)
        await message.answer(text, reply_markup=markup)
        return
    await send_members(message, user, uow, t, user.team_id, 0)


async def send_members(
    event: Message | CallbackQuery, user: User, uow: UnitOfWork, t: Translate, team_id: int, page: int
) -> None:
    team, members = await onboarding.team_members(uow, actor=user, team_id=team_id)
    back_to_teams = len(await teams_to_pick(uow, user)) > 1
    text, markup = members_screen(t, team, members, page, back_to_teams)
    await show(event, text, markup)


@routes.callback_query(TeamCb.filter(F.action == TeamAction.TEAMS))
async def on_teams(query: CallbackQuery, user: User, uow: TeamsWork, t: Translate) -> None:
    require(user, Ability.WORK_IN_ANY_TEAM)
    text, markup = teams_screen(t, await teams_to_pick(uow, user))
    await show(query, text, markup)


@routes.callback_query(TeamCb.filter(F.action == TeamAction.MEMBERS))
async def on_members(query: CallbackQuery, callback_data: TeamCb, user: User, uow: UnitOfWork, t: Translate) -> None:
    await send_members(query, user, uow, t, callback_data.team_id, callback_data.page)


def member_card(t: Translate, lang: Language, actor: User, member: User, team: Team, page: int) -> tuple[str, InlineKeyboardMarkup]:
    text = t(
        "team-member-card", name=h(member.name), role=role_name(t, member.role),
        status=t("team-status-active") if member.active else t("team-status-inactive"),
        joined=date_only(member.created_at, team.timezone, lang) if member.created_at else "-",
        username=f"@{member.username}" if member.username else "-",
    )
    if not member.reachable:
        text += "\n" + t("team-member-unreachable")
    assert member.id is not None and team.id is not None
    actions = []
    if may_manage_member(actor, member):
        if member.active:
            ask = TeamCb(action=TeamAction.ASK_DEACTIVATE, team_id=team.id, user_id=member.id, page=page)
            actions.append(button(t("team-btn-deactivate"), ask))
        else:
            ask = TeamCb(action=TeamAction.ASK_REACTIVATE, team_id=team.id, user_id=member.id, page=page)
            actions.append(button(t("team-btn-reactivate"), ask))
    back = button(t("btn-back"), TeamCb(action=TeamAction.MEMBERS, team_id=team.id, page=page))
    return text, keyboard(actions, [back])


@routes.callback_query(TeamCb.filter(F.action == TeamAction.MEMBER))
async def on_member(
    query: CallbackQuery, callback_data: TeamCb, user: User, uow: PeopleWork, t: Translate, lang: Language
) -> None:
    member = await member_in_reach(uow, user, callback_data.user_id)
    team = await team_in_reach(uow, user, member.team_id)
    text, markup = member_card(t, lang, user, member, team, callback_data.page)
    await show(query, text, markup)


@routes.callback_query(TeamCb.filter(F.action.in_({TeamAction.ASK_DEACTIVATE, TeamAction.ASK_REACTIVATE})))
async def on_ask_confirm(query: CallbackQuery, callback_data: TeamCb, user: User, uow: PeopleWork, t: Translate) -> None:
    member = await member_in_reach(uow, user, callback_data.user_id)
    if not may_manage_member(user, member):
        raise Forbidden("error-cannot-manage-member")
    turning_off = callback_data.action is TeamAction.ASK_DEACTIVATE
    assert member.id is not None
    confirm = TeamCb(
        action=TeamAction.DEACTIVATE if turning_off else TeamAction.REACTIVATE, team_id=member.team_id,
        user_id=member.id, page=callback_data.page,
    )
    back = TeamCb(action=TeamAction.MEMBER, team_id=member.team_id, user_id=member.id, page=callback_data.page)
    text = t("team-confirm-deactivate" if turning_off else "team-confirm-reactivate", name=h(member.name))
    await show(
        query, text,
        keyboard(
            [button(t("team-btn-confirm-deactivate" if turning_off else "team-btn-confirm-reactivate"), confirm)],
            [button(t("btn-back"), back)],
        ),
    )


@routes.callback_query(TeamCb.filter(F.action.in_({TeamAction.DEACTIVATE, TeamAction.REACTIVATE})))
async def on_confirmed(
    query: CallbackQuery, callback_data: TeamCb, user: User, uow: UnitOfWork, t: Translate, clock: Clock,
    lang: Language,
) -> None:
    active = callback_data.action is TeamAction.REACTIVATE
    member = await onboarding.set_member_active(
        uow, actor=user, user_id=callback_data.user_id, active=active, now=clock.now()
    )
    team = await team_in_reach(uow, user, member.team_id)
    text, markup = member_card(t, lang, user, member, team, callback_data.page)
    done = t("team-done-reactivated" if active else "team-done-deactivated", name=h(member.name))
    await show(query, done + "\n\n" + text, markup)
