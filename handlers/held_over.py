"""The digest of notices held over a person's daily message budget (domain/outbox/kinds.py Budget): each
line has a numbered button, which shows that notice as it was queued, with its own buttons, to act on it.
A notice whose subject moved on since (the deal was followed up, the hand-off taken) says so instead."""

from __future__ import annotations

from aiogram.filters.callback_data import CallbackData
from aiogram.types import CallbackQuery, InlineKeyboardMarkup, Message

from bot.callbacks import Id
from bot.render import register_action
from bot.routing import Routes
from domain.outbox import services as delivery
from domain.outbox.kinds import OPEN_HELD
from domain.ports import UnitOfWork
from domain.team.model import User

routes = Routes(__name__)


class HeldCb(CallbackData, prefix="held"):
    id: Id


register_action(OPEN_HELD, "outbox-open-held-btn", lambda action: HeldCb(id=action.id))


@routes.callback_query(HeldCb.filter())
async def on_open(query: CallbackQuery, callback_data: HeldCb, user: User, uow: UnitOfWork) -> None:
    found = await delivery.open_held(uow, actor=user, notification_id=callback_data.id)
    markup = InlineKeyboardMarkup.model_validate_json(found.reply_markup) if found.reply_markup else None
    await query.answer()
    if isinstance(query.message, Message):
        await query.message.answer(found.text, reply_markup=markup)
