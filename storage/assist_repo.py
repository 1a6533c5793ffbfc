"""Questions to a colleague (cross-team help) in storage."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from datetime import UTC, datetime

from sqlalchemy import select, text, update
from sqlalchemy.ext.asyncio import AsyncSession

from domain.assist.model import PENDING, AgendaQuestion, AssistState, Question
from storage.sql import get_by_id, rowcount
from storage.tables import assist_questions, users

q_ = assist_questions.c
_PENDING = [state.value for state in PENDING]


class SqlAssists:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def add(self, question: Question) -> Question:
        self.session.add(question)
        await self.session.flush()
        return question

    async def get(self, question_id: int) -> Question | None:
        return await get_by_id(self.session, Question, question_id)

    async def update(self, question: Question, *, expect: Collection[AssistState], stage: int | None = None,
                     **changes: object) -> bool:
        conditions = [q_.id == question.id, q_.state.in_([state.value for state in expect])]
        if stage is not None:
            conditions.append(q_.nudge_stage == stage)
        stmt = (
            update(Question).where(*conditions).values(**changes)
            .execution_options(synchronize_session="fetch")
        )
        return rowcount(await self.session.execute(stmt)) == 1

    async def for_subject(self, *, ticket_id: int | None = None, opportunity_id: int | None = None,
                          limit: int = 10) -> Sequence[Question]:
        where = q_.ticket_id == ticket_id if ticket_id is not None else q_.opportunity_id == opportunity_id
        if ticket_id is None:
            where = where & q_.ticket_id.is_(None)
        stmt = select(Question).where(where).order_by(q_.created_at.desc(), q_.id.desc()).limit(limit)
        return (await self.session.execute(stmt)).scalars().all()

    async def due(self, now: datetime, limit: int, skip: Collection[int] = ()) -> Sequence[Question]:
        stmt = (
            select(Question)
            .where(text("assist_questions.check_at IS NOT NULL"), q_.check_at <= now, q_.state.in_(_PENDING))
            .order_by(q_.check_at, q_.id)
            .limit(limit)
            .with_for_update(skip_locked=True)
        )
        if skip:
            stmt = stmt.where(q_.id.not_in(list(skip)))
        return (await self.session.execute(stmt)).scalars().all()

    async def agenda(self, team_id: int) -> Sequence[AgendaQuestion]:
        stmt = (
            select(q_.helper_id, q_.id, q_.company, users.c.name, q_.due_at)
            .select_from(assist_questions.join(users, users.c.id == q_.asked_by))
            .where(q_.team_id == team_id, q_.state.in_(_PENDING))
            .order_by(q_.helper_id, q_.due_at, q_.id)
        )
        return [
            AgendaQuestion(int(row[0]), int(row[1]), str(row[2]), str(row[3]), _aware(row[4]))
            for row in (await self.session.execute(stmt)).all()
        ]


def _aware(at: datetime) -> datetime:
    return at if at.tzinfo is not None else at.replace(tzinfo=UTC)
