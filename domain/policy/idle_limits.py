"""Idle limits per stage: how long a deal may stay silent before the owner is nudged."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime

from domain.audit import record
from domain.deals.model import PIPELINE, Stage
from domain.errors import AlreadyDone, Forbidden, InvalidInput
from domain.followup.rules import (
    MAX_IDLE_DAYS,
    MIN_IDLE_DAYS,
    idle_limits,
)
from domain.policy.services import check_policy_editor, get_policy
from domain.pool.recycling import check_idle_limit
from domain.ports import UnitOfWork
from domain.team.model import Role, User

# --- idle limits ----------------------------------------------------------------------------------


def _idle_changes(limits: Mapping[Stage | str, int]) -> dict[str, int]:
    cleaned: dict[str, int] = {}
    for raw, days in limits.items():
        try:
            stage = Stage(raw)
        except ValueError as exc:
            raise InvalidInput("error-idle-stage") from exc
        if stage not in PIPELINE:
            raise InvalidInput("error-idle-stage")
        if isinstance(days, bool) or not isinstance(days, int) or not MIN_IDLE_DAYS <= days <= MAX_IDLE_DAYS:
            raise InvalidInput("error-idle-days", min=MIN_IDLE_DAYS, max=MAX_IDLE_DAYS)
        cleaned[stage.value] = days
    if not cleaned:
        raise InvalidInput("error-idle-stage")
    return cleaned


async def get_idle_limits(uow: UnitOfWork, *, viewer: User, team_id: int | None = None) -> dict[Stage, int]:
    """Each open stage's maximum idle days for the viewer's team (an admin may name another)."""
    team = team_id if team_id is not None else viewer.team_id
    if not viewer.active or (viewer.role is not Role.ADMIN and viewer.team_id != team):
        raise Forbidden("error-other-team")
    return idle_limits(await get_policy(uow, team_id=team))


async def set_idle_limits(
    uow: UnitOfWork, *, actor: User, team_id: int, limits: Mapping[Stage | str, int], now: datetime
) -> dict[Stage, int]:
    """A manager of the team (or an admin) sets the maximum idle days of some stages (1–365 each, and at
    most half the team's recycle_days when it is set); a bad value changes nothing. Every open deal of
    the team is looked at again under the new limits."""
    await check_policy_editor(uow, actor=actor, team_id=team_id)
    cleaned = _idle_changes(limits)
    policy = await get_policy(uow, team_id=team_id)
    for days in cleaned.values():
        check_idle_limit(policy, days)
    current = idle_limits(policy)
    changed = {stage: days for stage, days in cleaned.items() if current[Stage(stage)] != days}
    if not changed:
        raise AlreadyDone("error-policy-unchanged")
    before = {stage: current[Stage(stage)] for stage in changed}
    policy.idle_days = {**policy.idle_days, **changed}  # a new object, so the JSON change is seen
    await uow.followups.recheck_team(team_id, now)
    await record(
        uow, now=now, action="policy.idle_limits", entity="team_policy", entity_id=policy.id, actor_id=actor.id,
        team_id=team_id, before=before, after=changed,
    )
    return idle_limits(policy)
