"""What the deal flows (/deals, /assign, /pool) share: their callback data, stage names, amounts, and
a refusal that leaves nothing of the refused action behind."""

from __future__ import annotations

from datetime import date

from aiogram.filters.callback_data import CallbackData
from aiogram.types import CallbackQuery, Message

from bot.formatting import EN_MONTHS, h, money
from bot.i18n import Translate
from domain.deals.model import Stage
from domain.errors import DomainError
from domain.team.model import Language, Team
from handlers.common import refuse
from storage.uow import SqlUnitOfWork

# Buttons carry a stage as its index here: callback data has 64 bytes, and a list view, a deal id and
# two stages must fit.
STAGES: tuple[Stage, ...] = tuple(Stage)


class DealCb(CallbackData, prefix="dl"):
    act: str  # list | stages | open | adv | adv_ok | skip | skip_to | skip_ok | lose... | re... | a_list
    id: int = 0  # the opportunity
    team: bool = False  # list view: the team's deals (managers) or mine
    stage: int = -1  # list view: a stage filter (index into STAGES), -1 for all
    wait: bool = False  # list view: only deals waiting for the assignee to accept
    stale: bool = False  # list view: only stale deals
    page: int = 0  # list view
    frm: int = -1  # the deal's stage when the button was drawn: a press after it moved is stale
    to: int = -1  # a target stage
    rep: int = 0  # a target rep (reassign)
    arg: str = ""  # a reason code or index; where the reassign steps were started from


class PoolCb(CallbackData, prefix="pool"):
    act: str  # list | claim
    id: int = 0
    page: int = 0


def stage_name(t: Translate, stage: Stage) -> str:
    return t(f"stage-{stage.value}")


def stage_at(index: int) -> Stage | None:
    return STAGES[index] if 0 <= index < len(STAGES) else None


def deal_name(company: str, title: str) -> str:
    """The company in bold, and the deal's own title when it says more than the company's name."""
    name = f"<b>{h(company)}</b>"
    return f"{name} · {h(title)}" if title and title != company else name


def amount_text(t: Translate, amount_minor: int | None, currency: str = "CNY") -> str:
    return money(amount_minor, currency) if amount_minor is not None else t("deal-amount-none")


def day_text(day: date, lang: Language) -> str:
    if lang is Language.ZH:
        return f"{day.year}年{day.month}月{day.day}日"
    return f"{day.day} {EN_MONTHS[day.month - 1]} {day.year}"


async def team_of(uow: SqlUnitOfWork, team_id: int) -> Team:
    team = await uow.teams.get(team_id)
    assert team is not None
    return team


async def refused(event: Message | CallbackQuery, uow: SqlUnitOfWork, t: Translate, error: DomainError) -> None:
    """A service said no: roll back whatever the update did so far (FSM changes included), then say why."""
    await uow.rollback()
    await refuse(event, t, error)
