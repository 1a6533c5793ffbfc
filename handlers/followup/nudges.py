"""Follow-up: the buttons of pushed follow-up messages (nudges, silence alerts, escalations).

This module registers how the follow-up actions become buttons, so the sweeps can render them. The
conversations are beside it: /log, the timeline and "Log now" in handlers/followup_log.py, /stale in
handlers/followup_stale.py, /find in handlers/followup_find.py.
"""

from __future__ import annotations

import enum

from aiogram.filters.callback_data import CallbackData

from bot.callbacks import Id
from bot.render import register_action
from bot.routing import Routes
from domain.deals.model import Stage
from domain.followup.rules import ACTION_LOG, ACTION_LOSE
from domain.outbox.model import Action
from handlers.pipeline_ui import STAGES, DealCb

routes = Routes(__name__)


class FollowupAction(enum.StrEnum):
    # Nudges already sent carry these buttons ("fu:log:<deal>"): the prefix and values stay.
    LOG = "log"  # open /log on the deal


class FollowupCb(CallbackData, prefix="fu"):
    action: FollowupAction
    deal_id: Id = 0


def lose_callback(action: Action) -> DealCb:
    """The deal card's "mark lost" steps; the stage the nudge was drawn in makes a late press stale."""
    try:
        frm = STAGES.index(Stage(action.arg))
    except ValueError:
        frm = -1
    return DealCb(act="lose", id=action.id, frm=frm)


register_action(ACTION_LOG, "followup-btn-log", lambda action: FollowupCb(action=FollowupAction.LOG, deal_id=action.id))
register_action(ACTION_LOSE, "followup-btn-lose", lose_callback)
