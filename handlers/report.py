"""/report: the review (复盘). Period buttons, then the key numbers in chat (edited in place) and one
picture (the funnel and the time in each stage). Managers see their team, admins any team or the whole
organisation (🌐), reps their own deals. `/report 2026-11-01 2026-11-15` (or `11-01 11-15`) asks for
any span of days."""

from __future__ import annotations

import asyncio
import contextlib
import enum
import re
from datetime import date, timedelta

from aiogram import F
from aiogram.exceptions import TelegramBadRequest
from aiogram.filters import Command, CommandObject
from aiogram.filters.callback_data import CallbackData
from aiogram.fsm.context import FSMContext
from aiogram.types import BufferedInputFile, CallbackQuery, InlineKeyboardMarkup, Message

from bot.callbacks import Id, Index, Page
from bot.charts import draw_report
from bot.i18n import Translate
from bot.keyboards import button, keyboard
from bot.pictures import Drawn, Easel, register_picture
from bot.render import register_action
from bot.routing import Routes
from domain.clock import Clock
from domain.errors import DomainError
from domain.outbox.model import Picture
from domain.permissions import Ability, can
from domain.ports import UnitOfWork
from domain.reports import digests, services
from domain.reports.export import plan_export
from domain.reports.model import Report, Sheet
from domain.reports.periods import PeriodKind
from domain.team.model import Language, User
from domain.team.queries import own_team
from domain.worktime import local
from handlers.common import refuse, show
from handlers.report_export import build_xlsx
from handlers.report_view import chart_text, period_text, summary

routes = Routes(__name__)
register_action(digests.OPEN_LAST_WEEK, "report-btn-last-week", lambda action: ReportCb(act=ReportAct.PERIOD, kind=1))
register_action(digests.MUTE, "report-btn-mute", lambda action: ReportCb(act=ReportAct.MUTE, kind=action.id))
PICKABLE = (PeriodKind.THIS_WEEK, PeriodKind.LAST_WEEK, PeriodKind.THIS_MONTH, PeriodKind.LAST_30_DAYS)
DAY = re.compile(r"^(?:(\d{4})[-/.])?(\d{1,2})[-/.](\d{1,2})$")


class ReportAct(enum.StrEnum):
    PERIOD = "p"  # show the report of PICKABLE[kind]
    CUSTOM = "c"  # how to ask for other days
    CLOSE = "x"
    MUTE = "m"  # switch off the digest DIGEST_KINDS[kind] (its 🔕 button)
    DIGESTS = "d"  # my digests, each on or off
    SWITCH = "s"  # switch DIGEST_KINDS[kind] on or off (org: on)
    EXPORT = "e"  # the period's deals, activities and quotes as an XLSX


class ReportCb(CallbackData, prefix="rpt"):
    act: ReportAct
    kind: Index = 0  # PICKABLE[kind]; CUSTOM_INDEX: the days from `first` (an ordinal) for `span` days
    org: bool = False  # an admin's whole organisation
    first: Id = 0
    span: Page = 0


CUSTOM_INDEX = len(PICKABLE)
PROGRESS_EVERY = 10_000  # rows between edits of the export's status message

def picker(t: Translate, user: User, org: bool = False, shown: ReportCb | None = None) -> InlineKeyboardMarkup:
    periods = [
        button(t(f"report-period-{kind.value}"), ReportCb(act=ReportAct.PERIOD, kind=index, org=org))
        for index, kind in enumerate(PICKABLE)
    ]
    extra = [button(t("report-btn-custom"), ReportCb(act=ReportAct.CUSTOM, org=org))]
    if services.digests_for(user):
        extra.append(button(t("report-btn-digests"), ReportCb(act=ReportAct.DIGESTS)))
    if can(user, Ability.WORK_IN_ANY_TEAM):
        extra.append(button(t("report-btn-team" if org else "report-btn-org"), ReportCb(act=ReportAct.PERIOD, kind=-1, org=not org)))
    export = [button(t("report-btn-export"), shown.model_copy(update={"act": ReportAct.EXPORT}))] if shown else []
    return keyboard(periods[:2], periods[2:], extra, export, [button(t("btn-cancel"), ReportCb(act=ReportAct.CLOSE))])


def parse_day(text: str, today: date) -> date | None:
    match = DAY.match(text.strip())
    if match is None:
        return None
    year, month, day = match.groups()
    try:
        return date(int(year) if year else today.year, int(month), int(day))
    except ValueError:
        return None


async def send_report(
    event: Message | CallbackQuery, user: User, uow: UnitOfWork, t: Translate, lang: Language, clock: Clock,
    kind: PeriodKind, *, org: bool = False, first: date | None = None, last: date | None = None,
) -> None:
    try:
        report = await services.build_report(uow, user, kind, clock.now(), first=first, last=last, whole_org=org)
    except DomainError as error:
        await refuse(event, t, error)
        return
    shown = ReportCb(act=ReportAct.PERIOD, kind=CUSTOM_INDEX, org=org, first=report.period.first_day.toordinal(),
                     span=report.period.days)
    if kind in PICKABLE:
        shown = ReportCb(act=ReportAct.PERIOD, kind=PICKABLE.index(kind), org=org)
    await show(event, summary(t, lang, report), picker(t, user, org, shown))
    await send_chart(event, t, report)


async def send_chart(event: Message | CallbackQuery, t: Translate, report: Report) -> None:
    # Drawing takes a few hundred milliseconds of CPU: off the event loop.
    chart = await asyncio.to_thread(draw_report, chart_text(t, report))
    message = event.message if isinstance(event, CallbackQuery) else event
    if not isinstance(message, Message) or message.bot is None:
        return
    name = f"report-{report.period.first_day:%Y%m%d}-{report.period.last_day:%Y%m%d}.png"
    await message.bot.send_photo(message.chat.id, BufferedInputFile(chart.png, filename=name))


async def draw_team_chart(easel: Easel, picture: Picture) -> Drawn:
    """The weekly review's picture (domain/reports/digests.py week_chart): the team's funnel and stage times
    over the days it names, labelled in the recipient's language. Drawn once per language in a delivery
    run: a team's managers, sent to at the same moment, share one drawing."""
    async with easel.new_uow() as uow:
        person = await uow.users.get(easel.recipient_id) if easel.recipient_id is not None else None
    language = person.language if person is not None and person.language else easel.default_language
    key = (picture.ref, language)
    if key not in easel.memo:
        easel.memo[key] = asyncio.ensure_future(_team_chart(easel, picture, language))
    drawn: Drawn = await asyncio.shield(easel.memo[key])
    return drawn


async def _team_chart(easel: Easel, picture: Picture, language: Language) -> Drawn:
    team_id, first, last = int(picture.args[0]), date.fromisoformat(picture.args[1]), date.fromisoformat(picture.args[2])
    async with easel.new_uow() as uow:
        report = await services.chart_report(uow, team_id, first, last)
    chart = await asyncio.to_thread(draw_report, chart_text(easel.translator(language), report))
    return Drawn(chart.png, f"report-{first:%Y%m%d}-{last:%Y%m%d}.png")


register_picture(digests.WEEK_CHART, draw_team_chart)


@routes.message(Command("report"), F.chat.type == "private")
async def cmd_report(
    message: Message, command: CommandObject, user: User, uow: UnitOfWork, state: FSMContext, t: Translate,
    lang: Language, clock: Clock,
) -> None:
    await state.clear()
    if not can(user, Ability.SEE_REPORTS):
        await message.answer(t("error-report-role"))
        return
    words = (command.args or "").split()
    if not words:
        await message.answer(t("report-pick"), reply_markup=picker(t, user))
        return
    today = local(clock.now(), (await own_team(uow, user)).timezone).date()
    days = [parse_day(word, today) for word in words[:2]]
    if len(words) > 2 or any(day is None for day in days):
        await message.answer(t("report-custom-hint"))
        return
    first, last = days[0], days[-1]
    await send_report(message, user, uow, t, lang, clock, PeriodKind.CUSTOM, first=first, last=last)


@routes.callback_query(ReportCb.filter(F.act == ReportAct.PERIOD))
async def on_period(
    query: CallbackQuery, callback_data: ReportCb, user: User, uow: UnitOfWork, t: Translate, lang: Language,
    clock: Clock,
) -> None:
    if not can(user, Ability.SEE_REPORTS):
        await query.answer(t("error-report-role"), show_alert=True)
        return
    chosen = chosen_period(callback_data)
    if chosen is None:  # the org / team switch: pick the period again
        await show(query, t("report-pick"), picker(t, user, callback_data.org))
        return
    kind, first, last = chosen
    await send_report(query, user, uow, t, lang, clock, kind, org=callback_data.org, first=first, last=last)


def chosen_period(data: ReportCb) -> tuple[PeriodKind, date | None, date | None] | None:
    if 0 <= data.kind < len(PICKABLE):
        return PICKABLE[data.kind], None, None
    if data.kind == CUSTOM_INDEX and data.first > 0 and data.span > 0:
        try:
            first = date.fromordinal(data.first)
            return PeriodKind.CUSTOM, first, first + timedelta(days=data.span - 1)
        except (ValueError, OverflowError):
            return None
    return None


@routes.callback_query(ReportCb.filter(F.act == ReportAct.EXPORT))
async def on_export(
    query: CallbackQuery, callback_data: ReportCb, user: User, uow: UnitOfWork, t: Translate, clock: Clock,
) -> None:
    chosen = chosen_period(callback_data)
    message = query.message
    if chosen is None or not isinstance(message, Message) or message.bot is None:
        await query.answer(t("stale-button"), show_alert=True)
        return
    kind, first, last = chosen
    export = await plan_export(uow, user, kind, clock.now(), uow.reports, first=first, last=last, whole_org=callback_data.org)
    if export.total == 0:
        await query.answer(t("report-export-empty"), show_alert=True)
        return
    await query.answer()
    bot, chat = message.bot, message.chat.id
    period = period_text(t, export.period)
    status = await bot.send_message(chat, t("report-export-start", period=period, total=export.total))
    shown = 0

    async def progress(done: int) -> None:
        nonlocal shown
        if done - shown >= PROGRESS_EVERY and done < export.total:
            shown = done
            with contextlib.suppress(TelegramBadRequest):
                await bot.edit_message_text(
                    t("report-export-progress", period=period, done=done, total=export.total),
                    chat_id=chat, message_id=status.message_id,
                )

    data, count = await build_xlsx(uow.reports, export, t, progress)
    name = f"report-{export.period.first_day:%Y%m%d}-{export.period.last_day:%Y%m%d}.xlsx"
    await bot.send_document(chat, BufferedInputFile(data, filename=name))
    with contextlib.suppress(TelegramBadRequest):
        await bot.edit_message_text(
            t("report-export-done", period=period, total=count, deals=export.counts[Sheet.DEALS],
              activities=export.counts[Sheet.ACTIVITIES], quotes=export.counts[Sheet.QUOTES]),
            chat_id=chat, message_id=status.message_id,
        )


@routes.callback_query(ReportCb.filter(F.act == ReportAct.CUSTOM))
async def on_custom(query: CallbackQuery, t: Translate) -> None:
    await query.answer(t("report-custom-hint"), show_alert=True)


@routes.callback_query(ReportCb.filter(F.act == ReportAct.CLOSE))
async def on_close(query: CallbackQuery, t: Translate) -> None:
    await show(query, t("report-closed-menu"), None)


async def show_digests(event: Message | CallbackQuery, user: User, uow: UnitOfWork, t: Translate) -> None:
    settings = await services.digest_settings(uow, user)
    rows = [
        [button(
            t("report-digest-on" if on else "report-digest-off", name=t(f"report-digest-name-{kind}")),
            ReportCb(act=ReportAct.SWITCH, kind=digests.MUTE_ID[kind], org=not on),
        )]
        for kind, on in settings.items()
    ]
    rows.append([button(t("btn-back"), ReportCb(act=ReportAct.PERIOD, kind=-1))])
    await show(event, t("report-digests"), keyboard(*rows))


def _kind(index: int) -> str | None:
    return digests.DIGEST_KINDS[index] if 0 <= index < len(digests.DIGEST_KINDS) else None


@routes.callback_query(ReportCb.filter(F.act == ReportAct.DIGESTS))
async def on_digests(query: CallbackQuery, user: User, uow: UnitOfWork, t: Translate) -> None:
    await show_digests(query, user, uow, t)


@routes.callback_query(ReportCb.filter(F.act == ReportAct.SWITCH))
async def on_switch(query: CallbackQuery, callback_data: ReportCb, user: User, uow: UnitOfWork, t: Translate) -> None:
    kind = _kind(callback_data.kind)
    if kind is None:
        await query.answer(t("stale-button"), show_alert=True)
        return
    await services.switch_digest(uow, user, kind, on=callback_data.org)
    await show_digests(query, user, uow, t)


@routes.callback_query(ReportCb.filter(F.act == ReportAct.MUTE))
async def on_mute(query: CallbackQuery, callback_data: ReportCb, user: User, uow: UnitOfWork, t: Translate) -> None:
    kind = _kind(callback_data.kind)
    if kind is None:
        await query.answer(t("stale-button"), show_alert=True)
        return
    await services.switch_digest(uow, user, kind, on=False)
    await query.answer(t("report-muted", name=t(f"report-digest-name-{kind}")), show_alert=True)
