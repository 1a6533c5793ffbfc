"""Team policies and the reps' skills in storage."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Mapping, Sequence

from sqlalchemy import (
    bindparam,
    delete,
    insert,
    inspect,
    select,
    update,
)
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm.attributes import set_committed_value

from domain.policy.model import TeamPolicy
from storage.sql import upsert
from storage.tables import (
    rep_skills,
    team_policies,
    users,
)

# Every round-robin capture moves the cursor on: built once (storage/sql.py says why).
_MOVE_CURSOR = (
    update(team_policies)
    .where(team_policies.c.team_id == bindparam("policy_team_id"))
    .values(rr_cursor=bindparam("new_cursor"))
)


class SqlPolicies:
    """A team's policy is read once per unit of work (kept until a rollback: a participant of it)."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session
        self.known: dict[int, TeamPolicy] = {}

    def prime(self, policy: TeamPolicy) -> None:
        """A policy the unit of work loaded already (with the current user, bot/middlewares.py)."""
        self.known[policy.team_id] = policy

    async def flush(self) -> None:
        """The round robin's cursor of each team whose policy this unit of work moved it on, as the last
        writes before the commit (not an ORM attribute: storage/tables.py says why)."""
        for policy in list(self.session.identity_map.values()):
            if not isinstance(policy, TeamPolicy):
                continue
            # Expired (a rollback since it was read, nobody read it again): whatever moved the cursor was
            # rolled back with it; reading the attribute would load it, which is not allowed here.
            stored = inspect(policy).dict.get("rr_cursor_stored")
            if stored is not None and policy.rr_cursor != stored:
                await self.session.execute(
                    _MOVE_CURSOR, {"policy_team_id": policy.team_id, "new_cursor": policy.rr_cursor}
                )
                set_committed_value(policy, "rr_cursor_stored", policy.rr_cursor)

    def discard(self) -> None:
        self.known = {}

    async def ensure(self, team_id: int) -> TeamPolicy:
        found = await self._get(team_id)
        if found is not None:
            return found
        defaults = TeamPolicy(team_id=team_id)
        values = {c.name: getattr(defaults, c.name) for c in team_policies.columns if c.name != "id"}
        dialect = self.session.bind.dialect.name if self.session.bind else "sqlite"
        stmt = upsert(dialect, team_policies).values(**values).on_conflict_do_nothing(index_elements=["team_id"])
        await self.session.execute(stmt)
        created = await self._get(team_id)
        assert created is not None
        return created

    async def _get(self, team_id: int) -> TeamPolicy | None:
        known = self.known.get(team_id)
        if known is not None:
            return known
        stmt = select(TeamPolicy).where(team_policies.c.team_id == team_id)
        found = (await self.session.execute(stmt)).scalars().first()
        if found is not None:
            self.known[team_id] = found
        return found

    async def all(self) -> Sequence[TeamPolicy]:
        return (await self.session.execute(select(TeamPolicy).order_by(team_policies.c.team_id))).scalars().all()


class SqlRepSkills:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def of_team(self, team_id: int) -> Mapping[int, Mapping[str, frozenset[str]]]:
        stmt = (
            select(rep_skills.c.user_id, rep_skills.c.kind, rep_skills.c.value)
            .select_from(rep_skills.join(users, users.c.id == rep_skills.c.user_id))
            .where(users.c.team_id == team_id)
        )
        found: dict[int, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
        for row in (await self.session.execute(stmt)).all():
            found[row[0]][row[1]].add(row[2])
        return {uid: {k: frozenset(v) for k, v in kinds.items()} for uid, kinds in found.items()}

    async def of_user(self, user_id: int) -> Mapping[str, frozenset[str]]:
        stmt = select(rep_skills.c.kind, rep_skills.c.value).where(rep_skills.c.user_id == user_id)
        found: dict[str, set[str]] = defaultdict(set)
        for kind, value in (await self.session.execute(stmt)).all():
            found[str(kind)].add(str(value))
        return {k: frozenset(v) for k, v in found.items()}

    async def replace(self, user_id: int, kind: str, values: Collection[str]) -> None:
        await self.session.execute(delete(rep_skills).where(rep_skills.c.user_id == user_id, rep_skills.c.kind == kind))
        if values:
            await self.session.execute(
                insert(rep_skills), [{"user_id": user_id, "kind": kind, "value": value} for value in values]
            )
