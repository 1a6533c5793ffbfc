"""The garbage collector, set for a process that runs for weeks handling small updates.

An update allocates thousands of short-lived objects (aiogram's pydantic types, SQLAlchemy's statements,
results and ORM states), nearly all of them freed by reference counting. With CPython's default
thresholds (700 allocations) the cyclic collector still ran a young-generation pass every few hundred of
them, and every ~100th pass a full one that walked every object the process had made at start-up:
imported modules, ORM mappers, the Dispatcher's routers, the catalogues — none of which ever becomes
garbage. On bench/leads.py that was 1.9 s of collection in ~13 s of CPU.

After start-up the objects made so far are frozen (moved out of the collector's sight for good: they live
as long as the process) and the young generation is collected every 10,000 allocations instead of 700,
so a cycle of garbage waits a little longer and the collector runs a fraction as often.
"""

from __future__ import annotations

import gc

YOUNG_THRESHOLD = 10_000


def settle_after_startup() -> None:
    """Call once the app is built and ready to serve (not in tests: they build many apps in one process)."""
    gc.collect()
    gc.freeze()
    _, middle, old = gc.get_threshold()
    gc.set_threshold(YOUNG_THRESHOLD, middle, old)
