"""When the bot speaks up about a contract by itself: the signing deadline (the owner at half the time,
then the owner and the manager once the deadline has passed, daily until it is signed or cancelled) and
the payment reminder cadence of a milestone (default: 7 and 1 days before it is due, on the day, then 1,
7, 14, 21 and 28 days overdue; from 7 days overdue the manager and finance hear too). Every moment is the
start of the team's working day in its own time zone."""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date, datetime, time, timedelta
from typing import Final

from domain.errors import InvalidInput
from domain.team.model import Team
from domain.worktime import at_local, local

# Days from the due date; negative is before it.
CADENCE: Final[tuple[int, ...]] = (-7, -1, 0, 1, 7, 14, 21, 28)
ESCALATE_FROM_DAYS: Final = 7  # overdue this long: the manager and finance are told too
# A team's own cadence (/policy → ⏰ 回款提醒节奏): at most this many steps, each within these days of the due date.
MAX_STEPS: Final = 12
EARLIEST_DAYS: Final = -60
LATEST_DAYS: Final = 180
PRESETS: Final[dict[str, tuple[int, ...]]] = {
    "default": CADENCE,
    "gentle": (-3, 0, 3, 14, 30),  # fewer words: a few days ahead, on the day, then rarely
    "tight": (-7, -3, -1, 0, 1, 3, 7, 14, 21, 28),  # close to the day, on both sides
}
_NUMBER = re.compile(r"[+-]?\d{1,4}")
_SPLIT = re.compile(r"[\s,，;；、]+")


def check_cadence(days: Sequence[int]) -> tuple[int, ...]:
    """A cadence as the sweep uses it: distinct days from the due date, in order, 1..MAX_STEPS of them,
    each between EARLIEST_DAYS and LATEST_DAYS (error-cadence-* otherwise)."""
    found = sorted(set(days))
    if not found or len(found) > MAX_STEPS:
        raise InvalidInput("error-cadence-size", max=MAX_STEPS)
    if found[0] < EARLIEST_DAYS or found[-1] > LATEST_DAYS:
        raise InvalidInput("error-cadence-range", low=EARLIEST_DAYS, high=LATEST_DAYS)
    return tuple(found)


def parse_cadence(text: str) -> tuple[int, ...]:
    """`-7 -1 0 1 7 14 21 28` (days from the due date; negative is before it), checked."""
    words = [w for w in _SPLIT.split((text or "").strip()) if w]
    bad = next((w for w in words if not _NUMBER.fullmatch(w)), None)
    if not words or bad is not None:
        raise InvalidInput("error-cadence-words", word=bad or "—")
    return check_cadence([int(w) for w in words])


def resume(due_on: date, now: datetime, team: Team, cadence: tuple[int, ...]) -> tuple[int, datetime | None]:
    """Where a milestone's reminders go on after its team changed the cadence: the first step still ahead
    (what was said under the old cadence is not said again)."""
    for step in range(len(cadence)):
        moment = reminder_at(due_on, step, team, cadence)
        if moment is not None and moment > now:
            return step, moment
    return len(cadence), None


def reminder_at(due_on: date, step: int, team: Team, cadence: tuple[int, ...] = CADENCE) -> datetime | None:
    """The moment of the cadence's `step` (0-based) for a milestone due on `due_on`; None past the last."""
    if not 0 <= step < len(cadence):
        return None
    return at_local(due_on + timedelta(days=cadence[step]), team.work_start, team.timezone)


def due_step(due_on: date, now: datetime, team: Team, cadence: tuple[int, ...] = CADENCE) -> int | None:
    """The latest step of the cadence whose moment has come at `now` (after a pause, older ones are
    skipped: one reminder says it all); None when none has."""
    found = None
    for step in range(len(cadence)):
        moment = reminder_at(due_on, step, team, cadence)
        if moment is not None and moment <= now:
            found = step
    return found


def first_check(due_on: date, now: datetime, team: Team, cadence: tuple[int, ...] = CADENCE) -> tuple[int, datetime | None]:
    """Where a milestone's cadence starts when its contract is signed: with the next step still ahead; a
    milestone already due or overdue is said at once (where it stands), never with a stale "7 days before"."""
    step = due_step(due_on, now, team, cadence)
    if step is None:
        start = 0
    elif cadence[step] < 0:
        start = step + 1  # a "days before" step that has passed: the next one
    else:
        start = step
    return start, reminder_at(due_on, start, team, cadence)


def days_overdue(due_on: date, now: datetime, team: Team) -> int:
    """Whole days since the due date in the team's time zone (negative: days still to go)."""
    return (local(now, team.timezone).date() - due_on).days


def escalates(days: int) -> bool:
    return days >= ESCALATE_FROM_DAYS


# --- the signing deadline --------------------------------------------------------------------------------


def sign_deadline(sign_by: date, team: Team) -> datetime:
    """A contract may be signed through its last day, in the team's time zone."""
    return at_local(sign_by + timedelta(days=1), time(0), team.timezone)


def half_time(start: datetime, sign_by: date, team: Team) -> datetime:
    deadline = sign_deadline(sign_by, team)
    return start + (deadline - start) / 2


def next_morning(now: datetime, team: Team) -> datetime:
    """The start of the team's next working day... or simply of the next day: a passed deadline is told
    once a day, whatever day it is."""
    tomorrow = local(now, team.timezone).date() + timedelta(days=1)
    return at_local(tomorrow, team.work_start, team.timezone)


def local_day(now: datetime, team: Team) -> str:
    return local(now, team.timezone).date().isoformat()
