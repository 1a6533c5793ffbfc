"""The unit of work and repositories over one AsyncSession."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime
from types import TracebackType
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from domain.clock import Clock
from domain.outbox.model import Notification
from domain.outbox.ports import NoticeRenderer
from domain.reminders.model import Reminder
from domain.team.model import AuditEvent, Invite, Role, Team, User
from storage.delivery_repo import SqlDeadLetters
from storage.digest_repo import SqlDigestRuns
from storage.followup_repo import SqlFollowups
from storage.outbox_repo import SqlOutbox
from storage.pipeline_repo import (
    SqlActivities,
    SqlHandoffs,
    SqlLeads,
    SqlOpportunities,
    SqlPolicies,
    SqlRepSkills,
    SqlStageChanges,
)
from storage.reminder_repo import SqlReminders
from storage.tables import audit_events, invites, teams, users


class SqlTeams:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def add(self, team: Team) -> Team:
        self.session.add(team)
        await self.session.flush()
        return team

    async def get(self, team_id: int) -> Team | None:
        return await self.session.get(Team, team_id)

    async def by_name(self, name: str) -> Team | None:
        return (await self.session.execute(select(Team).where(teams.c.name == name))).scalar_one_or_none()

    async def by_group_chat(self, chat_id: int) -> Team | None:
        result = await self.session.execute(select(Team).where(teams.c.group_chat_id == chat_id))
        return result.scalar_one_or_none()

    async def list(self) -> Sequence[Team]:
        return (await self.session.execute(select(Team).order_by(teams.c.id))).scalars().all()


class SqlUsers:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def add(self, user: User) -> User:
        self.session.add(user)
        await self.session.flush()
        return user

    async def get(self, user_id: int) -> User | None:
        return await self.session.get(User, user_id)

    async def by_telegram_id(self, telegram_id: int) -> User | None:
        result = await self.session.execute(select(User).where(users.c.telegram_id == telegram_id))
        return result.scalar_one_or_none()

    async def in_team(self, team_id: int) -> Sequence[User]:
        stmt = select(User).where(users.c.team_id == team_id).order_by(users.c.id)
        return (await self.session.execute(stmt)).scalars().all()

    async def with_role(self, team_id: int, *roles: str) -> Sequence[User]:
        stmt = (
            select(User)
            .where(users.c.team_id == team_id, users.c.active.is_(True), users.c.role.in_([Role(r) for r in roles]))
            .order_by(users.c.id)
        )
        return (await self.session.execute(stmt)).scalars().all()

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
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def add(self, event: AuditEvent) -> None:
        self.session.add(event)

    async def for_entity(self, entity: str, entity_id: int) -> Sequence[AuditEvent]:
        stmt = (
            select(AuditEvent)
            .where(audit_events.c.entity == entity, audit_events.c.entity_id == entity_id)
            .order_by(audit_events.c.at, audit_events.c.id)
        )
        return (await self.session.execute(stmt)).scalars().all()


class SqlUnitOfWork:
    """One transaction. `async with uow:` opens it; leaving without commit() rolls back."""

    def __init__(
        self,
        sessions: async_sessionmaker[AsyncSession],
        renderer: NoticeRenderer | None = None,
        clock: Clock | None = None,
        outbox_hook: Callable[[], Any] | None = None,
    ) -> None:
        self._sessions = sessions
        # Called after a commit that queued notifications: wakes the dispatcher at once.
        self.outbox_hook = outbox_hook
        self._renderer = renderer
        self._clock = clock
        self.session: AsyncSession | None = None
        self.after_commit: list[Callable[[], Any]] = []

    async def __aenter__(self) -> SqlUnitOfWork:
        if self.session is not None:
            raise RuntimeError("unit of work already open")
        self.session = self._sessions()
        self.teams = SqlTeams(self.session)
        self.users = SqlUsers(self.session)
        self.invites = SqlInvites(self.session)
        self.audit = SqlAudit(self.session)
        self.outbox = SqlOutbox(self.session, self._wake_after_commit)
        self.dead_letters = SqlDeadLetters(self.session, self._wake_after_commit)
        self.reminders = SqlReminders(self.session)
        self.leads = SqlLeads(self.session)
        self.opportunities = SqlOpportunities(self.session)
        self.handoffs = SqlHandoffs(self.session)
        self.policies = SqlPolicies(self.session)
        self.activities = SqlActivities(self.session)
        self.stage_changes = SqlStageChanges(self.session)
        self.rep_skills = SqlRepSkills(self.session)
        self.digests = SqlDigestRuns(self.session)
        self.followups = SqlFollowups(self.session)
        return self

    @property
    def renderer(self) -> NoticeRenderer:
        """Renders notifications (the bot's, handed over at the wiring point); storage never calls it."""
        if self._renderer is None:
            raise RuntimeError("this unit of work has no renderer for notifications")
        return self._renderer

    def _wake_after_commit(self) -> None:
        if self.outbox_hook is not None and self.outbox_hook not in self.after_commit:
            self.after_commit.append(self.outbox_hook)

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        assert self.session is not None
        try:
            # close() rolls back whatever was not committed and detaches the objects with their
            # loaded state intact (a rollback() first would expire them).
            await self.session.close()
        finally:
            self.session = None
            self.after_commit = []

    async def commit(self) -> None:
        assert self.session is not None
        await self.session.commit()
        hooks, self.after_commit = self.after_commit, []
        for hook in hooks:
            hook()

    async def rollback(self) -> None:
        assert self.session is not None
        await self.session.rollback()
        self.after_commit = []

    async def flush(self) -> None:
        assert self.session is not None
        await self.session.flush()

    def now(self) -> datetime:
        assert self._clock is not None
        return self._clock.now()


__all__ = ["Notification", "Reminder", "SqlUnitOfWork"]
