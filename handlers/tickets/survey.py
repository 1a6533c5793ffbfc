"""The customer's side of a satisfaction survey: they open the link (/start s_<token>), tap a score, may
write a comment, and that is all the bot does for them. These handlers are `public` (the customer is no
member); each checks that the press or message belongs to the survey this chat opened with its link."""

from __future__ import annotations

import enum

from aiogram import F
from aiogram.filters import StateFilter
from aiogram.filters.callback_data import CallbackData
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import CallbackQuery, InlineKeyboardMarkup, Message

from bot.callbacks import Id, Index
from bot.formatting import h
from bot.i18n import Translate
from bot.keyboards import button, keyboard, rows_of
from bot.routing import Routes
from domain.clock import Clock
from domain.ports import UnitOfWork
from domain.team.model import User
from domain.tickets import surveys
from domain.tickets.model import LOW_SCORE, SCORES
from handlers.common import show

routes = Routes(__name__)
PUBLIC = {"public": True}


class Answering(StatesGroup):
    rating = State()
    commenting = State()


class SurveyAct(enum.StrEnum):
    RATE = "rate"
    SEND = "send"  # without a comment


class SurveyCb(CallbackData, prefix="sv"):
    act: SurveyAct
    id: Id
    score: Index = 0


async def open_link(
    message: Message, payload: str, state: FSMContext, uow: UnitOfWork, user: User | None, t: Translate, clock: Clock
) -> None:
    """/start s_<token>: the survey's first screen (called by handlers/start.py for survey payloads)."""
    survey = await surveys.open_link(uow, payload=payload, member=user, now=clock.now())
    assert survey.id is not None
    await state.set_state(Answering.rating)
    await state.set_data({"survey": survey.id})
    await message.answer(t("survey-welcome", company=h(survey.company)), reply_markup=stars(survey.id))


def stars(survey_id: int) -> InlineKeyboardMarkup:
    return keyboard(*rows_of([button(f"{s}⭐", SurveyCb(act=SurveyAct.RATE, id=survey_id, score=s)) for s in SCORES]))


async def _mine(state: FSMContext, survey_id: int) -> bool:
    return (await state.get_data()).get("survey") == survey_id and await state.get_state() is not None


@routes.callback_query(SurveyCb.filter(F.act == SurveyAct.RATE), flags=PUBLIC)
async def on_rate(query: CallbackQuery, callback_data: SurveyCb, state: FSMContext, t: Translate) -> None:
    if not await _mine(state, callback_data.id):
        await query.answer(t("stale-button"), show_alert=True)
        return
    if callback_data.score not in SCORES:  # "change my score": the stars again
        await state.set_state(Answering.rating)
        await show(query, t("survey-ask-score"), stars(callback_data.id))
        return
    await state.set_state(Answering.commenting)
    await state.update_data(score=callback_data.score)
    key = "survey-ask-comment-low" if callback_data.score <= LOW_SCORE else "survey-ask-comment"
    await show(query, t(key, score=callback_data.score), keyboard(
        [button(t("survey-btn-send"), SurveyCb(act=SurveyAct.SEND, id=callback_data.id))],
        [button(t("survey-btn-rescore"), SurveyCb(act=SurveyAct.RATE, id=callback_data.id, score=0))],
    ))


async def _submit(
    event: Message | CallbackQuery, state: FSMContext, uow: UnitOfWork, t: Translate, clock: Clock,
    comment: str | None,
) -> None:
    data = await state.get_data()
    assert event.from_user is not None
    survey = await surveys.answer(
        uow, survey_id=int(data["survey"]), respondent=event.from_user.id, score=int(data["score"]),
        comment=comment, now=clock.now(),
    )
    await state.clear()
    await show(event, t("survey-thanks", score=survey.score or 0))


@routes.callback_query(SurveyCb.filter(F.act == SurveyAct.SEND), flags=PUBLIC)
async def on_send(
    query: CallbackQuery, callback_data: SurveyCb, state: FSMContext, uow: UnitOfWork, t: Translate, clock: Clock
) -> None:
    if not await _mine(state, callback_data.id) or await state.get_state() != Answering.commenting.state:
        await query.answer(t("stale-button"), show_alert=True)
        return
    await _submit(query, state, uow, t, clock, None)


@routes.message(StateFilter(Answering.commenting), F.chat.type == "private", F.text, ~F.text.startswith("/"),
                flags=PUBLIC)
async def on_comment(message: Message, state: FSMContext, uow: UnitOfWork, t: Translate, clock: Clock) -> None:
    await _submit(message, state, uow, t, clock, message.text)


@routes.message(StateFilter(Answering.rating, Answering.commenting), F.chat.type == "private",
                ~F.text.startswith("/"), flags=PUBLIC)
async def on_other(message: Message, state: FSMContext, t: Translate) -> None:
    """Anything but a score (or a comment's text) while answering: say what is expected."""
    key = "survey-expect-score" if await state.get_state() == Answering.rating.state else "survey-expect-comment"
    await message.answer(t(key))
