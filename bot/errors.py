"""How the bot says no, and the last line of defence.

Refusals. A domain service that refuses raises a DomainError (its `code` is a catalogue key, its
`params` the message's arguments). Handlers do not catch it: they let it escape, and the unit-of-work
middleware (bot/middlewares.py, UnitOfWorkMiddleware) then
  1. rolls back the update's transaction, so the refused update leaves nothing behind: no half-written
     rows, and no FSM change either, since the database FSM storage writes through the same session
     (bot/fsm_storage.py; with Redis FSM state, set with REDIS_URL, FSM writes are not rolled back);
  2. answers in the user's language: an alert for a button press, a message otherwise;
  3. still records the update_id as processed and commits that, so a redelivered update is not refused
     (or acted on) twice.
A handler that wants the refusal told with something more raises a `Refusal` from the DomainError:
  - `hint="key"`: a second paragraph after the reason (e.g. how to join, after a bad invite link);
  - `leave_flow=True`: the conversation ends too (its state is cleared after the rollback).
`refusing(...)` does that for the block it wraps:

    with refusing(leave_flow=True):
        code, invite = await onboarding.create_invite(uow, ...)

Only code that must answer a refusal in its own way (e.g. re-ask the step of a flow) catches the
DomainError itself, and then nothing is rolled back unless it says so.

Bugs. Any other exception reaches `make_error_handler`'s handler: the person gets an apology with an
error id, the log the traceback.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Iterator
from contextlib import contextmanager

from aiogram.exceptions import TelegramAPIError
from aiogram.types import ErrorEvent, Update

from bot.i18n import Catalogue, Translate
from domain.errors import DomainError
from domain.team.model import Language

log = logging.getLogger("bot.errors")


class Refusal(Exception):
    """A DomainError as the chat tells it: with a hint after the reason, and/or ending the open flow."""

    def __init__(self, error: DomainError, *, hint: str | None = None, leave_flow: bool = False) -> None:
        super().__init__(error.code)
        self.error = error
        self.hint = hint
        self.leave_flow = leave_flow

    @classmethod
    def of(cls, exc: DomainError | Refusal) -> Refusal:
        return exc if isinstance(exc, Refusal) else cls(exc)

    def text(self, t: Translate) -> str:
        reason = t(self.error.code, **{k: str(v) for k, v in self.error.params.items()})
        return f"{reason}\n\n{t(self.hint)}" if self.hint else reason


@contextmanager
def refusing(*, hint: str | None = None, leave_flow: bool = False) -> Iterator[None]:
    """A DomainError raised in the block becomes a Refusal with this hint / leave_flow."""
    try:
        yield
    except DomainError as error:
        raise Refusal(error, hint=hint, leave_flow=leave_flow) from error


async def tell_refusal(update: Update, text: str) -> None:
    """An alert on the pressed button, or a message in the chat the update came from."""
    if update.callback_query is not None:
        await update.callback_query.answer(text, show_alert=True)
    elif update.message is not None:
        await update.message.answer(text)
    else:
        log.info("update %s refused with nobody to tell: %s", update.update_id, text)


def make_error_handler(catalogue: Catalogue, default: Language):  # type: ignore[no-untyped-def]
    async def on_error(event: ErrorEvent) -> bool:
        error_id = uuid.uuid4().hex[:8]
        log.error("error %s while handling update %s", error_id, event.update.update_id, exc_info=event.exception)
        update = event.update
        tg_user = None
        chat_id = None
        if update.message is not None:
            tg_user, chat_id = update.message.from_user, update.message.chat.id
        elif update.callback_query is not None:
            tg_user = update.callback_query.from_user
            if update.callback_query.message is not None:
                chat_id = update.callback_query.message.chat.id
        lang = Language.pick(tg_user.language_code if tg_user else None, default=default)
        text = catalogue.get(lang, "error-internal", error_id=error_id)
        try:
            if update.callback_query is not None:
                await update.callback_query.answer(text, show_alert=True)
            elif chat_id is not None and update.message is not None:
                await update.message.answer(text)
        except TelegramAPIError:
            log.warning("could not tell the user about error %s", error_id)
        return True

    return on_error
