"""A command's words as a search of the person's deals: `/deals 西湖`, `/quote 西湖`, `/assign 西湖` find
the deals they may see whose customer, contact, title or notes match (domain/followup/search.py, the
search of /find and /log), one line a deal; the command then opens the one found or lists them."""

from __future__ import annotations

from dataclasses import dataclass

from bot.formatting import h
from bot.i18n import Translate
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


async def deals_found(uow: UnitOfWork, user: User, words: str) -> list[FoundDeal] | None:
    """The deals `words` find, each once; None when the words are no search at all (punctuation only)."""
    try:
        hits = await search_service.search(uow, viewer=user, query=words, limit=FOUND_AT_MOST)
    except InvalidInput:
        return None
    found: dict[int, FoundDeal] = {}
    for hit in hits:
        found.setdefault(hit.opportunity_id, FoundDeal(hit.opportunity_id, hit.company, hit.stage))
    return list(found.values())


def found_text(t: Translate, words: str, found: list[FoundDeal]) -> str:
    """The line above the deals found, or, when none, above the command's own list."""
    if found:
        return t("deal-search-found", query=h(words), count=len(found))
    return t("deal-search-none", query=h(words))
