"""In-memory fakes of the domain's ports, and a clock the tests move by hand."""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from types import TracebackType
from typing import Any

from domain.outbox.model import Actions, Notification, Reader, Rendered
from domain.reminders.model import OPEN_STATES, Reminder, ReminderState
from domain.team.model import AuditEvent, Invite, Role, Team, User

START = datetime(2026, 11, 26, 2, 0, tzinfo=UTC)  # Thursday 10:00 in Shanghai


class FakeClock:
    def __init__(self, start: datetime = START) -> None:
        self.current = start

    def now(self) -> datetime:
        return self.current

    def advance(self, **delta: float) -> datetime:
        self.current += timedelta(**delta)
        return self.current

    def set(self, at: datetime) -> None:
        self.current = at


class _Repo:
    def __init__(self) -> None:
        self.rows: dict[int, Any] = {}
        self._next = 1

    def _add(self, obj: Any) -> Any:
        if obj.id is None:
            obj.id = self._next
            self._next += 1
        self.rows[obj.id] = obj
        return obj


class FakeTeams(_Repo):
    async def add(self, team: Team) -> Team:
        return self._add(team)  # type: ignore[no-any-return]

    async def get(self, team_id: int) -> Team | None:
        return self.rows.get(team_id)

    async def by_name(self, name: str) -> Team | None:
        return next((t for t in self.rows.values() if t.name == name), None)

    async def by_group_chat(self, chat_id: int) -> Team | None:
        return next((t for t in self.rows.values() if t.group_chat_id == chat_id), None)

    async def list(self) -> Sequence[Team]:
        return list(self.rows.values())


class FakeUsers(_Repo):
    async def add(self, user: User) -> User:
        if any(u.telegram_id == user.telegram_id for u in self.rows.values()):
            raise ValueError("duplicate telegram id")
        return self._add(user)  # type: ignore[no-any-return]

    async def get(self, user_id: int) -> User | None:
        return self.rows.get(user_id)

    async def by_telegram_id(self, telegram_id: int) -> User | None:
        return next((u for u in self.rows.values() if u.telegram_id == telegram_id), None)

    async def in_team(self, team_id: int) -> Sequence[User]:
        return [u for u in self.rows.values() if u.team_id == team_id]

    async def with_role(self, team_id: int, *roles: str) -> Sequence[User]:
        return [u for u in self.rows.values() if u.team_id == team_id and u.role in roles and u.active]

    async def admins(self) -> Sequence[User]:
        return [u for u in self.rows.values() if u.role is Role.ADMIN and u.active]


class FakeInvites(_Repo):
    async def add(self, invite: Invite) -> Invite:
        return self._add(invite)  # type: ignore[no-any-return]

    async def by_hash(self, code_hash: str) -> Invite | None:
        return next((i for i in self.rows.values() if i.code_hash == code_hash), None)

    async def claim(self, invite_id: int, user_id: int, now: object) -> bool:
        invite = self.rows[invite_id]
        if invite.used_at is not None:
            return False
        invite.used_at, invite.used_by = now, user_id
        return True


class FakeAudit:
    def __init__(self) -> None:
        self.events: list[AuditEvent] = []

    async def add(self, event: AuditEvent) -> None:
        self.events.append(event)

    async def for_entity(self, entity: str, entity_id: int) -> Sequence[AuditEvent]:
        return [e for e in self.events if e.entity == entity and e.entity_id == entity_id]


@dataclass
class FakeOutbox:
    messages: list[Notification] = field(default_factory=list)

    async def queued(self, dedupe_key: str) -> bool:
        return any(m.dedupe_key == dedupe_key for m in self.messages)

    async def add(self, row: Notification) -> Notification | None:
        if await self.queued(row.dedupe_key):
            return None
        row.id = len(self.messages) + 1
        self.messages.append(row)
        return row

    async def check_queued(self, rows: Sequence[Notification], now: datetime) -> set[int]:
        return set()  # whether a notice still holds is a SQL rule (storage/notice_rules.py), tested on both databases

    async def settle(self, subject: object, subject_id: int, *, why: str, now: datetime) -> list[object]:
        return []


class FakeRenderer:
    """Renders a message as its key and its parameters, in the reader's language and timezone."""

    def render(self, key: str, params: Mapping[str, Any], actions: Actions, reader: Reader) -> Rendered:
        said = " ".join(f"{name}={value}" for name, value in params.items())
        text = f"[{reader.language or '-'} {reader.timezone or '-'}] {key} {said}".rstrip()
        markup = repr([[(a.kind, a.id, a.arg) for a in row] for row in actions]) if actions else None
        return Rendered(text=text, reply_markup=markup)


class FakeReminders(_Repo):
    async def add(self, reminder: Reminder) -> Reminder:
        return self._add(reminder)  # type: ignore[no-any-return]

    async def get(self, reminder_id: int) -> Reminder | None:
        return self.rows.get(reminder_id)

    async def open_for_user(self, user_id: int, *, offset: int, limit: int) -> tuple[Sequence[Reminder], int]:
        mine = [r for r in self.rows.values() if r.user_id == user_id and r.state in OPEN_STATES]
        return sorted(mine, key=lambda r: (r.due_at, r.id))[offset : offset + limit], len(mine)

    async def personal_open(self, user_id: int) -> int:
        return sum(
            1 for r in self.rows.values() if r.user_id == user_id and r.state in OPEN_STATES and r.subject_kind is None
        )

    async def due(self, now: datetime, limit: int, skip: Collection[int] = ()) -> Sequence[Reminder]:
        due = [r for r in self.rows.values() if r.state in OPEN_STATES and r.due_at <= now and r.id not in skip]
        return sorted(due, key=lambda r: (r.due_at, r.id))[:limit]

    async def due_between(self, team_id: int, start: datetime, end: datetime) -> Sequence[Reminder]:
        found = [
            r for r in self.rows.values()
            if r.team_id == team_id and r.state in OPEN_STATES and start <= r.due_at < end
        ]
        return sorted(found, key=lambda r: (r.user_id, r.due_at, r.id))

    async def transition(
        self, reminder: Reminder, *, expect: Collection[ReminderState], round: int | None = None,
        **changes: object,
    ) -> bool:
        row = self.rows[reminder.id]
        if row.state not in expect or (round is not None and row.snoozes != round):
            return False
        for name, value in changes.items():
            setattr(row, name, value)
        return True


class FakeDigestRuns:
    def __init__(self) -> None:
        self.claimed: dict[tuple[int, str, date], datetime] = {}

    async def claim(self, team_id: int, kind: str, day: date, now: datetime) -> bool:
        if (team_id, kind, day) in self.claimed:
            return False
        self.claimed[(team_id, kind, day)] = now
        return True


class FakeUnitOfWork:
    def __init__(self) -> None:
        self.teams = FakeTeams()
        self.users = FakeUsers()
        self.invites = FakeInvites()
        self.audit = FakeAudit()
        self.outbox = FakeOutbox()
        self.renderer = FakeRenderer()
        self.reminders = FakeReminders()
        self.digests = FakeDigestRuns()
        self.committed = 0

    async def __aenter__(self) -> FakeUnitOfWork:
        return self

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        return None

    async def commit(self) -> None:
        self.committed += 1

    async def rollback(self) -> None:
        return None

    async def flush(self) -> None:
        return None
