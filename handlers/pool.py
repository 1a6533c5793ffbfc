"""/pool: the team's public pool (公海) — deals without an owner, paged, each claimable with one tap.
The service decides who may claim what (the limit, the cool-off, already taken); this shows and asks."""

from __future__ import annotations

from aiogram import F
from aiogram.filters import Command
from aiogram.types import CallbackQuery, InlineKeyboardMarkup, Message

from bot.formatting import date_only
from bot.i18n import Translate
from bot.keyboards import button, grid
from bot.render import register_action
from bot.routing import Routes
from domain.clock import Clock
from domain.deals import queries as deal_queries
from domain.deals.model import DealPage
from domain.errors import DomainError
from domain.outbox.kinds import Family
from domain.pool import services as pool_service
from domain.ports import UnitOfWork
from domain.team.model import Language, User
from handlers.common import refuse, show
from handlers.pipeline_ui import (
    DealAct,
    DealCb,
    PoolAct,
    PoolCb,
    amount_text,
    deal_name,
    stage_name,
    team_of,
)

routes = Routes(__name__)
PER_PAGE = 8

register_action("pool.claim", "btn-claim", lambda action: PoolCb(act=PoolAct.CLAIM, id=action.id))
register_action(Family.POOL.value.action, "outbox-digest-btn-pool", lambda action: PoolCb(act=PoolAct.PAGE))


def pool_screen(
    t: Translate, lang: Language, tz: str, page_no: int, page: DealPage, done: str = ""
) -> tuple[str, InlineKeyboardMarkup]:
    pages = max(1, (page.total + PER_PAGE - 1) // PER_PAGE)
    lines = [done, ""] if done else []
    lines.append(t("pool-title", total=page.total))
    if pages > 1:
        lines.append(t("pool-page", page=page_no + 1, pages=pages))
    lines.append("")
    lines.append(t("pool-hint") if page.items else t("pool-empty"))
    buttons = []
    for number, item in enumerate(page.items, start=page_no * PER_PAGE + 1):
        line = t(
            "pool-line", n=number, name=deal_name(item.company, item.title), stage=stage_name(t, item.stage),
            amount=amount_text(t, item.amount),
        )
        if item.score is not None:
            line += t("pool-line-score", score=item.score)
        if item.pooled_at is not None:
            line += t("pool-line-since", at=date_only(item.pooled_at, tz, lang))
        if item.recycled:
            line += t("pool-line-recycled")
        lines.append(line)
        claim = PoolCb(act=PoolAct.CLAIM, id=item.id, page=page_no)
        buttons.append(button(t("pool-btn-claim", n=number, company=item.company), claim))
    paging = []
    if page_no > 0:
        paging.append(button(t("btn-prev"), PoolCb(act=PoolAct.PAGE, page=page_no - 1)))
    if page_no < pages - 1:
        paging.append(button(t("btn-next"), PoolCb(act=PoolAct.PAGE, page=page_no + 1)))
    return "\n".join(lines), grid(buttons, per_row=1, extra_rows=[paging] if paging else ())


async def show_pool(
    event: Message | CallbackQuery, user: User, uow: UnitOfWork, t: Translate, lang: Language, clock: Clock,
    page_no: int, done: str = "", claimed: int = 0,
) -> None:
    page_no = max(page_no, 0)
    try:
        page = await pool_service.list_pool(uow, viewer=user, page=page_no, per_page=PER_PAGE, now=clock.now())
        last = max(0, (page.total - 1) // PER_PAGE)
        if page_no > last:  # the pool shrank since the button was drawn
            page_no = last
            page = await pool_service.list_pool(uow, viewer=user, page=page_no, per_page=PER_PAGE, now=clock.now())
    except DomainError as error:
        await refuse(event, t, error)
        return
    team = await team_of(uow, user.team_id)
    text, markup = pool_screen(t, lang, team.timezone, page_no, page, done)
    if claimed:
        markup.inline_keyboard.insert(0, [button(t("btn-open-deal"), DealCb(act=DealAct.OPEN, id=claimed))])
    await show(event, text, markup)


@routes.message(Command("pool"), F.chat.type == "private")
async def cmd_pool(
    message: Message, user: User, uow: UnitOfWork, t: Translate, lang: Language, clock: Clock
) -> None:
    await show_pool(message, user, uow, t, lang, clock, 0)


@routes.callback_query(PoolCb.filter(F.act == PoolAct.PAGE))
async def on_pool_page(
    query: CallbackQuery, callback_data: PoolCb, user: User, uow: UnitOfWork, t: Translate, lang: Language,
    clock: Clock,
) -> None:
    await show_pool(query, user, uow, t, lang, clock, callback_data.page)


@routes.callback_query(PoolCb.filter(F.act == PoolAct.CLAIM))
async def on_claim(
    query: CallbackQuery, callback_data: PoolCb, user: User, uow: UnitOfWork, t: Translate, lang: Language,
    clock: Clock,
) -> None:
    await pool_service.claim_from_pool(uow, actor=user, opportunity_id=callback_data.id, now=clock.now())
    card = await deal_queries.deal_card(uow, viewer=user, opportunity_id=callback_data.id)
    done = t("pool-done-claimed", name=deal_name(card.lead.company, card.opportunity.title))
    await show_pool(query, user, uow, t, lang, clock, callback_data.page, done, claimed=callback_data.id)
