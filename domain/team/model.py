"""Entities of the team set-up: teams, people, roles, invites and the audit trail."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from datetime import datetime, time
from typing import Any


class Role(enum.StrEnum):
    ADMIN = "admin"
    MANAGER = "manager"
    REP = "rep"
    FINANCE = "finance"


class Language(enum.StrEnum):
    ZH = "zh"
    EN = "en"

    @classmethod
    def pick(cls, *candidates: str | None, default: Language | None = None) -> Language:
        """The first candidate that names a supported language ("zh-hans" -> zh, "en-US" -> en)."""
        for raw in candidates:
            if not raw:
                continue
            prefix = raw.lower().replace("_", "-").split("-", 1)[0]
            for lang in cls:
                if lang.value == prefix:
                    return lang
        return default or cls.ZH


ALL_WEEKDAYS = frozenset(range(7))
MON_TO_SAT = frozenset(range(6))


@dataclass(eq=False)
class Team:
    name: str
    timezone: str = "Asia/Shanghai"
    work_start: time = time(9, 0)
    work_end: time = time(21, 0)
    # ISO weekdays counted from Monday = 0, stored as a string of digits ("012345" = Mon..Sat).
    work_days: str = "012345"
    group_chat_id: int | None = None
    created_at: datetime | None = None
    id: int | None = None

    @property
    def weekdays(self) -> frozenset[int]:
        return frozenset(int(ch) for ch in self.work_days)


@dataclass(eq=False)
class User:
    telegram_id: int
    name: str
    role: Role
    team_id: int
    language: Language | None = None
    username: str | None = None
    active: bool = True
    reachable: bool = True
    created_at: datetime | None = None
    id: int | None = None

    @property
    def is_manager_or_admin(self) -> bool:
        return self.role in (Role.ADMIN, Role.MANAGER)


@dataclass(eq=False)
class Invite:
    code_hash: str
    role: Role
    team_id: int
    expires_at: datetime
    created_at: datetime
    created_by: int | None = None
    used_by: int | None = None
    used_at: datetime | None = None
    id: int | None = None

    def is_usable(self, now: datetime) -> bool:
        return self.used_at is None and now < self.expires_at


@dataclass(eq=False)
class AuditEvent:
    action: str
    entity: str
    entity_id: int | None
    at: datetime
    actor_id: int | None = None
    team_id: int | None = None
    before: dict[str, Any] | None = None
    after: dict[str, Any] | None = None
    id: int | None = None


@dataclass(frozen=True)
class Member:
    """A read model: one line of a team's member list."""

    user_id: int
    name: str
    role: Role
    active: bool
    reachable: bool = True
    extra: dict[str, Any] = field(default_factory=dict)
