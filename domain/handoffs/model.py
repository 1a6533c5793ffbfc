"""The confirmed hand-off (交接): an assignment waiting for its assignee to accept."""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import datetime


class HandoffState(enum.StrEnum):
    PENDING = "pending"
    ACCEPTED = "accepted"
    DECLINED = "declined"
    EXPIRED = "expired"  # deadline passed; escalated and moved on
    CANCELLED = "cancelled"  # superseded (e.g. a manager reassigned)


@dataclass(eq=False)
class Handoff:
    """An assignment waiting for its assignee to accept: the key hand-off of the loop."""

    team_id: int
    opportunity_id: int
    to_user_id: int
    requested_at: datetime
    deadline_at: datetime
    from_user_id: int | None = None  # the previous owner, if any
    requested_by: int | None = None  # None: the policy assigned it
    reason: str | None = None
    state: HandoffState = HandoffState.PENDING
    decided_at: datetime | None = None
    decline_reason: str | None = None
    attempt: int = 1  # 1 for the first assignee, 2 for the next, ...
    id: int | None = None


# Reasons a rep can give with one tap when declining a hand-off (anything else is typed as text).
DECLINE_REASONS: tuple[str, ...] = ("busy", "territory", "conflict", "unfamiliar")


# Button kinds of a hand-off card; handlers/handoff.py registers how each becomes a button.
ACTION_ACCEPT = "handoff.accept"
ACTION_DECLINE = "handoff.decline"
