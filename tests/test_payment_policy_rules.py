"""The rules behind a team's payment settings, in microseconds: how a template's shares are typed and
checked (exactly 100%, never adjusted), how a cadence is typed and checked, and where reminders go on after
a cadence change."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from domain.contracts import plan as rules
from domain.contracts import watch
from domain.errors import InvalidInput
from domain.money import Money
from domain.team.model import Team

LABELS = {"signing": "签约后", "delivery": "交付后", "acceptance": "验收后", "month": "第{n}期"}


def refusal(call: object, *args: object) -> InvalidInput:
    with pytest.raises(InvalidInput) as caught:
        call(*args)  # type: ignore[operator]
    return caught.value


def test_shares_are_read_as_typed_in_chinese_or_english() -> None:
    parts = rules.parse_template_parts("40% 签约，50% 交付+30天；10% 验收+3个月")
    assert parts == [
        rules.TemplatePart(4000, "signing"), rules.TemplatePart(5000, "delivery", days=30),
        rules.TemplatePart(1000, "acceptance", months=3),
    ]
    assert rules.parse_template_parts("33.33% date, 33.33% date +1 month, 33.34% date +2 months") == [
        rules.TemplatePart(3333, "date"), rules.TemplatePart(3333, "date", months=1),
        rules.TemplatePart(3334, "date", months=2),
    ]
    # Without an offset, delivery and acceptance fall due as in the built-in template.
    assert [p.days for p in rules.parse_template_parts("30 签约, 60 交付, 10 验收")] == [0, 30, 60]
    assert refusal(rules.parse_template_parts, "30% 签约, 七成 交付").params == {"item": "七成 交付"}
    assert refusal(rules.parse_template_parts, "  ").code == "error-plan-template-parts"


def test_a_template_must_make_exactly_100_percent() -> None:
    error = refusal(rules.check_template, "3-6", rules.parse_template_parts("30% 签约, 60% 交付"))
    assert error.code == "error-plan-template-sum" and error.params == {"total": "90"}
    error = refusal(rules.check_template, "多", rules.parse_template_parts("50% 签约, 50.01% 交付"))
    assert error.params == {"total": "100.01"}
    name, parts = rules.check_template("  4-5-1   分期 ", rules.parse_template_parts("40 签约, 50 交付, 10 验收"))
    assert name == "4-5-1 分期" and len(parts) == 3
    assert refusal(rules.check_template, "", parts).code == "error-plan-template-name"
    assert refusal(rules.check_template, "x", [rules.TemplatePart(10_000, "date", days=5000)]).code == \
        "error-plan-template-offset"


def test_a_teams_template_plans_to_the_fen_and_survives_storage() -> None:
    template = rules.PlanTemplate("t1", tuple(rules.parse_template_parts("33.33% 日期, 33.33% 日期+1月, 33.34% 日期+2月")),
                                  name="按月")
    again = rules.template_from_dict(rules.template_to_dict(template))
    assert again == template
    parts = rules.template_parts(again, date(2027, 1, 31), LABELS)
    assert [p.due_on for p in parts] == [date(2027, 1, 31), date(2027, 2, 28), date(2027, 3, 31)]
    planned = rules.build_plan(Money(100_001), parts)
    assert sum(p.amount.minor for p in planned) == 100_001 and [p.label for p in planned] == ["第1期", "第2期", "第3期"]
    # The built-in ones read the same as before they were data.
    split = rules.template_parts(rules.Template.SPLIT_30_60_10, date(2026, 12, 2), LABELS)
    assert [(p.label, p.due_on, p.percent_bp, p.trigger) for p in split] == [
        ("签约后", date(2026, 12, 2), 3000, "signing"), ("交付后", date(2027, 1, 1), 6000, "delivery"),
        ("验收后", date(2027, 1, 31), 1000, "acceptance"),
    ]


def test_a_cadence_is_typed_in_days_and_checked() -> None:
    assert watch.parse_cadence("-7 -1 0 1 7 14 21 28") == watch.CADENCE
    assert watch.parse_cadence("10, 3，0 -3 3") == (-3, 0, 3, 10)  # any order, repeats once
    assert refusal(watch.parse_cadence, "-3 zero").params == {"word": "zero"}
    assert refusal(watch.parse_cadence, "-90 0").code == "error-cadence-range"
    assert refusal(watch.parse_cadence, " ".join(str(d) for d in range(13))).code == "error-cadence-size"


def test_after_a_cadence_change_reminders_go_on_from_the_next_step() -> None:
    team = Team(name="华东", timezone="Asia/Shanghai")
    due = date(2026, 12, 1)
    now = datetime(2026, 12, 1, 1, 0, tzinfo=UTC)  # 09:00 on the due day: its step is said now or was
    step, at = watch.resume(due, now, team, (-3, 0, 3, 10))
    assert step == 2 and at == datetime(2026, 12, 4, 1, 0, tzinfo=UTC)
    assert watch.resume(due, datetime(2026, 12, 20, tzinfo=UTC), team, (-3, 0, 3, 10)) == (4, None)
