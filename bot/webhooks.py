"""Delivers the teams' outbound webhooks (domain/webhooks): every few seconds, the due deliveries are
claimed with a lease (two instances never send one at the same time), POSTed signed, and marked sent,
retried with backoff, or dead; an endpoint that fails every time is paused and its admin told."""

from __future__ import annotations

import asyncio
import json
import logging
from datetime import timedelta

import aiohttp

from bot.app import App, Periodic
from domain.webhooks import delivery
from domain.webhooks.services import stop_failing
from storage.webhooks_repo import Claimed, WebhookStore

log = logging.getLogger(__name__)

USER_AGENT = "loopbot-webhooks/1"


class WebhookSender:
    def __init__(self, app: App, *, timeout: float = 10.0, batch: int = 20, lease: float = 60.0) -> None:
        self.app = app
        self.store = WebhookStore(app.engine)
        self.timeout = aiohttp.ClientTimeout(total=timeout)
        self.batch = batch
        self.lease = timedelta(seconds=lease)

    async def run_once(self) -> int:
        """Send what is due now; the number delivered."""
        delivered = 0
        while True:
            claimed = await self.store.claim(self.app.clock.now(), self.batch, self.lease)
            if not claimed:
                return delivered
            async with aiohttp.ClientSession(timeout=self.timeout) as http:
                results = await asyncio.gather(*(self._send(http, item) for item in claimed))
            delivered += sum(results)
            if len(claimed) < self.batch:
                return delivered

    async def tick(self) -> None:
        try:
            await self.run_once()
        except Exception:
            log.exception("webhook delivery failed; the next tick retries")

    async def _send(self, http: aiohttp.ClientSession, item: Claimed) -> bool:
        now = self.app.clock.now()
        body = json.dumps(item.payload, ensure_ascii=False, separators=(",", ":")).encode()
        headers = {
            "Content-Type": "application/json; charset=utf-8", "User-Agent": USER_AGENT,
            "X-Loopbot-Event": item.event, "X-Loopbot-Delivery": item.event_id,
            "X-Loopbot-Signature": delivery.sign(item.secret, int(now.timestamp()), body),
        }
        error = ""
        try:
            async with http.post(item.url, data=body, headers=headers, allow_redirects=False) as response:
                if 200 <= response.status < 300:
                    await self.store.sent(item.id, item.endpoint_id, self.app.clock.now())
                    self.app.metrics.webhooks.labels("sent").inc()
                    return True
                error = f"HTTP {response.status}"
        except (aiohttp.ClientError, TimeoutError) as exc:
            error = type(exc).__name__
        retry_at = delivery.next_attempt(item.attempts + 1, self.app.clock.now())
        failures = await self.store.failed(item.id, item.endpoint_id, error, retry_at)
        self.app.metrics.webhooks.labels("failed" if retry_at is not None else "dead").inc()
        log.warning("webhook %s to endpoint %s failed (%s), attempt %s", item.event, item.endpoint_id, error, item.attempts + 1)
        if failures >= delivery.DISABLE_AFTER:
            async with self.app.uow() as uow:
                await stop_failing(uow, endpoint_id=item.endpoint_id, error=error, now=self.app.clock.now())
                await uow.commit()
        return False


def install_webhooks(app: App, seconds: float = 5.0) -> WebhookSender:
    sender = WebhookSender(app)
    app.periodic.append(Periodic(name="webhooks", seconds=seconds, run=sender.tick))
    app.dp["webhooks"] = sender
    return sender


def webhooks_of(app: App) -> WebhookSender:
    sender: WebhookSender = app.dp["webhooks"]
    return sender
