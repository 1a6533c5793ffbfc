"""Ports of the outbox."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Protocol

from domain.outbox.model import DeadLetter, Notification, OutboxMessage
from domain.team.ports import AuditLog


class Outbox(Protocol):
    """Queues messages for people other than the one chatting, in the caller's transaction."""

    async def put(self, message: OutboxMessage) -> Notification | None:
        """Render and queue; returns None when the dedupe key was already queued."""
        ...


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
