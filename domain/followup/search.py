"""Search (/find): customers, contacts, phones, deals and notes a person may see."""

from __future__ import annotations

from collections.abc import Sequence

from domain.errors import Forbidden, InvalidInput
from domain.followup.access import visibility_of
from domain.followup.rules import (
    SearchHit,
    SearchRow,
    parse_search,
    snippet,
)
from domain.ports import UnitOfWork
from domain.team.model import User

# --- search ---------------------------------------------------------------------------------------


def _hit(row: SearchRow, words: Sequence[str], digits: str | None) -> SearchHit:
    def make(kind: str, text: str) -> SearchHit:
        return SearchHit(
            kind=kind, opportunity_id=row.opportunity_id, title=row.title, company=row.company, snippet=text,
            stage=row.stage,
        )

    contact = " · ".join(v for v in (row.contact_name, row.phone, row.email) if v)
    if digits is not None:
        return make("contact", contact)
    needle = words[0].lower() if words else ""
    if needle in row.company.lower():
        return make("customer", row.company)
    if any(needle in (v or "").lower() for v in (row.contact_name, row.phone, row.email)):
        return make("contact", contact)
    if needle in row.title.lower():
        return make("opportunity", row.title)
    note = next((n for n in row.notes if needle in n.lower()), row.notes[0] if row.notes else "")
    return make("note", snippet(note, needle))


async def search(uow: UnitOfWork, *, viewer: User, query: str, limit: int = 10) -> list[SearchHit]:
    """/find: the viewer's visible deals (reps their own, managers and finance their team's, admins all)
    whose customer, contact (name, phone, e-mail), title or activity notes match. Every word must match
    somewhere (Chinese substrings too: 华东 finds 华东科技); a query of digits, spaces and dashes is a
    phone fragment (8001 finds +8613800138000). Most recently active first."""
    if not viewer.active:
        raise Forbidden()
    parsed = parse_search(query)
    if parsed.empty:
        raise InvalidInput("error-search-query")
    rows = await uow.followups.search(visibility_of(viewer), parsed, max(1, min(limit, 50)))
    return [_hit(row, parsed.words, parsed.digits) for row in rows]
