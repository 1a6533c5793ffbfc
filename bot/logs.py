"""Logging set-up: one format, the bot token redacted from every line and from any traceback that reaches
stderr, routine chatter of libraries kept out, SQL (with customers' data in its parameters) only on request."""

from __future__ import annotations

import logging
import sys
import threading
import traceback
from types import TracebackType

# Libraries whose INFO lines are routine: the scheduler reports every job run (one every few seconds).
QUIET = ("alembic", "aiogram.event", "apscheduler.executors", "apscheduler.scheduler")
# Loggers that print SQL and its parameters (phone numbers, FSM data): at INFO or DEBUG.
SQL_LOGGERS = ("sqlalchemy.engine", "sqlalchemy.pool", "aiosqlite", "asyncpg")


class RedactFilter(logging.Filter):
    def __init__(self, secrets: list[str]) -> None:
        super().__init__()
        self.secrets = [s for s in secrets if s]

    def filter(self, record: logging.LogRecord) -> bool:
        if not self.secrets:
            return True
        message = record.getMessage()
        text = message
        for secret in self.secrets:
            text = text.replace(secret, "***")
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            for secret in self.secrets:
                record.exc_text = record.exc_text.replace(secret, "***")
        if text != message:
            record.msg, record.args = text, None
        return True


def redact(text: str, secrets: list[str]) -> str:
    for secret in secrets:
        if secret:
            text = text.replace(secret, "***")
    return text


def install_excepthook(secrets: list[str]) -> None:
    """An exception nobody caught is printed to stderr with the secrets redacted (Python's own hook would
    print the token inside a URL in the message or a frame)."""
    wanted = [s for s in secrets if s]

    def hook(kind: type[BaseException], value: BaseException, tb: TracebackType | None) -> None:
        sys.stderr.write(redact("".join(traceback.format_exception(kind, value, tb)), wanted))

    def thread_hook(args: threading.ExceptHookArgs) -> None:
        if args.exc_value is not None:
            hook(args.exc_type, args.exc_value, args.exc_traceback)

    sys.excepthook = hook
    threading.excepthook = thread_hook


def setup_logging(level: str, secrets: list[str], *, sql_echo: bool = False) -> None:
    handler = logging.StreamHandler()
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    handler.addFilter(RedactFilter(secrets))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level.upper() if level.upper() in logging.getLevelNamesMapping() else "INFO")
    for noisy in QUIET:
        logging.getLogger(noisy).setLevel(max(root.level, logging.WARNING))
    for sql in SQL_LOGGERS:
        # sqlalchemy.engine prints every statement with its parameters from INFO on.
        logging.getLogger(sql).setLevel(logging.INFO if sql_echo else max(root.level, logging.WARNING))
    install_excepthook(secrets)
