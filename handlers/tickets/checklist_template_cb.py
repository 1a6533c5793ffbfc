"""The buttons of the delivery checklist template screen (handlers/tickets/checklist_template.py), apart so
that /policy can carry its entry button without importing the screen (which goes back to /policy)."""

from __future__ import annotations

import enum

from aiogram.filters.callback_data import CallbackData
from aiogram.types import InlineKeyboardButton

from bot.callbacks import Count, Id, Index
from bot.i18n import Translate
from bot.keyboards import button


class TplAct(enum.StrEnum):
    SHOW = "show"  # the template
    ITEM = "item"  # one line (pos)
    UP = "up"
    DOWN = "down"
    REMOVE = "rm"
    OWNER = "own"  # pick who a line belongs to
    OWNER_SET = "owns"  # ... this one (user 0: the deal's owner)
    ADD = "add"  # a new line (a flow)


class TplCb(CallbackData, prefix="ctpl"):
    act: TplAct
    pos: Index = 0  # the line's index in the template the screen showed
    ver: Count = 0  # that template's version (domain/delivery/template.py)
    user: Id = 0


def template_button(t: Translate) -> InlineKeyboardButton:
    """/policy's entry: 📦 交付清单模板."""
    return button(t("checklist-tpl-btn-policy"), TplCb(act=TplAct.SHOW))
