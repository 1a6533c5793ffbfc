"""What the deal flows (/deals, /assign, /pool) share: their callback data, stage names, amounts. (A refused
action is rolled back and answered by the unit-of-work middleware: see bot/errors.py.)"""

from __future__ import annotations

import enum
from datetime import date
from typing import TYPE_CHECKING

from aiogram.filters.callback_data import CallbackData

from bot.callbacks import Id, Page, StageIndex
from bot.formatting import EN_MONTHS, Html, h, money
from bot.i18n import Translate
from domain.deals import queries as deal_queries
from domain.deals.model import Stage
from domain.money import Money
from domain.ports import UnitOfWork
from domain.team.model import Language, Team

# Buttons carry a stage as its index here: callback data has 64 bytes, and a list view, a deal id and
# two stages must fit.
STAGES: tuple[Stage, ...] = tuple(Stage)


class DealAct(enum.StrEnum):
    """What a /deals or /assign button does. The values are short (callback data has 64 bytes) and never
    change, so that buttons already sent keep working after an update."""

    LIST = "list"  # the list, in the view the button carries
    STAGE_FILTER = "stages"  # choose a stage to filter the list by
    OPEN = "open"  # the deal card
    ADVANCE = "adv"  # one stage forward (or WON): asks to confirm
    ADVANCE_CONFIRMED = "adv_ok"
    SKIP = "skip"  # a manager's skip: choose the stage
    SKIP_TO = "skip_to"  # the stage chosen: asks to confirm
    SKIP_CONFIRMED = "skip_ok"
    LOSE = "lose"  # mark lost: choose a reason
    LOSE_REASON = "lose_r"  # the reason chosen (its index in the team's list)
    LOSE_WITHOUT_NOTE = "lose_skip"  # no note
    LOSE_BACK = "lose_back"  # back to the reasons
    LOSE_CONFIRMED = "lose_ok"
    REASSIGN = "re"  # a manager reassigns: choose the rep
    REASSIGN_TO = "re_to"  # the rep chosen: choose a reason
    REASSIGN_OWN_REASON = "re_own"  # the manager will type the reason
    REASSIGN_CONFIRMED = "re_ok"  # a reason button: reassign now
    ASSIGN_LIST = "a_list"  # /assign's list of the team's deals
    LOG = "log"  # /log on this deal (handlers/followup_log.py)
    TIMELINE = "tl"  # the follow-up timeline (handlers/followup_log.py)


class DealScope(enum.IntEnum):
    """Whose deals a /deals list shows. Buttons carry the number (sent before "captured" existed, they
    carry 0 or 1, which still mean what they meant)."""

    MINE = 0  # the viewer's own deals and those waiting for their acceptance
    TEAM = 1  # the team's (managers; an admin: every team's)
    CAPTURED = 2  # deals from leads the viewer captured and others follow: read-only


class DealCb(CallbackData, prefix="dl"):
    act: DealAct
    id: Id = 0  # the opportunity
    scope: DealScope = DealScope.MINE  # list view: whose deals (an unknown number fails to unpack)
    stage: StageIndex = -1  # list view: a stage filter (index into STAGES), -1 for all
    wait: bool = False  # list view: only deals waiting for the assignee to accept
    stale: bool = False  # list view: only stale deals
    page: Page = 0  # list view
    frm: StageIndex = -1  # the deal's stage when the button was drawn: a press after it moved is stale
    to: StageIndex = -1  # a target stage
    rep: Id = 0  # a target rep (reassign)
    arg: str = ""  # a reason code or index; where the reassign steps were started from

    if TYPE_CHECKING:
        # `act` may be given as its value ("open"), as other flows' buttons do; pydantic makes it a DealAct
        # (an unknown value is refused), so `act` is always a DealAct when read.
        def __init__(
            self, *, act: DealAct | str, id: int = 0, scope: DealScope = DealScope.MINE, stage: int = -1, wait: bool = False,
            stale: bool = False, page: int = 0, frm: int = -1, to: int = -1, rep: int = 0, arg: str = "",
        ) -> None: ...


class PoolAct(enum.StrEnum):
    PAGE = "list"  # a page of the pool
    CLAIM = "claim"  # take the deal


class PoolCb(CallbackData, prefix="pool"):
    act: PoolAct
    id: Id = 0
    page: Page = 0


def stage_name(t: Translate, stage: Stage) -> str:
    return t(f"stage-{stage.value}")


def stage_at(index: int) -> Stage | None:
    return STAGES[index] if 0 <= index < len(STAGES) else None


def deal_name(company: str, title: str) -> str:
    """The company in bold, and the deal's own title when it says more than the company's name."""
    name = f"<b>{h(company)}</b>"
    return Html(f"{name} · {h(title)}" if title and title != company else name)


def amount_text(t: Translate, amount: Money | None) -> str:
    return money(amount) if amount is not None else t("deal-amount-none")


def day_text(day: date, lang: Language) -> str:
    if lang is Language.ZH:
        return f"{day.year}年{day.month}月{day.day}日"
    return f"{day.day} {EN_MONTHS[day.month - 1]} {day.year}"


async def team_of(uow: UnitOfWork, team_id: int) -> Team:
    return await deal_queries.team_of(uow, team_id)
