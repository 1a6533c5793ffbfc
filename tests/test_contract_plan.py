"""Payment plans as rules (domain/contracts/plan.py, watch.py): a plan adds up to the contract's amount to
the fen or is refused; shares round half up and the last share takes the rounding; the templates; confirmed
money settles milestones in order (partial payments leave the rest open, money beyond the plan is an
overpayment); the signing deadline in working days; the reminder cadence across month ends and time zones."""

from __future__ import annotations

import itertools
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from domain.contracts import plan as rules
from domain.contracts import watch
from domain.contracts.plan import Part, PlanMismatch, Template, allocate, build_plan
from domain.errors import InvalidInput
from domain.money import Money
from domain.team.model import Team

DAY = date(2026, 12, 1)
LABELS = {"signing": "签约后", "delivery": "交付后", "acceptance": "验收后", "month": "第{n}期"}
SHANGHAI = Team(name="华东销售部", id=1)
NEW_YORK = Team(name="NY", timezone="America/New_York", work_days="01234", id=2)

amounts = st.integers(min_value=1, max_value=10**13)


@st.composite
def shares(draw: st.DrawFn) -> list[int]:
    """Basis points adding up to 100%: 1 to 12 shares, each at least 0.01%."""
    count = draw(st.integers(min_value=1, max_value=12))
    cuts = sorted(draw(st.lists(st.integers(min_value=1, max_value=9_999), min_size=count - 1, max_size=count - 1,
                                unique=True)))
    edges = [0, *cuts, 10_000]
    return [b - a for a, b in itertools.pairwise(edges)]


@given(amounts, shares())
def test_shares_of_100_percent_add_up_to_the_fen(total: int, bps: list[int]) -> None:
    parts = [Part(f"第{i}期", DAY, percent_bp=bp) for i, bp in enumerate(bps)]
    rounded = [Money(total).percent(Decimal(bp) / 100).minor for bp in bps]
    rounded[-1] += total - sum(rounded)
    if min(rounded) <= 0:  # a share of so small an amount that it is no money at all: refused, not a 0 milestone
        with pytest.raises(PlanMismatch):
            build_plan(Money(total), parts)
        return
    planned = build_plan(Money(total), parts)
    assert sum(p.amount.minor for p in planned) == total
    assert [p.amount.minor for p in planned] == rounded
    # each share is its percent rounded half up; only the last may differ, by the rounding left over
    for item in planned[:-1]:
        assert item.amount == Money(total).percent(Decimal(item.percent_bp or 0) / 100)
    drift = abs(planned[-1].amount.minor - Money(total).percent(Decimal(bps[-1]) / 100).minor)
    assert 2 * drift <= len(bps)


def test_a_share_too_small_to_be_a_fen_is_refused_not_made_zero() -> None:
    with pytest.raises(PlanMismatch):
        build_plan(Money(1), [Part("a", DAY, percent_bp=5_000), Part("b", DAY, percent_bp=5_000)])


@given(amounts, st.integers(min_value=1, max_value=9_999))
def test_shares_short_of_the_whole_are_refused(total: int, short_bp: int) -> None:
    """99% (or any share short of 100%) is not a plan: refused, never topped up silently."""
    if Money(total).percent(Decimal(short_bp) / 100).minor == total:
        return  # so small an amount that the short share still rounds to all of it
    with pytest.raises(PlanMismatch):
        build_plan(Money(total), [Part("签约后", DAY, percent_bp=short_bp)])


@given(st.lists(st.integers(min_value=1, max_value=10**11), min_size=1, max_size=10), st.integers(-5, 5))
def test_amounts_must_add_up_exactly(parts: list[int], off: int) -> None:
    total = sum(parts) + off
    given_parts = [Part(f"{i}", DAY, amount=Money(a)) for i, a in enumerate(parts)]
    if off == 0:
        assert [p.amount.minor for p in build_plan(Money(total), given_parts)] == parts
    else:
        with pytest.raises(InvalidInput):
            build_plan(Money(total), given_parts)


def test_an_amount_and_shares_of_the_rest_mix() -> None:
    # ¥100,000.01: ¥10,000 fixed, then 90% of the contract (¥90,000.009 → ¥90,000.01)
    planned = build_plan(Money(10_000_001), [Part("定金", DAY, amount=Money(1_000_000)),
                                             Part("尾款", DAY, percent_bp=9_000)])
    assert [p.amount.minor for p in planned] == [1_000_000, 9_000_001]


def test_a_plan_in_another_currency_or_empty_is_refused() -> None:
    with pytest.raises(InvalidInput):
        build_plan(Money(100), [Part("a", DAY, amount=Money(100, "USD"))])
    with pytest.raises(InvalidInput):
        build_plan(Money(100), [])
    with pytest.raises(ValueError):
        Part("a", DAY)


def test_the_templates() -> None:
    total = Money(12_294_400)  # ¥122,944.00
    split = build_plan(total, rules.template_parts(Template.SPLIT_30_60_10, DAY, LABELS))
    assert [(p.label, p.amount.minor, p.due_on) for p in split] == [
        ("签约后", 3_688_320, DAY), ("交付后", 7_376_640, DAY + timedelta(days=30)),
        ("验收后", 1_229_440, DAY + timedelta(days=60)),
    ]
    assert [p.amount.minor for p in build_plan(total, rules.template_parts(Template.ON_SIGNING, DAY, LABELS))] == [
        12_294_400]
    monthly = build_plan(Money(100_00), rules.template_parts(Template.MONTHLY, date(2026, 1, 31), LABELS))
    assert [(p.label, p.amount.minor, p.due_on) for p in monthly] == [
        ("第1期", 3333, date(2026, 1, 31)), ("第2期", 3333, date(2026, 2, 28)), ("第3期", 3334, date(2026, 3, 31)),
    ]


# --- settlement ---------------------------------------------------------------------------------------


@given(st.lists(st.integers(min_value=1, max_value=10**9), min_size=1, max_size=8), st.integers(0, 10**10))
def test_money_settles_milestones_in_order(milestones: list[int], confirmed: int) -> None:
    settlement = allocate([Money(a) for a in milestones], Money(confirmed))
    paid = [p.minor for p in settlement.paid]
    assert sum(paid) + settlement.over.minor == confirmed
    assert all(0 <= p <= a for p, a in zip(paid, milestones, strict=True))
    # in order: a milestone gets money only once every earlier one is full
    for i, (p, a) in enumerate(zip(paid, milestones, strict=True)):
        if p > 0:
            assert all(paid[j] == milestones[j] for j in range(i))
        if p < a:
            assert all(x == 0 for x in paid[i + 1:])
    assert settlement.over.minor == max(0, confirmed - sum(milestones))


def test_a_partial_payment_leaves_the_rest_open_and_an_overpayment_is_flagged() -> None:
    plan = [Money(30_00), Money(60_00), Money(10_00)]
    assert [p.minor for p in allocate(plan, Money(50_00)).paid] == [30_00, 20_00, 0]
    over = allocate(plan, Money(120_00))
    assert [p.minor for p in over.paid] == [30_00, 60_00, 10_00] and over.over == Money(20_00)


# --- the signing deadline and the cadence -----------------------------------------------------------------


def test_the_signing_deadline_is_five_working_days() -> None:
    # Thursday 2026-11-26, Mon–Sat team: Fri, Sat, Mon, Tue, Wed → 2026-12-02
    assert rules.working_days_after(date(2026, 11, 26), 5, SHANGHAI) == date(2026, 12, 2)
    # Mon–Fri team: Fri, Mon, Tue, Wed, Thu → 2026-12-03
    assert rules.working_days_after(date(2026, 11, 26), 5, NEW_YORK) == date(2026, 12, 3)


def test_half_time_and_the_deadline_in_the_teams_zone() -> None:
    opened = datetime(2026, 11, 26, 2, 0, tzinfo=UTC)  # 10:00 in Shanghai
    deadline = watch.sign_deadline(date(2026, 12, 2), SHANGHAI)
    assert deadline == datetime(2026, 12, 2, 16, 0, tzinfo=UTC)  # midnight into 12-03 in Shanghai
    assert watch.half_time(opened, date(2026, 12, 2), SHANGHAI) == opened + (deadline - opened) / 2


@pytest.mark.parametrize("team", [SHANGHAI, NEW_YORK], ids=["shanghai", "new_york"])
def test_the_cadence_across_a_month_end(team: Team) -> None:
    due = date(2026, 12, 1)
    moments = [watch.reminder_at(due, step, team) for step in range(len(watch.CADENCE))]
    local_days = [m.astimezone(ZoneInfo(team.timezone)).date() for m in moments if m]
    assert local_days == [date(2026, 11, 24), date(2026, 11, 30), date(2026, 12, 1), date(2026, 12, 2),
                          date(2026, 12, 8), date(2026, 12, 15), date(2026, 12, 22), date(2026, 12, 29)]
    assert all(m.astimezone(ZoneInfo(team.timezone)).time() == time(9) for m in moments if m)
    assert watch.reminder_at(due, len(watch.CADENCE), team) is None
    # After a pause only the latest step due is said; a plan made late starts there.
    late = moments[4] + timedelta(hours=1)  # type: ignore[operator]
    assert watch.due_step(due, late, team) == 4
    assert watch.first_check(due, late, team) == (4, moments[4])  # overdue: said at once
    assert watch.first_check(due, moments[0] + timedelta(hours=1), team) == (1, moments[1])  # not "7 days before" late
    assert watch.first_check(due, moments[0] - timedelta(days=30), team) == (0, moments[0])  # type: ignore[operator]
    assert watch.days_overdue(due, moments[4], team) == 7 and watch.escalates(7) and not watch.escalates(6)
