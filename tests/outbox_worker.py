"""A dispatcher in a process of its own, for the crash test: `python -m tests.outbox_worker DB API`.

It drains the outbox with the caps given on the command line and exits; the test kills it midway.
"""

from __future__ import annotations

import asyncio
import sys

from bot.factory import build_app
from bot.outbox import Limits, OutboxDispatcher, Window
from tests.outbox_support import settings_for


async def main(db_url: str, api_base: str, overall: int, private: int, lease: float) -> None:
    app = build_app(settings_for(db_url, api_base))
    limits = Limits(overall=Window(overall, 1.0), private=Window(private, 1.0), group=Window(20, 60.0))
    outbox = OutboxDispatcher(app, limits=limits, lease_seconds=lease, owner="worker")
    print("STARTED", flush=True)
    try:
        await outbox.run_once()
    finally:
        await app.close()


if __name__ == "__main__":
    db, api, overall, private, lease = sys.argv[1:6]
    asyncio.run(main(db, api, int(overall), int(private), float(lease)))
