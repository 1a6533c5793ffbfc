"""Service tickets, satisfaction surveys and the teams' service policies in storage."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from datetime import datetime

from sqlalchemy import case, or_, select, text, update
from sqlalchemy.ext.asyncio import AsyncSession

from domain.tickets.model import (
    RUNNING,
    ServicePolicy,
    Survey,
    SurveyChannel,
    Ticket,
    TicketQuery,
    TicketStatus,
)
from storage.sql import get_by_id, rowcount
from storage.tables import leads, opportunities, service_policies, surveys, tickets


class SqlTickets:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def add(self, ticket: Ticket) -> Ticket:
        self.session.add(ticket)
        await self.session.flush()
        return ticket

    async def get(self, ticket_id: int) -> Ticket | None:
        return await get_by_id(self.session, Ticket, ticket_id)

    async def move(self, ticket: Ticket, *, expect: Collection[TicketStatus], **changes: object) -> bool:
        stmt = (
            update(Ticket)
            .where(tickets.c.id == ticket.id, tickets.c.status.in_([s.value for s in expect]))
            .values(**changes)
            .execution_options(synchronize_session="fetch")
        )
        return rowcount(await self.session.execute(stmt)) == 1

    async def claim_sla(self, ticket: Ticket, *, stages: tuple[int, int], **changes: object) -> bool:
        stmt = (
            update(Ticket)
            .where(
                tickets.c.id == ticket.id, tickets.c.status.in_([s.value for s in RUNNING]),
                tickets.c.response_stage == stages[0], tickets.c.resolve_stage == stages[1],
            )
            .values(**changes)
            .execution_options(synchronize_session="fetch")
        )
        return rowcount(await self.session.execute(stmt)) == 1

    async def find(self, query: TicketQuery, now: datetime, limit: int) -> Sequence[Ticket]:
        stmt = select(Ticket)
        if query.team_id is not None:
            stmt = stmt.where(tickets.c.team_id == query.team_id)
        if query.owner_id is not None:
            stmt = stmt.where(tickets.c.owner_id == query.owner_id)
        if query.status_in:
            stmt = stmt.where(tickets.c.status.in_([s.value for s in query.status_in]))
        if query.priority is not None:
            stmt = stmt.where(tickets.c.priority == query.priority.value)
        if query.company_key is not None:
            stmt = stmt.where(tickets.c.company_key == query.company_key)
        done_last = case((tickets.c.status.in_([TicketStatus.RESOLVED.value, TicketStatus.CLOSED.value]), 1), else_=0)
        stmt = stmt.order_by(done_last, tickets.c.priority, tickets.c.created_at, tickets.c.id).limit(limit)
        return (await self.session.execute(stmt)).scalars().all()

    async def due(self, now: datetime, limit: int, skip: Collection[int] = ()) -> Sequence[Ticket]:
        stmt = (
            select(Ticket)
            .where(
                text("tickets.check_at IS NOT NULL"), tickets.c.check_at <= now,
                tickets.c.status.in_([s.value for s in RUNNING]),
            )
            .order_by(tickets.c.check_at, tickets.c.id)
            .limit(limit)
            .with_for_update(skip_locked=True)
        )
        if skip:
            stmt = stmt.where(tickets.c.id.not_in(list(skip)))
        return (await self.session.execute(stmt)).scalars().all()

    async def recent_customers(self, team_id: int, owner_id: int | None, limit: int) -> Sequence[tuple[int, str]]:
        stmt = (
            select(opportunities.c.id, leads.c.company)
            .join(leads, leads.c.id == opportunities.c.lead_id)
            .where(opportunities.c.team_id == team_id, opportunities.c.stage != "lost")
        )
        if owner_id is not None:
            stmt = stmt.where(opportunities.c.owner_id == owner_id)
        stmt = stmt.order_by(
            opportunities.c.updated_at.desc().nulls_last(), opportunities.c.id.desc()
        ).limit(limit)
        return [(int(row[0]), str(row[1])) for row in (await self.session.execute(stmt)).all()]

    # --- surveys ---------------------------------------------------------------------------------------

    async def add_survey(self, survey: Survey) -> Survey:
        self.session.add(survey)
        await self.session.flush()
        return survey

    async def get_survey(self, survey_id: int) -> Survey | None:
        return await get_by_id(self.session, Survey, survey_id)

    async def survey_by_hash(self, token_hash: str) -> Survey | None:
        stmt = select(Survey).where(surveys.c.token_hash == token_hash)
        return (await self.session.execute(stmt)).scalars().first()

    async def answer_survey(self, survey: Survey, now: datetime, **changes: object) -> bool:
        conditions = [surveys.c.id == survey.id, surveys.c.answered_at.is_(None)]
        if survey.channel is SurveyChannel.LINK:
            conditions.append(or_(surveys.c.expires_at.is_(None), surveys.c.expires_at > now))
        stmt = update(Survey).where(*conditions).values(**changes).execution_options(synchronize_session="fetch")
        return rowcount(await self.session.execute(stmt)) == 1

    async def set_follow_up(self, survey: Survey, ticket_id: int) -> bool:
        stmt = (
            update(Survey)
            .where(surveys.c.id == survey.id, surveys.c.follow_up_id.is_(None))
            .values(follow_up_id=ticket_id)
            .execution_options(synchronize_session="fetch")
        )
        return rowcount(await self.session.execute(stmt)) == 1

    async def surveys_for(self, team_id: int, *, ticket_id: int | None = None, company_key: str | None = None,
                          limit: int = 20) -> Sequence[Survey]:
        stmt = select(Survey).where(surveys.c.team_id == team_id, surveys.c.answered_at.is_not(None))
        if ticket_id is not None:
            stmt = stmt.where(surveys.c.ticket_id == ticket_id)
        if company_key is not None:
            stmt = stmt.where(surveys.c.company_key == company_key)
        stmt = stmt.order_by(surveys.c.answered_at.desc(), surveys.c.id.desc()).limit(limit)
        return (await self.session.execute(stmt)).scalars().all()

    # --- the policy ------------------------------------------------------------------------------------

    async def policy(self, team_id: int) -> ServicePolicy:
        stmt = select(ServicePolicy).where(service_policies.c.team_id == team_id)
        found = (await self.session.execute(stmt)).scalars().first()
        return found if found is not None else ServicePolicy(team_id=team_id)

    async def save_policy(self, policy: ServicePolicy) -> ServicePolicy:
        if policy.id is None:
            self.session.add(policy)
        await self.session.flush()
        return policy
