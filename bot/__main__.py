"""Command line: `python -m bot [run|console|migrate|invite]`."""

from __future__ import annotations

import argparse
import asyncio
import sys

from bot.config import Settings, SettingsError, load_settings
from domain.team.model import Role

NO_TOKEN = (
    "BOT_TOKEN is not set: talk to @BotFather in Telegram (/newbot), put the token in .env as "
    "BOT_TOKEN=..., and run again. Starting the console sandbox on the local database instead."
)


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bot", description="Closed-loop sales assistant")
    sub = parser.add_subparsers(dest="command")
    sub.add_parser("run", help="run the bot (long polling); the console sandbox if BOT_TOKEN is unset")
    sub.add_parser("console", help="chat with the bot in this terminal, no Telegram needed")
    sub.add_parser("migrate", help="upgrade the database schema to the newest version")
    invite = sub.add_parser("invite", help="create a one-time invite link (the first admin is made this way)")
    invite.add_argument("--role", required=True, choices=[r.value for r in Role])
    invite.add_argument("--team", required=True, help="team name; created when it does not exist yet")
    invite.add_argument("--timezone", default=None, help="time zone of a new team (default: TIMEZONE)")
    args = parser.parse_args(argv)
    if args.command is None:
        args.command = "run"
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(sys.argv[1:] if argv is None else argv)
    try:
        settings = load_settings()
    except SettingsError as exc:
        print(exc, file=sys.stderr)
        return 2
    from bot.logs import setup_logging

    token = settings.bot_token.get_secret_value() if settings.bot_token else ""
    setup_logging(settings.log_level, [token], sql_echo=settings.sql_echo)
    try:
        return asyncio.run(dispatch(args, settings))
    except KeyboardInterrupt:
        return 0


async def migrate(settings: Settings) -> int:
    """The schema only: none of the bot's own modules are imported (aiogram alone takes ~3 s of CPU to
    import), so `make run` and the container's start, which migrate first, wait that much less."""
    from storage import migrate as migrations
    from storage.db import create_engine

    engine = create_engine(settings.database_url)
    try:
        await migrations.upgrade(engine)
        print(f"Database schema is at revision {await migrations.current_revision(engine)}.")
    finally:
        await engine.dispose()
    return 0


async def dispatch(args: argparse.Namespace, settings: Settings) -> int:
    if args.command == "migrate":
        return await migrate(settings)
    from bot import runner

    if args.command == "invite":
        return await runner.invite(settings, Role(args.role), args.team, args.timezone or settings.timezone)
    if args.command == "console":
        return await runner.console(settings)
    if settings.bot_token is None:
        print(NO_TOKEN, file=sys.stderr)
        return await runner.console(settings)
    return await runner.run(settings)


if __name__ == "__main__":
    sys.exit(main())
