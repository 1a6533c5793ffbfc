"""Lead scoring: the number and the reasons a rep sees on the lead card ("7/10: budget +2, …")."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from domain.leads.model import Authority, Budget, Lead, LeadDraft, LeadSource, Timeline
from domain.leads.scoring import FACTORS, Score, need_is_clear, score_lead
from domain.policy.model import TeamPolicy

POLICY = TeamPolicy(team_id=1)


def hot_draft() -> LeadDraft:
    return LeadDraft(
        company="华东科技",
        need="想上一套CRM系统，覆盖30个销售",
        authority=Authority.DECISION_MAKER,
        budget=Budget.KNOWN,
        timeline=Timeline.THIS_MONTH,
        industry="制造",
        source=LeadSource.REFERRAL,
    )


def test_a_hot_lead_scores_full_marks_and_says_why_in_a_fixed_order() -> None:
    score = score_lead(hot_draft(), POLICY)
    assert score == Score(
        total=10,
        reasons={"need": 1, "authority": 2, "budget": 2, "timeline": 2, "industry": 2, "engagement": 1},
        qualified=True,
    )
    assert list(score.reasons) == list(FACTORS)


def test_an_empty_draft_scores_zero_with_no_reasons() -> None:
    assert score_lead(LeadDraft(), POLICY) == Score(total=0, reasons={}, qualified=False)


def test_partial_answers_earn_half() -> None:
    draft = LeadDraft(authority=Authority.INFLUENCER, budget=Budget.ROUGH, timeline=Timeline.THIS_QUARTER)
    assert score_lead(draft, POLICY).reasons == {"authority": 1, "budget": 1, "timeline": 1}


def test_halves_round_up_so_a_partial_answer_is_worth_something() -> None:
    policy = TeamPolicy(team_id=1, weights={"authority": 3, "budget": 1, "timeline": 0})
    draft = LeadDraft(authority=Authority.INFLUENCER, budget=Budget.ROUGH, timeline=Timeline.THIS_QUARTER)
    assert score_lead(draft, policy).reasons == {"authority": 2, "budget": 1}


def test_later_and_unknown_timeline_and_no_authority_earn_nothing() -> None:
    draft = replace(hot_draft(), timeline=Timeline.LATER, authority=Authority.NONE)
    assert "timeline" not in score_lead(draft, POLICY).reasons
    assert "authority" not in score_lead(draft, POLICY).reasons


def test_threshold_decides_qualified_at_or_above() -> None:
    six = LeadDraft(authority=Authority.DECISION_MAKER, budget=Budget.KNOWN, timeline=Timeline.THIS_MONTH)
    assert score_lead(six, POLICY).total == 6 and score_lead(six, POLICY).qualified
    assert not score_lead(six, TeamPolicy(team_id=1, threshold=7)).qualified


def test_industry_must_be_one_the_team_serves_and_not_other() -> None:
    policy = TeamPolicy(team_id=1, industries=["制造", "Retail", "其他"])
    assert score_lead(LeadDraft(industry="制造"), policy).reasons == {"industry": 2}
    assert score_lead(LeadDraft(industry=" retail "), policy).reasons == {"industry": 2}
    assert score_lead(LeadDraft(industry="其他"), policy).reasons == {}
    assert score_lead(LeadDraft(industry="金融"), policy).reasons == {}


def test_warm_sources_count_as_engagement_cold_ones_do_not() -> None:
    warm = {s for s in LeadSource if score_lead(LeadDraft(source=s), POLICY).reasons}
    assert warm == {LeadSource.REFERRAL, LeadSource.WEBSITE, LeadSource.EVENT, LeadSource.PARTNER}


def test_need_needs_substance_and_a_voice_note_counts() -> None:
    assert need_is_clear("想买CRM系统") and need_is_clear("need a CRM for 20 reps")
    assert not need_is_clear("CRM") and not need_is_clear("暂无") and not need_is_clear("  ") and not need_is_clear(None)
    assert score_lead(LeadDraft(need_voice_file_id="AwACAgIAAxkB"), POLICY).reasons == {"need": 1}


def test_a_manager_can_change_weights_and_the_total_stays_capped() -> None:
    policy = TeamPolicy(team_id=1, weights=dict.fromkeys(FACTORS, 5))
    score = score_lead(hot_draft(), policy)
    assert score.total == 10 and sum(score.reasons.values()) == 30


def test_missing_weights_fall_back_to_the_defaults_and_negative_ones_count_zero() -> None:
    policy = TeamPolicy(team_id=1, weights={"budget": -3})
    assert score_lead(hot_draft(), policy).reasons == {
        "need": 1, "authority": 2, "timeline": 2, "industry": 2, "engagement": 1,
    }  # fmt: skip


def test_a_saved_lead_scores_like_its_draft() -> None:
    draft = hot_draft()
    lead = Lead(
        team_id=1, created_by=1, company=draft.company, created_at=datetime(2026, 1, 1, tzinfo=UTC),
        need=draft.need, authority=draft.authority, budget=draft.budget, timeline=draft.timeline,
        industry=draft.industry, source=draft.source,
    )  # fmt: skip
    assert score_lead(lead, POLICY) == score_lead(draft, POLICY)


# --- properties ------------------------------------------------------------------------------

NEEDS = st.sampled_from([None, "", "无", "CRM", "想上一套CRM系统", "need a CRM for 20 reps"])
INDUSTRIES = st.sampled_from([None, "制造", "金融", "其他", "农业", "other"])
DRAFTS = st.builds(
    LeadDraft,
    need=NEEDS,
    need_voice_file_id=st.sampled_from([None, "voice-1"]),
    authority=st.sampled_from(Authority),
    budget=st.sampled_from(Budget),
    timeline=st.sampled_from(Timeline),
    industry=INDUSTRIES,
    source=st.sampled_from(LeadSource),
)
POLICIES = st.builds(
    TeamPolicy,
    team_id=st.just(1),
    threshold=st.integers(0, 10),
    weights=st.dictionaries(st.sampled_from(FACTORS), st.integers(-2, 6)),
)

# Each answer's values from worst to best.
LADDERS: dict[str, list[Any]] = {
    "authority": [Authority.NONE, Authority.INFLUENCER, Authority.DECISION_MAKER],
    "budget": [Budget.UNKNOWN, Budget.ROUGH, Budget.KNOWN],
    "timeline": [Timeline.UNKNOWN, Timeline.THIS_QUARTER, Timeline.THIS_MONTH],
    "source": [LeadSource.COLD_CALL, LeadSource.REFERRAL],
    "need": [None, "想上一套CRM系统"],
    "industry": [None, "制造"],
}


@settings(max_examples=200, deadline=None)
@given(DRAFTS, POLICIES)
def test_score_is_always_between_0_and_10_and_reasons_explain_it(draft: LeadDraft, policy: TeamPolicy) -> None:
    score = score_lead(draft, policy)
    assert 0 <= score.total <= 10
    assert score.total == min(10, sum(score.reasons.values()))
    assert all(points > 0 for points in score.reasons.values())
    assert list(score.reasons) == [f for f in FACTORS if f in score.reasons]
    assert score.qualified == (score.total >= policy.threshold)


@settings(max_examples=200, deadline=None)
@given(DRAFTS, POLICIES, st.sampled_from(sorted(LADDERS)), st.data())
def test_improving_any_answer_never_lowers_the_score(
    draft: LeadDraft, policy: TeamPolicy, answer: str, data: st.DataObject
) -> None:
    ladder = LADDERS[answer]
    low = data.draw(st.integers(0, len(ladder) - 1))
    high = data.draw(st.integers(low, len(ladder) - 1))
    worse = replace(draft, **{answer: ladder[low]})
    better = replace(draft, **{answer: ladder[high]})
    assert score_lead(better, policy).total >= score_lead(worse, policy).total
    for factor, points in score_lead(worse, policy).reasons.items():
        assert score_lead(better, policy).reasons.get(factor, 0) >= points


@settings(max_examples=100, deadline=None)
@given(DRAFTS, POLICIES)
def test_the_same_input_always_gives_the_same_result(draft: LeadDraft, policy: TeamPolicy) -> None:
    first, again = score_lead(draft, policy), score_lead(replace(draft), policy)
    assert first == again and list(first.reasons) == list(again.reasons)
