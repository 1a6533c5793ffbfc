"""Delivery rules: backoff with jitter, what a failed attempt does to a row."""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Protocol

from domain.outbox.model import NotificationState

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
