"""Quotes in the domain: pricing (rounding half up, tax, stacked discounts, margin) with hypothesis, the
approval routing table, the status transitions, the catalog's import plan and the contract-stage gate."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from domain.deals.model import Opportunity, Stage
from domain.deals.stages import check_transition
from domain.errors import InvalidInput
from domain.money import Money
from domain.policy.model import TeamPolicy
from domain.quotes import catalog
from domain.quotes.approval import Level, Why, may_decide, route
from domain.quotes.catalog import Change, plan_import
from domain.quotes.model import TRANSITIONS, Product, Quote, QuotePolicy, QuoteStatus, may_move
from domain.quotes.pricing import LineInput, price, price_line
from domain.quotes.services import expires_at, median, nudge_at, parse_free_line, unit_price
from domain.quotes.text import money_text, percent_text
from domain.team.model import Role, Team, User

NOW = datetime(2026, 11, 26, 2, 0, tzinfo=UTC)
POLICY = QuotePolicy(team_id=1)


def cny(yuan: str) -> Money:
    return Money.of(yuan)


def line(price_yuan: str = "100", qty: int = 1, disc: int = 0, tax: int = 1300, cost: str = "0", floor: str = "0") -> LineInput:
    return LineInput(cny(price_yuan), qty, disc, tax, cny(cost), cny(floor))


# --- pricing: examples ----------------------------------------------------------------------------------


def test_a_line_rounds_each_step_half_up_to_the_fen() -> None:
    priced = price_line(line("0.05", 1, disc=5000, tax=1300))  # 0.05 × 50% = 0.025 -> 0.03
    assert priced.line_discount == cny("0.03") and priced.net == cny("0.02")
    assert priced.tax == cny("0.00")  # 0.0026 -> 0.00
    assert price_line(line("0.25", 1, tax=1000)).tax == cny("0.03")  # 0.025 -> 0.03, not banker's 0.02


def test_discounts_stack_the_quote_discount_applies_after_the_lines() -> None:
    totals = price([line("1000", 2, disc=1000)], quote_discount_bp=1000)
    # 2000 - 10% = 1800, - 10% = 1620: 19% off in all, not 20%
    assert totals.net == cny("1620") and totals.discount == cny("380") and totals.discount_percent == Decimal("19.0")
    assert totals.tax == cny("210.60") and totals.total == cny("1830.60")


def test_margin_is_net_minus_cost_tax_excluded() -> None:
    totals = price([line("12800", 10, disc=1500, cost="4000")])
    assert totals.net == cny("108800") and totals.cost == cny("40000")
    assert totals.margin == cny("68800") and totals.margin_percent == Decimal("63.2")


def test_a_line_under_its_floor_price_is_a_breach() -> None:
    totals = price([line("100", 3, disc=2500, floor="80"), line("100", 1, disc=1000, floor="80")])
    assert totals.floor_breaches == (0,)


# --- pricing: properties --------------------------------------------------------------------------------

amounts = st.integers(min_value=0, max_value=10_000_000)
lines_strategy = st.lists(
    st.builds(
        LineInput,
        unit_price=amounts.map(Money),
        quantity=st.integers(min_value=0, max_value=1000),
        discount_bp=st.integers(min_value=0, max_value=10_000),
        tax_bp=st.sampled_from([0, 600, 900, 1300]),
        unit_cost=amounts.map(Money),
        floor=st.none() | amounts.map(Money),
    ),
    max_size=8,
)
percents = st.integers(min_value=0, max_value=10_000)


@given(lines_strategy, percents)
def test_the_sums_add_up(lines: list[LineInput], quote_bp: int) -> None:
    totals = price(lines, quote_bp)
    assert totals.subtotal - totals.discount == totals.net
    assert totals.net + totals.tax == totals.total
    assert totals.margin == totals.net - totals.cost
    assert totals.net == sum((p.net for p in totals.lines), Money(0))
    for priced in totals.lines:
        assert Money(0) <= priced.net <= priced.gross


@given(lines_strategy, percents)
def test_the_order_of_lines_changes_nothing(lines: list[LineInput], quote_bp: int) -> None:
    assert price(lines, quote_bp).total == price(list(reversed(lines)), quote_bp).total


@given(lines_strategy, percents)
def test_tax_is_within_half_a_fen_a_line_of_the_exact_tax(lines: list[LineInput], quote_bp: int) -> None:
    totals = price(lines, quote_bp)
    exact = sum(Decimal(p.net.minor) * Decimal(i.tax_bp) / 10_000 for p, i in zip(totals.lines, lines, strict=True))
    assert abs(Decimal(totals.tax.minor) - exact) <= Decimal(len(lines)) / 2


@given(amounts.filter(lambda a: a > 0), st.integers(1, 100), percents, percents)
def test_stacked_discounts_compound_within_rounding(unit: int, qty: int, first: int, second: int) -> None:
    totals = price([LineInput(Money(unit), qty, first)], second)
    gross = Decimal(unit * qty)
    expected = gross * (1 - Decimal(first) / 10_000) * (1 - Decimal(second) / 10_000)
    assert abs(Decimal(totals.net.minor) - expected) <= 1


@given(lines_strategy)
def test_no_discount_means_net_is_the_subtotal(lines: list[LineInput]) -> None:
    plain = [LineInput(i.unit_price, i.quantity, 0, i.tax_bp, i.unit_cost, i.floor) for i in lines]
    totals = price(plain)
    assert totals.net == totals.subtotal and totals.discount == Money(0)


# --- approval routing -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("discount_bp", "cost", "floor", "levels", "why"),
    [
        (0, "0", "0", (), ()),
        (999, "0", "0", (), ()),
        (1000, "0", "0", (Level.MANAGER,), (Why.DISCOUNT,)),
        (1999, "0", "0", (Level.MANAGER,), (Why.DISCOUNT,)),
        (2000, "0", "0", (Level.MANAGER, Level.ADMIN), (Why.DISCOUNT,)),
        (2500, "0", "0", (Level.MANAGER, Level.ADMIN), (Why.DISCOUNT,)),
        (0, "86", "0", (Level.MANAGER, Level.ADMIN), (Why.MARGIN,)),  # 14% margin, floor 15%
        (0, "85", "0", (), ()),  # exactly 15%
        (500, "0", "96", (Level.MANAGER,), (Why.FLOOR,)),  # 95 < floor 96: any discount under floor
        (1200, "0", "90", (Level.MANAGER,), (Why.DISCOUNT, Why.FLOOR)),
    ],
)
def test_routing_table(discount_bp: int, cost: str, floor: str, levels: tuple[Level, ...], why: tuple[Why, ...]) -> None:
    totals = price([line("100", 1, disc=discount_bp, cost=cost, floor=floor)])
    found = route(totals, POLICY)
    assert (found.levels, found.why) == (levels, why)


def test_routing_follows_the_teams_tiers() -> None:
    strict = QuotePolicy(team_id=1, manager_from_bp=500, admin_from_bp=1500, margin_floor_bp=0)
    assert route(price([line("100", 1, disc=500)]), strict).levels == (Level.MANAGER,)
    assert route(price([line("100", 1, disc=1500)]), strict).levels == (Level.MANAGER, Level.ADMIN)


def person(role: Role, uid: int, team: int = 1) -> User:
    return User(telegram_id=uid, name=f"u{uid}", role=role, team_id=team, id=uid)


@pytest.mark.parametrize(
    ("who", "level", "allowed"),
    [
        (person(Role.MANAGER, 2), Level.MANAGER, True),
        (person(Role.MANAGER, 2), Level.ADMIN, False),
        (person(Role.ADMIN, 3, team=9), Level.MANAGER, True),
        (person(Role.ADMIN, 3, team=9), Level.ADMIN, True),
        (person(Role.REP, 4), Level.MANAGER, False),
        (person(Role.MANAGER, 5, team=2), Level.MANAGER, False),  # another team's manager
        (person(Role.MANAGER, 7), Level.MANAGER, False),  # the quote's own owner
        (person(Role.FINANCE, 6), Level.MANAGER, False),
    ],
)
def test_who_may_decide(who: User, level: Level, allowed: bool) -> None:
    assert may_decide(who, level, team_id=1, owner_id=7) is allowed


# --- statuses -----------------------------------------------------------------------------------------


def test_status_transitions_are_data() -> None:
    assert set(TRANSITIONS) == set(QuoteStatus)
    assert may_move(QuoteStatus.DRAFT, QuoteStatus.PENDING) and may_move(QuoteStatus.PENDING, QuoteStatus.APPROVED)
    assert may_move(QuoteStatus.SENT, QuoteStatus.ACCEPTED) and not may_move(QuoteStatus.DRAFT, QuoteStatus.SENT)
    for final in (QuoteStatus.ACCEPTED, QuoteStatus.REJECTED, QuoteStatus.EXPIRED):
        assert TRANSITIONS[final] == frozenset()


def test_numbers_and_validity() -> None:
    quote = Quote(team_id=1, opportunity_id=1, owner_id=1, year=2026, seq=1, version=2, created_at=NOW,
                  valid_until=date(2026, 12, 11))
    assert quote.number == "Q-2026-0001-v2"
    team = Team(name="T")  # Mon-Sat 9-21 in Shanghai
    assert expires_at(quote, team) == datetime(2026, 12, 11, 16, 0, tzinfo=UTC)  # Sat 12 Dec 00:00 local
    assert nudge_at(quote, team) == datetime(2026, 12, 9, 1, 0, tzinfo=UTC)  # Wed 9 Dec 09:00: two working days before Fri


def test_money_and_percent_texts() -> None:
    assert money_text(cny("12345")) == "¥12,345.00" and money_text(Money(-5)) == "-¥0.05"
    assert percent_text(Decimal("12.50")) == "12.5%" and percent_text(1250, bp=True) == "12.5%"
    assert percent_text(None) == "—" and percent_text(2000, bp=True) == "20%"
    assert unit_price(10001, 2, "CNY") == Money(5001)  # 5000.5 -> 5001
    assert median([Money(3), Money(1), Money(2), Money(10)]) == Money(3)  # (2 + 3) / 2 = 2.5 -> 3


def test_a_free_line_is_read_from_one_line() -> None:
    assert parse_free_line("实施服务 5000") == ("实施服务", 500000, 1)
    assert parse_free_line("培训 2000 x3") == ("培训", 200000, 3)
    assert parse_free_line("运维 服务 1.2万 × 2") == ("运维 服务", 1200000, 2)
    with pytest.raises(InvalidInput):
        parse_free_line("5000")


# --- the catalog -----------------------------------------------------------------------------------------


def test_typed_values() -> None:
    assert catalog.parse_tax("13%") == 1300 == catalog.parse_tax("13") == catalog.parse_tax("0.13")
    assert catalog.parse_discount("12.5") == 1250 and catalog.parse_discount("12.5%") == 1250
    assert catalog.parse_price("1.28万") == 1_280_000 and catalog.parse_price("¥12,800.00") == 1_280_000
    for bad in ("-5", "12.345", "abc"):
        with pytest.raises(InvalidInput):
            catalog.parse_price(bad)
    with pytest.raises(InvalidInput):
        catalog.parse_discount("120")
    with pytest.raises(InvalidInput):
        catalog.parse_code("has space")


def product(code: str, **changes: object) -> Product:
    values: dict[str, object] = {
        "team_id": 1, "code": code, "name_zh": "CRM 专业版", "unit": "套", "list_price_minor": 1_280_000,
        "cost_minor": 400_000, "floor_price_minor": 980_000, "tax_bp": 1300,
    }
    values.update(changes)
    return Product(**values)  # type: ignore[arg-type]


def test_an_import_is_planned_with_row_errors_by_row_number() -> None:
    rows = [
        ["编码", "名称", "单位", "标价", "底价", "成本", "税率", "英文名称"],
        ["CRM-PRO", "CRM 专业版", "套", "12800", "9800", "4000", "13%", "CRM Pro"],  # changed: English name
        ["CRM-STD", "CRM 标准版", "套", 6800.0, "", "2000", 0.13, ""],  # new (a spreadsheet's numbers)
        ["", "", "", "", "", "", "", ""],  # blank: skipped
        ["BAD CODE", "x", "套", "1", "", "1", "", ""],
        ["CRM-FLOOR", "底价过高", "套", "100", "200", "1", "", ""],
        ["CRM-STD", "重复", "套", "1", "", "1", "", ""],
        ["IMPL", "实施", "天", "abc", "", "1", "", ""],
    ]
    plan = plan_import(rows, {"CRM-PRO": product("CRM-PRO")})
    assert [(r.row, r.change, r.changed) for r in plan.rows] == [
        (2, Change.CHANGED, ("name_en",)), (3, Change.NEW, ()),
    ]
    assert plan.rows[1].values["list_price_minor"] == 680_000 and plan.rows[1].values["tax_bp"] == 1300
    assert [(e.row, e.code) for e in plan.errors] == [
        (5, "error-product-code"), (6, "error-product-floor"), (7, "error-import-duplicate"), (8, "error-product-price"),
    ]


def test_an_import_of_the_same_rows_again_changes_nothing() -> None:
    rows = [["code", "name", "unit", "list_price", "cost"], ["A1", "甲", "个", "10", "5"]]
    first = plan_import(rows, {})
    existing = {"A1": Product(team_id=1, **first.rows[0].values)}
    again = plan_import(rows, existing)
    assert again.count(Change.UNCHANGED) == 1 and not again.writes


def test_an_import_without_the_required_columns_says_which() -> None:
    plan = plan_import([["code", "name"], ["A1", "甲"]], {})
    assert plan.missing == ("unit", "list_price", "cost") and not plan.rows


# --- the contract-stage gate -------------------------------------------------------------------------------


def deal(stage: Stage, quote_status: str | None = None) -> Opportunity:
    return Opportunity(team_id=1, lead_id=1, title="华东科技", created_at=NOW, owner_id=7, stage=stage, id=10,
                       quote_status=quote_status)


@pytest.mark.parametrize("status", [None, "draft", "pending", "rejected", "expired"])
def test_the_contract_stage_needs_an_agreed_quote(status: str | None) -> None:
    with pytest.raises(InvalidInput) as refused:
        check_transition(deal(Stage.PROPOSAL, status), Stage.CONTRACT, actor=person(Role.REP, 7), owner_id=7,
                         policy=TeamPolicy(team_id=1))
    assert refused.value.code == "error-stage-needs-quote"


@pytest.mark.parametrize("status", ["approved", "sent", "accepted"])
def test_an_agreed_quote_opens_the_contract_stage(status: str) -> None:
    moved = check_transition(deal(Stage.PROPOSAL, status), Stage.CONTRACT, actor=person(Role.REP, 7), owner_id=7,
                             policy=TeamPolicy(team_id=1))
    assert moved.to_stage is Stage.CONTRACT and not moved.override


def test_a_manager_may_override_the_quote_gate_and_a_step_back_needs_none() -> None:
    manager = person(Role.MANAGER, 2)
    assert check_transition(deal(Stage.PROPOSAL), Stage.CONTRACT, actor=manager, owner_id=7, override=True,
                            policy=TeamPolicy(team_id=1)).override
    assert check_transition(deal(Stage.PAYMENT), Stage.CONTRACT, actor=person(Role.REP, 7), owner_id=7,
                            policy=TeamPolicy(team_id=1)).to_stage is Stage.CONTRACT


def test_a_quote_policy_is_typed_as_five_numbers() -> None:
    from domain.quotes.services import parse_policy

    assert parse_policy("10 20 15 4 15") == {
        "manager_from_bp": 1000, "admin_from_bp": 2000, "margin_floor_bp": 1500, "sla_minutes": 240, "validity_days": 15,
    }
    assert parse_policy("8%, 18%, 12.5%, 2.5, 30")["sla_minutes"] == 150
    for bad in ("10 20 15 4", "10 20 15 4.01 15", "a b c d e"):
        with pytest.raises(InvalidInput):
            parse_policy(bad)
