"""A command's words as a search of the person's deals: `/deals 西湖`, `/quote 西湖`, `/assign 西湖` find
the deals they may see whose customer, contact, title or notes match (domain/followup/search.py, the
search of /find and /log), one line a deal; the command then opens the one found or lists them."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from aiogram.filters.callback_data import CallbackData
from aiogram.types import Message

from bot.formatting import h
from bot.i18n import Translate
from bot.keyboards import button, grid
from domain.deals.model import Stage
from domain.errors import InvalidInput
from domain.followup import search as search_service
from domain.ports import UnitOfWork
from domain.team.model import User
from handlers.pipeline_ui import stage_name

FOUND_AT_MOST = 10  # deals a command lists for its words (the search's own order: most recently active first)


@dataclass(frozen=True)
class FoundDeal:
    id: int
    company: str
    stage: Stage | None

    def label(self, t: Translate, number: int) -> str:
        return f"{number}. {self.company}" + (f" · {stage_name(t, self.stage)}" if self.stage else "")


async def search_deals(uow: UnitOfWork, user: User, words: str, limit: int = FOUND_AT_MOST) -> list[FoundDeal]:
    """The deals `words` find, each once (the search's InvalidInput when the words are no search at all)."""
    found: dict[int, FoundDeal] = {}
    for hit in await search_service.search(uow, viewer=user, query=words, limit=limit):
        found.setdefault(hit.opportunity_id, FoundDeal(hit.opportunity_id, hit.company, hit.stage))
    return list(found.values())


async def deals_found(uow: UnitOfWork, user: User, words: str) -> list[FoundDeal] | None:
    """The deals `words` find, each once; None when the words are no search at all (punctuation only)."""
    try:
        return await search_deals(uow, user, words)
    except InvalidInput:
        return None


async def say_found(
    message: Message, t: Translate, words: str, found: list[FoundDeal], pick: Callable[[FoundDeal], CallbackData],
) -> bool:
    """The deals found, a button each (`pick` makes its callback): True, that is the answer. None found: it
    is said, and False (the command's own list follows)."""
    if not found:
        await message.answer(t("deal-search-none", query=h(words)))
        return False
    buttons = [button(deal.label(t, n), pick(deal)) for n, deal in enumerate(found, start=1)]
    await message.answer(t("deal-search-found", query=h(words), count=len(found)), reply_markup=grid(buttons, per_row=1))
    return True
