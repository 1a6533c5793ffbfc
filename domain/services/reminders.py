"""Reminders people set for themselves: set, list, cancel; the sweep that nudges at the due time;
done and snooze from the nudge; and the morning agenda of the day's reminders."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, date, datetime, timedelta
from itertools import groupby

from domain.digests import DigestSchedule
from domain.errors import AlreadyDone, Forbidden, InvalidInput, NotFound
from domain.model import Team, User
from domain.notifications import Action, OutboxMessage
from domain.ports import UnitOfWork
from domain.reminders import (
    ACTION_DONE,
    ACTION_SNOOZE,
    MAX_TEXT,
    OPEN_STATES,
    QuickTime,
    Reminder,
    ReminderState,
    Snooze,
)
from domain.services.audit import record
from domain.sweeps import Sweep
from domain.worktime import at_local, day_bounds, local


def _minute(at: datetime) -> datetime:
    return at.astimezone(UTC).replace(second=0, microsecond=0)


def _days_later(now: datetime, days: int, tz: str) -> datetime:
    # Wall-clock arithmetic: "in 3 days" keeps the time of day across a DST change.
    return _minute(local(now, tz) + timedelta(days=days))


def _morning(day: date, team: Team) -> datetime:
    return at_local(day, team.work_start, team.timezone)


def quick_time(choice: QuickTime, now: datetime, team: Team) -> datetime:
    """The moment a one-tap answer to "when?" means, in the team's timezone."""
    today = local(now, team.timezone).date()
    if choice is QuickTime.IN_1H:
        return _minute(now + timedelta(hours=1))
    if choice is QuickTime.TOMORROW:
        return _morning(today + timedelta(days=1), team)
    if choice is QuickTime.IN_3D:
        return _days_later(now, 3, team.timezone)
    days_to_monday = (7 - today.weekday()) % 7 or 7
    return _morning(today + timedelta(days=days_to_monday), team)


def snooze_until(choice: Snooze, now: datetime, team: Team) -> datetime:
    if choice is Snooze.HOUR:
        return _minute(now + timedelta(hours=1))
    if choice is Snooze.TOMORROW:
        return _morning(local(now, team.timezone).date() + timedelta(days=1), team)
    return _days_later(now, 3, team.timezone)


def clean_text(text: str) -> str:
    return " ".join(text.split())


async def set_reminder(
    uow: UnitOfWork, *, owner: User, due_at: datetime, text: str, now: datetime, explicit: bool = True,
) -> Reminder:
    """A reminder for `owner` at `due_at`. `explicit` (a time the person chose) fires even outside
    working hours; a time the system picked waits for the team's next working window."""
    text = clean_text(text)
    if not text or len(text) > MAX_TEXT or text.startswith("/"):
        raise InvalidInput("error-reminder-text", max=MAX_TEXT)
    due_at = _minute(due_at)
    if due_at <= now:
        raise InvalidInput("error-reminder-past")
    assert owner.id is not None
    reminder = await uow.reminders.add(
        Reminder(user_id=owner.id, team_id=owner.team_id, text=text, due_at=due_at, created_at=now, explicit=explicit)
    )
    await record(
        uow, now=now, action="reminder.set", entity="reminder", entity_id=reminder.id, actor_id=owner.id,
        team_id=owner.team_id, after={"due_at": due_at.isoformat(), "explicit": explicit},
    )
    return reminder


async def list_reminders(uow: UnitOfWork, *, owner: User) -> Sequence[Reminder]:
    assert owner.id is not None
    return await uow.reminders.open_for_user(owner.id)


async def _own(uow: UnitOfWork, actor: User, reminder_id: int) -> Reminder:
    reminder = await uow.reminders.get(reminder_id)
    if reminder is None:
        raise NotFound("error-reminder-not-found")
    if reminder.user_id != actor.id:
        raise Forbidden("error-reminder-not-yours")
    return reminder


async def cancel_reminder(uow: UnitOfWork, *, actor: User, reminder_id: int, now: datetime) -> Reminder:
    reminder = await _own(uow, actor, reminder_id)
    if reminder.state not in OPEN_STATES or not await uow.reminders.transition(
        reminder, expect=OPEN_STATES, state=ReminderState.CANCELLED
    ):
        raise AlreadyDone("error-reminder-handled")
    await record(
        uow, now=now, action="reminder.cancelled", entity="reminder", entity_id=reminder.id, actor_id=actor.id,
        team_id=reminder.team_id,
    )
    return reminder


async def complete_reminder(
    uow: UnitOfWork, *, actor: User, reminder_id: int, round: int, now: datetime
) -> Reminder:
    """Done, from the nudge whose snooze round is `round` (a press on an older nudge changes nothing)."""
    reminder = await _own(uow, actor, reminder_id)
    if reminder.state is not ReminderState.SENT or reminder.snoozes != round or not await uow.reminders.transition(
        reminder, expect=(ReminderState.SENT,), round=round, state=ReminderState.DONE, done_at=now
    ):
        raise AlreadyDone("error-reminder-handled")
    await record(
        uow, now=now, action="reminder.done", entity="reminder", entity_id=reminder.id, actor_id=actor.id,
        team_id=reminder.team_id,
    )
    return reminder


async def snooze_reminder(
    uow: UnitOfWork, *, actor: User, reminder_id: int, round: int, choice: Snooze, now: datetime
) -> Reminder:
    reminder = await _own(uow, actor, reminder_id)
    if reminder.state is not ReminderState.SENT or reminder.snoozes != round:
        raise AlreadyDone("error-reminder-handled")
    team = await uow.teams.get(reminder.team_id)
    if team is None:
        raise NotFound("error-reminder-not-found")
    until = snooze_until(choice, now, team)
    # The person picked the new time, so it fires then even outside working hours.
    if not await uow.reminders.transition(
        reminder, expect=(ReminderState.SENT,), round=round, state=ReminderState.SNOOZED, due_at=until,
        snoozes=round + 1, explicit=True,
    ):
        raise AlreadyDone("error-reminder-handled")
    await record(
        uow, now=now, action="reminder.snoozed", entity="reminder", entity_id=reminder.id, actor_id=actor.id,
        team_id=reminder.team_id, after={"due_at": until.isoformat(), "snooze": choice.value},
    )
    return reminder


def nudge_key(reminder: Reminder) -> str:
    return f"reminder:{reminder.id}:{reminder.due_at.isoformat()}"


def nudge(reminder: Reminder) -> OutboxMessage:
    """The message at the reminder's time, with Done and the snooze choices for this round."""
    assert reminder.id is not None
    round_ = str(reminder.snoozes)
    return OutboxMessage(
        key="reminder-nudge",
        dedupe_key=nudge_key(reminder),
        recipient_id=reminder.user_id,
        team_id=reminder.team_id,
        params={"text": reminder.text},
        actions=(
            (Action(ACTION_DONE, reminder.id, round_),),
            tuple(Action(ACTION_SNOOZE[s], reminder.id, round_) for s in Snooze),
        ),
        explicit_time=reminder.explicit,
        not_before=reminder.due_at,
        kind="reminder",
    )


async def fire_reminder(uow: UnitOfWork, reminder: Reminder, now: datetime) -> bool:
    """The sweep's act: claim the due reminder and queue its nudge; False if it was handled already."""
    if not await uow.reminders.transition(
        reminder, expect=OPEN_STATES, round=reminder.snoozes, state=ReminderState.SENT, sent_at=now
    ):
        return False
    await uow.outbox.put(nudge(reminder))
    return True


REMINDER_SWEEP: Sweep[Reminder] = Sweep(name="reminders", source=lambda uow: uow.reminders, act=fire_reminder)


async def compose_agenda(uow: UnitOfWork, team: Team, day: date, now: datetime) -> int:
    """The morning agenda: each person with reminders still ahead today gets one list of them.
    Nobody with nothing to do today hears anything."""
    assert team.id is not None
    start, end = day_bounds(day, team.timezone)
    ahead = await uow.reminders.due_between(team.id, max(start, now), end)
    queued = 0
    for user_id, items in groupby(ahead, key=lambda r: r.user_id):
        mine = list(items)
        # Times of day in the team's timezone; the renderer escapes the person's own texts.
        lines = "\n".join(f"• {local(r.due_at, team.timezone):%H:%M} {r.text}" for r in mine)
        message = OutboxMessage(
            key="digest-agenda",
            dedupe_key=f"digest:agenda:{team.id}:{day.isoformat()}:{user_id}",
            recipient_id=user_id,
            team_id=team.id,
            params={"count": len(mine), "items": lines},
            kind="digest.agenda",
        )
        if await uow.outbox.put(message) is not None:
            queued += 1
    return queued


DAILY_AGENDA = DigestSchedule(kind="agenda", compose=compose_agenda)

__all__ = [
    "DAILY_AGENDA",
    "REMINDER_SWEEP",
    "cancel_reminder",
    "complete_reminder",
    "fire_reminder",
    "list_reminders",
    "quick_time",
    "set_reminder",
    "snooze_reminder",
    "snooze_until",
]
