"""Teams, people, invites and the audit trail in storage."""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache
from typing import Any

from sqlalchemy import Select, bindparam, exists, insert, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from domain.policy.model import TeamPolicy
from domain.team.model import AuditEvent, Invite, Role, Team, User
from storage.preload import Preloaded
from storage.sql import get_by_id
from storage.tables import audit_events, invites, team_policies, teams, users, webhook_endpoints


def person_context() -> tuple[Any, ...]:
    """What an update's context loads of its person (SqlUsers.current): the User, their Team, its
    TeamPolicy and whether the team has webhook endpoints. Select these, then with_team() the joins."""
    return User, Team, TeamPolicy, exists().where(webhook_endpoints.c.team_id == users.c.team_id).label("hooked")


def with_team(stmt: Select[Any]) -> Select[Any]:
    """The person's team and its policy outer-joined to a statement that has joined `users`."""
    return stmt.outerjoin(teams, teams.c.id == users.c.team_id).outerjoin(
        team_policies, team_policies.c.team_id == users.c.team_id
    )


# Built once (storage/sql.py says why): every update loads its person, and most captures the managers.
@cache
def _current() -> Select[Any]:
    return with_team(select(*person_context()).select_from(users)).where(users.c.telegram_id == bindparam("telegram_id"))


@cache
def _with_role() -> Select[User]:
    return (
        select(User)
        .where(
            users.c.team_id == bindparam("team_id"),
            users.c.active.is_(True),
            users.c.role.in_(bindparam("roles", expanding=True)),
        )
        .order_by(users.c.id)
    )


_AUDIT = insert(audit_events)


class SqlTeams:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def add(self, team: Team) -> Team:
        self.session.add(team)
        await self.session.flush()
        return team

    async def get(self, team_id: int) -> Team | None:
        return await get_by_id(self.session, Team, team_id)

    async def by_name(self, name: str) -> Team | None:
        return (await self.session.execute(select(Team).where(teams.c.name == name))).scalar_one_or_none()

    async def by_group_chat(self, chat_id: int) -> Team | None:
        result = await self.session.execute(select(Team).where(teams.c.group_chat_id == chat_id))
        return result.scalar_one_or_none()

    async def list(self) -> Sequence[Team]:
        return (await self.session.execute(select(Team).order_by(teams.c.id))).scalars().all()


class SqlUsers:
    def __init__(self, session: AsyncSession, preloaded: Preloaded | None = None) -> None:
        self.session = session
        self.preloaded = preloaded
        self._primed: tuple[int, tuple[User | None, Team | None, TeamPolicy | None, bool]] | None = None

    def prime_current(
        self, telegram_id: int, found: tuple[User | None, Team | None, TeamPolicy | None, bool]
    ) -> None:
        """What the update's first statement loaded for `telegram_id` (storage/updates_repo.py, `open`):
        the next current(telegram_id) answers with it instead of a statement of its own."""
        self._primed = (telegram_id, found)

    async def add(self, user: User) -> User:
        self.session.add(user)
        await self.session.flush()
        return user

    async def get(self, user_id: int) -> User | None:
        return await get_by_id(self.session, User, user_id)

    async def current(self, telegram_id: int) -> tuple[User | None, Team | None, TeamPolicy | None]:
        """The person behind an update with their team and its policy, in one statement (the update's
        context: later reads of the team by id and of the policy find them in the unit of work)."""
        primed, self._primed = self._primed, None
        row: Any
        if primed is not None and primed[0] == telegram_id:
            row = primed[1]
        else:
            row = (await self.session.execute(_current(), {"telegram_id": telegram_id})).first()
        if row is None or row[0] is None:
            return None, None, None
        if self.preloaded is not None and row[1] is not None and row[1].id is not None:
            self.preloaded.hooked[row[1].id] = bool(row[3])
        return row[0], row[1], row[2]

    async def by_telegram_id(self, telegram_id: int) -> User | None:
        result = await self.session.execute(select(User).where(users.c.telegram_id == telegram_id))
        return result.scalar_one_or_none()

    async def in_team(self, team_id: int) -> Sequence[User]:
        stmt = select(User).where(users.c.team_id == team_id).order_by(users.c.id)
        return (await self.session.execute(stmt)).scalars().all()

    async def with_role(self, team_id: int, *roles: str) -> Sequence[User]:
        known = self.preloaded.managers(team_id, roles) if self.preloaded is not None else None
        if known is not None:
            return known
        found = await self.session.execute(_with_role(), {"team_id": team_id, "roles": [Role(r) for r in roles]})
        return found.scalars().all()

    async def admins(self) -> Sequence[User]:
        stmt = select(User).where(users.c.role == Role.ADMIN, users.c.active.is_(True)).order_by(users.c.id)
        return (await self.session.execute(stmt)).scalars().all()


class SqlInvites:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def add(self, invite: Invite) -> Invite:
        self.session.add(invite)
        await self.session.flush()
        return invite

    async def by_hash(self, code_hash: str) -> Invite | None:
        result = await self.session.execute(select(Invite).where(invites.c.code_hash == code_hash))
        return result.scalar_one_or_none()

    async def claim(self, invite_id: int, user_id: int, now: object) -> bool:
        # A conditional UPDATE: of two redemptions racing, exactly one changes the row.
        stmt = (
            update(Invite)
            .where(invites.c.id == invite_id, invites.c.used_at.is_(None))
            .values(used_at=now, used_by=user_id)
            .execution_options(synchronize_session="fetch")
        )
        result = await self.session.execute(stmt)
        return bool(result.rowcount)  # type: ignore[attr-defined]


class SqlAudit:
    """Audit rows are kept until the unit of work commits, then written together: one INSERT per
    update however many rows it audited (a participant of the unit of work: flush, discard)."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session
        self.pending: list[AuditEvent] = []

    async def add(self, event: AuditEvent) -> None:
        self.pending.append(event)

    async def flush(self) -> None:
        if self.pending:
            events, self.pending = self.pending, []
            rows = [
                {
                    "at": e.at, "actor_id": e.actor_id, "team_id": e.team_id, "action": e.action,
                    "entity": e.entity, "entity_id": e.entity_id, "before": e.before, "after": e.after,
                }
                for e in events
            ]
            await self.session.execute(_AUDIT, rows)

    def discard(self) -> None:
        self.pending = []

    async def for_entity(self, entity: str, entity_id: int) -> Sequence[AuditEvent]:
        await self.flush()
        stmt = (
            select(AuditEvent)
            .where(audit_events.c.entity == entity, audit_events.c.entity_id == entity_id)
            .order_by(audit_events.c.at, audit_events.c.id)
        )
        return (await self.session.execute(stmt)).scalars().all()
