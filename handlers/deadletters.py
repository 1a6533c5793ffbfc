"""/deadletters: an admin sees the notifications delivery gave up on, and sends them again."""

from __future__ import annotations

from aiogram import F
from aiogram.filters import Command
from aiogram.filters.callback_data import CallbackData
from aiogram.types import CallbackQuery, InlineKeyboardMarkup, Message

from bot.formatting import h, when
from bot.i18n import Translate
from bot.keyboards import button, grid, keyboard
from bot.longtext import preview
from bot.routing import Routes
from domain.clock import Clock
from domain.errors import DomainError
from domain.outbox import services as delivery
from domain.outbox.model import DeadLetter
from domain.team.model import Language, User
from handlers.common import refuse, show
from storage.uow import SqlUnitOfWork

routes = Routes(__name__)

REASONS = {
    "server": "deadletters-reason-server",
    "network": "deadletters-reason-network",
    "timeout": "deadletters-reason-timeout",
    "rejected": "deadletters-reason-rejected",
}


class DeadCb(CallbackData, prefix="dead"):
    action: str  # list | retry | ask_all | all
    id: int = 0
    page: int = 0


def reason(t: Translate, last_error: str | None) -> str:
    category, _, detail = (last_error or "").partition(": ")
    label = t(REASONS.get(category, "deadletters-reason-unexpected"))
    detail = detail or last_error or ""
    return f"{label} ({h(detail[:120])})" if detail else label


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
        button(t("deadletters-btn-retry", id=letter.id), DeadCb(action="retry", id=letter.id, page=result.page))
        for letter in result.items
    ]
    paging = []
    if result.page > 0:
        paging.append(button(t("btn-prev"), DeadCb(action="list", page=result.page - 1)))
    if result.page < result.pages - 1:
        paging.append(button(t("btn-next"), DeadCb(action="list", page=result.page + 1)))
    rows = [[button(t("deadletters-btn-retry-all"), DeadCb(action="ask_all", page=result.page))]]
    if paging:
        rows.append(paging)
    return "\n".join(lines), grid(retry, t, extra_rows=rows)


async def send_page(
    event: Message | CallbackQuery, user: User, uow: SqlUnitOfWork, t: Translate, lang: Language, page: int,
    note: str | None = None,
) -> None:
    try:
        result = await delivery.list_dead_letters(uow, actor=user, page=page)
    except DomainError as error:
        await refuse(event, t, error)
        return
    team = await uow.teams.get(user.team_id)
    tz = team.timezone if team else "Asia/Shanghai"
    text, markup = dead_letters_screen(t, lang, tz, result, note)
    await show(event, text, markup)


@routes.message(Command("deadletters"))
async def cmd_deadletters(message: Message, user: User, uow: SqlUnitOfWork, t: Translate, lang: Language) -> None:
    await send_page(message, user, uow, t, lang, 0)


@routes.callback_query(DeadCb.filter(F.action == "list"))
async def on_page(
    query: CallbackQuery, callback_data: DeadCb, user: User, uow: SqlUnitOfWork, t: Translate, lang: Language
) -> None:
    await send_page(query, user, uow, t, lang, callback_data.page)


@routes.callback_query(DeadCb.filter(F.action == "retry"))
async def on_retry(
    query: CallbackQuery, callback_data: DeadCb, user: User, uow: SqlUnitOfWork, t: Translate, lang: Language,
    clock: Clock,
) -> None:
    try:
        await delivery.retry_dead_letter(uow, actor=user, notification_id=callback_data.id, now=clock.now())
    except DomainError as error:
        await refuse(query, t, error)
        return
    await send_page(query, user, uow, t, lang, callback_data.page, note=t("deadletters-retried", id=callback_data.id))


@routes.callback_query(DeadCb.filter(F.action == "ask_all"))
async def on_ask_retry_all(
    query: CallbackQuery, callback_data: DeadCb, user: User, uow: SqlUnitOfWork, t: Translate
) -> None:
    try:
        result = await delivery.list_dead_letters(uow, actor=user, page=0)
    except DomainError as error:
        await refuse(query, t, error)
        return
    if result.total == 0:
        await query.answer(t("deadletters-none-left"), show_alert=True)
        return
    await show(
        query, t("deadletters-confirm-all", total=result.total),
        keyboard(
            [button(t("deadletters-btn-confirm-all"), DeadCb(action="all", page=callback_data.page))],
            [button(t("btn-back"), DeadCb(action="list", page=callback_data.page))],
        ),
    )


@routes.callback_query(DeadCb.filter(F.action == "all"))
async def on_retry_all(
    query: CallbackQuery, user: User, uow: SqlUnitOfWork, t: Translate, lang: Language, clock: Clock
) -> None:
    try:
        count = await delivery.retry_all_dead_letters(uow, actor=user, now=clock.now())
    except DomainError as error:
        await refuse(query, t, error)
        return
    await send_page(query, user, uow, t, lang, 0, note=t("deadletters-retried-all", count=count))
