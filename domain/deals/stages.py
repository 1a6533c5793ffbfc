"""Stage rules (商机阶段) as data: the pipeline's stages, who moves a deal on from each, and the gates a
deal must pass to leave one stage and enter another.

The pipeline is QUALIFIED → FOLLOWING_UP → PROPOSAL → CONTRACT → PAYMENT → DELIVERY → AFTER_SALES,
closed by WON or LOST. `check_transition` decides; it changes nothing. It asks the same three things
of every move (is the actor of the deal's team, active, and is the deal not already there), then runs
the gates of the stage being left and of the stage being entered, in that order. A gate either lets
the move through, lets it through only because a manager overrode it (the move is recorded as an
override), or refuses it by raising a DomainError whose code says why. The service applies the
returned Transition and records it (`Transition.record` builds the StageChange).

Today's gates ("manager" means a manager of the deal's team, or any admin):
- leaving an open stage: its owner or a manager moves it. Leaving PAYMENT forward is the payment
  confirmation, so it is finance's (of the team) or a manager's, not the owner's.
- entering an open stage: one step at a time, either way; more needs a manager's override.
- entering WON: from CONTRACT on; earlier only with a manager's override.
- entering LOST: with a reason from the team's list.
- leaving WON or LOST: never, except a manager re-opening LOST → FOLLOWING_UP with override.
- entering CONTRACT from an earlier stage: the deal's quote is approved, sent or accepted; else only
  with a manager's override.
- the stage it is already in: AlreadyDone (a repeated tap).
A manager's override=True on a move that needs none is not recorded as an override.

The next features plug their gates in without touching `check_transition`:
`STAGE_RULES.add(Stage.CONTRACT, Side.ENTRY, quote_approved)`. A gate added later runs after the
stage's own gates. The deal card's buttons come from the same rules (`moves_for`, `skip_targets`),
so a button is never offered for a move a gate would refuse.
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from typing import Final

from domain.deals.model import CLOSED, PIPELINE, QUOTE_AGREED, Opportunity, Stage, StageChange
from domain.errors import AlreadyDone, DomainError, Forbidden, InvalidInput
from domain.permissions import Ability, can, in_team, manages_team, require_team
from domain.policy.model import TeamPolicy
from domain.team.model import Role, User

EARLIEST_WIN: Final = Stage.CONTRACT
REOPEN_TO: Final = Stage.FOLLOWING_UP


# --- a move under examination, and what a gate says about it ---------------------------------------


@dataclass(frozen=True)
class Move:
    """Someone asks to move a deal to `to`; gates read it and decide."""

    opportunity: Opportunity
    to: Stage
    actor: User
    owner_id: int | None  # the deal's owner (None while in the pool)
    policy: TeamPolicy
    override: bool = False  # the actor asks to override the rules (a manager skipping stages)
    lost_reason: str | None = None

    @property
    def here(self) -> Stage:
        return self.opportunity.stage

    @property
    def by_owner(self) -> bool:
        return self.owner_id is not None and self.actor.id == self.owner_id

    @property
    def by_manager(self) -> bool:
        return manages_team(self.actor, self.opportunity.team_id)

    @property
    def overriding(self) -> bool:
        """The actor asked for an override and is someone who may give one."""
        return self.override and self.by_manager and can(self.actor, Ability.OVERRIDE_STAGES)

    @property
    def one_step_forward(self) -> bool:
        return self.to is next_stage(self.here)

    def by_holder_of(self, ability: Ability) -> bool:
        """The actor holds `ability` in the deal's team (finance confirming a payment)."""
        return can(self.actor, ability) and in_team(self.actor, self.opportunity.team_id)


class Passage(enum.Enum):
    OPEN = "open"  # the gate has nothing against the move
    OVERRIDDEN = "overridden"  # it lets the move through only because a manager overrode it


# A gate lets a move through (returns a Passage) or refuses it (raises a DomainError with a message code).
Gate = Callable[[Move], Passage]


class Side(enum.StrEnum):
    ENTRY = "entry"  # checked when a deal is moved into the stage
    EXIT = "exit"  # checked when a deal is moved out of the stage


# --- today's gates -------------------------------------------------------------------------------


def moved_on_by_owner_or_manager(confirmer: Ability | None = None) -> Gate:
    """Leaving an open stage: the owner or a manager; with `confirmer`, its holders in the team too, for
    the step forward (finance confirms the payment)."""

    def gate(move: Move) -> Passage:
        confirms = confirmer is not None and move.one_step_forward and move.by_holder_of(confirmer)
        if move.by_owner or move.by_manager or confirms:
            return Passage.OPEN
        raise Forbidden("error-stage-not-owner")

    return gate


def confirmed_by(confirmer: Ability, code: str) -> Gate:
    """The step forward out of this stage is a confirmation: only holders of `confirmer` in the team
    (or a manager) take it; the owner is told `code`."""

    def gate(move: Move) -> Passage:
        if move.one_step_forward and not (move.by_manager or move.by_holder_of(confirmer)):
            raise Forbidden(code)
        return Passage.OPEN

    return gate


def one_step_at_a_time(move: Move) -> Passage:
    """Entering an open stage: from the one before or after it; a longer jump needs a manager's override.
    (A deal re-opened from LOST was already let out by LOST's own gate.)"""
    if move.here not in PIPELINE or abs(PIPELINE.index(move.to) - PIPELINE.index(move.here)) == 1:
        return Passage.OPEN
    if not move.by_manager:
        raise Forbidden("error-stage-skip")
    if not move.overriding:
        raise InvalidInput("error-stage-skip")
    return Passage.OVERRIDDEN


def won_from(earliest: Stage) -> Gate:
    """Entering WON: from `earliest` on; before it only with a manager's override."""

    def gate(move: Move) -> Passage:
        if PIPELINE.index(move.here) >= PIPELINE.index(earliest):
            return Passage.OPEN
        if move.overriding:
            return Passage.OVERRIDDEN
        raise InvalidInput("error-stage-won-early")

    return gate


def lost_reason_from_team_list(move: Move) -> Passage:
    """Entering LOST: with one of the team's lost reasons."""
    if not move.lost_reason or move.lost_reason not in move.policy.lost_reasons:
        raise InvalidInput("error-lost-reason")
    return Passage.OPEN


def reopened_to(stage: Stage) -> Gate:
    """Leaving LOST: only back to `stage`, by a manager with override."""

    def gate(move: Move) -> Passage:
        if move.to is stage and move.overriding:
            return Passage.OVERRIDDEN
        raise InvalidInput("error-stage-closed")

    return gate


def quote_agreed(move: Move) -> Passage:
    """Entering CONTRACT from an earlier stage: the deal's quote is approved, sent or accepted
    (domain/quotes/); without one only with a manager's override."""
    if move.here in PIPELINE and PIPELINE.index(move.here) > PIPELINE.index(move.to):
        return Passage.OPEN  # a step back into the contract stage
    if move.opportunity.quote_status in QUOTE_AGREED:
        return Passage.OPEN
    if move.overriding:
        return Passage.OVERRIDDEN
    raise InvalidInput("error-stage-needs-quote")


def stays_closed(move: Move) -> Passage:
    """Leaving WON: never."""
    raise InvalidInput("error-stage-closed")


# --- the registry --------------------------------------------------------------------------------


@dataclass(eq=False)
class StageSpec:
    stage: Stage
    order: int | None  # its place in PIPELINE; None for WON and LOST
    # Who the deal waits for at this stage: Role.REP means its owner (whatever their role), Role.FINANCE
    # at PAYMENT (finance confirms the money came in); None for WON and LOST.
    responsible: Role | None
    entry: list[Gate] = field(default_factory=list)
    exit: list[Gate] = field(default_factory=list)

    def gates(self, side: Side) -> list[Gate]:
        return self.entry if side is Side.ENTRY else self.exit


class StageRules:
    """Every stage's spec and gates; `add` and `remove` plug a feature's gate in and out."""

    def __init__(self, specs: list[StageSpec]) -> None:
        self._specs = {spec.stage: spec for spec in specs}
        assert set(self._specs) == set(Stage), "every stage needs a spec"

    def spec(self, stage: Stage) -> StageSpec:
        return self._specs[stage]

    def add(self, stage: Stage, side: Side, gate: Gate) -> None:
        """Plug `gate` in: every move into (ENTRY) or out of (EXIT) `stage` passes it, after the
        stage's own gates."""
        self._specs[stage].gates(side).append(gate)

    def remove(self, stage: Stage, side: Side, gate: Gate) -> None:
        """Take a gate out again (ValueError when it is not there)."""
        self._specs[stage].gates(side).remove(gate)

    @contextmanager
    def added(self, stage: Stage, side: Side, gate: Gate) -> Iterator[None]:
        """`gate` is in place for the `with` block only."""
        self.add(stage, side, gate)
        try:
            yield
        finally:
            self.remove(stage, side, gate)

    def gates_for(self, here: Stage, to: Stage) -> list[Gate]:
        """The gates a move from `here` to `to` passes, in order: leaving `here`, then entering `to`."""
        return [*self._specs[here].exit, *self._specs[to].entry]


def _open_stage(stage: Stage, *, responsible: Role = Role.REP, confirmer: Ability | None = None) -> StageSpec:
    leave = [moved_on_by_owner_or_manager(confirmer)]
    if confirmer is not None:
        leave.append(confirmed_by(confirmer, "error-stage-finance"))
    return StageSpec(stage, PIPELINE.index(stage), responsible, entry=[one_step_at_a_time], exit=leave)


def default_rules() -> StageRules:
    rules = StageRules([
        *(_open_stage(s) for s in PIPELINE if s is not Stage.PAYMENT),
        _open_stage(Stage.PAYMENT, responsible=Role.FINANCE, confirmer=Ability.CONFIRM_PAYMENTS),
        StageSpec(Stage.WON, None, None, entry=[won_from(EARLIEST_WIN)], exit=[stays_closed]),
        StageSpec(Stage.LOST, None, None, entry=[lost_reason_from_team_list], exit=[reopened_to(REOPEN_TO)]),
    ])
    rules.add(Stage.CONTRACT, Side.ENTRY, quote_agreed)  # the quotes feature's gate (issue 11)
    return rules


# The rules every service checks moves by.
STAGE_RULES: Final = default_rules()


def responsible_role(stage: Stage) -> Role | None:
    """Who is responsible for moving a deal on from `stage`.

    Role.REP means the deal's owner (whatever their role); Role.FINANCE at PAYMENT (finance confirms
    the money came in); None for WON and LOST: a closed deal waits for no one.
    """
    return STAGE_RULES.spec(stage).responsible


def next_stage(stage: Stage) -> Stage | None:
    """The next open stage, or None at the end of the pipeline or when closed."""
    if stage in CLOSED or stage is PIPELINE[-1]:
        return None
    return PIPELINE[PIPELINE.index(stage) + 1]


# --- checking a move -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Transition:
    """A checked, allowed stage change, ready to apply and record."""

    from_stage: Stage
    to_stage: Stage
    actor_id: int | None
    override: bool = False  # a manager's override was needed (skip, early win, re-open)
    lost_reason: str | None = None  # set when to_stage is LOST
    reopened: bool = False  # LOST → an open stage

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
    rules: StageRules = STAGE_RULES,
) -> Transition:
    """Allow the move of `opp` to `to` by `actor`, or raise a DomainError saying why not.

    `owner_id` is the deal's current owner (None while in the pool). Raises Forbidden
    ("error-other-team", "error-forbidden", "error-stage-not-owner", "error-stage-finance",
    "error-stage-skip" for a rep), InvalidInput ("error-stage-skip" for a manager without override,
    "error-stage-won-early", "error-lost-reason", "error-stage-closed") or AlreadyDone; a gate plugged
    in by a feature raises its own.
    """
    require_team(actor, opp.team_id)
    if not actor.active:
        raise Forbidden()
    if to is opp.stage:
        raise AlreadyDone()
    move = Move(opp, to, actor, owner_id, policy, override=override, lost_reason=lost_reason)
    passages = [gate(move) for gate in rules.gates_for(opp.stage, to)]
    return Transition(
        opp.stage, to, actor.id,
        override=Passage.OVERRIDDEN in passages,
        lost_reason=lost_reason if to is Stage.LOST else None,
        reopened=opp.stage is Stage.LOST and to in PIPELINE,
    )


def refusal(
    opp: Opportunity, to: Stage, *, actor: User, owner_id: int | None, policy: TeamPolicy, override: bool = False,
    lost_reason: str | None = None, rules: StageRules = STAGE_RULES,
) -> DomainError | None:
    """What `check_transition` would refuse the move with, or None when it is allowed."""
    try:
        check_transition(
            opp, to, actor=actor, owner_id=owner_id, override=override, lost_reason=lost_reason, policy=policy,
            rules=rules,
        )
    except DomainError as error:
        return error
    return None


def moves_for(
    opp: Opportunity, *, actor: User, owner_id: int | None, policy: TeamPolicy, rules: StageRules = STAGE_RULES
) -> tuple[Stage, ...]:
    """The stages `actor` may move `opp` to without an override, in Stage order (for the deal card's
    buttons). LOST is listed when the team has at least one lost reason."""
    reason = policy.lost_reasons[0] if policy.lost_reasons else None
    return tuple(
        stage for stage in Stage
        if refusal(opp, stage, actor=actor, owner_id=owner_id, policy=policy, lost_reason=reason, rules=rules) is None
    )


def skip_targets(
    opp: Opportunity, *, actor: User, owner_id: int | None, policy: TeamPolicy, rules: StageRules = STAGE_RULES
) -> tuple[Stage, ...]:
    """Where a manager's "skip stages" may take an open deal: the later stages past the next one, and
    WON, each as the rules allow with the manager's override (in pipeline order, WON last); nowhere for
    someone who may not override the rules."""
    manager = Move(opp, opp.stage, actor, owner_id, policy, override=True)
    if opp.stage not in PIPELINE or not manager.overriding:
        return ()
    later = PIPELINE[PIPELINE.index(opp.stage) + 2 :]
    return tuple(
        stage for stage in (*later, Stage.WON)
        if refusal(opp, stage, actor=actor, owner_id=owner_id, policy=policy, override=True, rules=rules) is None
    )
