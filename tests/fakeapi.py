"""A fake Telegram Bot API server: an aiohttp app on 127.0.0.1, reached the way a self-hosted Bot API
server is (`TELEGRAM_API_BASE` / `TelegramAPIServer.from_base`, URLs `{base}/bot{token}/{method}`).

It records every sendMessage with its arrival time, enforces the rate limits it is given (answering
429 with `parameters.retry_after`, as Telegram does), validates what Telegram validates (text length
after entity parsing, balanced HTML, the inline keyboard), and injects failures on demand:
429, 500, timeouts (an answer slower than the client waits), 403 and "chat not found", per chat or for
the next requests whoever they are for. It also answers getMe, getUpdates (queued updates once, then
empty long polls), setMyCommands, deleteWebhook and any other method with `true`.

An injected timeout models a request lost on the way: it is recorded as "timeout", not as delivered.

Run in the test's event loop (`async with FakeBotApi(...) as api`), or as a separate process
(`python -m tests.fakeapi --global 300/1 ...`, prints `PORT <n>`, serves until its stdin closes;
GET /_fake/records and /_fake/stats return what it saw) so that the benchmark's timing is not disturbed by its own load.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import itertools
import json
import math
import os
import sys
import time
from collections import defaultdict, deque
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from html.parser import HTMLParser
from typing import Any

from aiohttp import web

SUPPORTED_TAGS = {
    "b", "strong", "i", "em", "u", "ins", "s", "strike", "del", "span", "tg-spoiler", "a", "code", "pre",
    "blockquote", "tg-emoji",
}


@dataclass(frozen=True)
class Cap:
    """At most `limit` messages in any `seconds`, counted on arrival."""

    limit: int
    seconds: float


@dataclass
class Record:
    at: float  # time.monotonic() on arrival (time.time() in the subprocess's /_fake/records)
    chat_id: int
    text: str
    reply_markup: str | None
    outcome: str  # ok | rate_limited | injected_429 | server_error | timeout | forbidden | not_found | rejected | migrated
    message_id: int | None = None


class _Balance(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[str] = []
        self.error: str | None = None
        self.chars: list[str] = []

    def handle_starttag(self, tag: str, attrs: Any) -> None:
        if tag not in SUPPORTED_TAGS:
            self.error = f"Unsupported start tag \"{tag}\""
        self.stack.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if not self.stack or self.stack[-1] != tag:
            self.error = self.error or f"Unmatched end tag \"{tag}\""
            return
        self.stack.pop()

    def handle_data(self, data: str) -> None:
        self.chars.append(data)


def parse_html(text: str) -> tuple[str | None, str]:
    """(error or None, the text as Telegram would show it)."""
    parser = _Balance()
    parser.feed(text)
    parser.close()
    if parser.error is None and parser.stack:
        parser.error = f"Can't find end tag corresponding to start tag \"{parser.stack[-1]}\""
    return parser.error, "".join(parser.chars)


def utf16_len(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


@dataclass
class FakeBotApi:
    token: str
    global_cap: Cap | None = None
    private_cap: Cap | None = None
    group_cap: Cap | None = None
    enforce: bool = True  # False: only record, so violations can be counted afterwards
    slow_seconds: float = 1.0  # how long an injected timeout keeps the client waiting
    long_poll_cap: float = 0.5
    bot_username: str = "loop_fake_bot"
    records: list[Record] = field(default_factory=list)
    calls: list[tuple[float, str]] = field(default_factory=list)  # (at, method) for every request

    def __post_init__(self) -> None:
        self._accepted_global: deque[float] = deque()
        self._accepted_chat: dict[int, deque[float]] = defaultdict(deque)
        self._chat_faults: dict[int, deque[str]] = defaultdict(deque)
        self._next_faults: deque[str] = deque()
        self._blocked: dict[int, str] = {}
        self._message_ids = itertools.count(1)
        self._updates: list[dict[str, Any]] = []
        self._update_added = asyncio.Event()
        self._runner: web.AppRunner | None = None
        self.port = 0

    # -- control

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def fail_chat(self, chat_id: int, *faults: str) -> None:
        """One-shot faults for the next requests to that chat: "500", "timeout", "429:<s>", "403",
        "notfound", "migrate:<new chat id>"."""
        self._chat_faults[chat_id].extend(faults)

    def fail_next(self, *faults: str) -> None:
        """One-shot faults for the next sendMessage requests, whichever chat they are for."""
        self._next_faults.extend(faults)

    def block(self, chat_id: int, how: str = "403") -> None:
        """Every request to the chat fails: "403" (blocked the bot) or "notfound" (chat not found)."""
        self._blocked[chat_id] = how

    def add_update(self, update: dict[str, Any]) -> None:
        self._updates.append(update)
        self._update_added.set()

    def delivered(self, chat_id: int | None = None) -> list[Record]:
        return [r for r in self.records if r.outcome == "ok" and (chat_id is None or r.chat_id == chat_id)]

    def count(self, outcome: str) -> int:
        return sum(1 for r in self.records if r.outcome == outcome)

    def violations(self) -> dict[str, int]:
        """Delivered messages beyond a cap within some sliding window (0 everywhere when all is well)."""
        ok = self.delivered()
        found = {"global": _over([r.at for r in ok], self.global_cap)}
        private: dict[int, list[float]] = defaultdict(list)
        group: dict[int, list[float]] = defaultdict(list)
        for r in ok:
            (group if r.chat_id < 0 else private)[r.chat_id].append(r.at)
        found["private"] = sum(_over(times, self.private_cap) for times in private.values())
        found["group"] = sum(_over(times, self.group_cap) for times in group.values())
        return found

    # -- lifecycle

    def app(self) -> web.Application:
        app = web.Application()
        app.router.add_route("*", "/bot{token}/{method}", self._handle)
        app.router.add_get("/_fake/records", self._records)
        app.router.add_get("/_fake/stats", self._stats)
        return app

    async def start(self, port: int = 0) -> FakeBotApi:
        self._runner = web.AppRunner(self.app(), access_log=None, handler_cancellation=True)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", port)
        await site.start()
        server = site._server
        assert server is not None
        self.port = server.sockets[0].getsockname()[1]  # type: ignore[attr-defined]
        return self

    async def stop(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def __aenter__(self) -> FakeBotApi:
        return await self.start()

    async def __aexit__(self, *exc: object) -> None:
        await self.stop()

    # -- the API

    async def _handle(self, request: web.Request) -> web.Response:
        now = time.monotonic()
        method = request.match_info["method"]
        self.calls.append((now, method))
        if request.match_info["token"] != self.token:
            return _error(401, "Unauthorized")
        params: dict[str, Any] = dict(await request.post()) if request.can_read_body else {}
        params.update(request.query)
        name = method.lower()
        if name == "getme":
            bot_id = int(self.token.split(":", 1)[0])
            return _ok({"id": bot_id, "is_bot": True, "first_name": "Loop", "username": self.bot_username})
        if name == "getupdates":
            return await self._get_updates(params)
        if name == "sendmessage":
            return await self._send_message(now, params)
        return _ok(True)

    async def _get_updates(self, params: dict[str, Any]) -> web.Response:
        offset = int(params.get("offset") or 0)
        wait = min(float(params.get("timeout") or 0), self.long_poll_cap)
        pending = [u for u in self._updates if u["update_id"] >= offset]
        if not pending and wait > 0:
            self._update_added.clear()
            try:
                await asyncio.wait_for(self._update_added.wait(), wait)
            except TimeoutError:
                pass
            pending = [u for u in self._updates if u["update_id"] >= offset]
        return _ok(pending)

    async def _send_message(self, now: float, params: dict[str, Any]) -> web.Response:
        chat_id = int(params.get("chat_id", 0))
        text = str(params.get("text", ""))
        markup = params.get("reply_markup")

        def record(outcome: str, message_id: int | None = None) -> None:
            self.records.append(Record(now, chat_id, text, markup, outcome, message_id))

        fault = self._chat_faults[chat_id].popleft() if self._chat_faults.get(chat_id) else None
        if fault is None and self._next_faults:
            fault = self._next_faults.popleft()
        fault = fault or self._blocked.get(chat_id)
        if fault is not None:
            if fault == "timeout":
                record("timeout")
                await asyncio.sleep(self.slow_seconds)
                return _error(504, "Gateway Timeout")
            if fault == "500":
                record("server_error")
                return _error(500, "Internal Server Error")
            if fault.startswith("429"):
                record("injected_429")
                retry_after = int(fault.partition(":")[2] or 1)
                return _error(429, f"Too Many Requests: retry after {retry_after}", retry_after=retry_after)
            if fault == "403":
                record("forbidden")
                return _error(403, "Forbidden: bot was blocked by the user")
            if fault == "notfound":
                record("not_found")
                return _error(400, "Bad Request: chat not found")
            if fault.startswith("migrate:"):
                record("migrated")
                new_id = int(fault.partition(":")[2])
                return _error(400, "Bad Request: group chat was upgraded to a supergroup chat", migrate_to_chat_id=new_id)
            raise ValueError(f"unknown fault {fault!r}")

        problem = self._invalid(text, markup)
        if problem is not None:
            record("rejected")
            return _error(400, f"Bad Request: {problem}")

        if self.enforce:
            wait = self._over_cap(now, chat_id)
            if wait is not None:
                record("rate_limited")
                retry_after = max(1, math.ceil(wait))
                return _error(429, f"Too Many Requests: retry after {retry_after}", retry_after=retry_after)
        self._accept(now, chat_id)
        message_id = next(self._message_ids)
        record("ok", message_id)
        chat_type = "supergroup" if chat_id < 0 else "private"
        message: dict[str, Any] = {
            "message_id": message_id, "date": int(time.time()), "chat": {"id": chat_id, "type": chat_type},
            "text": parse_html(text)[1],
        }
        if markup:
            keyboard = json.loads(markup)
            if "inline_keyboard" in keyboard:  # as Telegram does: only an inline keyboard is echoed back
                message["reply_markup"] = keyboard
        return _ok(message)

    def _invalid(self, text: str, markup: Any) -> str | None:
        error, shown = parse_html(text)
        if error is not None:
            return f"can't parse entities: {error}"
        if not shown.strip():
            return "message text is empty"
        if utf16_len(shown) > 4096:
            return "message is too long"
        if markup:
            try:
                parsed = json.loads(markup)
                if "keyboard" in parsed:  # a reply keyboard (the main menu): rows of labelled buttons
                    assert all(isinstance(row, list) and row and all(b.get("text") for b in row) for row in parsed["keyboard"])
                    return None
                keyboard = parsed["inline_keyboard"]
                assert all(isinstance(row, list) and row for row in keyboard)
                assert all(b.get("text") and len(b.get("callback_data", "").encode()) <= 64 for row in keyboard for b in row)
            except (ValueError, KeyError, TypeError, AssertionError):
                return "can't parse keyboard button"
        return None

    def _over_cap(self, now: float, chat_id: int) -> float | None:
        """Seconds until a message to this chat would be within the caps, or None if it is now."""
        waits = []
        for times, cap in (
            (self._accepted_global, self.global_cap),
            (self._accepted_chat[chat_id], self.group_cap if chat_id < 0 else self.private_cap),
        ):
            if cap is None:
                continue
            while times and times[0] <= now - cap.seconds:
                times.popleft()
            if len(times) >= cap.limit:
                waits.append(times[0] + cap.seconds - now)
        return max(waits) if waits else None

    def _accept(self, now: float, chat_id: int) -> None:
        self._accepted_global.append(now)
        self._accepted_chat[chat_id].append(now)

    async def _records(self, request: web.Request) -> web.Response:
        # Monotonic times mean nothing in another process: shift them onto the wall clock.
        shift = time.time() - time.monotonic()
        rows = [{**asdict(r), "at": r.at + shift} for r in self.records]
        return web.json_response(rows)

    async def _stats(self, request: web.Request) -> web.Response:
        outcomes: dict[str, int] = defaultdict(int)
        for r in self.records:
            outcomes[r.outcome] += 1
        return web.json_response({"outcomes": outcomes, "violations": self.violations(), "calls": len(self.calls)})


def _over(times: Iterable[float], cap: Cap | None) -> int:
    """How many events had more than `cap.limit` events in the window ending at them."""
    if cap is None:
        return 0
    window: deque[float] = deque()
    over = 0
    for at in sorted(times):
        while window and window[0] <= at - cap.seconds:
            window.popleft()
        window.append(at)
        if len(window) > cap.limit:
            over += 1
    return over


def _ok(result: Any) -> web.Response:
    return web.json_response({"ok": True, "result": result})


def _error(status: int, description: str, **parameters: Any) -> web.Response:
    body: dict[str, Any] = {"ok": False, "error_code": status, "description": description}
    if parameters:
        body["parameters"] = parameters
    return web.json_response(body, status=status)


def update_with_text(update_id: int, chat_id: int, text: str, first_name: str = "王小明", language: str = "zh-hans") -> dict[str, Any]:
    """A private-chat message update, with the bot_command entity Telegram adds for /commands."""
    message: dict[str, Any] = {
        "message_id": update_id, "date": int(time.time()), "chat": {"id": chat_id, "type": "private"},
        "from": {"id": chat_id, "is_bot": False, "first_name": first_name, "language_code": language},
        "text": text,
    }
    if text.startswith("/"):
        message["entities"] = [{"type": "bot_command", "offset": 0, "length": utf16_len(text.split()[0])}]
    return {"update_id": update_id, "message": message}


def _cap(value: str | None) -> Cap | None:
    if not value:
        return None
    limit, _, seconds = value.partition("/")
    return Cap(int(limit), float(seconds or 1))


async def _serve(args: argparse.Namespace) -> None:
    if args.priority:
        # The referee's clock must not stall when the machine is busy (a stalled server would see
        # requests bunched up that were sent evenly). Best effort: needs the right to raise priority.
        with contextlib.suppress(OSError):
            os.nice(-15)
    api = FakeBotApi(
        token=args.token, global_cap=_cap(args.global_cap), private_cap=_cap(args.private_cap),
        group_cap=_cap(args.group_cap), enforce=not args.observe,
    )
    await api.start(args.port)
    print(f"PORT {api.port}", flush=True)
    try:
        # Serve until the parent closes our stdin (or dies): no orphan server is ever left behind.
        await asyncio.to_thread(sys.stdin.buffer.read)
    finally:
        await api.stop()


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="fake Telegram Bot API server (tests and benchmark)")
    parser.add_argument("--token", required=True)
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--global", dest="global_cap", help="LIMIT/SECONDS, e.g. 300/1")
    parser.add_argument("--private", dest="private_cap", help="LIMIT/SECONDS, e.g. 10/1")
    parser.add_argument("--group", dest="group_cap", help="LIMIT/SECONDS, e.g. 200/60")
    parser.add_argument("--observe", action="store_true", help="record only; do not answer 429 over the caps")
    parser.add_argument("--priority", action="store_true", help="run at a raised scheduling priority if allowed")
    args = parser.parse_args(argv)
    try:
        asyncio.run(_serve(args))
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    main()
