"""When an idle deal goes back to the pool (回收公海): the one rule that recycling and the /deals
"stale" filter share.

A deal's silence climbs a ladder, per stage (its idle limit L, domain/followup/rules.py):

    idle L                the owner is nudged (the silence watch)
    idle 2 × L            the manager is alerted (the silence watch)
    + 1 working day       nobody acted on the manager's alert: the deal is recycled to the pool

"1 working day" is a full day of the team's working hours counted from the alert (09:00–21:00 Mon–Sat:
an alert on Thursday 10:00 recycles on Friday 10:00; one on Saturday 10:00, on Monday 10:00), so the
manager always has a working day between the alert and the recycling. With the default limits a deal
following up (L = 7) nudges its owner on day 7, its manager on day 14 and is recycled on day 15.

`TeamPolicy.recycle_days` (N) is None by default: recycling is the automatic, per-stage rule above. A
team that sets N recycles no deal before N days of silence either, in every open stage; N must be at
least twice the longest idle limit of the open stages (no stage recycles before its manager alert),
and while N is set no stage's idle limit may exceed N / 2. Either way a deal is recycled only once its
manager alert has had its working day.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from domain.deals.model import PIPELINE, Stage
from domain.errors import InvalidInput
from domain.followup.rules import MAX_IDLE_DAYS, idle_limit, idle_limits
from domain.policy.model import TeamPolicy
from domain.ports import UnitOfWork
from domain.team.model import Team
from domain.worktime import add_working_minutes, is_working_time, local, working_window

MAX_RECYCLE_DAYS = 2 * MAX_IDLE_DAYS

# team id -> open stage -> a deal of that team and stage idle since before this moment is due
RecycleCutoffs = dict[int, dict[Stage, datetime]]


# --- one working day --------------------------------------------------------------------------------


def _working_day(team: Team) -> timedelta | None:
    """The length of the team's working day; None when it has no usable working hours."""
    if not team.weekdays or team.work_start >= team.work_end:
        return None
    start = timedelta(hours=team.work_start.hour, minutes=team.work_start.minute)
    end = timedelta(hours=team.work_end.hour, minutes=team.work_end.minute)
    return end - start


def after_working_day(at: datetime, team: Team) -> datetime:
    """One full working day of the team's after `at` (a plain day for a team without working hours)."""
    day = _working_day(team)
    if day is None:
        return at + timedelta(days=1)
    return add_working_minutes(at, int(day.total_seconds() // 60), team)


def before_working_day(at: datetime, team: Team) -> datetime:
    """The latest moment m with after_working_day(m) <= at: one working day counted back from `at`."""
    day = _working_day(team)
    if day is None:
        return at - timedelta(days=1)
    remaining = timedelta(minutes=int(day.total_seconds() // 60))
    # The working time up to `at`: from `at` itself when it is working time, else from the end of the
    # last window before it.
    cursor, window = _window_at_or_before(at, team)
    for _ in range(400):
        available = cursor - window[0]
        if remaining <= available:
            return cursor - remaining
        remaining -= available
        cursor, window = _window_at_or_before(window[0] - timedelta(microseconds=1), team)
        cursor = window[1]
    return at - timedelta(days=1)  # pragma: no cover - a usable team has a window each week


def _window_at_or_before(at: datetime, team: Team) -> tuple[datetime, tuple[datetime, datetime]]:
    """(the latest working moment at or before `at` — a window's end counts —, that window)."""
    day = local(at, team.timezone).date()
    for offset in range(9):
        window = working_window(day - timedelta(days=offset), team)
        if window is None or window[0] > at:
            continue
        if is_working_time(at, team) or at >= window[1]:
            return min(at, window[1]), window
    raise AssertionError("a team with working days has a window every week")  # pragma: no cover


# --- the rule ---------------------------------------------------------------------------------------


def manager_alert_after(policy: TeamPolicy | None, stage: Stage) -> timedelta:
    """How long a deal of `stage` is idle when its manager is alerted (twice the stage's idle limit)."""
    return 2 * idle_limit(policy, stage)


def recycle_at(idle_since: datetime, stage: Stage, policy: TeamPolicy | None, team: Team) -> datetime:
    """When a deal idle since `idle_since` in `stage` goes back to the pool."""
    automatic = after_working_day(idle_since + manager_alert_after(policy, stage), team)
    days = policy.recycle_days if policy is not None else None
    return automatic if days is None else max(automatic, idle_since + timedelta(days=days))


def stage_cutoffs(now: datetime, policy: TeamPolicy | None, team: Team) -> dict[Stage, datetime]:
    """Per open stage, the moment a deal must have been idle since before to be due at `now`:
    idle_since < cutoff exactly when recycle_at(idle_since, ...) <= now (up to the microsecond)."""
    alerted_by = before_working_day(now, team)
    days = policy.recycle_days if policy is not None else None
    cutoffs = {}
    for stage in PIPELINE:
        cutoff = alerted_by - manager_alert_after(policy, stage)
        if days is not None:
            cutoff = min(cutoff, now - timedelta(days=days))
        cutoffs[stage] = cutoff + timedelta(microseconds=1)
    return cutoffs


async def recycle_cutoffs(uow: UnitOfWork, now: datetime, team_id: int | None = None) -> RecycleCutoffs:
    """The cutoffs of one team, or of every team (each with its own policy, hours and time zone)."""
    if team_id is not None:
        team = await uow.teams.get(team_id)
        if team is None:
            return {}
        return {team_id: stage_cutoffs(now, await uow.policies.ensure(team_id), team)}
    policies = {policy.team_id: policy for policy in await uow.policies.all()}
    return {
        team.id: stage_cutoffs(now, policies.get(team.id), team) for team in await uow.teams.list() if team.id is not None
    }


# --- what a team may set ----------------------------------------------------------------------------


def shortest_recycle_days(policy: TeamPolicy) -> tuple[int, int]:
    """(the fewest recycle_days the team may set, the longest idle limit that makes it so)."""
    longest = max(idle_limits(policy).values())
    return 2 * longest, longest


def check_recycle_days(policy: TeamPolicy, days: int | None) -> None:
    """A set recycle period is refused when some stage would recycle before its manager alert."""
    if days is None:
        return
    shortest, longest = shortest_recycle_days(policy)
    if days < shortest:
        raise InvalidInput("error-recycle-too-short", days=days, min=shortest, limit=longest)
    if days > MAX_RECYCLE_DAYS:
        raise InvalidInput("error-policy-range", field="recycle_days", min=shortest, max=MAX_RECYCLE_DAYS)


def check_idle_limit(policy: TeamPolicy, days: int) -> None:
    """While recycle_days is set, no stage may stay silent longer than half of it."""
    if policy.recycle_days is not None and 2 * days > policy.recycle_days:
        raise InvalidInput("error-idle-over-recycle", recycle=policy.recycle_days, max=policy.recycle_days // 2)
