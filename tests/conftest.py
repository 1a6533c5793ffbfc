"""Shared fixtures. Storage and flow tests run on SQLite and on PostgreSQL (param `backend`).

PostgreSQL must be reachable (TEST_POSTGRES_URL, default postgresql://postgres@127.0.0.1:5432/test):
a test that needs it and cannot reach it fails; nothing is skipped. Each test gets its own database,
cloned from a migrated template, so tests never see each other's rows.
"""

from __future__ import annotations

import asyncio
import os
import shutil
import uuid
from collections.abc import AsyncIterator, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path

import asyncpg
import pytest

from bot.config import Settings
from bot.factory import App, build_app
from bot.i18n import catalogue
from bot.render import Renderer
from bot.sandbox import Person, RecordingSession, Sandbox
from domain.team import onboarding
from domain.team.model import Role
from storage import migrate
from storage.db import create_engine
from tests.fakes import FakeClock, MemoryApp

PG_URL = os.environ.get("TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/test")
TEAM = "华东销售部"


def pg_dsn(database: str | None = None) -> str:
    base, _, _ = PG_URL.rpartition("/")
    return f"{base}/{database}" if database else PG_URL


async def _admin_execute(sql: str) -> None:
    conn = await asyncpg.connect(pg_dsn())
    try:
        await conn.execute(sql)
    finally:
        await conn.close()


async def _migrate(url: str) -> None:
    engine = create_engine(url)
    try:
        await migrate.upgrade(engine)
    finally:
        await engine.dispose()


def run_blocking(coro_fn, *args):  # type: ignore[no-untyped-def]
    """Run a coroutine to completion from sync code that may itself sit inside a running loop."""
    with ThreadPoolExecutor(1) as pool:
        return pool.submit(lambda: asyncio.run(coro_fn(*args))).result()


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("tpl") / "template.db"
    run_blocking(_migrate, f"sqlite:///{path}")
    return path


@pytest.fixture(scope="session")
def pg_template() -> Iterator[str]:
    name = f"loopbot_tpl_{os.getpid()}_{uuid.uuid4().hex[:6]}"
    run_blocking(_admin_execute, f'CREATE DATABASE "{name}"')
    run_blocking(_migrate, pg_dsn(name))
    yield name
    run_blocking(_admin_execute, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def clone_statement(name: str, template: str) -> str:
    """FILE_COPY: a few ms of file copying instead of writing the template through the WAL (3x faster here)."""
    return f'CREATE DATABASE "{name}" TEMPLATE "{template}" STRATEGY FILE_COPY'


class PgClones:
    """Per worker: the next test's database is cloned, and the last one dropped, in a background thread
    while the current test runs, so a test waits for neither (~0.3 s a test here, cloned through the WAL)."""

    def __init__(self, template: str) -> None:
        self.template = template
        self.pool = ThreadPoolExecutor(1)
        self.next: Future[str] | None = None

    def _clone(self) -> str:
        name = f"loopbot_t_{uuid.uuid4().hex[:12]}"
        asyncio.run(_admin_execute(clone_statement(name, self.template)))
        return name

    def take(self) -> str:
        name = (self.next or self.pool.submit(self._clone)).result()
        self.next = self.pool.submit(self._clone)
        return name

    def drop(self, name: str) -> None:
        self.pool.submit(lambda: asyncio.run(_admin_execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')))

    def close(self) -> None:
        if self.next is not None:
            self.drop(self.next.result())
        self.pool.shutdown(wait=True)


@pytest.fixture(scope="session")
def pg_clones(pg_template: str) -> Iterator[PgClones]:
    clones = PgClones(pg_template)
    yield clones
    clones.close()


@pytest.fixture(params=["sqlite", "postgresql"])
def backend(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
async def db_url(backend: str, request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[str]:
    """A migrated, empty database of the chosen backend, private to this test."""
    if backend == "sqlite":
        template: Path = request.getfixturevalue("sqlite_template")
        path = tmp_path / "test.db"
        shutil.copy(template, path)
        yield f"sqlite:///{path}"
        return
    clones: PgClones = request.getfixturevalue("pg_clones")
    name = clones.take()
    try:
        yield pg_dsn(name)
    finally:
        clones.drop(name)


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture(scope="session")
def renderer() -> Renderer:
    """The bot's renderer with the default settings' language and timezone, as build_app makes it."""
    defaults = Settings(_env_file=None, database_url="sqlite://", bot_token=None, redis_url=None)  # type: ignore[call-arg]
    return Renderer(catalogue(), defaults.default_language, defaults.timezone)


@pytest.fixture
def memory_app(clock: FakeClock, renderer: Renderer) -> MemoryApp:
    """The pipeline on the in-memory fakes (tests/fakes.py): for service tests that need no database."""
    return MemoryApp(clock, renderer)


@pytest.fixture
def settings(db_url: str) -> Settings:
    return Settings(
        _env_file=None,  # type: ignore[call-arg]
        database_url=db_url, bot_token=None, redis_url=None, throttle_per_second=1000.0,
    )


@pytest.fixture
async def app(settings: Settings, clock: FakeClock) -> AsyncIterator[App]:
    application = build_app(settings, session=RecordingSession(), clock=clock)
    try:
        yield application
    finally:
        await application.close()


@pytest.fixture
def session(app: App) -> RecordingSession:
    assert isinstance(app.bot.session, RecordingSession)
    return app.bot.session


@pytest.fixture
def sandbox(app: App, session: RecordingSession) -> Sandbox:
    return Sandbox(dp=app.dp, bot=app.bot, session=session)


async def invite_code(app: App, role: Role, team: str = TEAM, timezone: str = "Asia/Shanghai") -> str:
    async with app.uow() as uow:
        team_row = await onboarding.ensure_team(uow, name=team, timezone=timezone, now=app.clock.now())
        assert team_row.id is not None
        code, _ = await onboarding.create_invite(uow, actor=None, role=role, team_id=team_row.id, now=app.clock.now())
        await uow.commit()
    return code


async def join(
    app: App, sandbox: Sandbox, name: str, role: Role, team: str = TEAM, language_code: str = "zh-hans",
    timezone: str = "Asia/Shanghai",
) -> Person:
    """A person who joined `team` with `role` through a real /start <code>."""
    person = sandbox.person(name, language_code=language_code)
    await person.send(f"/start {await invite_code(app, role, team, timezone)}")
    assert "欢迎加入" in person.last.text or "Welcome" in person.last.text, person.last.text
    return person


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Service tests (tests/test_*_service.py) run in memory, so that the suite stays fast as tests are
    added: one that asks for a database fails collection. A test about the database belongs in a
    *_on_databases.py module (README, "Which tests run where")."""
    for item in items:
        if item.path.name.endswith("_service.py") and "db_url" in getattr(item, "fixturenames", ()):
            raise pytest.UsageError(
                f"{item.nodeid} runs on a database: service tests run in memory (the memory_app fixture); "
                "move a test about the database to a *_on_databases.py module"
            )
