"""/webhooks: an admin points the team's own systems (OA, finance, contracts) at pipeline events.
Each endpoint gets a secret that signs every delivery; it is shown once."""

from __future__ import annotations

import secrets
from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Final
from urllib.parse import urlsplit

from domain.audit import record
from domain.errors import AlreadyDone, InvalidInput, NotFound
from domain.outbox.kinds import Kind
from domain.outbox.notify import Notice, tell_user
from domain.permissions import Ability, require
from domain.ports import UnitOfWork
from domain.team.model import User
from domain.webhooks.events import EVENTS, ping_payload
from domain.webhooks.model import WebhookDelivery, WebhookEndpoint

MAX_URL: Final = 500
MAX_ENDPOINTS: Final = 10
LOCAL_HOSTS: Final = frozenset({"localhost", "127.0.0.1", "::1"})


def parse_url(text: str, *, allow_http: bool = False) -> str:
    """An https:// address (http:// only where allowed: a test receiver or the same machine)."""
    url = (text or "").strip()
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 - reading it checks it
    except ValueError as exc:
        raise InvalidInput("error-webhook-url") from exc
    secure = parts.scheme == "https" or (parts.scheme == "http" and (allow_http or parts.hostname in LOCAL_HOSTS))
    if not secure or not parts.hostname or len(url) > MAX_URL or parts.username or parts.password or " " in url:
        raise InvalidInput("error-webhook-url")
    return url


def parse_events(events: Iterable[str]) -> list[str]:
    chosen = [event for event in EVENTS if event in set(events)]
    if not chosen:
        raise InvalidInput("error-webhook-events")
    return chosen


async def add_endpoint(
    uow: UnitOfWork, *, actor: User, url: str, events: Iterable[str], now: datetime, allow_http: bool = False
) -> tuple[WebhookEndpoint, str]:
    require(actor, Ability.MANAGE_WEBHOOKS, "error-webhook-role")
    assert actor.id is not None
    address = parse_url(url, allow_http=allow_http)
    chosen = parse_events(events)
    if len(await uow.webhooks.of_team(actor.team_id)) >= MAX_ENDPOINTS:
        raise InvalidInput("error-webhook-too-many", limit=MAX_ENDPOINTS)
    secret = "whsec_" + secrets.token_urlsafe(24)
    endpoint = await uow.webhooks.add(
        WebhookEndpoint(
            team_id=actor.team_id, url=address, events=chosen, secret=secret, created_by=actor.id, created_at=now
        )
    )
    await record(
        uow, now=now, action="webhook.created", entity="webhook", entity_id=endpoint.id, actor_id=actor.id,
        team_id=actor.team_id, after={"url": address, "events": chosen},
    )
    return endpoint, secret


async def team_endpoints(uow: UnitOfWork, *, actor: User) -> Sequence[WebhookEndpoint]:
    require(actor, Ability.MANAGE_WEBHOOKS, "error-webhook-role")
    return await uow.webhooks.of_team(actor.team_id)


async def _own(uow: UnitOfWork, actor: User, endpoint_id: int) -> WebhookEndpoint:
    require(actor, Ability.MANAGE_WEBHOOKS, "error-webhook-role")
    endpoint = await uow.webhooks.get(endpoint_id)
    if endpoint is None or endpoint.team_id != actor.team_id:
        raise NotFound("error-webhook-not-found")
    return endpoint


async def set_active(uow: UnitOfWork, *, actor: User, endpoint_id: int, active: bool, now: datetime) -> WebhookEndpoint:
    """Pause or resume an endpoint; resuming sends what waited (and starts the failure count afresh)."""
    endpoint = await _own(uow, actor, endpoint_id)
    if endpoint.active == active:
        raise AlreadyDone("error-webhook-already-on" if active else "error-webhook-already-off")
    endpoint.active = active
    endpoint.disabled_reason = None if active else "admin"
    endpoint.failures = 0
    await record(
        uow, now=now, action="webhook.resumed" if active else "webhook.paused", entity="webhook",
        entity_id=endpoint.id, actor_id=actor.id, team_id=endpoint.team_id, after={"url": endpoint.url},
    )
    return endpoint


async def remove_endpoint(uow: UnitOfWork, *, actor: User, endpoint_id: int, now: datetime) -> WebhookEndpoint:
    endpoint = await _own(uow, actor, endpoint_id)
    await uow.webhooks.remove(endpoint)
    await record(
        uow, now=now, action="webhook.removed", entity="webhook", entity_id=endpoint_id, actor_id=actor.id,
        team_id=endpoint.team_id, after={"url": endpoint.url},
    )
    return endpoint


async def send_test(uow: UnitOfWork, *, actor: User, endpoint_id: int, now: datetime) -> WebhookEndpoint:
    """The 🧪 button: a `ping` delivery, sent like any other (signed, retried)."""
    endpoint = await _own(uow, actor, endpoint_id)
    assert endpoint.id is not None
    payload = ping_payload(endpoint.team_id, now)
    await uow.webhooks.queue(
        WebhookDelivery(
            endpoint_id=endpoint.id, team_id=endpoint.team_id, event="ping", event_id=str(payload["id"]),
            payload=payload, created_at=now, next_attempt_at=now,
        )
    )
    return endpoint


async def stop_failing(uow: UnitOfWork, *, endpoint_id: int, error: str, now: datetime) -> None:
    """The delivery worker gave up on an endpoint that fails every time: it is paused (its deliveries
    wait), and the admin who added it hears why and how to resume it."""
    endpoint = await uow.webhooks.get(endpoint_id)
    if endpoint is None or not endpoint.active:
        return
    endpoint.active = False
    endpoint.disabled_reason = "failures"
    await record(
        uow, now=now, action="webhook.stopped", entity="webhook", entity_id=endpoint.id, actor_id=None,
        team_id=endpoint.team_id, after={"url": endpoint.url, "failures": endpoint.failures, "error": error[:200]},
    )
    assert endpoint.id is not None
    await tell_user(
        uow, endpoint.created_by,
        Notice(
            Kind.WEBHOOK_STOPPED, endpoint.id,
            {"url": endpoint.url, "failures": endpoint.failures, "error": error[:200]},
        ),
        team_id=endpoint.team_id, now=now,
    )
