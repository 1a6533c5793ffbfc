"""FSM state in the database, so a conversation survives a restart with no Redis around."""

from __future__ import annotations

from collections.abc import AsyncIterator, Mapping
from contextlib import asynccontextmanager
from contextvars import ContextVar
from typing import Any

from aiogram.fsm.state import State
from aiogram.fsm.storage.base import BaseStorage, DefaultKeyBuilder, KeyBuilder, StateType, StorageKey
from sqlalchemy import delete, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine, AsyncSession

from storage.tables import fsm_states

# The update's own transaction, when there is one: FSM changes then commit or roll back together
# with the update's effects (and on SQLite a second writer would wait on the first's lock).
current_session: ContextVar[AsyncSession | None] = ContextVar("current_session", default=None)


class SqlStorage(BaseStorage):
    def __init__(self, engine: AsyncEngine, key_builder: KeyBuilder | None = None) -> None:
        self.engine = engine
        self.key_builder = key_builder or DefaultKeyBuilder(with_destiny=True)
        self._insert = pg_insert if engine.dialect.name == "postgresql" else sqlite_insert

    async def _upsert(self, key: StorageKey, **values: Any) -> None:
        raw = self.key_builder.build(key)
        stmt = self._insert(fsm_states).values(key=raw, **values)
        stmt = stmt.on_conflict_do_update(index_elements=["key"], set_=values)
        async with self._connection(write=True) as conn:
            await conn.execute(stmt)
            if any(value is not None for value in values.values()):
                return
            # A row with neither state nor data is noise: drop it.
            await conn.execute(
                delete(fsm_states).where(
                    fsm_states.c.key == raw, fsm_states.c.state.is_(None), fsm_states.c.data.is_(None)
                )
            )

    @asynccontextmanager
    async def _connection(self, write: bool = False) -> AsyncIterator[AsyncSession | AsyncConnection]:
        session = current_session.get()
        if session is not None:
            yield session
            return
        if write:
            async with self.engine.begin() as conn:
                yield conn
        else:
            async with self.engine.connect() as conn:
                yield conn

    async def _row(self, key: StorageKey) -> Any:
        async with self._connection() as conn:
            result = await conn.execute(
                select(fsm_states.c.state, fsm_states.c.data).where(
                    fsm_states.c.key == self.key_builder.build(key)
                )
            )
            return result.first()

    async def set_state(self, key: StorageKey, state: StateType = None) -> None:
        value = state.state if isinstance(state, State) else state
        await self._upsert(key, state=value)

    async def get_state(self, key: StorageKey) -> str | None:
        row = await self._row(key)
        return row.state if row else None

    async def set_data(self, key: StorageKey, data: Mapping[str, Any]) -> None:
        await self._upsert(key, data=dict(data) or None)

    async def get_data(self, key: StorageKey) -> dict[str, Any]:
        row = await self._row(key)
        return dict(row.data) if row and row.data else {}

    async def close(self) -> None:
        return None
