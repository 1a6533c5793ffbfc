"""A rep claiming a pool deal in a process of its own, for the two-instance claim test:
`python -m tests.pool_worker DB_URL USER_ID DEAL_ID`. Prints CLAIMED, or the code of the refusal."""

from __future__ import annotations

import asyncio
import sys

from bot.config import Settings
from bot.factory import build_app
from bot.sandbox import RecordingSession
from domain.errors import DomainError
from domain.pool import services as pool_service


async def main(db_url: str, user_id: int, deal_id: int) -> None:
    settings = Settings(_env_file=None, database_url=db_url, bot_token=None, redis_url=None)  # type: ignore[call-arg]
    app = build_app(settings, session=RecordingSession())
    try:
        async with app.uow() as uow:
            rep = await uow.users.get(user_id)
            assert rep is not None
            print("STARTED", flush=True)
            try:
                await pool_service.claim_from_pool(uow, actor=rep, opportunity_id=deal_id, now=app.clock.now())
                await uow.commit()
                print("CLAIMED", flush=True)
            except DomainError as error:
                print(error.code, flush=True)
    finally:
        await app.close()


if __name__ == "__main__":
    db, user, deal = sys.argv[1:4]
    asyncio.run(main(db, int(user), int(deal)))
