"""Ports of cross-team help."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from datetime import datetime
from typing import Protocol

from domain.assist.model import AgendaQuestion, AssistState, Question


class AssistRepo(Protocol):
    async def add(self, question: Question) -> Question: ...
    async def get(self, question_id: int) -> Question | None: ...
    async def update(self, question: Question, *, expect: Collection[AssistState], stage: int | None = None,
                     **changes: object) -> bool:
        """Set `changes` if the question is still in one of `expect` (and, given `stage`, still at that nudge
        stage): a stale or repeated press, or a second sweeper, changes nothing."""
        ...
    async def for_subject(self, *, ticket_id: int | None = None, opportunity_id: int | None = None,
                          limit: int = 10) -> Sequence[Question]:
        """The questions asked from a ticket's card, or from a deal's, newest first."""
        ...
    async def due(self, now: datetime, limit: int, skip: Collection[int] = ()) -> Sequence[Question]:
        """Pending questions whose check is due (locked on PostgreSQL)."""
        ...
    async def agenda(self, team_id: int) -> Sequence[AgendaQuestion]:
        """Pending questions of the team, by colleague and deadline."""
        ...
