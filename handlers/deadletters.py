"""/deadletters: an admin sees the notifications delivery gave up on, and sends them again."""

from __future__ import annotations

import enum
from typing import Protocol

from aiogram import F
from aiogram.filters import Command
from aiogram.filters.callback_data import CallbackData
from aiogram.types import CallbackQuery, InlineKeyboardMarkup, Message

from bot.callbacks import Id, Page
from bot.formatting import Html, h, when
from bot.i18n import Translate
from bot.keyboards import button, grid, keyboard
from bot.longtext import preview
from bot.routing import Routes
from domain.clock import Clock
from domain.outbox import services as delivery
from domain.outbox.model import DeadLetter
from domain.outbox.ports import DeadLetterWork
from domain.team.model import Language, User
from domain.team.ports import TeamsWork
from domain.team.queries import own_team
from handlers.common import show

routes = Routes(__name__)

REASONS = {
    "server": "deadletters-reason-server",
    "network": "deadletters-reason-network",
    "timeout": "deadletters-reason-timeout",
    "rejected": "deadletters-reason-rejected",
}


class DeadLetterDesk(DeadLetterWork, TeamsWork, Protocol):
    """What /deadletters works with: the dead letters, the audit trail, the admin's own team (its time zone)."""


class DeadLetterAction(enum.StrEnum):
    # The values are what buttons already sent carry: they stay, so those buttons keep working.
    LIST = "list"  # a page of them
    RETRY = "retry"  # one of them
    ASK_RETRY_ALL = "ask_all"
    RETRY_ALL = "all"  # confirmed


class DeadLetterCb(CallbackData, prefix="dead"):
    action: DeadLetterAction
    notification_id: Id = 0
    page: Page = 0


def reason(t: Translate, last_error: str | None) -> str:
    category, _, detail = (last_error or "").partition(": ")
    label = t(REASONS.get(category, "deadletters-reason-unexpected"))
    detail = detail or last_error or ""
    return Html(f"{label} ({h(detail[:120])})") if detail else label


def recipient(t: Translate, letter: DeadLetter) -> str:
    if letter.recipient_name:
        return h(letter.recipient_name)
    if letter.chat_id < 0 and letter.team_name:
        return t("deadletters-to-group", team=h(letter.team_name))
    return t("deadletters-to-chat", chat=str(letter.chat_id))


def dead_letters_screen(
    t: Translate, lang: Language, tz: str, result: delivery.DeadLetterPage, note: str | None = None
) -> tuple[str, InlineKeyboardMarkup | None]:
    head = [note, ""] if note else []
    if result.total == 0:
        return "\n".join([*head, t("deadletters-empty")]), None
    lines = [*head, t("deadletters-title", total=result.total)]
    if result.pages > 1:
        lines.append(t("deadletters-page", page=result.page + 1, pages=result.pages))
    for letter in result.items:
        lines.append("")
        lines.append(
            t(
                "deadletters-line", id=letter.id, recipient=recipient(t, letter), when=when(letter.failed_at, tz, lang),
                reason=reason(t, letter.last_error), attempts=letter.attempts, preview=h(preview(letter.text)),
            )
        )
    lines.extend(["", t("deadletters-hint")])
    retry = [
        button(
            t("deadletters-btn-retry", id=letter.id),
            DeadLetterCb(action=DeadLetterAction.RETRY, notification_id=letter.id, page=result.page),
        )
        for letter in result.items
    ]
    paging = []
    if result.page > 0:
        paging.append(button(t("btn-prev"), DeadLetterCb(action=DeadLetterAction.LIST, page=result.page - 1)))
    if result.page < result.pages - 1:
        paging.append(button(t("btn-next"), DeadLetterCb(action=DeadLetterAction.LIST, page=result.page + 1)))
    rows = [[button(t("deadletters-btn-retry-all"), DeadLetterCb(action=DeadLetterAction.ASK_RETRY_ALL, page=result.page))]]
    if paging:
        rows.append(paging)
    return "\n".join(lines), grid(retry, t, extra_rows=rows)


async def send_page(
    event: Message | CallbackQuery, user: User, uow: DeadLetterDesk, t: Translate, lang: Language, page: int,
    note: str | None = None,
) -> None:
    result = await delivery.list_dead_letters(uow, actor=user, page=page)
    team = await own_team(uow, user)
    text, markup = dead_letters_screen(t, lang, team.timezone, result, note)
    await show(event, text, markup)


@routes.message(Command("deadletters"))
async def cmd_deadletters(message: Message, user: User, uow: DeadLetterDesk, t: Translate, lang: Language) -> None:
    await send_page(message, user, uow, t, lang, 0)


@routes.callback_query(DeadLetterCb.filter(F.action == DeadLetterAction.LIST))
async def on_page(
    query: CallbackQuery, callback_data: DeadLetterCb, user: User, uow: DeadLetterDesk, t: Translate,
    lang: Language,
) -> None:
    await send_page(query, user, uow, t, lang, callback_data.page)


@routes.callback_query(DeadLetterCb.filter(F.action == DeadLetterAction.RETRY))
async def on_retry(
    query: CallbackQuery, callback_data: DeadLetterCb, user: User, uow: DeadLetterDesk, t: Translate,
    lang: Language, clock: Clock,
) -> None:
    await delivery.retry_dead_letter(uow, actor=user, notification_id=callback_data.notification_id, now=clock.now())
    note = t("deadletters-retried", id=callback_data.notification_id)
    await send_page(query, user, uow, t, lang, callback_data.page, note=note)


@routes.callback_query(DeadLetterCb.filter(F.action == DeadLetterAction.ASK_RETRY_ALL))
async def on_ask_retry_all(
    query: CallbackQuery, callback_data: DeadLetterCb, user: User, uow: DeadLetterWork, t: Translate
) -> None:
    result = await delivery.list_dead_letters(uow, actor=user, page=0)
    if result.total == 0:
        await query.answer(t("deadletters-none-left"), show_alert=True)
        return
    await show(
        query, t("deadletters-confirm-all", total=result.total),
        keyboard(
            [button(
                t("deadletters-btn-confirm-all"),
                DeadLetterCb(action=DeadLetterAction.RETRY_ALL, page=callback_data.page),
            )],
            [button(t("btn-back"), DeadLetterCb(action=DeadLetterAction.LIST, page=callback_data.page))],
        ),
    )


@routes.callback_query(DeadLetterCb.filter(F.action == DeadLetterAction.RETRY_ALL))
async def on_retry_all(
    query: CallbackQuery, user: User, uow: DeadLetterDesk, t: Translate, lang: Language, clock: Clock
) -> None:
    count = await delivery.retry_all_dead_letters(uow, actor=user, now=clock.now())
    await send_page(query, user, uow, t, lang, 0, note=t("deadletters-retried-all", count=count))
