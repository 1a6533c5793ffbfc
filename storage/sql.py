"""Small pieces every repository uses.

Statements that every update or every captured lead runs are built once (a module constant, or a
function under functools.cache when it needs the mapped classes or the dialect) with `bindparam()`s,
and executed with their values: building a statement and deriving its cache key cost about as much
CPU as running it (~0.2-0.3 ms each on this machine), and a statement object kept keeps its key.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache
from typing import Any, TypeVar

from sqlalchemy import Insert, Table, insert
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import make_transient_to_detached
from sqlalchemy.orm.attributes import instance_state
from sqlalchemy.orm.util import identity_key

from domain.deals.model import CLOSED

# Stage values of won and lost deals, for "open deals only" conditions.
CLOSED_STAGES = [stage.value for stage in CLOSED]


def upsert(dialect: str, table: Table) -> Any:
    """INSERT … that can say ON CONFLICT (`.on_conflict_do_nothing(...)`, `.on_conflict_do_update(...)`), as
    PostgreSQL or SQLite spells it."""
    if dialect == "postgresql":
        from sqlalchemy.dialects.postgresql import insert as pg_insert

        return pg_insert(table)
    from sqlalchemy.dialects.sqlite import insert as sqlite_insert

    return sqlite_insert(table)


T = TypeVar("T")


async def get_by_id(session: AsyncSession, cls: type[T], ident: int) -> T | None:
    """`session.get(cls, ident)`: a row this unit of work has loaded (and not expired) is answered from the
    identity map here, as Session.get would, without the trip through AsyncSession's greenlet (a lead's
    capture and hand-off look people up by id ~6 times, the same two or three people)."""
    found = session.identity_map.get(identity_key(cls, ident))
    if found is not None and not instance_state(found).expired:
        return found
    return await session.get(cls, ident)


async def flush_pending(session: AsyncSession) -> None:
    """`session.flush()`, tested first here: a flush of a session holding no changes does nothing but still
    costs a trip through AsyncSession's greenlet (flush()'s own test, made before it rather than inside)."""
    if session.new or session.dirty or session.deleted:
        await session.flush()


def rowcount(result: Any) -> int:
    """Rows an UPDATE or DELETE changed (a conditional UPDATE tells who won a race)."""
    return int(result.rowcount or 0)


@cache
def _insert_returning_ids(table: Table, ordered: bool) -> Insert:
    if ordered:
        return insert(table).returning(table.c.id, sort_by_parameter_order=True)
    return insert(table).returning(table.c.id)


async def insert_new(session: AsyncSession, table: Table, objects: Sequence[Any]) -> None:
    """New rows of a mapped class written together (a file's leads, their deals, hand-offs): one INSERT
    for them all, each object given its id and then kept by the session as if it had been added one by
    one (a later change to it is flushed as an UPDATE). Batched, the ORM's own flush would still send a
    statement per row on SQLite, which cannot say which new id belongs to which row.

    PostgreSQL returns the ids in the order of the rows (SQLAlchemy's ordered insertmanyvalues). SQLite
    returns them in no promised order, but gives a multi-row INSERT's rows consecutive ids (each one
    above the largest in the table, and the transaction holds the write lock): sorted, they follow the
    rows; that they are consecutive is checked, and the transaction fails rather than mix them up."""
    if not objects:
        return
    await flush_pending(session)  # what the session holds goes first, as when the ORM flushes new objects
    columns = [column for column in table.columns if column.name != "id"]
    rows = [{column.name: getattr(obj, column.name) for column in columns} for obj in objects]
    dialect = session.bind.dialect.name if session.bind else "sqlite"
    ids: list[int]
    if dialect == "sqlite":
        ids = sorted((await session.execute(_insert_returning_ids(table, False), rows)).scalars().all())
        if len(ids) != len(rows) or ids[-1] - ids[0] != len(rows) - 1:
            raise RuntimeError(f"{table.name}: the new ids are not consecutive; the rows were not written")
    else:
        ids = list((await session.execute(_insert_returning_ids(table, True), rows)).scalars().all())
    for obj, new_id in zip(objects, ids, strict=True):
        obj.id = new_id
        make_transient_to_detached(obj)
        session.add(obj)
    # The session takes them for rows it loaded, not ones it wrote: a rollback would keep them (expired,
    # yet still answering `get` by id). The unit of work drops them then (forget_inserted).
    session.info.setdefault(_INSERTED, []).extend(objects)


_INSERTED = "inserted_here"


def forget_inserted(session: AsyncSession, *, rolled_back: bool) -> None:
    """After a commit the rows insert_new wrote are the session's like any other; on a rollback (called
    just before it) they never existed: they leave the session as the ORM's own new objects do, keeping
    their values, so that `get` by their id looks in the database again."""
    written = session.info.pop(_INSERTED, [])
    if not rolled_back:
        return
    for obj in written:
        if obj in session:
            session.expunge(obj)
