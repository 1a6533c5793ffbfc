"""Sweeps: acting on whatever has come due (reminders now; hand-off deadlines, overdue payments, stale
deals and ticket SLAs later), safely on several instances.

A kind of due thing plugs in two parts:
- a *source*: a port (implemented in storage, on an index, bounded by `limit`) returning the items due
  at `now`. On PostgreSQL it locks them with FOR UPDATE SKIP LOCKED, so two sweepers share the work
  instead of both taking it;
- an *act*: a service that claims one item (a conditional update of its state) and queues what must
  be said through the outbox with a dedupe key. It returns False when the item was already handled,
  so a sweep that runs twice, or on two instances at once, acts once.

`sweep` runs batches in their own transactions until nothing is due; an item whose act fails is rolled
back, logged and skipped for the rest of this run, so one bad row never blocks the others.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Collection, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Generic, Protocol, TypeVar

from domain.ports import UnitOfWork

log = logging.getLogger(__name__)


class Identified(Protocol):
    @property
    def id(self) -> int | None: ...


T = TypeVar("T", bound=Identified)
T_co = TypeVar("T_co", bound=Identified, covariant=True)


class DueSource(Protocol[T_co]):
    async def due(self, now: datetime, limit: int, skip: Collection[int] = ()) -> Sequence[T_co]:
        """Items due at `now`, oldest first, at most `limit`, none of the ids in `skip`."""
        ...


@dataclass(frozen=True)
class Sweep(Generic[T]):
    name: str
    source: Callable[[UnitOfWork], DueSource[T]]
    act: Callable[[UnitOfWork, T, datetime], Awaitable[bool]]
    batch: int = 100
    # A bound on the work of one run, so a huge backlog never starves the other jobs.
    max_batches: int = 20


@dataclass
class SweepReport:
    name: str
    acted: int = 0  # items this run acted on (after commit)
    skipped: int = 0  # due items another sweeper had handled already
    failed: list[int] = field(default_factory=list)  # ids whose act raised; retried next run


async def sweep(new_uow: Callable[[], UnitOfWork], kind: Sweep[Any], now: datetime) -> SweepReport:
    report = SweepReport(kind.name)
    for _ in range(kind.max_batches):
        try:
            seen = await _batch(new_uow, kind, now, report)
        except Exception:
            log.exception("sweep %s: a batch failed; retrying its items one by one", kind.name)
            seen = await _one_by_one(new_uow, kind, now, report)
        if seen < kind.batch:
            break
    if report.acted or report.failed:
        log.info(
            "sweep %s: acted on %d, skipped %d, failed %s", kind.name, report.acted, report.skipped,
            report.failed or "none",
        )
    return report


async def _batch(new_uow: Callable[[], UnitOfWork], kind: Sweep[Any], now: datetime, report: SweepReport) -> int:
    acted = skipped = 0
    async with new_uow() as uow:
        items = await kind.source(uow).due(now, kind.batch, report.failed)
        for item in items:
            if await kind.act(uow, item, now):
                acted += 1
            else:
                skipped += 1
        await uow.commit()
    report.acted += acted
    report.skipped += skipped
    return len(items)


async def _one_by_one(new_uow: Callable[[], UnitOfWork], kind: Sweep[Any], now: datetime, report: SweepReport) -> int:
    seen = 0
    for _ in range(kind.batch):
        item_id: int | None = None
        try:
            async with new_uow() as uow:
                items = await kind.source(uow).due(now, 1, report.failed)
                if not items:
                    break
                item_id = items[0].id
                seen += 1
                acted = await kind.act(uow, items[0], now)
                await uow.commit()
        except Exception:
            if item_id is None:
                raise  # the query itself fails: nothing to isolate, let the job report it
            log.exception("sweep %s: item %s failed and is skipped until the next run", kind.name, item_id)
            report.failed.append(item_id)
            continue
        if acted:
            report.acted += 1
        else:
            report.skipped += 1
    return seen
