"""How deliveries are signed, retried and given up on (the worker in bot/webhooks.py applies it)."""

from __future__ import annotations

import hashlib
import hmac
from datetime import datetime, timedelta
from typing import Final

MAX_ATTEMPTS: Final = 10  # about 8½ hours of retries: 1, 2, 4 … 256 minutes
MAX_BACKOFF: Final = timedelta(hours=6)
DISABLE_AFTER: Final = 15  # failed attempts in a row (across deliveries): the endpoint is stopped
SIGNATURE_TOLERANCE: Final = timedelta(minutes=5)


def next_attempt(attempts: int, now: datetime) -> datetime | None:
    """After `attempts` failed tries: when to try again, or None to give up."""
    if attempts >= MAX_ATTEMPTS:
        return None
    return now + min(timedelta(minutes=2 ** max(0, attempts - 1)), MAX_BACKOFF)


def sign(secret: str, timestamp: int, body: bytes) -> str:
    """The X-Loopbot-Signature header: `t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>">`."""
    digest = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256).hexdigest()
    return f"t={timestamp},v1={digest}"


def verify(secret: str, header: str, body: bytes, now: datetime) -> bool:
    """What a receiver does (and the README shows): the signature matches and is recent."""
    parts = dict(part.split("=", 1) for part in header.split(",") if "=" in part)
    try:
        timestamp = int(parts.get("t", ""))
    except ValueError:
        return False
    if abs(now.timestamp() - timestamp) > SIGNATURE_TOLERANCE.total_seconds():
        return False
    expected = sign(secret, timestamp, body)
    return hmac.compare_digest(expected, f"t={timestamp},v1={parts.get('v1', '')}")
