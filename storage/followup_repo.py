"""Follow-up in storage: the silence watch's schedule, follow-up reminders and their escalation, the
timeline, the morning agenda, search and the stale report (domain/followup/).

The silence schedule (`opportunities.silence_check_at`) is kept by the domain services that change a
deal's clock, stage or owner (domain.followup.silence.restart_silence_watch); the few bulk UPDATEs that
move an owner (pool claims) set it themselves.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    ColumnElement,
    and_,
    exists,
    func,
    literal,
    or_,
    select,
    text,
    union_all,
    update,
)
from sqlalchemy.ext.asyncio import AsyncSession

from domain.deals.model import Opportunity
from domain.followup.model import Activity
from domain.followup.rules import (
    SUBJECT_OPPORTUNITY,
    AgendaLine,
    SearchQuery,
    SearchRow,
    StaleRow,
    TimelineEntry,
    Visibility,
)
from domain.reminders.model import Reminder, ReminderState
from storage.preload import Preloaded
from storage.sql import CLOSED_STAGES, rowcount
from storage.tables import (
    ESCALATE_SQL,
    PENDING_SQL,
    SILENCE_SQL,
    activities,
    handoffs,
    leads,
    opportunities,
    reminders,
    users,
)

OPEN_REMINDER = [ReminderState.PENDING, ReminderState.SNOOZED, ReminderState.SENT]
WAITING = [ReminderState.PENDING, ReminderState.SNOOZED]



def _qualified(sql: str, table: str) -> str:
    """A partial index's predicate, with its columns named by table (for queries that join)."""
    out = sql
    for column in ("silence_check_at", "escalate_at", "state"):
        out = out.replace(column, f"{table}.{column}")
    return out


# --- the repository -------------------------------------------------------------------------------


def _like(word: str) -> str:
    escaped = word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def _visible(visibility: Visibility) -> list[ColumnElement[bool]]:
    conditions: list[ColumnElement[bool]] = []
    if visibility.owner_id is not None:
        conditions.append(opportunities.c.owner_id == visibility.owner_id)
    if visibility.team_id is not None:
        conditions.append(opportunities.c.team_id == visibility.team_id)
    return conditions


def _followups_of(opportunity_id: int | ColumnElement[Any], user_id: int | ColumnElement[Any]) -> list[Any]:
    return [
        reminders.c.subject_kind == SUBJECT_OPPORTUNITY,
        reminders.c.subject_id == opportunity_id,
        reminders.c.user_id == user_id,
    ]


class SqlFollowups:
    def __init__(self, session: AsyncSession, preloaded: Preloaded | None = None) -> None:
        self.session = session
        self.preloaded = preloaded

    # silence watch

    async def silent(self, now: datetime, limit: int, skip: Collection[int] = ()) -> Sequence[Opportunity]:
        stmt = (
            select(Opportunity)
            .where(text(_qualified(SILENCE_SQL, "opportunities")), opportunities.c.silence_check_at <= now)
            .order_by(opportunities.c.silence_check_at, opportunities.c.id)
            .limit(limit)
            .with_for_update(skip_locked=True, of=opportunities)
        )
        if skip:
            stmt = stmt.where(opportunities.c.id.not_in(list(skip)))
        due = (await self.session.execute(stmt)).scalars().all()
        if self.preloaded is not None:  # what the acts read, for the whole due set (storage/preload.py)
            await self.preloaded.deals(due, next_steps=True)
        return due

    async def set_silence(
        self, opportunity: Opportunity, *, expect_level: int, expect_check: datetime | None, level: int,
        check_at: datetime | None,
    ) -> bool:
        same_check = (
            opportunities.c.silence_check_at.is_(None)
            if expect_check is None
            else opportunities.c.silence_check_at == expect_check
        )
        stmt = (
            update(Opportunity)
            .where(opportunities.c.id == opportunity.id, opportunities.c.silence_level == expect_level, same_check)
            .values(silence_level=level, silence_check_at=check_at)
            .execution_options(synchronize_session="fetch")
        )
        return rowcount(await self.session.execute(stmt)) == 1

    async def recheck_team(self, team_id: int, at: datetime) -> int:
        stmt = (
            update(Opportunity)
            .where(
                opportunities.c.team_id == team_id, opportunities.c.stage.not_in(CLOSED_STAGES),
                opportunities.c.owner_id.is_not(None),
                or_(opportunities.c.silence_check_at.is_(None), opportunities.c.silence_check_at > at),
            )
            .values(silence_check_at=at)
            .execution_options(synchronize_session="fetch")
        )
        return rowcount(await self.session.execute(stmt))

    async def recheck_deal(self, opportunity_id: int, at: datetime) -> None:
        stmt = (
            update(Opportunity)
            .where(opportunities.c.id == opportunity_id, opportunities.c.silence_check_at > at)
            .values(silence_check_at=at)
            .execution_options(synchronize_session="fetch")
        )
        await self.session.execute(stmt)

    # follow-up reminders

    async def has_next_step(self, opportunity_id: int, user_id: int) -> bool:
        if self.preloaded is not None:
            known = self.preloaded.next_steps.pop((opportunity_id, user_id), None)
            if known is not None:
                return known
        stmt = select(reminders.c.id).where(
            *_followups_of(opportunity_id, user_id), reminders.c.state.in_(OPEN_REMINDER)
        ).limit(1)
        return (await self.session.execute(stmt)).first() is not None

    async def complete_followups(self, opportunity_id: int, user_id: int, now: datetime) -> int:
        stmt = (
            update(Reminder)
            .where(*_followups_of(opportunity_id, user_id), reminders.c.state.in_(OPEN_REMINDER))
            .values(state=ReminderState.DONE, done_at=now)
            .execution_options(synchronize_session="fetch")
        )
        return rowcount(await self.session.execute(stmt))

    async def escalations_due(self, now: datetime, limit: int, skip: Collection[int] = ()) -> Sequence[Reminder]:
        stmt = (
            select(Reminder)
            .where(text(_qualified(ESCALATE_SQL, "reminders")), reminders.c.escalate_at <= now)
            .order_by(reminders.c.escalate_at, reminders.c.id)
            .limit(limit)
            .with_for_update(skip_locked=True)
        )
        if skip:
            stmt = stmt.where(reminders.c.id.not_in(list(skip)))
        due = (await self.session.execute(stmt)).scalars().all()
        if self.preloaded is not None:
            await self.preloaded.reminders(due, deals=True)
        return due

    async def claim_escalation(self, reminder: Reminder, now: datetime, *, escalated: bool) -> bool:
        if reminder.escalate_at is None:
            return False
        values: dict[str, Any] = {"escalate_at": None}
        if escalated:
            values["escalated_at"] = now
        stmt = (
            update(Reminder)
            .where(
                reminders.c.id == reminder.id, reminders.c.state == ReminderState.SENT,
                reminders.c.escalate_at == reminder.escalate_at,
            )
            .values(**values)
            .execution_options(synchronize_session="fetch")
        )
        return rowcount(await self.session.execute(stmt)) == 1

    # the timeline

    async def last_activity(self, opportunity_id: int) -> Activity | None:
        stmt = (
            select(Activity)
            .where(activities.c.opportunity_id == opportunity_id)
            .order_by(activities.c.at.desc(), activities.c.id.desc())
            .limit(1)
        )
        return (await self.session.execute(stmt)).scalars().first()

    async def timeline(self, opportunity_id: int, offset: int, limit: int) -> tuple[Sequence[TimelineEntry], int]:
        total = (
            await self.session.execute(
                select(func.count()).select_from(activities).where(activities.c.opportunity_id == opportunity_id)
            )
        ).scalar_one()
        a = activities.c
        stmt = (
            select(
                a.id, a.kind, a.at, a.actor_id, users.c.name, a.outcome, a.note, a.voice_file_id, a.needs,
                a.next_step, a.next_due,
            )
            .select_from(activities.outerjoin(users, users.c.id == a.actor_id))
            .where(a.opportunity_id == opportunity_id)
            .order_by(a.at.desc(), a.id.desc())
            .offset(offset)
            .limit(limit)
        )
        entries = [
            TimelineEntry(
                id=row[0], kind=row[1], at=row[2], actor_id=row[3], actor_name=row[4], outcome=row[5], note=row[6],
                voice_file_id=row[7], needs=row[8], next_step=row[9], next_due=row[10],
            )
            for row in (await self.session.execute(stmt)).all()
        ]
        return entries, int(total)

    # the morning agenda

    async def agenda(self, team_id: int, start: datetime, end: datetime, now: datetime) -> Sequence[AgendaLine]:
        r, o = reminders.c, opportunities.c
        deal = reminders.outerjoin(
            opportunities, and_(r.subject_kind == SUBJECT_OPPORTUNITY, o.id == r.subject_id)
        ).outerjoin(leads, leads.c.id == o.lead_id)
        live = or_(o.id.is_(None), o.stage.not_in(CLOSED_STAGES))
        followup = r.subject_kind == SUBJECT_OPPORTUNITY
        today = (
            select(literal("today").label("section"), r.user_id, r.due_at, r.text, leads.c.company, r.note)
            .select_from(deal)
            .where(
                r.team_id == team_id, r.due_at < end, live,
                or_(
                    and_(r.state.in_(WAITING), r.due_at >= max(start, now)),
                    and_(followup, r.state == ReminderState.SENT, r.due_at >= start),
                ),
            )
        )
        overdue = (
            select(literal("overdue").label("section"), r.user_id, r.due_at, r.text, leads.c.company, r.note)
            .select_from(deal)
            .where(
                r.team_id == team_id, r.state == ReminderState.SENT, followup, r.due_at < start,
                o.stage.not_in(CLOSED_STAGES), o.owner_id == r.user_id,
            )
        )
        h = handoffs.c
        waiting = (
            select(literal("handoff").label("section"), h.to_user_id, h.deadline_at, leads.c.company, leads.c.company, literal(None))
            .select_from(handoffs.join(opportunities, o.id == h.opportunity_id).join(leads, leads.c.id == o.lead_id))
            .where(h.team_id == team_id, text("handoffs." + PENDING_SQL))
        )
        order = {"today": 0, "overdue": 1, "handoff": 2}
        rows = (await self.session.execute(union_all(today, overdue, waiting))).all()
        lines = [
            AgendaLine(
                user_id=row[1], section=row[0], at=_aware(row[2]), text=row[3],
                company=row[4] if row[0] != "handoff" else None, step=row[5],
            )
            for row in rows
        ]
        return sorted(lines, key=lambda line: (line.user_id, order[line.section], line.at, line.text))

    # search

    async def search(self, visibility: Visibility, query: SearchQuery, limit: int) -> Sequence[SearchRow]:
        o, lead = opportunities.c, leads.c
        conditions = _visible(visibility)
        patterns: list[str] = []
        if query.digits:
            conditions.append(lead.phone.like(_like(query.digits), escape="\\"))
        for word in query.words:
            pattern = _like(word)
            patterns.append(pattern)
            in_notes = exists().where(
                activities.c.opportunity_id == o.id,
                or_(activities.c.note.ilike(pattern, escape="\\"), activities.c.needs.ilike(pattern, escape="\\")),
            )
            conditions.append(
                or_(
                    lead.company.ilike(pattern, escape="\\"), lead.contact_name.ilike(pattern, escape="\\"),
                    lead.phone.ilike(pattern, escape="\\"), lead.email.ilike(pattern, escape="\\"),
                    o.title.ilike(pattern, escape="\\"), in_notes,
                )
            )
        stmt = (
            select(o.id, o.title, o.stage, lead.company, lead.contact_name, lead.phone, lead.email)
            .select_from(opportunities.join(leads, lead.id == o.lead_id))
            .where(*conditions)
            .order_by(func.coalesce(o.last_activity_at, o.created_at).desc(), o.id.desc())
            .limit(limit)
        )
        rows = (await self.session.execute(stmt)).all()
        notes: dict[int, list[str]] = {}
        if patterns and rows:
            a = activities.c
            found = await self.session.execute(
                select(a.opportunity_id, a.note, a.needs)
                .where(
                    a.opportunity_id.in_([row[0] for row in rows]),
                    or_(a.note.ilike(patterns[0], escape="\\"), a.needs.ilike(patterns[0], escape="\\")),
                )
                .order_by(a.at.desc(), a.id.desc())
            )
            for row in found.all():
                notes.setdefault(row.opportunity_id, []).extend(t for t in (row.note, row.needs) if t)
        return [
            SearchRow(
                opportunity_id=row[0], title=row[1], stage=row[2], company=row[3], contact_name=row[4], phone=row[5],
                email=row[6], notes=tuple(notes.get(row[0], ())),
            )
            for row in rows
        ]

    # the stale report

    async def stale(self, visibility: Visibility, now: datetime) -> Sequence[StaleRow]:
        o, r = opportunities.c, reminders.c
        owner = users.alias("owner")
        overdue = (
            select(func.min(r.due_at))
            .where(*_followups_of(o.id, o.owner_id), r.state == ReminderState.SENT, r.due_at < now)
            .scalar_subquery()
        )
        planned = exists().where(*_followups_of(o.id, o.owner_id), r.state.in_(OPEN_REMINDER))
        stmt = (
            select(Opportunity, leads.c.company, owner.c.name, overdue.label("overdue"), planned.label("planned"))
            .select_from(
                opportunities.join(leads, leads.c.id == o.lead_id).join(owner, owner.c.id == o.owner_id)
            )
            .where(
                *_visible(visibility), o.stage.not_in(CLOSED_STAGES), o.owner_id.is_not(None),
                or_(o.silence_level >= 1, overdue.is_not(None)),
            )
            .order_by(o.id)
        )
        return [
            StaleRow(
                opportunity=row[0], company=row[1], owner_name=row[2], overdue_since=_aware(row[3]),
                has_next_step=bool(row[4]),
            )
            for row in (await self.session.execute(stmt)).all()
        ]


def _aware(value: Any) -> Any:
    """A UTC datetime from a column that lost its type in a union or an aggregate (SQLite)."""
    if value is None or not isinstance(value, datetime | str):
        return value
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    return value if value.tzinfo is not None else value.replace(tzinfo=UTC)


__all__ = ["SqlFollowups"]


class SqlActivities:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def add(self, activity: Activity) -> Activity:
        self.session.add(activity)
        await self.session.flush()
        return activity

    async def for_opportunity(self, opportunity_id: int, limit: int) -> Sequence[Activity]:
        stmt = (
            select(Activity)
            .where(activities.c.opportunity_id == opportunity_id)
            .order_by(activities.c.at.desc(), activities.c.id.desc())
            .limit(limit)
        )
        return (await self.session.execute(stmt)).scalars().all()
