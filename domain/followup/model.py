"""Activities: calls, visits, messages, e-mails, meetings and notes logged on a deal."""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import datetime


class ActivityKind(enum.StrEnum):
    CALL = "call"
    VISIT = "visit"
    MESSAGE = "message"  # WeChat or another messenger
    EMAIL = "email"
    MEETING = "meeting"
    NOTE = "note"  # a note with no contact behind it


class ActivityOutcome(enum.StrEnum):
    """How a contact with the customer went (a note has none)."""

    REACHED = "reached"
    NO_ANSWER = "no_answer"
    INTERESTED = "interested"
    NEEDS_PROPOSAL = "needs_proposal"
    NOT_INTERESTED = "not_interested"
    CALL_BACK = "call_back"  # asked to be called back


@dataclass(eq=False)
class Activity:
    """Something that happened with a lead or an opportunity, logged by a person."""

    team_id: int
    actor_id: int
    kind: ActivityKind
    at: datetime
    note: str | None = None
    opportunity_id: int | None = None
    lead_id: int | None = None
    outcome: ActivityOutcome | None = None
    voice_file_id: str | None = None  # a voice note, kept by its Telegram file id
    needs: str | None = None  # needs or pain points the customer told us about
    next_step: str | None = None  # what the rep plans to do next ...
    next_due: datetime | None = None  # ... and when (it became a reminder)
    id: int | None = None
