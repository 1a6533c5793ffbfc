"""The hand-off card's buttons: Accept, and Decline with a reason (one tap, or typed), or Cancel.

The card itself is queued by the pipeline services through the outbox; this module registers how its
actions become buttons. Every press re-checks on the server that the hand-off is the presser's and
still pending: a stale or repeated press is answered politely and changes nothing."""

from __future__ import annotations

import contextlib
import enum

from aiogram import F
from aiogram.exceptions import TelegramBadRequest
from aiogram.filters import StateFilter
from aiogram.filters.callback_data import CallbackData
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import CallbackQuery, InlineKeyboardMarkup, Message

from bot.callbacks import Id
from bot.errors import Refusal
from bot.formatting import h
from bot.i18n import Translate
from bot.keyboards import button, grid
from bot.render import register_action
from bot.routing import Routes
from domain.clock import Clock
from domain.errors import DomainError
from domain.handoffs import services as service
from domain.handoffs.model import ACTION_ACCEPT, ACTION_DECLINE, DECLINE_REASONS
from domain.ports import UnitOfWork
from domain.team.model import User
from handlers.common import show

routes = Routes(__name__)


class HandoffAct(enum.StrEnum):
    ACCEPT = "accept"
    DECLINE = "decline"  # asks for a reason
    REASON = "reason"  # a reason button: decline now
    OTHER_REASON = "other"  # the assignee will type the reason
    CANCEL = "cancel"  # not declining after all


class HandoffCb(CallbackData, prefix="ho"):
    act: HandoffAct
    id: Id
    reason: str = ""  # one of DECLINE_REASONS


class DeclineHandoff(StatesGroup):
    typing_reason = State()


register_action(ACTION_ACCEPT, "handoff-btn-accept", lambda a: HandoffCb(act=HandoffAct.ACCEPT, id=a.id))
register_action(ACTION_DECLINE, "handoff-btn-decline", lambda a: HandoffCb(act=HandoffAct.DECLINE, id=a.id))


async def _drop_buttons(query: CallbackQuery) -> None:
    if isinstance(query.message, Message):
        with contextlib.suppress(TelegramBadRequest):
            await query.message.edit_reply_markup(reply_markup=None)


@routes.callback_query(HandoffCb.filter(F.act == HandoffAct.ACCEPT))
async def on_accept(
    query: CallbackQuery, callback_data: HandoffCb, user: User, uow: UnitOfWork, t: Translate, clock: Clock,
    state: FSMContext,
) -> None:
    # Held while accepting: the service then finds the hand-off, deal and lead in the unit of work.
    handoff, deal, lead = await service.handoff_for(uow, actor=user, handoff_id=callback_data.id)
    await service.accept_handoff(uow, actor=user, handoff_id=callback_data.id, now=clock.now())
    del handoff, deal
    await state.clear()
    await query.answer()
    await _drop_buttons(query)
    if isinstance(query.message, Message):
        await query.message.answer(t("handoff-accepted-done", company=h(lead.company)))


def _reasons_screen(t: Translate, handoff_id: int, company: str) -> tuple[str, InlineKeyboardMarkup]:
    buttons = [
        button(t(f"decline-reason-{code}"), HandoffCb(act=HandoffAct.REASON, id=handoff_id, reason=code))
        for code in DECLINE_REASONS
    ]
    buttons.append(button(t("handoff-btn-other-reason"), HandoffCb(act=HandoffAct.OTHER_REASON, id=handoff_id)))
    cancel = button(t("btn-cancel"), HandoffCb(act=HandoffAct.CANCEL, id=handoff_id))
    return t("handoff-decline-ask", company=h(company)), grid(buttons, per_row=1, cancel=False, extra_rows=[[cancel]])


@routes.callback_query(HandoffCb.filter(F.act == HandoffAct.DECLINE))
async def on_decline(
    query: CallbackQuery, callback_data: HandoffCb, user: User, uow: UnitOfWork, t: Translate
) -> None:
    _, _, lead = await service.handoff_for(uow, actor=user, handoff_id=callback_data.id)
    text, markup = _reasons_screen(t, callback_data.id, lead.company)
    await query.answer()
    if isinstance(query.message, Message):
        await query.message.answer(text, reply_markup=markup)


async def _decline(
    event: CallbackQuery | Message, handoff_id: int, reason: str, user: User, uow: UnitOfWork, t: Translate,
    clock: Clock, state: FSMContext,
) -> None:
    try:
        _, _, lead = await service.handoff_for(uow, actor=user, handoff_id=handoff_id)
        await service.decline_handoff(uow, actor=user, handoff_id=handoff_id, reason=reason, now=clock.now())
    except DomainError as error:
        # A missing reason keeps the rep on the reason step; anything else ends the decline.
        raise Refusal(error, leave_flow=error.code != "error-decline-reason") from error
    await state.clear()
    await show(event, t("handoff-declined-done", company=h(lead.company)))


@routes.callback_query(HandoffCb.filter(F.act == HandoffAct.REASON))
async def on_reason_chosen(
    query: CallbackQuery, callback_data: HandoffCb, user: User, uow: UnitOfWork, t: Translate, clock: Clock,
    state: FSMContext,
) -> None:
    if callback_data.reason not in DECLINE_REASONS:
        await query.answer(t("stale-button"), show_alert=True)
        return
    await _decline(query, callback_data.id, callback_data.reason, user, uow, t, clock, state)


@routes.callback_query(HandoffCb.filter(F.act == HandoffAct.OTHER_REASON))
async def on_other_reason(
    query: CallbackQuery, callback_data: HandoffCb, user: User, uow: UnitOfWork, t: Translate, state: FSMContext
) -> None:
    _, _, lead = await service.handoff_for(uow, actor=user, handoff_id=callback_data.id)
    await state.set_state(DeclineHandoff.typing_reason)
    await state.update_data(handoff_id=callback_data.id)
    cancel = button(t("btn-cancel"), HandoffCb(act=HandoffAct.CANCEL, id=callback_data.id))
    await show(query, t("handoff-decline-type", company=h(lead.company)), grid([cancel], cancel=False))


@routes.callback_query(HandoffCb.filter(F.act == HandoffAct.CANCEL))
async def on_cancel(query: CallbackQuery, t: Translate, state: FSMContext) -> None:
    await state.clear()
    await show(query, t("handoff-decline-cancelled"))


@routes.message(StateFilter(DeclineHandoff.typing_reason), F.text)
async def on_reason_typed(
    message: Message, user: User, uow: UnitOfWork, t: Translate, clock: Clock, state: FSMContext
) -> None:
    data = await state.get_data()
    handoff_id = data.get("handoff_id")
    if not isinstance(handoff_id, int):
        await state.clear()
        await message.answer(t("stale-flow"))
        return
    await _decline(message, handoff_id, message.text or "", user, uow, t, clock, state)


@routes.message(StateFilter(DeclineHandoff.typing_reason))
async def on_reason_not_text(message: Message, t: Translate) -> None:
    await message.answer(t("handoff-decline-expect-text"))
