"""Delivery outcomes the people must hear of (unreachable people and groups), and dead letters."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from domain.audit import record
from domain.errors import AlreadyDone, Forbidden
from domain.outbox.kinds import Kind
from domain.outbox.model import DeadLetter, HeldNotice, Notification
from domain.outbox.notify import Notice, tell_managers
from domain.outbox.ports import DeadLetterWork
from domain.ports import UnitOfWork
from domain.team.model import AuditEvent, Role, User

DEAD_LETTERS_PER_PAGE = 6


async def report_unreachable_user(
    uow: UnitOfWork, *, user_id: int, source_id: int, now: datetime
) -> list[Notification]:
    """Telegram refused a message to this person (blocked the bot, never started it, account gone).

    Flags them unreachable and tells their managers, once per change from reachable to unreachable:
    further failures while they stay unreachable tell nobody again. `source_id` is the notification
    that failed; it makes the dedupe keys of this episode unique.
    """
    user = await uow.users.get(user_id)
    if user is None or not user.reachable:
        return []
    user.reachable = False
    await record(
        uow, now=now, action="user.unreachable", entity="user", entity_id=user.id, actor_id=None,
        team_id=user.team_id, before={"reachable": True}, after={"reachable": False, "notification_id": source_id},
    )
    assert user.id is not None
    who = f"{user.name} @{user.username}" if user.username else user.name
    notice = Notice(
        Kind.USER_UNREACHABLE, about=user.id, refs={"source": source_id}, params={"name": who, "role": user.role.value}
    )
    return await tell_managers(uow, user.team_id, notice, now=now, exclude=(user.id,))


def heard_from(user: User) -> bool:
    """The person wrote to the bot in private: Telegram lets the bot write to them again (writing to a
    bot one blocked unblocks it). True if they were flagged unreachable until now."""
    if user.reachable:
        return False
    user.reachable = True
    return True


async def report_unreachable_group(
    uow: UnitOfWork, *, chat_id: int, team_id: int | None, source_id: int, now: datetime
) -> list[Notification]:
    """The bot can no longer post in a team's group (removed from it, group deleted).

    The group is unbound from the team (announcements stop going there) and the team's managers are
    told how to fix it, once: a second failure finds the group already unbound and does nothing.
    """
    team = await uow.teams.get(team_id) if team_id is not None else None
    if team is None or team.group_chat_id != chat_id:
        team = await uow.teams.by_group_chat(chat_id)
    if team is None or team.id is None:
        return []
    team.group_chat_id = None
    await record(
        uow, now=now, action="team.group_unreachable", entity="team", entity_id=team.id, actor_id=None,
        team_id=team.id, before={"group_chat_id": chat_id}, after={"group_chat_id": None, "notification_id": source_id},
    )
    notice = Notice(Kind.GROUP_UNREACHABLE, about=team.id, refs={"chat": chat_id, "source": source_id},
                    params={"team": team.name})
    return await tell_managers(uow, team.id, notice, now=now)


async def open_held(uow: UnitOfWork, *, actor: User, notification_id: int) -> HeldNotice:
    """A notice from the digest of those held over the person's daily budget, to show it as it was (its
    text and buttons). Only its own person may open it; one whose subject moved on since says so."""
    found = await uow.outbox.opened(notification_id)
    if found is None or not found.held_over or found.recipient_id is None or found.recipient_id != actor.id:
        raise Forbidden("outbox-held-not-yours")
    if not found.holds:
        raise AlreadyDone("outbox-held-moved-on")
    return found


@dataclass(frozen=True)
class DeadLetterPage:
    items: Sequence[DeadLetter]
    total: int
    page: int
    pages: int


def _require_admin(actor: User) -> None:
    if actor.role is not Role.ADMIN or not actor.active:
        raise Forbidden("error-deadletters-admin")


async def list_dead_letters(
    uow: DeadLetterWork, *, actor: User, page: int, per_page: int = DEAD_LETTERS_PER_PAGE
) -> DeadLetterPage:
    _require_admin(actor)
    total = await uow.dead_letters.count()
    pages = max(1, -(-total // per_page))
    page = min(max(page, 0), pages - 1)
    items = await uow.dead_letters.page(page * per_page, per_page) if total else []
    return DeadLetterPage(items=items, total=total, page=page, pages=pages)


async def retry_dead_letter(uow: DeadLetterWork, *, actor: User, notification_id: int, now: datetime) -> None:
    """Queue one dead letter again. A second press (or one after "retry all") changes nothing."""
    _require_admin(actor)
    if not await uow.dead_letters.revive(notification_id, now):
        raise AlreadyDone("deadletters-already-retried")
    await uow.audit.add(AuditEvent(
        action="notification.retried", entity="notification", entity_id=notification_id, at=now,
        actor_id=actor.id, before={"state": "dead"}, after={"state": "pending"},
    ))


async def retry_all_dead_letters(uow: DeadLetterWork, *, actor: User, now: datetime) -> int:
    _require_admin(actor)
    count = await uow.dead_letters.revive_all(now)
    if count == 0:
        raise AlreadyDone("deadletters-none-left")
    await uow.audit.add(AuditEvent(
        action="notification.retried_all", entity="notification", entity_id=None, at=now,
        actor_id=actor.id, after={"count": count},
    ))
    return count
