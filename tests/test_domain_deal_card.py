"""The deal card's actions: what each person may do with a deal, decided by the stage rules and the
permissions, and why the rest is refused. Plain domain, no database."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from domain.deals.card import DealAction, DealActions, actions_for
from domain.deals.model import Opportunity, Stage
from domain.deals.stages import STAGE_RULES, Move, Passage, Side
from domain.errors import Forbidden
from domain.handoffs.model import Handoff
from domain.policy.model import TeamPolicy
from domain.team.model import Role, User

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
POLICY = TeamPolicy(team_id=1)

OWNER = User(telegram_id=101, name="小王", role=Role.REP, team_id=1, id=1)
OTHER_REP = User(telegram_id=102, name="小李", role=Role.REP, team_id=1, id=2)
MANAGER = User(telegram_id=103, name="张经理", role=Role.MANAGER, team_id=1, id=3)
FINANCE = User(telegram_id=104, name="财务小陈", role=Role.FINANCE, team_id=1, id=4)
ADMIN = User(telegram_id=105, name="管理员", role=Role.ADMIN, team_id=9, id=5)

A = DealAction


def deal(stage: Stage = Stage.QUALIFIED, owner_id: int | None = 1, *, pooled: bool = False) -> Opportunity:
    return Opportunity(
        team_id=1, lead_id=1, title="华东科技 CRM", created_at=NOW, owner_id=owner_id, stage=stage, id=10,
        pooled_at=NOW if pooled else None,
    )


def handoff(to: User) -> Handoff:
    return Handoff(
        opportunity_id=10, team_id=1, to_user_id=to.id or 0, from_user_id=1, requested_by=3,
        requested_at=NOW, deadline_at=NOW + timedelta(hours=4), id=77,
    )


def actions(viewer: User, opp: Opportunity | None = None, pending: Handoff | None = None) -> DealActions:
    return actions_for(opp or deal(), viewer=viewer, policy=POLICY, pending=pending)


def kinds(found: DealActions) -> list[DealAction]:
    return [offer.action for offer in found]


def test_the_owner_advances_loses_logs_and_reads() -> None:
    found = actions(OWNER)
    assert kinds(found) == [A.ADVANCE, A.LOSE, A.LOG_ACTIVITY, A.TIMELINE]
    advance, lose = found.get(A.ADVANCE), found.get(A.LOSE)
    assert advance is not None and advance.to is Stage.FOLLOWING_UP
    assert lose is not None and lose.reasons == tuple(POLICY.lost_reasons)
    assert found.refusal(A.SKIP) == "error-stage-skip"
    assert found.refusal(A.REASSIGN) == "error-reassign-role"
    assert found.refusal(A.ADVANCE) is None  # offered


def test_from_the_contract_on_the_owner_may_also_win() -> None:
    found = actions(OWNER, deal(Stage.CONTRACT))
    assert kinds(found) == [A.ADVANCE, A.WIN, A.LOSE, A.LOG_ACTIVITY, A.TIMELINE]
    win = found.get(A.WIN)
    assert win is not None and win.to is Stage.WON


def test_a_manager_also_skips_and_reassigns() -> None:
    found = actions(MANAGER)
    assert kinds(found) == [A.ADVANCE, A.SKIP, A.LOSE, A.REASSIGN, A.LOG_ACTIVITY, A.TIMELINE]
    skip = found.get(A.SKIP)
    assert skip is not None and skip.targets[0] is Stage.PROPOSAL and skip.targets[-1] is Stage.WON
    assert Stage.FOLLOWING_UP not in skip.targets  # that is the plain advance
    assert found.refusal(A.SKIP) is None and found.refusal(A.REASSIGN) is None
    assert kinds(actions(ADMIN)) == kinds(found)  # an admin manages every team


def test_at_payment_finance_confirms_and_the_owner_does_not() -> None:
    paying = deal(Stage.PAYMENT)
    assert kinds(actions(FINANCE, paying)) == [A.ADVANCE, A.TIMELINE]
    owner = actions(OWNER, paying)
    assert kinds(owner) == [A.WIN, A.LOSE, A.LOG_ACTIVITY, A.TIMELINE]
    assert owner.refusal(A.ADVANCE) == "error-stage-finance"
    finance = actions(FINANCE, deal(Stage.CONTRACT))
    assert kinds(finance) == [A.TIMELINE]
    assert finance.refusal(A.ADVANCE) == finance.refusal(A.LOSE) == "error-stage-not-owner"


def test_the_rep_a_hand_off_waits_for_accepts_or_declines_it_and_nothing_more() -> None:
    found = actions(OTHER_REP, pending=handoff(OTHER_REP))
    assert kinds(found) == [A.ACCEPT_HANDOFF, A.DECLINE_HANDOFF, A.TIMELINE]
    accept = found.get(A.ACCEPT_HANDOFF)
    assert accept is not None and accept.handoff_id == 77
    assert found.refusal(A.LOSE) == "error-stage-not-owner"
    assert found.refusal(A.LOG_ACTIVITY) == "error-followup-not-owner"
    # the owner sees the hand-off but may not answer it
    owner = actions(OWNER, pending=handoff(OTHER_REP))
    assert not owner.allows(A.ACCEPT_HANDOFF) and owner.refusal(A.ACCEPT_HANDOFF) == "error-handoff-not-yours"


def test_a_pool_deal_is_claimed_by_a_rep_and_moved_by_a_manager() -> None:
    pooled = deal(owner_id=None, pooled=True)
    assert kinds(actions(OTHER_REP, pooled)) == [A.CLAIM, A.TIMELINE]
    manager = actions(MANAGER, pooled)
    assert not manager.allows(A.CLAIM) and manager.refusal(A.CLAIM) == "error-pool-reps-only"
    assert manager.allows(A.ADVANCE) and manager.allows(A.REASSIGN)


def test_a_closed_deal_is_only_read_and_refusals_then_are_about_the_state_not_the_person() -> None:
    for closed in (Stage.WON, Stage.LOST):
        for viewer in (OWNER, MANAGER):
            assert kinds(actions(viewer, deal(closed))) == [A.TIMELINE]
    manager = actions(MANAGER, deal(Stage.LOST))
    assert manager.refusal(A.SKIP) is None and manager.refusal(A.REASSIGN) is None  # closed, not forbidden
    assert actions(OWNER, deal(Stage.LOST)).refusal(A.LOSE) is None


def test_a_team_without_lost_reasons_offers_no_lose() -> None:
    found = actions_for(deal(), viewer=OWNER, policy=TeamPolicy(team_id=1, lost_reasons=[]), pending=None)
    assert not found.allows(A.LOSE) and found.refusal(A.LOSE) is None


def test_a_gate_plugged_into_the_rules_takes_its_buttons_away() -> None:
    def signed(move: Move) -> Passage:
        raise Forbidden("error-test-not-signed")

    with STAGE_RULES.added(Stage.WON, Side.ENTRY, signed):
        found = actions(OWNER, deal(Stage.CONTRACT))
        assert not found.allows(A.WIN) and found.refusal(A.WIN) == "error-test-not-signed"
        skip = actions(MANAGER, deal(Stage.CONTRACT)).get(A.SKIP)
        assert skip is not None and Stage.WON not in skip.targets
    assert actions(OWNER, deal(Stage.CONTRACT)).allows(A.WIN)
