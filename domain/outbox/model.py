"""The outbox: what must reach a person other than the one chatting, written in the same transaction
as the change that caused it, delivered later by the dispatcher (bot/outbox.py)."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any


class NotificationState(enum.StrEnum):
    PENDING = "pending"
    SENT = "sent"
    DEAD = "dead"  # gave up after retries; admins can list and retry
    UNREACHABLE = "unreachable"  # 403 / chat not found: the person must /start the bot again
    CANCELLED = "cancelled"


@dataclass(frozen=True)
class Action:
    """A button in a pushed message, described without any chat framework.

    `kind` names what the button does ("reminder.done"); the bot layer turns it into typed callback
    data and a label in the recipient's language.
    """

    kind: str
    id: int = 0
    arg: str = ""


@dataclass(frozen=True)
class OutboxMessage:
    """A request to tell somebody something. Exactly one of recipient_id / chat_id is set."""

    key: str  # catalogue message id
    dedupe_key: str
    recipient_id: int | None = None  # a User id: the language and chat come from the profile
    chat_id: int | None = None  # a group chat: the team's language
    team_id: int | None = None
    params: dict[str, Any] = field(default_factory=dict)
    actions: tuple[tuple[Action, ...], ...] = ()
    urgent: bool = False
    # True when a person chose this exact time (their own reminder): it ignores working hours.
    explicit_time: bool = False
    not_before: datetime | None = None
    kind: str = ""


@dataclass(eq=False)
class Notification:
    chat_id: int
    text: str
    dedupe_key: str
    created_at: datetime
    not_before: datetime
    kind: str = ""
    recipient_id: int | None = None
    team_id: int | None = None
    reply_markup: str | None = None  # JSON of the Telegram inline keyboard
    urgent: bool = False
    state: NotificationState = NotificationState.PENDING
    attempts: int = 0
    next_attempt_at: datetime | None = None
    last_error: str | None = None
    sent_at: datetime | None = None
    message_id: int | None = None
    lease_owner: str | None = None
    lease_until: datetime | None = None
    id: int | None = None


@dataclass(frozen=True)
class DeadLetter:
    """A read model: one dead-lettered notification as an admin sees it in /deadletters."""

    id: int
    chat_id: int
    kind: str
    attempts: int
    failed_at: datetime
    last_error: str | None
    text: str
    recipient_id: int | None = None
    recipient_name: str | None = None
    team_name: str | None = None


@dataclass(frozen=True)
class Phrase:
    """A message parameter that is itself a catalogue message ("stage-proposal", "source-website"),
    rendered in the recipient's language. A list or tuple of phrases is rendered as one joined list."""

    key: str
    params: dict[str, Any] = field(default_factory=dict)
