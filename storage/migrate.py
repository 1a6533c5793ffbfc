"""Schema upgrades through Alembic, programmatically (no alembic.ini needed).

Alembic (with Mako and Pygments, ~20 MB resident) is imported only when there is something to upgrade:
`python -m bot run` starts on a database `make run` has just migrated, and reads the schema's revision
with one plain query. HEAD names the newest migration; a test checks it against Alembic's own head, so a
new migration that forgets to move it fails the suite.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncEngine

if TYPE_CHECKING:
    from alembic.config import Config

MIGRATIONS = Path(__file__).parent / "migrations"
HEAD = "0021"  # the newest revision in migrations/versions (tests/test_storage.py checks it)


def alembic_config() -> Config:
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    return cfg


async def upgrade(engine: AsyncEngine, revision: str = "head") -> None:
    if revision == "head" and await current_revision(engine) == HEAD:
        return
    from alembic import command
    from sqlalchemy.engine import Connection

    cfg = alembic_config()

    def _run(connection: Connection) -> None:
        cfg.attributes["connection"] = connection
        command.upgrade(cfg, revision)

    async with engine.begin() as conn:
        await conn.run_sync(_run)


async def current_revision(engine: AsyncEngine) -> str | None:
    """The schema's revision as Alembic records it (its one-row table), None on a database never migrated."""
    async with engine.connect() as conn:
        try:
            found = await conn.execute(text("SELECT version_num FROM alembic_version"))
        except DBAPIError:  # no such table yet
            return None
        versions = [str(row[0]) for row in found.all()]
    return versions[0] if len(versions) == 1 else None


def head_revision() -> str | None:
    from alembic.script import ScriptDirectory

    return ScriptDirectory.from_config(alembic_config()).get_current_head()
