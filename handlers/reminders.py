"""/remind (when, then what), /reminders (list and cancel), and the nudge's Done / Snooze buttons."""

from __future__ import annotations

import enum
from datetime import datetime

from aiogram import Bot, F
from aiogram.filters import Command, CommandObject
from aiogram.filters.callback_data import CallbackData
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, InlineKeyboardMarkup, Message

from bot.callbacks import Count, Id, Page
from bot.formatting import h, when
from bot.i18n import Translate
from bot.keyboards import button, grid
from bot.render import register_action
from bot.routing import Routes
from domain.clock import Clock
from domain.errors import DomainError
from domain.outbox.model import Action
from domain.ports import UnitOfWork
from domain.reminders import services as service
from domain.reminders.model import ACTION_DONE, ACTION_SNOOZE, QuickTime, Reminder, ReminderPage, Snooze
from domain.team.model import Language, Team, User
from domain.team.queries import own_team
from domain.timeparse import ParsedWhen, Problem, parse_when, split_when
from handlers.common import command_words, error_text, refuse, show
from handlers.flow import Answers, Choice, Ctx, Done, Flow, Go, Input, Stay, Step, Transition, Typed, typed

routes = Routes(__name__)


class ReminderAction(enum.StrEnum):
    DONE = "done"
    SNOOZE = "snooze"
    CANCEL = "cancel"  # on the /reminders list
    PAGE = "page"


class ReminderCb(CallbackData, prefix="rmd"):
    action: ReminderAction
    id: Id = 0
    round: Count = 0  # the snooze round the nudge was for: a press on an older nudge is stale
    value: str = ""  # a Snooze choice
    page: Page = 0


register_action(
    ACTION_DONE, "reminder-btn-done", lambda a: ReminderCb(action=ReminderAction.DONE, id=a.id, round=int(a.arg or 0))
)


def _snooze_button(choice: Snooze) -> None:
    def to_callback(action: Action) -> ReminderCb:
        return ReminderCb(action=ReminderAction.SNOOZE, id=action.id, round=int(action.arg or 0), value=choice.value)

    register_action(ACTION_SNOOZE[choice], f"reminder-btn-snooze-{choice.value}", to_callback)


for _choice in Snooze:
    _snooze_button(_choice)


# --- /remind: when, then what (one message, edited in place, typed answers too) ----------------------------


async def when_choices(ctx: Ctx) -> list[Choice]:
    t, team = ctx.t, await own_team(ctx.uow, ctx.user)
    start = f"{team.work_start:%H:%M}"
    labels = {
        QuickTime.IN_1H: t("remind-btn-in-1h"),
        QuickTime.TOMORROW: t("remind-btn-tomorrow", time=start),
        QuickTime.IN_3D: t("remind-btn-in-3d"),
        QuickTime.NEXT_MONDAY: t("remind-btn-next-monday", time=start),
    }
    return [Choice(choice.value, label, {"quick": choice.value}) for choice, label in labels.items()]


def read_time(given: Input, ctx: Ctx) -> Answers | None:
    return {"typed": given.text} if isinstance(given, Typed) else None


def time_problem(t: Translate, parsed: ParsedWhen, typed: str, team: Team, lang: Language) -> str:
    """Why a typed time cannot be the reminder's: already past (as read), too far ahead, or unreadable."""
    if parsed.problem is Problem.PAST and parsed.read_as is not None:
        return t("remind-past-time", when=when(parsed.read_as, team.timezone, lang))
    return t("remind-too-far") if parsed.problem is Problem.TOO_FAR else t("remind-bad-time", input=h(typed[:40]))


async def on_when(ctx: Ctx, answers: Answers) -> Transition:
    t, team, now = ctx.t, await own_team(ctx.uow, ctx.user), ctx.clock.now()
    if "quick" in answers:
        due = service.quick_time(QuickTime(answers["quick"]), now, team)
    else:
        typed = str(answers["typed"])
        parsed = parse_when(typed, now, team.timezone, default_time=team.work_start)
        if parsed.at is None:
            return Stay(time_problem(t, parsed, typed, team, ctx.lang))
        due = parsed.at
    ctx.data["due"] = due.isoformat()
    if ctx.data.get("text"):  # typed after /remind already: the time was all that was missing
        return await on_what(ctx, {"text": ctx.data["text"]})
    return Go("what")


def due_of(ctx: Ctx) -> datetime | None:
    try:
        return datetime.fromisoformat(str(ctx.data["due"]))
    except (KeyError, ValueError):
        return None


async def remind_screen(ctx: Ctx) -> str:
    due = due_of(ctx)
    if ctx.step.name == "when" or due is None:
        text = ctx.data.get("text")
        ask = ctx.t("remind-ask-when-for", text=h(str(text))) if text else ctx.t("remind-ask-when")
    else:
        ask = ctx.t("remind-ask-what", when=when(due, (await own_team(ctx.uow, ctx.user)).timezone, ctx.lang))
    return f"{ctx.intro}\n\n{ask}" if ctx.intro else ask  # what was wrong with the line after /remind


async def on_what(ctx: Ctx, answers: Answers) -> Transition:
    due = due_of(ctx)
    if due is None:
        return Done(ctx.t("stale-flow"))
    try:
        reminder = await service.set_reminder(ctx.uow, owner=ctx.user, due_at=due, text=answers["text"], now=ctx.clock.now())
    except DomainError as error:
        if error.code != "error-reminder-past":
            raise
        return Go("when", ctx.t(error.code))
    team = await own_team(ctx.uow, ctx.user)
    return Done(ctx.t("remind-saved", when=when(reminder.due_at, team.timezone, ctx.lang), text=h(reminder.text)))


REMIND = Flow(
    "remind",
    (
        Step("when", choices=when_choices, per_row=2, parse=read_time, accept=on_when, back=None, expect="remind-expect-time"),
        Step("what", parse=typed("text", str), accept=on_what, back="when", expect="remind-expect-text"),
    ),
    screen=remind_screen, typed_in_place=True,
)


@routes.message(Command("remind"), F.chat.type == "private")
async def cmd_remind(
    message: Message, command: CommandObject, state: FSMContext, bot: Bot, t: Translate, lang: Language,
    uow: UnitOfWork, user: User, clock: Clock,
) -> None:
    """`/remind` asks when, then what. `/remind 明天下午3点 给张总回电话` (the time at either end) is set at
    once; what the line leaves out is asked, and nothing typed is lost."""
    await service.check_room(uow, owner=user)  # a full list is said at once, not after the time and text
    ctx = REMIND.context(message, state, bot, t, lang, uow, user, clock)
    typed = command_words(command)
    if not typed:
        await REMIND.start(ctx, {}, first="when")
        return
    team, now = await own_team(uow, user), clock.now()
    sentence = split_when(typed, now, team.timezone, default_time=team.work_start)
    if sentence is None:  # no time in it: it is what to remind of, and the time is asked
        await REMIND.start(ctx, {"text": typed}, first="when")
        return
    if sentence.when.at is None:  # a time already past, or too far ahead: said, and asked again
        problem = time_problem(t, sentence.when, typed, team, lang)
        await REMIND.start(ctx, {"text": sentence.rest} if sentence.rest else {}, first="when", intro=problem)
        return
    if not sentence.rest:
        await REMIND.start(ctx, {"due": sentence.when.at.isoformat()}, first="what")
        return
    try:
        reminder = await service.set_reminder(uow, owner=user, due_at=sentence.when.at, text=sentence.rest, now=now)
    except DomainError as error:
        if error.code != "error-reminder-text":
            raise
        problem = error_text(t, error)  # too long: typed again
        await REMIND.start(ctx, {"due": sentence.when.at.isoformat()}, first="what", intro=problem)
        return
    await message.answer(t("remind-saved", when=when(reminder.due_at, team.timezone, lang), text=h(reminder.text)))


REMIND.install(routes)


# --- the nudge: done and snooze ---------------------------------------------------------------------

def nudge_text(t: Translate, reminder: Reminder) -> str:
    return t("reminder-nudge", text=h(reminder.text))


@routes.callback_query(ReminderCb.filter(F.action == ReminderAction.DONE))
async def on_done(
    query: CallbackQuery, callback_data: ReminderCb, user: User, uow: UnitOfWork, t: Translate, clock: Clock
) -> None:
    try:
        reminder = await service.complete_reminder(
            uow, actor=user, reminder_id=callback_data.id, round=callback_data.round, now=clock.now()
        )
    except DomainError as error:
        await refuse(query, t, error)
        return
    await show(query, nudge_text(t, reminder) + "\n\n" + t("reminder-done"))


@routes.callback_query(ReminderCb.filter(F.action == ReminderAction.SNOOZE))
async def on_snooze(
    query: CallbackQuery, callback_data: ReminderCb, user: User, uow: UnitOfWork, t: Translate,
    lang: Language, clock: Clock,
) -> None:
    try:
        choice = Snooze(callback_data.value)
    except ValueError:
        await query.answer(t("stale-button"), show_alert=True)
        return
    try:
        reminder = await service.snooze_reminder(
            uow, actor=user, reminder_id=callback_data.id, round=callback_data.round, choice=choice, now=clock.now()
        )
    except DomainError as error:
        await refuse(query, t, error)
        return
    team = await own_team(uow, user)
    await show(
        query, nudge_text(t, reminder) + "\n\n" + t("reminder-snoozed", when=when(reminder.due_at, team.timezone, lang))
    )


# --- /reminders: the list, a page at a time, with a cancel button per reminder ------------------------

def list_screen(
    t: Translate, lang: Language, team: Team, listed: ReminderPage, notice: str = ""
) -> tuple[str, InlineKeyboardMarkup | None]:
    if not listed.items:
        return "\n\n".join(filter(None, [notice, t("reminders-empty")])), None
    page, pages = listed.page, listed.pages
    lines = [notice, ""] if notice else []
    lines.append(t("reminders-title", count=listed.total))
    if pages > 1:
        lines.append(t("reminders-page", page=page + 1, pages=pages))
    buttons = []
    for n, reminder in enumerate(listed.items, start=page * listed.per_page + 1):
        lines.append(t("reminders-line", n=n, when=when(reminder.due_at, team.timezone, lang), text=h(reminder.text)))
        buttons.append(button(t("reminders-btn-cancel", n=n), ReminderCb(action=ReminderAction.CANCEL, id=reminder.id or 0, page=page)))
    lines.extend(["", t("reminders-hint")])
    paging = []
    if page > 0:
        paging.append(button(t("btn-prev"), ReminderCb(action=ReminderAction.PAGE, page=page - 1)))
    if page < pages - 1:
        paging.append(button(t("btn-next"), ReminderCb(action=ReminderAction.PAGE, page=page + 1)))
    return "\n".join(lines), grid(buttons, cancel=False, extra_rows=[paging] if paging else ())


@routes.message(Command("reminders"), F.chat.type == "private")
async def cmd_reminders(message: Message, user: User, uow: UnitOfWork, t: Translate, lang: Language) -> None:
    team = await own_team(uow, user)
    text, markup = list_screen(t, lang, team, await service.list_reminders(uow, owner=user, page=0))
    await message.answer(text, reply_markup=markup)


@routes.callback_query(ReminderCb.filter(F.action == ReminderAction.PAGE))
async def on_list_page(
    query: CallbackQuery, callback_data: ReminderCb, user: User, uow: UnitOfWork, t: Translate, lang: Language
) -> None:
    team = await own_team(uow, user)
    text, markup = list_screen(t, lang, team, await service.list_reminders(uow, owner=user, page=callback_data.page))
    await show(query, text, markup)


@routes.callback_query(ReminderCb.filter(F.action == ReminderAction.CANCEL))
async def on_list_cancel(
    query: CallbackQuery, callback_data: ReminderCb, user: User, uow: UnitOfWork, t: Translate,
    lang: Language, clock: Clock,
) -> None:
    try:
        reminder = await service.cancel_reminder(uow, actor=user, reminder_id=callback_data.id, now=clock.now())
    except DomainError as error:
        await refuse(query, t, error)
        return
    team = await own_team(uow, user)
    listed = await service.list_reminders(uow, owner=user, page=callback_data.page)
    text, markup = list_screen(t, lang, team, listed, notice=t("reminders-cancelled", text=h(reminder.text)))
    await show(query, text, markup)
