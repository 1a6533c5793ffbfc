"""/remind (when, then what), /reminders (list and cancel), and the nudge's Done / Snooze buttons."""

from __future__ import annotations

import contextlib
from collections.abc import Sequence
from datetime import datetime

from aiogram import Bot, F
from aiogram.exceptions import TelegramBadRequest
from aiogram.filters import Command, StateFilter
from aiogram.filters.callback_data import CallbackData
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import CallbackQuery, InlineKeyboardMarkup, Message

from bot.formatting import h, when
from bot.i18n import Translate
from bot.keyboards import button, grid
from bot.render import register_action
from bot.routing import Routes
from domain.clock import Clock
from domain.errors import DomainError
from domain.outbox.model import Action
from domain.reminders import services as service
from domain.reminders.model import ACTION_DONE, ACTION_SNOOZE, QuickTime, Reminder, Snooze
from domain.team.model import Language, Team, User
from domain.timeparse import Problem, parse_when
from handlers.common import refuse, show
from storage.uow import SqlUnitOfWork

routes = Routes(__name__)
PAGE = 9


class RemindFlow(StatesGroup):
    choosing_time = State()
    entering_text = State()


class RemindFlowCb(CallbackData, prefix="rmf"):
    step: str  # when | back
    value: str = ""  # a QuickTime


class ReminderCb(CallbackData, prefix="rmd"):
    action: str  # done | snooze | cancel | page
    id: int = 0
    round: int = 0  # the snooze round the nudge was for: a press on an older nudge is stale
    value: str = ""  # a Snooze choice
    page: int = 0


register_action(ACTION_DONE, "reminder-btn-done", lambda a: ReminderCb(action="done", id=a.id, round=int(a.arg or 0)))


def _snooze_button(choice: Snooze) -> None:
    def to_callback(action: Action) -> ReminderCb:
        return ReminderCb(action="snooze", id=action.id, round=int(action.arg or 0), value=choice.value)

    register_action(ACTION_SNOOZE[choice], f"reminder-btn-snooze-{choice.value}", to_callback)


for _choice in Snooze:
    _snooze_button(_choice)


async def own_team(uow: SqlUnitOfWork, user: User) -> Team:
    team = await uow.teams.get(user.team_id)
    assert team is not None
    return team


# --- the flow's one message -------------------------------------------------------------------------

async def show_flow(
    event: Message | CallbackQuery, state: FSMContext, bot: Bot, text: str, markup: InlineKeyboardMarkup | None
) -> None:
    """The flow lives in one message: a button press edits it; a typed answer edits it too (it is the
    latest thing the bot said), and only when that fails a new message takes its place."""
    if isinstance(event, CallbackQuery):
        await show(event, text, markup)
        if isinstance(event.message, Message):
            await state.update_data(flow_msg=event.message.message_id)
        return
    message_id = (await state.get_data()).get("flow_msg")
    if isinstance(message_id, int):
        try:
            await bot.edit_message_text(text=text, chat_id=event.chat.id, message_id=message_id, reply_markup=markup)
            return
        except TelegramBadRequest as exc:
            if "not modified" in str(exc):
                return
    sent = await event.answer(text, reply_markup=markup)
    await state.update_data(flow_msg=sent.message_id)


async def reply_in_flow(
    message: Message, state: FSMContext, bot: Bot, text: str, markup: InlineKeyboardMarkup | None
) -> None:
    """An answer that explains (bad input): a new message that carries the step's buttons and becomes
    the flow's message; the old one loses its buttons so only one set stays live."""
    old = (await state.get_data()).get("flow_msg")
    if isinstance(old, int):
        with contextlib.suppress(TelegramBadRequest):
            await bot.edit_message_reply_markup(chat_id=message.chat.id, message_id=old, reply_markup=None)
    sent = await message.answer(text, reply_markup=markup)
    await state.update_data(flow_msg=sent.message_id)


# --- /remind: when ----------------------------------------------------------------------------------

def when_keyboard(t: Translate, team: Team) -> InlineKeyboardMarkup:
    start = f"{team.work_start:%H:%M}"
    labels = {
        QuickTime.IN_1H: t("remind-btn-in-1h"),
        QuickTime.TOMORROW: t("remind-btn-tomorrow", time=start),
        QuickTime.IN_3D: t("remind-btn-in-3d"),
        QuickTime.NEXT_MONDAY: t("remind-btn-next-monday", time=start),
    }
    buttons = [button(label, RemindFlowCb(step="when", value=choice.value)) for choice, label in labels.items()]
    return grid(buttons, t, per_row=2)


def what_keyboard(t: Translate) -> InlineKeyboardMarkup:
    return grid([], t, back=RemindFlowCb(step="back"))


@routes.message(Command("remind"), F.chat.type == "private")
async def cmd_remind(message: Message, user: User, uow: SqlUnitOfWork, state: FSMContext, t: Translate) -> None:
    team = await own_team(uow, user)
    await state.set_state(RemindFlow.choosing_time)
    sent = await message.answer(t("remind-ask-when"), reply_markup=when_keyboard(t, team))
    await state.set_data({"flow_msg": sent.message_id})


async def ask_what(
    event: Message | CallbackQuery, state: FSMContext, bot: Bot, t: Translate, lang: Language, team: Team,
    due: datetime,
) -> None:
    await state.update_data(due=due.isoformat())
    await state.set_state(RemindFlow.entering_text)
    await show_flow(event, state, bot, t("remind-ask-what", when=when(due, team.timezone, lang)), what_keyboard(t))


@routes.callback_query(RemindFlow.choosing_time, RemindFlowCb.filter(F.step == "when"))
async def on_quick_time(
    query: CallbackQuery, callback_data: RemindFlowCb, user: User, uow: SqlUnitOfWork, state: FSMContext,
    t: Translate, lang: Language, clock: Clock, bot: Bot,
) -> None:
    try:
        choice = QuickTime(callback_data.value)
    except ValueError:
        await query.answer(t("stale-button"), show_alert=True)
        return
    team = await own_team(uow, user)
    await ask_what(query, state, bot, t, lang, team, service.quick_time(choice, clock.now(), team))


@routes.message(RemindFlow.choosing_time, F.text, ~F.text.startswith("/"))
async def on_time_typed(
    message: Message, user: User, uow: SqlUnitOfWork, state: FSMContext, t: Translate, lang: Language,
    clock: Clock, bot: Bot,
) -> None:
    team = await own_team(uow, user)
    typed = message.text or ""
    parsed = parse_when(typed, clock.now(), team.timezone, default_time=team.work_start)
    if parsed.at is not None:
        await ask_what(message, state, bot, t, lang, team, parsed.at)
        return
    if parsed.problem is Problem.PAST and parsed.read_as is not None:
        text = t("remind-past-time", when=when(parsed.read_as, team.timezone, lang))
    elif parsed.problem is Problem.TOO_FAR:
        text = t("remind-too-far")
    else:
        text = t("remind-bad-time", input=h(typed[:40]))
    await reply_in_flow(message, state, bot, text, when_keyboard(t, team))


@routes.callback_query(RemindFlow.entering_text, RemindFlowCb.filter(F.step == "back"))
async def on_back_to_when(
    query: CallbackQuery, user: User, uow: SqlUnitOfWork, state: FSMContext, t: Translate, bot: Bot
) -> None:
    team = await own_team(uow, user)
    await state.set_state(RemindFlow.choosing_time)
    await show_flow(query, state, bot, t("remind-ask-when"), when_keyboard(t, team))


# --- /remind: what ----------------------------------------------------------------------------------

@routes.message(RemindFlow.entering_text, F.text, ~F.text.startswith("/"))
async def on_text_typed(
    message: Message, user: User, uow: SqlUnitOfWork, state: FSMContext, t: Translate, lang: Language,
    clock: Clock, bot: Bot,
) -> None:
    team = await own_team(uow, user)
    data = await state.get_data()
    try:
        due = datetime.fromisoformat(str(data["due"]))
    except (KeyError, ValueError):
        await state.clear()
        await message.answer(t("stale-flow"))
        return
    try:
        reminder = await service.set_reminder(uow, owner=user, due_at=due, text=message.text or "", now=clock.now())
    except DomainError as error:
        if error.code == "error-reminder-past":
            await state.set_state(RemindFlow.choosing_time)
            await reply_in_flow(message, state, bot, t(error.code), when_keyboard(t, team))
            return
        text = t(error.code, **{k: str(v) for k, v in error.params.items()})
        await reply_in_flow(message, state, bot, text, what_keyboard(t))
        return
    await show_flow(
        message, state, bot, t("remind-saved", when=when(reminder.due_at, team.timezone, lang), text=h(reminder.text)),
        None,
    )
    await state.clear()


@routes.message(StateFilter(RemindFlow), ~F.text.startswith("/"))
async def on_remind_unexpected(message: Message, state: FSMContext, t: Translate) -> None:
    current = await state.get_state()
    await message.answer(t("remind-expect-text" if current == RemindFlow.entering_text.state else "remind-expect-time"))


# --- the nudge: done and snooze ---------------------------------------------------------------------

def nudge_text(t: Translate, reminder: Reminder) -> str:
    return t("reminder-nudge", text=h(reminder.text))


@routes.callback_query(ReminderCb.filter(F.action == "done"))
async def on_done(
    query: CallbackQuery, callback_data: ReminderCb, user: User, uow: SqlUnitOfWork, t: Translate, clock: Clock
) -> None:
    try:
        reminder = await service.complete_reminder(
            uow, actor=user, reminder_id=callback_data.id, round=callback_data.round, now=clock.now()
        )
    except DomainError as error:
        await refuse(query, t, error)
        return
    await show(query, nudge_text(t, reminder) + "\n\n" + t("reminder-done"))


@routes.callback_query(ReminderCb.filter(F.action == "snooze"))
async def on_snooze(
    query: CallbackQuery, callback_data: ReminderCb, user: User, uow: SqlUnitOfWork, t: Translate,
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


# --- /reminders: the list, with a cancel button per reminder ----------------------------------------

def list_screen(
    t: Translate, lang: Language, team: Team, items: Sequence[Reminder], page: int, notice: str = ""
) -> tuple[str, InlineKeyboardMarkup | None]:
    if not items:
        return "\n\n".join(filter(None, [notice, t("reminders-empty")])), None
    pages = (len(items) + PAGE - 1) // PAGE
    page = min(max(page, 0), pages - 1)
    lines = [notice, ""] if notice else []
    lines.append(t("reminders-title", count=len(items)))
    if pages > 1:
        lines.append(t("reminders-page", page=page + 1, pages=pages))
    buttons = []
    for n, reminder in enumerate(items[page * PAGE : (page + 1) * PAGE], start=page * PAGE + 1):
        lines.append(t("reminders-line", n=n, when=when(reminder.due_at, team.timezone, lang), text=h(reminder.text)))
        buttons.append(button(t("reminders-btn-cancel", n=n), ReminderCb(action="cancel", id=reminder.id or 0, page=page)))
    lines.extend(["", t("reminders-hint")])
    paging = []
    if page > 0:
        paging.append(button(t("btn-prev"), ReminderCb(action="page", page=page - 1)))
    if page < pages - 1:
        paging.append(button(t("btn-next"), ReminderCb(action="page", page=page + 1)))
    return "\n".join(lines), grid(buttons, cancel=False, extra_rows=[paging] if paging else ())


@routes.message(Command("reminders"), F.chat.type == "private")
async def cmd_reminders(message: Message, user: User, uow: SqlUnitOfWork, t: Translate, lang: Language) -> None:
    team = await own_team(uow, user)
    text, markup = list_screen(t, lang, team, await service.list_reminders(uow, owner=user), 0)
    await message.answer(text, reply_markup=markup)


@routes.callback_query(ReminderCb.filter(F.action == "page"))
async def on_list_page(
    query: CallbackQuery, callback_data: ReminderCb, user: User, uow: SqlUnitOfWork, t: Translate, lang: Language
) -> None:
    team = await own_team(uow, user)
    text, markup = list_screen(t, lang, team, await service.list_reminders(uow, owner=user), callback_data.page)
    await show(query, text, markup)


@routes.callback_query(ReminderCb.filter(F.action == "cancel"))
async def on_list_cancel(
    query: CallbackQuery, callback_data: ReminderCb, user: User, uow: SqlUnitOfWork, t: Translate,
    lang: Language, clock: Clock,
) -> None:
    try:
        reminder = await service.cancel_reminder(uow, actor=user, reminder_id=callback_data.id, now=clock.now())
    except DomainError as error:
        await refuse(query, t, error)
        return
    team = await own_team(uow, user)
    items = await service.list_reminders(uow, owner=user)
    text, markup = list_screen(
        t, lang, team, items, callback_data.page, notice=t("reminders-cancelled", text=h(reminder.text))
    )
    await show(query, text, markup)

