"""Ports of the follow-up feature."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from datetime import datetime
from typing import Protocol

from domain.deals.model import Opportunity
from domain.followup.model import Activity
from domain.followup.rules import AgendaLine, SearchQuery, SearchRow, StaleRow, TimelineEntry, Visibility
from domain.reminders.model import Reminder


class ActivityRepo(Protocol):
    async def add(self, activity: Activity) -> Activity: ...
    async def for_opportunity(self, opportunity_id: int, limit: int) -> Sequence[Activity]: ...


class FollowupRepo(Protocol):
    """Follow-up in storage (domain/followup/): the silence watch, follow-up reminders and
    their escalation, the timeline, the morning agenda, search and the stale report."""

    async def silent(self, now: datetime, limit: int, skip: Collection[int] = ()) -> Sequence[Opportunity]:
        """The silence sweep's query: deals whose silence check is due at `now`, earliest first (locked
        on PostgreSQL). Reads an index on the check time only: the work grows with what is due."""
        ...
    async def set_silence(
        self, opportunity: Opportunity, *, expect_level: int, expect_check: datetime | None, level: int,
        check_at: datetime | None,
    ) -> bool:
        """Sets the silence level and next check if the deal is still at (expect_level, expect_check);
        False when something else changed it first."""
        ...
    async def recheck_team(self, team_id: int, at: datetime) -> int:
        """Every open, owned deal of the team is looked at again by `at` (its limits changed)."""
        ...
    async def recheck_deal(self, opportunity_id: int, at: datetime) -> None:
        """The silence sweep looks at the deal again by `at` (its next step went away)."""
        ...
    async def has_next_step(self, opportunity_id: int, user_id: int) -> bool:
        """The user has an open follow-up reminder (pending, snoozed or nudged) on the deal."""
        ...
    async def complete_followups(self, opportunity_id: int, user_id: int, now: datetime) -> int:
        """The user's open follow-up reminders on the deal become done; returns how many."""
        ...
    async def last_activity(self, opportunity_id: int) -> Activity | None:
        """The newest activity on the deal."""
        ...
    async def timeline(self, opportunity_id: int, offset: int, limit: int) -> tuple[Sequence[TimelineEntry], int]:
        """Activities on the deal, newest first, with the actors' names; and how many there are."""
        ...
    async def escalations_due(self, now: datetime, limit: int, skip: Collection[int] = ()) -> Sequence[Reminder]:
        """Nudged follow-ups whose escalation time has come, earliest first (locked on PostgreSQL)."""
        ...
    async def claim_escalation(self, reminder: Reminder, now: datetime, *, escalated: bool) -> bool:
        """Clears the reminder's escalation time (marking it escalated when `escalated`) if it is still
        nudged and still waiting to escalate at the same time; False when it was handled first."""
        ...
    async def agenda(self, team_id: int, start: datetime, end: datetime, now: datetime) -> Sequence[AgendaLine]:
        """The team's morning agenda lines, by person: reminders ahead today ([max(start, now), end);
        follow-ups nudged earlier today too), follow-ups nudged before `start` and not acted on
        (open deals only), and hand-offs waiting for acceptance."""
        ...
    async def search(self, visibility: Visibility, query: SearchQuery, limit: int) -> Sequence[SearchRow]:
        """Visible deals whose company, contact, phone, e-mail, title or activity notes match, most
        recently active first."""
        ...
    async def stale(self, visibility: Visibility, now: datetime) -> Sequence[StaleRow]:
        """Visible open, owned deals the silence watch has flagged in their current period, or with a
        follow-up nudged before `now` and not acted on."""
        ...
