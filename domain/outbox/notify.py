"""Telling people: a service says what to tell whom about what; this resolves the recipients, renders the
message through the unit of work's renderer (the bot's, handed over at the wiring point), applies the
working-hours rule and queues one row per recipient, once per dedupe key, unless the notice no longer
holds by its kind's rule. After changing a subject, a service says `moved_on(...)`: what was queued about
it and no longer holds is cancelled.

    await tell_managers(uow, team.id, Notice(Kind.HANDOFF_DECLINED, about=handoff.id, params={...}),
                        now=now, exclude=(actor.id,))
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Protocol

from domain.outbox.kinds import Audience, Kind, Subject, Urgency, Valid, send_at
from domain.outbox.model import Actions, Cancelled, Notification, Picture, Reader
from domain.ports import UnitOfWork
from domain.team.model import Team, User
from domain.team.people import managers_of


@dataclass(frozen=True, eq=False)
class Notice:
    """What to say (a declared kind with its parameters and buttons) and what it is about.

    `refs` fills the kind's own dedupe-key fields; `at` is the time of a scheduled notice (a reminder's
    due time) and `chosen` says the person picked that time themselves. `fresh`: the service has just
    put the subject in the state the kind's rule asks for, in this same unit of work (a hand-off it has
    just offered), so the check when queued is skipped; the one just before sending still runs."""

    kind: Kind
    about: int
    params: Mapping[str, Any]
    actions: Actions = ()
    refs: Mapping[str, object] = field(default_factory=dict)
    at: datetime | None = None
    chosen: bool = False
    fresh: bool = False
    picture: Picture | None = None  # drawn when it is sent (bot/pictures.py); the text is its caption

    def __post_init__(self) -> None:
        spec = self.kind.spec
        if set(self.params) != set(spec.params):
            raise ValueError(f"{self.kind.name} takes params {sorted(spec.params)}, not {sorted(self.params)}")
        if set(self.refs) != set(spec.refs):
            raise ValueError(f"{self.kind.name} takes refs {sorted(spec.refs)}, not {sorted(self.refs)}")
        scheduled = spec.urgency is Urgency.SCHEDULED
        if (self.at is not None) != scheduled or (self.chosen and not scheduled):
            raise ValueError(f"{self.kind.name}: a time (and `chosen`) is for scheduled kinds, which need one")


class Owned(Protocol):
    """Anything with an owner in a team (a deal)."""

    @property
    def owner_id(self) -> int | None: ...
    @property
    def team_id(self) -> int: ...


def dedupe_key(notice: Notice, to: int | None, now: datetime) -> str:
    return notice.kind.spec.dedupe_key(subject=notice.about, to=to, now=now, at=notice.at, refs=dict(notice.refs))


async def tell_user(uow: UnitOfWork, to: int, notice: Notice, *, team_id: int | None, now: datetime) -> Notification | None:
    """One person (nobody if they left the team). None when nothing will go out: they were told already
    (the dedupe key exists), are not active, or the notice no longer holds (its subject moved on)."""
    _expect(notice, Audience.PERSON)
    key = dedupe_key(notice, to, now)
    if await uow.outbox.queued(key):
        return None
    user = await uow.users.get(to)
    if user is None or not user.active:
        return None
    row = await _queue_to(uow, user, notice, key, team_id=team_id, now=now)
    return next(iter(await _holding(uow, notice, [row], now)), None)


async def tell_users(
    uow: UnitOfWork, told: Sequence[tuple[int, Notice]], *, team_id: int | None, now: datetime
) -> list[Notification | None]:
    """tell_user() for each (person, notice) pair, in order, the rows queued together in one go (a batch
    of imported leads' hand-off cards, of deals parked in the pool): for each pair, the row queued, or
    None as tell_user says. Whether the rows still hold is judged once per kind, after they are all in."""
    rows: list[Notification | None] = []
    people: dict[int, User | None] = {}  # each person read once, however many notices they get
    teams: dict[int, Team | None] = {}
    for to, notice in told:
        _expect(notice, Audience.PERSON)
        key = dedupe_key(notice, to, now)
        if await uow.outbox.queued(key):
            rows.append(None)
            continue
        if to not in people:
            people[to] = await uow.users.get(to)
        user = people[to]
        if user is None or not user.active:
            rows.append(None)
            continue
        rows.append(await _row_to(uow, user, notice, key, team_id=team_id, now=now, teams=teams))
    added = iter(await uow.outbox.add_many([row for row in rows if row is not None]))
    queued = [next(added) if row is not None else None for row in rows]
    by_rule: dict[tuple[Kind, bool], tuple[Notice, list[Notification | None]]] = {}
    for (_, notice), row in zip(told, queued, strict=True):
        if row is not None:
            by_rule.setdefault((notice.kind, notice.fresh), (notice, []))[1].append(row)
    holding: set[int] = set()
    for notice, group in by_rule.values():
        holding.update(id(row) for row in await _holding(uow, notice, group, now))
    return [row if row is not None and id(row) in holding else None for row in queued]


async def tell_owner(
    uow: UnitOfWork, deal: Owned, notice: Notice, *, now: datetime, unless: int | None = None
) -> Notification | None:
    """The deal's owner, unless it has none or the owner is `unless` (the person acting)."""
    if deal.owner_id is None or deal.owner_id == unless:
        return None
    return await tell_user(uow, deal.owner_id, notice, team_id=deal.team_id, now=now)


async def tell_managers(
    uow: UnitOfWork, team_id: int, notice: Notice, *, now: datetime, exclude: Collection[int | None] = ()
) -> list[Notification]:
    """The team's active managers (the admins when it has none), except `exclude`; the rows queued."""
    _expect(notice, Audience.PERSON)
    queued = []
    for manager in await managers_of(uow, team_id, exclude=exclude):
        assert manager.id is not None
        key = dedupe_key(notice, manager.id, now)
        if await uow.outbox.queued(key):
            continue
        queued.append(await _queue_to(uow, manager, notice, key, team_id=team_id, now=now))
    return await _holding(uow, notice, queued, now)


async def tell_group(uow: UnitOfWork, team: Team, notice: Notice, *, now: datetime) -> Notification | None:
    """The team's group chat, in the bot's default language; nothing when the team has no group."""
    _expect(notice, Audience.GROUP)
    if team.group_chat_id is None:
        return None
    key = dedupe_key(notice, None, now)
    if await uow.outbox.queued(key):
        return None
    row = await _queue(uow, notice, key, chat_id=team.group_chat_id, recipient=None, team=team, team_id=team.id,
                       now=now)
    return next(iter(await _holding(uow, notice, [row], now)), None)


async def _holding(
    uow: UnitOfWork, notice: Notice, rows: list[Notification | None], now: datetime
) -> list[Notification]:
    """The rows just queued that still hold by their kind's rule (one check for them all); those that do
    not (the subject moved on already) stay in the outbox cancelled, and are left out."""
    added = [row for row in rows if row is not None]
    if not added or notice.kind.spec.valid is Valid.ALWAYS or notice.fresh:
        return added
    stale = await uow.outbox.check_queued(added, now)
    return [row for row in added if row.id not in stale]


def _expect(notice: Notice, audience: Audience) -> None:
    if notice.kind.spec.audience is not audience:
        raise ValueError(f"{notice.kind.name} is not for a {audience.value}")


async def _queue_to(
    uow: UnitOfWork, user: User, notice: Notice, key: str, *, team_id: int | None, now: datetime
) -> Notification | None:
    return await uow.outbox.add(await _row_to(uow, user, notice, key, team_id=team_id, now=now))


async def _row_to(
    uow: UnitOfWork, user: User, notice: Notice, key: str, *, team_id: int | None, now: datetime,
    teams: dict[int, Team | None] | None = None,
) -> Notification:
    """The row for one person; `teams`: the teams read so far (a batch reads each once)."""
    known = {} if teams is None else teams

    async def team_of(wanted: int) -> Team | None:
        if wanted not in known:
            known[wanted] = await uow.teams.get(wanted)
        return known[wanted]

    team = await team_of(team_id) if team_id else None
    if team is None:
        team = await team_of(user.team_id)
    return _row(uow, notice, key, chat_id=user.telegram_id, recipient=user, team=team, team_id=team_id, now=now)


async def _queue(
    uow: UnitOfWork, notice: Notice, key: str, *, chat_id: int, recipient: User | None, team: Team | None,
    team_id: int | None, now: datetime,
) -> Notification | None:
    return await uow.outbox.add(
        _row(uow, notice, key, chat_id=chat_id, recipient=recipient, team=team, team_id=team_id, now=now)
    )


def _row(
    uow: UnitOfWork, notice: Notice, key: str, *, chat_id: int, recipient: User | None, team: Team | None,
    team_id: int | None, now: datetime,
) -> Notification:
    """The notice rendered for its reader, as the outbox row that carries it."""
    spec = notice.kind.spec
    reader = Reader(recipient.language if recipient else None, team.timezone if team else None)
    rendered = uow.renderer.render(spec.key, notice.params, notice.actions, reader)
    summary = uow.renderer.render(spec.line, notice.params, (), reader).text if spec.line else None
    not_before = send_at(spec.urgency, now, team, at=notice.at, chosen=notice.chosen)
    return Notification(
        chat_id=chat_id, text=rendered.text, dedupe_key=key, created_at=now, not_before=not_before,
        next_attempt_at=not_before, kind=spec.category, recipient_id=recipient.id if recipient else None,
        team_id=team_id or (team.id if team else None), reply_markup=rendered.reply_markup,
        urgent=spec.urgency is Urgency.NOW, subject_kind=spec.subject.value, subject_id=notice.about,
        notice=spec.key, summary=summary, picture=notice.picture.ref if notice.picture else None,
    )


async def release_held(uow: UnitOfWork, kind: Kind, team: Team, *, now: datetime) -> int:
    """The batch that queued held notices of `kind` for the team (Urgency.HELD) is done: they may go now
    (within the team's working hours), all at one moment, so that each person's go as one digest of
    the kind's family. Returns how many were released."""
    if kind.spec.urgency is not Urgency.HELD or team.id is None:
        raise ValueError(f"{kind.name} is not held")
    return await uow.outbox.release(kind.spec.key, team.id, send_at(Urgency.WORKING_HOURS, now, team))


async def moved_on(
    uow: UnitOfWork, subject: Subject, subject_id: int | None, *, why: str, now: datetime
) -> list[Cancelled]:
    """What a service says after changing a subject's state (a hand-off accepted, a reminder done, a deal
    closed): the notices about it still waiting to go out that no longer hold are cancelled now, in the
    same transaction (the dispatcher checks again before sending anyway). For a deal, the notices about
    its hand-offs, next steps, stage changes and activities too. `why` is what happened."""
    if subject_id is None:
        return []
    return list(await uow.outbox.settle(subject, subject_id, why=why, now=now))
