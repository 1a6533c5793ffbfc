"""Stage rules: what a rep, a manager and finance may do with a deal, and what they are told when not."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule

from domain.deals.model import CLOSED, PIPELINE, Opportunity, Stage
from domain.deals.stages import (
    STAGE_RULES,
    Move,
    Passage,
    Side,
    Transition,
    check_transition,
    default_rules,
    moves_for,
    next_stage,
    responsible_role,
    skip_targets,
)
from domain.errors import AlreadyDone, DomainError, Forbidden, InvalidInput
from domain.money import Money
from domain.policy.model import TeamPolicy
from domain.team.model import Role, User

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
POLICY = TeamPolicy(team_id=1)

OWNER = User(telegram_id=101, name="小王", role=Role.REP, team_id=1, id=1)
OTHER_REP = User(telegram_id=102, name="小李", role=Role.REP, team_id=1, id=2)
MANAGER = User(telegram_id=103, name="张经理", role=Role.MANAGER, team_id=1, id=3)
FINANCE = User(telegram_id=104, name="财务小陈", role=Role.FINANCE, team_id=1, id=4)
ADMIN = User(telegram_id=105, name="管理员", role=Role.ADMIN, team_id=9, id=5)
OTHER_MANAGER = User(telegram_id=106, name="华南经理", role=Role.MANAGER, team_id=2, id=6)
OTHER_FINANCE = User(telegram_id=107, name="华南财务", role=Role.FINANCE, team_id=2, id=7)


def deal(stage: Stage = Stage.QUALIFIED, owner_id: int | None = 1) -> Opportunity:
    # With an approved quote: the contract stage's quote gate is tested in tests/test_domain_quotes.py.
    return Opportunity(
        team_id=1, lead_id=1, title="华东科技 CRM", created_at=NOW, owner_id=owner_id, stage=stage, id=10,
        quote_status="approved",
    )


def move(opp: Opportunity, to: Stage, actor: User, *, override: bool = False, lost_reason: str | None = None) -> Transition:
    return check_transition(
        opp, to, actor=actor, owner_id=opp.owner_id, override=override, lost_reason=lost_reason, policy=POLICY
    )


def code_of(opp: Opportunity, to: Stage, actor: User, *, override: bool = False, lost_reason: str | None = None) -> str:
    with pytest.raises(DomainError) as error:
        move(opp, to, actor, override=override, lost_reason=lost_reason)
    return error.value.code


@pytest.mark.parametrize("here", PIPELINE[:-1])
def test_owner_and_manager_move_one_step_forward(here: Stage) -> None:
    there = PIPELINE[PIPELINE.index(here) + 1]
    for actor in ([OWNER, MANAGER, ADMIN] if here is not Stage.PAYMENT else [FINANCE, MANAGER, ADMIN]):
        t = move(deal(here), there, actor)
        assert (t.from_stage, t.to_stage, t.actor_id, t.override) == (here, there, actor.id, False)


def test_another_rep_cannot_move_someone_elses_deal() -> None:
    assert code_of(deal(), Stage.FOLLOWING_UP, OTHER_REP) == "error-stage-not-owner"


def test_a_pooled_deal_is_moved_only_by_a_manager() -> None:
    pooled = deal(owner_id=None)
    assert code_of(pooled, Stage.FOLLOWING_UP, OWNER) == "error-stage-not-owner"
    assert move(pooled, Stage.FOLLOWING_UP, MANAGER).to_stage is Stage.FOLLOWING_UP


def test_another_teams_manager_is_refused_but_an_admin_is_not() -> None:
    with pytest.raises(Forbidden) as error:
        move(deal(), Stage.FOLLOWING_UP, OTHER_MANAGER)
    assert error.value.code == "error-other-team"
    assert move(deal(), Stage.FOLLOWING_UP, ADMIN).to_stage is Stage.FOLLOWING_UP


def test_a_deactivated_owner_cannot_move_the_deal() -> None:
    gone = User(telegram_id=101, name="小王", role=Role.REP, team_id=1, id=1, active=False)
    assert code_of(deal(), Stage.FOLLOWING_UP, gone) == "error-forbidden"


def test_the_same_stage_again_is_a_repeated_tap() -> None:
    with pytest.raises(AlreadyDone):
        move(deal(Stage.PROPOSAL), Stage.PROPOSAL, OWNER)


def test_a_rep_cannot_skip_a_stage_even_with_override() -> None:
    with pytest.raises(Forbidden) as error:
        move(deal(), Stage.PROPOSAL, OWNER, override=True)
    assert error.value.code == "error-stage-skip"


def test_a_manager_skips_only_with_override_and_it_is_recorded() -> None:
    with pytest.raises(InvalidInput) as error:
        move(deal(), Stage.CONTRACT, MANAGER)
    assert error.value.code == "error-stage-skip"
    t = move(deal(), Stage.CONTRACT, MANAGER, override=True)
    assert t.override
    change = t.record(opportunity_id=10, at=NOW, note="客户直接要合同")
    assert (change.from_stage, change.to_stage, change.actor_id, change.at, change.override, change.note) == (
        Stage.QUALIFIED, Stage.CONTRACT, MANAGER.id, NOW, True, "客户直接要合同",
    )  # fmt: skip


def test_an_unneeded_override_is_not_recorded_as_one() -> None:
    assert not move(deal(), Stage.FOLLOWING_UP, MANAGER, override=True).override


def test_one_step_back_is_allowed_more_needs_a_manager_override() -> None:
    assert move(deal(Stage.PROPOSAL), Stage.FOLLOWING_UP, OWNER).to_stage is Stage.FOLLOWING_UP
    assert code_of(deal(Stage.CONTRACT), Stage.FOLLOWING_UP, OWNER) == "error-stage-skip"
    assert move(deal(Stage.CONTRACT), Stage.FOLLOWING_UP, MANAGER, override=True).override


def test_leaving_payment_is_finances_confirmation_not_the_owners() -> None:
    assert code_of(deal(Stage.PAYMENT), Stage.DELIVERY, OWNER) == "error-stage-finance"
    assert move(deal(Stage.PAYMENT), Stage.DELIVERY, FINANCE).actor_id == FINANCE.id
    assert code_of(deal(Stage.PAYMENT), Stage.DELIVERY, OTHER_FINANCE) == "error-other-team"


def test_finance_confirms_payment_and_nothing_else() -> None:
    for here, there in [(Stage.CONTRACT, Stage.PAYMENT), (Stage.DELIVERY, Stage.AFTER_SALES)]:
        assert code_of(deal(here), there, FINANCE) == "error-stage-not-owner"
    assert code_of(deal(Stage.PAYMENT), Stage.LOST, FINANCE, lost_reason="price") == "error-stage-not-owner"


@pytest.mark.parametrize("here", PIPELINE[PIPELINE.index(Stage.CONTRACT) :])
def test_won_from_contract_or_later(here: Stage) -> None:
    assert move(deal(here), Stage.WON, OWNER).to_stage is Stage.WON


@pytest.mark.parametrize("here", PIPELINE[: PIPELINE.index(Stage.CONTRACT)])
def test_won_before_contract_needs_a_managers_override(here: Stage) -> None:
    assert code_of(deal(here), Stage.WON, OWNER) == "error-stage-won-early"
    assert code_of(deal(here), Stage.WON, OWNER, override=True) == "error-stage-won-early"
    assert code_of(deal(here), Stage.WON, MANAGER) == "error-stage-won-early"
    assert move(deal(here), Stage.WON, MANAGER, override=True).override


@pytest.mark.parametrize("here", PIPELINE)
def test_lost_from_any_open_stage_with_a_reason_from_the_team_list(here: Stage) -> None:
    t = move(deal(here), Stage.LOST, OWNER, lost_reason="competitor")
    assert (t.to_stage, t.lost_reason) == (Stage.LOST, "competitor")
    assert code_of(deal(here), Stage.LOST, OWNER) == "error-lost-reason"
    assert code_of(deal(here), Stage.LOST, OWNER, lost_reason="不喜欢") == "error-lost-reason"
    assert code_of(deal(here), Stage.LOST, OTHER_REP, lost_reason="price") == "error-stage-not-owner"


def test_lost_reasons_are_the_teams() -> None:
    policy = TeamPolicy(team_id=1, lost_reasons=["价格太高"])
    opp = deal()
    t = check_transition(opp, Stage.LOST, actor=OWNER, owner_id=1, lost_reason="价格太高", policy=policy)
    assert t.lost_reason == "价格太高"
    with pytest.raises(InvalidInput):
        check_transition(opp, Stage.LOST, actor=OWNER, owner_id=1, lost_reason="price", policy=policy)


@pytest.mark.parametrize("closed", sorted(CLOSED))
def test_a_closed_deal_does_not_move(closed: Stage) -> None:
    for to in [*PIPELINE, *(CLOSED - {closed})]:
        assert code_of(deal(closed), to, OWNER, lost_reason="price") == "error-stage-closed"
    assert code_of(deal(Stage.WON), Stage.FOLLOWING_UP, MANAGER, override=True) == "error-stage-closed"


def test_a_manager_reopens_a_lost_deal_to_following_up_with_override() -> None:
    lost = deal(Stage.LOST)
    assert code_of(lost, Stage.FOLLOWING_UP, MANAGER) == "error-stage-closed"
    assert code_of(lost, Stage.FOLLOWING_UP, OWNER, override=True) == "error-stage-closed"
    assert code_of(lost, Stage.PROPOSAL, MANAGER, override=True) == "error-stage-closed"
    t = move(lost, Stage.FOLLOWING_UP, MANAGER, override=True)
    assert t.reopened and t.override and t.to_stage is Stage.FOLLOWING_UP


def test_responsible_role_per_stage() -> None:
    assert {s: responsible_role(s) for s in Stage} == {
        Stage.QUALIFIED: Role.REP, Stage.FOLLOWING_UP: Role.REP, Stage.PROPOSAL: Role.REP,
        Stage.CONTRACT: Role.REP, Stage.PAYMENT: Role.FINANCE, Stage.DELIVERY: Role.REP,
        Stage.AFTER_SALES: Role.REP, Stage.WON: None, Stage.LOST: None,
    }  # fmt: skip


def test_next_stage() -> None:
    assert next_stage(Stage.QUALIFIED) is Stage.FOLLOWING_UP
    assert next_stage(Stage.AFTER_SALES) is None and next_stage(Stage.WON) is None


def test_moves_for_lists_the_buttons_each_person_gets() -> None:
    assert moves_for(deal(Stage.PROPOSAL), actor=OWNER, owner_id=1, policy=POLICY) == (
        Stage.FOLLOWING_UP, Stage.CONTRACT, Stage.LOST,
    )  # fmt: skip
    assert moves_for(deal(Stage.CONTRACT), actor=OWNER, owner_id=1, policy=POLICY) == (
        Stage.PROPOSAL, Stage.PAYMENT, Stage.WON, Stage.LOST,
    )  # fmt: skip
    assert moves_for(deal(Stage.PAYMENT), actor=OWNER, owner_id=1, policy=POLICY) == (
        Stage.CONTRACT, Stage.WON, Stage.LOST,
    )  # fmt: skip
    assert moves_for(deal(Stage.PAYMENT), actor=FINANCE, owner_id=1, policy=POLICY) == (Stage.DELIVERY,)
    assert moves_for(deal(), actor=OTHER_REP, owner_id=1, policy=POLICY) == ()
    assert moves_for(deal(Stage.LOST), actor=MANAGER, owner_id=1, policy=POLICY) == ()


def test_skip_targets_are_a_managers_and_lie_past_the_next_stage() -> None:
    assert skip_targets(deal(), actor=MANAGER, owner_id=1, policy=POLICY) == (
        Stage.PROPOSAL, Stage.CONTRACT, Stage.PAYMENT, Stage.DELIVERY, Stage.AFTER_SALES, Stage.WON,
    )  # fmt: skip
    assert skip_targets(deal(Stage.CONTRACT), actor=ADMIN, owner_id=1, policy=POLICY) == (
        Stage.DELIVERY, Stage.AFTER_SALES, Stage.WON,
    )  # fmt: skip
    assert skip_targets(deal(Stage.AFTER_SALES), actor=MANAGER, owner_id=1, policy=POLICY) == (Stage.WON,)
    for nobody in (OWNER, FINANCE, OTHER_REP):
        assert skip_targets(deal(Stage.CONTRACT), actor=nobody, owner_id=1, policy=POLICY) == ()
    assert skip_targets(deal(Stage.LOST), actor=MANAGER, owner_id=1, policy=POLICY) == ()


def test_the_registry_holds_each_stages_order_and_who_moves_it_on() -> None:
    assert [STAGE_RULES.spec(s).order for s in PIPELINE] == list(range(len(PIPELINE)))
    assert STAGE_RULES.spec(Stage.WON).order is None and STAGE_RULES.spec(Stage.LOST).order is None
    assert STAGE_RULES.spec(Stage.PAYMENT).responsible is Role.FINANCE
    assert all(STAGE_RULES.spec(s).entry and STAGE_RULES.spec(s).exit for s in Stage)


# --- gates plugged in by a feature ---------------------------------------------------------------


def amount_known(move: Move) -> Passage:
    """A gate as a later feature would write one: no proposal without an expected amount."""
    if move.opportunity.amount is None:
        raise InvalidInput("error-test-amount-needed")
    return Passage.OPEN


def test_a_gate_plugged_in_refuses_with_its_own_code_until_it_is_taken_out() -> None:
    following = deal(Stage.FOLLOWING_UP)
    assert move(following, Stage.PROPOSAL, OWNER).to_stage is Stage.PROPOSAL
    STAGE_RULES.add(Stage.PROPOSAL, Side.ENTRY, amount_known)
    try:
        assert code_of(following, Stage.PROPOSAL, OWNER) == "error-test-amount-needed"
        # it guards the stage whatever the path: a manager's skip does not get round it
        assert code_of(deal(), Stage.PROPOSAL, MANAGER, override=True) == "error-test-amount-needed"
        # the stage's own gates run first: someone else's deal is still "not yours"
        assert code_of(following, Stage.PROPOSAL, OTHER_REP) == "error-stage-not-owner"
        # the card's buttons follow the gate
        assert Stage.PROPOSAL not in moves_for(following, actor=OWNER, owner_id=1, policy=POLICY)
        assert Stage.PROPOSAL not in skip_targets(deal(), actor=MANAGER, owner_id=1, policy=POLICY)
        priced = deal(Stage.FOLLOWING_UP)
        priced.amount = Money(50_000_000)
        assert move(priced, Stage.PROPOSAL, OWNER).to_stage is Stage.PROPOSAL
    finally:
        STAGE_RULES.remove(Stage.PROPOSAL, Side.ENTRY, amount_known)
    assert move(following, Stage.PROPOSAL, OWNER).to_stage is Stage.PROPOSAL
    assert Stage.PROPOSAL in moves_for(following, actor=OWNER, owner_id=1, policy=POLICY)
    with pytest.raises(ValueError):
        STAGE_RULES.remove(Stage.PROPOSAL, Side.ENTRY, amount_known)


def test_an_exit_gate_a_manager_may_override_is_recorded_as_an_override() -> None:
    confirmed: set[int] = set()

    def payment_confirmed(move: Move) -> Passage:
        if move.to is not next_stage(move.here) or move.opportunity.id in confirmed:
            return Passage.OPEN
        if move.overriding:
            return Passage.OVERRIDDEN
        raise InvalidInput("error-test-payment-unconfirmed")

    rules = default_rules()  # a registry of its own: the shared one is untouched
    rules.add(Stage.PAYMENT, Side.EXIT, payment_confirmed)
    paying = deal(Stage.PAYMENT)

    def check(actor: User, *, override: bool = False) -> Transition:
        return check_transition(
            paying, Stage.DELIVERY, actor=actor, owner_id=1, override=override, policy=POLICY, rules=rules
        )

    for actor in (FINANCE, MANAGER):
        with pytest.raises(InvalidInput) as error:
            check(actor)
        assert error.value.code == "error-test-payment-unconfirmed"
    assert check(MANAGER, override=True).override
    with pytest.raises(Forbidden):  # the owner is still refused by PAYMENT's own gate first
        check(OWNER)
    confirmed.add(10)
    assert not check(FINANCE).override
    assert move(paying, Stage.DELIVERY, FINANCE).to_stage is Stage.DELIVERY  # the shared rules never had it


def test_a_gate_is_in_place_for_a_with_block_only() -> None:
    with STAGE_RULES.added(Stage.PROPOSAL, Side.ENTRY, amount_known):
        assert code_of(deal(Stage.FOLLOWING_UP), Stage.PROPOSAL, OWNER) == "error-test-amount-needed"
    assert move(deal(Stage.FOLLOWING_UP), Stage.PROPOSAL, OWNER).to_stage is Stage.PROPOSAL


# --- state machine: random moves by random people never leave the pipeline --------------------

ACTORS = [OWNER, OTHER_REP, MANAGER, FINANCE, ADMIN, OTHER_MANAGER]


class DealLife(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        self.opp = deal()
        self.history: list[Transition] = []

    @rule(
        to=st.sampled_from(Stage),
        actor=st.sampled_from(ACTORS),
        override=st.booleans(),
        reason=st.sampled_from([None, "price", "competitor", "whatever"]),
    )
    def try_move(self, to: Stage, actor: User, override: bool, reason: str | None) -> None:
        before = self.opp.stage
        try:
            t = check_transition(
                self.opp, to, actor=actor, owner_id=self.opp.owner_id, override=override, lost_reason=reason,
                policy=POLICY,
            )  # fmt: skip
        except DomainError as error:
            assert error.code.startswith("error-")
            assert self.opp.stage is before
            return
        assert t.from_stage is before and t.to_stage is to and t.actor_id == actor.id
        self.opp.stage = to
        if to is Stage.LOST:
            self.opp.lost_reason = t.lost_reason
        self.history.append(t)

    @invariant()
    def stage_is_in_the_pipeline_or_closed(self) -> None:
        assert self.opp.stage in PIPELINE or self.opp.stage in CLOSED

    @invariant()
    def every_move_was_legal(self) -> None:
        if not self.history:
            return
        t = self.history[-1]
        manager = t.actor_id in (MANAGER.id, ADMIN.id)
        assert t.actor_id != OTHER_MANAGER.id and t.actor_id != OTHER_REP.id
        if t.from_stage in CLOSED:
            assert t.from_stage is Stage.LOST and t.to_stage is Stage.FOLLOWING_UP and manager and t.override
        elif t.to_stage is Stage.LOST:
            assert t.lost_reason in POLICY.lost_reasons
        elif t.to_stage is Stage.WON:
            assert PIPELINE.index(t.from_stage) >= PIPELINE.index(Stage.CONTRACT) or (manager and t.override)
        else:
            step = PIPELINE.index(t.to_stage) - PIPELINE.index(t.from_stage)
            assert abs(step) == 1 or (manager and t.override)
            if t.actor_id == FINANCE.id:
                assert (t.from_stage, t.to_stage) == (Stage.PAYMENT, Stage.DELIVERY)

    @invariant()
    def a_lost_deal_has_a_reason(self) -> None:
        if self.opp.stage is Stage.LOST:
            assert self.opp.lost_reason in POLICY.lost_reasons


DealLife.TestCase.settings = settings(max_examples=60, stateful_step_count=30, deadline=None)
test_random_moves_never_leave_the_pipeline = DealLife.TestCase
