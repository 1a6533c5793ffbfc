"""The morning agenda: each person's day, in the team's time zone."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from itertools import groupby

from domain.assist.model import AgendaQuestion
from domain.assist.services import agenda_of as questions_of
from domain.contracts.model import ReceivableLine
from domain.contracts.receivables import PaymentAgenda, payment_agenda
from domain.delivery.model import AgendaItem
from domain.delivery.services import agenda_of, item_label
from domain.digests import DigestSchedule
from domain.followup.rules import AgendaLine
from domain.outbox.kinds import Kind
from domain.outbox.model import Phrase
from domain.outbox.notify import Notice, tell_user
from domain.ports import UnitOfWork
from domain.quotes.text import money_text
from domain.team.model import Team
from domain.worktime import day_bounds, local

AGENDA_SHOWN = 15  # lines per section; the count says how many there are in all


def _agenda_line(line: AgendaLine, tz: str, with_date: bool) -> str:
    # Times in the team's timezone, in a form both languages read; the renderer escapes the texts.
    at = local(line.at, tz)
    stamp = f"{at:%m-%d %H:%M}" if with_date else f"{at:%H:%M}"
    if line.section == "handoff":
        return f"• {line.text} ⏳ {stamp}"
    if line.company is None:
        return f"• {stamp} {line.text}"
    return f"• {stamp} {line.company}" + (f" — {line.step}" if line.step else "")


def _agenda_items(lines: Sequence[AgendaLine], tz: str, with_date: bool) -> str:
    shown = "\n".join(_agenda_line(line, tz, with_date) for line in lines[:AGENDA_SHOWN])
    return shown + ("\n…" if len(lines) > AGENDA_SHOWN else "")


def _payments(money: PaymentAgenda | None) -> Phrase | str:
    """The agenda's money section (domain/contracts/): payments due today, overdue, waiting to be confirmed."""
    if money is None:
        return ""

    def items(lines: Sequence[ReceivableLine]) -> str:
        shown = "\n".join(f"• {line.number} {line.company} {line.position}. {line.label} {money_text(line.outstanding)}"
                          for line in lines[:AGENDA_SHOWN])
        return shown + ("\n…" if len(lines) > AGENDA_SHOWN else "")

    return Phrase("payment-agenda", {
        "due": Phrase("payment-agenda-due", {"count": len(money.due_today), "items": items(money.due_today)})
        if money.due_today else "",
        "overdue": Phrase("payment-agenda-overdue", {"count": len(money.overdue), "items": items(money.overdue)})
        if money.overdue else "",
        "waiting": Phrase("payment-agenda-waiting", {"count": money.waiting}) if money.waiting else "",
    })


def _delivery_section(items: Sequence[AgendaItem], start: datetime) -> Phrase | str:
    if not items:
        return ""
    lines = tuple(
        Phrase("delivery-agenda-line", {
            "company": item.company, "item": item_label(item), "due": item.due_at,
            "late": Phrase("delivery-agenda-late") if item.due_at < start else "",
        })
        for item in items[:AGENDA_SHOWN]
    )
    return Phrase("delivery-agenda", {"count": len(items), "items": lines})


def _assist_section(questions: Sequence[AgendaQuestion], start: datetime) -> Phrase | str:
    """Questions colleagues asked this person (cross-team help), soonest deadline first."""
    if not questions:
        return ""
    lines = tuple(
        Phrase("assist-agenda-line", {
            "company": q.company, "asker": q.asker, "due": q.due_at,
            "late": Phrase("delivery-agenda-late") if q.due_at < start else "",
        })
        for q in questions[:AGENDA_SHOWN]
    )
    return Phrase("assist-agenda", {"count": len(questions), "items": lines})


async def compose_agenda(uow: UnitOfWork, team: Team, day: date, now: datetime) -> int:
    """The morning agenda: each person gets one message with what is ahead today (their reminders and
    follow-ups), follow-ups nudged on earlier days and not acted on, hand-offs waiting for them to
    accept, delivery items due, questions colleagues asked them, and money: payments due today or overdue on their contracts, payments
    waiting for their confirmation (finance). Nobody with nothing to do hears anything."""
    assert team.id is not None
    start, end = day_bounds(day, team.timezone)
    lines = await uow.followups.agenda(team.id, start, end, now)
    money = await payment_agenda(uow, team.id, day)
    grouped: dict[int, list[AgendaLine]] = {}
    for user_id, items in groupby(lines, key=lambda line: line.user_id):
        grouped.setdefault(user_id, []).extend(items)
    delivery: dict[int, list[AgendaItem]] = {}
    for owner, found in groupby(await agenda_of(uow, team.id, end), key=lambda i: i.owner_id):
        delivery.setdefault(owner, []).extend(found)
    asked: dict[int, list[AgendaQuestion]] = {}
    for helper, waiting in groupby(await questions_of(uow, team.id), key=lambda q: q.helper_id):
        asked.setdefault(helper, []).extend(waiting)
    queued = 0
    for user_id in sorted({*grouped, *money, *delivery, *asked}):
        mine = grouped.get(user_id, [])
        today = [line for line in mine if line.section == "today"]
        overdue = [line for line in mine if line.section == "overdue"]
        handoffs = [line for line in mine if line.section == "handoff"]
        followups = overdue or handoffs or any(line.company is not None for line in today)
        params: dict[str, object] = {
            "head": Phrase("digest-agenda", {"count": len(today), "items": _agenda_items(today, team.timezone, False)})
            if today else Phrase("followup-agenda-head"),
            "overdue": Phrase(
                "followup-agenda-overdue", {"count": len(overdue), "items": _agenda_items(overdue, team.timezone, True)}
            ) if overdue else "",
            "handoffs": Phrase(
                "followup-agenda-handoffs", {"count": len(handoffs), "items": _agenda_items(handoffs, team.timezone, True)}
            ) if handoffs else "",
            # Delivery items (交付) due today or overdue, their owner's to tick off.
            "delivery": _delivery_section(delivery.get(user_id, []), start),
            # Only personal reminders: the reminder says what to do; follow-ups get the how.
            "next": Phrase("followup-agenda-next") if followups else "",
            "payments": _payments(money.get(user_id)),
            "assist": _assist_section(asked.get(user_id, []), start),
        }
        notice = Notice(Kind.AGENDA, about=team.id, refs={"day": day.isoformat()}, params=params)
        if await tell_user(uow, user_id, notice, team_id=team.id, now=now) is not None:
            queued += 1
    return queued


DAILY_AGENDA = DigestSchedule(kind="agenda", compose=compose_agenda)
