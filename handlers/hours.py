"""/hours: everyone sees the team's working hours; a manager or admin changes them by a preset button
or by typing them after the command (/hours 09:00-18:00 周一至周五)."""

from __future__ import annotations

from datetime import time

from aiogram import F
from aiogram.filters import Command, CommandObject
from aiogram.filters.callback_data import CallbackData
from aiogram.types import CallbackQuery, InlineKeyboardMarkup, Message

from bot.callbacks import HourMinute, Weekdays
from bot.formatting import EN_WEEKDAYS, ZH_WEEKDAYS, h
from bot.i18n import Translate
from bot.keyboards import button, grid
from bot.routing import Routes
from domain.clock import Clock
from domain.permissions import Ability, can, require
from domain.ports import UnitOfWork
from domain.team.model import Language, Team, User
from domain.team.queries import own_team
from domain.team.working_hours import set_working_hours
from domain.worktime import parse_working_hours
from handlers.common import show

routes = Routes(__name__)

PRESETS = (
    (time(9, 0), time(18, 0), "01234"),
    (time(9, 0), time(21, 0), "012345"),
    (time(8, 30), time(17, 30), "01234"),
)


class HoursCb(CallbackData, prefix="hrs"):
    start: HourMinute  # HHMM
    end: HourMinute  # HHMM
    days: Weekdays  # weekday digits, Monday = 0


def days_label(t: Translate, lang: Language, days: str) -> str:
    digits = sorted(int(d) for d in days)
    if len(digits) == 7:
        return t("hours-every-day")
    names = [f"周{ZH_WEEKDAYS[d]}" if lang is Language.ZH else EN_WEEKDAYS[d] for d in digits]
    if len(digits) > 2 and digits == list(range(digits[0], digits[-1] + 1)):
        return f"{names[0]}至{names[-1]}" if lang is Language.ZH else f"{names[0]}–{names[-1]}"
    return ("、" if lang is Language.ZH else ", ").join(names)


def hours_label(t: Translate, lang: Language, start: time, end: time, days: str) -> str:
    return f"{days_label(t, lang, days)} {start:%H:%M}–{end:%H:%M}"


def hours_screen(t: Translate, lang: Language, team: Team, user: User) -> tuple[str, InlineKeyboardMarkup | None]:
    text = t(
        "hours-show", team=h(team.name), hours=hours_label(t, lang, team.work_start, team.work_end, team.work_days),
        timezone=team.timezone,
    )
    if not can(user, Ability.SET_WORKING_HOURS):
        return text, None
    buttons = [
        button(hours_label(t, lang, start, end, days), HoursCb(start=f"{start:%H%M}", end=f"{end:%H%M}", days=days))
        for start, end, days in PRESETS
        if (start, end, days) != (team.work_start, team.work_end, team.work_days)
    ]
    return text + "\n\n" + t("hours-change-hint"), grid(buttons, cancel=False, per_row=1)


async def apply_hours(
    event: Message | CallbackQuery, user: User, uow: UnitOfWork, t: Translate, lang: Language, clock: Clock,
    start: time, end: time, days: str,
) -> None:
    team = await set_working_hours(uow, actor=user, start=start, end=end, days=days, now=clock.now())
    await show(event, t("hours-set", team=h(team.name), hours=hours_label(t, lang, start, end, days)))


@routes.message(Command("hours"), F.chat.type == "private")
async def cmd_hours(
    message: Message, command: CommandObject, user: User, uow: UnitOfWork, t: Translate, lang: Language,
    clock: Clock,
) -> None:
    team = await own_team(uow, user)
    if not command.args:
        text, markup = hours_screen(t, lang, team, user)
        await message.answer(text, reply_markup=markup)
        return
    require(user, Ability.SET_WORKING_HOURS, "error-hours-role")
    parsed = parse_working_hours(command.args, team.work_days)
    if parsed is None:
        await message.answer(t("hours-bad"))
        return
    await apply_hours(message, user, uow, t, lang, clock, *parsed)


@routes.callback_query(HoursCb.filter(F.start.regexp(r"^\d{4}$") & F.end.regexp(r"^\d{4}$")))
async def on_preset(
    query: CallbackQuery, callback_data: HoursCb, user: User, uow: UnitOfWork, t: Translate, lang: Language,
    clock: Clock,
) -> None:
    start = time(int(callback_data.start[:2]), int(callback_data.start[2:]))
    end = time(int(callback_data.end[:2]), int(callback_data.end[2:]))
    await apply_hours(query, user, uow, t, lang, clock, start, end, callback_data.days)
