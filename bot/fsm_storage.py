"""FSM state in the database, so a conversation survives a restart with no Redis around.

Within an update the state is write-behind (an UpdateStates buffer, set by UnitOfWorkMiddleware): a
conversation's row is read at most once, when first asked for, and kept for the rest of the update;
set_state/set_data only change that copy. The unit of work writes what changed just before it commits
(one upsert, or one DELETE when the conversation ended; nothing when nothing changed), in the update's
own transaction, so the state commits or rolls back together with the update's effects: a rollback
puts the copy back to what the database holds. Outside an update (a test, a job) every call reads and
writes through at once, as any aiogram storage does.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Mapping
from contextlib import asynccontextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any

from aiogram.fsm.state import State
from aiogram.fsm.storage.base import BaseStorage, DefaultKeyBuilder, KeyBuilder, StateType, StorageKey
from sqlalchemy import bindparam, delete, select
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine, AsyncSession

from storage import sql
from storage.tables import fsm_states

# Built once (storage/sql.py says why): every update reads its conversation's row, many write it.
_READ = select(fsm_states.c.state, fsm_states.c.data).where(fsm_states.c.key == bindparam("key"))
_DELETE = delete(fsm_states).where(fsm_states.c.key == bindparam("key"))

@dataclass
class _Row:
    """One conversation within an update: as the database holds it, and as the update left it."""

    stored_state: str | None
    stored_data: dict[str, Any] | None
    state: str | None
    data: dict[str, Any] | None

    @property
    def changed(self) -> bool:
        return self.state != self.stored_state or self.data != self.stored_data


class UpdateStates:
    """The conversation states one update read and changed; written once, before its commit.

    A participant of the unit of work (storage/uow.py): `flush()` before each commit, `discard()` on a
    rollback."""

    def __init__(self, storage: SqlStorage, session: AsyncSession) -> None:
        self.storage = storage
        self.session = session
        self.rows: dict[str, _Row] = {}

    def prime(self, raw: str, state: str | None, data: dict[str, Any] | None) -> None:
        """The conversation's row as the update's first statement read it (storage/updates_repo.py,
        `open`): row(raw) answers from it instead of reading it again."""
        if raw not in self.rows:
            self.rows[raw] = _Row(state, data, state, None if data is None else dict(data))

    async def row(self, raw: str) -> _Row:
        found = self.rows.get(raw)
        if found is None:
            stored = (await self.session.execute(_READ, {"key": raw})).first()
            state = stored.state if stored else None
            data = dict(stored.data) if stored and stored.data else None
            found = self.rows[raw] = _Row(state, data, state, None if data is None else dict(data))
        return found

    async def flush(self) -> None:
        for raw, row in self.rows.items():
            if not row.changed:
                continue
            await self.storage.write(self.session, raw, row.state, row.data)
            row.stored_state = row.state
            row.stored_data = None if row.data is None else dict(row.data)

    def discard(self) -> None:
        """The transaction rolled back: the database holds what was read, so the update does too."""
        for row in self.rows.values():
            row.state = row.stored_state
            row.data = None if row.stored_data is None else dict(row.stored_data)


# The update's buffer, while an update is being handled on the SQL storage (bot/middlewares.py).
current_states: ContextVar[UpdateStates | None] = ContextVar("current_states", default=None)


class SqlStorage(BaseStorage):
    def __init__(self, engine: AsyncEngine, key_builder: KeyBuilder | None = None) -> None:
        self.engine = engine
        self.key_builder = key_builder or DefaultKeyBuilder(with_destiny=True)
        upsert = sql.upsert(engine.dialect.name, fsm_states)
        self._upsert = upsert.on_conflict_do_update(
            index_elements=["key"], set_={"state": upsert.excluded.state, "data": upsert.excluded.data}
        )

    def buffer(self, session: AsyncSession) -> UpdateStates:
        """A write-behind buffer for one update over its session (see the module's doc)."""
        return UpdateStates(self, session)

    def _buffered(self) -> UpdateStates | None:
        states = current_states.get()
        return states if states is not None and states.storage is self else None

    async def write(
        self, conn: AsyncSession | AsyncConnection, raw: str, state: str | None, data: dict[str, Any] | None
    ) -> None:
        """The row as a whole: one upsert, or one DELETE when there is neither state nor data."""
        if state is None and not data:
            await conn.execute(_DELETE, {"key": raw})
            return
        await conn.execute(self._upsert, {"key": raw, "state": state, "data": data or None})

    @asynccontextmanager
    async def _direct(self) -> AsyncIterator[AsyncConnection]:
        async with self.engine.begin() as conn:
            yield conn

    async def _read(self, key: StorageKey) -> tuple[str | None, dict[str, Any] | None]:
        raw = self.key_builder.build(key)
        states = self._buffered()
        if states is not None:
            row = await states.row(raw)
            return row.state, row.data
        async with self.engine.connect() as conn:
            found = (await conn.execute(_READ, {"key": raw})).first()
        return (found.state, dict(found.data) if found.data else None) if found else (None, None)

    async def _change(self, key: StorageKey, **values: Any) -> None:
        raw = self.key_builder.build(key)
        states = self._buffered()
        if states is not None:
            row = await states.row(raw)
            if "state" in values:
                row.state = values["state"]
            if "data" in values:
                row.data = values["data"]
            return
        state, data = await self._read(key)
        state = values.get("state", state)
        data = values.get("data", data)
        async with self._direct() as conn:
            await self.write(conn, raw, state, data)

    async def set_state(self, key: StorageKey, state: StateType = None) -> None:
        await self._change(key, state=state.state if isinstance(state, State) else state)

    async def get_state(self, key: StorageKey) -> str | None:
        return (await self._read(key))[0]

    async def set_data(self, key: StorageKey, data: Mapping[str, Any]) -> None:
        await self._change(key, data=dict(data) or None)

    async def get_data(self, key: StorageKey) -> dict[str, Any]:
        data = (await self._read(key))[1]
        return dict(data) if data else {}

    async def close(self) -> None:
        return None
