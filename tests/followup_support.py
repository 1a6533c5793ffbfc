"""Helpers for the follow-up service tests: a team with a manager and reps in a given timezone, deals
captured and kept by a rep, services run in their own transaction, and what people would receive."""

from __future__ import annotations

import itertools
import json
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select

from bot.factory import App
from domain.deals.model import Opportunity
from domain.followup import activities as followup
from domain.leads import services as lead_service
from domain.leads.model import Authority, Budget, LeadDraft, LeadSource, Timeline
from domain.policy import services as policy_service
from domain.reminders.model import Reminder
from domain.team import onboarding
from domain.team.model import Language, Role, Team, User
from storage.tables import notifications
from tests.fakes import MemoryApp

AnyApp = App | MemoryApp

_ids = itertools.count(91_000)
_phones = itertools.count(1)


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


@dataclass
class Crew:
    team: Team
    manager: User
    reps: list[User] = field(default_factory=list)


async def crew(
    app: AnyApp, *, team: str = "华东销售部", timezone: str = "Asia/Shanghai", reps: tuple[str, ...] = ("小王", "小李"),
    manager: str = "李经理", language: Language | None = None, recycle_days: int = 90,
) -> Crew:
    """A team with a manager and reps. The pool's recycling (issue 4) is pushed out of the way
    (`recycle_days`) so that a test of the silence watch is not also a test of recycling."""
    now = app.clock.now()
    async with app.uow() as uow:
        row = await onboarding.ensure_team(uow, name=team, timezone=timezone, now=now)
        assert row.id is not None
        boss = await uow.users.add(
            User(telegram_id=next(_ids), name=manager, role=Role.MANAGER, team_id=row.id, language=language, created_at=now)
        )
        people = [
            await uow.users.add(
                User(telegram_id=next(_ids), name=name, role=Role.REP, team_id=row.id, language=language, created_at=now)
            )
            for name in reps
        ]
        await policy_service.update_policy(uow, actor=boss, team_id=row.id, changes={"recycle_days": recycle_days}, now=now)
        await uow.commit()
    return Crew(row, boss, people)


async def admin(app: AnyApp, team: Team) -> User:
    async with app.uow() as uow:
        user = await uow.users.add(
            User(telegram_id=next(_ids), name="管理员", role=Role.ADMIN, team_id=team.id or 0, created_at=app.clock.now())
        )
        await uow.commit()
    return user


def lead(company: str, **changes: Any) -> LeadDraft:
    """A lead that scores 10/10, kept by the rep who captures it."""
    values: dict[str, Any] = {
        "company": company, "contact_name": "张总", "phone": f"1390013{next(_phones):04d}",
        "source": LeadSource.REFERRAL, "need": "想上一套 CRM 系统", "budget": Budget.KNOWN,
        "authority": Authority.DECISION_MAKER, "timeline": Timeline.THIS_MONTH, "industry": "制造",
        "keep_myself": True,
    }
    values.update(changes)
    return LeadDraft(**values)


async def deal(app: AnyApp, rep: User, company: str, **changes: Any) -> int:
    async with app.uow() as uow:
        result = await lead_service.capture_lead(uow, actor=rep, draft=lead(company, **changes), now=app.clock.now())
        await uow.commit()
    assert result.opportunity is not None and result.opportunity.id is not None, result.outcome
    assert result.opportunity.owner_id == rep.id
    return result.opportunity.id


async def call(app: AnyApp, fn: Any, **kwargs: Any) -> Any:
    """Run one service in its own transaction, as a handler would; a DomainError rolls it back."""
    async with app.uow() as uow:
        result = await fn(uow, **kwargs)
        await uow.commit()
    return result


async def log(app: AnyApp, actor: User, deal_id: int, kind: str = "call", outcome: str | None = "reached", **kwargs: Any) -> Any:
    """/log, as the flow will call it: at the clock's time."""
    return await call(
        app, followup.log_activity, actor=actor, opportunity_id=deal_id, kind=kind, outcome=outcome,
        now=app.clock.now(), **kwargs,
    )


async def deal_row(app: AnyApp, deal_id: int) -> Opportunity:
    async with app.uow() as uow:
        row = await uow.opportunities.get(deal_id)
    assert row is not None
    return row


async def reminder_row(app: AnyApp, reminder_id: int) -> Reminder:
    async with app.uow() as uow:
        row = await uow.reminders.get(reminder_id)
    assert row is not None
    return row


async def sent(app: AnyApp) -> list[Any]:
    if isinstance(app, MemoryApp):
        return app.notifications()
    async with app.engine.connect() as conn:
        return list((await conn.execute(select(notifications).order_by(notifications.c.id))).mappings())


async def inbox(app: AnyApp, user: User, kind: str | None = None) -> list[Any]:
    return [row for row in await sent(app) if row["recipient_id"] == user.id and (kind is None or row["kind"] == kind)]


def labels(row: Any) -> list[list[str]]:
    markup = json.loads(row["reply_markup"])
    return [[b["text"] for b in line] for line in markup["inline_keyboard"]]


def callbacks(row: Any) -> list[str]:
    markup = json.loads(row["reply_markup"])
    return [b["callback_data"] for line in markup["inline_keyboard"] for b in line]
