"""Where a benchmark's CPU goes, by layer: a statistical profiler for `bench/leads.py --layers`.

The process's CPU clock (ITIMER_PROF) interrupts it every INTERVAL seconds of CPU (or at the kernel's
next tick, every 4 ms on a kernel built with HZ=250: a run of 10 s of CPU still gets ~2,500 samples).
Python runs the handler in the main thread, which looks at the frame it is running and charges the main
thread's CPU since the previous sample (its own clock, time.thread_time) to the layer that owns that
frame: the innermost frame that belongs to a library or to the app (a standard-library frame such as
`json` or `enum` counts for whoever called it). The rest of the process's CPU over the same interval was
spent by other threads (SQLite's commits on each connection's own thread, aiosqlite's): it is charged to
OTHER_THREADS, not to whatever the main thread happened to run when the signal came. A layer's share is
known to a few per cent once it has ~50 samples. Unlike cProfile it does not slow every call down (a
sample costs ~20 µs: under 2 %), and unlike cProfile it sees SQLAlchemy's work inside its greenlets.
"""

from __future__ import annotations

import collections
import signal
import threading
import time
from pathlib import Path
from types import FrameType, TracebackType
from typing import Any

import greenlet

ROOT = str(Path(__file__).resolve().parent.parent) + "/"
INTERVAL = 0.001  # seconds of the process's CPU asked between two samples (the kernel's tick may make it 4 ms)

# The layers, in the order printed.
SQLALCHEMY = "SQLAlchemy (statements, ORM, its greenlets)"
DRIVER = "database driver (on SQLite: SQLite itself too)"
TELEGRAM = "Telegram objects (aiogram types, pydantic)"
AIOGRAM = "aiogram's dispatch (routers, filters, FSM)"
APP_BOT = "app: bot/ (middlewares, texts, outbox)"
APP_HANDLERS = "app: handlers/ (screens, flows)"
APP_DOMAIN = "app: domain/ (rules, parsing)"
APP_STORAGE = "app: storage/ (repositories)"
TEXTS = "texts and phone numbers (Fluent, Babel, phonenumbers)"
HARNESS = "harness (the sandbox's Telegram, the bench)"
LOOP = "event loop (asyncio)"
WAITING = "event loop's select (the epoll call)"
OTHER_THREADS = "other threads (SQLite's commits, aiosqlite)"
OTHER = "other"
LAYERS = (
    SQLALCHEMY, DRIVER, TELEGRAM, AIOGRAM, APP_BOT, APP_HANDLERS, APP_DOMAIN, APP_STORAGE, TEXTS, HARNESS,
    LOOP, WAITING, OTHER_THREADS, OTHER,
)
SQL_LAYERS = (SQLALCHEMY, DRIVER)  # with the commits' threads: see table()
CALLERS_SHOWN = 10

_PACKAGES = {
    "sqlalchemy": SQLALCHEMY, "greenlet": SQLALCHEMY,
    "aiosqlite": DRIVER, "asyncpg": DRIVER,
    "pydantic": TELEGRAM, "pydantic_core": TELEGRAM,
    "fluent": TEXTS, "babel": TEXTS, "phonenumbers": TEXTS,
}
_APP_FOLDERS = (("storage/", APP_STORAGE), ("domain/", APP_DOMAIN), ("handlers/", APP_HANDLERS), ("bot/", APP_BOT))
_TELEGRAM_PARTS = ("aiogram/types/", "aiogram/methods/", "aiogram/filters/callback_data.py", "aiogram/client/")


def _owner(filename: str) -> str | None:
    """The layer a frame's file belongs to; None for the standard library (its caller decides)."""
    _, installed, inside = filename.partition("site-packages/")
    if installed:
        if inside.startswith("aiogram/"):
            return TELEGRAM if inside.startswith(_TELEGRAM_PARTS) else AIOGRAM
        package = inside.split("/", 1)[0].split(".", 1)[0]
        return _PACKAGES.get(package, OTHER)
    if not filename.startswith(ROOT):
        return None
    path = filename[len(ROOT):]
    if path.startswith("bench/") or path == "bot/sandbox.py":
        return HARNESS
    if path == "storage/sqlite_driver.py":
        return DRIVER
    for folder, layer in _APP_FOLDERS:
        if path.startswith(folder):
            return layer
    return OTHER


def layer_of(frame: FrameType | None) -> str:
    leaf = frame
    while frame is not None:
        owner = _owner(frame.f_code.co_filename)
        if owner is not None:
            return owner
        frame = frame.f_back
    if leaf is None:
        return OTHER
    name = leaf.f_code.co_filename
    if name.endswith("selectors.py"):
        return WAITING
    return LOOP if "/asyncio/" in name else OTHER


APP_LAYERS = (APP_BOT, APP_HANDLERS, APP_DOMAIN, APP_STORAGE)


def app_caller(frame: FrameType | None) -> str:
    """The innermost function of the app (a frame in one of APP_LAYERS) on the way to `frame`, across
    SQLAlchemy's greenlets (a statement's work runs in a greenlet of its own, whose stack ends at
    SQLAlchemy: the caller is found in the frames of the greenlet it was spawned from)."""
    current = greenlet.getcurrent()
    while True:
        while frame is not None:
            if _owner(frame.f_code.co_filename) in APP_LAYERS:
                name = frame.f_code.co_filename
                return f"{name[len(ROOT):]}:{frame.f_code.co_name}"
            frame = frame.f_back
        current = current.parent
        if current is None:
            return "(no function of the app)"
        frame = current.gr_frame


class LayerSampler:
    """`with sampler:` samples the process's CPU by layer; `counts` (seconds of CPU by layer) and `samples`
    add up over every `with`."""

    def __init__(self, interval: float = INTERVAL) -> None:
        self.interval = interval
        self.counts: collections.Counter[str] = collections.Counter()
        self.sql_callers: collections.Counter[str] = collections.Counter()  # the SQL layers' CPU by app caller
        self.samples = 0
        self._previous: object = None
        self._clocks = (0.0, 0.0)

    def _sample(self, _signum: int, frame: FrameType | None) -> None:
        process, main = time.process_time(), time.thread_time()
        spent_process, spent_main = process - self._clocks[0], main - self._clocks[1]
        self._clocks = (process, main)
        self.samples += 1
        layer = layer_of(frame)
        self.counts[layer] += spent_main
        if layer in SQL_LAYERS:
            self.sql_callers[app_caller(frame)] += spent_main
        if spent_process > spent_main:
            self.counts[OTHER_THREADS] += spent_process - spent_main

    def __enter__(self) -> LayerSampler:
        self._previous = signal.signal(signal.SIGPROF, self._sample)
        self._clocks = (time.process_time(), time.thread_time())
        signal.setitimer(signal.ITIMER_PROF, self.interval, self.interval)
        return self

    def __exit__(self, *_: type[BaseException] | BaseException | TracebackType | None) -> None:
        signal.setitimer(signal.ITIMER_PROF, 0, 0)
        signal.signal(signal.SIGPROF, self._previous)  # type: ignore[arg-type]

    def shares(self) -> dict[str, float]:
        total = sum(self.counts.values())
        return {layer: self.counts[layer] / total for layer in LAYERS} if total else {}


class EngineClock:
    """The CPU SQLite's own code spends on the statements (storage/sqlite_driver.py `_run`, timed on the
    clock of the thread that ran it): what a SQL layer that cost nothing in Python would still cost.
    `with clock:` times the statements run meanwhile; `seconds` adds up over every `with`, `off_loop` is
    the part spent on other threads than the one that entered (statements the driver ran on a
    connection's own thread: the sampler already counts those among OTHER_THREADS)."""

    def __init__(self) -> None:
        self.seconds = 0.0
        self.off_loop = 0.0
        self._previous: Any = None

    def __enter__(self) -> EngineClock:
        from storage import sqlite_driver

        run = self._previous = sqlite_driver._run
        loop_thread = threading.get_ident()

        def timed(*args: Any) -> Any:
            started = time.thread_time()
            try:
                return run(*args)
            finally:
                spent = time.thread_time() - started
                self.seconds += spent
                if threading.get_ident() != loop_thread:
                    self.off_loop += spent

        sqlite_driver._run = timed  # type: ignore[assignment]
        return self

    def __exit__(self, *_: type[BaseException] | BaseException | TracebackType | None) -> None:
        from storage import sqlite_driver

        sqlite_driver._run = self._previous


def table(
    app: LayerSampler, app_ms: float, bare: LayerSampler, bare_ms: float, engine_ms: float | None = None,
) -> list[str]:
    """The lines `bench/leads.py --layers` prints: each layer's CPU per lead, app and bare, what the app
    would cost with its SQL layer free, and (engine_ms: SQLite's own CPU a lead on the loop's thread,
    EngineClock; what it spent on other threads is in OTHER_THREADS already) with a SQL layer that cost
    nothing but the database's own work."""
    app_shares, bare_shares = app.shares(), bare.shares()
    lines = [
        f"where a lead's CPU goes, sampled on the process's CPU clock ({app.samples} samples of the app, "
        f"{bare.samples} of bare aiogram):",
        f"  {'layer':<56} {'app ms':>7} {'share':>6} {'bare ms':>8}",
    ]
    for layer in LAYERS:
        a, b = app_shares.get(layer, 0.0), bare_shares.get(layer, 0.0)
        if a or b:
            lines.append(f"  {layer:<56} {a * app_ms:7.2f} {a:6.1%} {b * bare_ms:8.2f}")
    sql = sum(app_shares.get(layer, 0.0) for layer in SQL_LAYERS)
    rest = app_ms * (1 - sql)
    lines.append(
        f"  with the SQL layer free (the first two rows at 0): {rest:.2f} ms a lead = {rest / bare_ms:.1f}x of bare"
    )
    threads = app_shares.get(OTHER_THREADS, 0.0)
    if threads:
        rest -= app_ms * threads
        lines.append(
            f"  and the other threads' too (SQLite's commits): {rest:.2f} ms a lead = {rest / bare_ms:.1f}x of bare"
        )
    if engine_ms is not None:
        floor = app_ms * (1 - sql) + engine_ms
        lines.append(
            f"  SQLite's own work on the statements on the loop's thread (timed around each): {engine_ms:.2f} ms a lead;"
            f" with a SQL layer that cost nothing else: {floor:.2f} ms a lead = {floor / bare_ms:.1f}x of bare"
        )
    spent = sum(app.sql_callers.values())
    if spent:
        lines.append("  the SQL layer's CPU by the app's function that asked for it (ms a lead):")
        for caller, seconds in app.sql_callers.most_common(CALLERS_SHOWN):
            lines.append(f"    {caller:<54} {seconds / spent * sql * app_ms:7.2f}")
    return lines
