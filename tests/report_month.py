"""A small team's November 2026 (Asia/Shanghai), written straight into the tables, with the numbers a
manager would count by hand (tests/test_reports_storage.py states each one and why).

Team 华东 (A): manager 老周, reps 小王 and 小李. Team 华南 (B): one rep and one won deal, which team A's
reports must never show. Times are team-local wall times."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import insert, update
from sqlalchemy.ext.asyncio import AsyncSession

from storage.tables import (
    activities,
    audit_events,
    contract_milestones,
    contracts,
    handoffs,
    leads,
    notifications,
    opportunities,
    quote_approvals,
    quotes,
    reminders,
    stage_changes,
    teams,
    tickets,
    users,
)

TZ = "Asia/Shanghai"
SH = ZoneInfo(TZ)
# The report is asked for at 10:00 on 1 December, local.
NOW = datetime(2026, 12, 1, 10, 0, tzinfo=SH).astimezone(UTC)


def L(month: int, day: int, hour: int = 10, minute: int = 0) -> datetime:
    """A team-local wall time as a UTC moment."""
    return datetime(2026, month, day, hour, minute, tzinfo=SH).astimezone(UTC)


def N(day: int, hour: int = 10, minute: int = 0) -> datetime:
    return L(11, day, hour, minute)


@dataclass
class Month:
    team_a: int
    team_b: int
    manager: int
    wang: int
    li: int
    deals: dict[str, int]


class Seeder:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session
        self.count = 0

    async def add(self, table: Any, **values: Any) -> int:
        result = await self.session.execute(insert(table).values(**values).returning(table.c.id))
        return int(result.scalar_one())

    async def team(self, name: str) -> int:
        return await self.add(teams, name=name, timezone=TZ, work_start=time(9), work_end=time(21), work_days="012345")

    async def user(self, name: str, role: str, team: int) -> int:
        self.count += 1
        return await self.add(
            users, telegram_id=9000 + self.count, name=name, role=role, team_id=team, active=True, reachable=True,
        )

    async def lead(self, team: int, by: int, source: str, at: datetime, status: str = "converted") -> int:
        return await self.add(
            leads, team_id=team, created_by=by, company=f"公司{at:%m%d%H%M}", company_key=f"k{at:%m%d%H%M}",
            source=source, budget="unknown", authority="no", timeline="unknown", score_reasons=[], status=status,
            created_at=at,
        )

    async def deal(
        self, team: int, lead: int, owner: int | None, stage: str, at: datetime, moves: list[tuple[str, datetime]],
        **more: Any,
    ) -> int:
        deal = await self.add(
            opportunities, team_id=team, lead_id=lead, title="deal", owner_id=owner, stage=stage, currency="CNY",
            claimed_from_pool=False, created_at=at, owner_since=more.pop("owner_since", at if owner else None), **more,
        )
        previous = None
        for to, when in [("qualified", at), *moves]:
            await self.add(
                stage_changes, opportunity_id=deal, team_id=team, from_stage=previous, to_stage=to, actor_id=owner, at=when,
                override=False,
            )
            previous = to
        return deal

    async def activity(self, team: int, deal: int, actor: int, kind: str, at: datetime) -> None:
        await self.add(activities, team_id=team, opportunity_id=deal, actor_id=actor, kind=kind, at=at)

    async def handoff(self, team: int, deal: int, to: int, asked: datetime, minutes: int, state: str,
                      decided: datetime | None = None) -> None:
        from datetime import timedelta

        await self.add(
            handoffs, team_id=team, opportunity_id=deal, to_user_id=to, requested_at=asked,
            deadline_at=asked + timedelta(minutes=minutes), state=state, decided_at=decided, attempt=1,
        )

    async def quote(self, team: int, deal: int, owner: int, seq: int, status: str, at: datetime, **more: Any) -> int:
        values: dict[str, Any] = dict(
            team_id=team, opportunity_id=deal, owner_id=owner, year=2026, seq=seq, version=1, status=status,
            currency="CNY", discount_bp=0, valid_until=at.date(), needs=[], covered=[], total_minor=0, created_at=at,
            expiry_nudged=False,
        )
        values.update(more)
        return await self.add(quotes, **values)

    async def step(self, team: int, quote: int, step: int, level: str, state: str, asked: datetime, due: datetime,
                   decided: datetime | None = None) -> None:
        await self.add(
            quote_approvals, quote_id=quote, team_id=team, step=step, level=level, state=state, requested_at=asked,
            due_at=due, sla_stage=0, decided_at=decided,
        )

    async def notice(self, team: int, to: int, key: str, subject: str, about: int, at: datetime,
                     state: str = "sent") -> None:
        self.count += 1
        await self.add(
            notifications, kind="x", team_id=team, recipient_id=to, chat_id=1, text="…", urgent=False,
            not_before=at, dedupe_key=f"fixture:{self.count}", state=state, attempts=0, next_attempt_at=at,
            created_at=at, subject_kind=subject, subject_id=about, notice=key,
        )

    async def contract(self, team: int, deal: int, owner: int, seq: int, status: str, **more: Any) -> int:
        values: dict[str, Any] = dict(
            team_id=team, opportunity_id=deal, owner_id=owner, created_by=owner, year=2026, seq=seq,
            amount_minor=10_000_000, currency="CNY", status=status, sign_by=date(2026, 10, 31), created_at=L(10, 1),
            provider="chat", paid_minor=0, sign_stage=0,
        )
        values.update(more)
        return await self.add(contracts, **values)

    async def milestone(self, team: int, contract: int, position: int, due: date, amount: int,
                        paid: int = 0, paid_at: datetime | None = None) -> int:
        return await self.add(
            contract_milestones, contract_id=contract, team_id=team, position=position, label=f"第{position}期",
            amount_minor=amount, currency="CNY", due_on=due, paid_minor=paid, paid_at=paid_at, remind_step=0,
        )

    async def ticket(self, team: int, owner: int, status: str, at: datetime, **more: Any) -> int:
        values: dict[str, Any] = dict(
            team_id=team, company="客户", company_key="kehu", category="fault", priority="p2", status=status,
            description="坏了", created_by=owner, owner_id=owner, created_at=at, response_minutes=240,
            resolve_minutes=2160, resolve_used=0, response_stage=0, resolve_stage=0,
        )
        values.update(more)
        return await self.add(tickets, **values)

    async def audit(self, team: int, action: str, entity: str, entity_id: int, at: datetime) -> None:
        await self.add(audit_events, at=at, team_id=team, action=action, entity=entity, entity_id=entity_id)

    async def reminder(self, team: int, user: int, deal: int, due: datetime, state: str,
                       escalated: datetime | None = None) -> None:
        await self.add(
            reminders, user_id=user, team_id=team, text="回访", due_at=due, state=state, explicit=False,
            subject_kind="opportunity", subject_id=deal, created_at=due, snoozes=0, escalated_at=escalated,
        )


async def seed_month(session: AsyncSession) -> Month:
    s = Seeder(session)
    a, b = await s.team("华东"), await s.team("华南")
    boss, wang, li = await s.user("老周", "manager", a), await s.user("小王", "rep", a), await s.user("小李", "rep", a)
    other = await s.user("阿强", "rep", b)
    d: dict[str, int] = {}

    # D1 (小王, 官网): through every stage to won, ¥100,000.00.
    l1 = await s.lead(a, wang, "website", N(2))
    d["D1"] = await s.deal(a, l1, wang, "won", N(2), [
        ("following_up", N(3)), ("proposal", N(6)), ("contract", N(8)), ("won", N(10)),
    ], amount_minor=10_000_000)
    # D2 (小李, 转介绍): lost from following-up on price, ¥50,000.00.
    l2 = await s.lead(a, li, "referral", N(4, 9))
    d["D2"] = await s.deal(a, l2, li, "lost", N(4, 9), [("following_up", N(4, 21)), ("lost", N(12, 9))],
                           amount_minor=5_000_000, lost_reason="价格太高")
    # D3 (小王, 官网): into proposal, back to following-up, into proposal again (re-enters), silent.
    l3 = await s.lead(a, wang, "website", N(5))
    d["D3"] = await s.deal(a, l3, wang, "proposal", N(5), [
        ("following_up", N(7)), ("proposal", N(9)), ("following_up", N(10)), ("proposal", N(12)),
    ], silence_level=1, last_activity_at=N(16))
    # D4: captured at 23:30 on the last evening (local 30 Nov, UTC 15:30): in November; its hand-off to
    # 小李 is still pending, its deadline local midnight (the period's end, so it went late in December).
    l4 = await s.lead(a, boss, "event", N(30, 23, 30))
    d["D4"] = await s.deal(a, l4, None, "qualified", N(30, 23, 30), [])
    # D5: captured at 00:30 on 1 December local (UTC still 30 Nov): not in November.
    l5 = await s.lead(a, boss, "event", L(12, 1, 0, 30))
    d["D5"] = await s.deal(a, l5, wang, "qualified", L(12, 1, 0, 30), [])
    # D6 (小王, 官网): captured 07:30 on 1 November local (UTC 31 Oct): in November; lost, no budget.
    l6 = await s.lead(a, wang, "website", N(1, 7, 30))
    d["D6"] = await s.deal(a, l6, wang, "lost", N(1, 7, 30), [("lost", N(20))], lost_reason="没预算")
    # A lead below the threshold, never a deal.
    await s.lead(a, wang, "event", N(15), status="nurture")
    # D9: an October deal recycled from 小李 into the pool on 21 November.
    l9 = await s.lead(a, li, "other", L(10, 10))
    d["D9"] = await s.deal(a, l9, None, "following_up", L(10, 10), [("following_up", L(10, 12))],
                           pooled_at=N(21), recycled_from_id=li)
    # D10: an October deal reassigned to 小李 on 25 November, nothing logged by her since.
    l10 = await s.lead(a, boss, "other", L(10, 20))
    d["D10"] = await s.deal(a, l10, li, "following_up", L(10, 20), [("following_up", L(10, 21))],
                            owner_since=N(25), last_activity_at=L(10, 25))
    # Team B: one won deal in November (never in team A's numbers).
    l7 = await s.lead(b, other, "website", N(10))
    d["D7"] = await s.deal(b, l7, other, "won", N(10), [("won", N(15))], amount_minor=99_900)

    # Follow-ups logged (a note is not a contact with the customer).
    await s.activity(a, d["D1"], wang, "call", N(2, 14))
    await s.activity(a, d["D2"], li, "note", N(4, 10))
    await s.activity(a, d["D2"], li, "visit", N(5, 9))
    await s.activity(a, d["D3"], wang, "message", N(8))
    await s.activity(a, d["D3"], wang, "call", N(16))
    await s.activity(b, d["D7"], other, "call", N(11))

    # Hand-offs: D1 accepted in 20 minutes; D2 expired at 小王, then accepted late by 小李 (90 minutes);
    # D4 waits for 小李 past its deadline.
    await s.handoff(a, d["D1"], wang, N(2), 30, "accepted", N(2, 10, 20))
    await s.handoff(a, d["D2"], wang, N(4, 9), 30, "expired", N(4, 9, 31))
    await s.handoff(a, d["D2"], li, N(4, 9, 31), 30, "accepted", N(4, 11, 1))
    await s.handoff(a, d["D4"], li, N(30, 23, 30), 30, "pending")
    await s.notice(a, wang, "handoff-expired-assignee", "handoff", 2, N(4, 9, 31))
    await s.notice(a, boss, "handoff-expired-manager", "handoff", 2, N(4, 9, 31))

    # Quotes: Q1 (D1) needed both levels, approved 8 hours after submission (the admin late);
    # Q2 (D3) leaves one of two needs uncovered and waits for the manager past the SLA;
    # Q3 (D2) was rejected by the customer on price.
    q1 = await s.quote(a, d["D1"], wang, 1, "accepted", N(6), needs=["CRM", "培训"], covered=[0, 1],
                       submitted_at=N(6), total_minor=10_000_000)
    await s.step(a, q1, 1, "manager", "approved", N(6), N(6, 14), N(6, 12))
    await s.step(a, q1, 2, "admin", "approved", N(6, 12), N(6, 16), N(6, 18))
    q2 = await s.quote(a, d["D3"], wang, 2, "pending", N(9), needs=["仓储", "报表"], covered=[0], submitted_at=N(9))
    await s.step(a, q2, 1, "manager", "pending", N(9), N(9, 14))
    await s.notice(a, boss, "quote-approval-reminder", "quote_step", 3, N(9, 14))
    await s.notice(a, boss, "quote-approval-escalated", "quote_step", 3, N(9, 18))
    await s.quote(a, d["D2"], li, 3, "rejected", N(10), submitted_at=N(10), decided_at=N(11),
                  customer_reason="价格太高", total_minor=4_000_000)

    # The silence watch on D3: the owner nudged, later the manager; a nudge cancelled before it went.
    await s.notice(a, wang, "followup-stale-owner", "opportunity", d["D3"], N(16))
    await s.notice(a, wang, "followup-stale-owner", "opportunity", d["D3"], N(20), state="cancelled")
    await s.notice(a, boss, "followup-stale-manager", "opportunity", d["D3"], N(23))
    # The pool: D9's old owner and the manager were told.
    await s.notice(a, li, "recycle-old-owner", "opportunity", d["D9"], N(21))
    await s.notice(a, boss, "recycle-manager", "opportunity", d["D9"], N(21))
    await s.notice(b, other, "followup-stale-owner", "opportunity", d["D7"], N(12))

    # Next steps: 小王 one on time, one escalated; 小李 one done after the escalation; a cancelled one and
    # one due in December do not count.
    await s.reminder(a, wang, d["D1"], N(3), "done")
    await s.reminder(a, wang, d["D3"], N(12), "sent", escalated=N(13, 21))
    await s.reminder(a, li, d["D2"], N(5), "done", escalated=N(6, 21))
    await s.reminder(a, li, d["D2"], N(7), "cancelled")
    await s.reminder(a, wang, d["D3"], L(12, 2), "pending")

    await seed_money_and_service(s, a, b, boss, wang, li, other, d)
    return Month(a, b, boss, wang, li, d)


async def seed_money_and_service(
    s: Seeder, a: int, b: int, boss: int, wang: int, li: int, other: int, d: dict[str, int]
) -> None:
    """Payment plans, signing deadlines and after-sales tickets (the board's overdue-payments, slow-contracts
    and late-tickets rows)."""
    # HT-1 (D1, 小王, collecting): 1st due 12 Nov, paid at 23:30 that evening: on time. 2nd due 15 Nov,
    # paid at 07:00 on the 16th (UTC still the 15th): late. 3rd due 28 Nov, unpaid: overdue now.
    # 4th due today (1 Dec): not overdue yet.
    c1 = await s.contract(a, d["D1"], wang, 1, "active")
    m1 = await s.milestone(a, c1, 1, date(2026, 11, 12), 3_000_000, 3_000_000, N(12, 23, 30))
    await s.milestone(a, c1, 2, date(2026, 11, 15), 3_000_000, 3_000_000, N(16, 7))
    m3 = await s.milestone(a, c1, 3, date(2026, 11, 28), 2_000_000, 500_000)
    await s.milestone(a, c1, 4, date(2026, 12, 1), 2_000_000)
    # HT-2 (D10, 小李, signed): due 20 October, unpaid: overdue now, since 21 October.
    c2 = await s.contract(a, d["D10"], li, 2, "signed")
    await s.milestone(a, c2, 1, date(2026, 10, 20), 10_000_000)
    # A cancelled contract's milestone and team B's do not count.
    c3 = await s.contract(a, d["D3"], wang, 3, "cancelled")
    await s.milestone(a, c3, 1, date(2026, 11, 10), 10_000_000)
    c4 = await s.contract(b, d["D7"], other, 1, "active")
    await s.milestone(b, c4, 1, date(2026, 11, 10), 10_000_000)
    # The reminder cadence: 小王 twice, the manager once (escalated); team B's does not count.
    await s.notice(a, wang, "payment-due", "milestone", m1, N(11))
    await s.notice(a, wang, "payment-due", "milestone", m3, N(29))
    await s.notice(a, boss, "payment-overdue", "milestone", m3, N(29))
    await s.notice(b, other, "payment-due", "milestone", m3, N(11))

    # Signing deadlines (the team's local day, inclusive). K1 (D3, 小王) sent on the 13th, to be signed by
    # the 20th: unsigned, past it since local midnight on the 21st; the watch told 小王 at half the time,
    # then 小王 and the manager (escalated) on the 21st. K2 (D10, 小李) still a draft, to be signed by
    # 30 October: past it now, not November's. K3 (D1, 小王) due the 10th, signed at 07:00 on the 11th
    # (UTC still the 10th: the team's day counts): late, in November. K4 (D10, 小李) due the 25th, signed at
    # 23:30 that evening: on time (小李 was nudged at half the time). K5 due today: not late yet. K6 was
    # cancelled unsigned past its deadline: no longer counts. Team B's K7 is past its deadline too.
    k1 = await s.contract(a, d["D3"], wang, 5, "sent", sign_by=date(2026, 11, 20), created_at=N(12), sent_at=N(13))
    await s.contract(a, d["D10"], li, 6, "draft", sign_by=date(2026, 10, 30), created_at=L(10, 26))
    await s.contract(a, d["D1"], wang, 7, "signed", sign_by=date(2026, 11, 10), created_at=N(3), sent_at=N(4),
                     signed_at=N(11, 7))
    k4 = await s.contract(a, d["D10"], li, 8, "active", sign_by=date(2026, 11, 25), created_at=N(16), sent_at=N(16),
                          signed_at=N(25, 23, 30))
    await s.contract(a, d["D3"], wang, 9, "sent", sign_by=date(2026, 12, 1), created_at=N(24), sent_at=N(24))
    await s.contract(a, d["D3"], wang, 10, "cancelled", sign_by=date(2026, 11, 5), created_at=N(1, 12))
    k7 = await s.contract(b, d["D7"], other, 2, "sent", sign_by=date(2026, 11, 15), created_at=N(10), sent_at=N(10))
    await s.notice(a, wang, "contract-sign-half", "contract", k1, N(17))
    await s.notice(a, wang, "contract-sign-overdue", "contract", k1, N(21, 9))
    await s.notice(a, boss, "contract-sign-overdue", "contract", k1, N(21, 9))
    await s.notice(a, li, "contract-sign-half", "contract", k4, N(21, 9))
    await s.notice(b, other, "contract-sign-overdue", "contract", k7, N(16, 9))

    # Tickets. T1 (小王) past its resolution limit since the 24th; T2 (小李) unanswered past its response
    # limit (the watch said so on 1 December); T3's owner left the team: nobody holds it.
    # T4 (小王) went past its limit on the 5th (and 2x on the 6th), then was resolved; T5 (小李) answered
    # late on the 9th, then back on track. Team B's late ticket does not count.
    gone = await s.user("老陈", "rep", a)
    await s.session.execute(update(users).where(users.c.id == gone).values(active=False))
    t1 = await s.ticket(a, wang, "in_progress", N(20), responded_at=N(20, 11), response_stage=0, resolve_stage=2)
    t2 = await s.ticket(a, li, "new", N(26), response_stage=2)
    await s.ticket(a, gone, "new", N(27))
    t4 = await s.ticket(a, wang, "resolved", N(3), responded_at=N(3, 11), resolve_stage=3, resolved_at=N(8))
    t5 = await s.ticket(a, li, "in_progress", N(8), responded_at=N(10), response_stage=2, resolve_stage=1)
    t6 = await s.ticket(b, other, "new", N(20), response_stage=2)
    await s.audit(a, "ticket.sla.resolve.2", "ticket", t1, N(24))
    await s.audit(a, "ticket.sla.response.2", "ticket", t2, L(12, 1, 9))
    await s.audit(a, "ticket.sla.resolve.2", "ticket", t4, N(5))
    await s.audit(a, "ticket.sla.resolve.3", "ticket", t4, N(6))
    await s.audit(a, "ticket.sla.response.2", "ticket", t5, N(9))
    await s.audit(a, "ticket.sla.resolve.1", "ticket", t5, N(12))
    await s.audit(b, "ticket.sla.response.2", "ticket", t6, N(21))
    await s.notice(a, wang, "ticket-resolve-due", "ticket", t1, N(22))
    await s.notice(a, boss, "ticket-resolve-late", "ticket", t1, N(24))
    await s.notice(a, boss, "ticket-response-late", "ticket", t5, N(9))
    await s.notice(b, other, "ticket-response-late", "ticket", t6, N(21))
