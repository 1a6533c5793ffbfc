"""Reminders: set, list, cancel, complete, snooze, and the nudge when due."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, timedelta

from domain.audit import record
from domain.caps import OPEN_REMINDERS
from domain.errors import AlreadyDone, Forbidden, InvalidInput, NotFound
from domain.followup.rules import SUBJECT_OPPORTUNITY
from domain.outbox.kinds import Kind, Subject
from domain.outbox.model import Action
from domain.outbox.notify import Notice, moved_on, tell_user
from domain.ports import UnitOfWork
from domain.reminders.model import (
    ACTION_DONE,
    ACTION_SNOOZE,
    MAX_TEXT,
    OPEN_STATES,
    PER_PAGE,
    QuickTime,
    Reminder,
    ReminderPage,
    ReminderState,
    Snooze,
)
from domain.sweeps import Sweep
from domain.team.model import Team, User
from domain.worktime import at_local, local


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


async def check_room(uow: UnitOfWork, *, owner: User) -> None:
    """Refuses a new personal reminder to someone who already has OPEN_REMINDERS waiting (domain/caps.py):
    /remind says so before asking anything, set_reminder again when saving."""
    assert owner.id is not None
    OPEN_REMINDERS.check(await uow.reminders.personal_open(owner.id))


async def set_reminder(
    uow: UnitOfWork, *, owner: User, due_at: datetime, text: str, now: datetime, explicit: bool = True,
) -> Reminder:
    """A reminder for `owner` at `due_at`. `explicit` (a time the person chose) fires even outside
    working hours; a time the system picked waits for the team's next working window. At most
    OPEN_REMINDERS personal ones wait per person (Forbidden "error-cap-reminders" beyond)."""
    text = clean_text(text)
    if not text or len(text) > MAX_TEXT or text.startswith("/"):
        raise InvalidInput("error-reminder-text", max=MAX_TEXT)
    due_at = _minute(due_at)
    if due_at <= now:
        raise InvalidInput("error-reminder-past")
    await check_room(uow, owner=owner)
    assert owner.id is not None
    reminder = await uow.reminders.add(
        Reminder(user_id=owner.id, team_id=owner.team_id, text=text, due_at=due_at, created_at=now, explicit=explicit)
    )
    await record(
        uow, now=now, action="reminder.set", entity="reminder", entity_id=reminder.id, actor_id=owner.id,
        team_id=owner.team_id, after={"due_at": due_at.isoformat(), "explicit": explicit},
    )
    return reminder


async def list_reminders(uow: UnitOfWork, *, owner: User, page: int = 0, per_page: int = PER_PAGE) -> ReminderPage:
    """/reminders: one page of the owner's pending and snoozed reminders, soonest first. A page past the
    end (the list shrank since the button was drawn) gives the last page."""
    assert owner.id is not None
    per_page = max(1, min(per_page, 50))
    page = max(0, page)
    items, total = await uow.reminders.open_for_user(owner.id, offset=page * per_page, limit=per_page)
    last = max(0, -(-total // per_page) - 1)
    if page > last:
        page = last
        items, total = await uow.reminders.open_for_user(owner.id, offset=page * per_page, limit=per_page)
    return ReminderPage(items=list(items), total=total, page=page, per_page=per_page)


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
    await moved_on(uow, Subject.REMINDER, reminder.id, why="reminder.cancelled", now=now)
    await _step_gone(uow, reminder, now)
    return reminder


async def _step_gone(uow: UnitOfWork, reminder: Reminder, now: datetime) -> None:
    """A follow-up's next step was cancelled or done without an activity: the deal may have no next
    step left, so the silence watch looks at it again now."""
    if reminder.subject_kind == SUBJECT_OPPORTUNITY and reminder.subject_id is not None:
        await uow.followups.recheck_deal(reminder.subject_id, now)


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
    await moved_on(uow, Subject.REMINDER, reminder.id, why="reminder.done", now=now)
    await _step_gone(uow, reminder, now)
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
    await moved_on(uow, Subject.REMINDER, reminder.id, why="reminder.snoozed", now=now)
    return reminder


def snooze_actions(reminder: Reminder) -> tuple[Action, ...]:
    """The snooze buttons of a nudge, for this snooze round (a press on an older nudge is stale)."""
    assert reminder.id is not None
    return tuple(Action(ACTION_SNOOZE[s], reminder.id, str(reminder.snoozes)) for s in Snooze)


def nudge(reminder: Reminder) -> Notice:
    """The message at the reminder's time, with Done and the snooze choices for this round."""
    assert reminder.id is not None
    round_ = str(reminder.snoozes)
    return Notice(
        Kind.REMINDER_NUDGE, about=reminder.id, params={"text": reminder.text},
        actions=(
            (Action(ACTION_DONE, reminder.id, round_),),
            snooze_actions(reminder),
        ),
        at=reminder.due_at, chosen=reminder.explicit,
    )


@dataclass(frozen=True)
class SubjectNudge:
    """The nudge of a reminder about something (a follow-up's deal), composed by that feature."""

    notice: Notice
    escalate_at: datetime | None = None  # not acted on by then: the feature's escalation sweep acts


# A reminder about a subject gets that subject's nudge: subject kind -> composer. The composer returns
# None when the reminder no longer makes sense (the deal was closed, say): it is cancelled, unsent.
SubjectComposer = Callable[[UnitOfWork, Reminder, datetime], Awaitable[SubjectNudge | None]]
SUBJECT_NUDGES: dict[str, SubjectComposer] = {}


def register_subject(kind: str, composer: SubjectComposer) -> None:
    SUBJECT_NUDGES[kind] = composer


async def fire_reminder(uow: UnitOfWork, reminder: Reminder, now: datetime) -> bool:
    """The sweep's act: claim the due reminder and queue its nudge; False if it was handled already."""
    composer = SUBJECT_NUDGES.get(reminder.subject_kind or "")
    custom = await composer(uow, reminder, now) if composer is not None else None
    if composer is not None and custom is None:
        await uow.reminders.transition(
            reminder, expect=OPEN_STATES, round=reminder.snoozes, state=ReminderState.CANCELLED
        )
        return False
    changes: dict[str, object] = {"state": ReminderState.SENT, "sent_at": now}
    if custom is not None and custom.escalate_at is not None and reminder.escalated_at is None:
        changes["escalate_at"] = custom.escalate_at
    if not await uow.reminders.transition(reminder, expect=OPEN_STATES, round=reminder.snoozes, **changes):
        return False
    # Just claimed as sent, in this unit of work, by a compare-and-set (and the composer has just read its
    # deal): the nudge holds (fresh); it is checked again just before sending.
    notice = replace(custom.notice if custom is not None else nudge(reminder), fresh=True)
    await tell_user(uow, reminder.user_id, notice, team_id=reminder.team_id, now=now)
    return True


REMINDER_SWEEP: Sweep[Reminder] = Sweep(name="reminders", source=lambda uow: uow.reminders, act=fire_reminder)
