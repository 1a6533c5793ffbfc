"""Ports of the pipeline policy."""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from typing import Protocol

from domain.policy.model import TeamPolicy


class PolicyRepo(Protocol):
    async def ensure(self, team_id: int) -> TeamPolicy:
        """The team's policy, created with the defaults on first use (safe against a concurrent first use)."""
        ...
    async def all(self) -> Sequence[TeamPolicy]: ...


class RepSkillRepo(Protocol):
    async def of_team(self, team_id: int) -> Mapping[int, Mapping[str, frozenset[str]]]:
        """user id -> skill kind -> values."""
        ...
    async def of_user(self, user_id: int) -> Mapping[str, frozenset[str]]: ...
    async def replace(self, user_id: int, kind: str, values: Collection[str]) -> None: ...
