"""Settings: a bad setting is one clear line and exit code 2; the token never reaches a log."""

from __future__ import annotations

import io
import logging
import os
import subprocess
import sys
from pathlib import Path

import pytest

from bot.config import SettingsError, load_settings
from bot.logs import RedactFilter, setup_logging

ROOT = Path(__file__).resolve().parent.parent
TOKEN = "123456789:AAH-secret-token-value-for-tests-0123"


def run_bot(*args: str, env: dict[str, str], cwd: Path) -> subprocess.CompletedProcess[str]:
    full = {k: v for k, v in os.environ.items() if not k.startswith(("BOT_", "DATABASE_", "REDIS_", "TIMEZONE", "TELEGRAM_"))}
    full.update(env)
    full["PYTHONPATH"] = str(ROOT)
    return subprocess.run(
        [sys.executable, "-m", "bot", *args], cwd=cwd, env=full, capture_output=True, text=True, timeout=300,
        stdin=subprocess.DEVNULL,
    )


@pytest.mark.parametrize(
    ("variable", "value"),
    [
        ("TIMEZONE", "Mars/Olympus"),
        ("DATABASE_URL", "mysql://localhost/x"),
        ("DEFAULT_LANGUAGE", "fr"),
        ("TELEGRAM_API_BASE", "localhost:8081"),
        ("REDIS_URL", "localhost:6379"),
        ("BOT_TOKEN", "not-a-token"),
    ],
)
def test_invalid_setting_is_one_line_naming_it_and_exit_2(variable: str, value: str, tmp_path: Path) -> None:
    result = run_bot("migrate", env={variable: value}, cwd=tmp_path)
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and variable in lines[0] and "Traceback" not in result.stderr
    if variable == "BOT_TOKEN":
        assert value not in result.stderr


def test_settings_error_is_raised_in_process() -> None:
    with pytest.raises(SettingsError, match="TIMEZONE"):
        load_settings(_env_file=None, timezone="Nowhere/City")


def test_missing_token_says_how_to_get_one_and_opens_the_console(tmp_path: Path) -> None:
    result = run_bot("run", env={"DATABASE_URL": f"sqlite:///{tmp_path / 'x.db'}"}, cwd=tmp_path)
    assert result.returncode == 0
    assert "BOT_TOKEN is not set" in result.stderr and "@BotFather" in result.stderr


def test_token_is_redacted_from_log_lines_and_tracebacks() -> None:
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.addFilter(RedactFilter([TOKEN]))
    log = logging.getLogger("redaction-test")
    log.addHandler(handler)
    try:
        log.error("calling https://api.telegram.org/bot%s/getMe", TOKEN)
        try:
            raise RuntimeError(f"failed url /bot{TOKEN}/sendMessage")
        except RuntimeError:
            log.exception("boom")
    finally:
        log.removeHandler(handler)
    assert TOKEN not in stream.getvalue() and "/bot***/getMe" in stream.getvalue()


def test_a_malformed_api_base_is_one_line_and_never_shows_the_token(tmp_path: Path) -> None:
    result = run_bot("migrate", env={"BOT_TOKEN": TOKEN, "TELEGRAM_API_BASE": "http://[::1"}, cwd=tmp_path)
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "TELEGRAM_API_BASE" in lines[0] and "Traceback" not in result.stderr
    assert TOKEN not in result.stderr and TOKEN not in result.stdout


def test_an_uncaught_exception_reaches_stderr_without_the_token(tmp_path: Path) -> None:
    code = (
        "from bot.logs import setup_logging\n"
        f"setup_logging('INFO', [{TOKEN!r}])\n"
        f"raise RuntimeError('could not reach http://127.0.0.1:1/bot{TOKEN}/getMe')\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=tmp_path, env={**os.environ, "PYTHONPATH": str(ROOT)},
        capture_output=True, text=True, timeout=300,
    )
    assert result.returncode == 1 and "RuntimeError" in result.stderr and "Traceback" in result.stderr
    assert TOKEN not in result.stderr and "/bot***/getMe" in result.stderr


def test_debug_logging_keeps_sql_and_customer_phones_out_unless_sql_echo(tmp_path: Path) -> None:
    demo = (ROOT / "demo" / "deals.txt").read_text(encoding="utf-8")
    env = {"DATABASE_URL": f"sqlite:///{tmp_path / 'x.db'}", "LOG_LEVEL": "DEBUG"}
    quiet = subprocess.run(
        [sys.executable, "-m", "bot", "console"], cwd=tmp_path, input=demo, capture_output=True, text=True,
        timeout=300, env={**{k: v for k, v in os.environ.items() if not k.startswith(("DATABASE_", "SQL_"))},
                          **env, "PYTHONPATH": str(ROOT)},
    )
    assert quiet.returncode == 0, quiet.stderr[-2000:]
    assert "13800138000" in quiet.stdout  # the rep sees the phone in the chat ...
    assert "13800138000" not in quiet.stderr and "SELECT" not in quiet.stderr  # ... the log does not
    echo = subprocess.run(
        [sys.executable, "-m", "bot", "migrate"], cwd=tmp_path, capture_output=True, text=True, timeout=300,
        env={**os.environ, **env, "SQL_ECHO": "true", "DATABASE_URL": f"sqlite:///{tmp_path / 'y.db'}",
             "PYTHONPATH": str(ROOT)},
    )
    assert echo.returncode == 0 and "CREATE TABLE" in echo.stderr


def test_migrate_upgrades_the_schema_without_loading_the_bot(tmp_path: Path) -> None:
    """`make run` and the container migrate before they start the bot: that step loads no Telegram library
    (aiogram alone is ~3 s of CPU to import here), so the bot comes up that much sooner."""
    code = (
        "import sys\n"
        "from bot.__main__ import main\n"
        "status = main(['migrate'])\n"
        "print('aiogram loaded' if 'aiogram' in sys.modules else 'aiogram not loaded')\n"
        "sys.exit(status)\n"
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith(("BOT_", "DATABASE_", "SQL_"))}
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=tmp_path, capture_output=True, text=True, timeout=300,
        env={**env, "DATABASE_URL": f"sqlite:///{tmp_path / 'm.db'}", "PYTHONPATH": str(ROOT)},
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert "Database schema is at revision 00" in result.stdout
    assert "aiogram not loaded" in result.stdout


def test_the_scheduler_does_not_log_every_job_run() -> None:
    root = logging.getLogger()
    saved = (root.handlers[:], root.level)
    try:
        setup_logging("INFO", [])
        assert not logging.getLogger("apscheduler.executors.default").isEnabledFor(logging.INFO)
        assert logging.getLogger("apscheduler.executors.default").isEnabledFor(logging.WARNING)
        assert logging.getLogger("bot.outbox").isEnabledFor(logging.INFO)
    finally:
        root.handlers[:], _ = saved[0], root.setLevel(saved[1])
        for name in ("apscheduler.executors", "apscheduler.scheduler", "sqlalchemy.engine", "aiosqlite"):
            logging.getLogger(name).setLevel(logging.NOTSET)
