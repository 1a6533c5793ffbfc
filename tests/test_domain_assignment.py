"""Who gets the lead: each team policy, exclusions after a decline, and fairness over many leads."""

from __future__ import annotations

from collections import Counter

from hypothesis import given, settings
from hypothesis import strategies as st

from domain.handoffs.assignment import Candidate, next_after_decline, pick_assignee
from domain.policy.model import AssignmentPolicy, TeamPolicy


def policy(kind: AssignmentPolicy, cursor: int = 0) -> TeamPolicy:
    return TeamPolicy(team_id=1, assignment=kind, rr_cursor=cursor)


REPS = [
    Candidate(user_id=30, open_count=2, regions=frozenset({"上海"}), industries=frozenset({"制造"})),
    Candidate(user_id=10, open_count=5, regions=frozenset({"北京"}), industries=frozenset({"金融"}),
              products=frozenset({"CRM"})),
    Candidate(user_id=20, open_count=2, regions=frozenset({"上海", "杭州"}), industries=frozenset({"零售"}),
              products=frozenset({"CRM", "ERP"})),
]  # fmt: skip


def test_round_robin_takes_the_next_id_after_the_cursor_and_wraps() -> None:
    rr = AssignmentPolicy.ROUND_ROBIN
    assert pick_assignee(policy(rr, cursor=0), REPS) == 10
    assert pick_assignee(policy(rr, cursor=10), REPS) == 20
    assert pick_assignee(policy(rr, cursor=20), REPS) == 30
    assert pick_assignee(policy(rr, cursor=30), REPS) == 10
    assert pick_assignee(policy(rr, cursor=15), REPS) == 20  # the cursor's rep left the team


def test_least_loaded_takes_the_fewest_open_and_breaks_ties_by_lowest_id() -> None:
    assert pick_assignee(policy(AssignmentPolicy.LEAST_LOADED), REPS) == 20


def test_rules_prefer_region_then_industry_then_product() -> None:
    rules = policy(AssignmentPolicy.RULES)
    assert pick_assignee(rules, REPS, region="北京") == 10  # only match, despite the load
    assert pick_assignee(rules, REPS, region="上海") == 20  # two match: least loaded, then lowest id
    assert pick_assignee(rules, REPS, region="上海", industry="制造") == 30
    assert pick_assignee(rules, REPS, region="上海", industry="医疗", product="CRM") == 20
    assert pick_assignee(rules, REPS, region="北京", product="ERP") == 10  # region outranks product


def test_rules_match_ignoring_case_and_width_and_fall_back_to_least_loaded() -> None:
    rules = policy(AssignmentPolicy.RULES)
    assert pick_assignee(rules, REPS, product=" crm ") == 20
    assert pick_assignee(rules, REPS, product="ＥＲＰ") == 20
    assert pick_assignee(rules, REPS, region="深圳", industry="教育", product="OA") == 20
    assert pick_assignee(rules, REPS) == 20


def test_manual_leaves_it_to_the_manager() -> None:
    assert pick_assignee(policy(AssignmentPolicy.MANUAL), REPS) is None


def test_unreachable_and_excluded_reps_are_never_picked() -> None:
    blocked = Candidate(user_id=20, open_count=0, reachable=False)
    team = [c for c in REPS if c.user_id != 20] + [blocked]
    for kind in (AssignmentPolicy.ROUND_ROBIN, AssignmentPolicy.LEAST_LOADED, AssignmentPolicy.RULES):
        assert pick_assignee(policy(kind, cursor=10), team, region="上海") != 20
        assert pick_assignee(policy(kind, cursor=10), REPS, region="上海", exclude={20}) != 20


def test_nobody_available_means_the_pool() -> None:
    for kind in AssignmentPolicy:
        assert pick_assignee(policy(kind), []) is None
        assert pick_assignee(policy(kind), REPS, exclude={10, 20, 30}) is None


def test_after_a_decline_the_next_rep_by_the_same_policy() -> None:
    ll = policy(AssignmentPolicy.LEAST_LOADED)
    assert next_after_decline(ll, REPS, declined_by=20) == 30
    assert next_after_decline(ll, REPS, declined_by=30, exclude={20}) == 10
    assert next_after_decline(ll, REPS, declined_by=10, exclude={20, 30}) is None
    rr = policy(AssignmentPolicy.ROUND_ROBIN, cursor=20)  # 20 was picked, then declined
    assert next_after_decline(rr, REPS, declined_by=20) == 30
    rules = policy(AssignmentPolicy.RULES)
    assert next_after_decline(rules, REPS, declined_by=20, region="上海") == 30


def test_least_loaded_spreads_new_leads_as_counts_grow() -> None:
    team = {c.user_id: c for c in REPS}
    picks = Counter[int]()
    for _ in range(9):
        chosen = pick_assignee(policy(AssignmentPolicy.LEAST_LOADED), team.values())
        assert chosen is not None
        picks[chosen] += 1
        c = team[chosen]
        team[chosen] = Candidate(chosen, c.open_count + 1, c.regions, c.industries, c.products)
    assert {uid: c.open_count for uid, c in team.items()} == {10: 6, 20: 6, 30: 6}
    assert picks == {20: 4, 30: 4, 10: 1}


@settings(max_examples=60, deadline=None)
@given(
    ids=st.sets(st.integers(1, 10_000), min_size=1, max_size=12),
    rounds=st.integers(1, 5),
    cursor=st.integers(0, 10_001),
)
def test_round_robin_is_fair_every_rep_gets_k_picks_in_k_times_n_rounds(
    ids: set[int], rounds: int, cursor: int
) -> None:
    team = [Candidate(user_id=uid, open_count=uid % 7) for uid in ids]
    rr = policy(AssignmentPolicy.ROUND_ROBIN, cursor=cursor)
    picks = Counter[int]()
    for _ in range(rounds * len(ids)):
        chosen = pick_assignee(rr, team)
        assert chosen is not None
        picks[chosen] += 1
        rr.rr_cursor = chosen
    assert picks == dict.fromkeys(ids, rounds)


@settings(max_examples=60, deadline=None)
@given(
    team=st.lists(
        st.builds(
            Candidate,
            user_id=st.integers(1, 50),
            open_count=st.integers(0, 20),
            regions=st.frozensets(st.sampled_from(["上海", "北京", "深圳"]), max_size=2),
            industries=st.frozensets(st.sampled_from(["制造", "金融"]), max_size=2),
            products=st.frozensets(st.sampled_from(["CRM", "ERP"]), max_size=2),
            reachable=st.booleans(),
        ),
        max_size=8,
    ),
    kind=st.sampled_from(AssignmentPolicy),
    exclude=st.sets(st.integers(1, 50), max_size=5),
    region=st.sampled_from([None, "上海", "北京"]),
    product=st.sampled_from([None, "CRM"]),
)
def test_a_pick_is_always_an_available_rep(
    team: list[Candidate], kind: AssignmentPolicy, exclude: set[int], region: str | None, product: str | None
) -> None:
    chosen = pick_assignee(policy(kind, cursor=25), team, region=region, product=product, exclude=exclude)
    available = {c.user_id for c in team if c.reachable and c.user_id not in exclude}
    if kind is AssignmentPolicy.MANUAL or not available:
        assert chosen is None
    else:
        assert chosen in available
