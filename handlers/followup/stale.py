"""/stale: a manager's list of the team's silent deals and follow-ups nudged and not acted on, by rep,
the longest silence first, paged. Each line opens the deal card or starts the reassign steps of /assign
(handlers/deals.py), which re-check everything on every press."""

from __future__ import annotations

import enum

from aiogram import F
from aiogram.filters import Command
from aiogram.filters.callback_data import CallbackData
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, InlineKeyboardButton, InlineKeyboardMarkup, Message

from bot.callbacks import Id, Page
from bot.formatting import h, when
from bot.i18n import Translate
from bot.keyboards import button, keyboard
from bot.render import register_action
from bot.routing import Routes
from domain.clock import Clock
from domain.followup import silence
from domain.followup import stale as stale_service
from domain.followup.rules import Flag, StaleGroup, StaleItem
from domain.outbox.kinds import Family
from domain.ports import UnitOfWork
from domain.team.model import Language, Team, User
from domain.team.queries import own_team
from handlers.common import show
from handlers.pipeline_ui import DealCb, deal_name, stage_name

routes = Routes(__name__)
PER_PAGE = 8


class StaleAction(enum.StrEnum):
    # The values are what buttons already sent carry: they stay, so those buttons keep working.
    PAGE = "page"  # show a page of the report
    PING = "ping"  # ask the deal's owner to follow up


class StaleCb(CallbackData, prefix="stl"):
    action: StaleAction
    page: Page = 0
    deal_id: Id = 0


register_action(Family.STALE.value.action, "outbox-digest-btn-stale", lambda action: StaleCb(action=StaleAction.PAGE))


def item_lines(t: Translate, lang: Language, team: Team, number: int, item: StaleItem) -> list[str]:
    silence = "stale-report-silent" if Flag.SILENT in item.flags else "stale-report-quiet"
    lines = [t(
        "stale-report-line", n=number, deal=deal_name(item.company, item.title), stage=stage_name(t, item.stage),
        silence=t(silence, days=item.idle_days, limit=item.limit_days),
    )]
    notes = []
    if item.overdue_since is not None:
        notes.append(t("stale-report-overdue", since=when(item.overdue_since, team.timezone, lang)))
    if Flag.NO_STEP in item.flags:
        notes.append(t("stale-report-no-step"))
    if notes:
        lines.append("   " + t("list-separator").join(notes))
    return lines


def report_screen(
    t: Translate, lang: Language, team: Team, groups: list[StaleGroup], page: int
) -> tuple[str, InlineKeyboardMarkup | None]:
    flat = [(group, item) for group in groups for item in group.items]
    if not flat:
        return t("stale-report-empty"), None
    pages = max(1, -(-len(flat) // PER_PAGE))
    page = min(max(page, 0), pages - 1)
    lines = [t("stale-report-title", total=len(flat), reps=len(groups))]
    if pages > 1:
        lines.append(t("deals-page", page=page + 1, pages=pages))
    rows: list[list[InlineKeyboardButton]] = []
    shown_rep: int | None = None
    for number, (group, item) in enumerate(flat[page * PER_PAGE : (page + 1) * PER_PAGE], start=page * PER_PAGE + 1):
        if group.rep_id != shown_rep:
            shown_rep = group.rep_id
            lines.extend(["", t("stale-report-rep", rep=h(group.rep_name), count=len(group.items))])
        lines.extend(item_lines(t, lang, team, number, item))
        rows.append([
            button(f"{number}. {item.company} · {group.rep_name}", DealCb(act="open", id=item.opportunity_id)),
            button(t("stale-btn-ping"), StaleCb(action=StaleAction.PING, page=page, deal_id=item.opportunity_id)),
            button(t("deal-btn-reassign"), DealCb(act="re", id=item.opportunity_id)),
        ])
    lines.extend(["", t("stale-report-hint")])
    paging = []
    if page > 0:
        paging.append(button(t("btn-prev"), StaleCb(action=StaleAction.PAGE, page=page - 1)))
    if page < pages - 1:
        paging.append(button(t("btn-next"), StaleCb(action=StaleAction.PAGE, page=page + 1)))
    return "\n".join(lines), keyboard(*rows, paging)


async def show_report(
    event: Message | CallbackQuery, user: User, uow: UnitOfWork, t: Translate, lang: Language, clock: Clock,
    page: int,
) -> None:
    groups = await stale_service.stale_report(uow, viewer=user, now=clock.now())
    text, markup = report_screen(t, lang, await own_team(uow, user), groups, page)
    await show(event, text, markup)


@routes.message(Command("stale"), F.chat.type == "private")
async def cmd_stale(
    message: Message, user: User, uow: UnitOfWork, state: FSMContext, t: Translate, lang: Language, clock: Clock
) -> None:
    await state.clear()
    await show_report(message, user, uow, t, lang, clock, 0)


@routes.callback_query(StaleCb.filter(F.action == StaleAction.PAGE))
async def on_page(
    query: CallbackQuery, callback_data: StaleCb, user: User, uow: UnitOfWork, t: Translate, lang: Language,
    clock: Clock,
) -> None:
    await show_report(query, user, uow, t, lang, clock, callback_data.page)


@routes.callback_query(StaleCb.filter(F.action == StaleAction.PING))
async def on_ping(
    query: CallbackQuery, callback_data: StaleCb, user: User, uow: UnitOfWork, t: Translate, lang: Language,
    clock: Clock,
) -> None:
    now = clock.now()
    ping = await silence.ping_owner(uow, actor=user, opportunity_id=callback_data.deal_id, now=now)
    names = {"owner": h(ping.owner_name), "company": h(ping.company)}
    if ping.goes_at > now:
        team = await own_team(uow, user)
        text = t("stale-pinged-later", at=when(ping.goes_at, team.timezone, lang), **names)
    else:
        text = t("stale-pinged", **names)
    await query.answer(text, show_alert=True)
