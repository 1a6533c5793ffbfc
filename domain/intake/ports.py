"""Ports of the intake: API keys and idempotency receipts."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from domain.intake.model import ApiKey, IntakeReceipt


class ApiKeyRepo(Protocol):
    async def add(self, key: ApiKey) -> ApiKey: ...
    async def get(self, key_id: int) -> ApiKey | None: ...
    async def by_hash(self, key_hash: str) -> ApiKey | None: ...
    async def of_team(self, team_id: int) -> Sequence[ApiKey]:
        """The team's keys that are not revoked, oldest first."""
        ...


class ReceiptRepo(Protocol):
    async def get(self, api_key_id: int, idempotency_key: str) -> IntakeReceipt | None: ...
    async def add(self, receipt: IntakeReceipt) -> IntakeReceipt: ...
