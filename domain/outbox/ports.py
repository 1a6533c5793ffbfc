"""Ports of the outbox."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any, Protocol

from domain.outbox.kinds import Subject
from domain.outbox.model import Actions, Cancelled, DeadLetter, HeldNotice, Notification, Reader, Rendered
from domain.team.ports import AuditLog


class Outbox(Protocol):
    """The notifications table, in the caller's transaction: it stores rows, nothing more."""

    async def queued(self, dedupe_key: str) -> bool:
        """Whether a row with this dedupe key exists (in any state)."""
        ...

    async def add(self, row: Notification) -> Notification | None:
        """Insert the row with its id set; None when its dedupe key exists (also against a concurrent
        writer). Wakes the dispatcher after the commit."""
        ...

    async def add_many(self, rows: Sequence[Notification]) -> list[Notification | None]:
        """add() for many rows at once (a batch of hand-off cards): for each, in order, the row with its id
        set, or None when its dedupe key exists (in the table or earlier in `rows`)."""
        ...

    async def check_queued(self, rows: Sequence[Notification], now: datetime) -> set[int]:
        """The ids of the rows just added that no longer hold by their kind's rule (domain/outbox/kinds.py
        `Valid`), with everything this transaction changed so far: they are cancelled at once, marked
        "stale when queued"."""
        ...

    async def release(self, notice: str, team_id: int, at: datetime) -> int:
        """Pending rows of the team carrying message `notice` that are held until later than `at`: due at
        `at` from now on. Returns how many (domain/outbox/notify.py release_held)."""
        ...

    async def settle(self, subject: Subject, subject_id: int, *, why: str, now: datetime) -> Sequence[Cancelled]:
        """The subject moved on (`why`: what happened, "handoff.accepted"): cancel its pending notices
        whose rule no longer holds, in this transaction, marked with `why`. For a deal
        (Subject.OPPORTUNITY) that is also every notice about its hand-offs, next steps, stage changes
        and activities. Returns what was cancelled."""
        ...

    async def opened(self, notification_id: int) -> HeldNotice | None:
        """One notice as it was queued (its recipient, text, buttons, whether it was held over a daily
        budget) and whether its kind's rule still holds now; None if there is no such row."""
        ...


class NoticeRenderer(Protocol):
    """Turns a message into what the chat shows (the bot implements it: bot/render.py). Everything it
    needs comes in the call; it reads no storage."""

    def render(self, key: str, params: Mapping[str, Any], actions: Actions, reader: Reader) -> Rendered: ...


class DeadLetterRepo(Protocol):
    """Notifications the dispatcher gave up on (state dead), for admins to inspect and retry."""

    async def count(self) -> int: ...
    async def page(self, offset: int, limit: int) -> Sequence[DeadLetter]:
        """Newest first (by when they were given up), with the recipient's name or the group's team."""
        ...
    async def revive(self, notification_id: int, now: datetime) -> bool:
        """Dead -> pending with a fresh set of attempts, due now; False if the row is not dead (any more)."""
        ...
    async def revive_all(self, now: datetime) -> int: ...


class DeadLetterWork(Protocol):
    """The narrow unit of work of the dead-letter services."""

    @property
    def dead_letters(self) -> DeadLetterRepo: ...
    @property
    def audit(self) -> AuditLog: ...
