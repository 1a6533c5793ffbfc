"""Opportunities in storage: the deal lists, the pool, recycling, the stage history."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Mapping, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import (
    ColumnElement,
    TextClause,
    and_,
    exists,
    false,
    func,
    or_,
    select,
    text,
    update,
)
from sqlalchemy.ext.asyncio import AsyncSession

from domain.deals.model import (
    DealPage,
    DealQuery,
    DealSummary,
    HistoryEntry,
    Opportunity,
    Stage,
    StageChange,
)
from domain.handoffs.model import HandoffState
from storage.sql import CLOSED_STAGES, get_by_id, insert_new, rowcount
from storage.tables import (
    IN_POOL_SQL,
    OPEN_OWNED_SQL,
    PENDING_SQL,
    handoffs,
    leads,
    opportunities,
    stage_changes,
    users,
)


def _pending_handoff_exists() -> ColumnElement[bool]:
    return exists().where(handoffs.c.opportunity_id == opportunities.c.id, text("handoffs." + PENDING_SQL))


def _idle_before(cutoff: datetime) -> ColumnElement[bool]:
    """Nothing the owner did since `cutoff`: no activity, no new owner, not created since (Opportunity.idle_since)."""
    return and_(
        or_(opportunities.c.last_activity_at.is_(None), opportunities.c.last_activity_at < cutoff),
        or_(opportunities.c.owner_since.is_(None), opportunities.c.owner_since < cutoff),
        opportunities.c.created_at < cutoff,
    )


def _past_recycle_time(cutoffs: Mapping[int, Mapping[Stage, datetime]]) -> ColumnElement[bool]:
    """Idle since before its team's cutoff for its stage (domain/pool/recycling.py): the recycle sweep and
    the /deals "stale" filter, one predicate. A team not in `cutoffs` has nothing due."""
    per_team = [
        and_(
            opportunities.c.team_id == team_id,
            or_(*(and_(opportunities.c.stage == stage, _idle_before(cutoff)) for stage, cutoff in stages.items())),
        )
        for team_id, stages in cutoffs.items()
        if stages
    ]
    return or_(*per_team) if per_team else false()


class SqlOpportunities:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def add(self, opportunity: Opportunity) -> Opportunity:
        self.session.add(opportunity)
        await self.session.flush()
        return opportunity

    async def add_many(self, new: Sequence[Opportunity]) -> Sequence[Opportunity]:
        await insert_new(self.session, opportunities, new)
        return new

    async def get(self, opportunity_id: int) -> Opportunity | None:
        return await get_by_id(self.session, Opportunity, opportunity_id)

    async def for_leads(self, lead_ids: Collection[int]) -> Sequence[Opportunity]:
        if not lead_ids:
            return []
        stmt = select(Opportunity).where(opportunities.c.lead_id.in_(list(lead_ids))).order_by(opportunities.c.id)
        return (await self.session.execute(stmt)).scalars().all()

    async def count(self, query: DealQuery) -> int:
        stmt = select(func.count()).select_from(opportunities).where(*self._conditions(query))
        return int((await self.session.execute(stmt)).scalar_one())

    @staticmethod
    def _conditions(query: DealQuery) -> list[ColumnElement[bool] | TextClause]:
        conditions: list[ColumnElement[bool] | TextClause] = []
        if query.team_id is not None:
            conditions.append(opportunities.c.team_id == query.team_id)
        if query.mine is not None:
            offered = exists().where(
                handoffs.c.opportunity_id == opportunities.c.id, text("handoffs." + PENDING_SQL),
                handoffs.c.to_user_id == query.mine,
            )
            conditions.append(or_(opportunities.c.owner_id == query.mine, offered))
        if query.stage is not None:
            conditions.append(opportunities.c.stage == query.stage)
        else:
            conditions.append(opportunities.c.stage.not_in(CLOSED_STAGES))
        if query.waiting:
            conditions.append(_pending_handoff_exists())
        if query.pool:
            conditions.append(text("opportunities." + IN_POOL_SQL.replace(" AND ", " AND opportunities.")))
        if query.captured_by is not None:  # brought in by them, followed by someone else
            captured = select(leads.c.id).where(leads.c.created_by == query.captured_by)
            offered_to_them = exists().where(
                handoffs.c.opportunity_id == opportunities.c.id, text("handoffs." + PENDING_SQL),
                handoffs.c.to_user_id == query.captured_by,
            )
            conditions.append(opportunities.c.lead_id.in_(captured))
            conditions.append(or_(opportunities.c.owner_id.is_(None), opportunities.c.owner_id != query.captured_by))
            conditions.append(~offered_to_them)
        if query.stale_cutoffs is not None:
            conditions.append(_past_recycle_time(query.stale_cutoffs))
        return conditions

    async def page(self, query: DealQuery, offset: int, limit: int) -> DealPage:
        owner = users.alias("owner")
        assignee = users.alias("assignee")
        conditions = self._conditions(query)
        stale = query.stale_cutoffs is not None
        total = (
            await self.session.execute(select(func.count()).select_from(opportunities).where(*conditions))
        ).scalar_one()
        activity = func.coalesce(opportunities.c.last_activity_at, opportunities.c.created_at)
        order: list[Any]
        if query.pool:
            order = [opportunities.c.pooled_at, opportunities.c.id]
        elif stale:
            order = [activity, opportunities.c.id]
        else:
            order = [activity.desc(), opportunities.c.id.desc()]
        stmt = (
            select(
                opportunities.c.id, opportunities.c.title, leads.c.company, opportunities.c.stage, owner.c.name,
                opportunities.c.amount_minor, opportunities.c.last_activity_at,
                _pending_handoff_exists().label("waiting"), leads.c.score, opportunities.c.pooled_at,
                opportunities.c.recycled_at, opportunities.c.currency,
                select(assignee.c.name)
                .join(handoffs, handoffs.c.to_user_id == assignee.c.id)
                .where(handoffs.c.opportunity_id == opportunities.c.id, text("handoffs." + PENDING_SQL))
                .limit(1)
                .scalar_subquery()
                .label("waiting_for"),
            )
            .select_from(
                opportunities.join(leads, leads.c.id == opportunities.c.lead_id).outerjoin(
                    owner, owner.c.id == opportunities.c.owner_id
                )
            )
            .where(*conditions)
            .order_by(*order)
            .offset(offset)
            .limit(limit)
        )
        rows = (await self.session.execute(stmt)).all()
        items = [
            DealSummary(
                id=row[0], title=row[1], company=row[2], stage=row[3], owner_name=row[4], amount_minor=row[5],
                last_activity_at=row[6], waiting_handoff=bool(row[7]), score=row[8], pooled_at=row[9],
                recycled=row[10] is not None and row[9] is not None, currency=row[11], waiting_for=row[12],
            )
            for row in rows
        ]
        return DealPage(items=items, total=int(total))

    async def load(self, team_id: int) -> Mapping[int, int]:
        """Open deals owned plus hand-offs waiting, per rep: one statement."""
        counts: dict[int, int] = defaultdict(int)
        owned = (
            select(opportunities.c.owner_id.label("user_id"), func.count().label("n"))
            .where(
                opportunities.c.team_id == team_id, opportunities.c.owner_id.is_not(None),
                opportunities.c.stage.not_in(CLOSED_STAGES),
            )
            .group_by(opportunities.c.owner_id)
        )
        waiting = (
            select(handoffs.c.to_user_id, func.count())
            .where(handoffs.c.team_id == team_id, handoffs.c.state == HandoffState.PENDING)
            .group_by(handoffs.c.to_user_id)
        )
        for row in (await self.session.execute(owned.union_all(waiting))).all():
            counts[row[0]] += row[1]
        return dict(counts)

    async def pool_claims(self, user_id: int) -> int:
        # The rep's row stays locked until the claim commits (PostgreSQL; SQLite has one writer anyway):
        # a second claim by the same rep, on this instance or another, counts after the first is in.
        await self.session.execute(select(users.c.id).where(users.c.id == user_id).with_for_update())
        stmt = select(func.count()).select_from(opportunities).where(
            opportunities.c.owner_id == user_id, opportunities.c.claimed_from_pool.is_(True),
            opportunities.c.stage.not_in(CLOSED_STAGES),
        )
        return int((await self.session.execute(stmt)).scalar_one())

    async def claim(self, opportunity_id: int, user_id: int, now: datetime) -> bool:
        # A conditional UPDATE: of several reps tapping at once, exactly one changes the row.
        stmt = (
            update(Opportunity)
            .where(
                opportunities.c.id == opportunity_id, opportunities.c.owner_id.is_(None),
                opportunities.c.pooled_at.is_not(None), opportunities.c.stage.not_in(CLOSED_STAGES),
            )
            .values(
                owner_id=user_id, owner_since=now, pooled_at=None, claimed_from_pool=True, updated_at=now,
                # A new owner: the silence watch starts over (storage/followup_repo.py).
                silence_level=0, silence_check_at=now,
            )
            .execution_options(synchronize_session="fetch")
        )
        return rowcount(await self.session.execute(stmt)) == 1

    async def idle(
        self, cutoffs: Mapping[int, Mapping[Stage, datetime]], limit: int, skip: Collection[int] = ()
    ) -> Sequence[Opportunity]:
        stmt = (
            select(Opportunity)
            .where(
                text("opportunities." + OPEN_OWNED_SQL.replace(" AND ", " AND opportunities.")),
                _past_recycle_time(cutoffs),
                ~_pending_handoff_exists(),
            )
            .order_by(opportunities.c.last_activity_at, opportunities.c.id)
            .limit(limit)
            .with_for_update(skip_locked=True, of=opportunities)
        )
        if skip:
            stmt = stmt.where(opportunities.c.id.not_in(list(skip)))
        return (await self.session.execute(stmt)).scalars().all()

    async def release(self, opportunity: Opportunity, *, owner_id: int, cutoff: datetime, now: datetime) -> bool:
        stmt = (
            update(Opportunity)
            .where(
                opportunities.c.id == opportunity.id, opportunities.c.owner_id == owner_id,
                opportunities.c.stage == opportunity.stage, opportunities.c.stage.not_in(CLOSED_STAGES),
                _idle_before(cutoff),
            )
            .values(
                owner_id=None, owner_since=None, pooled_at=now, recycled_from_id=owner_id, recycled_at=now,
                claimed_from_pool=False, updated_at=now,
            )
            .execution_options(synchronize_session="fetch")
        )
        return rowcount(await self.session.execute(stmt)) == 1


class SqlStageChanges:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def add(self, change: StageChange) -> StageChange:
        if change.team_id is None:  # the deal's team, for the reports; the deal is in the session already
            deal = await get_by_id(self.session, Opportunity, change.opportunity_id)
            if deal is None:
                raise LookupError(f"stage change for unknown deal {change.opportunity_id}")
            change.team_id = deal.team_id
        self.session.add(change)
        await self.session.flush()
        return change

    async def add_many(self, new: Sequence[StageChange]) -> Sequence[StageChange]:
        if any(change.team_id is None for change in new):  # the reports read a move by its own team
            raise ValueError("add_many: every stage change names its deal's team")
        await insert_new(self.session, stage_changes, new)
        return new

    async def history(self, opportunity_id: int) -> Sequence[HistoryEntry]:
        stmt = (
            select(
                stage_changes.c.from_stage, stage_changes.c.to_stage, stage_changes.c.at, stage_changes.c.actor_id,
                users.c.name, stage_changes.c.override, stage_changes.c.note,
            )
            .select_from(stage_changes.outerjoin(users, users.c.id == stage_changes.c.actor_id))
            .where(stage_changes.c.opportunity_id == opportunity_id)
            .order_by(stage_changes.c.at.desc(), stage_changes.c.id.desc())
        )
        return [
            HistoryEntry(
                from_stage=row[0], to_stage=row[1], at=row[2], actor_id=row[3], actor_name=row[4],
                override=bool(row[5]), note=row[6],
            )
            for row in (await self.session.execute(stmt)).all()
        ]
