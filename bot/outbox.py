"""The outbox dispatcher: delivers pending `notifications` rows through the Bot API, within Telegram's
limits, without losing any.

How a row goes out
  1. Claim. A short transaction leases due rows (state pending, next_attempt_at <= now): lease_owner
     is this process, lease_until now + `lease_seconds`. Only the oldest due row of a chat can be
     claimed, and only while no other row of that chat is leased, so a chat's messages go out one at a
     time and in order, on any number of instances (storage/delivery_repo.py; PostgreSQL locks the
     candidates FOR UPDATE SKIP LOCKED, SQLite runs one process and the conditional UPDATE suffices).
  2. Pace. Claimed rows wait in memory for their turn, within the bot's, each chat's and each group's
     limits, longest queue first (bot/pacing.py). With REDIS_URL set, each message also books its slot
     in Redis, for the bot and for its chat, so that all instances together keep the limits as one bot
     (bot/shared_limits.py); a slot refused there puts the row back to wait.
  3. Send: bot.send_message in HTML (the renderer escaped everything a person typed), buttons from
     the row's reply_markup JSON. A text over 4096 characters goes out as several messages, split on
     line boundaries and never inside a tag or entity (bot/longtext.py); the buttons ride on the last
     one. After each part the row keeps only the text still to send.
     A row that names a picture (its `picture` column: bot/pictures.py) has it drawn now and goes as
     bot.send_photo, the text as the caption and the buttons under it; a text too long for a caption
     follows the photo as above. A picture that cannot be drawn is logged and the text goes alone.
  4. Record: each outcome is committed right after Telegram answers (outcomes that arrive together
     share one commit): sent (sent_at, message_id), or one of the failures below.

Stale notices and digests (in the claim's transaction, storage/delivery_repo.py)
  Just before rows go out, each is checked against its kind's rule (domain/outbox/kinds.py `Valid`),
  one statement for the whole claimed batch: a row whose subject moved on (the hand-off was accepted
  from /deals before the 09:00 card went out) is cancelled, marked why, and never sent. A transition
  committed while a row is already in flight (claimed, not yet answered: about a second) cannot stop
  it; the row is then recorded as sent, which it was.
  A head of a family that may go as one message (kinds.py `Family`: a manager's silence alerts, say)
  takes along the chat's other due rows of its family: COALESCE_AT or more go as one digest (how many,
  the first DIGEST_LINES summaries, a button to the list), each row marked with the digest's outcome.

Failures
  429 Too Many Requests: the whole bot pauses for `retry_after` (every instance, through Redis), the row
      goes back in the queue and the wait does not count as an attempt.
  401 Unauthorized: the token was revoked. Not the row's failure: delivery stops, every claimed row is
      handed back untouched (no attempt, no dead letter), and nothing is claimed until a getMe (one a
      minute) is accepted again; one log line says so (bot/token_guard.py, which also holds polling).
  5xx, network errors, timeouts: attempts + 1 and a retry after an exponential backoff with jitter
      (domain.notifications.retry_delay); after MAX_ATTEMPTS the row is dead with its last_error, for
      an admin to see and retry with /deadletters.
  403 (blocked, never started, kicked) and "chat not found": the row is unreachable. A person is
      flagged reachable=False and their managers are told once; a group is unbound from its team and
      the team's managers are told once (domain/outbox/services.py). Writing to the bot again makes
      a person reachable again.
  Any other 400: Telegram refuses this very message; retrying cannot help, so it is dead at once.
  A group that became a supergroup: the row and the team's binding follow the new chat id.

Crashes, and the one duplicate
  A row stays pending until its "sent" mark is committed, so a crash at any point loses nothing:
  rows leased by a process that died are claimed again once their lease runs out (60 s by default);
  a graceful stop hands unsent rows back at once. The duplicate that can happen: Telegram accepted a
  message and the process died before the sent mark was committed (the few milliseconds between the
  answer and the commit); that message is sent again after the lease runs out. For a long text sent
  in parts, it is the part in that window. A request that timed out on our side after Telegram had
  in fact delivered it is the same case seen from the network, and is retried the same way.

Several instances
  Leases never overlap, so no row is sent by two instances. Per chat, only one message is ever in
  flight across all instances (the claim rule above); with REDIS_URL set, the slots booked in Redis keep
  the bot's pace and each chat's window across instances too (two back-to-back messages to one chat from
  two instances wait their turn). Without Redis each process counts only its own messages.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import math
import os
import random
import socket
import time
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from aiogram.exceptions import (
    ClientDecodeError,
    TelegramAPIError,
    TelegramBadRequest,
    TelegramEntityTooLarge,
    TelegramForbiddenError,
    TelegramMigrateToChat,
    TelegramNetworkError,
    TelegramRetryAfter,
    TelegramUnauthorizedError,
)
from aiogram.types import BufferedInputFile, InlineKeyboardMarkup
from pydantic import ValidationError

from bot.longtext import split_html
from bot.pacing import Held, Limits, Pacer, Window, window
from bot.pictures import Drawn, Easel, draw
from bot.shared_limits import SharedLimits
from bot.token_guard import TokenGuard
from domain.outbox import services as delivery
from domain.outbox.kinds import DIGEST_LINES, OPEN_HELD, Budget, Family
from domain.outbox.model import Action, NotificationState, Reader
from domain.outbox.retry import MAX_ATTEMPTS, Failure, after_failure
from domain.team.model import Language
from storage.delivery_repo import ClaimedRow, DeliveryStore, FailureMark, ProgressMark, SentMark

if TYPE_CHECKING:
    from bot.app import App

log = logging.getLogger(__name__)

CAPTION_LIMIT = 1024  # a photo's caption, in UTF-16 code units (a message's text may have 4096)
CHAT_GONE = ("chat not found", "user not found", "peer_id_invalid", "bot was kicked", "user is deactivated")


# --- Outcomes ----------------------------------------------------------------------------------------


@dataclass
class DrainReport:
    sent: int = 0  # rows delivered completely
    messages: int = 0  # sendMessage calls that succeeded (a split text counts each part)
    retried: int = 0
    dead: int = 0
    unreachable: int = 0
    rate_limited: int = 0  # 429 answers received
    unauthorized: int = 0  # 401 answers: Telegram refused the bot's token (the rows wait, untouched)
    cancelled: int = 0  # rows whose subject moved on before they went out: not sent
    coalesced: int = 0  # rows that went inside another row's digest (counted in `sent` too)
    held_over: int = 0  # rows held over their person's daily budget to the next working day

    def __iadd__(self, other: DrainReport) -> DrainReport:
        for name in self.__dataclass_fields__:
            setattr(self, name, getattr(self, name) + getattr(other, name))
        return self


@dataclass(frozen=True)
class _Unreachable:
    mark: FailureMark
    row: ClaimedRow


@dataclass(frozen=True)
class _Moved:
    row: ClaimedRow
    new_chat_id: int


_Outcome = SentMark | ProgressMark | FailureMark | _Unreachable | _Moved
_STOP = object()


def _describe(error: BaseException, token: str) -> str:
    if isinstance(error, TelegramAPIError):
        text = error.message
    else:
        text = f"{type(error).__name__}: {error}" if str(error) else type(error).__name__
    return text.replace(token, "***") if token else text


def classify(error: BaseException) -> tuple[Failure, str]:
    """What a failed sendMessage means, and a short category for last_error ("network: ...")."""
    if isinstance(error, TelegramRetryAfter):
        return Failure.RATE_LIMITED, "rate_limited"
    if isinstance(error, TelegramForbiddenError):
        return Failure.UNREACHABLE, "forbidden"
    if isinstance(error, TelegramBadRequest):
        if any(marker in error.message.lower() for marker in CHAT_GONE):
            return Failure.UNREACHABLE, "chat_not_found"
        return Failure.PERMANENT, "rejected"
    if isinstance(error, TelegramEntityTooLarge):
        return Failure.PERMANENT, "rejected"
    if isinstance(error, TimeoutError):
        return Failure.TRANSIENT, "timeout"
    if isinstance(error, TelegramNetworkError):
        return Failure.TRANSIENT, "timeout" if "timeout" in error.message.lower() else "network"
    if isinstance(error, TelegramAPIError | ClientDecodeError):
        return Failure.TRANSIENT, "server"
    return Failure.TRANSIENT, "unexpected"


# --- The dispatcher ----------------------------------------------------------------------------------


class OutboxDispatcher:
    """Delivers the outbox for one App. `run_once()` drains what is due; `serve()` runs it promptly
    after every commit that queued rows; the scheduler calls `tick()` every few seconds as a safety net."""

    def __init__(
        self,
        app: App,
        *,
        limits: Limits | None = None,
        owner: str | None = None,
        lease_seconds: float = 60.0,
        send_timeout: float = 20.0,
        max_attempts: int = MAX_ATTEMPTS,
        max_in_flight: int | None = None,
        rng: random.Random | None = None,
        shared: SharedLimits | bool | None = True,
        guard: TokenGuard | None = None,
    ) -> None:
        self.app = app
        self.limits = limits or (
            Limits.from_settings(app.settings) if app.settings.bot_token is not None else Limits.unlimited()
        )
        self.owner = owner or f"{socket.gethostname()[:36]}:{os.getpid()}:{uuid.uuid4().hex[:8]}"
        self.lease = timedelta(seconds=lease_seconds)
        self.send_timeout = send_timeout
        self.max_attempts = max_attempts
        rate = self.limits.per_second if self.limits.enabled else 100.0
        self.max_in_flight = max_in_flight or max(16, math.ceil(rate / 4))
        # Rows held in memory: about a second and a half of sending at the global cap (more would
        # only queue rows here that could have been claimed later, fresher and better ordered).
        self.capacity = max(30, math.ceil(rate * 1.5))
        self.rng = rng or random.Random()
        self.store = DeliveryStore(app.engine, Budget(app.settings.daily_message_budget))
        self.pacer = Pacer(self.limits)
        # The limits as one bot across instances (REDIS_URL set): `shared=True` finds Redis in the settings.
        self.shared = _shared_limits(app, self.limits) if shared is True else shared or None
        self.guard = guard or TokenGuard(app.bot)
        self._wakeup = asyncio.Event()
        self._wakeup.set()  # serve() delivers whatever is due at start-up
        self._running = False
        self._again = False
        self._drain: _Drain | None = None

    def wake(self) -> None:
        """A commit queued rows (App.outbox_listeners): deliver now, not at the next tick."""
        self._wakeup.set()
        if self._drain is not None:
            self._again = True
            self._drain.poke()

    async def run_once(self) -> DrainReport:
        """Deliver every row due now; returns when none is left (rows backing off wait for later).

        Called while a drain is running (a tick during a wake-up), it asks that drain to look
        again and returns at once.
        """
        total = DrainReport()
        if self._running:
            self._again = True
            if self._drain is not None:
                self._drain.poke()
            return total
        self._running = True
        try:
            while True:
                if not await self.guard.usable():  # the token is refused: the rows wait, untouched
                    return total
                self._again = False
                self._drain = _Drain(self)
                try:
                    total += await self._drain.run()
                finally:
                    self._drain = None
                if not self._again:
                    return total
        finally:
            self._running = False

    async def tick(self) -> None:
        """The scheduler's job: a failure is logged, and the next tick tries again."""
        try:
            self.app.metrics.drained(await self.run_once())
        except Exception:
            log.exception("outbox delivery failed; the next tick retries")

    async def serve(self) -> None:
        """Run forever: deliver right after every wake-up."""
        while True:
            await self._wakeup.wait()
            self._wakeup.clear()
            await self.tick()

    # Used by _Drain
    def wall(self, monotonic_at: float) -> datetime:
        return self.app.clock.now() + timedelta(seconds=max(0.0, monotonic_at - time.monotonic()))


class _Drain:
    """One pass over the backlog: a feeder claims, the pacer sends, a writer records."""

    CLAIM_INTERVAL = 0.05
    CLAIM_BATCH = 250  # rows per claim: a bigger result would hold up the event loop
    SHARE_INTERVAL = 0.1
    LEASE_MARGIN = timedelta(seconds=5)

    def __init__(self, dispatcher: OutboxDispatcher) -> None:
        self.d = dispatcher
        self.report = DrainReport()
        self.held: Held[ClaimedRow] = Held()
        self.in_flight: set[asyncio.Task[None]] = set()
        self.outcomes: asyncio.Queue[Any] = asyncio.Queue()
        self.writing = False
        self.finished = False
        self.changed = asyncio.Event()  # wakes the pacer
        self.progress = asyncio.Event()  # wakes the feeder
        self.poked = False
        self.just_cancelled = False  # the last claim cancelled stale rows
        self.pictures: dict[Any, Any] = {}  # what picture makers drew in this pass (bot/pictures.py Easel.memo)

    def poke(self) -> None:
        self.poked = True
        self.progress.set()

    # -- the three parts

    async def run(self) -> DrainReport:
        writer = asyncio.create_task(self._write(), name="outbox-writer")
        feeder = asyncio.create_task(self._feed(), name="outbox-feeder")
        try:
            await self._pace(feeder, writer)
        finally:
            feeder.cancel()
            for task in list(self.in_flight):
                task.cancel()
            with contextlib.suppress(BaseException):
                await asyncio.gather(feeder, *self.in_flight, return_exceptions=True)
            self.outcomes.put_nowait(_STOP)
            with contextlib.suppress(BaseException):
                await asyncio.wait_for(asyncio.shield(writer), 10)
            if self.held:  # stopped early: hand the unsent rows back at once
                with contextlib.suppress(BaseException):
                    ids = [i for r in self.held.rows() for i in r.ids]
                    await asyncio.wait_for(self.d.store.release(self.d.owner, ids), 5)
        return self.report

    def _idle(self) -> bool:
        return not self.held and not self.in_flight and self.outcomes.empty() and not self.writing

    async def _feed(self) -> None:
        last_claim = -math.inf
        while True:
            self.progress.clear()
            if self.d.guard.refused:  # the token is refused: claim nothing more
                self.finished = True
                self.changed.set()
                return
            room = self.d.capacity - len(self.held) - len(self.in_flight)
            starving = not self.held and not self.in_flight
            since = time.monotonic() - last_claim
            if room >= self.d.capacity // 4 or starving:
                if since < self.CLAIM_INTERVAL and not starving:
                    await asyncio.sleep(self.CLAIM_INTERVAL - since)
                    continue
                idle_before, self.poked = self._idle(), False
                rows = await self._claim(room)
                last_claim = time.monotonic()
                if rows or self.just_cancelled:  # cancelled heads: their chats' next rows may be due now
                    continue
                if idle_before and self._idle() and not self.poked:
                    if not await self.d.store.held_elsewhere(self.d.owner, self.d.app.clock.now()):
                        self.finished = True
                        self.changed.set()
                        return
                    # Another instance is draining a backlog: take its chats' next rows as they free up.
                    await asyncio.sleep(self.SHARE_INTERVAL)
                    continue
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self.progress.wait(), 0.5)

    async def _claim(self, room: int) -> list[ClaimedRow]:
        d = self.d
        now = d.app.clock.now()
        # Rows for chats that can take a message now first; only when there are none, the heads of
        # busy chats (they wait here for their turn).
        busy = d.pacer.busy_chats(time.monotonic() + self.CLAIM_INTERVAL)
        claimed = await d.store.claim(d.owner, now, now + d.lease, min(room, self.CLAIM_BATCH), busy)
        cancelled, held = claimed.cancelled, claimed.held_over
        if not claimed.rows and busy:
            claimed = await d.store.claim(d.owner, now, now + d.lease, min(room, self.CLAIM_BATCH))
            cancelled, held = cancelled + claimed.cancelled, held + claimed.held_over
        self.report.cancelled += cancelled
        self.report.held_over += held
        # Cancelled or held-over heads: their chats' next rows may be due now.
        self.just_cancelled = cancelled > 0 or held > 0
        rows = claimed.rows
        if not rows:
            return rows
        for row in rows:
            if row.members:
                row.text, row.reply_markup = self._digest(row)
        mono = time.monotonic()
        # A row whose chat is busy beyond the lease keeps its claim longer instead of losing it.
        horizon = mono + (d.lease - self.LEASE_MARGIN).total_seconds() - d.send_timeout
        late = {r.id: d.pacer.chat_ready(r.chat_id) for r in rows if d.pacer.chat_ready(r.chat_id) > horizon}
        if late:
            until = d.wall(max(late.values())) + timedelta(seconds=d.send_timeout) + self.LEASE_MARGIN * 2
            kept = await d.store.extend(d.owner, [i for r in rows if r.id in late for i in r.ids], until)
            for row in rows:
                if row.id in kept:
                    row.lease_until = until
            rows = [r for r in rows if r.id not in late or r.id in kept]
        for row in rows:
            self.held.push(row, d.pacer.chat_ready(row.chat_id), mono)
        self.changed.set()
        return rows

    async def _pace(self, feeder: asyncio.Task[None], writer: asyncio.Task[None]) -> None:
        d = self.d
        while True:
            self.changed.clear()
            if feeder.done() and not self.finished:
                feeder.result()  # the feeder failed: raise its error
            if writer.done():
                writer.result()  # cannot record outcomes: stop sending rather than send unrecorded
            if d.guard.refused:  # 401: let what is on its way come back, then hand every row back untouched
                if self.in_flight:
                    await self.changed.wait()
                    continue
                return
            if not self.held:
                if self.finished and not self.in_flight:
                    return
                await self.changed.wait()
                continue
            now = time.monotonic()
            at = max(self.held.next_at(now), d.pacer.global_ready())
            if at > now:
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self.changed.wait(), at - now)
                continue
            if len(self.in_flight) >= d.max_in_flight:
                await self.changed.wait()
                continue
            row = self.held.pop()
            if not await self._lease_holds(row):
                continue
            delay = 0.0
            if d.shared is not None:  # several instances: the bot's slot and the chat's, booked in Redis
                grant = await d.shared.acquire(row.chat_id)
                if grant is not None and not grant.granted:
                    now = time.monotonic()
                    if grant.reason == "chat":  # another instance wrote to this chat a moment ago
                        self.held.push(row, now + grant.wait, now)
                    else:  # the bot's slots are taken, or a 429 paused every instance
                        d.pacer.hold(now + grant.wait)
                        self.held.push(row, now, now)
                    continue
                delay = grant.delay if grant is not None else 0.0
            slot = d.pacer.record(row.chat_id, time.monotonic() + delay)
            task = asyncio.create_task(self._send(row, slot, delay))
            self.in_flight.add(task)
            task.add_done_callback(self._sent)

    def _sent(self, task: asyncio.Task[None]) -> None:
        self.in_flight.discard(task)
        self.changed.set()
        self.progress.set()

    async def _lease_holds(self, row: ClaimedRow) -> bool:
        """Never send on a lease that could run out mid-request (after a long 429 pause, say)."""
        d = self.d
        needed = d.app.clock.now() + timedelta(seconds=d.send_timeout) + self.LEASE_MARGIN
        if row.lease_until >= needed:
            return True
        until = needed + d.lease
        if row.id in await d.store.extend(d.owner, row.ids, until):
            row.lease_until = until
            return True
        log.warning("lost the lease on notification %s; another instance has it", row.id)
        return False

    def _requeue(self, row: ClaimedRow) -> None:
        self.held.push(row, self.d.pacer.chat_ready(row.chat_id), time.monotonic())
        self.changed.set()

    async def _send(self, row: ClaimedRow, slot: list[float], delay: float = 0.0) -> None:
        d = self.d
        if delay > 0:  # the slot booked in Redis
            await asyncio.sleep(delay)
            if d.pacer.paused_until > time.monotonic():  # a 429 came meanwhile: wait with the others
                self._requeue(row)
                return
        d.pacer.depart(slot, time.monotonic())
        drawn = await self._draw(row) if row.picture and not row.members else None
        # A picture goes first: with the text as its caption and the buttons under it when the text fits
        # a caption; alone otherwise, the text following as messages of its own.
        captioned = drawn is not None and len(split_html(row.text, CAPTION_LIMIT)) == 1
        parts = split_html(row.text)
        try:
            markup = (
                InlineKeyboardMarkup.model_validate_json(row.reply_markup)
                if row.reply_markup and (captioned if drawn is not None else len(parts) == 1)
                else None
            )
        except ValidationError as error:
            self._fail(row, Failure.PERMANENT, f"rejected: reply_markup: {error.error_count()} errors")
            return
        try:
            async with asyncio.timeout(d.send_timeout):
                if drawn is not None:
                    message = await d.app.bot.send_photo(
                        chat_id=row.chat_id, photo=BufferedInputFile(drawn.png, filename=drawn.filename),
                        caption=row.text if captioned else None, reply_markup=markup,
                    )
                else:
                    message = await d.app.bot.send_message(chat_id=row.chat_id, text=parts[0], reply_markup=markup)
        except TelegramRetryAfter as error:
            self.report.rate_limited += 1
            d.pacer.pause(time.monotonic(), error.retry_after)
            log.warning("Telegram asks to wait %s s (429); the whole bot pauses", error.retry_after)
            if d.shared is not None:  # every instance
                await d.shared.pause(error.retry_after)
            self._requeue(row)
            return
        except TelegramUnauthorizedError:
            # Not this row's failure: the token is refused. The row waits with the others (no attempt).
            self.report.unauthorized += 1
            d.guard.note_refused()
            self._requeue(row)
            return
        except TelegramMigrateToChat as error:
            self.outcomes.put_nowait(_Moved(row, error.migrate_to_chat_id))
            return
        except Exception as error:  # every failure is classified; none may lose the row
            failure, category = classify(error)
            if category == "unexpected":
                log.exception("unexpected error sending notification %s", row.id)
            self._fail(row, failure, f"{category}: {_describe(error, d.app.bot.token)}")
            return
        at = d.app.clock.now()
        self.report.messages += 1
        if drawn is not None and not captioned:  # the picture went; the text goes next, as usual
            row.picture = None
            self.outcomes.put_nowait(ProgressMark(row.id, row.text, message.message_id, None))
            self._requeue(row)
            return
        if drawn is None and len(parts) > 1:
            row.text = "\n".join(parts[1:])
            self.outcomes.put_nowait(ProgressMark(row.id, row.text, message.message_id, row.picture))
            self._requeue(row)
            return
        self.report.sent += len(row.ids)
        self.report.coalesced += len(row.members)
        for row_id in row.ids:
            self.outcomes.put_nowait(SentMark(row_id, at, message.message_id))

    async def _draw(self, row: ClaimedRow) -> Drawn | None:
        """The row's picture, drawn now; None (the text goes alone, and the row forgets the picture) when
        it cannot be drawn: a message without its picture beats no message."""
        assert row.picture is not None
        app = self.d.app
        renderer = app.renderer
        easel = Easel(
            new_uow=app.uow, now=app.clock.now(), recipient_id=row.recipient_id,
            translator=renderer.catalogue.translator, default_language=renderer.default_language, memo=self.pictures,
        )
        try:
            return await draw(easel, row.picture)
        except Exception:
            log.exception("notification %s: could not draw its picture %s; the text goes alone", row.id, row.picture)
            row.picture = None
            return None

    def _digest(self, row: ClaimedRow) -> tuple[str, str | None]:
        """One message for the rows of a digest: how many, the first lines, a button to the list."""
        family = row.family
        assert family is not None
        reader = Reader(Language(row.language) if row.language else None, None)
        renderer = self.d.app.renderer
        if family is Family.HELD_OVER:  # each line a button that opens its notice (the rows are DIGEST_LINES at most)
            opens = [Action(OPEN_HELD, row_id, str(number)) for number, row_id in enumerate(row.ids, start=1)]
            rows = tuple(tuple(opens[i:i + 4]) for i in range(0, len(opens), 4))  # four buttons a row at most
            head = renderer.render(family.value.key, {"count": len(row.ids)}, rows, reader)
            lines = [f"{number}. {line[:120]}" for number, line in enumerate(row.lines, start=1)]
            return "\n".join([head.text, *lines]), head.reply_markup
        head = renderer.render(family.value.key, {"count": len(row.ids)}, ((Action(family.value.action),),), reader)
        parts = [head.text, *(f"• {line[:300]}" for line in row.lines[:DIGEST_LINES])]
        if len(row.lines) > DIGEST_LINES:
            parts.append(renderer.render("outbox-digest-more", {"count": len(row.lines) - DIGEST_LINES}, (), reader).text)
        return "\n".join(parts), head.reply_markup

    def _fail(self, row: ClaimedRow, failure: Failure, error: str) -> None:
        step = after_failure(row.attempts, failure, self.d.app.clock.now(), self.d.rng, max_attempts=self.d.max_attempts)
        for member in row.members:  # the rows of a digest share its outcome
            self.outcomes.put_nowait(FailureMark(member, step.state, step.attempts, step.next_attempt_at, error))
        mark = FailureMark(row.id, step.state, step.attempts, step.next_attempt_at, error)
        if step.state is NotificationState.UNREACHABLE:
            self.report.unreachable += 1
            self.outcomes.put_nowait(_Unreachable(mark, row))
            return
        if step.state is NotificationState.DEAD:
            self.report.dead += 1
            log.warning("notification %s is dead after %s attempts: %s", row.id, step.attempts, error)
        else:
            self.report.retried += 1
        self.outcomes.put_nowait(mark)

    async def _write(self) -> None:
        while True:
            batch = [await self.outcomes.get()]
            while not self.outcomes.empty() and len(batch) < 250:
                batch.append(self.outcomes.get_nowait())
            self.writing = True
            try:
                await self._record([o for o in batch if o is not _STOP])
            finally:
                self.writing = False
            self.progress.set()
            if any(o is _STOP for o in batch):
                return

    async def _record(self, outcomes: list[_Outcome]) -> None:
        d = self.d
        sent = [o for o in outcomes if isinstance(o, SentMark)]
        progress = [o for o in outcomes if isinstance(o, ProgressMark)]
        failed = [o for o in outcomes if isinstance(o, FailureMark)]
        for delay in (0.2, 0.5, 1.0, 2.0, 5.0, 10.0, None):
            try:
                await d.store.record(d.owner, sent, progress, failed)
                break
            except Exception:
                if delay is None:
                    raise
                log.exception("could not record delivery outcomes; retrying in %s s", delay)
                await asyncio.sleep(delay)
        for outcome in outcomes:
            if isinstance(outcome, _Unreachable):
                await self._unreachable(outcome)
            elif isinstance(outcome, _Moved):
                log.info("chat %s moved to %s", outcome.row.chat_id, outcome.new_chat_id)
                await d.store.move_chat(d.owner, outcome.row.ids, outcome.row.chat_id, outcome.new_chat_id)

    async def _unreachable(self, outcome: _Unreachable) -> None:
        """The row, the person's or group's flag and the managers' notice, in one transaction."""
        d, row, mark = self.d, outcome.row, outcome.mark
        async with d.app.uow() as uow:
            assert uow.session is not None
            if not await d.store.record_in(uow.session, d.owner, mark):
                return  # no longer ours: whoever holds the row now decides
            now = d.app.clock.now()
            if row.recipient_id is not None:
                await delivery.report_unreachable_user(uow, user_id=row.recipient_id, source_id=row.id, now=now)
            elif row.chat_id < 0:
                await delivery.report_unreachable_group(
                    uow, chat_id=row.chat_id, team_id=row.team_id, source_id=row.id, now=now
                )
            await uow.commit()
        log.warning("notification %s: chat %s is unreachable (%s)", row.id, row.chat_id, mark.last_error)


def _shared_limits(app: App, limits: Limits) -> SharedLimits | None:
    """The bot's limits in Redis when REDIS_URL is set (on the FSM storage's connection); None: this process
    paces alone (one instance, the default)."""
    if not limits.enabled or not app.settings.redis_url:
        return None
    redis = getattr(app.dp.storage, "redis", None)
    if redis is None:
        from redis.asyncio import Redis

        redis = Redis.from_url(app.settings.redis_url)
    return SharedLimits(redis, limits, app.bot.id)


def install_outbox(app: App) -> OutboxDispatcher:
    """Wire delivery into an App: the scheduler's periodic job, and a wake-up after every commit that
    queued rows (bot/runner.py runs `serve()` so the wake-up is acted on at once)."""
    from bot.app import Periodic

    # A refused token (401) pauses delivery here and polling in the session (bot/token_guard.py).
    guard = TokenGuard(app.bot, on_change=lambda refused: app.metrics.token_refused.set(1 if refused else 0))
    app.bot.session.middleware(guard)
    dispatcher = OutboxDispatcher(app, guard=guard)
    app.outbox_listeners.append(dispatcher.wake)
    app.periodic.append(Periodic(name="outbox", seconds=app.settings.outbox_interval_seconds, run=dispatcher.tick))
    app.dp["outbox"] = dispatcher
    return dispatcher


def outbox_of(app: App) -> OutboxDispatcher:
    dispatcher: OutboxDispatcher = app.dp["outbox"]
    return dispatcher


__all__ = [
    "DrainReport",
    "Limits",
    "OutboxDispatcher",
    "Pacer",
    "Window",
    "classify",
    "install_outbox",
    "outbox_of",
    "window",
]
