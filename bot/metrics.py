"""What /metrics shows (Prometheus text format, through prometheus-client): updates handled and how long
they took, intake requests, outbox deliveries and Telegram's 429s, the outbox backlog, and how long each
periodic job (the sweeps, the outbox tick) took. One registry per App, so tests can build several."""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable
from datetime import datetime
from typing import TYPE_CHECKING, Any

from aiogram import BaseMiddleware
from aiogram.types import TelegramObject, Update
from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, generate_latest

if TYPE_CHECKING:
    from bot.outbox import DrainReport

LATENCY_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)


class Metrics:
    def __init__(self) -> None:
        self.registry = CollectorRegistry(auto_describe=True)
        r = self.registry
        self.updates = Counter("loopbot_updates", "Telegram updates handled, by type and result", ["type", "result"], registry=r)
        self.update_seconds = Histogram(
            "loopbot_update_seconds", "Time to handle one update", ["type"], buckets=LATENCY_BUCKETS, registry=r
        )
        self.webhooks = Counter("loopbot_webhook_deliveries", "Outbound webhook attempts, by result", ["result"], registry=r)
        self.intake = Counter("loopbot_intake_requests", "HTTP intake requests, by outcome", ["outcome"], registry=r)
        self.esign = Counter("loopbot_esign_callbacks", "E-signature provider callbacks, by outcome", ["outcome"], registry=r)
        self.delivered = Counter("loopbot_outbox_sent", "Notifications delivered", registry=r)
        self.retried = Counter("loopbot_outbox_retried", "Deliveries that failed and will be retried", registry=r)
        self.dead = Counter("loopbot_outbox_dead", "Notifications given up on (dead letters)", registry=r)
        self.unreachable = Counter("loopbot_outbox_unreachable", "Notifications to chats that blocked the bot", registry=r)
        self.rate_limited = Counter("loopbot_telegram_429", "429 Too Many Requests answers from Telegram", registry=r)
        self.held_over = Counter(
            "loopbot_outbox_held_over", "Notifications held over their person's daily message budget", registry=r
        )
        self.token_refused = Gauge(
            "loopbot_telegram_token_refused", "1 while Telegram refuses the bot token (401: revoked in @BotFather)",
            registry=r,
        )
        self.backlog = Gauge("loopbot_outbox_backlog", "Notifications due now and not yet sent", registry=r)
        self.oldest_due = Gauge(
            "loopbot_outbox_oldest_due_seconds", "How long the oldest due notification has waited", registry=r
        )
        self.dead_letters = Gauge("loopbot_outbox_dead_letters", "Dead letters waiting for an admin", registry=r)
        self.periodic_seconds = Histogram(
            "loopbot_periodic_seconds", "Time one run of a periodic job took (sweeps, outbox tick)", ["job"],
            buckets=(*LATENCY_BUCKETS, 30.0, 60.0), registry=r,
        )
        # When each periodic job last finished (health: is the scheduler ticking?).
        self.last_run: dict[str, datetime] = {}

    def drained(self, report: DrainReport) -> None:
        self.delivered.inc(report.sent)
        self.retried.inc(report.retried)
        self.dead.inc(report.dead)
        self.unreachable.inc(report.unreachable)
        self.rate_limited.inc(report.rate_limited)
        self.held_over.inc(report.held_over)

    def text(self) -> bytes:
        return generate_latest(self.registry)


class UpdateMetricsMiddleware(BaseMiddleware):
    """Outermost: counts every update and times it, whatever the handlers do with it."""

    def __init__(self, metrics: Metrics) -> None:
        self.metrics = metrics

    async def __call__(
        self, handler: Callable[[TelegramObject, dict[str, Any]], Awaitable[Any]], event: TelegramObject,
        data: dict[str, Any],
    ) -> Any:
        kind = event.event_type if isinstance(event, Update) else type(event).__name__.lower()
        started = time.perf_counter()
        result = "error"
        try:
            value = await handler(event, data)
            result = "ok"
            return value
        finally:
            self.metrics.updates.labels(kind, result).inc()
            self.metrics.update_seconds.labels(kind).observe(time.perf_counter() - started)
