"""Helpers for the /deals, /pool and /policy flow tests: people who joined through /start, deals seeded
through the services (as a captured lead would be), and what a person's phone shows."""

from __future__ import annotations

import itertools
from datetime import date
from typing import Any

from aiogram.methods import AnswerCallbackQuery
from sqlalchemy import select

from bot.factory import App
from bot.sandbox import Call, Person
from domain.deals import services as deals
from domain.deals.model import Stage
from domain.leads import services as lead_service
from domain.leads.model import Authority, Budget, LeadDraft, LeadSource, Timeline
from domain.money import Money
from domain.policy import services as policy_service
from domain.team.model import User
from storage.tables import notifications

_phones = itertools.count(1)


async def member(app: App, person: Person) -> User:
    async with app.uow() as uow:
        user = await uow.users.by_telegram_id(person.telegram_id)
    assert user is not None, person.first_name
    return user


def hot_lead(company: str, **changes: Any) -> LeadDraft:
    """A lead that scores 10/10, with a phone no other seeded lead has."""
    values: dict[str, Any] = {
        "company": company, "contact_name": "张总", "phone": f"1380013{next(_phones):04d}",
        "source": LeadSource.REFERRAL, "need": "想上一套 CRM 系统", "budget": Budget.KNOWN,
        "authority": Authority.DECISION_MAKER, "timeline": Timeline.THIS_MONTH, "industry": "制造",
    }
    values.update(changes)
    return LeadDraft(**values)


async def seed_deal(
    app: App, actor: User, company: str, *, keep: bool = True, amount_minor: int | None = None,
    close: date | None = None, **changes: Any,
) -> int:
    """A deal as a captured hot lead becomes one: kept by the capturing rep (self-assignment), or routed
    by the team's policy. Amount and expected close are set as the quote flow will set them."""
    async with app.uow() as uow:
        result = await lead_service.capture_lead(
            uow, actor=actor, draft=hot_lead(company, keep_myself=keep, **changes), now=app.clock.now()
        )
        assert result.opportunity is not None and result.opportunity.id is not None, result.outcome
        result.opportunity.amount = Money(amount_minor) if amount_minor is not None else None
        result.opportunity.expected_close = close
        await uow.commit()
    return result.opportunity.id


async def move(app: App, actor: User, deal_id: int, to: Stage, **kwargs: Any) -> None:
    async with app.uow() as uow:
        await deals.change_stage(uow, actor=actor, opportunity_id=deal_id, to=to, now=app.clock.now(), **kwargs)
        await uow.commit()


async def set_policy(app: App, manager: User, **changes: Any) -> None:
    async with app.uow() as uow:
        await policy_service.update_policy(uow, actor=manager, team_id=manager.team_id, changes=changes, now=app.clock.now())
        await uow.commit()


async def deal_row(app: App, deal_id: int) -> Any:
    async with app.uow() as uow:
        deal = await uow.opportunities.get(deal_id)
    assert deal is not None
    return deal


async def inbox(app: App, user: User) -> list[str]:
    """The texts queued for `user` in the outbox: what their phone gets."""
    async with app.engine.connect() as conn:
        rows = await conn.execute(
            select(notifications.c.text).where(notifications.c.recipient_id == user.id).order_by(notifications.c.id)
        )
        return [row[0] for row in rows]


def alert(calls: list[Call]) -> str:
    """The pop-up a button press was answered with."""
    texts = [c.method.text or "" for c in calls if isinstance(c.method, AnswerCallbackQuery) and c.method.show_alert]
    assert texts, "the press was not answered with an alert"
    return texts[-1]


def labels(person: Person) -> list[str]:
    """The buttons under the last message that has any."""
    sent = person.sandbox.session.last_with_buttons(person.telegram_id)
    return [text for text, _ in sent.buttons] if sent else []


def has_button(person: Person, part: str) -> bool:
    return any(part in label for label in labels(person))


def screen(person: Person) -> str:
    """The flow's own message (the last one with buttons), whatever hints were sent after it."""
    sent = person.sandbox.session.last_with_buttons(person.telegram_id)
    assert sent is not None
    return sent.text
