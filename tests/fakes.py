"""In-memory fakes of the domain's ports, and a clock the tests move by hand.

`FakeUnitOfWork` is a small in-memory database and its transaction in one object: every repository
keeps its rows in plain dicts, `async with uow:` remembers the committed state, `commit()` keeps what
changed, and leaving without a commit (or `rollback()`) puts the committed state back, as the SQL unit
of work does. Leaving also detaches: objects handed out inside the transaction are copies from then
on, so changing them afterwards changes nothing stored (as with a closed SQLAlchemy session). Ids
come from counters that a rollback does not reset (as PostgreSQL's sequences).

Each fake implements its Protocol from domain/*/ports.py with the real repository's filters, order and
uniqueness (storage/*_repo.py, the unique indexes of storage/tables.py); tests/test_port_contracts.py
runs the same checks against a fake and against the SQL repositories on SQLite and PostgreSQL.
What the fakes do not model: concurrent transactions (FOR UPDATE, SKIP LOCKED, racing writers) and the
dispatcher's delivery (storage/delivery_repo.py): tests of those stay on the databases.
"""

from __future__ import annotations

import dataclasses
from collections import defaultdict
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from datetime import UTC, date, datetime, timedelta
from types import TracebackType
from typing import Any

from domain.assist.model import PENDING as ASSIST_PENDING
from domain.assist.model import AgendaQuestion, AssistState, Question
from domain.contracts.model import (
    COLLECTING,
    UNSIGNED,
    Contract,
    ContractStatus,
    Milestone,
    Payment,
    PaymentLine,
    PaymentPolicy,
    PaymentState,
    ReceivableLine,
    contract_number,
)
from domain.deals.model import (
    CLOSED,
    DealPage,
    DealQuery,
    DealSummary,
    HistoryEntry,
    Opportunity,
    Stage,
    StageChange,
)
from domain.delivery.model import AgendaItem, DeliveryItem, TemplateRow
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
from domain.handoffs.model import Handoff, HandoffState
from domain.intake.model import ApiKey, IntakeReceipt
from domain.leads.model import Lead, LeadStatus
from domain.money import Money
from domain.outbox.kinds import Kind, Subject, Valid
from domain.outbox.model import (
    Actions,
    Cancelled,
    HeldNotice,
    Notification,
    NotificationState,
    Reader,
    Rendered,
)
from domain.policy.model import TeamPolicy
from domain.quotes.model import (
    LIVE,
    ApprovalStep,
    Product,
    ProductPage,
    Quote,
    QuoteLine,
    QuotePolicy,
    QuoteStatus,
    QuoteSummary,
    QuoteTemplate,
    StepState,
    quote_number,
)
from domain.reminders.model import OPEN_STATES, Reminder, ReminderState
from domain.renewals.model import Renewal
from domain.team.model import AuditEvent, Invite, Role, Team, User
from domain.tickets.model import OPEN as TICKET_OPEN
from domain.tickets.model import RUNNING as TICKET_RUNNING
from domain.tickets.model import Ticket, TicketStatus
from domain.webhooks.model import WebhookDelivery, WebhookEndpoint

START = datetime(2026, 11, 26, 2, 0, tzinfo=UTC)  # Thursday 10:00 in Shanghai


class FakeClock:
    def __init__(self, start: datetime = START) -> None:
        self.current = start

    def now(self) -> datetime:
        return self.current

    def advance(self, **delta: float) -> datetime:
        self.current += timedelta(**delta)
        return self.current

    def set(self, at: datetime) -> None:
        self.current = at


class UniqueViolation(ValueError):
    """A row broke a constraint the real table has, a unique index or a NOT NULL (the databases raise an
    IntegrityError)."""


# --- copying rows ----------------------------------------------------------------------------------


def clone(value: Any) -> Any:
    """A deep copy of a row (a domain dataclass) or a container of rows. Built through the class's own
    __init__, so a class SQLAlchemy maps (storage/tables.py) gets a fresh instance state of its own."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        fields = dataclasses.fields(value)
        copy = type(value)(**{f.name: clone(getattr(value, f.name)) for f in fields if f.init})
        for f in fields:
            if not f.init:
                object.__setattr__(copy, f.name, clone(getattr(value, f.name)))
        return copy
    if isinstance(value, dict):
        return {k: clone(v) for k, v in value.items()}
    if isinstance(value, list):
        return [clone(v) for v in value]
    if isinstance(value, set):
        return {clone(v) for v in value}
    if isinstance(value, tuple):
        return tuple(clone(v) for v in value)
    return value


def _eq(a: object, b: object) -> bool:
    """SQL's `a = b`: never true when either side is NULL."""
    return a is not None and b is not None and a == b


def _open(deal: Opportunity | None) -> bool:
    return deal is not None and deal.stage not in CLOSED


class _Table:
    """Rows by id. `_state` names what a transaction saves and restores."""

    _state: tuple[str, ...] = ("rows",)

    def __init__(self) -> None:
        self.rows: dict[int, Any] = {}
        self._next = 1

    def _add(self, obj: Any) -> Any:
        if obj.id is None:
            while self._next in self.rows:
                self._next += 1
            obj.id = self._next
            self._next += 1
        elif obj.id in self.rows:
            raise UniqueViolation(f"{type(obj).__name__} {obj.id} exists")
        self.rows[obj.id] = obj
        return obj

    def _unique(self, obj: Any, *columns: str, where: Callable[[Any], bool] | None = None) -> None:
        """The unique index on `columns` (NULLs never clash; `where`: a partial index's predicate)."""
        key = tuple(getattr(obj, c) for c in columns)
        if any(v is None for v in key) or (where is not None and not where(obj)):
            return
        for other in self.rows.values():
            if other is not obj and tuple(getattr(other, c) for c in columns) == key and (where is None or where(other)):
                raise UniqueViolation(f"{type(obj).__name__}: {columns} = {key} exists")

    def _sorted(self, match: Callable[[Any], bool], key: Callable[[Any], Any]) -> list[Any]:
        return sorted((r for r in self.rows.values() if match(r)), key=key)


# --- the team ------------------------------------------------------------------------------------------


class FakeTeams(_Table):
    async def add(self, team: Team) -> Team:
        self._unique(team, "name")
        self._unique(team, "group_chat_id")
        return self._add(team)  # type: ignore[no-any-return]

    async def get(self, team_id: int) -> Team | None:
        return self.rows.get(team_id)

    async def by_name(self, name: str) -> Team | None:
        return next((t for t in self.rows.values() if t.name == name), None)

    async def by_group_chat(self, chat_id: int) -> Team | None:
        return next((t for t in self.rows.values() if _eq(t.group_chat_id, chat_id)), None)

    async def list(self) -> Sequence[Team]:
        return self._sorted(lambda t: True, lambda t: t.id)


class FakeUsers(_Table):
    async def add(self, user: User) -> User:
        self._unique(user, "telegram_id")
        return self._add(user)  # type: ignore[no-any-return]

    async def get(self, user_id: int) -> User | None:
        return self.rows.get(user_id)

    async def by_telegram_id(self, telegram_id: int) -> User | None:
        return next((u for u in self.rows.values() if u.telegram_id == telegram_id), None)

    async def in_team(self, team_id: int) -> Sequence[User]:
        return self._sorted(lambda u: u.team_id == team_id, lambda u: u.id)

    async def with_role(self, team_id: int, *roles: str) -> Sequence[User]:
        wanted = {Role(r) for r in roles}
        return self._sorted(lambda u: u.team_id == team_id and u.active and u.role in wanted, lambda u: u.id)

    async def admins(self) -> Sequence[User]:
        return self._sorted(lambda u: u.role is Role.ADMIN and u.active, lambda u: u.id)


class FakeInvites(_Table):
    async def add(self, invite: Invite) -> Invite:
        self._unique(invite, "code_hash")
        return self._add(invite)  # type: ignore[no-any-return]

    async def by_hash(self, code_hash: str) -> Invite | None:
        return next((i for i in self.rows.values() if i.code_hash == code_hash), None)

    async def claim(self, invite_id: int, user_id: int, now: object) -> bool:
        invite = self.rows.get(invite_id)
        if invite is None or invite.used_at is not None:
            return False
        invite.used_at, invite.used_by = now, user_id
        return True


class FakeAudit:
    _state = ("events",)

    def __init__(self) -> None:
        self.events: list[AuditEvent] = []

    async def add(self, event: AuditEvent) -> None:
        if event.id is None:
            event.id = len(self.events) + 1
        self.events.append(event)

    async def for_entity(self, entity: str, entity_id: int) -> Sequence[AuditEvent]:
        found = [e for e in self.events if e.entity == entity and _eq(e.entity_id, entity_id)]
        return sorted(found, key=lambda e: (e.at, e.id or 0))


# --- leads, deals, hand-offs -----------------------------------------------------------------------------


class _Linked(_Table):
    """A table whose queries read other tables of the same fake database."""

    def __init__(self, db: FakeUnitOfWork) -> None:
        super().__init__()
        self.db = db


class FakeLeads(_Table):
    async def add(self, lead: Lead) -> Lead:
        return self._add(lead)  # type: ignore[no-any-return]

    async def add_many(self, new: Sequence[Lead]) -> Sequence[Lead]:
        return [await self.add(lead) for lead in new]

    async def get(self, lead_id: int) -> Lead | None:
        return self.rows.get(lead_id)

    async def matching(
        self, *, phone: str | None, email: str | None, company_key: str | None, limit: int
    ) -> Sequence[Lead]:
        if not (phone or email or company_key):
            return []

        def hit(lead: Lead) -> bool:
            return bool(
                (phone and lead.phone == phone) or (email and lead.email == email)
                or (company_key and lead.company_key == company_key)
            )

        return self._sorted(hit, lambda lead: -lead.id)[:limit]

    async def in_team_matching(
        self, team_id: int, *, phones: Collection[str], emails: Collection[str], company_keys: Collection[str]
    ) -> Sequence[Lead]:
        wanted = {value for values in (phones, emails, company_keys) for value in values if value}

        def hit(lead: Lead) -> bool:  # as storage: each column against its own values, empty ones left out
            return lead.team_id == team_id and (
                (lead.phone in phones and lead.phone in wanted) or (lead.email in emails and lead.email in wanted)
                or (lead.company_key in company_keys and lead.company_key in wanted)
            )

        return self._sorted(hit, lambda lead: lead.id)

    async def captured_since(self, user_id: int, since: datetime) -> int:
        return sum(1 for lead in self.rows.values() if lead.created_by == user_id and lead.created_at > since)


def _idle_before(deal: Opportunity, cutoff: datetime) -> bool:
    """Nothing the owner did since `cutoff` (storage/deals_repo.py _idle_before)."""
    return (
        (deal.last_activity_at is None or deal.last_activity_at < cutoff)
        and (deal.owner_since is None or deal.owner_since < cutoff)
        and deal.created_at < cutoff
    )


def _past_recycle_time(deal: Opportunity, cutoffs: Mapping[int, Mapping[Stage, datetime]]) -> bool:
    stages = cutoffs.get(deal.team_id)
    return bool(stages) and deal.stage in stages and _idle_before(deal, stages[deal.stage])  # type: ignore[index]


class FakeOpportunities(_Linked):
    async def add(self, opportunity: Opportunity) -> Opportunity:
        return self._add(opportunity)  # type: ignore[no-any-return]

    async def add_many(self, new: Sequence[Opportunity]) -> Sequence[Opportunity]:
        return [await self.add(opportunity) for opportunity in new]

    async def get(self, opportunity_id: int) -> Opportunity | None:
        return self.rows.get(opportunity_id)

    async def for_leads(self, lead_ids: Collection[int]) -> Sequence[Opportunity]:
        wanted = set(lead_ids)
        return self._sorted(lambda o: o.lead_id in wanted, lambda o: o.id)

    def _pending(self, deal: Opportunity, to_user: int | None = None) -> Handoff | None:
        return next(
            (
                h for h in self.db.handoffs.rows.values()
                if h.opportunity_id == deal.id and h.state is HandoffState.PENDING
                and (to_user is None or h.to_user_id == to_user)
            ),
            None,
        )

    def _matches(self, query: DealQuery, deal: Opportunity) -> bool:
        if query.team_id is not None and deal.team_id != query.team_id:
            return False
        if query.mine is not None and not (_eq(deal.owner_id, query.mine) or self._pending(deal, query.mine)):
            return False
        if query.stage is not None and deal.stage != query.stage:
            return False
        if query.stage is None and deal.stage in CLOSED:
            return False
        if query.waiting and self._pending(deal) is None:
            return False
        if query.pool and not (deal.owner_id is None and deal.pooled_at is not None):
            return False
        if query.captured_by is not None:
            lead = self.db.leads.rows.get(deal.lead_id)
            if lead is None or lead.created_by != query.captured_by:
                return False
            if deal.owner_id == query.captured_by or self._pending(deal, query.captured_by):
                return False
        return query.stale_cutoffs is None or _past_recycle_time(deal, query.stale_cutoffs)

    async def count(self, query: DealQuery) -> int:
        return sum(1 for deal in self.rows.values() if self._matches(query, deal))

    async def page(self, query: DealQuery, offset: int, limit: int) -> DealPage:
        found = [d for d in self.rows.values() if self._matches(query, d) and d.lead_id in self.db.leads.rows]

        def activity(d: Opportunity) -> datetime:
            return d.last_activity_at or d.created_at

        if query.pool:
            found.sort(key=lambda d: (d.pooled_at, d.id))
        elif query.stale_cutoffs is not None:
            found.sort(key=lambda d: (activity(d), d.id))
        else:
            found.sort(key=lambda d: (activity(d), d.id), reverse=True)
        users = self.db.users.rows
        items = []
        for d in found[offset : offset + limit]:
            lead = self.db.leads.rows[d.lead_id]
            owner = users.get(d.owner_id) if d.owner_id is not None else None
            pending = self._pending(d)
            assignee = users.get(pending.to_user_id) if pending else None
            items.append(DealSummary(
                id=d.id, title=d.title, company=lead.company, stage=d.stage, owner_name=owner.name if owner else None,
                amount_minor=d.amount_minor, last_activity_at=d.last_activity_at, waiting_handoff=pending is not None,
                score=lead.score, pooled_at=d.pooled_at, recycled=d.recycled_at is not None and d.pooled_at is not None,
                currency=d.currency, waiting_for=assignee.name if assignee else None,
            ))
        return DealPage(items=items, total=len(found))

    async def load(self, team_id: int) -> Mapping[int, int]:
        counts: dict[int, int] = defaultdict(int)
        for d in self.rows.values():
            if d.team_id == team_id and d.owner_id is not None and d.stage not in CLOSED:
                counts[d.owner_id] += 1
        for h in self.db.handoffs.rows.values():
            if h.team_id == team_id and h.state is HandoffState.PENDING:
                counts[h.to_user_id] += 1
        return dict(counts)

    async def pool_claims(self, user_id: int) -> int:
        return sum(
            1 for d in self.rows.values() if d.owner_id == user_id and d.claimed_from_pool and d.stage not in CLOSED
        )

    async def claim(self, opportunity_id: int, user_id: int, now: datetime) -> bool:
        d = self.rows.get(opportunity_id)
        if d is None or d.owner_id is not None or d.pooled_at is None or d.stage in CLOSED:
            return False
        d.owner_id, d.owner_since, d.pooled_at, d.claimed_from_pool, d.updated_at = user_id, now, None, True, now
        d.silence_level, d.silence_check_at = 0, now
        return True

    async def idle(
        self, cutoffs: Mapping[int, Mapping[Stage, datetime]], limit: int, skip: Collection[int] = ()
    ) -> Sequence[Opportunity]:
        def due(d: Opportunity) -> bool:
            return (
                d.stage not in CLOSED and d.owner_id is not None and d.id not in skip
                and _past_recycle_time(d, cutoffs) and self._pending(d) is None
            )

        # ORDER BY last_activity_at: a deal never worked on comes last, as on PostgreSQL (SQLite puts it first).
        return self._sorted(due, lambda d: (d.last_activity_at is None, d.last_activity_at or d.created_at, d.id))[:limit]

    async def release(self, opportunity: Opportunity, *, owner_id: int, cutoff: datetime, now: datetime) -> bool:
        d = self.rows.get(opportunity.id or 0)
        if (
            d is None or d.owner_id != owner_id or d.stage != opportunity.stage or d.stage in CLOSED
            or not _idle_before(d, cutoff)
        ):
            return False
        d.owner_id, d.owner_since, d.pooled_at, d.recycled_from_id, d.recycled_at = None, None, now, owner_id, now
        d.claimed_from_pool, d.updated_at = False, now
        return True


class FakeStageChanges(_Linked):
    async def add(self, change: StageChange) -> StageChange:
        return self._add(change)  # type: ignore[no-any-return]

    async def add_many(self, new: Sequence[StageChange]) -> Sequence[StageChange]:
        if any(change.team_id is None for change in new):  # as storage: a bulk move names its team
            raise ValueError("add_many: every stage change names its deal's team")
        return [await self.add(change) for change in new]

    async def history(self, opportunity_id: int) -> Sequence[HistoryEntry]:
        users = self.db.users.rows
        changes = sorted(
            (c for c in self.rows.values() if c.opportunity_id == opportunity_id),
            key=lambda c: (c.at, c.id), reverse=True,
        )
        return [
            HistoryEntry(
                from_stage=c.from_stage, to_stage=c.to_stage, at=c.at, actor_id=c.actor_id,
                actor_name=users[c.actor_id].name if c.actor_id in users else None, override=bool(c.override),
                note=c.note,
            )
            for c in changes
        ]


def _waits(handoff: Handoff) -> bool:
    return handoff.state is HandoffState.PENDING


class FakeHandoffs(_Table):
    async def add(self, handoff: Handoff) -> Handoff:
        self._unique(handoff, "opportunity_id", where=_waits)  # uq_handoffs_pending_opportunity
        return self._add(handoff)  # type: ignore[no-any-return]

    async def add_many(self, new: Sequence[Handoff]) -> Sequence[Handoff]:
        return [await self.add(handoff) for handoff in new]

    async def get(self, handoff_id: int) -> Handoff | None:
        return self.rows.get(handoff_id)

    async def pending_for(self, opportunity_id: int) -> Handoff | None:
        return next((h for h in self.rows.values() if h.opportunity_id == opportunity_id and _waits(h)), None)

    async def for_opportunity(self, opportunity_id: int) -> Sequence[Handoff]:
        return self._sorted(lambda h: h.opportunity_id == opportunity_id, lambda h: h.id)

    async def due(self, now: datetime, limit: int, skip: Collection[int] = ()) -> Sequence[Handoff]:
        return self._sorted(
            lambda h: _waits(h) and h.deadline_at <= now and h.id not in skip, lambda h: (h.deadline_at, h.id)
        )[:limit]

    async def transition(self, handoff: Handoff, *, expect: Collection[HandoffState], **changes: object) -> bool:
        row = self.rows.get(handoff.id or 0)
        if row is None or row.state not in expect:
            return False
        if changes.get("state", row.state) is HandoffState.PENDING and row.state is not HandoffState.PENDING:
            self._unique(dataclasses.replace(row, state=HandoffState.PENDING), "opportunity_id", where=_waits)
        for name, value in changes.items():
            setattr(row, name, value)
        if row is not handoff:
            for name, value in changes.items():
                setattr(handoff, name, value)
        return True


# --- reminders and follow-up -----------------------------------------------------------------------------

OPEN_REMINDER = (ReminderState.PENDING, ReminderState.SNOOZED, ReminderState.SENT)


class FakeReminders(_Table):
    async def add(self, reminder: Reminder) -> Reminder:
        return self._add(reminder)  # type: ignore[no-any-return]

    async def get(self, reminder_id: int) -> Reminder | None:
        return self.rows.get(reminder_id)

    async def open_for_user(self, user_id: int, *, offset: int, limit: int) -> tuple[Sequence[Reminder], int]:
        mine = self._sorted(lambda r: r.user_id == user_id and r.state in OPEN_STATES, lambda r: (r.due_at, r.id))
        return mine[offset : offset + limit], len(mine)

    async def personal_open(self, user_id: int) -> int:
        return sum(
            1 for r in self.rows.values() if r.user_id == user_id and r.state in OPEN_STATES and r.subject_kind is None
        )

    async def due(self, now: datetime, limit: int, skip: Collection[int] = ()) -> Sequence[Reminder]:
        return self._sorted(
            lambda r: r.state in OPEN_STATES and r.due_at <= now and r.id not in skip, lambda r: (r.due_at, r.id)
        )[:limit]

    async def due_between(self, team_id: int, start: datetime, end: datetime) -> Sequence[Reminder]:
        return self._sorted(
            lambda r: r.team_id == team_id and r.state in OPEN_STATES and start <= r.due_at < end,
            lambda r: (r.user_id, r.due_at, r.id),
        )

    async def transition(
        self, reminder: Reminder, *, expect: Collection[ReminderState], round: int | None = None,
        **changes: object,
    ) -> bool:
        row = self.rows.get(reminder.id or 0)
        if row is None or row.state not in expect or (round is not None and row.snoozes != round):
            return False
        for target in {id(row): row, id(reminder): reminder}.values():
            for name, value in changes.items():
                setattr(target, name, value)
        return True


class FakeDigestRuns:
    _state = ("claimed",)

    def __init__(self) -> None:
        self.claimed: dict[tuple[int, str, date], datetime] = {}

    async def claim(self, team_id: int, kind: str, day: date, now: datetime) -> bool:
        if (team_id, kind, day) in self.claimed:
            return False
        self.claimed[(team_id, kind, day)] = now
        return True


class FakeActivities(_Table):
    async def add(self, activity: Activity) -> Activity:
        return self._add(activity)  # type: ignore[no-any-return]

    async def for_opportunity(self, opportunity_id: int, limit: int) -> Sequence[Activity]:
        found = [a for a in self.rows.values() if a.opportunity_id == opportunity_id]
        return sorted(found, key=lambda a: (a.at, a.id), reverse=True)[:limit]


def _followup_of(r: Reminder, opportunity_id: int | None, user_id: int | None) -> bool:
    return r.subject_kind == SUBJECT_OPPORTUNITY and _eq(r.subject_id, opportunity_id) and _eq(r.user_id, user_id)


class FakeFollowups:
    """Reads and writes the deals, reminders, activities and hand-offs of its fake database."""

    _state: tuple[str, ...] = ()

    def __init__(self, db: FakeUnitOfWork) -> None:
        self.db = db

    @property
    def _deals(self) -> dict[int, Opportunity]:
        return self.db.opportunities.rows

    @property
    def _reminders(self) -> dict[int, Reminder]:
        return self.db.reminders.rows

    def _visible(self, visibility: Visibility, d: Opportunity) -> bool:
        return (visibility.owner_id is None or _eq(d.owner_id, visibility.owner_id)) and (
            visibility.team_id is None or d.team_id == visibility.team_id
        )

    # the silence watch

    async def silent(self, now: datetime, limit: int, skip: Collection[int] = ()) -> Sequence[Opportunity]:
        due = [
            d for d in self._deals.values()
            if d.silence_check_at is not None and d.silence_check_at <= now and d.id not in skip
        ]
        return sorted(due, key=lambda d: (d.silence_check_at, d.id))[:limit]

    async def set_silence(
        self, opportunity: Opportunity, *, expect_level: int, expect_check: datetime | None, level: int,
        check_at: datetime | None,
    ) -> bool:
        d = self._deals.get(opportunity.id or 0)
        if d is None or d.silence_level != expect_level or d.silence_check_at != expect_check:
            return False
        for target in {id(d): d, id(opportunity): opportunity}.values():
            target.silence_level, target.silence_check_at = level, check_at
        return True

    async def recheck_team(self, team_id: int, at: datetime) -> int:
        changed = 0
        for d in self._deals.values():
            if (
                d.team_id == team_id and d.stage not in CLOSED and d.owner_id is not None
                and (d.silence_check_at is None or d.silence_check_at > at)
            ):
                d.silence_check_at = at
                changed += 1
        return changed

    async def recheck_deal(self, opportunity_id: int, at: datetime) -> None:
        d = self._deals.get(opportunity_id)
        if d is not None and d.silence_check_at is not None and d.silence_check_at > at:
            d.silence_check_at = at

    # follow-up reminders

    async def has_next_step(self, opportunity_id: int, user_id: int) -> bool:
        return any(
            _followup_of(r, opportunity_id, user_id) and r.state in OPEN_REMINDER for r in self._reminders.values()
        )

    async def complete_followups(self, opportunity_id: int, user_id: int, now: datetime) -> int:
        done = 0
        for r in self._reminders.values():
            if _followup_of(r, opportunity_id, user_id) and r.state in OPEN_REMINDER:
                r.state, r.done_at = ReminderState.DONE, now
                done += 1
        return done

    async def escalations_due(self, now: datetime, limit: int, skip: Collection[int] = ()) -> Sequence[Reminder]:
        due = [
            r for r in self._reminders.values()
            if r.state is ReminderState.SENT and r.escalate_at is not None and r.escalate_at <= now and r.id not in skip
        ]
        return sorted(due, key=lambda r: (r.escalate_at, r.id))[:limit]

    async def claim_escalation(self, reminder: Reminder, now: datetime, *, escalated: bool) -> bool:
        if reminder.escalate_at is None:
            return False
        row = self._reminders.get(reminder.id or 0)
        if row is None or row.state is not ReminderState.SENT or row.escalate_at != reminder.escalate_at:
            return False
        for target in {id(row): row, id(reminder): reminder}.values():
            target.escalate_at = None
            if escalated:
                target.escalated_at = now
        return True

    # the timeline

    def _activities(self, opportunity_id: int) -> list[Activity]:
        found = [a for a in self.db.activities.rows.values() if a.opportunity_id == opportunity_id]
        return sorted(found, key=lambda a: (a.at, a.id), reverse=True)

    async def last_activity(self, opportunity_id: int) -> Activity | None:
        return next(iter(self._activities(opportunity_id)), None)

    async def timeline(self, opportunity_id: int, offset: int, limit: int) -> tuple[Sequence[TimelineEntry], int]:
        found = self._activities(opportunity_id)
        users = self.db.users.rows
        entries = [
            TimelineEntry(
                id=a.id, kind=a.kind, at=a.at, actor_id=a.actor_id,
                actor_name=users[a.actor_id].name if a.actor_id in users else None, outcome=a.outcome, note=a.note,
                voice_file_id=a.voice_file_id, needs=a.needs, next_step=a.next_step, next_due=a.next_due,
            )
            for a in found[offset : offset + limit]
        ]
        return entries, len(found)

    # the morning agenda

    def _company(self, deal: Opportunity | None) -> str | None:
        lead = self.db.leads.rows.get(deal.lead_id) if deal is not None else None
        return lead.company if lead is not None else None

    async def agenda(self, team_id: int, start: datetime, end: datetime, now: datetime) -> Sequence[AgendaLine]:
        lines: list[AgendaLine] = []
        for r in self._reminders.values():
            if r.team_id != team_id:
                continue
            followup = r.subject_kind == SUBJECT_OPPORTUNITY
            deal = self._deals.get(r.subject_id) if followup and r.subject_id is not None else None
            live = deal is None or deal.stage not in CLOSED
            if r.due_at < end and live and (
                (r.state in OPEN_STATES and r.due_at >= max(start, now))
                or (followup and r.state is ReminderState.SENT and r.due_at >= start)
            ):
                lines.append(AgendaLine(r.user_id, "today", r.due_at, r.text, self._company(deal), r.note))
            if (
                r.state is ReminderState.SENT and followup and r.due_at < start and _open(deal)
                and deal is not None and deal.owner_id == r.user_id
            ):
                lines.append(AgendaLine(r.user_id, "overdue", r.due_at, r.text, self._company(deal), r.note))
        for h in self.db.handoffs.rows.values():
            deal = self._deals.get(h.opportunity_id)
            company = self._company(deal)
            if h.team_id == team_id and _waits(h) and company is not None:
                lines.append(AgendaLine(h.to_user_id, "handoff", h.deadline_at, company, None, None))
        order = {"today": 0, "overdue": 1, "handoff": 2}
        return sorted(lines, key=lambda line: (line.user_id, order[line.section], line.at, line.text))

    # search

    async def search(self, visibility: Visibility, query: SearchQuery, limit: int) -> Sequence[SearchRow]:
        words = [w.casefold() for w in query.words]

        def has(text: str | None, word: str) -> bool:
            return text is not None and word in text.casefold()

        def matches(d: Opportunity, lead: Lead) -> bool:
            if not self._visible(visibility, d):
                return False
            if query.digits and not has(lead.phone, query.digits):
                return False
            notes = [(a.note, a.needs) for a in self._activities(d.id or 0)]
            return all(
                any(has(t, w) for t in (lead.company, lead.contact_name, lead.phone, lead.email, d.title))
                or any(has(note, w) or has(needs, w) for note, needs in notes)
                for w in words
            )

        found = []
        for d in self._deals.values():
            lead = self.db.leads.rows.get(d.lead_id)
            if lead is not None and matches(d, lead):
                found.append((d, lead))
        found.sort(key=lambda pair: (pair[0].last_activity_at or pair[0].created_at, pair[0].id), reverse=True)
        rows = []
        for d, lead in found[:limit]:
            notes: list[str] = []
            if words:
                for a in self._activities(d.id or 0):
                    if has(a.note, words[0]) or has(a.needs, words[0]):
                        notes.extend(t for t in (a.note, a.needs) if t)
            rows.append(SearchRow(
                opportunity_id=d.id or 0, title=d.title, stage=d.stage, company=lead.company,
                contact_name=lead.contact_name, phone=lead.phone, email=lead.email, notes=tuple(notes),
            ))
        return rows

    # the stale report

    async def stale(self, visibility: Visibility, now: datetime) -> Sequence[StaleRow]:
        rows = []
        for d in sorted(self._deals.values(), key=lambda d: d.id):
            owner = self.db.users.rows.get(d.owner_id) if d.owner_id is not None else None
            lead = self.db.leads.rows.get(d.lead_id)
            if owner is None or lead is None or d.stage in CLOSED or not self._visible(visibility, d):
                continue
            steps = [r for r in self._reminders.values() if _followup_of(r, d.id, d.owner_id)]
            overdue = min(
                (r.due_at for r in steps if r.state is ReminderState.SENT and r.due_at < now), default=None
            )
            if d.silence_level >= 1 or overdue is not None:
                rows.append(StaleRow(
                    opportunity=d, company=lead.company, owner_name=owner.name, overdue_since=overdue,
                    has_next_step=any(r.state in OPEN_REMINDER for r in steps),
                ))
        return rows


# --- the pipeline policy ---------------------------------------------------------------------------------


class FakePolicies(_Table):
    async def ensure(self, team_id: int) -> TeamPolicy:
        found = next((p for p in self.rows.values() if p.team_id == team_id), None)
        if found is None:
            found = self._add(TeamPolicy(team_id=team_id))
        return found  # type: ignore[no-any-return]

    async def all(self) -> Sequence[TeamPolicy]:
        return self._sorted(lambda p: True, lambda p: p.team_id)


class FakeRepSkills:
    _state = ("skills",)

    def __init__(self, db: FakeUnitOfWork) -> None:
        self.db = db
        self.skills: set[tuple[int, str, str]] = set()  # the primary key (user_id, kind, value)

    async def of_team(self, team_id: int) -> Mapping[int, Mapping[str, frozenset[str]]]:
        found: dict[int, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
        for user_id, kind, value in self.skills:
            user = self.db.users.rows.get(user_id)
            if user is not None and user.team_id == team_id:
                found[user_id][kind].add(value)
        return {uid: {k: frozenset(v) for k, v in kinds.items()} for uid, kinds in found.items()}

    async def of_user(self, user_id: int) -> Mapping[str, frozenset[str]]:
        found: dict[str, set[str]] = defaultdict(set)
        for uid, kind, value in self.skills:
            if uid == user_id:
                found[kind].add(value)
        return {k: frozenset(v) for k, v in found.items()}

    async def replace(self, user_id: int, kind: str, values: Collection[str]) -> None:
        self.skills = {s for s in self.skills if (s[0], s[1]) != (user_id, kind)}
        for value in values:
            if (user_id, kind, value) in self.skills:
                raise UniqueViolation(f"rep skill {(user_id, kind, value)} twice")
            self.skills.add((user_id, kind, value))


# --- the intake: API keys and idempotency receipts ---------------------------------------------------------


class FakeApiKeys(_Table):
    async def add(self, key: ApiKey) -> ApiKey:
        self._unique(key, "key_hash")
        self._unique(key, "form_slug")
        return self._add(key)  # type: ignore[no-any-return]

    async def get(self, key_id: int) -> ApiKey | None:
        return self.rows.get(key_id)

    async def by_hash(self, key_hash: str) -> ApiKey | None:
        return next((k for k in self.rows.values() if k.key_hash == key_hash), None)

    async def by_form_slug(self, slug: str) -> ApiKey | None:
        return next((k for k in self.rows.values() if k.form_slug == slug), None)

    async def of_team(self, team_id: int) -> Sequence[ApiKey]:
        return self._sorted(lambda k: k.team_id == team_id and k.revoked_at is None, lambda k: k.id)


class FakeReceipts(_Table):
    async def get(self, api_key_id: int, idempotency_key: str) -> IntakeReceipt | None:
        return next(
            (r for r in self.rows.values() if (r.api_key_id, r.idempotency_key) == (api_key_id, idempotency_key)), None
        )

    async def add(self, receipt: IntakeReceipt) -> IntakeReceipt:
        self._unique(receipt, "api_key_id", "idempotency_key")  # uq_intake_receipts_key
        return self._add(receipt)  # type: ignore[no-any-return]


# --- outbound webhooks -----------------------------------------------------------------------------------


class FakeWebhooks(_Table):
    _state = ("rows", "deliveries")

    def __init__(self) -> None:
        super().__init__()
        self.deliveries: dict[int, WebhookDelivery] = {}

    async def add(self, endpoint: WebhookEndpoint) -> WebhookEndpoint:
        return self._add(endpoint)  # type: ignore[no-any-return]

    async def get(self, endpoint_id: int) -> WebhookEndpoint | None:
        return self.rows.get(endpoint_id)

    async def of_team(self, team_id: int) -> Sequence[WebhookEndpoint]:
        return self._sorted(lambda e: e.team_id == team_id, lambda e: e.id)

    async def listening(self, team_id: int, event: str) -> Sequence[WebhookEndpoint]:
        # Paused endpoints too, as storage does: what happens meanwhile waits for the resume.
        return self._sorted(lambda e: e.team_id == team_id and event in e.events, lambda e: e.id)

    async def remove(self, endpoint: WebhookEndpoint) -> None:
        self.deliveries = {k: d for k, d in self.deliveries.items() if d.endpoint_id != endpoint.id}
        self.rows.pop(endpoint.id or 0, None)

    async def queue(self, delivery: WebhookDelivery) -> None:
        delivery.id = max(self.deliveries, default=0) + 1
        self.deliveries[delivery.id] = delivery


# --- contracts and payments (their sweeps run with the pipeline's; the agenda lists money due) ----------


class FakeContracts(_Linked):
    """Contracts, with their milestones and payments in tables of their own (FakeUnitOfWork registers them,
    so a transaction saves and restores them too)."""

    def __init__(self, db: FakeUnitOfWork) -> None:
        super().__init__(db)
        self.milestone_rows = _Table()
        self.payment_rows = _Table()
        self.policy_rows = _Table()

    async def add(self, contract: Contract) -> Contract:
        self._unique(contract, "team_id", "year", "seq")
        return self._add(contract)  # type: ignore[no-any-return]

    async def get(self, contract_id: int) -> Contract | None:
        return self.rows.get(contract_id)

    async def next_seq(self, team_id: int, year: int) -> int:
        return max((c.seq for c in self.rows.values() if c.team_id == team_id and c.year == year), default=0) + 1

    async def for_deal(self, opportunity_id: int) -> Sequence[Contract]:
        return self._sorted(lambda c: c.opportunity_id == opportunity_id, lambda c: -c.id)

    async def lock(self, contract_id: int) -> None:
        return None  # one transaction at a time

    async def move(self, contract: Contract, *, expect: Collection[ContractStatus], **changes: object) -> bool:
        row = self.rows.get(contract.id or 0)
        if row is None or row.status not in expect:
            return False
        for name, value in changes.items():
            setattr(row, name, value)
            setattr(contract, name, value)
        return True

    async def by_number(self, team_id: int, year: int, seq: int) -> Contract | None:
        return next((c for c in self.rows.values() if (c.team_id, c.year, c.seq) == (team_id, year, seq)), None)

    async def open_milestones(self, team_id: int) -> Sequence[Milestone]:
        def open_(m: Milestone) -> bool:
            contract = self.rows.get(m.contract_id)
            return (m.team_id == team_id and m.paid_minor < m.amount_minor and contract is not None
                    and contract.status in COLLECTING)

        return self.milestone_rows._sorted(open_, lambda m: m.id)

    async def policy(self, team_id: int) -> PaymentPolicy:
        found = next((p for p in self.policy_rows.rows.values() if p.team_id == team_id), None)
        return found if found is not None else PaymentPolicy(team_id=team_id)

    async def save_policy(self, policy: PaymentPolicy) -> PaymentPolicy:
        if policy.id is None:
            self.policy_rows._unique(policy, "team_id")
            self.policy_rows._add(policy)
        return policy

    async def signing_due(self, now: datetime, limit: int, skip: Collection[int] = ()) -> Sequence[Contract]:
        due = self._sorted(
            lambda c: c.check_at is not None and c.check_at <= now and c.status in UNSIGNED and c.id not in skip,
            lambda c: (c.check_at, c.id),
        )
        return due[:limit]

    # the plan
    async def add_milestone(self, milestone: Milestone) -> Milestone:
        return self.milestone_rows._add(milestone)  # type: ignore[no-any-return]

    async def milestones(self, contract_id: int) -> Sequence[Milestone]:
        return self.milestone_rows._sorted(lambda m: m.contract_id == contract_id, lambda m: (m.position, m.id))

    async def clear_milestones(self, contract_id: int) -> None:
        for milestone in await self.milestones(contract_id):
            del self.milestone_rows.rows[milestone.id]

    async def get_milestone(self, milestone_id: int) -> Milestone | None:
        return self.milestone_rows.rows.get(milestone_id)  # type: ignore[no-any-return]

    async def milestones_due(self, now: datetime, limit: int, skip: Collection[int] = ()) -> Sequence[Milestone]:
        def due(m: Milestone) -> bool:
            contract = self.rows.get(m.contract_id)
            return (
                m.check_at is not None and m.check_at <= now and m.paid_minor < m.amount_minor
                and contract is not None and contract.status in COLLECTING and m.id not in skip
            )

        return self.milestone_rows._sorted(due, lambda m: (m.check_at, m.id))[:limit]

    # payments
    async def add_payment(self, payment: Payment) -> Payment:
        return self.payment_rows._add(payment)  # type: ignore[no-any-return]

    async def get_payment(self, payment_id: int) -> Payment | None:
        return self.payment_rows.rows.get(payment_id)  # type: ignore[no-any-return]

    async def payments(self, contract_id: int) -> Sequence[Payment]:
        return self.payment_rows._sorted(lambda p: p.contract_id == contract_id, lambda p: p.id)

    async def decide_payment(self, payment: Payment, *, expect: PaymentState, **changes: object) -> bool:
        row = self.payment_rows.rows.get(payment.id or 0)
        if row is None or row.state is not expect:
            return False
        for name, value in changes.items():
            setattr(row, name, value)
            setattr(payment, name, value)
        return True

    async def waiting_payments(self, team_id: int | None) -> Sequence[Payment]:
        waiting = self.payment_rows._sorted(
            lambda p: p.state is PaymentState.REPORTED and (team_id is None or p.team_id == team_id),
            lambda p: (p.reported_at, p.id),
        )
        return waiting[:200]

    # receivables
    def _company(self, contract: Contract) -> str:
        deal = self.db.opportunities.rows.get(contract.opportunity_id)
        lead = self.db.leads.rows.get(deal.lead_id) if deal is not None else None
        return lead.company if lead is not None else ""

    async def receivables(self, team_id: int | None, owner_id: int | None) -> Sequence[ReceivableLine]:
        lines = []
        for m in self.milestone_rows.rows.values():
            c = self.rows.get(m.contract_id)
            if c is None or c.status not in COLLECTING or m.paid_minor >= m.amount_minor:
                continue
            if (team_id is not None and c.team_id != team_id) or (owner_id is not None and c.owner_id != owner_id):
                continue
            owner = self.db.users.rows.get(c.owner_id)
            lines.append((m.due_on, c.id, m.position, ReceivableLine(
                contract_id=c.id, number=contract_number(c.year, c.seq), company=self._company(c),
                owner_id=c.owner_id, owner_name=owner.name if owner is not None else "", position=m.position,
                label=m.label, due_on=m.due_on, outstanding=Money(m.amount_minor - m.paid_minor, m.currency),
            )))
        return [line for *_, line in sorted(lines, key=lambda t: t[:3])]

    async def payment_lines(self, team_id: int | None, owner_id: int | None, limit: int) -> Sequence[PaymentLine]:
        lines = []
        for p in self.payment_rows.rows.values():
            c = self.rows.get(p.contract_id)
            if c is None or (team_id is not None and p.team_id != team_id):
                continue
            if owner_id is not None and c.owner_id != owner_id:
                continue
            by = self.db.users.rows.get(p.reported_by)
            lines.append((p.paid_on, p.id, PaymentLine(
                number=contract_number(c.year, c.seq), company=self._company(c),
                amount=Money(p.amount_minor, p.currency), paid_on=p.paid_on, method=p.method, state=p.state,
                reported_by=by.name if by is not None else "",
                confirmed=Money(p.confirmed_minor, p.currency) if p.confirmed_minor is not None else None,
            )))
        return [line for *_, line in sorted(lines, key=lambda t: t[:2], reverse=True)][:limit]


# --- after-sales: delivery checklists in full; tickets and renewals only as far as their sweeps read ----


class FakeChecklists(_Linked):
    """Delivery items (a deal entering delivery opens its checklist), with the teams' templates."""

    def __init__(self, db: FakeUnitOfWork) -> None:
        super().__init__(db)
        self.template_rows = _Table()

    async def add(self, item: DeliveryItem) -> DeliveryItem:
        return self._add(item)  # type: ignore[no-any-return]

    async def get(self, item_id: int) -> DeliveryItem | None:
        return self.rows.get(item_id)

    async def for_deal(self, opportunity_id: int) -> Sequence[DeliveryItem]:
        return self._sorted(lambda i: i.opportunity_id == opportunity_id, lambda i: (i.position, i.id))

    async def update(self, item: DeliveryItem, *, open_only: bool, stage: int | None = None, **changes: object) -> bool:
        row = self.rows.get(item.id or 0)
        if row is None or (open_only and row.done_at is not None) or (stage is not None and row.nudge_stage != stage):
            return False
        for name, value in changes.items():
            setattr(row, name, value)
            setattr(item, name, value)
        return True

    async def due(self, now: datetime, limit: int, skip: Collection[int] = ()) -> Sequence[DeliveryItem]:
        due = self._sorted(
            lambda i: i.check_at is not None and i.check_at <= now and i.done_at is None and i.id not in skip,
            lambda i: (i.check_at, i.id),
        )
        return due[:limit]

    async def agenda(self, team_id: int, until: datetime) -> Sequence[AgendaItem]:
        items = []
        for i in self.rows.values():
            deal = self.db.opportunities.rows.get(i.opportunity_id)
            lead = self.db.leads.rows.get(deal.lead_id) if deal is not None else None
            if (i.team_id != team_id or i.done_at is not None or i.due_at >= until or deal is None
                    or deal.stage is not Stage.DELIVERY or lead is None):
                continue
            items.append(AgendaItem(i.owner_id, i.id, i.key, i.name, lead.company, i.due_at))
        return sorted(items, key=lambda a: (a.owner_id, a.due_at, a.item_id))

    async def template(self, team_id: int) -> Sequence[TemplateRow]:
        return self.template_rows._sorted(lambda r: r.team_id == team_id, lambda r: r.position)

    async def set_template(self, team_id: int, rows: Sequence[TemplateRow]) -> None:
        for row in await self.template(team_id):
            del self.template_rows.rows[row.id]
        for row in rows:
            self.template_rows._add(row)


class _SweptOnly(_Table):
    """A repository the in-memory pipeline knows only as far as its sweep reads (empty unless a test adds
    rows); anything else is for the flow tests on the databases, and says so."""

    def __getattr__(self, name: str) -> Any:
        if name.startswith("__"):
            raise AttributeError(name)
        raise NotImplementedError(f"{type(self).__name__}.{name} is not faked: test it on the databases")


class FakeTickets(_SweptOnly):
    async def due(self, now: datetime, limit: int, skip: Collection[int] = ()) -> Sequence[Ticket]:
        due = self._sorted(
            lambda t: t.check_at is not None and t.check_at <= now and t.status in TICKET_RUNNING and t.id not in skip,
            lambda t: (t.check_at, t.id),
        )
        return due[:limit]


class FakeRenewals(_SweptOnly):
    async def due(self, now: datetime, limit: int, skip: Collection[int] = ()) -> Sequence[Renewal]:
        due = self._sorted(
            lambda r: r.nudged_at is None and r.new_opportunity_id is None and r.nudge_at <= now and r.id not in skip,
            lambda r: (r.nudge_at, r.id),
        )
        return due[:limit]


class FakeAssists(_Linked):
    """Questions to a colleague (cross-team help): their sweep and the morning agenda read them."""

    async def add(self, question: Question) -> Question:
        return self._add(question)  # type: ignore[no-any-return]

    async def get(self, question_id: int) -> Question | None:
        return self.rows.get(question_id)

    async def update(self, question: Question, *, expect: Collection[AssistState], stage: int | None = None,
                     **changes: object) -> bool:
        row = self.rows.get(question.id or 0)
        if row is None or row.state not in expect or (stage is not None and row.nudge_stage != stage):
            return False
        for name, value in changes.items():
            setattr(row, name, value)
            setattr(question, name, value)
        return True

    async def for_subject(self, *, ticket_id: int | None = None, opportunity_id: int | None = None,
                          limit: int = 10) -> Sequence[Question]:
        def match(q: Question) -> bool:
            if ticket_id is not None:
                return q.ticket_id == ticket_id
            return q.ticket_id is None and q.opportunity_id == opportunity_id

        return self._sorted(match, lambda q: (q.created_at, q.id))[::-1][:limit]

    async def due(self, now: datetime, limit: int, skip: Collection[int] = ()) -> Sequence[Question]:
        due = self._sorted(
            lambda q: q.check_at is not None and q.check_at <= now and q.state in ASSIST_PENDING and q.id not in skip,
            lambda q: (q.check_at, q.id),
        )
        return due[:limit]

    async def agenda(self, team_id: int) -> Sequence[AgendaQuestion]:
        found = []
        for q in self.rows.values():
            asker = self.db.users.rows.get(q.asked_by)
            if q.team_id == team_id and q.state in ASSIST_PENDING and asker is not None:
                found.append(AgendaQuestion(q.helper_id, q.id, q.company, asker.name, q.due_at))
        return sorted(found, key=lambda a: (a.helper_id, a.due_at, a.question_id))


# --- quotes (the sweeps of approvals and expiry run with the pipeline's) -----------------------------------

AGREED_FOR_HISTORY = (QuoteStatus.APPROVED, QuoteStatus.SENT, QuoteStatus.ACCEPTED)


class FakeProducts(_Table):
    async def add(self, product: Product) -> Product:
        self._unique(product, "team_id", "code")
        return self._add(product)  # type: ignore[no-any-return]

    async def get(self, product_id: int) -> Product | None:
        return self.rows.get(product_id)

    async def by_codes(self, team_id: int, codes: Collection[str]) -> Sequence[Product]:
        wanted = set(codes)
        return [p for p in self.rows.values() if p.team_id == team_id and p.code in wanted]

    async def all_codes(self, team_id: int) -> Sequence[Product]:
        return self._sorted(lambda p: p.team_id == team_id, lambda p: p.code)

    async def page(self, team_id: int, *, query: str | None, active_only: bool, offset: int, limit: int) -> ProductPage:
        needle = (query or "").lower()

        def hit(p: Product) -> bool:
            if p.team_id != team_id or (active_only and not p.active):
                return False
            return not needle or any(needle in (t or "").lower() for t in (p.code, p.name_zh, p.name_en))

        found = self._sorted(hit, lambda p: p.code)
        return ProductPage(found[offset : offset + limit], len(found))


class FakeQuotes(_Linked):
    """Quotes, and their lines, approval steps, templates and policies in tables of their own (each
    saved and restored by a transaction: FakeUnitOfWork registers them)."""

    def __init__(self, db: FakeUnitOfWork) -> None:
        super().__init__(db)
        self.quote_lines = _Table()
        self.approval_steps = _Table()
        self.quote_templates = _Table()
        self.quote_policies = _Table()

    async def add(self, quote: Quote) -> Quote:
        self._unique(quote, "team_id", "year", "seq", "version")
        return self._add(quote)  # type: ignore[no-any-return]

    async def get(self, quote_id: int) -> Quote | None:
        return self.rows.get(quote_id)

    async def next_seq(self, team_id: int, year: int) -> int:
        return max((q.seq for q in self.rows.values() if q.team_id == team_id and q.year == year), default=0) + 1

    async def move(self, quote: Quote, *, expect: Collection[QuoteStatus], **changes: object) -> bool:
        row = self.rows.get(quote.id or 0)
        if row is None or row.status not in expect or row.superseded_at is not None:
            return False
        for target in {id(row): row, id(quote): quote}.values():
            for name, value in changes.items():
                setattr(target, name, value)
        return True

    async def lines(self, quote_id: int) -> Sequence[QuoteLine]:
        return self.quote_lines._sorted(lambda line: line.quote_id == quote_id, lambda line: (line.position, line.id))

    async def add_line(self, line: QuoteLine) -> QuoteLine:
        return self.quote_lines._add(line)  # type: ignore[no-any-return]

    async def remove_line(self, line: QuoteLine) -> None:
        self.quote_lines.rows.pop(line.id or 0, None)

    def _summaries(self, match: Callable[[Quote, Lead], bool]) -> list[QuoteSummary]:
        found = []
        for q in self.rows.values():
            deal = self.db.opportunities.rows.get(q.opportunity_id)
            lead = self.db.leads.rows.get(deal.lead_id) if deal is not None else None
            owner = self.db.users.rows.get(q.owner_id)
            if q.superseded_at is None and lead is not None and owner is not None and match(q, lead):
                found.append(QuoteSummary(
                    id=q.id, number=quote_number(q.year, q.seq, q.version), status=QuoteStatus(q.status),
                    total=Money(int(q.total_minor), q.currency), company=lead.company, owner_name=owner.name,
                    created_at=q.created_at, opportunity_id=q.opportunity_id,
                ))
        return sorted(found, key=lambda s: (s.created_at, s.id), reverse=True)

    async def for_deal(self, opportunity_id: int) -> Sequence[QuoteSummary]:
        return self._summaries(lambda q, lead: q.opportunity_id == opportunity_id)

    async def for_customer(self, team_id: int, company_key: str, limit: int) -> Sequence[QuoteSummary]:
        return self._summaries(lambda q, lead: q.team_id == team_id and lead.company_key == company_key)[:limit]

    async def versions(self, team_id: int, year: int, seq: int) -> Sequence[Quote]:
        return self._sorted(lambda q: (q.team_id, q.year, q.seq) == (team_id, year, seq), lambda q: q.version)

    def _priced(self, product_id: int, match: Callable[[Quote], bool], key: Callable[[Quote], Any]) -> list[Any]:
        found = []
        for line in self.quote_lines.rows.values():
            q = self.rows.get(line.quote_id)
            if q is not None and line.product_id == product_id and match(q):
                found.append((key(q), (int(line.net_minor), int(line.quantity))))
        return [pair for _, pair in sorted(found, key=lambda f: f[0], reverse=True)]

    async def customer_prices(
        self, team_id: int, company_key: str, product_id: int, limit: int
    ) -> Sequence[tuple[int, int]]:
        def match(q: Quote) -> bool:
            deal = self.db.opportunities.rows.get(q.opportunity_id)
            lead = self.db.leads.rows.get(deal.lead_id) if deal is not None else None
            return (
                q.team_id == team_id and lead is not None and lead.company_key == company_key
                and q.status == QuoteStatus.ACCEPTED
            )

        return self._priced(product_id, match, lambda q: (q.decided_at, q.id))[:limit]

    async def team_prices(self, team_id: int, product_id: int, since: datetime, limit: int) -> Sequence[tuple[int, int]]:
        def match(q: Quote) -> bool:
            return (
                q.team_id == team_id and q.status in AGREED_FOR_HISTORY and q.submitted_at is not None
                and q.submitted_at >= since
            )

        return self._priced(product_id, match, lambda q: q.submitted_at)[:limit]

    async def due(self, now: datetime, limit: int, skip: Collection[int] = ()) -> Sequence[Quote]:
        return self._sorted(
            lambda q: q.check_at is not None and q.check_at <= now and q.status in LIVE and q.superseded_at is None
            and q.id not in skip,
            lambda q: (q.check_at, q.id),
        )[:limit]

    # approval steps

    async def add_step(self, step: ApprovalStep) -> ApprovalStep:
        return self.approval_steps._add(step)  # type: ignore[no-any-return]

    async def get_step(self, step_id: int) -> ApprovalStep | None:
        return self.approval_steps.rows.get(step_id)

    async def steps(self, quote_id: int) -> Sequence[ApprovalStep]:
        return self.approval_steps._sorted(lambda s: s.quote_id == quote_id, lambda s: s.id)

    async def move_step(self, step: ApprovalStep, *, expect: Collection[StepState], **changes: object) -> bool:
        row = self.approval_steps.rows.get(step.id or 0)
        if row is None or row.state not in expect:
            return False
        for target in {id(row): row, id(step): step}.values():
            for name, value in changes.items():
                setattr(target, name, value)
        return True

    async def open_steps(self, team_id: int | None, levels: Collection[str]) -> Sequence[ApprovalStep]:
        wanted = set(levels)
        return self.approval_steps._sorted(
            lambda s: s.state == StepState.PENDING and s.level in wanted and (team_id is None or s.team_id == team_id),
            lambda s: (s.requested_at, s.id),
        )[:200]

    async def steps_due(self, now: datetime, limit: int, skip: Collection[int] = ()) -> Sequence[ApprovalStep]:
        return self.approval_steps._sorted(
            lambda s: s.state == StepState.PENDING and s.check_at is not None and s.check_at <= now and s.id not in skip,
            lambda s: (s.check_at, s.id),
        )[:limit]

    # templates and the policy

    async def add_template(self, template: QuoteTemplate) -> QuoteTemplate:
        return self.quote_templates._add(template)  # type: ignore[no-any-return]

    async def get_template(self, template_id: int) -> QuoteTemplate | None:
        return self.quote_templates.rows.get(template_id)

    async def templates(self, team_id: int) -> Sequence[QuoteTemplate]:
        return self.quote_templates._sorted(lambda t: t.team_id == team_id and t.active, lambda t: (t.name, t.id))

    async def policy(self, team_id: int) -> QuotePolicy:
        found = next((p for p in self.quote_policies.rows.values() if p.team_id == team_id), None)
        return found if found is not None else QuotePolicy(team_id=team_id)

    async def save_policy(self, policy: QuotePolicy) -> QuotePolicy:
        if policy.id is None:
            self.quote_policies._unique(policy, "team_id")
            self.quote_policies._add(policy)
        return policy


# --- the outbox ------------------------------------------------------------------------------------------


class FakeOutbox:
    """The notifications table. Whether a queued notice still holds is each `Valid` rule of
    domain/outbox/kinds.py over the fake's rows, as storage/notice_rules.py says it in SQL."""

    _state = ("rows",)

    def __init__(self, db: FakeUnitOfWork | None = None) -> None:
        self.db = db
        self.rows: dict[int, Notification] = {}
        self._next = 1

    @property
    def messages(self) -> list[Notification]:
        return [self.rows[k] for k in sorted(self.rows)]

    async def queued(self, dedupe_key: str) -> bool:
        return any(m.dedupe_key == dedupe_key for m in self.rows.values())

    async def add(self, row: Notification) -> Notification | None:
        if row.next_attempt_at is None:
            raise UniqueViolation("notifications.next_attempt_at is NOT NULL")
        if await self.queued(row.dedupe_key):
            return None
        row.id, self._next = self._next, self._next + 1
        self.rows[row.id] = row
        return row

    async def add_many(self, rows: Sequence[Notification]) -> list[Notification | None]:
        return [await self.add(row) for row in rows]

    async def release(self, notice: str, team_id: int, at: datetime) -> int:
        held = [
            n for n in self.rows.values()
            if n.notice == notice and n.team_id == team_id and n.state is NotificationState.PENDING
            and n.next_attempt_at is not None and n.next_attempt_at > at
        ]
        for n in held:
            n.not_before, n.next_attempt_at = at, at
        return len(held)

    async def check_queued(self, rows: Sequence[Notification], now: datetime) -> set[int]:
        ids = {row.id for row in rows if row.id is not None}
        stale = self._cancel(lambda n: n.id in ids, now, None, "stale when queued")
        for row in rows:
            if row.id in stale:
                row.state = NotificationState.CANCELLED
        return set(stale)

    async def settle(self, subject: Subject, subject_id: int, *, why: str, now: datetime) -> Sequence[Cancelled]:
        about: set[tuple[str, int]] = {(subject.value, subject_id)}
        if subject is Subject.OPPORTUNITY and self.db is not None:
            db = self.db
            about |= {("handoff", h.id) for h in db.handoffs.rows.values() if h.opportunity_id == subject_id}
            about |= {
                ("reminder", r.id) for r in db.reminders.rows.values()
                if r.subject_kind == SUBJECT_OPPORTUNITY and r.subject_id == subject_id
            }
            about |= {("stage_change", s.id) for s in db.stage_changes.rows.values() if s.opportunity_id == subject_id}
            about |= {("activity", a.id) for a in db.activities.rows.values() if a.opportunity_id == subject_id}
        return list(self._cancel(lambda n: (n.subject_kind, n.subject_id) in about, now, f"moved on: {why}", "").values())

    async def opened(self, notification_id: int) -> HeldNotice | None:
        n = self.rows.get(notification_id)
        if n is None or n.id is None:
            return None
        rule = _RULES.get(n.notice or "")
        return HeldNotice(
            id=n.id, recipient_id=n.recipient_id, text=n.text, reply_markup=n.reply_markup, held_over=n.held_over,
            holds=rule is None or self._holds(rule, n),
        )

    def _cancel(
        self, where: Callable[[Notification], bool], now: datetime, why: str | None, prefix: str
    ) -> dict[int, Cancelled]:
        cancelled: dict[int, Cancelled] = {}
        for n in self.messages:
            rule = _RULES.get(n.notice or "")
            if n.state is not NotificationState.PENDING or rule is None or not where(n) or self._holds(rule, n):
                continue
            n.state, n.next_attempt_at, n.lease_owner, n.lease_until = NotificationState.CANCELLED, now, None, None
            n.last_error = why if why is not None else f"{prefix}: {rule.value}"
            assert n.id is not None
            cancelled[n.id] = Cancelled(id=n.id, notice=n.notice, recipient_id=n.recipient_id)
        return cancelled

    def _holds(self, rule: Valid, n: Notification) -> bool:
        if self.db is None:  # a bare outbox knows no other table: nothing can be judged stale
            return True
        if rule not in _PREDICATES:
            raise NotImplementedError(f"no in-memory twin of the rule {rule.value}: test it on the databases")
        return _PREDICATES[rule](self.db, n)


_RULES: dict[str, Valid] = {k.spec.key: k.spec.valid for k in Kind if k.spec.valid is not Valid.ALWAYS}


def _deal_of(db: FakeUnitOfWork, n: Notification) -> Opportunity | None:
    return db.opportunities.rows.get(n.subject_id or 0)


def _handoff_pending(db: FakeUnitOfWork, n: Notification) -> bool:
    h = db.handoffs.rows.get(n.subject_id or 0)
    return h is not None and h.state is HandoffState.PENDING


def _handoff_stands(db: FakeUnitOfWork, n: Notification) -> bool:
    h = db.handoffs.rows.get(n.subject_id or 0)
    deal = db.opportunities.rows.get(h.opportunity_id) if h is not None else None
    return h is not None and h.state is HandoffState.ACCEPTED and deal is not None and _eq(deal.owner_id, h.to_user_id)


def _deal_in_pool(db: FakeUnitOfWork, n: Notification) -> bool:
    d = _deal_of(db, n)
    return _open(d) and d is not None and d.owner_id is None and d.pooled_at is not None


def _silence(level: int, *, recipient_owns: bool) -> Callable[[FakeUnitOfWork, Notification], bool]:
    def predicate(db: FakeUnitOfWork, n: Notification) -> bool:
        d = _deal_of(db, n)
        if not _open(d) or d is None:
            return False
        owner = _eq(d.owner_id, n.recipient_id) if recipient_owns else d.owner_id is not None
        return owner and d.silence_level >= level

    return predicate


def _untouched(db: FakeUnitOfWork, n: Notification) -> bool:
    d = _deal_of(db, n)
    return (
        _open(d) and d is not None and _eq(d.owner_id, n.recipient_id)
        and (d.last_activity_at is None or d.last_activity_at <= n.created_at)
    )


def _deal_theirs(db: FakeUnitOfWork, r: Reminder) -> bool:
    d = db.opportunities.rows.get(r.subject_id or 0)
    return _open(d) and d is not None and _eq(d.owner_id, r.user_id)


def _step_due(db: FakeUnitOfWork, n: Notification) -> bool:
    r = db.reminders.rows.get(n.subject_id or 0)
    return (
        r is not None and r.state is ReminderState.SENT
        and (r.subject_kind is None or r.subject_kind != SUBJECT_OPPORTUNITY or _deal_theirs(db, r))
    )


def _step_ignored(db: FakeUnitOfWork, n: Notification) -> bool:
    r = db.reminders.rows.get(n.subject_id or 0)
    if r is None or r.state is not ReminderState.SENT or r.subject_kind != SUBJECT_OPPORTUNITY:
        return False
    d = db.opportunities.rows.get(r.subject_id or 0)
    return (
        _deal_theirs(db, r) and d is not None
        and (d.last_activity_at is None or r.sent_at is None or d.last_activity_at < r.sent_at)
    )


def _stage_latest(db: FakeUnitOfWork, n: Notification) -> bool:
    s = db.stage_changes.rows.get(n.subject_id or 0)
    if s is None:
        return False
    later = any(o.opportunity_id == s.opportunity_id and o.id > s.id for o in db.stage_changes.rows.values())
    d = db.opportunities.rows.get(s.opportunity_id)
    return not later and d is not None and _eq(d.owner_id, n.recipient_id)


def _activity_owner(db: FakeUnitOfWork, n: Notification) -> bool:
    a = db.activities.rows.get(n.subject_id or 0)
    if a is None:
        return False
    if a.opportunity_id is None:
        return True
    d = db.opportunities.rows.get(a.opportunity_id)
    return d is not None and _eq(d.owner_id, n.recipient_id)


def _still_unreachable(db: FakeUnitOfWork, n: Notification) -> bool:
    u = db.users.rows.get(n.subject_id or 0)
    return u is not None and u.reachable is False


def _group_unbound(db: FakeUnitOfWork, n: Notification) -> bool:
    t = db.teams.rows.get(n.subject_id or 0)
    return t is not None and t.group_chat_id is None


def _lead_nurtured(db: FakeUnitOfWork, n: Notification) -> bool:
    lead = db.leads.rows.get(n.subject_id or 0)
    return lead is not None and lead.status is LeadStatus.NURTURE


def _quote_step_pending(db: FakeUnitOfWork, n: Notification) -> bool:
    step = db.quotes.approval_steps.rows.get(n.subject_id or 0)
    return step is not None and step.state is StepState.PENDING


def _quote_back_with_rep(db: FakeUnitOfWork, n: Notification) -> bool:
    step = db.quotes.approval_steps.rows.get(n.subject_id or 0)
    quote = db.quotes.rows.get(step.quote_id) if step is not None else None
    return quote is not None and quote.status is QuoteStatus.DRAFT and quote.superseded_at is None


def _quote_in(statuses: frozenset[QuoteStatus]) -> Callable[[FakeUnitOfWork, Notification], bool]:
    def predicate(db: FakeUnitOfWork, n: Notification) -> bool:
        quote = db.quotes.rows.get(n.subject_id or 0)
        return quote is not None and quote.status in statuses and quote.superseded_at is None

    return predicate


def _contract_unsigned(db: FakeUnitOfWork, n: Notification) -> bool:
    contract = db.contracts.rows.get(n.subject_id or 0)
    return contract is not None and contract.status in UNSIGNED


def _milestone_open(db: FakeUnitOfWork, n: Notification) -> bool:
    m = db.contracts.milestone_rows.rows.get(n.subject_id or 0)
    contract = db.contracts.rows.get(m.contract_id) if m is not None else None
    return m is not None and m.paid_minor < m.amount_minor and contract is not None and contract.status in COLLECTING


def _payment_waiting(db: FakeUnitOfWork, n: Notification) -> bool:
    payment = db.contracts.payment_rows.rows.get(n.subject_id or 0)
    return payment is not None and payment.state is PaymentState.REPORTED


def _ticket_in(statuses: Collection[TicketStatus], *, owned: bool = False) -> Callable[[FakeUnitOfWork, Notification], bool]:
    def predicate(db: FakeUnitOfWork, n: Notification) -> bool:
        ticket = db.tickets.rows.get(n.subject_id or 0)
        return ticket is not None and ticket.status in statuses and (not owned or _eq(ticket.owner_id, n.recipient_id))

    return predicate


def _delivery_item(*, owned: bool) -> Callable[[FakeUnitOfWork, Notification], bool]:
    def predicate(db: FakeUnitOfWork, n: Notification) -> bool:
        item = db.checklists.rows.get(n.subject_id or 0)
        deal = db.opportunities.rows.get(item.opportunity_id) if item is not None else None
        return (
            item is not None and item.done_at is None and deal is not None and deal.stage is Stage.DELIVERY
            and (not owned or _eq(item.owner_id, n.recipient_id))
        )

    return predicate


def _renewal_open(db: FakeUnitOfWork, n: Notification) -> bool:
    renewal = db.renewals.rows.get(n.subject_id or 0)
    return renewal is not None and renewal.new_opportunity_id is None


def _assist_pending(db: FakeUnitOfWork, n: Notification) -> bool:
    q = db.assists.rows.get(n.subject_id or 0)
    if q is None or q.state not in ASSIST_PENDING:
        return False
    if q.ticket_id is not None:
        ticket = db.tickets.rows.get(q.ticket_id)
        return ticket is not None and ticket.status in TICKET_OPEN
    deal = db.opportunities.rows.get(q.opportunity_id or 0)
    return deal is not None and deal.is_open


_PREDICATES: dict[Valid, Callable[[FakeUnitOfWork, Notification], bool]] = {
    Valid.HANDOFF_PENDING: _handoff_pending,
    Valid.HANDOFF_STANDS: _handoff_stands,
    Valid.DEAL_IN_POOL: _deal_in_pool,
    Valid.SILENCE_OWNER: _silence(1, recipient_owns=True),
    Valid.SILENCE_MANAGER: _silence(2, recipient_owns=False),
    Valid.UNTOUCHED: _untouched,
    Valid.STEP_DUE: _step_due,
    Valid.STEP_IGNORED: _step_ignored,
    Valid.STAGE_LATEST: _stage_latest,
    Valid.ACTIVITY_OWNER: _activity_owner,
    Valid.STILL_UNREACHABLE: _still_unreachable,
    Valid.GROUP_UNBOUND: _group_unbound,
    Valid.LEAD_NURTURED: _lead_nurtured,
    Valid.QUOTE_STEP_PENDING: _quote_step_pending,
    Valid.QUOTE_BACK_WITH_REP: _quote_back_with_rep,
    Valid.QUOTE_LIVE: _quote_in(LIVE),
    Valid.QUOTE_EXPIRED: _quote_in(frozenset({QuoteStatus.EXPIRED})),
    Valid.CONTRACT_UNSIGNED: _contract_unsigned,
    Valid.MILESTONE_OPEN: _milestone_open,
    Valid.PAYMENT_WAITING: _payment_waiting,
    Valid.TICKET_OPEN: _ticket_in(TICKET_OPEN, owned=True),
    Valid.TICKET_RUNNING: _ticket_in(TICKET_RUNNING),
    Valid.TICKET_UNANSWERED: _ticket_in((TicketStatus.NEW,)),
    Valid.DELIVERY_ITEM_OPEN: _delivery_item(owned=False),
    Valid.DELIVERY_ITEM_OWNED: _delivery_item(owned=True),
    Valid.RENEWAL_OPEN: _renewal_open,
    Valid.ASSIST_PENDING: _assist_pending,
}


class FakeRenderer:
    """Renders a message as its key and its parameters, in the reader's language and timezone."""

    def render(self, key: str, params: Mapping[str, Any], actions: Actions, reader: Reader) -> Rendered:
        said = " ".join(f"{name}={value}" for name, value in params.items())
        text = f"[{reader.language or '-'} {reader.timezone or '-'}] {key} {said}".rstrip()
        markup = repr([[(a.kind, a.id, a.arg) for a in row] for row in actions]) if actions else None
        return Rendered(text=text, reply_markup=markup)


# --- the unit of work --------------------------------------------------------------------------------------


class FakeUnitOfWork:
    """An in-memory database and its one transaction at a time (see the module docstring). Used bare
    (never entered) it simply keeps whatever the services write."""

    def __init__(self, renderer: Any | None = None, *, judge_notices: bool = False) -> None:
        """`judge_notices`: queued notices are checked by their kind's `Valid` rule, as storage does (the
        in-memory pipeline, tests/conftest.py `memory`); without it the outbox keeps whatever it is given
        (the notification unit tests queue samples about subjects that do not exist)."""
        self.teams = FakeTeams()
        self.users = FakeUsers()
        self.invites = FakeInvites()
        self.audit = FakeAudit()
        self.outbox = FakeOutbox(self if judge_notices else None)
        self.renderer = renderer or FakeRenderer()
        self.reminders = FakeReminders()
        self.digests = FakeDigestRuns()
        self.leads = FakeLeads()
        self.opportunities = FakeOpportunities(self)
        self.handoffs = FakeHandoffs()
        self.policies = FakePolicies()
        self.activities = FakeActivities()
        self.stage_changes = FakeStageChanges(self)
        self.rep_skills = FakeRepSkills(self)
        self.followups = FakeFollowups(self)
        self.webhooks = FakeWebhooks()
        self.api_keys = FakeApiKeys()
        self.intake_receipts = FakeReceipts()
        self.products = FakeProducts()
        self.quotes = FakeQuotes(self)
        self._quote_lines, self._approval_steps = self.quotes.quote_lines, self.quotes.approval_steps
        self._quote_templates, self._quote_policies = self.quotes.quote_templates, self.quotes.quote_policies
        self.contracts = FakeContracts(self)
        self._contract_milestones, self._payments = self.contracts.milestone_rows, self.contracts.payment_rows
        self._payment_policies = self.contracts.policy_rows
        self.checklists = FakeChecklists(self)
        self._delivery_templates = self.checklists.template_rows
        self.tickets = FakeTickets()
        self.renewals = FakeRenewals()
        self.assists = FakeAssists(self)
        self.committed = 0
        self._saved: dict[str, dict[str, Any]] | None = None

    def _tables(self) -> Iterable[tuple[str, Any]]:
        return ((name, repo) for name, repo in vars(self).items() if hasattr(repo, "_state"))

    def _snapshot(self) -> dict[str, dict[str, Any]]:
        return {name: {a: clone(getattr(repo, a)) for a in repo._state} for name, repo in self._tables()}

    def _restore(self, saved: dict[str, dict[str, Any]]) -> None:
        for name, repo in self._tables():
            for attr, value in saved[name].items():
                setattr(repo, attr, clone(value))

    async def __aenter__(self) -> FakeUnitOfWork:
        if self._saved is not None:
            raise RuntimeError("unit of work already open")
        self._saved = self._snapshot()
        return self

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        saved, self._saved = self._saved, None
        if saved is not None:
            self._restore(saved)  # drops what was not committed; what the caller holds is detached

    async def commit(self) -> None:
        self.committed += 1
        if self._saved is not None:
            self._saved = self._snapshot()

    async def rollback(self) -> None:
        if self._saved is not None:
            self._restore(self._saved)

    async def flush(self) -> None:
        return None


class MemoryApp:
    """The pipeline in memory: what the service tests use of bot.app.App (a clock, `uow()`; sweeps and
    digests run on it through bot/sweeps.py), over one FakeUnitOfWork that judges notices as storage
    does. `renderer`: the bot's (bot/render.py), so tests read what people would receive."""

    def __init__(self, clock: FakeClock, renderer: Any | None = None) -> None:
        self.clock = clock
        self.db = FakeUnitOfWork(renderer, judge_notices=True)

    def uow(self) -> FakeUnitOfWork:
        return self.db

    def notifications(self) -> list[dict[str, Any]]:
        """Every queued row (any state), oldest first, as the notifications table's rows."""
        return [{f.name: getattr(n, f.name) for f in dataclasses.fields(n)} for n in self.db.outbox.messages]

    def audit_actions(self, entity: str, entity_id: int) -> list[str]:
        """What the audit trail holds of one record, in the order written."""
        return [e.action for e in self.db.audit.events if e.entity == entity and e.entity_id == entity_id]
