"""Helpers for the reminder tests: a person in a team, a reminder set as /remind sets it, and the queued
notifications; on the in-memory pipeline (tests/fakes.py MemoryApp) and on a real database alike."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select

from bot.factory import App
from domain.reminders import services as reminder_service
from domain.reminders.model import Reminder
from domain.team import onboarding
from domain.team.model import Language, Role, User
from storage.tables import notifications
from tests.fakes import MemoryApp

AnyApp = App | MemoryApp


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


async def member(
    app: AnyApp, name: str, *, team: str = "华东销售部", timezone: str = "Asia/Shanghai",
    language: Language | None = None, telegram_id: int | None = None,
) -> User:
    async with app.uow() as uow:
        team_row = await onboarding.ensure_team(uow, name=team, timezone=timezone, now=app.clock.now())
        user = await uow.users.add(
            User(
                telegram_id=telegram_id or 5000 + abs(hash(name)) % 10_000, name=name, role=Role.REP,
                team_id=team_row.id or 0, language=language, created_at=app.clock.now(),
            )
        )
        await uow.commit()
    return user


async def remind(app: AnyApp, owner: User, due_at: datetime, what: str, *, explicit: bool = True) -> Reminder:
    async with app.uow() as uow:
        reminder = await reminder_service.set_reminder(
            uow, owner=owner, due_at=due_at, text=what, now=app.clock.now(), explicit=explicit
        )
        await uow.commit()
    return reminder


async def outbox(app: AnyApp) -> list[Any]:
    if isinstance(app, MemoryApp):
        return app.notifications()
    async with app.engine.connect() as conn:
        result = await conn.execute(select(notifications).order_by(notifications.c.id))
        return list(result.mappings())


async def reminder_state(app: AnyApp, reminder_id: int) -> Reminder:
    async with app.uow() as uow:
        row = await uow.reminders.get(reminder_id)
        assert row is not None
        return row


def buttons(row: Any) -> list[list[str]]:
    markup = json.loads(row["reply_markup"])
    return [[b["text"] for b in line] for line in markup["inline_keyboard"]]
