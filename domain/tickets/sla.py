"""The SLA clocks of a ticket, in the team's working time (domain/worktime.py).

A clock has a limit in working minutes, the minutes it used before its current run and when that run
began (None while it is stopped: the ticket waits for the customer, or is resolved). What it has used at
any moment is those minutes plus the working time since the run began; the moment it reaches a share of
its limit is that many working minutes after the run began. Weekends, nights and pauses do not count.

Each limit has three marks: the owner is nudged at 75%, the managers are told at 100% and again at 2x.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import Final

from domain.team.model import Team
from domain.worktime import add_working_minutes, is_working_time, local, next_working_moment, working_window

# (numerator, denominator) of each mark; its index + 1 is the stage a ticket reaches there.
MARKS: Final = ((3, 4), (1, 1), (2, 1))
_MAX_WINDOWS = 4000  # more than ten years of working days


def working_minutes_between(start: datetime, end: datetime, team: Team) -> int:
    """Whole working minutes of the team from `start` to `end` (0 if end is not later)."""
    if end <= start:
        return 0
    if not team.weekdays or team.work_start >= team.work_end:
        return int((end - start).total_seconds() // 60)
    total = timedelta(0)
    at = next_working_moment(start, team)
    for _ in range(_MAX_WINDOWS):
        if at >= end or not is_working_time(at, team):
            break
        window = working_window(local(at, team.timezone).date(), team)
        assert window is not None
        stop = min(window[1], end)
        total += stop - at
        at = next_working_moment(window[1], team)
    return int(total.total_seconds() // 60)


def mark_minutes(limit: int, stage: int) -> int:
    """The working minutes at which a clock of `limit` reaches `stage` (1: 75%, 2: 100%, 3: 2x)."""
    num, den = MARKS[stage - 1]
    return limit * num // den


@dataclass(frozen=True)
class SlaClock:
    limit: int
    used: int = 0
    since: datetime | None = None

    @property
    def running(self) -> bool:
        return self.since is not None

    def consumed(self, now: datetime, team: Team) -> int:
        if self.since is None:
            return self.used
        return self.used + working_minutes_between(self.since, now, team)

    def left(self, now: datetime, team: Team) -> int:
        """Working minutes until the limit (negative once past it)."""
        return self.limit - self.consumed(now, team)

    def moment_of(self, minutes: int, team: Team) -> datetime | None:
        """When the clock reaches `minutes` used; None while it is stopped (or if it reached them before
        this run)."""
        if self.since is None or minutes < self.used:
            return None
        return add_working_minutes(self.since, minutes - self.used, team)

    def due(self, team: Team) -> datetime | None:
        return self.moment_of(self.limit, team)

    def stage(self, now: datetime, team: Team) -> int:
        """The highest mark reached (0: none)."""
        spent = self.consumed(now, team)
        return max((i + 1 for i in range(len(MARKS)) if spent >= mark_minutes(self.limit, i + 1)), default=0)

    def next_check(self, reached: int, team: Team) -> datetime | None:
        """When the next mark after `reached` comes; None after the last or while stopped."""
        if reached >= len(MARKS):
            return None
        return self.moment_of(mark_minutes(self.limit, reached + 1), team)

    def pause(self, now: datetime, team: Team) -> SlaClock:
        return replace(self, used=self.consumed(now, team), since=None)

    def resume(self, now: datetime) -> SlaClock:
        return self if self.since is not None else replace(self, since=now)
