"""Stage rules (商机阶段): who may move an opportunity where, and who is responsible at each stage.

The pipeline is QUALIFIED → FOLLOWING_UP → PROPOSAL → CONTRACT → PAYMENT → DELIVERY → AFTER_SALES,
closed by WON or LOST. `check_transition` decides; it changes nothing. The service applies the
returned Transition and records it (`Transition.record` builds the StageChange).

Who may do what ("manager" means a manager of the deal's team, or any admin):
- one step forward: the owner or a manager. Leaving PAYMENT is the payment confirmation, so it is
  finance's (of the team) or a manager's, not the owner's.
- one step back (to correct a mistake): the owner or a manager.
- more than one step, either way: a manager with override=True.
- WON: the owner or a manager from CONTRACT or later; earlier only a manager with override=True.
- LOST: the owner or a manager from any open stage, with a reason from the team's list.
- closed (WON/LOST): no moves, except a manager re-opening LOST → FOLLOWING_UP with override=True.
- the stage it is already in: AlreadyDone (a repeated tap).
A manager's override=True on a move that needs none is not recorded as an override.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Final

from domain.deals.model import CLOSED, PIPELINE, Opportunity, Stage, StageChange
from domain.errors import AlreadyDone, Forbidden, InvalidInput
from domain.policy.model import TeamPolicy
from domain.team.model import Role, User

EARLIEST_WIN: Final = Stage.CONTRACT
REOPEN_TO: Final = Stage.FOLLOWING_UP

# The role that must act for the deal to leave a stage; everywhere else it is the owner rep.
_RESPONSIBLE: Final[dict[Stage, Role]] = {Stage.PAYMENT: Role.FINANCE}


def responsible_role(stage: Stage) -> Role | None:
    """Who is responsible for moving a deal on from `stage`.

    Role.REP means the deal's owner (whatever their role); Role.FINANCE at PAYMENT (finance confirms
    the money came in); None for WON and LOST: a closed deal waits for no one.
    """
    if stage in CLOSED:
        return None
    return _RESPONSIBLE.get(stage, Role.REP)


def next_stage(stage: Stage) -> Stage | None:
    """The next open stage, or None at the end of the pipeline or when closed."""
    if stage in CLOSED or stage is PIPELINE[-1]:
        return None
    return PIPELINE[PIPELINE.index(stage) + 1]


@dataclass(frozen=True)
class Transition:
    """A checked, allowed stage change, ready to apply and record."""

    from_stage: Stage
    to_stage: Stage
    actor_id: int | None
    override: bool = False  # a manager's override was needed (skip, early win, re-open)
    lost_reason: str | None = None  # set when to_stage is LOST
    reopened: bool = False  # LOST → FOLLOWING_UP

    def record(self, *, opportunity_id: int, at: datetime, note: str | None = None) -> StageChange:
        return StageChange(
            opportunity_id=opportunity_id,
            from_stage=self.from_stage,
            to_stage=self.to_stage,
            actor_id=self.actor_id,
            at=at,
            override=self.override,
            note=note,
        )


def check_transition(
    opp: Opportunity,
    to: Stage,
    *,
    actor: User,
    owner_id: int | None,
    override: bool = False,
    lost_reason: str | None = None,
    policy: TeamPolicy,
) -> Transition:
    """Allow the move of `opp` to `to` by `actor`, or raise a DomainError saying why not.

    `owner_id` is the deal's current owner (None while in the pool). Raises Forbidden
    ("error-other-team", "error-forbidden", "error-stage-not-owner", "error-stage-finance",
    "error-stage-skip" for a rep), InvalidInput ("error-stage-skip" for a manager without override,
    "error-stage-won-early", "error-lost-reason", "error-stage-closed") or AlreadyDone.
    """
    if actor.role is not Role.ADMIN and actor.team_id != opp.team_id:
        raise Forbidden("error-other-team")
    if not actor.active:
        raise Forbidden()
    current = opp.stage
    if to is current:
        raise AlreadyDone()
    manager = actor.role in (Role.ADMIN, Role.MANAGER)
    owner = owner_id is not None and actor.id == owner_id

    def done(*, overridden: bool = False, reason: str | None = None, reopened: bool = False) -> Transition:
        return Transition(current, to, actor.id, override=overridden, lost_reason=reason, reopened=reopened)

    if current in CLOSED:
        if current is Stage.LOST and to is REOPEN_TO and manager and override:
            return done(overridden=True, reopened=True)
        raise InvalidInput("error-stage-closed")

    finance_confirms = (
        current is Stage.PAYMENT
        and to is next_stage(current)
        and actor.role is Role.FINANCE
        and actor.team_id == opp.team_id
    )
    if not (manager or owner or finance_confirms):
        raise Forbidden("error-stage-not-owner")

    if to is Stage.LOST:
        if not lost_reason or lost_reason not in policy.lost_reasons:
            raise InvalidInput("error-lost-reason")
        return done(reason=lost_reason)

    here = PIPELINE.index(current)
    if to is Stage.WON:
        if here >= PIPELINE.index(EARLIEST_WIN):
            return done()
        if manager and override:
            return done(overridden=True)
        raise InvalidInput("error-stage-won-early")

    step = PIPELINE.index(to) - here
    if abs(step) == 1:
        if step == 1 and responsible_role(current) is Role.FINANCE and not (manager or finance_confirms):
            raise Forbidden("error-stage-finance")
        return done()
    if not manager:
        raise Forbidden("error-stage-skip")
    if not override:
        raise InvalidInput("error-stage-skip")
    return done(overridden=True)


def moves_for(
    opp: Opportunity, *, actor: User, owner_id: int | None, policy: TeamPolicy
) -> tuple[Stage, ...]:
    """The stages `actor` may move `opp` to without an override, in Stage order (for the deal card's
    buttons). LOST is listed when the team has at least one lost reason."""
    allowed: list[Stage] = []
    reason = policy.lost_reasons[0] if policy.lost_reasons else None
    for stage in Stage:
        try:
            check_transition(opp, stage, actor=actor, owner_id=owner_id, policy=policy, lost_reason=reason)
        except (Forbidden, InvalidInput, AlreadyDone):
            continue
        allowed.append(stage)
    return tuple(allowed)
