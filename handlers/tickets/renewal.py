"""The second sale in chat (二次销售): a won deal's renewal date from its card (one tap for a year on, or
typed), and the one tap on the re-engagement nudge that opens a new opportunity for the same customer."""

from __future__ import annotations

from datetime import date

from aiogram import Bot, F
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery

from bot.formatting import h
from bot.i18n import Translate
from bot.render import register_action
from bot.routing import Routes
from domain.clock import Clock
from domain.deals import queries as deal_queries
from domain.ports import UnitOfWork
from domain.renewals import services as renewals
from domain.team.model import Language, User
from domain.worktime import local
from handlers.deals import View, card_markup, card_text, show_card
from handlers.flow import Alert, Answers, Ctx, Done, Flow, Rows, Step, Transition, typed
from handlers.pipeline_ui import DealAct, DealCb, DealScope
from handlers.tickets.common import RenewalAct, RenewalCb

routes = Routes(__name__)
YEAR_ON = "1y"

register_action(renewals.ACTION_REOPEN, "renewal-btn-reopen", lambda a: RenewalCb(act=RenewalAct.REOPEN, id=a.id))


async def renewal_screen(ctx: Ctx) -> str:
    found = await renewals.renewal_of(ctx.uow, viewer=ctx.user, deal_id=int(ctx.data["deal"]))
    now = ctx.t("renewal-now", on=found.renew_on.isoformat()) if found else ctx.t("renewal-none")
    days = (await ctx.uow.tickets.policy(ctx.user.team_id)).renewal_days
    return ctx.t("renewal-ask", company=h(str(ctx.data.get("company") or "")), now=now, days=days)


def renewal_keyboard(ctx: Ctx) -> Rows:
    return [[ctx.button(ctx.t("renewal-btn-year"), YEAR_ON)]]


async def _saved(ctx: Ctx, on: date) -> Transition:
    deal_id = int(ctx.data["deal"])
    renewal = await renewals.set_renewal(ctx.uow, actor=ctx.user, deal_id=deal_id, on=on, now=ctx.clock.now())
    card = await deal_queries.deal_card(ctx.uow, viewer=ctx.user, opportunity_id=deal_id)
    days = (await ctx.uow.tickets.policy(card.opportunity.team_id)).renewal_days
    note = ctx.t("renewal-done", on=renewal.renew_on.isoformat(), days=days)
    return Done(f"{note}\n\n{card_text(ctx.t, ctx.lang, card)}", card_markup(ctx.t, card, View.showing(DealScope.MINE)))


async def on_year(ctx: Ctx, value: str) -> Transition:
    if value != YEAR_ON:
        return Alert(ctx.t("stale-button"))
    team = await ctx.uow.teams.get(ctx.user.team_id)
    today = local(ctx.clock.now(), team.timezone if team else "Asia/Shanghai").date()
    return await _saved(ctx, renewals.one_year_on(today))


async def on_typed(ctx: Ctx, answers: Answers) -> Transition:
    return await _saved(ctx, answers["on"])


RENEWAL = Flow(
    "renew",
    (
        Step("on", "renewal-ask", ("on",), parse=typed("on", renewals.read_date), keyboard=renewal_keyboard,
             pick=on_year, accept=on_typed, expect="renewal-expect",
             back=lambda ctx: DealCb(act=DealAct.OPEN, id=int(ctx.data.get("deal") or 0))),
    ),
    screen=renewal_screen, plan=("on",),
)
RENEWAL.install(routes)


@routes.callback_query(RenewalCb.filter(F.act == RenewalAct.SET))
async def on_set(
    query: CallbackQuery, callback_data: RenewalCb, state: FSMContext, bot: Bot, t: Translate, lang: Language,
    uow: UnitOfWork, user: User, clock: Clock,
) -> None:
    card = await deal_queries.deal_card(uow, viewer=user, opportunity_id=callback_data.id)
    await RENEWAL.start(RENEWAL.context(query, state, bot, t, lang, uow, user, clock),
                        {"deal": callback_data.id, "company": card.lead.company})


@routes.callback_query(RenewalCb.filter(F.act == RenewalAct.REOPEN))
async def on_reopen(
    query: CallbackQuery, callback_data: RenewalCb, uow: UnitOfWork, user: User, t: Translate, lang: Language,
    clock: Clock,
) -> None:
    deal_id = await renewals.reopen(uow, actor=user, renewal_id=callback_data.id, now=clock.now())
    await show_card(query, user, uow, t, lang, deal_id, View.showing(DealScope.MINE), t("renewal-opened"))
