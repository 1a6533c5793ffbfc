"""The buttons of cross-team help (handlers/assist.py), apart so that the ticket and deal cards can carry
🤝 求助同事 without importing the screens that import them."""

from __future__ import annotations

import enum

from aiogram.filters.callback_data import CallbackData
from aiogram.types import InlineKeyboardButton

from bot.callbacks import Id
from bot.i18n import Translate
from bot.keyboards import button


class AssistAct(enum.StrEnum):
    TICKET = "t"  # ask from a ticket's card (id: the ticket)
    DEAL = "d"  # ask from a deal's card (id: the deal)
    OPEN = "o"  # the question's card
    ACCEPT = "a"
    ANSWER = "w"
    WITHDRAW = "x"


class AssistCb(CallbackData, prefix="ast"):
    act: AssistAct
    id: Id = 0


def ask_button(t: Translate, *, ticket_id: int = 0, deal_id: int = 0) -> InlineKeyboardButton:
    """🤝 求助同事, for a ticket's card or a deal's card."""
    if ticket_id:
        return button(t("assist-btn-ask"), AssistCb(act=AssistAct.TICKET, id=ticket_id))
    return button(t("assist-btn-ask"), AssistCb(act=AssistAct.DEAL, id=deal_id))


def question_button(t: Translate, helper: str, question_id: int) -> InlineKeyboardButton:
    """A question still waiting, on the card it was asked from: its own card (withdraw it there)."""
    return button(t("assist-btn-waiting", helper=helper[:20]), AssistCb(act=AssistAct.OPEN, id=question_id))
