"""Helpers for the after-sales tests: moments in Shanghai time, a ticket opened through the service, the
survey link a rep got in chat."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

from bot.factory import App
from bot.sandbox import Person
from domain.team.model import User
from domain.tickets import services as tickets
from domain.tickets.model import Category, Priority, Ticket, TicketDraft

LINK = re.compile(r"\?start=(s_[A-Za-z0-9_-]+)")


def shanghai(day: int, hour: int, minute: int = 0) -> datetime:
    """A moment in November 2026 in Shanghai time; the 26th is a Thursday (the team works 09-21, Mon-Sat)."""
    return datetime(2026, 11, day, hour, minute, tzinfo=UTC) - timedelta(hours=8)


async def open_ticket(
    app: App, actor: User, deal_id: int | None, priority: Priority = Priority.P1, company: str | None = None
) -> Ticket:
    async with app.uow() as uow:
        ticket = await tickets.open_ticket(uow, actor=actor, draft=TicketDraft(
            category=Category.FAULT, priority=priority, description="系统登录不了", opportunity_id=deal_id,
            company=company,
        ), now=app.clock.now())
        await uow.commit()
    return ticket


async def ticket_row(app: App, ticket_id: int) -> Ticket:
    async with app.uow() as uow:
        ticket = await uow.tickets.get(ticket_id)
    assert ticket is not None
    return ticket


def survey_payload(person: Person) -> str:
    """The survey link's payload from the last message that carries one."""
    for sent in reversed(person.chat()):
        found = LINK.search(sent.text or "")
        if found:
            return found.group(1)
    raise AssertionError("no survey link in this chat")
