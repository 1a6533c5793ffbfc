"""Onboarding (团队): invites, joining, languages, members and the team's group chat."""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Sequence
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from domain.audit import record, snapshot
from domain.errors import AlreadyDone, Forbidden, InvalidInput, NotFound
from domain.outbox.kinds import Subject
from domain.outbox.notify import moved_on
from domain.permissions import invitable_roles, may_manage_member
from domain.ports import UnitOfWork
from domain.team.model import Invite, Language, Role, Team, User
from domain.team.queries import member_in_reach

INVITE_TTL = timedelta(days=7)
# Telegram deep-link payloads allow 64 characters of [A-Za-z0-9_-]; token_urlsafe uses exactly those.
INVITE_CODE_LENGTH = 32


def hash_code(code: str) -> str:
    return hashlib.sha256(code.encode()).hexdigest()


# Other deep links share /start with invites: a survey link is "s_<token>" (domain/tickets/surveys.py
# LINK_PREFIX). An invite code never starts like one, or its person would be shown a survey.
OTHER_LINKS: tuple[str, ...] = ("s_",)


def new_invite_code() -> str:
    while True:
        code = secrets.token_urlsafe(INVITE_CODE_LENGTH)[:INVITE_CODE_LENGTH]
        if not code.startswith(OTHER_LINKS):
            return code


def validate_timezone(name: str) -> str:
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise InvalidInput("error-timezone", value=name) from exc
    return name


async def ensure_team(uow: UnitOfWork, *, name: str, timezone: str, now: datetime) -> Team:
    name = " ".join(name.split())
    if not name or len(name) > 64:
        raise InvalidInput("error-team-name")
    existing = await uow.teams.by_name(name)
    if existing is not None:
        return existing
    team = await uow.teams.add(Team(name=name, timezone=validate_timezone(timezone), created_at=now))
    await record(
        uow, now=now, action="team.created", entity="team", entity_id=team.id, actor_id=None,
        team_id=team.id, after=snapshot(team, "name", "timezone"),
    )
    return team


async def create_invite(
    uow: UnitOfWork, *, actor: User | None, role: Role, team_id: int, now: datetime,
    ttl: timedelta = INVITE_TTL,
) -> tuple[str, Invite]:
    """A single-use invite. `actor` None means the command line (an operator on the server)."""
    if actor is not None and not actor.active:
        raise Forbidden()
    if role not in invitable_roles(actor):
        raise Forbidden("error-invite-role", role=role.value)
    if actor is not None and actor.role is not Role.ADMIN and team_id != actor.team_id:
        raise Forbidden("error-other-team")
    team = await uow.teams.get(team_id)
    if team is None:
        raise NotFound()
    code = new_invite_code()
    invite = await uow.invites.add(
        Invite(
            code_hash=hash_code(code), role=role, team_id=team_id, expires_at=now + ttl,
            created_at=now, created_by=actor.id if actor else None,
        )
    )
    await record(
        uow, now=now, action="invite.created", entity="invite", entity_id=invite.id,
        actor_id=actor.id if actor else None, team_id=team_id,
        after={"role": role.value, "team_id": team_id, "expires_at": invite.expires_at.isoformat()},
    )
    return code, invite


async def redeem_invite(
    uow: UnitOfWork, *, code: str, telegram_id: int, name: str, username: str | None,
    language: Language | None, now: datetime,
) -> tuple[User, Team]:
    existing = await uow.users.by_telegram_id(telegram_id)
    if existing is not None:
        raise AlreadyDone("error-already-registered")
    if not code or len(code) > 64:
        raise InvalidInput("error-invite-unknown")
    invite = await uow.invites.by_hash(hash_code(code))
    if invite is None:
        raise InvalidInput("error-invite-unknown")
    if invite.used_at is not None:
        raise InvalidInput("error-invite-used")
    if not invite.is_usable(now):
        raise InvalidInput("error-invite-expired")
    team = await uow.teams.get(invite.team_id)
    if team is None:
        raise InvalidInput("error-invite-unknown")
    user = await uow.users.add(
        User(
            telegram_id=telegram_id, name=(name or str(telegram_id))[:128], username=username,
            role=invite.role, team_id=invite.team_id, language=language, created_at=now,
        )
    )
    assert user.id is not None and invite.id is not None
    if not await uow.invites.claim(invite.id, user.id, now):
        # Someone redeemed the same code a moment earlier: single use means single use.
        raise InvalidInput("error-invite-used")
    await record(
        uow, now=now, action="user.joined", entity="user", entity_id=user.id, actor_id=user.id,
        team_id=team.id, after={"role": user.role.value, "team_id": team.id, "invite_id": invite.id},
    )
    return user, team


async def set_language(uow: UnitOfWork, *, user: User, language: Language, now: datetime) -> User:
    before = snapshot(user, "language")
    user.language = language
    await record(
        uow, now=now, action="user.language", entity="user", entity_id=user.id, actor_id=user.id,
        team_id=user.team_id, before=before, after=snapshot(user, "language"),
    )
    return user


def visible_team_ids(actor: User, all_team_ids: Sequence[int]) -> list[int]:
    if actor.role is Role.ADMIN:
        return list(all_team_ids)
    if actor.role is Role.MANAGER:
        return [actor.team_id]
    return []


async def team_members(uow: UnitOfWork, *, actor: User, team_id: int) -> tuple[Team, Sequence[User]]:
    if not actor.is_manager_or_admin or not actor.active:
        raise Forbidden()
    if actor.role is not Role.ADMIN and team_id != actor.team_id:
        raise Forbidden("error-other-team")
    team = await uow.teams.get(team_id)
    if team is None:
        raise NotFound()
    return team, await uow.users.in_team(team_id)


async def get_member(uow: UnitOfWork, *, actor: User, user_id: int) -> User:
    return await member_in_reach(uow, actor, user_id)


async def set_member_active(
    uow: UnitOfWork, *, actor: User, user_id: int, active: bool, now: datetime
) -> User:
    member = await get_member(uow, actor=actor, user_id=user_id)
    if not may_manage_member(actor, member):
        raise Forbidden("error-cannot-manage-member")
    if member.active == active:
        raise AlreadyDone("error-member-already-active" if active else "error-member-already-inactive")
    before = snapshot(member, "active")
    member.active = active
    await record(
        uow, now=now, action="user.activated" if active else "user.deactivated", entity="user",
        entity_id=member.id, actor_id=actor.id, team_id=member.team_id, before=before,
        after=snapshot(member, "active"),
    )
    return member


async def bind_group(uow: UnitOfWork, *, actor: User, chat_id: int, now: datetime) -> Team:
    if not actor.is_manager_or_admin or not actor.active:
        raise Forbidden("error-bindgroup-role")
    team = await uow.teams.get(actor.team_id)
    if team is None:
        raise NotFound()
    if team.group_chat_id == chat_id:
        raise AlreadyDone("error-group-already-bound")
    other = await uow.teams.by_group_chat(chat_id)
    if other is not None and other.id != team.id:
        if actor.role is not Role.ADMIN:
            raise Forbidden("error-group-bound-elsewhere", team=other.name)
        before_other = snapshot(other, "group_chat_id")
        other.group_chat_id = None
        await record(
            uow, now=now, action="team.group_unbound", entity="team", entity_id=other.id,
            actor_id=actor.id, team_id=other.id, before=before_other, after={"group_chat_id": None},
        )
        await uow.flush()
    before = snapshot(team, "group_chat_id")
    team.group_chat_id = chat_id
    await record(
        uow, now=now, action="team.group_bound", entity="team", entity_id=team.id, actor_id=actor.id,
        team_id=team.id, before=before, after=snapshot(team, "group_chat_id"),
    )
    # "The bot can no longer post in your group" is answered: the managers need not hear it now.
    await moved_on(uow, Subject.TEAM, team.id, why="team.group_bound", now=now)
    return team
