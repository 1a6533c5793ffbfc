"""Pacing: when the outbox dispatcher (bot/outbox.py) may send the next message, within Telegram's limits.

Claimed rows wait in memory for their turn: one global pace (RATE_GLOBAL_PER_SECOND, evenly spaced and
never more than the cap in any sliding second) and one per chat (RATE_PRIVATE_PER_SECOND for a person,
RATE_GROUP_PER_MINUTE for a group, chat_id < 0). Claims pass over chats still inside their own window,
and among the chats free to take a message the one with the longest queue goes first (`Held`). So a
chat at its own limit never holds up the others, a backlog ends with all chats done together instead
of a few long queues trickling out, and it drains at the global cap less a 3% safety margin (for
network jitter; a 429 widens it a while).

This pacer counts one process's messages. With REDIS_URL set, several instances also book every message's
slot in Redis (bot/shared_limits.py), so that together they keep the limits as one bot; this pacer then
still orders the claimed rows and keeps the process itself within the caps.
"""

from __future__ import annotations

import heapq
import itertools
import math
from collections import deque
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Generic, Protocol, TypeVar

if TYPE_CHECKING:
    from bot.config import Settings


@dataclass(frozen=True)
class Window:
    """At most `limit` messages in any `seconds` (a sliding window)."""

    limit: int
    seconds: float


def window(rate: float, per_seconds: float) -> Window:
    """`rate` messages per `per_seconds` as a window: 30/s -> 30 in 1 s; 0.5/s -> 1 in 2 s."""
    limit = max(1, math.floor(rate))
    return Window(limit, per_seconds * limit / rate)


@dataclass(frozen=True)
class Limits:
    """The caps the dispatcher keeps to: the whole bot, each private chat, each group."""

    overall: Window = Window(30, 1.0)
    private: Window = Window(1, 1.0)
    group: Window = Window(20, 60.0)
    # Stay this fraction under each cap: the server counts arrivals, we count departures.
    safety: float = 0.03
    enabled: bool = True

    @classmethod
    def from_settings(cls, settings: Settings) -> Limits:
        return cls(
            overall=window(settings.rate_global_per_second, 1.0),
            private=window(settings.rate_private_per_second, 1.0),
            group=window(settings.rate_group_per_minute, 60.0),
        )

    @classmethod
    def unlimited(cls) -> Limits:
        """The console sandbox and flow tests: no Telegram behind the bot, nothing to pace."""
        return cls(enabled=False)

    @property
    def per_second(self) -> float:
        return self.overall.limit / self.overall.seconds

    def chat_window(self, chat_id: int) -> Window:
        return self.group if chat_id < 0 else self.private


class Pacer:
    """When the next message may leave, globally and per chat, in monotonic seconds.

    Globally: evenly spaced (a GCRA; time lost to a late wake-up is made up at twice the pace)
    and, as a hard bound, never more than the cap within any window stretched by the safety margin.
    Per chat: the sliding window alone (a group may post a burst of 20, then waits).

    `record` returns the departure's slot; `depart` moves it to when the request really leaves, so
    a request held up by a busy event loop is not counted as earlier than the server will see it.
    """

    # After a 429 the margin widens by this much (up to MAX_EXTRA), and narrows back by half of it
    # for every CALM seconds without one: Telegram's real limits are not exact.
    STEP_EXTRA = 0.02
    MAX_EXTRA = 0.10
    CALM = 30.0

    def __init__(self, limits: Limits) -> None:
        self.limits = limits
        g = limits.overall
        self.global_window = g
        self.sent: deque[list[float]] = deque(maxlen=g.limit)
        self.extra = 0.0
        self.calm_since = -math.inf
        self._stretch(0.0)
        # Time lost to late wake-ups (a busy event loop) beyond the tolerance is made up at twice the
        # pace, never in a burst: a burst arrives bunched up and would break the cap at the server.
        self.debt = 0.0
        self.tat = -math.inf
        self.chats: dict[int, deque[list[float]]] = {}
        self.paused_until = -math.inf  # a 429: Telegram said wait
        self.held_until = -math.inf  # the shared limit in Redis said wait (the bot's slots are booked)

    def _stretch(self, extra: float) -> None:
        self.extra = extra
        self.stretch = 1.0 + self.limits.safety + extra
        self.gap = self.global_window.seconds / self.global_window.limit * self.stretch
        self.tolerance = 2 * self.gap
        self.max_debt = 20 * self.gap

    def chat_ready(self, chat_id: int) -> float:
        if not self.limits.enabled:
            return -math.inf
        times = self.chats.get(chat_id)
        w = self.limits.chat_window(chat_id)
        if times is None or len(times) < w.limit:
            return -math.inf
        return times[0][0] + w.seconds * self.stretch

    def global_ready(self) -> float:
        if not self.limits.enabled:
            return max(self.paused_until, self.held_until)
        ready = max(self.paused_until, self.held_until, self.tat - self.tolerance)
        if len(self.sent) == self.global_window.limit:
            ready = max(ready, self.sent[0][0] + self.global_window.seconds * self.stretch)
        return ready

    def record(self, chat_id: int, at: float) -> list[float]:
        slot = [at]
        if not self.limits.enabled:
            return slot
        if self.extra and at - self.calm_since > self.CALM:
            self._stretch(max(0.0, self.extra - self.STEP_EXTRA / 2))
            self.calm_since = at
        self.sent.append(slot)
        if at > self.tat:
            late = at - self.tat
            # Late by a little: a busy loop, made up. By a lot: the bot was idle, nothing owed.
            self.debt = min(self.debt + late, self.max_debt) if late < self.max_debt else 0.0
            self.tat = at
        repay = min(self.debt, self.gap / 2)
        self.debt -= repay
        self.tat += self.gap - repay
        times = self.chats.get(chat_id)
        if times is None:
            if len(self.chats) > 20_000:
                self._forget(at)
            times = self.chats[chat_id] = deque(maxlen=self.limits.chat_window(chat_id).limit)
        times.append(slot)
        return slot

    def busy_chats(self, until: float, most: int = 2000) -> list[int]:
        """Chats that cannot take a message before `until` (at most `most` of them)."""
        if not self.limits.enabled:
            return []
        busy = [c for c in self.chats if self.chat_ready(c) > until]
        return busy[:most]

    @staticmethod
    def depart(slot: list[float], at: float) -> None:
        slot[0] = max(slot[0], at)

    def pause(self, now: float, seconds: float) -> None:
        """Telegram answered 429: nothing leaves before `now + seconds`, and the margin widens."""
        self.paused_until = max(self.paused_until, now + seconds)
        if now - self.calm_since > 1.0:  # one widening per burst of 429s
            self._stretch(min(self.extra + self.STEP_EXTRA, self.MAX_EXTRA))
        self.calm_since = now

    def hold(self, until: float) -> None:
        """Nothing leaves before `until` (the shared limit in Redis said so; the margin stays)."""
        self.held_until = max(self.held_until, until)

    def _forget(self, now: float) -> None:
        """Drop chats whose window has passed: they are free anyway."""
        for chat_id in [c for c in self.chats if self.chat_ready(c) <= now]:
            del self.chats[chat_id]



class Queued(Protocol):
    """A claimed row as far as pacing is concerned."""

    @property
    def depth(self) -> int: ...  # rows due for its chat when it was claimed, itself included


R = TypeVar("R", bound=Queued)


@dataclass(order=True)
class _Waiting(Generic[R]):
    ready: float  # when the row's chat can take it
    seq: int
    row: R = field(compare=False)


@dataclass(order=True)
class _Ready(Generic[R]):
    deeper: int  # minus the chat's queue length: the longest queue goes first
    seq: int
    row: R = field(compare=False)


class Held(Generic[R]):
    """Claimed rows not yet sent: those whose chat is free now, longest queue first, and those
    waiting for their chat's window, soonest first."""

    def __init__(self) -> None:
        self.ready: list[_Ready[R]] = []
        self.waiting: list[_Waiting[R]] = []
        self.seq = itertools.count()

    def __len__(self) -> int:
        return len(self.ready) + len(self.waiting)

    def rows(self) -> list[R]:
        return [h.row for h in self.ready] + [h.row for h in self.waiting]

    def push(self, row: R, ready_at: float, now: float) -> None:
        if ready_at <= now:
            heapq.heappush(self.ready, _Ready(-row.depth, next(self.seq), row))
        else:
            heapq.heappush(self.waiting, _Waiting(ready_at, next(self.seq), row))

    def next_at(self, now: float) -> float:
        """When the first row can go as far as its chat is concerned (moving the now-ready over)."""
        while self.waiting and self.waiting[0].ready <= now:
            row = heapq.heappop(self.waiting).row
            heapq.heappush(self.ready, _Ready(-row.depth, next(self.seq), row))
        if self.ready:
            return now
        return self.waiting[0].ready if self.waiting else math.inf

    def pop(self) -> R:
        return heapq.heappop(self.ready).row


__all__ = ["Held", "Limits", "Pacer", "Queued", "Window", "window"]
