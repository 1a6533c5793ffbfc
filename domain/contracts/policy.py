"""A team's payment policy: its payment plan templates and its reminder cadence. A manager of the team
(or an admin) changes them in /policy; the contract's plan step offers the team's templates and the
payment reminders follow the team's cadence. Until a team changes anything it has the built-in ones
(30/60/10, 100% on signing, 3 monthly; 7 and 1 days before, on the day, 1, 7, 14, 21, 28 days late)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from domain.audit import record
from domain.contracts import plan as rules
from domain.contracts import watch
from domain.contracts.model import PaymentPolicy
from domain.errors import AlreadyDone, InvalidInput, NotFound
from domain.policy.services import check_policy_editor
from domain.ports import UnitOfWork
from domain.team.model import User


def templates_of(policy: PaymentPolicy) -> tuple[rules.PlanTemplate, ...]:
    if policy.templates is None:
        return rules.BUILT_IN
    return tuple(rules.template_from_dict(raw) for raw in policy.templates)


def cadence_in(policy: PaymentPolicy) -> tuple[int, ...]:
    return tuple(policy.cadence) if policy.cadence else watch.CADENCE


async def plan_templates(uow: UnitOfWork, team_id: int) -> tuple[rules.PlanTemplate, ...]:
    return templates_of(await uow.contracts.policy(team_id))


async def cadence_of(uow: UnitOfWork, team_id: int) -> tuple[int, ...]:
    return cadence_in(await uow.contracts.policy(team_id))


async def template_of(uow: UnitOfWork, team_id: int, key: str) -> rules.PlanTemplate:
    found = next((t for t in await plan_templates(uow, team_id) if t.key == key), None)
    if found is None:
        raise NotFound("error-plan-template-gone")
    return found


async def payment_policy(uow: UnitOfWork, *, viewer: User) -> PaymentPolicy:
    """The viewer's team's payment policy, for its editor (managers and admins)."""
    await check_policy_editor(uow, actor=viewer, team_id=viewer.team_id)
    return await uow.contracts.policy(viewer.team_id)


async def add_template(
    uow: UnitOfWork, *, actor: User, name: str, parts: Sequence[rules.TemplatePart], now: datetime
) -> rules.PlanTemplate:
    """A template of the team's own; the shares must add up to 100% (error-plan-template-sum otherwise)."""
    policy = await payment_policy(uow, viewer=actor)
    cleaned, checked = rules.check_template(name, parts)
    current = list(templates_of(policy))
    if len(current) >= rules.MAX_TEMPLATES:
        raise InvalidInput("error-plan-template-many", max=rules.MAX_TEMPLATES)
    if any(t.name == cleaned for t in current):
        raise InvalidInput("error-plan-template-name-taken", name=cleaned)
    used = [int(t.key[1:]) for t in current if t.key.startswith("t") and t.key[1:].isdigit()]
    made = rules.PlanTemplate(key=f"t{max(used, default=0) + 1}", parts=checked, name=cleaned)
    policy.templates = [rules.template_to_dict(t) for t in (*current, made)]
    await uow.contracts.save_policy(policy)
    await record(
        uow, now=now, action="payment_policy.template_added", entity="payment_policy", entity_id=policy.id,
        actor_id=actor.id, team_id=policy.team_id, after=rules.template_to_dict(made),
    )
    return made


async def remove_template(uow: UnitOfWork, *, actor: User, key: str, now: datetime) -> rules.PlanTemplate:
    """Take a template off the team's list (contracts planned with it keep their plan); the last one stays."""
    policy = await payment_policy(uow, viewer=actor)
    current = list(templates_of(policy))
    gone = next((t for t in current if t.key == key), None)
    if gone is None:
        raise AlreadyDone("error-plan-template-gone")
    if len(current) == 1:
        raise InvalidInput("error-plan-template-last")
    policy.templates = [rules.template_to_dict(t) for t in current if t.key != key]
    await uow.contracts.save_policy(policy)
    await record(
        uow, now=now, action="payment_policy.template_removed", entity="payment_policy", entity_id=policy.id,
        actor_id=actor.id, team_id=policy.team_id, before=rules.template_to_dict(gone),
    )
    return gone


async def set_cadence(uow: UnitOfWork, *, actor: User, days: Sequence[int], now: datetime) -> tuple[int, ...]:
    """The team's reminder cadence (days from the due date). Open milestones go on from their next step
    under the new cadence: what was said already is not said again."""
    policy = await payment_policy(uow, viewer=actor)
    cadence = watch.check_cadence(days)
    before = cadence_in(policy)
    if cadence == before:
        raise AlreadyDone("error-cadence-unchanged")
    policy.cadence = list(cadence)
    await uow.contracts.save_policy(policy)
    team = await uow.teams.get(policy.team_id)
    assert team is not None
    for milestone in await uow.contracts.open_milestones(policy.team_id):
        milestone.remind_step, milestone.check_at = watch.resume(milestone.due_on, now, team, cadence)
    await record(
        uow, now=now, action="payment_policy.cadence", entity="payment_policy", entity_id=policy.id,
        actor_id=actor.id, team_id=policy.team_id, before={"cadence": list(before)}, after={"cadence": list(cadence)},
    )
    return cadence
