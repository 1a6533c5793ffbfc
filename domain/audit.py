"""The audit trail: who changed what, when, before and after."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import fields, is_dataclass
from datetime import datetime, time
from enum import Enum
from typing import Any

from domain.ports import UnitOfWork
from domain.team.model import AuditEvent
from domain.webhooks.emit import emit, emit_all


def snapshot(obj: object, *names: str) -> dict[str, Any]:
    """A JSON-safe picture of the named fields (all fields when none are named)."""
    if not is_dataclass(obj):
        return {}
    wanted = names or tuple(f.name for f in fields(obj))
    return {name: _plain(getattr(obj, name)) for name in wanted}


def _plain(value: Any) -> Any:
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, datetime | time):
        return value.isoformat()
    return value


def audit_event(
    *,
    now: datetime,
    action: str,
    entity: str,
    entity_id: int | None,
    actor_id: int | None,
    team_id: int | None,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
) -> AuditEvent:
    """What record() writes, for a batch to record with record_all()."""
    return AuditEvent(
        action=action,
        entity=entity,
        entity_id=entity_id,
        at=now,
        actor_id=actor_id,
        team_id=team_id,
        before=before,
        after=after,
    )


async def record(
    uow: UnitOfWork,
    *,
    now: datetime,
    action: str,
    entity: str,
    entity_id: int | None,
    actor_id: int | None,
    team_id: int | None,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
) -> None:
    event = audit_event(
        now=now, action=action, entity=entity, entity_id=entity_id, actor_id=actor_id, team_id=team_id,
        before=before, after=after,
    )
    await uow.audit.add(event)
    # The team's webhooks hear of what happened, in this same transaction (domain/webhooks/emit.py).
    await emit(uow, event, now)


async def record_all(uow: UnitOfWork, events: Sequence[AuditEvent], *, now: datetime) -> None:
    """record() for events built by a batch (domain/leads/services.py capture_all), in their order."""
    for event in events:
        await uow.audit.add(event)
    await emit_all(uow, events, now)
