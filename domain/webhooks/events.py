"""Which pipeline events a webhook can carry, and how each comes from the audit trail: every change a
service makes is recorded there once (domain/audit.py), so an endpoint hears of exactly what happened,
with the record's before and after — a stage change carries the old and the new stage. New features add
their events here (quote.approved, contract.signed, payment.confirmed, ticket.created …)."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any, Final

from domain.team.model import AuditEvent

PING: Final = "ping"  # the 🧪 test button's delivery

# audit action -> webhook event
FROM_AUDIT: Final[dict[str, str]] = {
    "lead.captured": "lead.created",
    "opportunity.stage": "deal.stage_changed",
    "handoff.accepted": "handoff.accepted",
    "opportunity.reassigned": "deal.reassigned",
    "quote.approved": "quote.approved",
    "contract.signed": "contract.signed",
    "payment.confirmed": "payment.confirmed",
    "ticket.created": "ticket.created",
    "ticket.resolved": "ticket.resolved",
}
EVENTS: Final[tuple[str, ...]] = tuple(dict.fromkeys(FROM_AUDIT.values()))


def payload_of(event: str, audit: AuditEvent, now: datetime) -> dict[str, Any]:
    return {
        "id": str(uuid.uuid4()),
        "event": event,
        "occurred_at": now.isoformat(),
        "team_id": audit.team_id,
        "object": {"type": audit.entity, "id": audit.entity_id},
        "actor_id": audit.actor_id,
        "data": audit.after or {},
        "previous": audit.before or {},
    }


def ping_payload(team_id: int, now: datetime) -> dict[str, Any]:
    return {
        "id": str(uuid.uuid4()), "event": PING, "occurred_at": now.isoformat(), "team_id": team_id,
        "object": None, "actor_id": None, "data": {}, "previous": {},
    }
