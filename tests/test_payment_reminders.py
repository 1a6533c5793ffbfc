"""The contract watches with a fake clock, on SQLite and PostgreSQL: the signing deadline (the owner at half
the time, the owner and the manager once it passes, once a day) and the payment reminder cadence (7 and 1
days before, the due day, then 1, 7, 14, 21, 28 days overdue; from 7 days overdue the manager and finance
too), across a month end and in two time zones. And what must not go out: a notice whose subject moved
on before it was sent (signed before the nudge, paid before the reminder, confirmed before finance's card)."""

from __future__ import annotations

import hashlib
from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy import select

from bot.factory import App
from bot.outbox import outbox_of
from bot.sandbox import Sandbox
from bot.sweeps import run_sweeps
from domain.contracts import services as contracts
from domain.contracts.model import PaymentMethod
from domain.contracts.plan import Part
from domain.contracts.ports import SignatureEvent
from domain.contracts.signature import IN_CHAT
from domain.contracts.sweeps import PAYMENT_SWEEP, SIGNING_SWEEP
from domain.money import Money
from domain.outbox.kinds import Kind
from domain.team.model import Role, User
from storage.tables import notifications
from tests.conftest import join
from tests.deal_support import member, seed_deal
from tests.fakes import FakeClock

NY = "America/New_York"


def utc(y: int, m: int, d: int, h: int, minute: int = 0) -> datetime:
    return datetime(y, m, d, h, minute, tzinfo=UTC)


async def people(app: App, sandbox: Sandbox, team: str = "华东销售部", tz: str = "Asia/Shanghai") -> dict[str, Any]:
    found = {}
    for name, role in (("经理", Role.MANAGER), ("销售", Role.REP), ("财务", Role.FINANCE)):
        person = await join(app, sandbox, f"{name}{team[:2]}", role, team=team, timezone=tz)
        found[name] = (person, await member(app, person))
    return found


async def contract_on(app: App, manager: User, rep: User, *, amount: int = 10_000_000) -> int:
    """A draft contract on a deal of `rep` for `amount`, drafted by the manager on the deal's amount."""
    deal_id = await seed_deal(app, rep, f"客户{amount}", amount_minor=amount)
    async with app.uow() as uow:
        contract = await contracts.open_contract(uow, actor=manager, opportunity_id=deal_id, now=app.clock.now())
        await uow.commit()
    assert contract.id is not None
    return contract.id


async def plan(app: App, actor: User, contract_id: int, *due: date) -> list[int]:
    """Equal shares (the last takes the rounding) due on these days."""
    share = 10_000 // len(due)
    parts = [Part(f"第{n}期", day, percent_bp=share + (10_000 - share * len(due) if n == len(due) else 0))
             for n, day in enumerate(due, start=1)]
    async with app.uow() as uow:
        made = await contracts.set_plan(uow, actor=actor, contract_id=contract_id, parts=parts, now=app.clock.now())
        await uow.commit()
    return [m.id or 0 for m in made]


async def sign(app: App, actor: User, contract_id: int) -> None:
    async with app.uow() as uow:
        event = SignatureEvent(IN_CHAT, contract_id, "file-1", hashlib.sha256(b"x").hexdigest(), "signed.pdf")
        await contracts.record_signature(uow, actor=actor, event=event, now=app.clock.now())
        await uow.commit()


async def notices(app: App, kind: Kind, user: User | None = None) -> list[Any]:
    async with app.engine.connect() as conn:
        stmt = select(notifications).where(notifications.c.notice == kind.spec.key).order_by(notifications.c.id)
        rows = list((await conn.execute(stmt)).mappings())
    return [r for r in rows if user is None or r["recipient_id"] == user.id]


async def sweep_at(app: App, clock: FakeClock, at: datetime) -> None:
    clock.set(at)
    await run_sweeps(app, [SIGNING_SWEEP, PAYMENT_SWEEP])


# --- the payment cadence -----------------------------------------------------------------------------------


async def test_the_cadence_across_a_month_end_in_shanghai(app: App, sandbox: Sandbox, clock: FakeClock) -> None:
    """Due on Tuesday 1 December, signed on the 26th (too late for "7 days before"): 30 Nov, 1 Dec, 2 Dec,
    then 8 Dec with the manager and finance, each at 09:00 Shanghai."""
    p = await people(app, sandbox)
    manager, rep, finance = p["经理"][1], p["销售"][1], p["财务"][1]
    contract_id = await contract_on(app, manager, rep)
    await plan(app, rep, contract_id, date(2026, 12, 1))
    await sweep_at(app, clock, clock.now())
    assert not await notices(app, Kind.PAYMENT_DUE)  # no reminders before the contract is signed
    await sign(app, rep, contract_id)

    await sweep_at(app, clock, clock.now())  # Thursday 26 Nov 10:00
    await sweep_at(app, clock, utc(2026, 11, 30, 0, 59))  # 08:59 on the 30th: not yet
    assert not await notices(app, Kind.PAYMENT_DUE)
    await sweep_at(app, clock, utc(2026, 11, 30, 1, 0))
    await sweep_at(app, clock, utc(2026, 11, 30, 3, 0))  # a second run the same day says nothing more
    [first] = await notices(app, Kind.PAYMENT_DUE, rep)
    assert "还有 1 天到期" in first["text"] and "¥100,000.00" in first["text"] and "报回款" in first["reply_markup"]
    await sweep_at(app, clock, utc(2026, 12, 1, 1, 0))
    assert "今天到期" in (await notices(app, Kind.PAYMENT_DUE, rep))[-1]["text"]
    await sweep_at(app, clock, utc(2026, 12, 2, 1, 0))
    assert "已逾期 1 天" in (await notices(app, Kind.PAYMENT_DUE, rep))[-1]["text"]
    assert not await notices(app, Kind.PAYMENT_OVERDUE)
    await sweep_at(app, clock, utc(2026, 12, 7, 1, 0))  # 6 days overdue: no step today
    assert len(await notices(app, Kind.PAYMENT_DUE, rep)) == 3
    await sweep_at(app, clock, utc(2026, 12, 8, 1, 0))
    assert "已逾期 7 天" in (await notices(app, Kind.PAYMENT_DUE, rep))[-1]["text"]
    [to_manager] = await notices(app, Kind.PAYMENT_OVERDUE, manager)
    [to_finance] = await notices(app, Kind.PAYMENT_OVERDUE, finance)
    assert "回款逾期" in to_manager["text"] and "负责人 销售华东" in to_finance["text"]
    assert not await notices(app, Kind.PAYMENT_OVERDUE, rep)

    # A pause: the bot was down from the 9th to the 30th. One reminder says where it stands (28 days), no
    # backlog of the 14- and 21-day ones; and then the cadence is over.
    await sweep_at(app, clock, utc(2026, 12, 30, 2, 0))
    due = await notices(app, Kind.PAYMENT_DUE, rep)
    assert len(due) == 5 and "已逾期 29 天" in due[-1]["text"]
    await sweep_at(app, clock, utc(2027, 1, 30, 2, 0))
    assert len(await notices(app, Kind.PAYMENT_DUE, rep)) == 5


async def test_the_cadence_in_new_york_time(app: App, sandbox: Sandbox, clock: FakeClock) -> None:
    """A team in New York: its reminders fall at 09:00 New York (14:00 UTC in winter), on its own dates."""
    p = await people(app, sandbox, team="纽约销售部", tz=NY)
    manager, rep = p["经理"][1], p["销售"][1]
    clock.set(utc(2026, 11, 20, 15, 0))
    contract_id = await contract_on(app, manager, rep)
    await plan(app, rep, contract_id, date(2026, 12, 1))
    await sign(app, rep, contract_id)
    await sweep_at(app, clock, utc(2026, 11, 24, 13, 59))  # 08:59 in New York on the 24th
    assert not await notices(app, Kind.PAYMENT_DUE)
    await sweep_at(app, clock, utc(2026, 11, 24, 14, 0))
    [first] = await notices(app, Kind.PAYMENT_DUE, rep)
    assert "还有 7 天到期" in first["text"]
    await sweep_at(app, clock, utc(2026, 12, 1, 4, 0))  # 1 Dec in Shanghai, still 30 Nov 23:00 in New York
    texts = [r["text"] for r in await notices(app, Kind.PAYMENT_DUE, rep)]
    assert len(texts) == 2 and "还有 1 天到期" in texts[-1]
    await sweep_at(app, clock, utc(2026, 12, 1, 14, 0))
    assert "今天到期" in (await notices(app, Kind.PAYMENT_DUE, rep))[-1]["text"]


async def test_a_reminder_of_a_paid_milestone_is_never_sent(app: App, sandbox: Sandbox, clock: FakeClock) -> None:
    """The sweep queued the due-day reminder; finance recorded the money before it went out: the reminder is
    cancelled (kept, with why), and the second milestone's cadence goes on."""
    p = await people(app, sandbox)
    manager, (rep_p, rep), finance = p["经理"][1], p["销售"], p["财务"][1]
    contract_id = await contract_on(app, manager, rep)
    await plan(app, rep, contract_id, date(2026, 12, 1), date(2027, 1, 1))
    await sign(app, rep, contract_id)
    await sweep_at(app, clock, utc(2026, 12, 1, 1, 0))
    seen = len(rep_p.chat())
    async with app.uow() as uow:
        await contracts.record_payment(uow, actor=finance, contract_id=contract_id, amount=Money(5_000_000),
                                       paid_on=date(2026, 12, 1), method=PaymentMethod.BANK, now=clock.now())
        await uow.commit()
    await outbox_of(app).run_once()
    [due_day] = [r for r in await notices(app, Kind.PAYMENT_DUE, rep) if "今天到期" in r["text"]]
    assert "cancelled" in str(due_day["state"]) and "milestone.paid" in due_day["last_error"]
    assert all("第1期" not in text for text in (s.text for s in rep_p.chat()[seen:]))
    # The second milestone (due 1 January) still has its reminders: 7 days before, on 25 December.
    await sweep_at(app, clock, utc(2026, 12, 25, 1, 0))
    assert "第2期" in (await notices(app, Kind.PAYMENT_DUE, rep))[-1]["text"]


# --- the signing watch ---------------------------------------------------------------------------------------


async def test_the_signing_deadline_is_watched(app: App, sandbox: Sandbox, clock: FakeClock) -> None:
    """Opened Thursday 26 Nov 10:00, to be signed by Wednesday 2 Dec: the owner hears at half the time
    (Sunday evening, so on Monday at 09:00, the team's working hours), the owner and the manager once
    the deadline passed, and again each day, once a day, until it is signed."""
    p = await people(app, sandbox)
    manager, rep = p["经理"][1], p["销售"][1]
    contract_id = await contract_on(app, manager, rep)
    await plan(app, rep, contract_id, date(2026, 12, 10))
    await sweep_at(app, clock, utc(2026, 11, 29, 8, 59))
    assert not await notices(app, Kind.CONTRACT_SIGN_HALF)
    await sweep_at(app, clock, utc(2026, 11, 29, 9, 0))  # Sunday 17:00 in Shanghai
    [half] = await notices(app, Kind.CONTRACT_SIGN_HALF, rep)
    assert "签署时间已过半" in half["text"] and half["not_before"].replace(tzinfo=UTC) == utc(2026, 11, 30, 1, 0)
    await sweep_at(app, clock, utc(2026, 12, 2, 15, 59))
    assert not await notices(app, Kind.CONTRACT_SIGN_OVERDUE)
    await sweep_at(app, clock, utc(2026, 12, 2, 16, 0))  # midnight into 3 Dec in Shanghai
    await sweep_at(app, clock, utc(2026, 12, 2, 20, 0))  # again that night: nothing more
    assert len(await notices(app, Kind.CONTRACT_SIGN_OVERDUE, rep)) == 1
    [late] = await notices(app, Kind.CONTRACT_SIGN_OVERDUE, manager)
    assert "已过签署截止日 2026-12-02" in late["text"]
    await sweep_at(app, clock, utc(2026, 12, 4, 1, 0))  # the next morning: once more, to both
    assert len(await notices(app, Kind.CONTRACT_SIGN_OVERDUE, rep)) == 2
    assert len(await notices(app, Kind.CONTRACT_SIGN_OVERDUE, manager)) == 2
    await sign(app, rep, contract_id)
    await sweep_at(app, clock, utc(2026, 12, 5, 1, 0))
    assert len(await notices(app, Kind.CONTRACT_SIGN_OVERDUE, rep)) == 2


# --- stale before sending (tests/test_stale_notices.py STALE_STORIES) -----------------------------------------


async def test_signed_before_nine_no_signing_nudge(app: App, sandbox: Sandbox, clock: FakeClock) -> None:
    """Half the signing time passes on Sunday evening: the nudge waits for Monday 09:00; the rep uploads the
    signed copy at 08:00; at 09:00 the phone gets nothing."""
    p = await people(app, sandbox)
    manager, (rep_p, rep) = p["经理"][1], p["销售"]
    contract_id = await contract_on(app, manager, rep)
    await plan(app, rep, contract_id, date(2026, 12, 10))
    await sweep_at(app, clock, utc(2026, 11, 29, 9, 0))
    assert await notices(app, Kind.CONTRACT_SIGN_HALF, rep)
    clock.set(utc(2026, 11, 30, 0, 0))
    await sign(app, rep, contract_id)
    seen = len(rep_p.chat())
    clock.set(utc(2026, 11, 30, 1, 0))
    await outbox_of(app).run_once()
    assert not any("签署时间已过半" in s.text for s in rep_p.chat()[seen:])
    [row] = await notices(app, Kind.CONTRACT_SIGN_HALF, rep)
    assert "contract.signed" in (row["last_error"] or "")


async def test_signed_on_the_morning_after_the_deadline_nobody_hears_it_passed(
    app: App, sandbox: Sandbox, clock: FakeClock
) -> None:
    p = await people(app, sandbox)
    manager_p, manager = p["经理"]
    rep = p["销售"][1]
    contract_id = await contract_on(app, manager, rep)
    await plan(app, rep, contract_id, date(2026, 12, 10))
    await sweep_at(app, clock, utc(2026, 12, 2, 16, 0))  # midnight: queued for 09:00
    assert await notices(app, Kind.CONTRACT_SIGN_OVERDUE, manager)
    clock.set(utc(2026, 12, 3, 0, 30))
    await sign(app, rep, contract_id)
    seen = len(manager_p.chat())
    clock.set(utc(2026, 12, 3, 1, 0))
    await outbox_of(app).run_once()
    assert not any("签署截止" in s.text for s in manager_p.chat()[seen:])


async def test_paid_before_the_reminder_went_out_no_reminder_and_no_escalation(
    app: App, sandbox: Sandbox, clock: FakeClock
) -> None:
    """Seven days overdue: the sweep queued the owner's reminder and the manager's and finance's alert; the
    money is recorded before the dispatcher sends them: nobody is told to chase paid money."""
    p = await people(app, sandbox)
    (manager_p, manager), (rep_p, rep), (finance_p, finance) = p["经理"], p["销售"], p["财务"]
    contract_id = await contract_on(app, manager, rep)
    await plan(app, rep, contract_id, date(2026, 11, 27))
    await sign(app, rep, contract_id)
    await outbox_of(app).run_once()
    await sweep_at(app, clock, utc(2026, 12, 4, 1, 0))
    assert await notices(app, Kind.PAYMENT_OVERDUE, manager) and await notices(app, Kind.PAYMENT_DUE, rep)
    seen = {person.first_name: len(person.chat()) for person in (manager_p, rep_p, finance_p)}
    async with app.uow() as uow:
        await contracts.record_payment(uow, actor=finance, contract_id=contract_id, amount=Money(10_000_000),
                                       paid_on=date(2026, 12, 3), method=PaymentMethod.BANK, now=clock.now())
        await uow.commit()
    await outbox_of(app).run_once()
    for person in (manager_p, rep_p, finance_p):
        assert not any("逾期" in s.text for s in person.chat()[seen[person.first_name]:]), person.first_name


async def test_confirmed_before_nine_finance_gets_no_card(app: App, sandbox: Sandbox, clock: FakeClock) -> None:
    """The rep reports a payment at 22:30; the card waits for 09:00; at 08:30 finance confirms it from the
    contract; at 09:00 finance's phone gets no card for it."""
    p = await people(app, sandbox)
    manager, rep, (finance_p, finance) = p["经理"][1], p["销售"][1], p["财务"]
    contract_id = await contract_on(app, manager, rep)
    [first] = await plan(app, rep, contract_id, date(2026, 12, 1))
    await sign(app, rep, contract_id)
    clock.set(utc(2026, 11, 26, 14, 30))
    async with app.uow() as uow:
        payment = await contracts.report_payment(
            uow, actor=rep, contract_id=contract_id, milestone_id=first, amount=Money(10_000_000),
            paid_on=date(2026, 11, 26), method=PaymentMethod.BANK, receipt_file_id="r1", receipt_kind="document",
            now=clock.now())
        await uow.commit()
    [card] = await notices(app, Kind.PAYMENT_CARD, finance)
    assert card["not_before"].replace(tzinfo=UTC) == utc(2026, 11, 27, 1, 0)
    clock.set(utc(2026, 11, 27, 0, 30))
    async with app.uow() as uow:
        await contracts.confirm_payment(uow, actor=finance, payment_id=payment.id or 0, now=clock.now())
        await uow.commit()
    seen = len(finance_p.chat())
    clock.set(utc(2026, 11, 27, 1, 0))
    await outbox_of(app).run_once()
    assert not any("回款待确认" in s.text for s in finance_p.chat()[seen:])


async def a_quiet_week_of_contracts(app: App, sandbox: Sandbox, clock: FakeClock, manager: User, rep: User) -> None:
    """For the quiet week of tests/test_stale_notices.py, where every notice goes out: a contract opened on
    the 20th and still unsigned (its half-time nudge, then its deadline passing on the 27th), and a signed one
    whose milestone fell due on the 19th (the owner's reminder, the manager's and finance's alert) with a
    payment reported and not yet confirmed (finance's card)."""
    finance = await member(app, await join(app, sandbox, "财务小陈", Role.FINANCE))
    deal_id = await seed_deal(app, rep, "待签公司", amount_minor=5_000_000)
    back = clock.now()
    clock.set(back - timedelta(days=6))  # drafted on the 20th: to be signed by the 26th
    async with app.uow() as uow:
        draft = await contracts.open_contract(uow, actor=manager, opportunity_id=deal_id, now=clock.now())
        await uow.commit()
    clock.set(back)
    await plan(app, rep, draft.id or 0, date(2026, 12, 20))
    collecting = await contract_on(app, manager, rep, amount=8_000_000)
    [first] = await plan(app, rep, collecting, date(2026, 11, 19))
    await sign(app, rep, collecting)
    async with app.uow() as uow:
        await contracts.report_payment(
            uow, actor=rep, contract_id=collecting, milestone_id=first, amount=Money(1_000_000),
            paid_on=date(2026, 11, 26), method=PaymentMethod.BANK, receipt_file_id="r1", receipt_kind="photo",
            now=clock.now())
        await uow.commit()
    assert finance.id is not None
