"""The outbox: what must reach a person other than the one chatting, written in the same transaction
as the change that caused it, delivered later by the dispatcher (bot/outbox.py)."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, Protocol


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


# --- Delivery rules (the dispatcher in bot/outbox.py applies them) ---------------------------------

# A Telegram outage of about half an hour is ridden out: 2 s, 4 s, 8 s, ... capped at 15 minutes,
# twelve attempts in all (about 40 minutes) before a row is dead-lettered for an admin to look at.
MAX_ATTEMPTS = 12
BACKOFF_BASE = timedelta(seconds=2)
BACKOFF_CAP = timedelta(minutes=15)


class RandomSource(Protocol):
    def random(self) -> float: ...


def retry_delay(
    attempts: int, rng: RandomSource, *, base: timedelta = BACKOFF_BASE, cap: timedelta = BACKOFF_CAP
) -> timedelta:
    """How long to wait after the `attempts`-th failed attempt: exponential with "equal jitter".

    The ceiling doubles per attempt (base, 2*base, 4*base, ... up to cap); the delay is drawn
    uniformly from [ceiling/2, ceiling], so retries of many rows that failed together spread out
    while each still backs off at least half the ceiling.
    """
    if attempts < 1:
        raise ValueError("retry_delay is for an attempt that failed (attempts >= 1)")
    ceiling = min(cap.total_seconds(), base.total_seconds() * 2.0 ** min(attempts - 1, 40))
    return timedelta(seconds=ceiling / 2 + rng.random() * ceiling / 2)


class Failure(enum.StrEnum):
    """What a failed delivery attempt means for the row."""

    RATE_LIMITED = "rate_limited"  # 429: wait retry_after for the whole bot, retry; not an attempt
    TRANSIENT = "transient"  # 5xx, network errors, timeouts: back off and retry, up to MAX_ATTEMPTS
    PERMANENT = "permanent"  # Telegram refuses the request itself (bad markup...): retrying cannot help
    UNREACHABLE = "unreachable"  # 403 / chat not found: the person or group must act first


@dataclass(frozen=True)
class NextStep:
    state: NotificationState
    attempts: int
    next_attempt_at: datetime


def after_failure(
    attempts: int, failure: Failure, now: datetime, rng: RandomSource, *, max_attempts: int = MAX_ATTEMPTS
) -> NextStep:
    """The row's state after a failed attempt, given the attempts it had before this one.

    For a dead or unreachable row `next_attempt_at` records when it was given up.
    """
    if failure is Failure.RATE_LIMITED:
        return NextStep(NotificationState.PENDING, attempts, now)
    if failure is Failure.UNREACHABLE:
        return NextStep(NotificationState.UNREACHABLE, attempts + 1, now)
    if failure is Failure.PERMANENT:
        return NextStep(NotificationState.DEAD, attempts + 1, now)
    tried = attempts + 1
    if tried >= max_attempts:
        return NextStep(NotificationState.DEAD, tried, now)
    return NextStep(NotificationState.PENDING, tried, now + retry_delay(tried, rng))


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
