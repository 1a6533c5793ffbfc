"""Helpers for the pipeline tests: a team with a manager and reps, leads that score hot or cold, services
run in their own transaction as a handler runs them, and what people would receive (the `notifications`
rows the outbox dispatcher delivers). They work on the in-memory pipeline (tests/fakes.py MemoryApp) and
on a real database (bot.app.App) alike."""

from __future__ import annotations

import itertools
import json
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select

from bot.factory import App
from bot.sandbox import Sandbox
from domain.leads import services as lead_service
from domain.leads.model import (
    Authority,
    Budget,
    CaptureResult,
    LeadDraft,
    LeadSource,
    Timeline,
)
from domain.team import onboarding
from domain.team.model import Role, Team, User
from storage.tables import audit_events, notifications
from tests.fakes import MemoryApp

AnyApp = App | MemoryApp

TEAM = "华东销售部"
GROUP = -100_777

GROUP = -100_777
_ids = itertools.count(70_000)


@dataclass
class Crew:
    team: Team
    manager: User
    reps: list[User] = field(default_factory=list)


async def crew(
    app: AnyApp, *, team: str = TEAM, group: int | None = GROUP, reps: tuple[str, ...] = ("小王", "小李"),
    manager: str = "李经理", sandbox: Sandbox | None = None,
) -> Crew:
    """A team with a manager and reps (ids in the order given); Telegram ids match the sandbox's people."""

    def tg(name: str) -> int:
        return sandbox.person(name).telegram_id if sandbox else next(_ids)

    now = app.clock.now()
    async with app.uow() as uow:
        row = await onboarding.ensure_team(uow, name=team, timezone="Asia/Shanghai", now=now)
        row.group_chat_id = group
        assert row.id is not None
        boss = await uow.users.add(User(telegram_id=tg(manager), name=manager, role=Role.MANAGER, team_id=row.id, created_at=now))
        people = [
            await uow.users.add(User(telegram_id=tg(name), name=name, role=Role.REP, team_id=row.id, created_at=now))
            for name in reps
        ]
        await uow.commit()
    return Crew(row, boss, people)


async def admin(app: AnyApp, team: Team) -> User:
    async with app.uow() as uow:
        user = await uow.users.add(
            User(telegram_id=next(_ids), name="管理员", role=Role.ADMIN, team_id=team.id or 0, created_at=app.clock.now())
        )
        await uow.commit()
    return user


def hot(company: str = "华东科技有限公司", phone: str | None = "13800138000", **changes: Any) -> LeadDraft:
    """A lead that scores 10/10."""
    values: dict[str, Any] = {
        "company": company, "contact_name": "张总", "phone": phone, "source": LeadSource.REFERRAL,
        "need": "想上一套 CRM 系统，先管 50 个销售", "budget": Budget.KNOWN, "budget_note": "50万",
        "authority": Authority.DECISION_MAKER, "timeline": Timeline.THIS_MONTH, "industry": "制造",
    }
    values.update(changes)
    return LeadDraft(**values)


def cold(company: str = "江南贸易", phone: str | None = "13912345678") -> LeadDraft:
    """A lead that scores 0/10: nurture."""
    return LeadDraft(company=company, phone=phone, source=LeadSource.COLD_CALL)


async def capture(app: AnyApp, actor: User, draft: LeadDraft, **kwargs: Any) -> CaptureResult:
    async with app.uow() as uow:
        result = await lead_service.capture_lead(uow, actor=actor, draft=draft, now=app.clock.now(), **kwargs)
        await uow.commit()
    return result


async def call(app: AnyApp, fn: Any, **kwargs: Any) -> Any:
    """Run one service in its own transaction, as a handler would; a DomainError rolls it back."""
    async with app.uow() as uow:
        result = await fn(uow, **kwargs)
        await uow.commit()
    return result


async def sent(app: AnyApp) -> list[Any]:
    if isinstance(app, MemoryApp):
        return app.notifications()
    async with app.engine.connect() as conn:
        return list((await conn.execute(select(notifications).order_by(notifications.c.id))).mappings())


async def inbox(app: AnyApp, user: User) -> list[str]:
    return [row["text"] for row in await sent(app) if row["recipient_id"] == user.id]


async def group_chat(app: AnyApp, chat_id: int = GROUP) -> list[str]:
    return [row["text"] for row in await sent(app) if row["chat_id"] == chat_id and row["recipient_id"] is None]


def buttons(row: Any) -> list[tuple[str, str]]:
    markup = json.loads(row["reply_markup"])
    return [(b["text"], b["callback_data"]) for line in markup["inline_keyboard"] for b in line]


async def card_row(app: AnyApp, user: User) -> Any:
    rows = [r for r in await sent(app) if r["recipient_id"] == user.id and r["kind"] == "handoff.card"]
    assert rows, f"no hand-off card for {user.name}"
    return rows[-1]


async def audit_actions(app: AnyApp, entity: str, entity_id: int) -> list[str]:
    if isinstance(app, MemoryApp):
        return app.audit_actions(entity, entity_id)
    async with app.engine.connect() as conn:
        rows = await conn.execute(
            select(audit_events.c.action)
            .where(audit_events.c.entity == entity, audit_events.c.entity_id == entity_id)
            .order_by(audit_events.c.id)
        )
        return [r[0] for r in rows]
