"""The later floors of the simulated team (bench/simulate.py): quotes and discount approvals, contracts and
their signing, payments and finance's confirmation, the delivery sign-off, after-sales tickets and
satisfaction surveys. The people's side lives here (what they press and when, as a mixin of the
Simulation) and so does the counting of these floors' breakpoints, from the database after the run.

Everything goes through chat updates, as in demo/quotes.txt, demo/payments.txt and demo/aftersales.txt:
the rep opens the deal from /find, builds the quote (📄 报价 → ➕ 新报价 → ➕ 添加产品 → a quantity → a
line discount → 📤 提交), the manager decides on the approval card the bot pushed (✅ 批准 / ❌ 驳回),
the rep marks it 📨 sent and records the customer's answer (🤝 客户接受 / ❌ 客户拒绝), drafts the
contract from the accepted quote with a payment plan (📤 已发客户签署), uploads the signed copy
(✍️ 上传签署件), reports each payment with the bank slip (💰 报回款), finance confirms it on the card
(✅ 确认到账); a paid-up deal is delivered (📦 交付清单, ✍️ 验收签字) and the customer rates it from
the link; customers of after-sales deals call with problems and the rep (or the manager) opens a ticket
from the deal card (🛠 工单), starts it (▶️ 开始处理) and resolves it (✅ 已解决), and the customer rates
the service from the link (/start s_…).
"""

from __future__ import annotations

import bisect
import math
import random
import re
import statistics
from collections import Counter
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from functools import partial
from typing import TYPE_CHECKING, Any

from bot.sandbox import Person, Sent
from domain.contracts import watch
from domain.contracts.model import UNSIGNED
from domain.outbox.kinds import Kind, Subject
from domain.team.model import Team
from domain.tickets.model import LOW_SCORE, RUNNING
from domain.tickets.sla import SlaClock, mark_minutes, working_minutes_between
from domain.worktime import add_working_minutes, local, next_working_moment

if TYPE_CHECKING:
    from bench.simulate import Customer, DealState, Figures, Rep, Row

# The team's catalogue, imported by the manager at set-up (as demo/products.csv, without its bad row).
PRODUCTS_CSV = (
    "编码,名称,英文名称,单位,标价,底价,成本,税率,类别\n"
    "CRM-PRO,CRM 专业版,CRM Pro,套,12800,9800,4000,13%,软件\n"
    "CRM-STD,CRM 标准版,CRM Standard,套,6800,,2000,13%,软件\n"
    "IMPL-DAY,实施服务,Implementation,天,3000,2000,1500,6%,服务\n"
)
PLANS = ("30% 签约", "100%", "按月")  # the words of the built-in plan buttons
PDF = b"%PDF-1.4\n% simulated scan\n"
PRIORITIES = ("P1", "P2", "P3")
CATEGORIES = ("故障", "咨询", "投诉", "变更需求")
PROBLEMS = ("系统登录不了", "报表导出报错", "想加几个字段", "数据同步慢", "打印模块报错，开不了票", "新员工账号怎么开")

# The bot's alerts about the later floors that the control run drops (cards that carry the work itself —
# an approval card, a payment to confirm, a ticket handed over — still arrive).
FLOOR_NUDGES = frozenset(k.spec.key for k in (
    Kind.QUOTE_APPROVAL_REMINDER, Kind.QUOTE_APPROVAL_ESCALATED, Kind.QUOTE_APPROVAL_OVERDUE,
    Kind.QUOTE_APPROVAL_STATUS, Kind.QUOTE_EXPIRING, Kind.CONTRACT_SIGN_HALF, Kind.CONTRACT_SIGN_OVERDUE,
    Kind.PAYMENT_DUE, Kind.PAYMENT_OVERDUE, Kind.TICKET_RESPONSE_DUE, Kind.TICKET_RESOLVE_DUE,
    Kind.TICKET_RESPONSE_LATE, Kind.TICKET_RESOLVE_LATE, Kind.SURVEY_LOW_SCORE, Kind.DELIVERY_ITEM_DUE,
    Kind.DELIVERY_ITEM_OVERDUE, Kind.RENEWAL_DUE,
))


def chance(*key: object) -> float:
    """A uniform draw fixed by its key (seed, customer, what, which time): the same in both runs whatever
    happened before, so the control run meets the same customers' moods."""
    return random.Random(":".join(str(k) for k in key)).random()


@dataclass(frozen=True)
class Buyer:
    """How a customer behaves past the proposal, drawn from the seed and the customer's number."""

    product: str
    quantity: int  # one of the quantity buttons
    discount: int  # the line discount they haggle for, a button's percent
    decide_days: float  # from getting the quote to an answer
    sign_days: float | None  # working days from getting the contract to signing it; None: never, unless chased
    plan: str  # the payment plan they agree to (a plan button's words)
    pay_days: tuple[float, float, float]  # days from each milestone's due date to the money, left alone
    tickets_per_30_days: float  # once in after-sales


def draw_buyer(seed: int, index: int) -> Buyer:
    rng = random.Random(f"{seed}:buyer:{index}")
    kind = rng.choices(("punctual", "late", "very late", "never"), weights=(55, 30, 10, 5))[0]
    if kind == "punctual":
        pay = tuple(rng.uniform(-4, 1) for _ in range(3))
    elif kind == "late":
        pay = tuple(rng.uniform(3, 20) for _ in range(3))
    elif kind == "very late":
        pay = tuple(rng.uniform(20, 50) for _ in range(3))
    else:
        pay = (math.inf, math.inf, math.inf)
    signer = rng.choices(("quick", "slow", "never"), weights=(85, 12, 3))[0]
    return Buyer(
        product=rng.choices(("CRM-PRO", "CRM-STD"), weights=(6, 4))[0],
        quantity=rng.choices((1, 2, 5, 10), weights=(2, 3, 3, 2))[0],
        discount=rng.choices((0, 5, 10, 15, 20, 25), weights=(30, 20, 20, 15, 10, 5))[0],
        decide_days=rng.uniform(1, 6),
        sign_days=rng.uniform(1, 4) if signer == "quick" else rng.uniform(6, 15) if signer == "slow" else None,
        plan=rng.choices(PLANS, weights=(5, 3, 2))[0],
        pay_days=(pay[0], pay[1], pay[2]),
        tickets_per_30_days=rng.uniform(0.6, 1.6),
    )


@dataclass
class TicketState:
    number: str
    company: str
    owner: str  # the owner's name, as the ticket says
    opened: datetime
    responded: bool = False
    resolved: bool = False
    respond_at: datetime | None = None  # the next moment somebody means to answer it
    resolve_at: datetime | None = None


def working_day_minutes(team: Team) -> int:
    start = team.work_start.hour * 60 + team.work_start.minute
    end = team.work_end.hour * 60 + team.work_end.minute
    return max(60, end - start)


def parse_due_dates(text: str) -> dict[int, date]:
    """The milestones on a contract screen: '1. 签约后 · ¥40,063.20 · 2026年12月5日 到期 · 未回'."""
    found = {}
    for position, year, month, day in re.findall(r"(\d+)\. [^\n·]+ · ¥[\d,.]+ · (\d{4})年(\d+)月(\d+)日 到期", text):
        found[int(position)] = date(int(year), int(month), int(day))
    return found


class Stuck(Exception):
    """A screen did not offer the button a person meant to press."""


class Floors:
    """The people's part past the proposal, mixed into bench/simulate.py's Simulation (which owns the
    clock, the event queue, the people and the deals)."""

    # Provided by the Simulation.
    args: Any
    team: Team
    clock: Any
    nudges: bool
    reps: list[Rep]
    deals: dict[str, DealState]
    actions: Any
    problems: list[str]
    rng: random.Random
    manager: Person
    admin: Person
    finance: Person
    sandbox: Any
    at: Callable[[datetime, str, Callable[[], Awaitable[None]]], None]
    rep_at: Callable[[Rep, datetime, str, Callable[[], Awaitable[None]]], None]
    on_leave: Callable[[Rep], bool]
    customer_of: Callable[[str], Customer]
    rep_named: Callable[[str], Rep | None]
    log_call: Callable[[Rep, str], Awaitable[None]]
    mark_lost_from_card: Callable[[Rep, DealState, Sent, str], Awaitable[None]]

    tickets: dict[str, TicketState]
    decided: set[str]
    asked: Counter[str]
    surveys_sent: Counter[str]

    # -- screens --------------------------------------------------------------------------------------------

    async def press_on(self, person: Person, screen: Sent, label: str, *, exact: bool = False) -> Sent:
        """Press `label` on `screen`; the screen the bot shows next (the same message edited, or a new one)."""
        data = next((d for t, d in screen.buttons if (t == label if exact else label in t) and not d.startswith("http")),
                    None)
        if data is None:
            raise Stuck(f"{person.first_name}: no {label!r} among {[t for t, _ in screen.buttons]} on {screen.text[:80]!r}")
        before = len(person.chat())
        await person.press_data(data, message_id=screen.message_id, text=screen.text)
        chat = person.chat()
        return chat[-1] if len(chat) > before else screen

    async def say(self, person: Person, text: str) -> Sent:
        await person.send(text)
        return person.last

    async def deal_card(self, person: Person, company: str) -> Sent | None:
        """The deal's card through /find, when the person may see it (it may have moved to someone else)."""
        found = await self.say(person, f"/find {company}")
        for label, _ in found.buttons:
            match = re.match(r"^\d+\. (.+?) · ", label)
            if match and match.group(1) == company:
                card = await self.press_on(person, found, label, exact=True)
                return card if "💼" in card.text else None
        return None

    def work_at(self, minutes: float, since: datetime | None = None) -> datetime:
        """`minutes` of the team's working time from now (a person busy with other things meanwhile)."""
        return add_working_minutes(since or self.clock.now(), max(1, int(minutes)), self.team)

    def paperwork(self, rep: Rep) -> timedelta:
        return timedelta(days=self.rng.uniform(*rep.profile.work_days))

    def owner_rep(self, deal: DealState) -> Rep | None:
        return deal.owner

    # -- the quote ------------------------------------------------------------------------------------------

    def proposal_asked(self, rep: Rep, deal: DealState) -> None:
        """The customer asked for a proposal (the deal reached 方案报价): the rep builds the quote."""
        if deal.requested_at is None:
            deal.requested_at = self.clock.now()
            self.rep_at(rep, self.clock.now() + self.paperwork(rep), "quote:build",
                        lambda: self.build_quote(rep, deal.company))

    async def build_quote(self, rep: Rep, company: str) -> None:
        deal = self.deals[company]
        if deal.lost or deal.quote is not None or deal.owner is not rep:
            return
        buyer = self.customer_of(company).buyer
        person = rep.person
        card = await self.deal_card(person, company)
        if card is None:
            return
        screen = await self.press_on(person, card, "📄 报价")
        screen = await self.press_on(person, screen, "新报价")
        screen = await self.press_on(person, screen, "添加产品")
        found = await self.say(person, buyer.product)
        screen = await self.press_on(person, found, buyer.product)
        screen = await self.press_on(person, screen, str(buyer.quantity), exact=True)
        deal.discount = buyer.discount
        if buyer.discount:
            screen = await self.line_discount(person, screen, buyer.discount)
        await self.submit_quote(rep, deal, screen)

    async def line_discount(self, person: Person, screen: Sent, percent: int) -> Sent:
        """The first line's discount, by its button (−0% asks for the number: the rep types it)."""
        screen = await self.press_on(person, screen, "1. ")
        screen = await self.press_on(person, screen, f"−{percent}%", exact=True)
        if "请输入折扣百分比" in screen.text:
            screen = await self.say(person, str(percent))
        return screen

    async def submit_quote(self, rep: Rep, deal: DealState, screen: Sent) -> None:
        person = rep.person
        if "需要审批" in screen.text and rep.profile.name != "forgetful":
            screen = await self.press_on(person, screen, "折扣说明")
            screen = await self.say(person, "客户在比价，竞品报价更低，客户承诺三年合同")
        screen = await self.press_on(person, screen, "📤 提交")
        if any("直接提交" in t for t, _ in screen.buttons):
            screen = await self.press_on(person, screen, "直接提交")
        number = re.search(r"(Q-\d{4}-\d{4}-v\d+)", screen.text)
        if number is None:
            raise Stuck(f"quote for {deal.company} not submitted: {screen.text[:120]!r}")
        deal.quote = number.group(1)
        self.actions["quote submitted"] += 1
        if any("标记已发送" in t for t, _ in screen.buttons):  # no approval needed: valid at once
            await self.press_on(person, screen, "标记已发送")
            self.quote_sent(deal)
        else:
            self.actions["quote needs approval"] += 1

    def quote_sent(self, deal: DealState) -> None:
        deal.quote_sent_at = self.clock.now()
        self.actions["quote sent"] += 1
        buyer = self.customer_of(deal.company).buyer
        self.at(self.clock.now() + timedelta(days=buyer.decide_days), "customer:quote",
                partial(self.customer_decides, deal.company, deal.quote))

    async def send_approved(self, rep: Rep, notice: Sent) -> None:
        """The approval came (✅ 报价 … 已由 … 批准): open the quote from the notice and mark it sent."""
        number = re.search(r"(Q-\d{4}-\d{4}-v\d+)（(.+?)）", notice.text)
        if number is None:
            return
        deal = self.deals.get(number.group(2))
        if deal is None or deal.lost or deal.quote != number.group(1) or deal.quote_sent_at is not None:
            return
        screen = await self.press_on(rep.person, notice, "打开报价单")
        if any("标记已发送" in t for t, _ in screen.buttons):
            await self.press_on(rep.person, screen, "标记已发送")
            self.quote_sent(deal)

    async def revise_rejected(self, rep: Rep, notice: Sent) -> None:
        """The approver said no (❌ 报价 … 被 … 驳回): a smaller discount, submitted again."""
        number = re.search(r"(Q-\d{4}-\d{4}-v\d+)（(.+?)）", notice.text)
        if number is None:
            return
        deal = self.deals.get(number.group(2))
        if deal is None or deal.lost or deal.quote != number.group(1):
            return
        screen = await self.press_on(rep.person, notice, "打开报价单")
        lower = max(0, deal.discount - 10)
        deal.discount = lower
        screen = await self.line_discount(rep.person, screen, lower)
        self.actions["quote revised"] += 1
        await self.submit_quote(rep, deal, screen)

    # -- approvers ------------------------------------------------------------------------------------------

    def on_approval_card(self, person: Person, card: Sent, *, busy_p: float, quick: tuple[float, float],
                         slow: tuple[float, float]) -> None:
        """An approver got a card (or a reminder with its buttons): decides after a while."""
        minutes = self.rng.uniform(*slow) if self.rng.random() < busy_p else self.rng.uniform(*quick)
        self.at(self.work_at(minutes), "approval:decide", lambda: self.decide(person, card))

    async def decide(self, person: Person, card: Sent) -> None:
        approve = next((d for t, d in card.buttons if "批准" in t), None)
        if approve is None or approve in self.decided:
            return
        self.decided.add(approve)
        number = re.search(r"(Q-\d{4}-\d{4}-v\d+)", card.text)
        is_manager = person is self.manager
        key = number.group(1) if number else approve
        self.asked[key] += 1
        if is_manager and chance(self.args.seed, "reject", key, self.asked[key]) < 0.12:
            screen = await self.press_on(person, card, "驳回")
            await self.say(person, "折扣太大了，再跟客户谈谈")
            del screen
            self.actions["approval rejected"] += 1
            return
        await self.press_on(person, card, "批准")
        self.actions["approval approved"] += 1

    # -- the customer's answer and the contract -------------------------------------------------------------

    async def customer_decides(self, company: str, number: str | None) -> None:
        deal = self.deals[company]
        if deal.lost or deal.quote != number or deal.accepted is not None:
            return
        customer = self.customer_of(company)
        waited = ((deal.quote_sent_at or self.clock.now()) - (deal.requested_at or self.clock.now())).total_seconds() / 86400
        # Interest fades while the customer waits for the proposal: a quote that comes late is taken less.
        accept = chance(self.args.seed, customer.index, "accept") < 0.85 * math.exp(-max(0.0, waited) / (2 * customer.patience))
        deal.accepted = accept
        rep = deal.owner
        if rep is None:
            return
        self.rep_at(rep, self.clock.now() + timedelta(hours=self.rng.uniform(0.5, 6)), "quote:answer",
                    lambda: self.record_answer(rep, company, accept))

    async def record_answer(self, rep: Rep, company: str, accepted: bool) -> None:
        deal = self.deals[company]
        if deal.lost or deal.owner is not rep or deal.quote is None:
            return
        person = rep.person
        card = await self.deal_card(person, company)
        if card is None:
            return
        screen = await self.press_on(person, card, "📄 报价")
        screen = await self.press_on(person, screen, deal.quote)
        if not accepted:
            screen = await self.press_on(person, screen, "客户拒绝")
            if "为什么拒绝" in screen.text:
                await self.say(person, "价格超出预算，选了别家")
            self.actions["quote rejected by customer"] += 1
            card = await self.deal_card(person, company)
            if card is not None:
                await self.mark_lost_from_card(rep, deal, card, "输给竞品")
            return
        screen = await self.press_on(person, screen, "客户接受")
        deal.stage = 3
        self.actions["quote accepted"] += 1
        if rep.profile.name == "diligent":
            await self.draft_contract(rep, company, screen)
        else:
            self.rep_at(rep, self.clock.now() + self.paperwork(rep), "contract:draft",
                        lambda: self.draft_contract(rep, company))

    async def draft_contract(self, rep: Rep, company: str, screen: Sent | None = None) -> None:
        deal = self.deals[company]
        if deal.lost or deal.owner is not rep or deal.contract is not None:
            return
        person = rep.person
        if screen is None:
            card = await self.deal_card(person, company)
            if card is None:
                return
            screen = await self.press_on(person, card, "📑 合同")
        else:
            screen = await self.press_on(person, screen, "起草合同")
        screen = await self.press_on(person, screen, "按报价")
        number = re.search(r"(HT-\d{4}-\d{4})", screen.text)
        screen = await self.press_on(person, screen, "回款计划")
        screen = await self.press_on(person, screen, self.customer_of(company).buyer.plan)
        screen = await self.press_on(person, screen, "已发客户签署")
        if number is None:
            raise Stuck(f"contract for {company}: {screen.text[:120]!r}")
        deal.contract = number.group(1)
        deal.contract_sent_at = self.clock.now()
        self.actions["contract sent"] += 1
        days = self.customer_of(company).buyer.sign_days
        if days is not None:
            self.customer_signs_at(deal, self.work_at(days * working_day_minutes(self.team)))

    def customer_signs_at(self, deal: DealState, when: datetime) -> None:
        deal.sign_version += 1
        deal.signs_at = when
        self.at(when, "customer:sign", partial(self.customer_signs, deal.company, deal.sign_version))

    async def customer_signs(self, company: str, version: int) -> None:
        deal = self.deals[company]
        if version != deal.sign_version or deal.signed or deal.lost:
            return
        deal.signed = True
        rep = deal.owner
        if rep is not None:
            self.rep_at(rep, self.clock.now() + self.paperwork(rep), "contract:upload",
                        lambda: self.upload_signed(rep, company))

    async def open_contract(self, person: Person, deal: DealState) -> Sent | None:
        card = await self.deal_card(person, deal.company)
        if card is None or deal.contract is None:
            return None
        screen = await self.press_on(person, card, "📑 合同")
        return await self.press_on(person, screen, deal.contract)

    async def upload_signed(self, rep: Rep, company: str) -> None:
        deal = self.deals[company]
        if deal.owner is not rep:
            return
        person = rep.person
        screen = await self.open_contract(person, deal)
        if screen is None:
            return
        screen = await self.press_on(person, screen, "上传签署件")
        await person.send_document(f"{deal.contract}-签署版.pdf", PDF)
        if "已签署" not in person.last.text:
            raise Stuck(f"{deal.contract}: not signed: {person.last.text[:120]!r}")
        deal.stage = 4
        deal.milestones = parse_due_dates(person.last.text)
        self.actions["contract signed"] += 1
        buyer = self.customer_of(company).buyer
        for position, due_on in deal.milestones.items():
            late = buyer.pay_days[min(position, 3) - 1]
            if math.isinf(late):
                continue
            self.customer_pays_at(deal, position, self.paying_moment(due_on, late))

    # -- chasing the customer -------------------------------------------------------------------------------

    async def chase_signature(self, rep: Rep, company: str) -> None:
        """The bot said the contract is half-way or past its deadline: the rep calls the customer."""
        deal = self.deals[company]
        if deal.signed or deal.lost or deal.owner is not rep:
            return
        await self.log_call(rep, company)
        customer = self.customer_of(company)
        deal.chases += 1
        if customer.buyer.sign_days is None:
            if chance(self.args.seed, customer.index, "sign-chased", deal.chases) < 0.3:
                self.customer_signs_at(deal, self.work_at(self.rng.uniform(2, 5) * working_day_minutes(self.team)))
        elif chance(self.args.seed, customer.index, "sign-chased", deal.chases) < 0.8:
            sooner = self.work_at(self.rng.uniform(0.5, 3) * working_day_minutes(self.team))
            if deal.signs_at is None or sooner < deal.signs_at:
                self.customer_signs_at(deal, sooner)

    def paying_moment(self, due_on: date, days: float) -> datetime:
        day = due_on + timedelta(days=round(days))
        at = datetime(day.year, day.month, day.day, tzinfo=UTC) - timedelta(hours=8) + timedelta(hours=self.rng.uniform(10, 16))
        return max(at, self.clock.now() + timedelta(minutes=30))

    def customer_pays_at(self, deal: DealState, position: int, when: datetime) -> None:
        version = deal.pay_versions.get(position, 0) + 1
        deal.pay_versions[position] = version
        deal.pays_at[position] = when
        self.at(when, "customer:pay", partial(self.customer_pays, deal.company, position, version))

    async def chase_payment(self, rep: Rep | None, company: str, position: int, *, by_manager: bool = False) -> None:
        """A payment reminder: the rep (or the manager through the rep) calls the customer, who pays
        sooner — a never-payer sometimes."""
        deal = self.deals.get(company)
        if deal is None or position in deal.paid or position not in deal.milestones:
            return
        if rep is not None and not by_manager:
            await self.log_call(rep, company)
        customer = self.customer_of(company)
        deal.chases += 1
        never = math.isinf(customer.buyer.pay_days[min(position, 3) - 1])
        if chance(self.args.seed, customer.index, "pay-chased", position, deal.chases) < (0.25 if never else 0.6):
            sooner = self.clock.now() + timedelta(days=self.rng.uniform(0.5, 4))
            current = deal.pays_at.get(position)
            if current is None or sooner < current:
                self.customer_pays_at(deal, position, sooner)

    async def customer_pays(self, company: str, position: int, version: int) -> None:
        deal = self.deals[company]
        if deal.pay_versions.get(position) != version or position in deal.paid:
            return
        deal.paid.add(position)
        self.actions["customer paid"] += 1
        rep = deal.owner
        if rep is not None:
            paid_on = local(self.clock.now(), self.team.timezone).date()
            self.rep_at(rep, self.clock.now() + self.paperwork(rep), "payment:report",
                        lambda: self.report_payment(rep, company, position, paid_on))

    async def report_payment(self, rep: Rep, company: str, position: int, paid_on: date) -> None:
        deal = self.deals[company]
        if deal.owner is not rep or position in deal.reported:
            return
        person = rep.person
        screen = await self.open_contract(person, deal)
        if screen is None:
            return
        screen = await self.press_on(person, screen, "报回款")
        label = next((t for t, _ in screen.buttons if t.startswith(f"{position}. ")), None)
        if label is None:
            label = next((t for t, _ in screen.buttons if re.match(r"^\d+\. ", t)), None)
        if label is None:
            return
        screen = await self.press_on(person, screen, label, exact=True)
        screen = await self.press_on(person, screen, "全额")
        days = (local(self.clock.now(), self.team.timezone).date() - paid_on).days
        if days <= 2:
            screen = await self.press_on(person, screen, ("今天", "昨天", "前天")[max(0, days)], exact=True)
        else:
            screen = await self.say(person, f"{paid_on:%m-%d}")
        screen = await self.press_on(person, screen, "银行转账")
        await person.send_document("银行回单.pdf", PDF)
        if "已提交" not in person.last.text:
            raise Stuck(f"payment on {deal.contract}: {person.last.text[:120]!r}")
        deal.reported.add(position)
        self.actions["payment reported"] += 1

    async def confirm_payment(self, card: Sent) -> None:
        if not any("确认到账" in t for t, _ in card.buttons):
            return
        await self.press_on(self.finance, card, "确认到账")
        self.actions["payment confirmed"] += 1

    # -- delivery, tickets, surveys -------------------------------------------------------------------------

    async def deliver(self, rep: Rep, company: str) -> None:
        """A paid-up deal in delivery: the rep ticks the checklist and the customer signs the acceptance."""
        deal = self.deals[company]
        if deal.owner is not rep or deal.stage >= 6:
            return
        person = rep.person
        card = await self.deal_card(person, company)
        if card is None or not any("交付清单" in t for t, _ in card.buttons):
            return
        screen = await self.press_on(person, card, "交付清单")
        items = [t for t, _ in screen.buttons if re.match(r"^\d+\. ", t)]
        for label in items:
            line = next((ln for ln in screen.text.splitlines() if label in ln), "")
            if line.startswith("✅"):
                continue
            item = await self.press_on(person, screen, label, exact=True)
            if any("验收签字" in t for t, _ in item.buttons):
                before = len(person.chat())
                item = await self.press_on(person, item, "验收签字")
                await self.press_on(person, item, "直接签收")
                link = self.survey_link(person, before)
                deal.stage = 6
                self.actions["delivered"] += 1
                if link is not None:
                    self.forward_survey(company, link, score=self.rng.choice((3, 4, 4, 5, 5)))
                self.schedule_ticket(company)
                return
            screen = await self.press_on(person, item, "完成")

    def survey_link(self, person: Person, since: int) -> str | None:
        for sent in person.chat()[since:]:
            found = re.search(r"start=(s_[A-Za-z0-9_\-]+)", sent.text)
            if found:
                return found.group(1)
        return None

    def forward_survey(self, company: str, link: str, *, score: int) -> None:
        """The rep forwards the link; most customers answer within a few days."""
        if self.rng.random() > 0.85:
            return
        customer = self.customer_of(company)
        self.surveys_sent[company] += 1
        if chance(self.args.seed, customer.index, "survey", self.surveys_sent[company]) > 0.65:
            return
        self.at(self.clock.now() + timedelta(hours=self.rng.uniform(1, 72)), "customer:survey",
                partial(self.answer_survey, company, link, score))

    async def answer_survey(self, company: str, link: str, score: int) -> None:
        customer = self.sandbox.person(f"客户·{company}")
        screen = await self.say(customer, f"/start {link}")
        if not screen.buttons:
            return
        screen = await self.press_on(customer, screen, f"{score}⭐", exact=True)
        if score <= LOW_SCORE:
            await self.say(customer, "问题拖了好几天才解决，响应太慢")
        elif any("提交" in t for t, _ in screen.buttons):
            await self.press_on(customer, screen, "提交")
        self.actions["survey answered"] += 1

    def schedule_ticket(self, company: str) -> None:
        """The next problem this after-sales customer calls about (a Poisson stream, in working hours)."""
        customer = self.customer_of(company)
        rate = customer.buyer.tickets_per_30_days
        count = self.deals[company].tickets_opened
        wait = -math.log(1 - chance(self.args.seed, customer.index, "ticket", count)) * 30 / rate
        when = next_working_moment(self.clock.now() + timedelta(days=wait), self.team)
        when += timedelta(minutes=self.rng.uniform(0, 8 * 60))
        self.at(when, "customer:ticket", partial(self.customer_calls, company))

    async def customer_calls(self, company: str) -> None:
        deal = self.deals[company]
        if deal.lost:
            return
        deal.tickets_opened += 1
        self.schedule_ticket(company)
        customer = self.customer_of(company)
        rep = deal.owner
        # The customer calls their rep; when the rep is away (or busy), the office puts them through to the manager.
        by_rep = rep is not None and not self.on_leave(rep) and self.rng.random() < 0.8
        person = rep.person if by_rep and rep is not None else self.manager
        if not by_rep and not _is_working(self.clock.now(), self.team):
            return
        n = deal.tickets_opened
        priority = random.Random(f"{self.args.seed}:{customer.index}:prio:{n}").choices(PRIORITIES, weights=(15, 45, 40))[0]
        category = random.Random(f"{self.args.seed}:{customer.index}:cat:{n}").choices(CATEGORIES, weights=(50, 35, 10, 5))[0]
        card = await self.deal_card(person, company)
        if card is None or not any("🛠 工单" in t for t, _ in card.buttons):
            return
        screen = await self.press_on(person, card, "🛠 工单")
        screen = await self.press_on(person, screen, category, exact=True)
        screen = await self.press_on(person, screen, priority)
        screen = await self.say(person, PROBLEMS[(customer.index + n) % len(PROBLEMS)])
        found = re.search(r"工单 (T-\d+) 已创建，负责人：(\S+?)。", screen.text)
        if found is None:
            raise Stuck(f"ticket for {company}: {screen.text[:120]!r}")
        ticket = self.tickets[found.group(1)] = TicketState(found.group(1), company, found.group(2), self.clock.now())
        self.actions["ticket opened"] += 1
        owner = self.rep_named(ticket.owner)
        if owner is not None and person is owner.person:
            self.plan_response(owner, ticket)

    def plan_response(self, rep: Rep, ticket: TicketState, minutes: tuple[float, float] | None = None) -> None:
        when = self.work_at(self.rng.uniform(*(minutes or rep.profile.ticket_minutes)))
        if rep.leave is not None and rep.leave[0] <= local(when, self.team.timezone).date() <= rep.leave[1]:
            back = rep.leave[1] + timedelta(days=1)
            when = self.work_at(self.rng.uniform(*rep.profile.ticket_minutes),
                                datetime(back.year, back.month, back.day, tzinfo=UTC))
        if ticket.respond_at is None or when < ticket.respond_at:
            ticket.respond_at = when
            self.at(when, "ticket:respond", partial(self.respond, rep.person, ticket.number, when))

    async def ticket_screen(self, person: Person, number: str, notice: Sent | None = None) -> Sent | None:
        if notice is not None and any("查看工单" in t for t, _ in notice.buttons):
            return await self.press_on(person, notice, "查看工单")
        listing = await self.say(person, "/tickets")
        label = next((t for t, _ in listing.buttons if number in t), None)
        if label is None:
            return None
        return await self.press_on(person, listing, label, exact=True)

    async def respond(self, person: Person, number: str, planned: datetime | None, notice: Sent | None = None) -> None:
        ticket = self.tickets[number]
        if ticket.responded or (planned is not None and ticket.respond_at != planned):
            return
        screen = await self.ticket_screen(person, number, notice)
        if screen is None or not any("开始处理" in t for t, _ in screen.buttons):
            return
        await self.press_on(person, screen, "开始处理")
        ticket.responded = True
        self.actions["ticket started"] += 1
        owner = self.rep_named(ticket.owner)
        if owner is None:
            return
        work = {"P1": (60, 600), "P2": (180, 2400), "P3": (480, 4800)}
        priority = next((p for p in PRIORITIES if p in screen.text), "P3")
        minutes = self.rng.uniform(*work[priority]) * (1.5 if owner.profile.name == "forgetful" else 1.0)
        if self.rng.random() < 0.15:
            minutes *= 2.5  # a hard one
        self.plan_resolution(owner, ticket, minutes)

    def plan_resolution(self, rep: Rep, ticket: TicketState, minutes: float) -> None:
        when = self.work_at(minutes)
        if ticket.resolve_at is None or when < ticket.resolve_at:
            ticket.resolve_at = when
            self.at(when, "ticket:resolve", partial(self.resolve, rep, ticket.number, when))

    async def resolve(self, rep: Rep, number: str, planned: datetime) -> None:
        ticket = self.tickets[number]
        if ticket.resolved or ticket.resolve_at != planned:
            return
        if self.on_leave(rep) and rep.leave is not None:  # it waits for them to come back
            back = rep.leave[1] + timedelta(days=1)
            ticket.resolve_at = None
            when = self.work_at(self.rng.uniform(30, 240), datetime(back.year, back.month, back.day, tzinfo=UTC))
            ticket.resolve_at = when
            self.at(when, "ticket:resolve", partial(self.resolve, rep, ticket.number, when))
            return
        person = rep.person
        screen = await self.ticket_screen(person, number)
        if screen is None or not any("已解决" in t for t, _ in screen.buttons):
            return
        before = len(person.chat())
        await self.press_on(person, screen, "已解决")
        ticket.resolved = True
        self.actions["ticket resolved"] += 1
        link = self.survey_link(person, before)
        if link is not None:
            # The customer rates how long they waited for the fix, in the office's working hours.
            hours = working_minutes_between(ticket.opened, self.clock.now(), self.team) / 60
            day = working_day_minutes(self.team) / 60
            score = 5 if hours <= day / 2 else 4 if hours <= day else 3 if hours <= 3 * day else 2 if hours <= 7 * day else 1
            noise = chance(self.args.seed, "score", number)
            score = min(5, score + 1) if noise > 0.85 else max(1, score - 1) if noise < 0.15 else score
            self.forward_survey(ticket.company, link, score=score)

    # -- reading the bot's messages -------------------------------------------------------------------------

    def floor_react_rep(self, rep: Rep, sent: Sent) -> bool:
        """A rep reads a message about the later floors; True when it was one."""
        text = sent.text
        now = self.clock.now()
        if "已由" in text and "批准" in text and "报价" in text and sent.buttons:
            self.rep_at(rep, now + self.paperwork(rep), "quote:send", lambda: self.send_approved(rep, sent))
            return True
        if "驳回" in text and "报价" in text and sent.buttons:
            self.rep_at(rep, now + self.paperwork(rep), "quote:revise", lambda: self.revise_rejected(rep, sent))
            return True
        company = re.search(r"HT-\d{4}-\d{4}（(.+?)[，）]", text)
        if ("签署时间已过半" in text or "已过签署截止日" in text) and company:
            if self.nudged(rep):
                name = company.group(1)
                self.rep_at(rep, now + timedelta(hours=self.rng.uniform(*rep.profile.nudge_hours)), "contract:chase",
                            lambda: self.chase_signature(rep, name))
            return True
        reminder = re.search(r"回款提醒：HT-\d{4}-\d{4}（(.+?)）(\d+)\.", text)
        if reminder:
            if self.nudged(rep):
                name, position = reminder.group(1), int(reminder.group(2))
                self.rep_at(rep, now + timedelta(hours=self.rng.uniform(*rep.profile.nudge_hours)), "payment:chase",
                            lambda: self.chase_payment(rep, name, position))
            return True
        if "确认到账" in text and "合同还差 ¥0.00" in text:
            found = re.search(r"（(.+?)）的回款", text)
            if found and found.group(1) in self.deals:
                name = found.group(1)
                self.rep_at(rep, now + timedelta(days=self.rng.uniform(3, 10)), "delivery",
                            lambda: self.deliver(rep, name))
            return True
        ticket = re.search(r"工单 <b>(T-\d+)</b>", text) or re.search(r"(T-\d+)", text)
        if ticket and ticket.group(1) in self.tickets:
            state = self.tickets[ticket.group(1)]
            if "交给你处理" in text:
                self.plan_response(rep, state)
            elif "还没有响应" in text and not state.responded and self.nudged(rep):
                self.plan_response(rep, state, (5, 40))
            elif "快到解决时限" in text and not state.resolved and state.responded and self.nudged(rep):
                self.plan_resolution(rep, state, self.rng.uniform(30, 240))
            return True
        return False

    def nudged(self, rep: Rep) -> bool:
        return self.nudges and not self.on_leave(rep) and self.rng.random() < rep.profile.nudge_p

    def react_manager(self, sent: Sent) -> None:
        text = sent.text
        if "折扣审批" in text and any("批准" in t for t, _ in sent.buttons) and "超时升级" not in text:
            self.on_approval_card(self.manager, sent, busy_p=0.3, quick=(10, 180), slow=(240, 1200))
        elif "还在等你审批" in text and any("批准" in t for t, _ in sent.buttons):
            if self.rng.random() < 0.8:
                self.on_approval_card(self.manager, sent, busy_p=0.0, quick=(5, 60), slow=(5, 60))
        elif "🚨" in text and "工单" in text:
            ticket = re.search(r"(T-\d+)", text)
            state = self.tickets.get(ticket.group(1)) if ticket else None
            if state is None:
                return
            if "首次响应" in text and not state.responded and self.rng.random() < 0.6:
                when = self.work_at(self.rng.uniform(10, 60))
                state.respond_at = when
                self.at(when, "ticket:take over", partial(self.respond, self.manager, state.number, when, sent))
            elif "解决" in text and not state.resolved and self.rng.random() < 0.5:
                owner = self.rep_named(state.owner)
                if owner is not None and state.responded:
                    self.plan_resolution(owner, state, self.rng.uniform(30, 180))
        elif "回款逾期" in text:
            found = re.search(r"HT-\d{4}-\d{4}（(.+?)，.*?）(\d+)\.", text)
            if found and self.rng.random() < 0.5:
                name, position = found.group(1), int(found.group(2))
                deal = self.deals.get(name)
                self.at(self.work_at(self.rng.uniform(30, 240)), "payment:manager chase",
                        lambda: self.chase_payment(deal.owner if deal else None, name, position, by_manager=True))
        elif "客户满意度低" in text and any("跟进工单" in t for t, _ in sent.buttons):
            if self.rng.random() < 0.7:
                self.at(self.work_at(self.rng.uniform(30, 240)), "survey:follow up", lambda: self.follow_up(sent))

    async def follow_up(self, alert: Sent) -> None:
        screen = await self.press_on(self.manager, alert, "跟进工单")
        found = re.search(r"(T-\d+)", screen.text)
        company = re.search(r"客户：(.+?) ·", alert.text)
        if found is None or company is None or found.group(1) in self.tickets:
            return
        owner = re.search(r"负责人：(\S+?)[。\s·]", screen.text)
        self.tickets[found.group(1)] = TicketState(found.group(1), company.group(1), owner.group(1) if owner else "",
                                                    self.clock.now())
        self.actions["follow-up ticket"] += 1

    def react_admin(self, sent: Sent) -> None:
        text = sent.text
        if not any("批准" in t for t, _ in sent.buttons):
            return
        if "超时升级后还在等审批" in text:
            self.on_approval_card(self.admin, sent, busy_p=0.0, quick=(5, 30), slow=(5, 30))
        elif "超时升级" in text:
            self.on_approval_card(self.admin, sent, busy_p=0.0, quick=(15, 120), slow=(15, 120))
        elif "折扣审批" in text:
            self.on_approval_card(self.admin, sent, busy_p=0.2, quick=(30, 240), slow=(300, 900))

    def react_finance(self, sent: Sent) -> None:
        if "回款待确认" in sent.text and any("确认到账" in t for t, _ in sent.buttons):
            self.at(self.work_at(self.rng.uniform(20, 300)), "payment:confirm", lambda: self.confirm_payment(sent))


def _is_working(at: datetime, team: Team) -> bool:
    from domain.worktime import is_working_time

    return is_working_time(at, team)


# --- counting the later floors ---------------------------------------------------------------------------


@dataclass
class FloorData:
    """What the counting needs from the database, loaded after the run (bench/simulate.py load_db)."""

    approvals: list[Any] = field(default_factory=list)
    quotes: list[Any] = field(default_factory=list)
    contracts: list[Any] = field(default_factory=list)
    milestones: list[Any] = field(default_factory=list)
    tickets: list[Any] = field(default_factory=list)
    surveys: list[Any] = field(default_factory=list)
    quote_sla_minutes: int = 0
    cadence: tuple[int, ...] = ()
    finance_chats: set[int] = field(default_factory=set)
    ownerless_tickets: int = 0  # tickets whose owner is missing or deactivated (at the end)
    proposal_at: dict[int, datetime] = field(default_factory=dict)  # deal -> when it first reached 方案报价
    contract_stage: set[int] = field(default_factory=set)  # deals that reached 合同签署


def floor_rows(f: Figures, row_type: type[Row]) -> list[Row]:
    """The later floors' rows of the breakpoint table, counted as the rows above them: occurred (still open
    at the first sweep after its due moment, by the domain's own deadline), alerted to the responsible
    person (the recorded message), in one sweep, escalated when ignored."""
    r = f.r
    data: FloorData = r.db["floors"]
    team = r.team
    user_chat = r.user_chat

    def first_sweep(at: datetime) -> datetime:
        return r.sweeps[bisect.bisect_left(r.sweeps, at)] if at <= r.sweeps[-1] else r.end

    def still_open(done_at: datetime | None, due: datetime) -> bool:
        """Still waiting at the first sweep from which its alert could go out (working hours respected): done
        before it — or at its very moment, people acting before their step's sweeps — it needed none."""
        actionable = max(due, next_working_moment(due, team))
        return due <= r.end and (done_at is None or done_at > first_sweep(actionable))

    def key(kind: Kind) -> set[str]:
        return {kind.spec.key}

    # Slow quote approval: a step still pending at its due_at (the team's SLA, in working minutes, set by the
    # domain when it was asked). Its deciders are reminded; a full SLA later the admins are told.
    approval = row_type("slow quote approval", 0, note="approvers reminded at the SLA; admins at 2x")
    for step in data.approvals:
        if step.due_at is None or not still_open(step.decided_at, step.due_at):
            continue
        subject = (Subject.QUOTE_STEP.value, int(step.id))
        reminded = f.alerts(subject, notices=key(Kind.QUOTE_APPROVAL_REMINDER), managers=True, since=step.due_at)
        f.score(approval, step.due_at, reminded, f"approval step #{step.id} ({step.level})")
        escalation_due = add_working_minutes(step.due_at, data.quote_sla_minutes, team)
        if still_open(step.decided_at, escalation_due + r.step):
            approval.ignored += 1
            if f.alerts(subject, notices=key(Kind.QUOTE_APPROVAL_ESCALATED), managers=True):
                approval.escalated += 1

    # Contracts: unsigned at half the signing time (the owner nudged), and past the signing deadline (the
    # owner and the managers told, the same morning).
    half = row_type("contract unsigned at half time", 0, note="owner nudged")
    slow = row_type("slow contract (signing deadline passed)", 0, note="owner and manager told, daily")
    for c in data.contracts:
        owner_chat = {user_chat.get(int(c.owner_id), 0)}
        subject = (Subject.CONTRACT.value, int(c.id))
        half_at = watch.half_time(c.created_at, c.sign_by, team)
        if still_open(c.signed_at, half_at) and str(c.status) != "cancelled":
            f.score(half, half_at, f.alerts(subject, notices=key(Kind.CONTRACT_SIGN_HALF), chats=owner_chat,
                                            since=half_at - r.step), f"contract #{c.id}")
        deadline = watch.sign_deadline(c.sign_by, team)
        if still_open(c.signed_at, deadline) and str(c.status) != "cancelled":
            told = f.alerts(subject, notices=key(Kind.CONTRACT_SIGN_OVERDUE), chats=owner_chat, since=deadline)
            f.score(slow, deadline, told, f"contract #{c.id} due {c.sign_by}")
            slow.ignored += 1
            if f.alerts(subject, notices=key(Kind.CONTRACT_SIGN_OVERDUE), managers=True, since=deadline):
                slow.escalated += 1

    # Payments, by the team's reminder cadence: a milestone still unpaid when its due day's reminder comes
    # (the owner reminded), and when its first overdue step comes (the owner; from the escalation step on,
    # the manager and finance too). A contract signed later starts where the cadence stands.
    cadence = data.cadence
    on_day = next((i for i, d in enumerate(cadence) if d >= 0), None)
    overdue = next((i for i, d in enumerate(cadence) if d > 0), None)
    escalate = next((i for i, d in enumerate(cadence) if watch.escalates(d)), None)
    contracts = {int(c.id): c for c in data.contracts}
    due_row = row_type("payment falling due (reminder)", 0, note="owner reminded on the day")
    late_row = row_type("payment overdue", 0, note="owner reminded; manager and finance from 7 days")
    for m in data.milestones:
        contract = contracts.get(int(m.contract_id))
        if contract is None or contract.signed_at is None:
            continue
        owner_chat = {user_chat.get(int(contract.owner_id), 0)}
        subject = (Subject.MILESTONE.value, int(m.id))
        for row, index in ((due_row, on_day), (late_row, overdue)):
            if index is None:
                continue
            moment = watch.reminder_at(m.due_on, index, team, cadence)
            if moment is None:
                continue
            due = max(moment, contract.signed_at)
            if not still_open(m.paid_at, due):
                continue
            told = f.alerts(subject, notices=key(Kind.PAYMENT_DUE), chats=owner_chat, since=due - timedelta(minutes=1))
            f.score(row, due, told, f"milestone #{m.id} of contract #{contract.id} due {m.due_on}")
        if escalate is not None:
            moment = watch.reminder_at(m.due_on, escalate, team, cadence)
            if moment is not None and still_open(m.paid_at, max(moment, contract.signed_at)):
                late_row.ignored += 1
                if f.alerts(subject, notices=key(Kind.PAYMENT_OVERDUE), chats=data.finance_chats | r.managers):
                    late_row.escalated += 1

    # Tickets: each clock (first response, resolution) reaching 75% of its limit while the ticket is still
    # unanswered / unresolved (the owner nudged), and its limit (the managers told; again at 2x). The
    # simulated people never pause a ticket (等待客户), so each clock runs from its opening.
    near = row_type("after-sales ticket near its SLA (75%)", 0, note="owner nudged")
    over = row_type("after-sales ticket over SLA", 0, note="managers told at 100%; again at 2x")
    for t in data.tickets:
        subject = (Subject.TICKET.value, int(t.id))
        owner_chat = {user_chat.get(int(t.owner_id), 0)}
        for track, limit, done_at, due_kind, late_kind in (
            ("response", t.response_minutes, t.responded_at, Kind.TICKET_RESPONSE_DUE, Kind.TICKET_RESPONSE_LATE),
            ("resolve", t.resolve_minutes, t.resolved_at, Kind.TICKET_RESOLVE_DUE, Kind.TICKET_RESOLVE_LATE),
        ):
            clock = SlaClock(int(limit), 0, t.created_at)
            marks = [clock.moment_of(mark_minutes(int(limit), stage), team) for stage in (1, 2, 3)]
            warn_at, due, twice = marks
            assert warn_at is not None and due is not None and twice is not None
            if still_open(done_at, warn_at):
                if first_sweep(warn_at) >= due:
                    # No sweep of the run came between the two marks (P1: 15 working minutes apart, the run's
                    # steps may be longer than the bot's sweep interval): the bot says only the highest mark.
                    near.asides["past 100% by the next sweep (only the highest mark is said)"] += 1
                else:
                    f.score(near, warn_at, f.alerts(subject, notices=key(due_kind), chats=owner_chat),
                            f"ticket #{t.id} {track}")
            if still_open(done_at, due):
                told = f.alerts(subject, notices=key(late_kind), managers=True, contains=":100:")
                f.score(over, due, told, f"ticket #{t.id} {track} due {local(due, team.timezone):%m-%d %H:%M}")
                if still_open(done_at, twice):
                    over.ignored += 1
                    if f.alerts(subject, notices=key(late_kind), managers=True, contains=":200:"):
                        over.escalated += 1
    return [approval, half, slow, due_row, late_row, near, over]


def floor_figures(r: Any) -> dict[str, Any]:
    """The team's own figures past the proposal, from the database."""
    data: FloorData = r.db["floors"]
    median = statistics.median

    def hours(a: datetime | None, b: datetime | None) -> float | None:
        return None if a is None or b is None else (b - a).total_seconds() / 3600

    sent_by_deal: dict[int, datetime] = {}
    for q in data.quotes:
        if q.sent_at is not None:
            deal = int(q.opportunity_id)
            sent_by_deal[deal] = min(sent_by_deal.get(deal, q.sent_at), q.sent_at)
    to_quote = [h for d, at in data.proposal_at.items() if (h := hours(at, sent_by_deal.get(d))) is not None and h >= 0]
    approvals = [h for s in data.approvals if (h := hours(s.requested_at, s.decided_at)) is not None
                 and str(getattr(s.state, "value", s.state)) in ("approved", "rejected")]
    sent = [c for c in data.contracts if c.sent_at is not None]
    signed = [h for c in sent if (h := hours(c.sent_at, c.signed_at)) is not None]
    due_by_end = [m for m in data.milestones if m.due_on <= local(r.end, r.team.timezone).date()
                  and any(int(c.id) == int(m.contract_id) and c.signed_at is not None for c in data.contracts)]
    on_time = [m for m in due_by_end if m.paid_at is not None
               and local(m.paid_at, r.team.timezone).date() <= m.due_on]
    collected = sum(int(c.paid_minor) for c in data.contracts)
    tickets = data.tickets
    responded_in = sum(1 for t in tickets if t.responded_at is not None
                       and t.responded_at <= (SlaClock(int(t.response_minutes), 0, t.created_at).due(r.team) or t.responded_at))
    resolved_in = sum(1 for t in tickets if t.resolved_at is not None
                      and t.resolved_at <= (SlaClock(int(t.resolve_minutes), 0, t.created_at).due(r.team) or t.resolved_at))
    answered = [s for s in data.surveys if s.score is not None]
    running = sum(1 for t in tickets if str(getattr(t.status, "value", t.status)) in {s.value for s in RUNNING})
    return {
        "to_quote_h": median(to_quote) if to_quote else math.nan, "quoted": len(to_quote),
        "approval_h": median(approvals) if approvals else math.nan, "approvals": len(approvals),
        "quotes_accepted": len(data.contract_stage),
        "contracts_sent": len(sent), "signed": len(signed), "sign_h": median(signed) if signed else math.nan,
        "milestones_due": len(due_by_end), "paid_on_time": len(on_time), "collected": collected / 100,
        "tickets": len(tickets), "responded_in": responded_in, "resolved_in": resolved_in, "tickets_open": running,
        "surveys": len(data.surveys), "answered": len(answered),
        "score": statistics.mean(s.score for s in answered) if answered else math.nan,
        "low": sum(1 for s in answered if s.score <= LOW_SCORE),
    }


def unsigned(status: object) -> bool:
    return str(getattr(status, "value", status)) in {s.value for s in UNSIGNED}
