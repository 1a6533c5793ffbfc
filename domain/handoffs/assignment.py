"""Who gets a new lead (分配): the team's assignment policy applied to its available reps.

Pure: the caller loads the candidates (active reps of the team with their open-opportunity counts
and skills), calls `pick_assignee`, and for round-robin stores the pick as TeamPolicy.rr_cursor.
Unreachable candidates (the bot cannot message them) and excluded ones (who declined or already
missed the deadline for this lead) are never picked.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass

from domain.policy.model import AssignmentPolicy, TeamPolicy


@dataclass(frozen=True)
class Candidate:
    user_id: int
    open_count: int = 0  # open opportunities the rep owns now
    regions: frozenset[str] = frozenset()
    industries: frozenset[str] = frozenset()
    products: frozenset[str] = frozenset()
    reachable: bool = True


def pick_assignee(
    policy: TeamPolicy,
    candidates: Iterable[Candidate],
    *,
    region: str | None = None,
    industry: str | None = None,
    product: str | None = None,
    exclude: Collection[int] = frozenset(),
) -> int | None:
    """The user id the lead goes to, or None (manual policy, or nobody available: the pool).

    - ROUND_ROBIN: the lowest id above policy.rr_cursor, wrapping to the lowest id.
    - LEAST_LOADED: the fewest open opportunities; ties go to the lowest id.
    - RULES: narrow by region, then industry, then product skill; each criterion narrows only if it
      is given and someone left matches it (case- and width-insensitive), so no match at all means
      everyone. Then least-loaded among those left.
    - MANUAL: None; a manager assigns.
    """
    if policy.assignment is AssignmentPolicy.MANUAL:
        return None
    available = sorted(
        {c.user_id: c for c in candidates if c.reachable and c.user_id not in exclude}.values(),
        key=lambda c: c.user_id,
    )
    if not available:
        return None
    if policy.assignment is AssignmentPolicy.ROUND_ROBIN:
        after = [c for c in available if c.user_id > policy.rr_cursor]
        return (after or available)[0].user_id
    if policy.assignment is AssignmentPolicy.RULES:
        criteria: tuple[tuple[str | None, Callable[[Candidate], frozenset[str]]], ...] = (
            (region, lambda c: c.regions),
            (industry, lambda c: c.industries),
            (product, lambda c: c.products),
        )
        for wanted, skills in criteria:
            if not wanted:
                continue
            key = _norm(wanted)
            matching = [c for c in available if key in {_norm(s) for s in skills(c)}]
            if matching:
                available = matching
    return min(available, key=lambda c: (c.open_count, c.user_id)).user_id


def next_after_decline(
    policy: TeamPolicy,
    candidates: Iterable[Candidate],
    *,
    declined_by: int,
    region: str | None = None,
    industry: str | None = None,
    product: str | None = None,
    exclude: Collection[int] = frozenset(),
) -> int | None:
    """Who is next when `declined_by` declined or let the deadline pass: the same choice without them
    (and without anyone already in `exclude`, e.g. earlier decliners of the same lead)."""
    return pick_assignee(
        policy,
        candidates,
        region=region,
        industry=industry,
        product=product,
        exclude={*exclude, declined_by},
    )


def _norm(text: str) -> str:
    return unicodedata.normalize("NFKC", text).strip().casefold()
