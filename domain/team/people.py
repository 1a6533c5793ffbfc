"""Who is who in a team: the managers to tell, a person's name."""

from __future__ import annotations

from collections.abc import Collection, Sequence

from domain.ports import UnitOfWork
from domain.team.model import Role, User


async def managers_of(uow: UnitOfWork, team_id: int, *, exclude: Collection[int | None] = ()) -> list[User]:
    """The team's active managers; the admins when the team has none."""
    managers = [m for m in await uow.users.with_role(team_id, Role.MANAGER.value) if m.id not in exclude]
    if managers:
        return managers
    return [a for a in await uow.users.admins() if a.id not in exclude]


async def name_of(uow: UnitOfWork, user_id: int | None) -> str:
    if user_id is None:
        return "—"
    user = await uow.users.get(user_id)
    return user.name if user else "—"


def ids(users: Sequence[User]) -> set[int]:
    return {u.id for u in users if u.id is not None}
