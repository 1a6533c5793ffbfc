"""The last line of defence: the person gets an apology with an error id, the log the traceback."""

from __future__ import annotations

import logging
import uuid

from aiogram.exceptions import TelegramAPIError
from aiogram.types import ErrorEvent

from bot.i18n import Catalogue
from domain.team.model import Language

log = logging.getLogger("bot.errors")


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
