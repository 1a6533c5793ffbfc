"""Outbound webhooks: a team's endpoints (its OA, finance or contract system) hear of what happens in
the pipeline. Deliveries are rows, sent by a worker with retries and backoff, like the outbox."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from datetime import datetime


class DeliveryState(enum.StrEnum):
    PENDING = "pending"
    SENT = "sent"
    DEAD = "dead"  # given up after the last retry


@dataclass
class WebhookEndpoint:
    team_id: int
    url: str
    events: list[str]
    secret: str  # signs every delivery (HMAC-SHA256); shown to the admin once
    created_by: int
    created_at: datetime
    active: bool = True
    failures: int = 0  # failed attempts in a row; reset by a success
    disabled_reason: str | None = None  # "failures" (the bot stopped it) or "admin"
    id: int | None = None


@dataclass
class WebhookDelivery:
    endpoint_id: int
    team_id: int
    event: str
    event_id: str  # the same for every endpoint told of one event: receivers dedupe on it
    payload: dict[str, object] = field(default_factory=dict)
    created_at: datetime | None = None
    state: DeliveryState = DeliveryState.PENDING
    attempts: int = 0
    next_attempt_at: datetime | None = None
    last_error: str | None = None
    sent_at: datetime | None = None
    lease_until: datetime | None = None
    id: int | None = None
