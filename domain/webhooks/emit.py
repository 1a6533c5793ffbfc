"""Pipeline events to the team's webhooks, from the audit trail (called by domain/audit.record, in the
same transaction as the change: a delivery exists exactly when the change was committed)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from domain.ports import UnitOfWork
from domain.team.model import AuditEvent
from domain.webhooks.events import FROM_AUDIT, payload_of
from domain.webhooks.model import WebhookDelivery, WebhookEndpoint


async def emit(uow: UnitOfWork, audit: AuditEvent, now: datetime) -> None:
    await emit_all(uow, [audit], now)


async def emit_all(uow: UnitOfWork, audits: Sequence[AuditEvent], now: datetime) -> None:
    """emit() for each audit record in order; a team's endpoints for an event are looked up once (a batch
    of imported leads asks once, not once a lead)."""
    listening: dict[tuple[int, str], Sequence[WebhookEndpoint]] = {}
    for audit in audits:
        event = FROM_AUDIT.get(audit.action)
        if event is None or audit.team_id is None:
            continue  # most audit records are no webhook event: no query at all
        key = (audit.team_id, event)
        if key not in listening:
            listening[key] = await uow.webhooks.listening(audit.team_id, event)
        endpoints = listening[key]
        if not endpoints:
            continue
        payload = payload_of(event, audit, now)
        for endpoint in endpoints:
            assert endpoint.id is not None
            await uow.webhooks.queue(
                WebhookDelivery(
                    endpoint_id=endpoint.id, team_id=audit.team_id, event=event, event_id=str(payload["id"]),
                    payload=payload, created_at=now, next_attempt_at=now,
                )
            )
