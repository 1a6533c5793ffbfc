"""The follow-up rules as plain functions: the silence verdict, next-step presets, the escalation
deadline, idle limits, suggestions and search queries."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta

from domain.deals.model import PIPELINE, Opportunity, Stage
from domain.followup.rules import (
    NO_STEP_GRACE,
    SUGGESTIONS,
    Flag,
    Level,
    NextStepPreset,
    SearchQuery,
    escalation_deadline,
    idle_limit,
    idle_limits,
    next_step_time,
    parse_search,
    restarted,
    silence_verdict,
    snippet,
    suggestion,
    toward_proposal,
)
from domain.followup.silence import restart_silence_watch
from domain.policy.model import TeamPolicy
from domain.team.model import Team

T0 = datetime(2026, 11, 26, 2, 0, tzinfo=UTC)  # Thursday 10:00 in Shanghai
SHANGHAI = Team(name="华东", timezone="Asia/Shanghai", id=1)
BERLIN = Team(name="Berlin", timezone="Europe/Berlin", work_start=time(8, 30), work_end=time(17, 30), work_days="01234", id=2)


def deal(stage: Stage = Stage.QUALIFIED, **changes: object) -> Opportunity:
    values: dict[str, object] = {
        "team_id": 1, "lead_id": 1, "title": "华东科技", "created_at": T0 - timedelta(days=30), "owner_id": 7,
        "owner_since": T0 - timedelta(days=30), "last_activity_at": T0, "stage": stage,
    }
    values.update(changes)
    return Opportunity(**values)  # type: ignore[arg-type]


def test_the_verdict_nudges_the_owner_at_the_limit_and_the_manager_at_twice_the_limit() -> None:
    limit = timedelta(days=2)
    opp = deal()
    before = silence_verdict(opp, limit=limit, has_next_step=True, now=T0 + limit - timedelta(seconds=1))
    assert (before.deserved, before.check_at) == (Level.NONE, T0 + limit)
    owner = silence_verdict(opp, limit=limit, has_next_step=True, now=T0 + limit)
    assert (owner.deserved, owner.flag, owner.check_at) == (Level.OWNER, Flag.SILENT, T0 + 2 * limit)
    assert owner.alert(Level.NONE) is Level.OWNER and owner.alert(Level.OWNER) is None
    manager = silence_verdict(opp, limit=limit, has_next_step=True, now=T0 + 2 * limit)
    assert (manager.deserved, manager.check_at) == (Level.MANAGER, None)
    assert manager.alert(Level.OWNER) is Level.MANAGER and manager.alert(Level.MANAGER) is None


def test_without_a_next_step_the_owner_hears_after_a_day_but_the_manager_only_at_twice_the_limit() -> None:
    limit = timedelta(days=7)
    opp = deal(Stage.FOLLOWING_UP)
    assert silence_verdict(opp, limit=limit, has_next_step=False, now=T0).check_at == T0 + NO_STEP_GRACE
    flagged = silence_verdict(opp, limit=limit, has_next_step=False, now=T0 + NO_STEP_GRACE)
    assert (flagged.deserved, flagged.flag, flagged.check_at) == (Level.OWNER, Flag.NO_STEP, T0 + 2 * limit)
    short = silence_verdict(deal(), limit=timedelta(hours=12), has_next_step=False, now=T0)
    assert short.check_at == T0 + timedelta(hours=12)  # never later than the limit itself


def test_the_clock_runs_from_the_last_activity_or_the_new_owner_whichever_is_later() -> None:
    assert deal().idle_since == T0
    assert deal(owner_since=T0 + timedelta(hours=3)).idle_since == T0 + timedelta(hours=3)
    assert deal(last_activity_at=None, owner_since=None).idle_since == T0 - timedelta(days=30)
    assert restarted(deal()) == T0
    assert restarted(deal(Stage.WON)) is None and restarted(deal(owner_id=None)) is None


def test_a_restarted_watch_forgets_the_alerts_earned_and_looks_again_from_the_new_start() -> None:
    quiet = deal(silence_level=Level.MANAGER, silence_check_at=None)
    quiet.owner_id, quiet.owner_since = 8, T0 + timedelta(days=1)  # a new owner took it over
    restart_silence_watch(quiet)
    assert (quiet.silence_level, quiet.silence_check_at) == (Level.NONE, T0 + timedelta(days=1))
    won = deal(Stage.WON, silence_level=Level.OWNER, silence_check_at=T0 + timedelta(days=2))
    restart_silence_watch(won)
    assert (won.silence_level, won.silence_check_at) == (Level.NONE, None)  # closed: nobody watches it


def test_idle_limits_default_per_stage_and_a_team_overrides_some() -> None:
    assert idle_limits(None) == {
        Stage.QUALIFIED: 2, Stage.FOLLOWING_UP: 7, Stage.PROPOSAL: 5, Stage.CONTRACT: 7, Stage.PAYMENT: 7,
        Stage.DELIVERY: 14, Stage.AFTER_SALES: 30,
    }
    policy = TeamPolicy(team_id=1, idle_days={"proposal": 3})
    assert idle_limit(policy, Stage.PROPOSAL) == timedelta(days=3)
    assert idle_limit(policy, Stage.CONTRACT) == timedelta(days=7)


def test_presets_mean_the_start_of_a_working_day() -> None:
    assert next_step_time(NextStepPreset.TOMORROW, T0, SHANGHAI) == datetime(2026, 11, 27, 1, 0, tzinfo=UTC)
    assert next_step_time(NextStepPreset.IN_3_DAYS, T0, SHANGHAI) == datetime(2026, 11, 30, 1, 0, tzinfo=UTC)  # Sunday -> Monday
    assert next_step_time(NextStepPreset.NEXT_WEEK, T0, SHANGHAI) == datetime(2026, 11, 30, 1, 0, tzinfo=UTC)
    friday = datetime(2026, 11, 27, 10, 0, tzinfo=UTC)
    assert next_step_time(NextStepPreset.TOMORROW, friday, BERLIN) == datetime(2026, 11, 30, 7, 30, tzinfo=UTC)


def test_a_nudge_escalates_at_the_end_of_the_next_working_day_after_it_arrives() -> None:
    assert escalation_deadline(T0, SHANGHAI) == datetime(2026, 11, 27, 13, 0, tzinfo=UTC)  # Friday 21:00
    saturday = datetime(2026, 11, 28, 3, 0, tzinfo=UTC)
    assert escalation_deadline(saturday, SHANGHAI) == datetime(2026, 11, 30, 13, 0, tzinfo=UTC)  # Sunday off
    night = datetime(2026, 11, 27, 14, 0, tzinfo=UTC)  # Friday 22:00 in Shanghai
    assert escalation_deadline(night, SHANGHAI) == datetime(2026, 11, 30, 13, 0, tzinfo=UTC)  # arrives Saturday
    assert escalation_deadline(night, SHANGHAI, exact=True) == datetime(2026, 11, 28, 13, 0, tzinfo=UTC)
    friday_berlin = datetime(2026, 11, 27, 9, 0, tzinfo=UTC)
    assert escalation_deadline(friday_berlin, BERLIN) == datetime(2026, 11, 30, 16, 30, tzinfo=UTC)  # Monday 17:30


def test_every_open_stage_has_suggestions_and_successive_silences_vary() -> None:
    assert set(SUGGESTIONS) == set(PIPELINE)
    picks = {suggestion(Stage.FOLLOWING_UP, T0 + timedelta(days=d)) for d in range(3)}
    assert picks == set(SUGGESTIONS[Stage.FOLLOWING_UP])
    assert toward_proposal(Stage.QUALIFIED) is Stage.FOLLOWING_UP
    assert toward_proposal(Stage.FOLLOWING_UP) is Stage.PROPOSAL
    assert toward_proposal(Stage.PROPOSAL) is None and toward_proposal(Stage.LOST) is None


def test_search_queries_read_words_or_phone_fragments() -> None:
    assert parse_search("华东") == SearchQuery(words=("华东",))
    assert parse_search("  华东   科技 华东 ") == SearchQuery(words=("华东", "科技"))
    assert parse_search("138-0013 8000") == SearchQuery(digits="13800138000")
    assert parse_search("+86 (138)") == SearchQuery(digits="86138")
    assert parse_search("800") == SearchQuery(words=("800",))  # too short for a phone fragment
    assert parse_search("ＡＣＭＥ") == SearchQuery(words=("ACME",))  # full-width typed on a Chinese keyboard
    assert parse_search(" ").empty
    assert snippet("客户想先看案例，然后再谈价格和交付时间" * 5, "价格", 20).startswith("…")
    assert snippet("短", "短") == "短"
