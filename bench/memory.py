"""Idle memory: `python -m bot run` polling a (fake, local) Bot API server with nothing to do, against
a bare aiogram 3 process doing the same (a Dispatcher with one handler, polling).

    .venv/bin/python bench/memory.py [--idle 5]

Both processes run against tests/fakeapi.py on 127.0.0.1 (no Telegram), the bot on a fresh SQLite
database (migrated first, as `make run` does). Once a process has polled (getUpdates) it is left idle
for --idle seconds, then its resident set (VmRSS, /proc) is read. Printed: both, and the difference
(target: the bot within bare aiogram + 60 MB), and which of the heavy optional modules the bot's
process imported (it should import only what its mode needs: no console, no HTTP server or charting).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.fakeapi import FakeBotApi  # noqa: E402
from tests.outbox_support import TOKEN  # noqa: E402

BARE = f"""
import asyncio, sys
from aiogram import Bot, Dispatcher, Router
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.client.telegram import TelegramAPIServer
from aiogram.types import Message

router = Router()

@router.message()
async def echo(message: Message) -> None:
    await message.answer(message.text or "")

async def main() -> None:
    bot = Bot({TOKEN!r}, session=AiohttpSession(api=TelegramAPIServer.from_base(sys.argv[1])))
    dp = Dispatcher()
    dp.include_router(router)
    await dp.start_polling(bot, handle_signals=True)

asyncio.run(main())
"""

# Imported only by the modes that need them; the idle bot should have none of them loaded.
OPTIONAL = ("bot.console", "aiohttp.web", "matplotlib", "PIL", "redis", "IPython", "hypothesis", "pytest", "alembic",
            "openpyxl", "numpy", "reportlab")


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError("no VmRSS")


async def polled(api: FakeBotApi, since: int, proc: asyncio.subprocess.Process, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while sum(1 for _, method in api.calls[since:] if method.lower() == "getupdates") == 0:
        if proc.returncode is not None:
            err = await proc.stderr.read() if proc.stderr else b""
            raise RuntimeError(f"the process ended: {err.decode()[-2000:]}")
        if time.monotonic() > deadline:
            raise RuntimeError("the process never polled")
        await asyncio.sleep(0.1)


def native_packages(pid: int) -> set[str]:
    """The packages whose compiled extensions the running process has mapped (what it really imported)."""
    found = set()
    for line in Path(f"/proc/{pid}/maps").read_text().splitlines():
        path = line.split()[-1]
        if "site-packages/" in path and (path.endswith(".so") or ".so." in path):
            found.add(path.split("site-packages/", 1)[1].split("/", 1)[0].split(".")[0])
    return found


LIBS: dict[int, set[str]] = {}


async def measure(api: FakeBotApi, args: list[str], env: dict[str, str], idle: float, cwd: Path) -> float:
    since = len(api.calls)
    proc = await asyncio.create_subprocess_exec(
        sys.executable, *args, cwd=cwd, env=env, stdout=asyncio.subprocess.DEVNULL, stderr=asyncio.subprocess.PIPE,
    )
    try:
        await polled(api, since, proc, 300)
        await asyncio.sleep(idle)
        LIBS[proc.pid] = native_packages(proc.pid)
        return rss_mb(proc.pid)
    finally:
        if proc.returncode is None:
            proc.terminate()
            try:
                await asyncio.wait_for(proc.wait(), 30)
            except TimeoutError:
                proc.kill()
                await proc.wait()


async def main(idle: float) -> int:
    tmp = Path(tempfile.mkdtemp(prefix="memory-bench-"))
    async with FakeBotApi(TOKEN) as api:
        env = {k: v for k, v in os.environ.items() if k not in ("REDIS_URL", "DATABASE_URL", "BOT_USERNAME")}
        env.update(
            BOT_TOKEN=TOKEN, TELEGRAM_API_BASE=api.base, DATABASE_URL=f"sqlite:///{tmp / 'bot.db'}",
            PYTHONPATH=str(ROOT), LOG_LEVEL="WARNING",
        )
        migrate = await asyncio.create_subprocess_exec(sys.executable, "-m", "bot", "migrate", cwd=tmp, env=env)
        await migrate.wait()
        bare_script = tmp / "bare.py"
        bare_script.write_text(BARE)
        bare = await measure(api, [str(bare_script), api.base], env, idle, tmp)
        loaded = tmp / "modules.txt"
        app = await measure(api, ["-m", "bot", "run"], env, idle, tmp)
        check = await asyncio.create_subprocess_exec(
            sys.executable, "-c",
            "import sys; import bot.__main__, bot.runner, bot.factory; "
            f"open({str(loaded)!r}, 'w').write('\\n'.join(sorted(sys.modules)))",
            cwd=ROOT, env=env,
        )
        await check.wait()
    modules = set(loaded.read_text().split()) if loaded.exists() else set()
    heavy = [m for m in OPTIONAL if m in modules]
    print(f"idle RSS after polling, {idle:g} s idle, on this machine ({os.cpu_count()} CPUs):")
    print(f"  bare aiogram 3 process: {bare:6.1f} MB")
    print(f"  python -m bot run:      {app:6.1f} MB  (+{app - bare:.1f} MB over bare; target +60 MB)")
    print(f"  optional modules the run mode imports: {', '.join(heavy) or 'none'}")
    bare_libs, app_libs = list(LIBS.values())[:2]
    print(f"  compiled packages only the bot's process mapped: {', '.join(sorted(app_libs - bare_libs)) or 'none'}")
    return 0


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--idle", type=float, default=5.0)
    sys.exit(asyncio.run(main(parser.parse_args().idle)))
