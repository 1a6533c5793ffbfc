"""The console sandbox: chat with the real Dispatcher from a terminal, as several people, offline.

    text        a message from the current person
    #N          press button N of the latest message with buttons
    @name       become `name` (created on first use)
    !group TEXT send TEXT in the simulated team group chat
    !invite ROLE TEAM   create an invite as the server operator would (CLI `invite`)
    !tick       run the scheduler's periodic jobs once
    !file PATH  send a file (a .csv or .xlsx to import into /products)
    !wait 2h    let time pass (30m, 2h, 1d, 1d2h): the sandbox clock moves forward and the
                scheduler's jobs run along the way, so reminders fire and digests go out
    !help, !quit
    $code       in any line: the code of the latest invite link shown
"""

from __future__ import annotations

import asyncio
import re
import shlex
import sys
from datetime import timedelta
from pathlib import Path
from typing import TextIO

from aiogram.methods import AnswerCallbackQuery, SendDocument, SendPhoto
from aiogram.types import BufferedInputFile

from bot.app import App, prepare
from bot.config import Settings
from bot.factory import build_app
from bot.formatting import when
from bot.sandbox import Call, Person, RecordingSession, Sandbox, Sent
from domain.clock import OffsetClock
from domain.errors import DomainError
from domain.team import onboarding
from domain.team.model import Role
from domain.timeparse import parse_duration

GROUP_CHAT_ID = -100_424_242
CODE = re.compile(r"\?start=([A-Za-z0-9_-]{8,64})")
HELP = __doc__ or ""
# `!wait` moves the clock in steps no longer than this, running the jobs after each step, so what
# falls due on the way happens close to its time and in order.
WAIT_STEP = timedelta(minutes=15)
MAX_WAIT = timedelta(days=60)


class Console:
    def __init__(self, app: App, session: RecordingSession, out: TextIO, echo: bool = True) -> None:
        self.app = app
        self.echo = echo
        self.sandbox = Sandbox(dp=app.dp, bot=app.bot, session=session)
        self.out = out
        self.current: Person = self.sandbox.person("admin")
        self.last_code: str | None = None
        session.listeners.append(self.on_call)

    def names(self) -> dict[int, str]:
        names = {p.telegram_id: name for name, p in self.sandbox.people.items()}
        names[GROUP_CHAT_ID] = "team group"
        return names

    def on_call(self, call: Call, shown: Sent | None) -> None:
        if isinstance(call.method, AnswerCallbackQuery):
            if call.method.text:
                self.print(f"  bot (popup) › {call.method.text}")
            return
        if isinstance(call.method, SendPhoto):
            if not isinstance(call.method.photo, BufferedInputFile):
                return
            who = ""
            if shown is not None and shown.chat_id != self.current.telegram_id:
                who = f" → {self.names().get(shown.chat_id, shown.chat_id)}"
            self.print(f"  bot{who} › 🖼 {call.method.photo.filename} ({len(call.method.photo.data):,} bytes)")
            if not call.method.caption:
                return  # a captioned photo (a digest with its chart) reads on like a message
        if isinstance(call.method, SendDocument) and isinstance(call.method.document, BufferedInputFile):
            document = call.method.document
            caption = strip_html(call.method.caption or "")
            self.print(f"  bot › 📎 {document.filename} ({len(document.data):,} bytes) {caption}".rstrip())
            return
        if shown is None:
            return
        for code in CODE.findall(shown.text):
            self.last_code = code
        who = ""
        if shown.chat_id != self.current.telegram_id:
            who = f" → {self.names().get(shown.chat_id, shown.chat_id)}"
        label = "bot (edited)" if shown.edited else "bot"
        self.print(f"  {label}{who} › " + strip_html(shown.text).replace("\n", "\n    "))
        if shown.menu:
            self.print("    menu: " + " / ".join(" | ".join(row) for row in shown.menu))
        if shown.markup is not None:
            number = 0
            for row in shown.markup.inline_keyboard:
                labels = []
                for key in row:
                    number += 1
                    labels.append(f"[{number}] {key.text}")
                self.print("    " + "  ".join(labels))

    def print(self, text: str) -> None:
        print(text, file=self.out, flush=True)

    async def handle(self, line: str) -> bool:
        line = line.strip()
        if not line or line.startswith("//"):
            return True
        if self.last_code:
            line = line.replace("$code", self.last_code)
        if self.echo:
            self.print(f"{self.current.first_name}: {line}")
        if line in ("!quit", "!exit"):
            return False
        if line == "!help":
            self.print(HELP)
        elif line.startswith("@"):
            name = line[1:].strip() or "admin"
            self.current = self.sandbox.person(name)
            self.print(f"  (you are now {name}, Telegram id {self.current.telegram_id})")
        elif line.startswith("#"):
            try:
                await self.current.press(int(line[1:]))
            except (ValueError, LookupError) as exc:
                self.print(f"  (cannot press {line}: {exc})")
        elif line.startswith("!group "):
            await self.current.send(line[len("!group ") :], chat_id=GROUP_CHAT_ID, chat_type="supergroup")
        elif line.startswith("!file "):
            await self.send_file(line[len("!file ") :].strip())
        elif line.startswith("!invite"):
            await self.bootstrap_invite(line)
        elif line == "!tick":
            await self.run_periodic(everything=True)
        elif line.startswith("!wait"):
            await self.wait(line[len("!wait") :].strip())
        else:
            await self.current.send(line)
        await self.run_periodic()
        return True

    async def run_periodic(self, everything: bool = False) -> None:
        for job in self.app.periodic:
            if everything or job.in_console:
                await job.run()

    async def wait(self, text: str) -> None:
        span = parse_duration(text) if text else None
        clock = self.app.clock
        if span is None or not timedelta(0) < span <= MAX_WAIT:
            self.print("  usage: !wait 30m | 2h | 1d | 1d2h  (up to 60 days)")
            return
        if not isinstance(clock, OffsetClock):
            self.print("  (this sandbox's clock cannot be moved)")
            return
        left = span
        while left > timedelta(0):
            step = min(left, WAIT_STEP)
            clock.advance(step)
            left -= step
            await self.run_periodic(everything=True)
        tz = self.app.settings.timezone
        self.print(f"  (time is now {when(clock.now(), tz, self.app.settings.default_language)}, {tz})")

    async def send_file(self, name: str) -> None:
        path = Path(name)
        try:
            data = await asyncio.to_thread(path.read_bytes)
        except OSError:
            self.print(f"  (no such file: {name})")
            return
        await self.current.send_document(path.name, data)

    async def bootstrap_invite(self, line: str) -> None:
        parts = shlex.split(line)[1:]
        if len(parts) < 2 or parts[0] not in {r.value for r in Role}:
            self.print("  usage: !invite admin|manager|rep|finance TEAM NAME")
            return
        clock = self.app.clock
        async with self.app.uow() as uow:
            try:
                team = await onboarding.ensure_team(
                    uow, name=" ".join(parts[1:]), timezone=self.app.settings.timezone, now=clock.now()
                )
                assert team.id is not None
                code, _ = await onboarding.create_invite(uow, actor=None, role=Role(parts[0]), team_id=team.id, now=clock.now())
            except DomainError as error:
                self.print(f"  (cannot: {error.code})")
                return
            await uow.commit()
        self.last_code = code
        self.print(f"  (invite for a {parts[0]} of {team.name}: /start {code}  — or type /start $code)")


def strip_html(text: str) -> str:
    text = re.sub(r"</?(b|i|u|s|code|pre|a)( [^>]*)?>", "", text)
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


async def run_console(
    settings: Settings, stdin: TextIO | None = None, out: TextIO | None = None, clock: OffsetClock | None = None
) -> int:
    session = RecordingSession()
    # A piped demo types faster than any thumb: no throttling in the sandbox. The clock is the
    # system's plus whatever `!wait` added.
    app = build_app(
        settings.model_copy(update={"throttle_per_second": 1000.0}), session=session, clock=clock or OffsetClock()
    )
    await prepare(app)
    stdin = stdin or sys.stdin
    interactive = stdin.isatty()
    console = Console(app, session, out or sys.stdout, echo=not interactive)
    if interactive:
        console.print("Console sandbox. Type !help for commands, !quit to leave. You are 'admin'.")
    loop = asyncio.get_running_loop()
    try:
        while True:
            if interactive:
                print(f"{console.current.first_name}> ", end="", flush=True, file=console.out)
            line = await loop.run_in_executor(None, stdin.readline)
            if not line:
                break
            if not await console.handle(line):
                break
    finally:
        await app.close()
    return 0
