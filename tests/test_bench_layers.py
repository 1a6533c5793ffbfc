"""bench/cpu_layers.py: the sampler `bench/leads.py --layers` prints from puts CPU on the layer that spent it."""

from __future__ import annotations

import functools
import json
import sys
import threading
import time
from pathlib import Path

import greenlet
from sqlalchemy import text

from bench import cpu_layers
from bench.cpu_layers import LayerSampler
from domain.leads.contact import parse_quick_capture
from storage.db import create_engine

LINE = "孙芳 13900000031 华北宏远科技 合作伙伴 预算51万 本月上线 能拍板 销售团队要管线索"


def _parse_until_sampled(sampler: LayerSampler, samples: int) -> None:
    """Parses quick lines (and dumps JSON, a standard-library module, from here) until `samples` were taken:
    it ends on the count of samples, not on a clock, so a busy machine only makes it take longer."""
    deadline = time.monotonic() + 120
    while sampler.samples < samples and time.monotonic() < deadline:
        for _ in range(50):
            parse_quick_capture(LINE)


def test_the_domain_s_parsing_is_counted_for_the_domain_and_the_shares_add_up() -> None:
    sampler = LayerSampler()
    with sampler:
        _parse_until_sampled(sampler, 60)
    assert sampler.samples >= 60
    assert abs(sum(sampler.shares().values()) - 1) < 1e-9
    # Among what the main thread ran (another thread of the test process may have run meanwhile): the parse is
    # the domain's own code and phonenumbers (a library, for the phone), about half each.
    counts = {layer: seconds for layer, seconds in sampler.counts.items() if layer != cpu_layers.OTHER_THREADS}
    total = sum(counts.values())
    assert counts.get(cpu_layers.APP_DOMAIN, 0) / total > 0.2
    assert counts.get(cpu_layers.TEXTS, 0) / total > 0.1
    assert (counts.get(cpu_layers.APP_DOMAIN, 0) + counts.get(cpu_layers.TEXTS, 0)) / total > 0.9
    assert counts.get(cpu_layers.SQLALCHEMY, 0) == 0


def test_another_thread_s_cpu_is_charged_to_other_threads_not_to_the_main_thread_s_layer() -> None:
    """The signal finds the main thread's frame; the CPU a second thread spent meanwhile is put on OTHER_THREADS,
    not on the layer of that frame (the bounds hold however the two threads share the CPU)."""
    sampler = LayerSampler()
    done = threading.Event()
    spun = [0.0]  # the spinning thread's own CPU, as it last saw it

    def spin() -> None:
        started = time.thread_time()
        while not done.is_set():
            sum(i * i for i in range(1000))
            spun[0] = time.thread_time() - started

    worker = threading.Thread(target=spin)
    deadline = time.monotonic() + 120
    main_started = time.thread_time()
    with sampler:
        worker.start()
        try:
            while (sampler.samples < 60 or spun[0] < 0.1) and time.monotonic() < deadline:
                for _ in range(20):
                    parse_quick_capture(LINE)
        finally:
            done.set()
            worker.join()
    main_cpu = time.thread_time() - main_started
    on_main = sum(seconds for layer, seconds in sampler.counts.items() if layer != cpu_layers.OTHER_THREADS)
    elsewhere = sampler.counts[cpu_layers.OTHER_THREADS]
    assert spun[0] >= 0.1 and sampler.samples >= 60
    assert on_main <= main_cpu + 0.01  # never more than the main thread itself spent
    assert spun[0] - 0.05 <= elsewhere <= spun[0] + 0.05  # the spinner's CPU, less what ran after the last sample
    assert sampler.counts[cpu_layers.APP_DOMAIN] > 0


def test_after_the_with_block_nothing_is_sampled_any_more() -> None:
    sampler = LayerSampler()
    with sampler:
        _parse_until_sampled(sampler, 5)
    taken = sampler.samples
    for _ in range(2000):
        json.dumps({"x": list(range(50))})
    assert sampler.samples == taken


def test_the_table_prints_ms_a_lead_and_the_figure_without_the_sql_layer() -> None:
    app, bare = LayerSampler(), LayerSampler()
    app.counts.update({cpu_layers.SQLALCHEMY: 0.5, cpu_layers.DRIVER: 0.1, cpu_layers.APP_DOMAIN: 0.3,
                       cpu_layers.OTHER_THREADS: 0.1})
    bare.counts.update({cpu_layers.AIOGRAM: 0.01})
    lines = cpu_layers.table(app, 20.0, bare, 1.0)
    sqlalchemy = next(line for line in lines if line.strip().startswith("SQLAlchemy"))
    assert "10.00" in sqlalchemy and "50.0%" in sqlalchemy
    assert lines[-2].endswith("8.00 ms a lead = 8.0x of bare")
    assert lines[-1].endswith("6.00 ms a lead = 6.0x of bare")
    # SQLite's own CPU on the statements (EngineClock) is what even a SQL layer costing nothing else would leave.
    floor = cpu_layers.table(app, 20.0, bare, 1.0, engine_ms=1.5)[-1]
    assert floor.startswith("  SQLite's own work") and "1.50 ms a lead" in floor
    assert floor.endswith("9.50 ms a lead = 9.5x of bare")


async def test_the_engine_clock_times_sqlite_s_work_on_the_statements_run_inside_it(tmp_path: Path) -> None:
    engine = create_engine(f"sqlite:///{tmp_path / 'clock.db'}")
    count = text("WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < :to) SELECT count(*) FROM n")
    clock = cpu_layers.EngineClock()
    try:
        async with engine.connect() as conn:
            started = time.process_time()
            with clock:
                assert (await conn.execute(count, {"to": 300_000})).scalar_one() == 300_000
            spent = time.process_time() - started
            # The count takes SQLite tens of ms: stopped on the loop's thread, it ran again on the connection's
            # own (storage/sqlite_driver.py); both were timed, each on its thread's clock. Never more than the
            # process spent meanwhile, and most of it (the rest is Python around the statement).
            assert 0.5 * spent < clock.seconds <= spent + 0.001
            assert 0 < clock.off_loop <= clock.seconds  # run again (or at once) on the connection's thread
            timed = clock.seconds
            await conn.execute(count, {"to": 300_000})  # after the with block: no longer timed
            assert clock.seconds == timed
    finally:
        await engine.dispose()


def test_the_sql_layer_s_time_is_put_on_the_app_s_function_across_a_greenlet() -> None:
    """A statement's work runs in a greenlet of SQLAlchemy's whose stack ends inside the library: the app's
    function that asked for it is found in the greenlet it was switched from."""
    code: dict[str, object] = {"sys": sys, "greenlet": greenlet, "functools": functools}
    exec(compile("def leaf(look):\n    return look(sys._getframe())\n", "/elsewhere/library.py", "exec"), code)
    # The app's function (a file of storage/), in the parent greenlet.
    exec(compile(
        "def asks_for_it(leaf, look):\n"
        "    return greenlet.greenlet(functools.partial(leaf, look)).switch()\n",
        cpu_layers.ROOT + "storage/some_repo.py", "exec",
    ), code)

    found = code["asks_for_it"](code["leaf"], cpu_layers.app_caller)  # type: ignore[operator]
    assert found == "storage/some_repo.py:asks_for_it"
    assert cpu_layers.app_caller(None) == "(no function of the app)"
