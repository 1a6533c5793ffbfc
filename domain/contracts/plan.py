"""Payment plans as rules: milestones given as an amount or a share of the contract, the templates
(30/60/10, 100% on signing, monthly), the signing deadline in working days, and how confirmed money
settles milestones in order.

Exactness: a share is `Money.percent` of the contract (half up to the fen), and the last milestone given
as a share takes whatever rounding left over, so the plan always adds up to the fen. A plan whose total is
not the contract's amount is refused (PlanMismatch), never adjusted silently."""

from __future__ import annotations

import enum
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Final

from domain.errors import InvalidInput
from domain.money import Money
from domain.team.model import Team
from domain.worktime import is_working_day

FULL_BP: Final = 10_000  # 100% in basis points
SIGNING_WORKING_DAYS: Final = 5
MAX_MILESTONES: Final = 24
MAX_LABEL: Final = 60


class PlanMismatch(InvalidInput):
    """The milestones do not add up to the contract's amount."""

    code = "error-plan-sum"


@dataclass(frozen=True)
class Part:
    """One milestone as a person (or a template) gives it: an amount, or a share in basis points."""

    label: str
    due_on: date
    amount: Money | None = None
    percent_bp: int | None = None
    trigger: str | None = None  # what it waits for (Milestone.trigger)

    def __post_init__(self) -> None:
        if (self.amount is None) == (self.percent_bp is None):
            raise ValueError("a milestone is an amount or a share, exactly one of them")


@dataclass(frozen=True)
class Planned:
    position: int
    label: str
    due_on: date
    amount: Money
    percent_bp: int | None
    trigger: str | None = None


def build_plan(total: Money, parts: Sequence[Part]) -> list[Planned]:
    """The milestones of `parts`, exact to the fen; PlanMismatch unless they add up to `total`."""
    if not parts or len(parts) > MAX_MILESTONES:
        raise InvalidInput("error-plan-size", max=MAX_MILESTONES)
    if total.minor <= 0:
        raise InvalidInput("error-contract-amount")
    amounts: list[Money] = []
    last_share = None
    for index, part in enumerate(parts):
        if part.amount is not None:
            if part.amount.currency != total.currency or part.amount.minor <= 0:
                raise InvalidInput("error-plan-part")
            amounts.append(part.amount)
        else:
            assert part.percent_bp is not None
            if not 0 < part.percent_bp <= FULL_BP:
                raise InvalidInput("error-plan-part")
            amounts.append(total.percent(Decimal(part.percent_bp) / 100))
            last_share = index
    shares = sum(p.percent_bp or 0 for p in parts)
    fixed = sum((p.amount.minor for p in parts if p.amount is not None), 0)
    # Shares that cover what the fixed amounts leave exactly: the last share absorbs the rounding.
    count = sum(1 for p in parts if p.percent_bp is not None)
    if last_share is not None and _shares_cover_rest(total, fixed, shares, count):
        drift = total.minor - sum(a.minor for a in amounts)
        amounts[last_share] = Money(amounts[last_share].minor + drift, total.currency)
    if sum(a.minor for a in amounts) != total.minor or any(a.minor <= 0 for a in amounts):
        raise PlanMismatch(total=total.minor, planned=sum(a.minor for a in amounts))
    return [
        Planned(position=i, label=_label(p.label), due_on=p.due_on, amount=a, percent_bp=p.percent_bp,
                trigger=p.trigger)
        for i, (p, a) in enumerate(zip(parts, amounts, strict=True), start=1)
    ]


def _shares_cover_rest(total: Money, fixed_minor: int, shares_bp: int, count: int) -> bool:
    """The shares, taken of the whole contract, come to exactly what the fixed amounts leave, give or take
    the half fen each share's rounding may add (99% of the contract is not "the rest")."""
    rest = total.minor - fixed_minor
    return 2 * abs(rest * FULL_BP - total.minor * shares_bp) <= count * FULL_BP


def _label(text: str) -> str:
    cleaned = " ".join(text.split())
    if not cleaned:
        raise InvalidInput("error-plan-part")
    return cleaned[:MAX_LABEL]


# --- templates ------------------------------------------------------------------------------------------
# A template is a list of shares of the contract, each with what it waits for (its trigger) and when it
# falls due: the signing deadline (the plan's start) plus some days or months. The three built-in ones
# are every team's until a manager changes the team's list (/policy → 🗓 回款模板).


class Template(enum.StrEnum):
    SPLIT_30_60_10 = "30-60-10"  # 30% on signing, 60% on delivery, 10% after acceptance
    ON_SIGNING = "100"  # everything on signing
    MONTHLY = "monthly"  # equal monthly instalments


MONTHLY_INSTALMENTS: Final = 3
DELIVERY_DAYS: Final = 30  # the 60% falls due this long after signing, the 10% twice as long
ACCEPTANCE_DAYS: Final = 60


def add_months(day: date, months: int) -> date:
    """The same day `months` later, the month's last day when it has no such day (01-31 + 1 = 02-28)."""
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    for dom in range(day.day, 27, -1):
        try:
            return date(year, month, dom)
        except ValueError:
            continue
    return date(year, month, min(day.day, 28))


SIGNING, DELIVERY, ACCEPTANCE = "signing", "delivery", "acceptance"  # Milestone.trigger
DATE: Final = "date"  # a template's share due a set time after the start, waiting for nothing else
TRIGGERS: Final = (SIGNING, DELIVERY, ACCEPTANCE, DATE)
DEFAULT_DAYS: Final = {SIGNING: 0, DELIVERY: DELIVERY_DAYS, ACCEPTANCE: ACCEPTANCE_DAYS, DATE: 0}
MAX_TEMPLATES: Final = 12
MAX_TEMPLATE_NAME: Final = 30
MAX_OFFSET_DAYS: Final = 730
MAX_OFFSET_MONTHS: Final = 24


@dataclass(frozen=True)
class TemplatePart:
    """One share of a template: percent_bp of the contract, due `days` + `months` after the start."""

    percent_bp: int
    trigger: str
    days: int = 0
    months: int = 0


@dataclass(frozen=True)
class PlanTemplate:
    key: str  # what a contract's `plan` keeps: a built-in's value ("30-60-10") or a team's own ("t3")
    parts: tuple[TemplatePart, ...]
    name: str | None = None  # a team's own template's name; a built-in one is named by the catalogue

    @property
    def built_in(self) -> bool:
        return self.name is None


def _monthly() -> tuple[TemplatePart, ...]:
    share, rest = divmod(FULL_BP, MONTHLY_INSTALMENTS)
    return tuple(
        TemplatePart(share + (rest if n == MONTHLY_INSTALMENTS else 0), DATE, months=n - 1)
        for n in range(1, MONTHLY_INSTALMENTS + 1)
    )


BUILT_IN: Final[tuple[PlanTemplate, ...]] = (
    PlanTemplate(Template.SPLIT_30_60_10.value, (
        TemplatePart(3000, SIGNING), TemplatePart(6000, DELIVERY, days=DELIVERY_DAYS),
        TemplatePart(1000, ACCEPTANCE, days=ACCEPTANCE_DAYS),
    )),
    PlanTemplate(Template.ON_SIGNING.value, (TemplatePart(FULL_BP, SIGNING),)),
    PlanTemplate(Template.MONTHLY.value, _monthly()),
)


def template_name(text: str) -> str:
    cleaned = " ".join((text or "").split())
    if not cleaned or len(cleaned) > MAX_TEMPLATE_NAME:
        raise InvalidInput("error-plan-template-name", max=MAX_TEMPLATE_NAME)
    return cleaned


def check_template(name: str, parts: Sequence[TemplatePart]) -> tuple[str, tuple[TemplatePart, ...]]:
    """A team's own template as the domain takes it: a name and 1..MAX_MILESTONES shares that add up to
    100% exactly (error-plan-template-sum says how far off they are, never adjusted silently)."""
    cleaned = template_name(name)
    if not parts or len(parts) > MAX_MILESTONES:
        raise InvalidInput("error-plan-size", max=MAX_MILESTONES)
    for part in parts:
        if part.trigger not in TRIGGERS or not 0 < part.percent_bp <= FULL_BP:
            raise InvalidInput("error-plan-template-part")
        if not (0 <= part.days <= MAX_OFFSET_DAYS and 0 <= part.months <= MAX_OFFSET_MONTHS):
            raise InvalidInput("error-plan-template-offset", days=MAX_OFFSET_DAYS, months=MAX_OFFSET_MONTHS)
    total = sum(p.percent_bp for p in parts)
    if total != FULL_BP:
        raise InvalidInput("error-plan-template-sum", total=percent_text(total))
    return cleaned, tuple(parts)


def percent_text(bp: int) -> str:
    """3000 -> "30", 3333 -> "33.33" (a template's share as people write it)."""
    whole, rest = divmod(bp, 100)
    return str(whole) if not rest else f"{whole}.{rest:02d}".rstrip("0")


_TRIGGER_WORDS: Final = {
    "签约": SIGNING, "签署": SIGNING, "signing": SIGNING, "sign": SIGNING,
    "交付": DELIVERY, "发货": DELIVERY, "delivery": DELIVERY,
    "验收": ACCEPTANCE, "acceptance": ACCEPTANCE,
    "日期": DATE, "固定日期": DATE, "date": DATE,
}
_PART = re.compile(
    r"(?P<pct>\d{1,3}(?:\.\d{1,2})?)\s*[%％]?\s*(?P<word>[^\s+\d]+)\s*"
    r"(?:\+\s*(?P<n>\d{1,4})\s*(?P<unit>天|日|个月|月|days?|d|months?|m)?)?",
    re.IGNORECASE,
)
_SPLIT: Final = re.compile(r"[,，;；、/\n]+")


def parse_template_parts(text: str) -> list[TemplatePart]:
    """A template's shares as a manager types them: `30% 签约, 60% 交付+30天, 10% 验收+60天` or
    `50% 日期, 50% 日期+1月` (a share, what it waits for, and optionally +days or +months after the start;
    without an offset delivery is +30 days, acceptance +60). error-plan-template-parts names the first bad one."""
    items = [item.strip() for item in _SPLIT.split(text or "") if item.strip()]
    if not items:
        raise InvalidInput("error-plan-template-parts", item="—")
    parts = []
    for item in items:
        found = _PART.fullmatch(item)
        trigger = _TRIGGER_WORDS.get(found.group("word").lower()) if found else None
        if found is None or trigger is None:
            raise InvalidInput("error-plan-template-parts", item=item)
        percent = Decimal(found.group("pct"))
        days = months = 0
        if found.group("n") is None:
            days = DEFAULT_DAYS[trigger]
        elif (found.group("unit") or "").lower().startswith(("月", "个", "m")):
            months = int(found.group("n"))
        else:
            days = int(found.group("n"))
        parts.append(TemplatePart(int(percent * 100), trigger, days=days, months=months))
    return parts


def template_to_dict(template: PlanTemplate) -> dict[str, object]:
    return {"key": template.key, "name": template.name,
            "parts": [[p.percent_bp, p.trigger, p.days, p.months] for p in template.parts]}


def template_from_dict(raw: dict[str, object]) -> PlanTemplate:
    parts = raw.get("parts") or []
    assert isinstance(parts, list)
    name = raw.get("name")
    return PlanTemplate(
        key=str(raw["key"]), name=str(name) if name is not None else None,
        parts=tuple(TemplatePart(int(p[0]), str(p[1]), int(p[2]), int(p[3])) for p in parts),
    )


def template_parts(template: Template | PlanTemplate, start: date, labels: dict[str, str]) -> list[Part]:
    """The template's milestones from `start` (the signing deadline): labels come in the team's words
    (`labels`: signing, delivery, acceptance, month — the last for a share due on a date, numbered)."""
    if isinstance(template, Template):
        template = next(t for t in BUILT_IN if t.key == template.value)
    made = []
    for n, part in enumerate(template.parts, start=1):
        due = add_months(start, part.months) + timedelta(days=part.days)
        label = labels["month"].format(n=n) if part.trigger == DATE else labels[part.trigger]
        made.append(Part(label, due, percent_bp=part.percent_bp, trigger=None if part.trigger == DATE else part.trigger))
    return made


# --- settlement -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Settlement:
    paid: tuple[Money, ...]  # per milestone, in plan order, each at most its amount
    over: Money  # confirmed money beyond the whole plan: flagged to finance


def allocate(amounts: Sequence[Money], confirmed: Money) -> Settlement:
    """Confirmed money settles the milestones in order: each is filled before the next gets anything; a
    partial payment leaves the rest of its milestone open; what is left after the last is an overpayment."""
    left = confirmed.minor
    paid = []
    for amount in amounts:
        take = min(max(left, 0), amount.minor)
        paid.append(Money(take, amount.currency))
        left -= take
    return Settlement(tuple(paid), Money(max(left, 0), confirmed.currency))


# --- the signing deadline -------------------------------------------------------------------------------


def working_days_after(start: date, days: int, team: Team) -> date:
    """The `days`-th working day of the team after `start` (start itself not counted)."""
    day, counted = start, 0
    for _ in range(days * 7 + 14):
        day += timedelta(days=1)
        if is_working_day(day, team):
            counted += 1
            if counted == days:
                return day
    return start + timedelta(days=days)
