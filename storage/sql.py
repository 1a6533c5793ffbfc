"""Small pieces every repository uses."""

from __future__ import annotations

from typing import Any

from domain.deals.model import CLOSED

# Stage values of won and lost deals, for "open deals only" conditions.
CLOSED_STAGES = [stage.value for stage in CLOSED]


def rowcount(result: Any) -> int:
    """Rows an UPDATE or DELETE changed (a conditional UPDATE tells who won a race)."""
    return int(result.rowcount or 0)
