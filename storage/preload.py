"""Batch loading for the sweeps: what the items of a due set share (their teams and policies, owners,
managers, leads, deals, whether a follow-up is open), loaded with one statement per kind for the whole
set when the sweep's source returns it, instead of a few statements per item in its act.

The loaded objects are kept (strongly referenced) for the unit of work, so the session's identity map
answers `get` by primary key without SQL; policies, the managers of a team and the open follow-ups
are answered from here by their repositories (SqlPolicies, SqlUsers.with_role, SqlFollowups.has_next_step)."""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence
from typing import TYPE_CHECKING, Any

from sqlalchemy import select, tuple_
from sqlalchemy.ext.asyncio import AsyncSession

from domain.deals.model import Opportunity
from domain.leads.model import Lead
from domain.policy.model import TeamPolicy
from domain.reminders.model import Reminder, ReminderState
from domain.team.model import Role, Team, User
from storage.tables import leads, opportunities, reminders, team_policies, teams, users

if TYPE_CHECKING:
    from storage.policy_repo import SqlPolicies

OPEN_REMINDER = (ReminderState.PENDING, ReminderState.SENT, ReminderState.SNOOZED)


class Preloaded:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session
        self.policies: SqlPolicies | None = None
        self.kept: list[Any] = []
        self.with_role: dict[tuple[int, tuple[str, ...]], list[User]] = {}
        self.next_steps: dict[tuple[int, int], bool] = {}
        # Whether a team has any webhook endpoint, learnt with the update's context (SqlUsers.current):
        # a team without one is asked nothing when a pipeline event happens (SqlWebhooks.listening).
        self.hooked: dict[int, bool] = {}

    async def flush(self) -> None:
        return None

    def discard(self) -> None:
        """A rollback: what was loaded may be stale now; it is read again when asked for."""
        self.kept, self.with_role, self.next_steps, self.hooked = [], {}, {}, {}

    async def _load(self, entity: Any, column: Any, ids: Iterable[int | None]) -> list[Any]:
        wanted = sorted({i for i in ids if i is not None})
        if not wanted:
            return []
        found: list[Any] = list((await self.session.execute(select(entity).where(column.in_(wanted)))).scalars().all())
        self.kept.extend(found)
        return found

    async def teams(self, team_ids: Iterable[int | None], *, managers: bool = False) -> None:
        """Teams, their policies and (if asked) their active managers."""
        ids = sorted({i for i in team_ids if i is not None})
        await self._load(Team, teams.c.id, ids)
        if self.policies is not None:
            for policy in await self._load(TeamPolicy, team_policies.c.team_id, ids):
                self.policies.prime(policy)
        if managers and ids:
            stmt = (
                select(User)
                .where(users.c.team_id.in_(ids), users.c.active.is_(True), users.c.role == Role.MANAGER)
                .order_by(users.c.id)
            )
            found = list((await self.session.execute(stmt)).scalars().all())
            self.kept.extend(found)
            for team_id in ids:
                self.with_role[(team_id, (Role.MANAGER.value,))] = [u for u in found if u.team_id == team_id]

    async def deals(self, due: Sequence[Opportunity], *, next_steps: bool = False) -> None:
        """What the silence sweep's acts read for each deal."""
        if not due:
            return
        await self.teams((d.team_id for d in due), managers=True)
        await self._load(User, users.c.id, (d.owner_id for d in due))
        await self._load(Lead, leads.c.id, (d.lead_id for d in due))
        pairs = [(d.id, d.owner_id) for d in due if d.id is not None and d.owner_id is not None]
        if next_steps and pairs:
            stmt = select(reminders.c.subject_id, reminders.c.user_id).where(
                reminders.c.subject_kind == "opportunity",
                tuple_(reminders.c.subject_id, reminders.c.user_id).in_(pairs),
                reminders.c.state.in_(OPEN_REMINDER),
            )
            found = {(row[0], row[1]) for row in (await self.session.execute(stmt)).all()}
            for pair in pairs:
                self.next_steps[pair] = pair in found

    async def reminders(self, due: Sequence[Reminder], *, deals: bool = False) -> None:
        """What the reminder and escalation sweeps' acts read for each reminder."""
        if not due:
            return
        await self.teams((r.team_id for r in due), managers=deals)
        await self._load(User, users.c.id, (r.user_id for r in due))
        if deals:
            found = await self._load(
                Opportunity, opportunities.c.id,
                (r.subject_id for r in due if r.subject_kind == "opportunity"),
            )
            await self._load(Lead, leads.c.id, (d.lead_id for d in found))

    def managers(self, team_id: int, roles: Collection[str]) -> list[User] | None:
        return self.with_role.get((team_id, tuple(roles)))
