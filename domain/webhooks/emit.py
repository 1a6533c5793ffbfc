"""Pipeline events to the team's webhooks, from the audit trail (called by domain/audit.record, in the
same transaction as the change: a delivery exists exactly when the change was committed)."""

from __future__ import annotations

from datetime import datetime

from domain.ports import UnitOfWork
from domain.team.model import AuditEvent
from domain.webhooks.events import FROM_AUDIT, payload_of
from domain.webhooks.model import WebhookDelivery


async def emit(uow: UnitOfWork, audit: AuditEvent, now: datetime) -> None:
    event = FROM_AUDIT.get(audit.action)
    if event is None or audit.team_id is None:
        return  # most audit records are no webhook event: no query at all
    endpoints = await uow.webhooks.listening(audit.team_id, event)
    if not endpoints:
        return
    payload = payload_of(event, audit, now)
    for endpoint in endpoints:
        assert endpoint.id is not None
        await uow.webhooks.queue(
            WebhookDelivery(
                endpoint_id=endpoint.id, team_id=audit.team_id, event=event, event_id=str(payload["id"]),
                payload=payload, created_at=now, next_attempt_at=now,
            )
        )
