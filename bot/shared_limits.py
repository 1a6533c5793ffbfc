"""Telegram's limits held as ONE bot across instances, through Redis (used when REDIS_URL is set).

Telegram counts 30 messages/s per bot, 1/s per private chat and 20/min per group, whatever the number of
processes sending them. Each instance keeps its own pacer (bot/pacing.py: which claimed row goes next),
and before every sendMessage asks Redis for a slot, in one round trip (one Lua script, atomic):

  1. the whole bot paused after a 429 (a key with the `retry_after` as its TTL)? -> wait that long;
  2. the bot's next free slot (a GCRA: the slots are `gap` apart, gap = the window over its limit,
     stretched by the safety margin, so any second holds at most the cap); a slot more than HORIZON
     ahead is refused -> wait until it is within reach (no instance books the future for itself);
  3. the chat's sliding window (a sorted set of its slots) full at that slot? -> wait until it frees;
  4. otherwise the slot is booked, in the bot's and the chat's keys, and the caller sends at it.

Time is Redis's own clock (TIME), so instances on machines whose clocks differ still agree.
A 429 sets the pause key, and moves the bot's next slot past it, for every instance.

If Redis does not answer, the instance paces alone (its own per-process pacer) for a while and says so
in the log: deliveries go on, and a 429 from Telegram is retried as usual.
"""

from __future__ import annotations

import asyncio
import logging
import math
import time
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from redis.asyncio import Redis

    from bot.pacing import Limits

log = logging.getLogger(__name__)

# KEYS: the bot's next slot, the pause, the chat's slots. ARGV: gap ms, horizon ms, chat limit, chat window ms.
# Returns {0, delay µs} when a slot is booked, or {1 paused | 2 bot busy | 3 chat busy, wait µs}.
_ACQUIRE = """
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + tonumber(t[2]) / 1000
local paused = redis.call('PTTL', KEYS[2])
if paused > 0 then return {1, paused * 1000} end
local gap, horizon = tonumber(ARGV[1]), tonumber(ARGV[2])
local slot = math.max(tonumber(redis.call('GET', KEYS[1]) or '0'), now)
local ahead = slot - now
if ahead > horizon then return {2, math.ceil((ahead - horizon) * 1000)} end
local limit, span = tonumber(ARGV[3]), tonumber(ARGV[4])
redis.call('ZREMRANGEBYSCORE', KEYS[3], '-inf', string.format('%.3f', slot - span))
local n = redis.call('ZCARD', KEYS[3])
if n >= limit then
  local first = redis.call('ZRANGE', KEYS[3], n - limit, n - limit, 'WITHSCORES')
  return {3, math.ceil((tonumber(first[2]) + span - now) * 1000)}
end
redis.call('SET', KEYS[1], string.format('%.3f', slot + gap), 'PX', math.ceil(ahead + gap) + 60000)
redis.call('ZADD', KEYS[3], string.format('%.3f', slot), string.format('%.3f', slot))
redis.call('PEXPIRE', KEYS[3], math.ceil(ahead + span) + 1000)
return {0, math.floor(ahead * 1000)}
"""

# KEYS: the bot's next slot, the pause. ARGV: pause ms. Nothing leaves before now + pause, on any instance.
_PAUSE = """
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + tonumber(t[2]) / 1000
local ms = tonumber(ARGV[1])
if redis.call('PTTL', KEYS[2]) < ms then redis.call('SET', KEYS[2], '1', 'PX', ms) end
if tonumber(redis.call('GET', KEYS[1]) or '0') < now + ms then
  redis.call('SET', KEYS[1], string.format('%.3f', now + ms), 'PX', ms + 60000)
end
return 1
"""

PAUSED, BOT_BUSY, CHAT_BUSY = 1, 2, 3


@dataclass(frozen=True)
class Grant:
    """Redis's answer: send after `delay` seconds (the booked slot), or ask again in `wait` seconds."""

    granted: bool
    delay: float = 0.0
    wait: float = 0.0
    reason: str = ""  # when refused: "paused" (a 429), "bot" (the bot's slots are booked), "chat"


class SharedLimits:
    """One bot's rate limits in Redis, shared by every instance that sends with its token."""

    HORIZON = 1.0  # seconds: how far ahead a slot may be booked
    TIMEOUT = 2.0  # seconds a Redis call may take before this instance paces alone
    ALONE = 15.0  # seconds to pace alone after Redis failed, before trying it again

    def __init__(
        self, redis: Redis, limits: Limits, bot_id: int, *, namespace: str = "loopbot", horizon: float = HORIZON
    ) -> None:
        from redis.exceptions import RedisError  # redis is imported only when REDIS_URL is set

        self.errors: tuple[type[BaseException], ...] = (RedisError, OSError, TimeoutError)
        stretch = 1.0 + limits.safety
        self.redis = redis
        self.gap_ms = limits.overall.seconds / limits.overall.limit * stretch * 1000
        self.horizon_ms = horizon * 1000
        self.private = (limits.private.limit, limits.private.seconds * stretch * 1000)
        self.group = (limits.group.limit, limits.group.seconds * stretch * 1000)
        # One hash tag: on a Redis Cluster all of a bot's keys live in one slot, as a script needs.
        self.prefix = f"{namespace}:{{{bot_id}}}:"
        self.slot_key, self.pause_key = self.prefix + "next", self.prefix + "pause"
        self._acquire = redis.register_script(_ACQUIRE)
        self._pause = redis.register_script(_PAUSE)
        self.alone_until = -math.inf
        self.granted = 0
        self.refused = 0

    def chat_key(self, chat_id: int) -> str:
        return f"{self.prefix}chat:{chat_id}"

    async def acquire(self, chat_id: int) -> Grant | None:
        """Book a slot for one message to `chat_id`; None when Redis does not answer (pace alone)."""
        if time.monotonic() < self.alone_until:
            return None
        limit, span = self.group if chat_id < 0 else self.private
        keys = [self.slot_key, self.pause_key, self.chat_key(chat_id)]
        try:
            status, micros = await self._call(self._acquire, keys, [self.gap_ms, self.horizon_ms, limit, span])
        except self.errors as error:
            self._alone(error)
            return None
        if status == 0:
            self.granted += 1
            return Grant(True, delay=micros / 1e6)
        self.refused += 1
        reason = {PAUSED: "paused", BOT_BUSY: "bot", CHAT_BUSY: "chat"}.get(int(status), "bot")
        return Grant(False, wait=max(micros / 1e6, 0.001), reason=reason)

    async def pause(self, seconds: float) -> None:
        """Telegram answered 429: every instance waits `seconds` before its next message."""
        if time.monotonic() < self.alone_until:
            return
        try:
            await self._call(self._pause, [self.slot_key, self.pause_key], [max(1, math.ceil(seconds * 1000))])
        except self.errors as error:
            self._alone(error)

    async def _call(self, script: Any, keys: list[str], args: list[Any]) -> Any:
        async with asyncio.timeout(self.TIMEOUT):
            return await script(keys=keys, args=args)

    def _alone(self, error: BaseException) -> None:
        self.alone_until = time.monotonic() + self.ALONE
        log.warning(
            "the shared Telegram rate limit in Redis is not answering (%s); this instance paces alone "
            "for %.0f s (other instances may then add to the bot's rate; a 429 is retried as usual)",
            type(error).__name__, self.ALONE,
        )


__all__ = ["Grant", "SharedLimits"]
