"""Storage on real SQLite and real PostgreSQL: migrations, the mapping, and races."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import asyncpg
import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect

from domain.errors import InvalidInput
from domain.team import onboarding
from domain.team.model import Role, Team
from storage import migrate
from storage.db import create_engine, session_factory
from storage.tables import metadata
from storage.uow import SqlUnitOfWork
from tests.conftest import _admin_execute, pg_dsn


@pytest.fixture
async def empty_url(backend: str, tmp_path: Path) -> AsyncIterator[str]:
    """A database with no tables at all."""
    if backend == "sqlite":
        yield f"sqlite:///{tmp_path / 'empty.db'}"
        return
    name = f"loopbot_empty_{uuid.uuid4().hex[:10]}"
    await _admin_execute(f'CREATE DATABASE "{name}"')
    try:
        yield pg_dsn(name)
    finally:
        await _admin_execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


async def test_migrations_build_the_whole_schema_from_empty(empty_url: str) -> None:
    engine = create_engine(empty_url)
    try:
        assert await migrate.current_revision(engine) is None
        await migrate.upgrade(engine)
        assert await migrate.current_revision(engine) == migrate.head_revision() == migrate.HEAD
        await migrate.upgrade(engine)  # running again is harmless

        def diff(connection):  # type: ignore[no-untyped-def]
            tables = set(inspect(connection).get_table_names())
            changes = compare_metadata(MigrationContext.configure(connection), metadata)
            return tables, changes

        async with engine.connect() as conn:
            tables, changes = await conn.run_sync(diff)
        assert set(metadata.tables) <= tables
        assert changes == [], f"migrations and storage/tables.py disagree: {changes}"
    finally:
        await engine.dispose()


async def test_times_come_back_as_utc_whatever_zone_went_in(db_url: str) -> None:
    engine = create_engine(db_url)
    sessions = session_factory(engine)
    shanghai_noon = datetime(2026, 12, 1, 12, 0, tzinfo=UTC) + timedelta(hours=0)
    try:
        async with SqlUnitOfWork(sessions) as uow:
            team = await uow.teams.add(Team(name="T", created_at=shanghai_noon.astimezone()))
            await uow.commit()
            team_id = team.id
        async with SqlUnitOfWork(sessions) as uow:
            loaded = await uow.teams.get(team_id or 0)
            assert loaded is not None and loaded.created_at == shanghai_noon
            assert loaded.created_at.tzinfo is UTC
    finally:
        await engine.dispose()


async def test_two_people_racing_for_one_invite_only_one_joins(db_url: str) -> None:
    engine = create_engine(db_url)
    sessions = session_factory(engine)
    now = datetime(2026, 11, 26, 2, 0, tzinfo=UTC)
    try:
        async with SqlUnitOfWork(sessions) as uow:
            team = await onboarding.ensure_team(uow, name="T", timezone="Asia/Shanghai", now=now)
            code, _ = await onboarding.create_invite(uow, actor=None, role=Role.REP, team_id=team.id or 0, now=now)
            await uow.commit()

        async def redeem(telegram_id: int) -> str:
            async with SqlUnitOfWork(sessions) as uow:
                try:
                    await onboarding.redeem_invite(
                        uow, code=code, telegram_id=telegram_id, name="x", username=None, language=None, now=now
                    )
                    await uow.commit()
                    return "joined"
                except InvalidInput as error:
                    return error.code
                except Exception as exc:  # a serialisation failure is also a refusal
                    return type(exc).__name__

        results = await asyncio.gather(*(redeem(100 + i) for i in range(5)))
        assert results.count("joined") == 1, results
        async with SqlUnitOfWork(sessions) as uow:
            joined = [u for i in range(5) if (u := await uow.users.by_telegram_id(100 + i))]
        assert len(joined) == 1
    finally:
        await engine.dispose()


async def test_the_round_robin_cursor_is_written_at_commit_and_spares_other_policy_edits(db_url: str) -> None:
    """Every capture moves the team's cursor: it is written as the commit's last statement (the policy row
    is not locked while the capture runs), and it neither undoes nor is undone by a manager's /policy edit
    committed in between."""
    engine = create_engine(db_url)
    sessions = session_factory(engine)
    now = datetime(2026, 11, 26, 2, 0, tzinfo=UTC)
    try:
        async with SqlUnitOfWork(sessions) as uow:
            team = await onboarding.ensure_team(uow, name="T", timezone="Asia/Shanghai", now=now)
            await uow.policies.ensure(team.id or 0)
            await uow.commit()
        team_id = team.id or 0

        async with SqlUnitOfWork(sessions) as capture:
            policy = await capture.policies.ensure(team_id)
            assert policy.rr_cursor == 0
            policy.rr_cursor = 42
            await capture.users.in_team(team_id)  # a query: the ORM's autoflush runs here
            if db_url.startswith("postgresql"):  # nobody waits on the policy row before the commit
                await _admin_execute_in(db_url, "SELECT 1 FROM team_policies WHERE team_id = $1 FOR UPDATE NOWAIT",
                                        team_id)
            async with SqlUnitOfWork(sessions) as manager:
                edited = await manager.policies.ensure(team_id)
                edited.threshold = 77
                await manager.commit()
            await capture.commit()

        async with SqlUnitOfWork(sessions) as uow:
            stored = await uow.policies.ensure(team_id)
            assert (stored.rr_cursor, stored.threshold) == (42, 77)
    finally:
        await engine.dispose()


async def _admin_execute_in(db_url: str, sql: str, *args: object) -> None:
    conn = await asyncpg.connect(db_url.replace("postgresql+asyncpg", "postgresql"))
    try:
        async with conn.transaction():
            await conn.execute(sql, *args)
    finally:
        await conn.close()
