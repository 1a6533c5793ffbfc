"""Ports of the outbound webhooks."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from domain.webhooks.model import WebhookDelivery, WebhookEndpoint


class WebhookRepo(Protocol):
    async def add(self, endpoint: WebhookEndpoint) -> WebhookEndpoint: ...
    async def get(self, endpoint_id: int) -> WebhookEndpoint | None: ...
    async def of_team(self, team_id: int) -> Sequence[WebhookEndpoint]: ...
    async def listening(self, team_id: int, event: str) -> Sequence[WebhookEndpoint]:
        """The team's endpoints subscribed to `event`, paused ones included (their deliveries wait for the resume)."""
        ...
    async def remove(self, endpoint: WebhookEndpoint) -> None:
        """The endpoint and its deliveries not yet sent."""
        ...
    async def queue(self, delivery: WebhookDelivery) -> None: ...
