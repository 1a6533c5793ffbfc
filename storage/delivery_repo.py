"""The outbox dispatcher's queries (claim with a lease, record outcomes) and the dead-letter repository.

Claiming takes, per chat, only the chat's oldest due row (its "head"), and only while no other row
of that chat is leased: a chat's messages go out one at a time and in order, across instances too.
Heads of the longest queues come first.
On PostgreSQL the candidate rows are locked `FOR UPDATE SKIP LOCKED`, so two instances claiming at
the same moment take different rows without waiting for each other; on SQLite (one process) the
conditional UPDATE alone is the lease.

In the same transaction, just before they are sent:
- a head of a family that may go as one message (domain/outbox/kinds.py `Family`) takes along the
  chat's other due rows of its family (leased too); at least COALESCE_AT of them go as one digest,
  fewer are handed back to go one by one;
- every claimed row is checked against its kind's rule (storage/notice_rules.py), in one statement
  for the batch: a row whose subject moved on is cancelled, marked why, and not sent;
- a head for a person who had their daily budget of messages today (domain/outbox/kinds.py `Budget`:
  their chat's messages sent since the team-local midnight, one indexed count for the batch) and whose
  kind can wait is held over, with the rows of its digest, to the start of the team's next working day
  (`held_over` marked); there a held-over head takes along the chat's other held-over rows, up to
  DIGEST_LINES, and two or more go as one message (Family.HELD_OVER).
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from functools import cache
from typing import Any

from sqlalchemy import BindParameter, and_, bindparam, case, func, or_, select, update
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine, AsyncSession

from domain.outbox.kinds import (
    COALESCE_AT,
    DIGEST_LINES,
    Budget,
    Family,
    Kind,
    Valid,
    headline,
    held_over_until,
)
from domain.outbox.model import DeadLetter, NotificationState
from domain.team.model import Team
from domain.worktime import day_bounds, local
from storage import notice_rules
from storage.tables import NOTIFICATIONS_PENDING, notifications, teams, users

n = notifications
PENDING = NotificationState.PENDING.value


@dataclass
class ClaimedRow:
    """A notification this process holds the lease on, with what it takes to send it."""

    id: int
    chat_id: int
    text: str
    reply_markup: str | None
    attempts: int
    recipient_id: int | None
    team_id: int | None
    lease_until: datetime
    next_attempt_at: datetime
    depth: int = 1  # rows due for this chat when it was claimed, this one included
    notice: str | None = None  # the message key (its kind)
    summary: str | None = None  # its one-line summary, when its kind may go with others
    # A digest: the other rows that go in this row's message (leased with it, marked with it), the
    # summaries of all of them (this row's first), and the recipient's language for its heading.
    members: list[int] = field(default_factory=list)
    lines: list[str] = field(default_factory=list)
    language: str | None = None
    urgent: bool = False
    picture: str | None = None  # a Picture's ref (domain/outbox/model.py), drawn when it is sent
    held_over: bool = False  # held over its person's daily budget until now (domain/outbox/kinds.py Budget)

    @property
    def ids(self) -> list[int]:
        """Every row this one stands for: itself and the rows of its digest."""
        return [self.id, *self.members]

    @property
    def family(self) -> Family | None:
        if self.held_over:
            return Family.HELD_OVER
        kind = Kind.of_notice(self.notice)
        return kind.spec.family if kind is not None else None

    @property
    def may_wait(self) -> bool:
        """A person's row whose kind may be held over their daily budget (kinds.py Spec.exempt)."""
        kind = Kind.of_notice(self.notice)
        return (
            kind is not None and not kind.spec.exempt and not self.held_over and self.recipient_id is not None
            and self.team_id is not None and self.chat_id > 0
        )


@dataclass
class Claimed:
    rows: list[ClaimedRow]
    cancelled: int = 0  # rows whose subject moved on: cancelled instead of sent
    held_over: int = 0  # rows held over their person's daily budget to the next working day


@dataclass(frozen=True)
class SentMark:
    id: int
    at: datetime
    message_id: int | None


@dataclass(frozen=True)
class ProgressMark:
    """Part of a long text went out (or its picture did): `rest` is what is still to be sent, and
    `picture` the picture still to be sent (None once it went)."""

    id: int
    rest: str
    message_id: int | None
    picture: str | None = None


@dataclass(frozen=True)
class FailureMark:
    id: int
    state: NotificationState
    attempts: int
    next_attempt_at: datetime
    last_error: str


def _lease_free(now: datetime | BindParameter[Any]) -> Any:
    return or_(n.c.lease_until.is_(None), n.c.lease_until < now)


def _ranked(now: datetime | BindParameter[Any]) -> Any:
    """Due rows with their place in their chat's queue (1 = the head) and the queue's length.

    The due rows are taken first, on their own (a materialised CTE, read through ix_notifications_due by
    their due time), and only they are ranked: ranked in one go, SQLite walked the whole partial index of
    pending rows by chat to spare itself a sort, the rows due later included (reminders set for next
    week, cards held until the morning): ~1 ms a claim for every 1,000 of them on this machine."""
    due = (
        select(n.c.id, n.c.chat_id, n.c.next_attempt_at, n.c.lease_until)
        .where(NOTIFICATIONS_PENDING, n.c.next_attempt_at <= now)
        .cte("due")
        .prefix_with("MATERIALIZED")
    )
    return (
        select(
            due.c.id, due.c.lease_until,
            func.row_number().over(partition_by=due.c.chat_id, order_by=(due.c.next_attempt_at, due.c.id)).label("rn"),
            func.count().over(partition_by=due.c.chat_id).label("depth"),
        )
        .subquery("ranked")
    )


# A digest lists at most this many rows (it says how many, and shows the first DIGEST_LINES of them).
DIGEST_MAX = 500

_CLAIMED = (
    n.c.id, n.c.chat_id, n.c.text, n.c.reply_markup, n.c.attempts, n.c.recipient_id, n.c.team_id, n.c.lease_until,
    n.c.next_attempt_at, n.c.urgent, n.c.notice, n.c.summary, n.c.picture, n.c.held_over,
)


def _claimed(r: Any, depth: int) -> ClaimedRow:
    return ClaimedRow(
        id=r.id, chat_id=r.chat_id, text=r.text, reply_markup=r.reply_markup, attempts=r.attempts,
        recipient_id=r.recipient_id, team_id=r.team_id, lease_until=r.lease_until,
        next_attempt_at=r.next_attempt_at, depth=depth, notice=r.notice, summary=r.summary, urgent=r.urgent,
        picture=r.picture, held_over=r.held_over,
    )


def _most(families: Mapping[int, Family | None]) -> Any:
    """How many rows (+1) a chat's digest may take along: a digest of held-over notices has a button per
    line, so it takes DIGEST_LINES and the rest go in the next one; the others list DIGEST_LINES and
    say how many more."""
    held = [chat_id for chat_id, family in families.items() if family is Family.HELD_OVER]
    if not held:
        return DIGEST_MAX
    return case((n.c.chat_id.in_(held), DIGEST_LINES), else_=DIGEST_MAX)


def _family_notices(family: Family) -> list[str]:
    return [kind.spec.key for kind in Kind if kind.spec.family is family]


@cache
def _claim_statements(postgres: bool, passing_over: bool) -> tuple[Any, Any]:
    """The claim's two statements, built once (each claim would otherwise build and key them again: a
    third of the dispatcher's CPU per card). Bound: now, limit, busy (when passing over busy chats);
    ids, now, owner, until."""
    now: BindParameter[Any] = bindparam("now")
    ranked = _ranked(now)
    # Chat heads not leased by anyone. The longest queues go first (then the oldest rows): a
    # backlog then ends with every chat done at about the same time, not with a few long
    # queues trickling out at their per-chat pace while the rest of the bot's capacity idles.
    pick = (
        select(n.c.id, ranked.c.depth)
        .join(ranked, ranked.c.id == n.c.id)
        .where(
            ranked.c.rn == 1, or_(ranked.c.lease_until.is_(None), ranked.c.lease_until < now),
            n.c.state == PENDING, _lease_free(now),
        )
        .order_by(n.c.urgent.desc(), ranked.c.depth.desc(), n.c.next_attempt_at, n.c.id)
        .limit(bindparam("limit"))
    )
    if passing_over:
        pick = pick.where(n.c.chat_id.not_in(bindparam("busy", expanding=True)))
    if postgres:
        pick = pick.with_for_update(skip_locked=True, of=n)
    lease = (
        update(n)
        .where(n.c.id.in_(bindparam("ids", expanding=True)), n.c.state == PENDING, _lease_free(now))
        .values(lease_owner=bindparam("owner"), lease_until=bindparam("until"))
        .returning(*_CLAIMED)
    )
    return pick, lease


@cache
def _cancel_statement(rules: tuple[tuple[Valid, tuple[str, ...]], ...]) -> Any:
    """The claim's check of its rows against their kinds' rules, built once per set of rules (a batch of
    hand-off cards has one). Bound: ids, owner, now."""
    where = [n.c.id.in_(bindparam("ids", expanding=True)), n.c.lease_owner == bindparam("owner")]
    by_rule = {rule: list(keys) for rule, keys in rules}
    return notice_rules.cancel(where, by_rule, bindparam("now"), None, "stale before sending")


class DeliveryStore:
    """The dispatcher's side of the notifications table. Short transactions, Core statements."""

    def __init__(self, engine: AsyncEngine, budget: Budget | None = None) -> None:
        self.engine = engine
        self.postgres = engine.dialect.name == "postgresql"
        self.budget = budget or Budget()

    async def claim(
        self, owner: str, now: datetime, until: datetime, limit: int, busy_chats: Collection[int] = ()
    ) -> Claimed:
        """Lease up to `limit` chat heads, urgent first, with their digests, and cancel what no longer
        holds. `busy_chats` (those this process may not send to for a while) are passed over, so the
        claim takes rows that can go now."""
        if limit <= 0:
            return Claimed([])
        pick, lease = _claim_statements(self.postgres, bool(busy_chats))
        params: dict[str, Any] = {"now": now, "limit": limit}
        if busy_chats:
            params["busy"] = list(busy_chats)
        async with self.engine.begin() as conn:
            # Pick (locking the rows on PostgreSQL), then lease what is still free in the same
            # transaction; the UPDATE re-checks, so a row taken meanwhile is simply left out.
            depth = {r.id: r.depth for r in (await conn.execute(pick, params)).all()}
            if not depth:
                return Claimed([])
            found = await conn.execute(lease, {"ids": list(depth), "now": now, "owner": owner, "until": until})
            heads = [_claimed(r, depth[r.id]) for r in found.all()]
            siblings = await self._lease_families(conn, heads, owner, now, until)
            claimed = heads + [row for rows in siblings.values() for row in rows]
            cancelled = await self._cancel_stale(conn, claimed, owner, now)
            held = await self._hold_over(conn, heads, siblings, cancelled, owner, now)
            rows = await self._digests(conn, heads, siblings, cancelled | held, owner)
        rows.sort(key=lambda r: (not r.urgent, -r.depth, r.next_attempt_at, r.id))
        return Claimed(rows, len(cancelled), len(held))

    async def _hold_over(
        self, conn: AsyncConnection, heads: list[ClaimedRow], siblings: dict[int, list[ClaimedRow]],
        cancelled: set[int], owner: str, now: datetime,
    ) -> set[int]:
        """Hold over, to the start of the team's next working day, the heads (with the rows of their
        digests) that may wait and whose person had their budget's worth of messages today."""
        waiting = [h for h in heads if h.id not in cancelled and h.may_wait]
        if not waiting or self.budget.per_day <= 0:
            return set()
        found = await conn.execute(
            select(teams.c.id, teams.c.name, teams.c.timezone, teams.c.work_start, teams.c.work_end, teams.c.work_days)
            .where(teams.c.id.in_({h.team_id for h in waiting}))
        )
        team_of = {
            t.id: Team(name=t.name, timezone=t.timezone, work_start=t.work_start, work_end=t.work_end,
                       work_days=t.work_days, id=t.id)
            for t in found.all()
        }
        since = {
            h.chat_id: day_bounds(local(now, team_of[h.team_id].timezone).date(), team_of[h.team_id].timezone)[0]
            for h in waiting if h.team_id in team_of
        }
        if not since:
            return set()
        messages = func.count(func.distinct(func.coalesce(n.c.message_id, -n.c.id)))
        counted = await conn.execute(
            select(n.c.chat_id, messages)
            .where(
                or_(*(and_(n.c.chat_id == chat_id, n.c.sent_at >= start) for chat_id, start in since.items())),
                n.c.state == NotificationState.SENT.value,
            )
            .group_by(n.c.chat_id)
        )
        over = {r[0] for r in counted.all() if self.budget.over(int(r[1]))}
        held: dict[datetime, list[int]] = {}
        for head in waiting:
            if head.chat_id not in over or head.team_id not in team_of:
                continue
            until = held_over_until(now, team_of[head.team_id])
            rows = [head, *(r for r in siblings.get(head.chat_id, []) if r.id not in cancelled and r.may_wait)]
            held.setdefault(until, []).extend(r.id for r in rows)
        for until, ids in held.items():
            await conn.execute(
                update(n)
                .where(n.c.id.in_(ids), n.c.lease_owner == owner, n.c.state == PENDING)
                .values(held_over=True, next_attempt_at=until, lease_owner=None, lease_until=None)
            )
        return {i for ids in held.values() for i in ids}

    @staticmethod
    async def _lease_families(
        conn: AsyncConnection, heads: list[ClaimedRow], owner: str, now: datetime, until: datetime
    ) -> dict[int, list[ClaimedRow]]:
        """For each head of a family: the chat's other due rows of that family, leased too (oldest first,
        at most DIGEST_MAX - 1), by chat."""
        families = {head.chat_id: head.family for head in heads if head.family is not None}
        if not families:
            return {}
        which = or_(*(
            and_(n.c.chat_id == chat_id, n.c.held_over.is_(True)) if family is Family.HELD_OVER
            else and_(n.c.chat_id == chat_id, n.c.notice.in_(_family_notices(family)), n.c.held_over.is_(False))
            for chat_id, family in families.items()
            if family is not None
        ))
        candidates = (
            select(
                n.c.id,
                func.row_number().over(partition_by=n.c.chat_id, order_by=(n.c.next_attempt_at, n.c.id)).label("rn"),
            )
            .where(
                which, NOTIFICATIONS_PENDING, n.c.next_attempt_at <= now, _lease_free(now),
                n.c.id.not_in([head.id for head in heads]),
            )
            .subquery("candidates")
        )
        stmt = (
            update(n)
            .where(
                n.c.id.in_(select(candidates.c.id).where(candidates.c.rn < _most(families))),
                n.c.state == PENDING, _lease_free(now),
            )
            .values(lease_owner=owner, lease_until=until)
            .returning(*_CLAIMED)
        )
        found: dict[int, list[ClaimedRow]] = {}
        for row in (await conn.execute(stmt)).all():
            found.setdefault(row.chat_id, []).append(_claimed(row, 1))
        for rows in found.values():
            rows.sort(key=lambda r: (r.next_attempt_at, r.id))
        return found

    @staticmethod
    async def _cancel_stale(conn: AsyncConnection, claimed: list[ClaimedRow], owner: str, now: datetime) -> set[int]:
        """Cancel, in one statement, the claimed rows whose kind's rule no longer holds."""
        rules = notice_rules.notices_by_rule(row.notice for row in claimed)
        if not rules:
            return set()
        stmt = _cancel_statement(tuple((rule, tuple(keys)) for rule, keys in rules.items()))
        found = await conn.execute(stmt, {"ids": [row.id for row in claimed], "owner": owner, "now": now})
        return {r.id for r in found.all()}

    @staticmethod
    async def _digests(
        conn: AsyncConnection, heads: list[ClaimedRow], siblings: dict[int, list[ClaimedRow]], cancelled: set[int],
        owner: str,
    ) -> list[ClaimedRow]:
        """What goes out: each head alone, or as a digest with its family's rows when there are enough;
        rows that go neither way now (too few for a digest) are handed back."""
        out: list[ClaimedRow] = []
        back: list[int] = []
        for head in heads:
            family = [r for r in (head, *siblings.get(head.chat_id, [])) if r.id not in cancelled]
            enough = 2 if head.family is Family.HELD_OVER else COALESCE_AT
            if len(family) >= enough and head.family is not None:
                first, rest = family[0], family[1:]
                first.members = [r.id for r in rest]
                first.lines = [r.summary or headline(r.text) for r in family]
                first.depth = head.depth
                first.lease_until = min(r.lease_until for r in family)
                out.append(first)
                continue
            if head.id not in cancelled:
                out.append(head)
            back.extend(r.id for r in siblings.get(head.chat_id, []) if r.id not in cancelled)
        if back:
            await conn.execute(
                update(n)
                .where(n.c.id.in_(back), n.c.lease_owner == owner, n.c.state == PENDING)
                .values(lease_owner=None, lease_until=None)
            )
        digests = {row.recipient_id for row in out if row.members and row.recipient_id is not None}
        if digests:
            language: dict[int, Any] = dict((await conn.execute(
                select(users.c.id, users.c.language).where(users.c.id.in_(list(digests)))
            )).all())
            for row in out:
                if row.members and row.recipient_id in language:
                    found = language[row.recipient_id]
                    row.language = found.value if found is not None else None
        return out

    async def held_elsewhere(self, owner: str, now: datetime) -> bool:
        """Whether another live instance holds due rows (so their chats' next rows will come free)."""
        stmt = (
            select(n.c.id)
            .where(
                NOTIFICATIONS_PENDING, n.c.next_attempt_at <= now, n.c.lease_until >= now, n.c.lease_owner != owner
            )
            .limit(1)
        )
        async with self.engine.connect() as conn:
            return (await conn.execute(stmt)).first() is not None

    async def extend(self, owner: str, ids: Iterable[int], until: datetime) -> set[int]:
        """Push the lease of rows this owner still holds to `until`; the ids it still holds."""
        wanted = list(ids)
        if not wanted:
            return set()
        stmt = (
            update(n)
            .where(n.c.id.in_(wanted), n.c.lease_owner == owner, n.c.state == PENDING)
            .values(lease_until=until)
            .returning(n.c.id)
        )
        async with self.engine.begin() as conn:
            return set((await conn.execute(stmt)).scalars().all())

    async def release(self, owner: str, ids: Iterable[int]) -> None:
        """Give claimed rows back untouched (a graceful stop), so any instance may take them at once."""
        wanted = list(ids)
        if not wanted:
            return
        stmt = (
            update(n)
            .where(n.c.id.in_(wanted), n.c.lease_owner == owner, n.c.state == PENDING)
            .values(lease_owner=None, lease_until=None)
        )
        async with self.engine.begin() as conn:
            await conn.execute(stmt)

    async def record(
        self, owner: str, sent: Sequence[SentMark], progress: Sequence[ProgressMark], failed: Sequence[FailureMark]
    ) -> None:
        """Outcomes of several attempts in one transaction (a group commit).

        A sent row is marked sent whoever holds its lease now, even if a service cancelled it while it
        was in flight: it did go out. Progress and failures apply only while this owner still holds the
        lease.
        """
        async with self.engine.begin() as conn:
            if sent:
                await conn.execute(
                    update(n)
                    .where(
                        n.c.id == bindparam("b_id"),
                        or_(n.c.state == PENDING, n.c.state == NotificationState.CANCELLED.value),
                    )
                    .values(
                        state=NotificationState.SENT.value, sent_at=bindparam("b_at"),
                        message_id=bindparam("b_message_id"), lease_owner=None, lease_until=None,
                    ),
                    [{"b_id": m.id, "b_at": m.at, "b_message_id": m.message_id} for m in sent],
                )
            if progress:
                await conn.execute(
                    update(n)
                    .where(n.c.id == bindparam("b_id"), n.c.state == PENDING, n.c.lease_owner == owner)
                    .values(text=bindparam("b_rest"), message_id=bindparam("b_message_id"), picture=bindparam("b_picture")),
                    [
                        {"b_id": m.id, "b_rest": m.rest, "b_message_id": m.message_id, "b_picture": m.picture}
                        for m in progress
                    ],
                )
            if failed:
                await conn.execute(
                    update(n)
                    .where(n.c.id == bindparam("b_id"), n.c.state == PENDING, n.c.lease_owner == owner)
                    .values(
                        state=bindparam("b_state"), attempts=bindparam("b_attempts"),
                        next_attempt_at=bindparam("b_next"), last_error=bindparam("b_error"),
                        lease_owner=None, lease_until=None,
                    ),
                    [
                        {
                            "b_id": m.id, "b_state": m.state.value, "b_attempts": m.attempts,
                            "b_next": m.next_attempt_at, "b_error": m.last_error[:2000],
                        }
                        for m in failed
                    ],
                )

    @staticmethod
    async def record_in(session: AsyncSession, owner: str, mark: FailureMark) -> bool:
        """One failure outcome inside the caller's transaction; False if this owner lost the row."""
        result = await session.execute(
            update(n)
            .where(n.c.id == mark.id, n.c.state == PENDING, n.c.lease_owner == owner)
            .values(
                state=mark.state.value, attempts=mark.attempts, next_attempt_at=mark.next_attempt_at,
                last_error=mark.last_error[:2000], lease_owner=None, lease_until=None,
            )
        )
        return bool(result.rowcount)  # type: ignore[attr-defined]

    async def move_chat(self, owner: str, row_ids: Collection[int], old_chat_id: int, new_chat_id: int) -> None:
        """A group became a supergroup under a new id: the rows (a digest's too) and the team binding follow it."""
        async with self.engine.begin() as conn:
            await conn.execute(
                update(n)
                .where(n.c.id.in_(list(row_ids)), n.c.lease_owner == owner, n.c.state == PENDING)
                .values(chat_id=new_chat_id, lease_owner=None, lease_until=None)
            )
            await conn.execute(
                update(n)
                .where(n.c.chat_id == old_chat_id, n.c.state == PENDING, n.c.lease_owner.is_(None))
                .values(chat_id=new_chat_id)
            )
            await conn.execute(
                update(teams).where(teams.c.group_chat_id == old_chat_id).values(group_chat_id=new_chat_id)
            )


class SqlDeadLetters:
    """The dead-letter repository inside a unit of work (the admin's /deadletters)."""

    def __init__(self, session: AsyncSession, on_revived: Callable[[], None]) -> None:
        self.session = session
        # Called when rows became pending again: the unit of work wakes the dispatcher after its commit.
        self.on_revived = on_revived

    async def count(self) -> int:
        stmt = select(func.count()).select_from(n).where(n.c.state == NotificationState.DEAD.value)
        return int((await self.session.execute(stmt)).scalar_one())

    async def page(self, offset: int, limit: int) -> Sequence[DeadLetter]:
        stmt = (
            select(
                n.c.id, n.c.chat_id, n.c.kind, n.c.attempts, n.c.next_attempt_at, n.c.last_error, n.c.text,
                n.c.recipient_id, users.c.name.label("recipient_name"), teams.c.name.label("team_name"),
            )
            .select_from(
                n.outerjoin(users, users.c.id == n.c.recipient_id).outerjoin(
                    teams, teams.c.id == func.coalesce(n.c.team_id, users.c.team_id)
                )
            )
            .where(n.c.state == NotificationState.DEAD.value)
            .order_by(n.c.next_attempt_at.desc(), n.c.id.desc())
            .offset(offset)
            .limit(limit)
        )
        return [
            DeadLetter(
                id=r.id, chat_id=r.chat_id, kind=r.kind, attempts=r.attempts, failed_at=r.next_attempt_at,
                last_error=r.last_error, text=r.text, recipient_id=r.recipient_id,
                recipient_name=r.recipient_name, team_name=r.team_name,
            )
            for r in (await self.session.execute(stmt)).all()
        ]

    async def revive(self, notification_id: int, now: datetime) -> bool:
        stmt = (
            update(n)
            .where(and_(n.c.id == notification_id, n.c.state == NotificationState.DEAD.value))
            .values(state=PENDING, attempts=0, next_attempt_at=now, lease_owner=None, lease_until=None)
        )
        changed = bool((await self.session.execute(stmt)).rowcount)  # type: ignore[attr-defined]
        if changed:
            self.on_revived()
        return changed

    async def revive_all(self, now: datetime) -> int:
        stmt = (
            update(n)
            .where(n.c.state == NotificationState.DEAD.value)
            .values(state=PENDING, attempts=0, next_attempt_at=now, lease_owner=None, lease_until=None)
        )
        count = int((await self.session.execute(stmt)).rowcount)  # type: ignore[attr-defined]
        if count:
            self.on_revived()
        return count
