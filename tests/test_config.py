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
from bot.logs import RedactFilter

ROOT = Path(__file__).resolve().parent.parent
TOKEN = "123456789:AAH-secret-token-value-for-tests-0123"


def run_bot(*args: str, env: dict[str, str], cwd: Path) -> subprocess.CompletedProcess[str]:
    full = {k: v for k, v in os.environ.items() if not k.startswith(("BOT_", "DATABASE_", "REDIS_", "TIMEZONE", "TELEGRAM_"))}
    full.update(env)
    full["PYTHONPATH"] = str(ROOT)
    return subprocess.run(
        [sys.executable, "-m", "bot", *args], cwd=cwd, env=full, capture_output=True, text=True, timeout=60,
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
