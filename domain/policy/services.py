"""Changing a team's pipeline policy and the reps' skills the RULES policy matches on."""

from __future__ import annotations

from collections.abc import Collection, Mapping
from datetime import datetime
from typing import Any

from domain.audit import record, snapshot
from domain.errors import AlreadyDone, Forbidden, InvalidInput, NotFound
from domain.leads.scoring import FACTORS, MAX_SCORE
from domain.policy.model import AssignmentPolicy, SkillKind, TeamPolicy
from domain.pool.recycling import check_recycle_days
from domain.ports import UnitOfWork
from domain.team.model import Role, User
from domain.text import MAX_SHORT, one_line

# --- policy and skills ----------------------------------------------------------------------------

POLICY_LIMITS: dict[str, tuple[int, int]] = {
    "threshold": (0, MAX_SCORE),
    "handoff_minutes": (5, 24 * 60),
    "pool_claim_limit": (1, 100),
    "cooloff_days": (0, 90),
}
MAX_LIST = 20


def _policy_value(field: str, value: Any) -> Any:
    if field == "assignment":
        try:
            return AssignmentPolicy(value)
        except ValueError as exc:
            raise InvalidInput("error-policy-value", field=field) from exc
    if field == "allow_self_assign":
        if not isinstance(value, bool):
            raise InvalidInput("error-policy-value", field=field)
        return value
    if field == "recycle_days":  # None: automatic, per stage; a number is checked against the stages too
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int):
            raise InvalidInput("error-policy-value", field=field)
        return value  # its range depends on the idle limits: update_policy checks it
    if field in POLICY_LIMITS:
        low, high = POLICY_LIMITS[field]
        if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
            raise InvalidInput("error-policy-range", field=field, min=low, max=high)
        return value
    if field == "weights":
        if not isinstance(value, Mapping) or set(value) - set(FACTORS):
            raise InvalidInput("error-policy-value", field=field)
        weights = {}
        for factor in FACTORS:
            points = value.get(factor)
            if points is None:
                continue
            if isinstance(points, bool) or not isinstance(points, int) or not 0 <= points <= MAX_SCORE:
                raise InvalidInput("error-policy-range", field=factor, min=0, max=MAX_SCORE)
            weights[factor] = points
        return weights
    if field in ("industries", "lost_reasons"):
        if isinstance(value, str) or not isinstance(value, Collection):
            raise InvalidInput("error-policy-value", field=field)
        items: list[str] = []
        for item in value:
            text = one_line(str(item)) if item is not None else None
            if not text or len(text) > MAX_SHORT:
                raise InvalidInput("error-policy-value", field=field)
            if text not in items:
                items.append(text)
        if not items or len(items) > MAX_LIST:
            raise InvalidInput("error-policy-list", field=field, max=MAX_LIST)
        return items
    raise InvalidInput("error-policy-field", field=field)


async def update_policy(
    uow: UnitOfWork, *, actor: User, team_id: int, changes: dict[str, Any], now: datetime
) -> TeamPolicy:
    """A manager of the team (or an admin) changes the pipeline policy; every value is checked first, so
    a bad one changes nothing. Weights given are merged into the current ones."""
    await check_policy_editor(uow, actor=actor, team_id=team_id)
    cleaned = {field: _policy_value(field, value) for field, value in changes.items()}
    policy = await get_policy(uow, team_id=team_id)
    if "weights" in cleaned:
        cleaned["weights"] = {**policy.weights, **cleaned["weights"]}
    if "recycle_days" in cleaned:
        check_recycle_days(policy, cleaned["recycle_days"])
    changed = {f: v for f, v in cleaned.items() if getattr(policy, f) != v}
    if not changed:
        raise AlreadyDone("error-policy-unchanged")
    before = snapshot(policy, *changed)
    for field, value in changed.items():
        setattr(policy, field, value)  # new objects for JSON fields, so the change is seen
    await record(
        uow, now=now, action="policy.updated", entity="team_policy", entity_id=policy.id, actor_id=actor.id,
        team_id=team_id, before=before, after=snapshot(policy, *changed),
    )
    return policy


async def set_rep_skills(
    uow: UnitOfWork, *, actor: User, user_id: int, kind: str, values: Collection[str], now: datetime
) -> list[str]:
    """A manager sets one kind of a rep's skills (regions, industries or products); returns them cleaned."""
    if not actor.active or actor.role not in (Role.MANAGER, Role.ADMIN):
        raise Forbidden("error-policy-role")
    rep = await uow.users.get(user_id)
    if rep is None:
        raise NotFound()
    if actor.role is not Role.ADMIN and rep.team_id != actor.team_id:
        raise Forbidden("error-other-team")
    if rep.role is not Role.REP:
        raise InvalidInput("error-skills-not-rep")
    try:
        skill = SkillKind(kind)
    except ValueError as exc:
        raise InvalidInput("error-skills-kind") from exc
    if isinstance(values, str):
        raise InvalidInput("error-skills-values", max=MAX_LIST)
    cleaned: list[str] = []
    for value in values:
        text = one_line(value)
        if not text or len(text) > MAX_SHORT:
            raise InvalidInput("error-skills-values", max=MAX_LIST)
        if text not in cleaned:
            cleaned.append(text)
    if len(cleaned) > MAX_LIST:
        raise InvalidInput("error-skills-values", max=MAX_LIST)
    current = await uow.rep_skills.of_user(user_id)
    before = sorted(current.get(skill.value, frozenset()))
    await uow.rep_skills.replace(user_id, skill.value, cleaned)
    await record(
        uow, now=now, action="user.skills", entity="user", entity_id=user_id, actor_id=actor.id,
        team_id=rep.team_id, before={skill.value: before}, after={skill.value: cleaned},
    )
    return cleaned


async def rep_skills(uow: UnitOfWork, *, viewer: User, user_id: int) -> dict[str, list[str]]:
    """A rep's skills by kind, for the rep themselves, their manager or an admin."""
    rep = await uow.users.get(user_id)
    if rep is None:
        raise NotFound()
    if viewer.role is not Role.ADMIN and rep.team_id != viewer.team_id:
        raise Forbidden("error-other-team")
    if viewer.id != user_id and not viewer.is_manager_or_admin:
        raise Forbidden()
    found = await uow.rep_skills.of_user(user_id)
    return {kind.value: sorted(found.get(kind.value, frozenset())) for kind in SkillKind}


async def check_policy_editor(uow: UnitOfWork, *, actor: User, team_id: int) -> None:
    """Only an active manager of the team, or an admin, changes a team's pipeline policy."""
    if not actor.active or actor.role not in (Role.MANAGER, Role.ADMIN):
        raise Forbidden("error-policy-role")
    if actor.role is not Role.ADMIN and actor.team_id != team_id:
        raise Forbidden("error-other-team")
    if await uow.teams.get(team_id) is None:
        raise NotFound()


async def get_policy(uow: UnitOfWork, *, team_id: int) -> TeamPolicy:
    """The team's pipeline policy, created with the defaults on first use."""
    return await uow.policies.ensure(team_id)
