"""/find <words>: the person's visible deals whose customer, contact, phone, title or follow-up notes
match (Chinese substrings and phone fragments too), as buttons that open the deal card. The card checks
access again on the press, so a forged button shows nothing."""

from __future__ import annotations

from aiogram import F
from aiogram.filters import Command, CommandObject
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import InlineKeyboardMarkup, Message

from bot.formatting import h
from bot.i18n import Translate
from bot.keyboards import button, grid
from bot.routing import Routes
from domain.followup import search as service
from domain.followup.rules import SearchHit
from domain.ports import UnitOfWork
from domain.team.model import User
from handlers.pipeline_ui import DealCb, deal_name, stage_name

routes = Routes(__name__)
LIMIT = 10


class FindDeal(StatesGroup):
    entering_query = State()


def results_screen(t: Translate, query: str, hits: list[SearchHit]) -> tuple[str, InlineKeyboardMarkup | None]:
    if not hits:
        return t("find-none", query=h(query)), None
    lines = [t("find-found", query=h(query), count=len(hits))]
    buttons = []
    for number, hit in enumerate(hits, start=1):
        stage = stage_name(t, hit.stage) if hit.stage is not None else ""
        lines.append("")
        lines.append(t("find-line", n=number, deal=deal_name(hit.company, hit.title), stage=stage))
        if hit.snippet:
            lines.append(t("find-matched", where=t(f"find-kind-{hit.kind}"), text=h(hit.snippet)))
        label = f"{number}. {hit.company}" + (f" · {stage}" if stage else "")
        buttons.append(button(label, DealCb(act="open", id=hit.opportunity_id)))
    if len(hits) >= LIMIT:
        lines.extend(["", t("find-more", count=LIMIT)])
    return "\n".join(lines), grid(buttons, per_row=1, cancel=False)


async def answer(message: Message, user: User, uow: UnitOfWork, t: Translate, query: str) -> None:
    hits = await service.search(uow, viewer=user, query=query, limit=LIMIT)
    text, markup = results_screen(t, query, hits)
    await message.answer(text, reply_markup=markup)


@routes.message(Command("find"), F.chat.type == "private")
async def cmd_find(
    message: Message, command: CommandObject, user: User, uow: UnitOfWork, state: FSMContext, t: Translate
) -> None:
    await state.clear()
    query = (command.args or "").strip()
    if not query:
        await state.set_state(FindDeal.entering_query)
        await message.answer(t("find-ask"), reply_markup=grid([], t))
        return
    await answer(message, user, uow, t, query)


@routes.message(FindDeal.entering_query, F.text, ~F.text.startswith("/"))
async def on_query_typed(message: Message, user: User, uow: UnitOfWork, state: FSMContext, t: Translate) -> None:
    await state.clear()
    await answer(message, user, uow, t, (message.text or "").strip())


@routes.message(FindDeal.entering_query, ~F.text.startswith("/"))
async def on_query_unexpected(message: Message, t: Translate) -> None:
    await message.answer(t("find-expect-words"), reply_markup=grid([], t))
