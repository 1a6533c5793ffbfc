"""The deal card: one deal as a person sees it, with what they may do with it.

`actions_for` decides the card's actions from the stage rules and the permissions, so a chat front
end draws one button per offer and works nothing out itself; each action's service still has the
last word when the button is pressed.
"""

from __future__ import annotations

import enum
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field

from domain.contracts.model import Contract, Milestone, Payment
from domain.deals.model import HistoryEntry, Opportunity, Stage
from domain.deals.stages import STAGE_RULES, StageRules, moves_for, next_stage, refusal, skip_targets
from domain.errors import Forbidden
from domain.handoffs.model import Handoff
from domain.leads.model import Lead
from domain.permissions import Ability, can, manages_team
from domain.policy.model import TeamPolicy
from domain.team.model import Team, User


class DealAction(enum.StrEnum):
    ACCEPT_HANDOFF = "accept_handoff"  # the pending hand-off waits for the viewer
    DECLINE_HANDOFF = "decline_handoff"
    CLAIM = "claim"  # take it from the public pool
    ADVANCE = "advance"  # one stage forward
    WIN = "win"
    SKIP = "skip"  # a manager jumps stages (override)
    LOSE = "lose"
    REASSIGN = "reassign"  # a manager hands it to another rep
    LOG_ACTIVITY = "log_activity"  # /log a call, visit, message...
    TIMELINE = "timeline"  # the follow-up timeline


@dataclass(frozen=True)
class DealOffer:
    """One action the viewer may take, with what the button needs."""

    action: DealAction
    to: Stage | None = None  # ADVANCE: the next stage; WIN: Stage.WON
    targets: tuple[Stage, ...] = ()  # SKIP: the stages a manager may jump to
    reasons: tuple[str, ...] = ()  # LOSE: the team's lost reasons, in the team's order
    handoff_id: int | None = None  # ACCEPT_HANDOFF, DECLINE_HANDOFF


@dataclass(frozen=True)
class DealActions:
    """The viewer's offers, in the card's order, and why the others are ruled out for them."""

    offers: tuple[DealOffer, ...] = ()
    # The message code for an action ruled out by who the viewer is (their role, or not being the owner).
    refusals: Mapping[DealAction, str] = field(default_factory=dict)

    def __iter__(self) -> Iterator[DealOffer]:
        return iter(self.offers)

    def get(self, action: DealAction) -> DealOffer | None:
        return next((offer for offer in self.offers if offer.action is action), None)

    def allows(self, action: DealAction) -> bool:
        return self.get(action) is not None

    def refusal(self, action: DealAction) -> str | None:
        """Why the viewer, being who they are, may not take `action` (a message code); None when who they
        are does not stand in the way: the action is offered, or only the deal's state rules it out
        (closed, moved on, no hand-off pending)."""
        return None if self.allows(action) else self.refusals.get(action)


def actions_for(
    opportunity: Opportunity, *, viewer: User, policy: TeamPolicy, pending: Handoff | None,
    rules: StageRules = STAGE_RULES,
) -> DealActions:
    """What `viewer` may do with a deal they may see: accept or decline the hand-off waiting for them,
    claim it from the pool (a rep), move it on as the stage rules allow (advance, win, a manager's skip,
    lose with one of the team's reasons), reassign it (a manager), log a follow-up (the owner or a
    manager, while open) and read its timeline (anyone who sees it)."""
    team = opportunity.team_id
    owner_id = opportunity.owner_id
    is_owner = owner_id is not None and owner_id == viewer.id
    manager = manages_team(viewer, team)
    moves = moves_for(opportunity, actor=viewer, owner_id=owner_id, policy=policy, rules=rules)
    following = next_stage(opportunity.stage)
    offers: list[DealOffer] = []

    if pending is not None and pending.id is not None and pending.to_user_id == viewer.id:
        offers.append(DealOffer(DealAction.ACCEPT_HANDOFF, handoff_id=pending.id))
        offers.append(DealOffer(DealAction.DECLINE_HANDOFF, handoff_id=pending.id))
    if opportunity.in_pool and opportunity.is_open and can(viewer, Ability.CLAIM_FROM_POOL):
        offers.append(DealOffer(DealAction.CLAIM))
    if following is not None and following in moves:
        offers.append(DealOffer(DealAction.ADVANCE, to=following))
    if Stage.WON in moves:
        offers.append(DealOffer(DealAction.WIN, to=Stage.WON))
    targets = skip_targets(opportunity, actor=viewer, owner_id=owner_id, policy=policy, rules=rules)
    if targets:
        offers.append(DealOffer(DealAction.SKIP, targets=targets))
    if Stage.LOST in moves:
        offers.append(DealOffer(DealAction.LOSE, reasons=tuple(policy.lost_reasons)))
    may_reassign = manager and can(viewer, Ability.REASSIGN_DEALS)
    if opportunity.is_open and may_reassign:
        offers.append(DealOffer(DealAction.REASSIGN))
    if opportunity.is_open and (is_owner or manager):
        offers.append(DealOffer(DealAction.LOG_ACTIVITY))
    offers.append(DealOffer(DealAction.TIMELINE))

    def forbidden(to: Stage | None, reason: str | None = None) -> str | None:
        """The code of the stage rules' refusal when it is about who the viewer is (Forbidden)."""
        if to is None:
            return None
        error = refusal(
            opportunity, to, actor=viewer, owner_id=owner_id, policy=policy, lost_reason=reason, rules=rules
        )
        return error.code if isinstance(error, Forbidden) else None

    refusals = {
        DealAction.ADVANCE: forbidden(following),
        DealAction.WIN: forbidden(Stage.WON),
        DealAction.LOSE: forbidden(Stage.LOST, policy.lost_reasons[0] if policy.lost_reasons else None),
        DealAction.SKIP: None if manager and can(viewer, Ability.OVERRIDE_STAGES) else "error-stage-skip",
        DealAction.REASSIGN: None if may_reassign else "error-reassign-role",
        DealAction.CLAIM: None if can(viewer, Ability.CLAIM_FROM_POOL) else "error-pool-reps-only",
        DealAction.LOG_ACTIVITY: None if is_owner or manager else "error-followup-not-owner",
        DealAction.ACCEPT_HANDOFF: None if pending is None or pending.to_user_id == viewer.id
        else "error-handoff-not-yours",
    }
    refusals[DealAction.DECLINE_HANDOFF] = refusals[DealAction.ACCEPT_HANDOFF]
    return DealActions(tuple(offers), {action: code for action, code in refusals.items() if code is not None})


def read_only_actions() -> DealActions:
    """A deal followed read-only (its capturer): its timeline to read, and every action refused as such."""
    return DealActions(
        (DealOffer(DealAction.TIMELINE),),
        {action: "error-deal-read-only" for action in DealAction if action is not DealAction.TIMELINE},
    )


@dataclass(frozen=True)
class DealCard:
    opportunity: Opportunity
    lead: Lead
    team: Team
    owner_name: str | None
    history: list[HistoryEntry]  # newest first
    pending_handoff: Handoff | None
    actions: DealActions
    assignee_name: str | None = None  # who the pending hand-off waits for
    read_only: bool = False  # the rep who brought it in follows it: the card, its timeline, no actions
    # The deal's latest contract (domain/contracts/), its plan and payments: the card shows where the money is.
    contract: Contract | None = None
    milestones: tuple[Milestone, ...] = ()
    payments: tuple[Payment, ...] = ()

    @property
    def can_reassign(self) -> bool:
        """A manager of the deal's team (or an admin) may hand the open deal to another rep."""
        return self.actions.allows(DealAction.REASSIGN)
