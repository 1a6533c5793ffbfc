"""/deals and /assign: the opportunity list (filters, paging), the deal card, and its actions —
advance a stage, skip stages (manager override), mark lost, reassign. Every press asks the service
again, which refuses what this person may not do; a press on an old screen is answered politely."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any

from aiogram import F
from aiogram.filters import Command, CommandObject, StateFilter
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import CallbackQuery, InlineKeyboardButton, InlineKeyboardMarkup, Message

from bot.callbacks import small_number
from bot.errors import refusing
from bot.formatting import Html, date_only, h, plain, when
from bot.i18n import Translate
from bot.keyboards import button, grid, keyboard, rows_of
from bot.render import register_action
from bot.routing import Routes
from domain.assist import services as assist
from domain.clock import Clock
from domain.deals import queries as deal_queries
from domain.deals import services as deal_service
from domain.deals.card import DealAction, DealCard, DealOffer
from domain.deals.model import PIPELINE, DealPage, HistoryEntry, Stage
from domain.errors import DomainError
from domain.handoffs import services as handoff_service
from domain.outbox.kinds import Family
from domain.permissions import Ability, can
from domain.ports import UnitOfWork
from domain.team.model import Language, Team, User
from domain.team.people import name_of
from handlers.assist_cb import ask_button, question_button
from handlers.common import command_words, refuse, show
from handlers.contracts.common import SIGNED_CONTRACT, CAct, ContractCb, contract_lines
from handlers.deal_search import FoundDeal, deals_found, say_found
from handlers.handoff import HandoffAct, HandoffCb
from handlers.pipeline_ui import (
    STAGES,
    DealAct,
    DealCb,
    DealScope,
    PoolAct,
    PoolCb,
    amount_text,
    day_text,
    deal_name,
    stage_at,
    stage_name,
    team_of,
)
from handlers.quotes.common import QAct, QuoteCb
from handlers.tickets.common import RenewalAct, RenewalCb, TicketAct, TicketCb
from handlers.tickets.delivery import checklist_button

routes = Routes(__name__)
PER_PAGE = 8
HISTORY_SHOWN = 8
REASON_MAX = 300  # as the service allows
NOTE_MAX = 500
# Reassignment reasons offered as buttons (the manager may also type one).
REASSIGN_REASONS = ("workload", "skills", "leave", "customer")
FROM_ASSIGN = "a"  # the reassign steps were reached from /assign: Back returns to its list


class LoseDeal(StatesGroup):
    choosing_reason = State()
    entering_note = State()
    confirming = State()


class ReassignDeal(StatesGroup):
    entering_reason = State()


register_action("deal.open", "btn-open-deal", lambda action: DealCb(act=DealAct.OPEN, id=action.id))
register_action(
    Family.HANDOFFS.value.action, "outbox-digest-btn-handoffs", lambda action: DealCb(act=DealAct.LIST, scope=DealScope.TEAM, wait=True)
)


def lost_reason_name(t: Translate, reason: str) -> str:
    """The team's lost reasons are codes from the defaults (translated) or words a manager typed."""
    key = f"deal-lost-{reason}"
    text = t(key)
    return h(reason) if text == key else text


def score_text(t: Translate, score: int | None, reasons: dict[str, int]) -> str:
    if score is None:
        return t("deal-score-none")
    parts = []
    for factor, points in sorted(reasons.items(), key=lambda kv: (-kv[1], kv[0])):
        if points:
            key = f"score-reason-{factor}"
            text = t(key, points=points)
            parts.append(Html(f"{h(factor)} +{points}") if text == key else text)
    return t("deal-score", score=score, reasons=t("list-separator").join(parts) or t("list-empty"))


# --- the list -----------------------------------------------------------------------------------------

@dataclass(frozen=True)
class View:
    """Where in the list a person is: kept in every button so Back returns to the same page."""

    team: bool = False  # the team's deals (managers)
    stage: int = -1
    wait: bool = False
    stale: bool = False
    page: int = 0
    captured: bool = False  # the deals the viewer brought in that others follow

    @classmethod
    def of(cls, data: DealCb) -> View:
        return cls(
            team=data.scope is DealScope.TEAM, captured=data.scope is DealScope.CAPTURED, stage=data.stage,
            wait=data.wait, stale=data.stale, page=max(data.page, 0),
        )

    @classmethod
    def showing(cls, scope: DealScope) -> View:
        return cls(team=scope is DealScope.TEAM, captured=scope is DealScope.CAPTURED)

    @property
    def scope(self) -> DealScope:
        return DealScope.TEAM if self.team else DealScope.CAPTURED if self.captured else DealScope.MINE

    def cb(self, act: DealAct | str, **more: Any) -> DealCb:
        return DealCb(
            act=act, scope=self.scope, stage=self.stage, wait=self.wait, stale=self.stale, page=self.page, **more
        )

    @property
    def filtered(self) -> bool:
        return self.stage >= 0 or self.wait or self.stale

    def to_data(self) -> dict[str, Any]:
        """For FSM data (primitives only), when a typed answer has no button to carry the view."""
        return {
            "team": self.team, "captured": self.captured, "stage": self.stage, "wait": self.wait, "stale": self.stale,
            "page": self.page,
        }

    @classmethod
    def from_data(cls, data: Any) -> View:
        if not isinstance(data, dict):
            return cls()
        return cls(
            team=bool(data.get("team")), captured=bool(data.get("captured")), stage=int(data.get("stage", -1)),
            wait=bool(data.get("wait")), stale=bool(data.get("stale")), page=int(data.get("page", 0)),
        )


TITLES = {
    DealScope.MINE: "deals-title-mine", DealScope.TEAM: "deals-title-team", DealScope.CAPTURED: "deals-title-captured",
}
SCOPES = {DealScope.MINE: "mine", DealScope.TEAM: "team", DealScope.CAPTURED: "captured"}


def mark(on: bool, label: str) -> str:
    return f"✅ {label}" if on else label


def pages_of(total: int) -> int:
    return max(1, (total + PER_PAGE - 1) // PER_PAGE)


def owner_text(t: Translate, owner_name: str | None, waiting_for: str | None, in_pool: bool) -> str:
    """Who is responsible: the owner; else whom a hand-off waits for (it is not in the pool); else the pool."""
    if owner_name:
        return h(owner_name)
    if waiting_for:
        return t("deal-owner-waiting", name=h(waiting_for))
    return t("deal-owner-pool") if in_pool else t("deal-owner-none")


def list_screen(
    t: Translate, lang: Language, user: User, team: Team, view: View, page: DealPage, captured: int = 0
) -> tuple[str, InlineKeyboardMarkup]:
    """`captured`: how many deals the viewer brought in that others follow (the 📥 list is offered then)."""
    pages = pages_of(page.total)
    lines = [t(TITLES[view.scope], total=page.total)]
    if view.scope is DealScope.CAPTURED:
        lines.append(t("deals-captured-hint"))
    filters = []
    stage = stage_at(view.stage)
    if stage is not None:
        filters.append(stage_name(t, stage))
    if view.wait:
        filters.append(t("deals-filter-waiting"))
    if view.stale:
        filters.append(t("deals-filter-stale"))
    if filters:
        lines.append(t("deals-filtered-by", filters=t("list-separator").join(filters)))
    if pages > 1:
        lines.append(t("deals-page", page=view.page + 1, pages=pages))
    lines.append("")
    if not page.items:
        lines.append(t("deals-empty-filtered") if view.filtered else t("deals-empty"))
    buttons = []
    for number, item in enumerate(page.items, start=view.page * PER_PAGE + 1):
        line = t(
            "deals-line", n=number, name=deal_name(item.company, item.title), stage=stage_name(t, item.stage),
            amount=amount_text(t, item.amount),
        )
        if view.scope is not DealScope.MINE:
            owner = owner_text(t, item.owner_name, item.waiting_for, item.pooled_at is not None)
            line += t("deals-line-owner", owner=owner)
        if item.last_activity_at is not None:
            line += t("deals-line-touched", at=date_only(item.last_activity_at, team.timezone, lang))
        if item.waiting_handoff:
            line += t("deals-line-waiting")
        lines.append(line)
        label = f"{number}. {item.company} · {stage_name(t, item.stage)}"
        buttons.append(button(label, view.cb(DealAct.OPEN, id=item.id)))
    rows: list[list[InlineKeyboardButton]] = [[
        button(mark(stage is not None, t("deals-btn-stage")), view.cb(DealAct.STAGE_FILTER)),
        button(mark(view.wait, t("deals-btn-waiting")), replace(view, wait=not view.wait, page=0).cb(DealAct.LIST)),
        button(mark(view.stale, t("deals-btn-stale")), replace(view, stale=not view.stale, page=0).cb(DealAct.LIST)),
    ]]
    scopes = [DealScope.MINE, DealScope.TEAM] if deal_queries.offers_team_list(user) else [DealScope.MINE]
    if captured or view.scope is DealScope.CAPTURED:
        scopes.append(DealScope.CAPTURED)
    if len(scopes) > 1:
        rows.append([
            button(mark(view.scope is scope, t(f"deals-btn-{SCOPES[scope]}")), View.showing(scope).cb(DealAct.LIST))
            for scope in scopes
        ])
    paging = []
    if view.page > 0:
        paging.append(button(t("btn-prev"), replace(view, page=view.page - 1).cb(DealAct.LIST)))
    if view.page < pages - 1:
        paging.append(button(t("btn-next"), replace(view, page=view.page + 1).cb(DealAct.LIST)))
    if paging:
        rows.append(paging)
    if view.filtered:
        rows.append([button(t("deals-btn-clear"), View.showing(view.scope).cb(DealAct.LIST))])
    return "\n".join(lines), grid(buttons, per_row=1, extra_rows=rows)


async def fetch_page(uow: UnitOfWork, user: User, view: View, clock: Clock) -> tuple[View, DealPage]:
    async def load(v: View) -> DealPage:
        return await deal_queries.list_deals(
            uow, viewer=user, scope=SCOPES[v.scope], stage=stage_at(v.stage), waiting=v.wait,
            stale=v.stale, page=v.page, per_page=PER_PAGE, now=clock.now(),
        )

    page = await load(view)
    last = pages_of(page.total) - 1
    if view.page > last:  # the list shrank since the button was drawn
        view = replace(view, page=last)
        page = await load(view)
    return view, page


async def show_list(
    event: Message | CallbackQuery, user: User, uow: UnitOfWork, t: Translate, lang: Language, clock: Clock,
    view: View,
) -> None:
    try:
        view, page = await fetch_page(uow, user, view, clock)
    except DomainError as error:
        await refuse(event, t, error)
        return
    captured = await deal_queries.captured_followed(uow, viewer=user)
    text, markup = list_screen(t, lang, user, await team_of(uow, user.team_id), view, page, captured)
    await show(event, text, markup)


@routes.message(Command("deals"), F.chat.type == "private")
async def cmd_deals(
    message: Message, command: CommandObject, user: User, uow: UnitOfWork, state: FSMContext, t: Translate,
    lang: Language, clock: Clock,
) -> None:
    """`/deals` lists them; `/deals 西湖` opens the one deal the words find, or lists those found."""
    await state.clear()
    view = View(team=deal_queries.offers_team_list(user))
    words = command_words(command)
    found = await deals_found(uow, user, words) if words else None
    if found is not None and len(found) == 1:
        await show_card(message, user, uow, t, lang, found[0].id, view)
        return
    if found is not None and await say_found(message, t, words, found, lambda deal: view.cb(DealAct.OPEN, id=deal.id)):
        return
    await show_list(message, user, uow, t, lang, clock, view)


@routes.callback_query(DealCb.filter(F.act == DealAct.LIST))
async def on_list(
    query: CallbackQuery, callback_data: DealCb, user: User, uow: UnitOfWork, t: Translate, lang: Language,
    clock: Clock,
) -> None:
    await show_list(query, user, uow, t, lang, clock, View.of(callback_data))


@routes.callback_query(DealCb.filter(F.act == DealAct.STAGE_FILTER))
async def on_stage_filter(query: CallbackQuery, callback_data: DealCb, t: Translate) -> None:
    view = View.of(callback_data)
    buttons = [
        button(mark(view.stage == index, stage_name(t, s)), replace(view, stage=index, page=0).cb(DealAct.LIST))
        for s in (*PIPELINE, Stage.WON, Stage.LOST)
        for index in (STAGES.index(s),)
    ]
    everything = replace(view, stage=-1, page=0).cb(DealAct.LIST)
    buttons.append(button(mark(view.stage < 0, t("deals-stage-all")), everything))
    await show(query, t("deals-choose-stage"), grid(buttons, t, back=view.cb(DealAct.LIST), cancel=False, per_row=3))


# --- the card -----------------------------------------------------------------------------------------

def history_lines(t: Translate, lang: Language, tz: str, history: list[HistoryEntry]) -> list[str]:
    lines = []
    for entry in history[:HISTORY_SHOWN]:
        start = stage_name(t, entry.from_stage) if entry.from_stage is not None else t("deal-history-created")
        line = t(
            "deal-history-line", at=when(entry.at, tz, lang),
            actor=h(entry.actor_name) if entry.actor_name else t("deal-history-system"),
            start=start, end=stage_name(t, entry.to_stage),
        )
        if entry.override:
            line += t("deal-history-override")
        lines.append(line)
    return lines


def card_text(t: Translate, lang: Language, card: DealCard) -> str:
    deal, lead, team = card.opportunity, card.lead, card.team
    contact = Html(" · ").join(x for x in (lead.contact_name, lead.phone, lead.email) if x) or t("list-empty")
    lines = [t(
        "deal-card", title=h(deal.title), company=h(lead.company), contact=contact,
        amount=amount_text(t, deal.amount),
        close=day_text(deal.expected_close, lang) if deal.expected_close else t("deal-close-none"),
        owner=owner_text(t, card.owner_name, card.assignee_name if card.pending_handoff else None, deal.in_pool),
        stage=stage_name(t, deal.stage),
        score=score_text(t, lead.score, lead.score_reasons or {}),
    )]
    if deal.stage is Stage.LOST and deal.lost_reason:
        lines.append(t("deal-lost-line", reason=lost_reason_name(t, deal.lost_reason)))
        if deal.lost_note:
            lines.append(t("deal-lost-note", note=h(deal.lost_note)))
    if card.pending_handoff is not None and card.owner_name:  # no owner: the owner line says whom it waits for
        lines.append(t(
            "deal-waiting-line", name=h(card.assignee_name) if card.assignee_name else t("deal-waiting-someone"),
            deadline=when(card.pending_handoff.deadline_at, team.timezone, lang),
        ))
    if card.contract is not None:
        lines.extend(["", *contract_lines(t, lang, card.contract, card.milestones, card.payments)])
    history = history_lines(t, lang, team.timezone, card.history)
    if history:
        lines.extend(["", t("deal-history-title"), *history])
    if card.read_only:
        lines.extend(["", t("deal-read-only")])
    return "\n".join(lines)


# The card's follow-up actions go on a row of their own (handlers/followup_log.py answers them).
FOLLOWUP_ACTIONS = frozenset({DealAction.LOG_ACTIVITY, DealAction.TIMELINE})
# From delivery on, the card opens an after-sales ticket about the deal (issue 13).
AFTER_SALES_STAGES = frozenset({Stage.DELIVERY, Stage.AFTER_SALES, Stage.WON})
CHECKLIST_STAGES = frozenset({Stage.DELIVERY, Stage.AFTER_SALES})
RENEWAL_STAGES = frozenset({Stage.AFTER_SALES, Stage.WON})


def offer_button(t: Translate, card: DealCard, offer: DealOffer, view: View) -> InlineKeyboardButton:
    """The button for one of the card's offers."""
    deal = card.opportunity
    assert deal.id is not None
    here = STAGES.index(deal.stage)
    match offer.action:
        case DealAction.ACCEPT_HANDOFF:
            return button(t("handoff-btn-accept"), HandoffCb(act=HandoffAct.ACCEPT, id=offer.handoff_id or 0))
        case DealAction.DECLINE_HANDOFF:
            return button(t("handoff-btn-decline"), HandoffCb(act=HandoffAct.DECLINE, id=offer.handoff_id or 0))
        case DealAction.CLAIM:
            return button(t("btn-claim"), PoolCb(act=PoolAct.CLAIM, id=deal.id))
        case DealAction.ADVANCE:
            assert offer.to is not None
            label = t("deal-btn-advance", stage=stage_name(t, offer.to))
            return button(label, view.cb(DealAct.ADVANCE, id=deal.id, frm=here, to=STAGES.index(offer.to)))
        case DealAction.WIN:
            return button(t("deal-btn-win"), view.cb(DealAct.ADVANCE, id=deal.id, frm=here, to=STAGES.index(Stage.WON)))
        case DealAction.SKIP:
            return button(t("deal-btn-skip"), view.cb(DealAct.SKIP, id=deal.id, frm=here))
        case DealAction.LOSE:
            return button(t("deal-btn-lose"), view.cb(DealAct.LOSE, id=deal.id, frm=here))
        case DealAction.REASSIGN:
            return button(t("deal-btn-reassign"), view.cb(DealAct.REASSIGN, id=deal.id))
        case DealAction.LOG_ACTIVITY:
            return button(t("log-btn-card"), view.cb(DealAct.LOG, id=deal.id))
        case DealAction.TIMELINE:
            return button(t("timeline-btn"), view.cb(DealAct.TIMELINE, id=deal.id))


def card_markup(t: Translate, card: DealCard, view: View) -> InlineKeyboardMarkup:
    """One button per action the card offers the viewer; nothing else decides what is shown."""
    actions = [offer_button(t, card, o, view) for o in card.actions if o.action not in FOLLOWUP_ACTIONS]
    followup = [offer_button(t, card, o, view) for o in card.actions if o.action in FOLLOWUP_ACTIONS]
    if card.actions.allows(DealAction.LOG_ACTIVITY):  # the owner or a manager, while the deal is open
        followup.append(button(t("quote-btn-card"), QuoteCb(act=QAct.DEAL, id=card.opportunity.id or 0)))
    deal = card.opportunity
    if card.contract is not None or (
        card.actions.allows(DealAction.LOG_ACTIVITY)
        and (deal.quote_status == "accepted" or deal.stage in (Stage.CONTRACT, Stage.PAYMENT) or card.can_reassign)
    ):
        followup.append(button(t("contract-btn-card"), ContractCb(act=CAct.DEAL, id=deal.id or 0)))
    aftersales: list[InlineKeyboardButton] = []  # after-sales on a row of its own (issue 13)
    if not card.read_only and card.opportunity.stage in CHECKLIST_STAGES:  # handlers/tickets/delivery.py
        aftersales.append(checklist_button(t, card.opportunity.id or 0))
    if not card.read_only and card.opportunity.stage in AFTER_SALES_STAGES:  # handlers/tickets/desk.py
        aftersales.append(button(t("ticket-btn-deal"), TicketCb(act=TicketAct.DEAL, id=card.opportunity.id or 0)))
    if not card.read_only and card.opportunity.stage in RENEWAL_STAGES:  # handlers/tickets/renewal.py
        aftersales.append(button(t("renewal-btn-card"), RenewalCb(act=RenewalAct.SET, id=card.opportunity.id or 0)))
    # Cross-team help (handlers/assist.py): the owner or a manager asks a colleague, while the deal is open.
    helping = [ask_button(t, deal_id=deal.id or 0)] if card.actions.allows(DealAction.LOG_ACTIVITY) else []
    back = [button(t("deal-btn-back-list"), view.cb(DealAct.LIST))]
    return grid(actions, per_row=2, extra_rows=[row for row in (followup, aftersales, helping, back) if row])


async def load_card(
    event: Message | CallbackQuery, user: User, uow: UnitOfWork, t: Translate, deal_id: int
) -> DealCard | None:
    try:
        return await deal_queries.deal_card(uow, viewer=user, opportunity_id=deal_id)
    except DomainError as error:
        await refuse(event, t, error)
        return None


async def show_card(
    event: Message | CallbackQuery, user: User, uow: UnitOfWork, t: Translate, lang: Language, deal_id: int,
    view: View, done: str = "",
) -> None:
    card = await load_card(event, user, uow, t, deal_id)
    if card is None:
        return
    text = card_text(t, lang, card)
    markup = card_markup(t, card, view)
    waiting = await assist.waiting_on(uow, viewer=user, deal_id=deal_id)  # questions to colleagues (issue 13)
    if waiting:
        text += "\n\n" + "\n".join(
            t("assist-card-waiting", helper=h(w.helper), due=when(w.question.due_at, card.team.timezone, lang))
            for w in waiting
        )
        asked = rows_of([question_button(t, w.helper, w.question.id or 0) for w in waiting[:3]])
        markup = InlineKeyboardMarkup(inline_keyboard=[*markup.inline_keyboard[:-1], *asked, markup.inline_keyboard[-1]])
    await show(event, f"{done}\n\n{text}" if done else text, markup)


@routes.callback_query(DealCb.filter(F.act == DealAct.OPEN))
async def on_open(
    query: CallbackQuery, callback_data: DealCb, user: User, uow: UnitOfWork, state: FSMContext, t: Translate,
    lang: Language,
) -> None:
    if await state.get_state() is not None:  # Back from a step of a flow on this deal ends that flow
        await state.clear()
    await show_card(query, user, uow, t, lang, callback_data.id, View.of(callback_data))


def moved_on(card: DealCard, data: DealCb) -> bool:
    """The button was drawn when the deal was in another stage: it no longer means what it says."""
    return STAGES.index(card.opportunity.stage) != data.frm


async def refuse_moved(query: CallbackQuery, t: Translate, card: DealCard) -> None:
    await query.answer(t("deal-error-moved", stage=stage_name(t, card.opportunity.stage)), show_alert=True)


# --- advance, and a manager's skip --------------------------------------------------------------------

@routes.callback_query(DealCb.filter(F.act.in_({DealAct.ADVANCE, DealAct.SKIP_TO})))
async def on_move_asked(
    query: CallbackQuery, callback_data: DealCb, user: User, uow: UnitOfWork, t: Translate
) -> None:
    card = await load_card(query, user, uow, t, callback_data.id)
    if card is None:
        return
    target = stage_at(callback_data.to)
    if target is None or moved_on(card, callback_data):
        await refuse_moved(query, t, card)
        return
    view, deal = View.of(callback_data), card.opportunity
    skipping = callback_data.act is DealAct.SKIP_TO
    deal_id, frm = callback_data.id, callback_data.frm
    confirmed = DealAct.SKIP_CONFIRMED if skipping else DealAct.ADVANCE_CONFIRMED
    confirm = view.cb(confirmed, id=deal_id, frm=frm, to=callback_data.to)
    back = view.cb(DealAct.SKIP, id=deal_id, frm=frm) if skipping else view.cb(DealAct.OPEN, id=deal_id)
    text = t(
        "deal-confirm-skip" if skipping else "deal-confirm-advance", title=h(deal.title),
        start=stage_name(t, deal.stage), end=stage_name(t, target),
    )
    label = t("deal-btn-confirm-skip" if skipping else "deal-btn-confirm-advance")
    rows = [[button(label, confirm)], [button(t("btn-back"), back)]]
    if target is Stage.PAYMENT and (card.contract is None or card.contract.status not in SIGNED_CONTRACT):
        # By hand into the payment stage without a signed contract: said plainly before the confirmation.
        text = f"{text}\n\n{t('deal-confirm-payment-unsigned')}"
        rows.insert(1, [button(t("contract-btn-card"), ContractCb(act=CAct.DEAL, id=deal_id))])
    await show(query, text, keyboard(*rows))


@routes.callback_query(DealCb.filter(F.act.in_({DealAct.ADVANCE_CONFIRMED, DealAct.SKIP_CONFIRMED})))
async def on_move_confirmed(
    query: CallbackQuery, callback_data: DealCb, user: User, uow: UnitOfWork, t: Translate, lang: Language,
    clock: Clock,
) -> None:
    card = await load_card(query, user, uow, t, callback_data.id)
    if card is None:
        return
    target = stage_at(callback_data.to)
    if target is None or moved_on(card, callback_data):  # a second tap on the same confirmation lands here
        await refuse_moved(query, t, card)
        return
    await deal_service.change_stage(
        uow, actor=user, opportunity_id=callback_data.id, to=target,
        override=callback_data.act is DealAct.SKIP_CONFIRMED, now=clock.now(),
    )
    done = t("deal-done-won") if target is Stage.WON else t("deal-done-moved", stage=stage_name(t, target))
    await show_card(query, user, uow, t, lang, callback_data.id, View.of(callback_data), done)


@routes.callback_query(DealCb.filter(F.act == DealAct.SKIP))
async def on_skip(query: CallbackQuery, callback_data: DealCb, user: User, uow: UnitOfWork, t: Translate) -> None:
    card = await load_card(query, user, uow, t, callback_data.id)
    if card is None:
        return
    refusal = card.actions.refusal(DealAction.SKIP)  # not someone who may skip stages, whatever the stage
    if refusal is not None:
        await query.answer(t(refusal), show_alert=True)
        return
    skip = card.actions.get(DealAction.SKIP)
    if moved_on(card, callback_data) or skip is None:
        await refuse_moved(query, t, card)
        return
    deal, view = card.opportunity, View.of(callback_data)
    deal_id, frm = callback_data.id, callback_data.frm
    buttons = [
        button(stage_name(t, s), view.cb(DealAct.SKIP_TO, id=deal_id, frm=frm, to=STAGES.index(s)))
        for s in skip.targets
    ]
    text = t("deal-skip-choose", title=h(deal.title), stage=stage_name(t, deal.stage))
    await show(query, text, grid(buttons, t, back=view.cb(DealAct.OPEN, id=callback_data.id), cancel=False, per_row=2))


# --- mark lost: a reason (buttons), an optional note, then confirm -------------------------------------

async def lose_reason_screen(
    event: Message | CallbackQuery, state: FSMContext, t: Translate, card: DealCard, reasons: Sequence[str], view: View
) -> None:
    deal = card.opportunity
    buttons = [
        button(lost_reason_name(t, reason), view.cb(DealAct.LOSE_REASON, id=deal.id or 0, arg=str(index)))
        for index, reason in enumerate(reasons)
    ]
    await state.set_state(LoseDeal.choosing_reason)
    await state.set_data({"deal": deal.id, "reasons": list(reasons), "view": view.to_data()})
    await show(
        event, t("deal-lose-choose-reason", title=h(deal.title)),
        grid(buttons, t, back=view.cb(DealAct.OPEN, id=deal.id or 0), per_row=2),
    )


@routes.callback_query(DealCb.filter(F.act == DealAct.LOSE))
async def on_lose(
    query: CallbackQuery, callback_data: DealCb, user: User, uow: UnitOfWork, state: FSMContext, t: Translate
) -> None:
    card = await load_card(query, user, uow, t, callback_data.id)
    if card is None:
        return
    if moved_on(card, callback_data):
        await refuse_moved(query, t, card)
        return
    lose = card.actions.get(DealAction.LOSE)
    if lose is None:
        await query.answer(t(card.actions.refusal(DealAction.LOSE) or "error-stage-not-owner"), show_alert=True)
        return
    await lose_reason_screen(query, state, t, card, lose.reasons, View.of(callback_data))


async def lose_data(query: CallbackQuery, state: FSMContext, t: Translate, deal_id: int) -> dict[str, Any] | None:
    data = await state.get_data()
    if data.get("deal") != deal_id:
        await query.answer(t("stale-button"), show_alert=True)
        return None
    return data


@routes.callback_query(LoseDeal.choosing_reason, DealCb.filter(F.act == DealAct.LOSE_REASON))
async def on_lose_reason(query: CallbackQuery, callback_data: DealCb, state: FSMContext, t: Translate) -> None:
    data = await lose_data(query, state, t, callback_data.id)
    if data is None:
        return
    reasons = data.get("reasons") or []
    index = small_number(callback_data.arg)
    if index is None or index >= len(reasons):
        await query.answer(t("stale-button"), show_alert=True)
        return
    reason = reasons[int(callback_data.arg)]
    await state.update_data(reason=reason, note=None)
    await state.set_state(LoseDeal.entering_note)
    view = View.of(callback_data)
    await show(
        query, t("deal-lose-enter-note", reason=lost_reason_name(t, reason)),
        grid([button(t("deal-btn-skip-note"), view.cb(DealAct.LOSE_WITHOUT_NOTE, id=callback_data.id))], t,
             back=view.cb(DealAct.LOSE_BACK, id=callback_data.id)),
    )


@routes.message(LoseDeal.choosing_reason, ~F.text.startswith("/"))
async def on_lose_reason_typed(message: Message, t: Translate) -> None:
    await message.answer(t("deal-lose-expect-reason"))


async def lose_confirm_screen(
    event: Message | CallbackQuery, state: FSMContext, t: Translate, note: str | None
) -> None:
    data = await state.update_data(note=note)
    await state.set_state(LoseDeal.confirming)
    deal_id, view = int(data["deal"]), View.from_data(data.get("view"))
    text = t(
        "deal-confirm-lose", reason=lost_reason_name(t, str(data["reason"])),
        note=h(note) if note else t("list-empty"),
    )
    await show(
        event, text,
        grid([button(t("deal-btn-confirm-lose"), view.cb(DealAct.LOSE_CONFIRMED, id=deal_id))], t,
             back=view.cb(DealAct.LOSE_BACK, id=deal_id)),
    )


@routes.message(LoseDeal.entering_note, F.text, ~F.text.startswith("/"))
async def on_lose_note(message: Message, state: FSMContext, t: Translate) -> None:
    note = " ".join((message.text or "").split())
    if not note or len(note) > NOTE_MAX:
        await message.answer(t("error-lost-note", max=NOTE_MAX))
        return
    await lose_confirm_screen(message, state, t, note)


@routes.message(LoseDeal.entering_note, ~F.text.startswith("/"))
async def on_lose_note_unexpected(message: Message, t: Translate) -> None:
    await message.answer(t("deal-lose-expect-note"))


@routes.callback_query(LoseDeal.entering_note, DealCb.filter(F.act == DealAct.LOSE_WITHOUT_NOTE))
async def on_lose_note_skipped(
    query: CallbackQuery, callback_data: DealCb, state: FSMContext, t: Translate
) -> None:
    if await lose_data(query, state, t, callback_data.id) is None:
        return
    await lose_confirm_screen(query, state, t, None)


@routes.callback_query(
    StateFilter(LoseDeal.entering_note, LoseDeal.confirming), DealCb.filter(F.act == DealAct.LOSE_BACK)
)
async def on_lose_back(
    query: CallbackQuery, callback_data: DealCb, user: User, uow: UnitOfWork, state: FSMContext, t: Translate
) -> None:
    data = await lose_data(query, state, t, callback_data.id)
    if data is None:
        return
    card = await load_card(query, user, uow, t, callback_data.id)
    if card is None:
        await state.clear()
        return
    # The team's reasons as the card offers them; the flow's own list if the deal can no longer be marked
    # lost (someone moved it meanwhile): confirming will then say why.
    lose = card.actions.get(DealAction.LOSE)
    reasons = lose.reasons if lose is not None else [str(r) for r in data.get("reasons") or []]
    await lose_reason_screen(query, state, t, card, reasons, View.of(callback_data))


@routes.message(LoseDeal.confirming, ~F.text.startswith("/"))
async def on_lose_confirm_typed(message: Message, t: Translate) -> None:
    await message.answer(t("expect-button"))


@routes.callback_query(LoseDeal.confirming, DealCb.filter(F.act == DealAct.LOSE_CONFIRMED))
async def on_lose_confirmed(
    query: CallbackQuery, callback_data: DealCb, user: User, uow: UnitOfWork, state: FSMContext, t: Translate,
    lang: Language, clock: Clock,
) -> None:
    data = await lose_data(query, state, t, callback_data.id)
    if data is None:
        return
    with refusing(leave_flow=True):
        await deal_service.change_stage(
            uow, actor=user, opportunity_id=callback_data.id, to=Stage.LOST, lost_reason=str(data.get("reason") or ""),
            lost_note=data.get("note"), now=clock.now(),
        )
    await state.clear()
    await show_card(query, user, uow, t, lang, callback_data.id, View.of(callback_data), t("deal-done-lost"))


# --- reassign (a manager, from the card or /assign): a rep, then a reason -----------------------------

async def reps_screen(
    query: Message | CallbackQuery, user: User, uow: UnitOfWork, t: Translate, card: DealCard, view: View, src: str
) -> None:
    deal = card.opportunity
    assert deal.id is not None
    try:
        reps = await deal_queries.team_reps(uow, viewer=user, team_id=deal.team_id)
    except DomainError as error:
        await refuse(query, t, error)
        return
    buttons = [
        button(
            ("👤 " if rep.id == deal.owner_id else "") + rep.name,
            view.cb(DealAct.REASSIGN_TO, id=deal.id, rep=rep.id or 0, arg=src),
        )
        for rep in reps
    ]
    owner = owner_text(t, card.owner_name, card.assignee_name if card.pending_handoff else None, deal.in_pool)
    text = t("deal-reassign-choose-rep", title=h(deal.title), owner=owner) if buttons else t("deal-reassign-no-reps")
    back = view.cb(DealAct.ASSIGN_LIST) if src == FROM_ASSIGN else view.cb(DealAct.OPEN, id=deal.id)
    await show(query, text, grid(buttons, t, back=back, per_row=2))


async def reassignable(
    query: Message | CallbackQuery, user: User, uow: UnitOfWork, t: Translate, deal_id: int
) -> DealCard | None:
    card = await load_card(query, user, uow, t, deal_id)
    if card is not None and not card.actions.allows(DealAction.REASSIGN):
        # not a manager; else the deal is closed
        key = card.actions.refusal(DealAction.REASSIGN) or "error-stage-closed"
        await refuse(query, t, DomainError(key))
        return None
    return card


@routes.callback_query(DealCb.filter(F.act == DealAct.REASSIGN))
async def on_reassign(
    query: CallbackQuery, callback_data: DealCb, user: User, uow: UnitOfWork, state: FSMContext, t: Translate
) -> None:
    card = await reassignable(query, user, uow, t, callback_data.id)
    if card is None:
        return
    await state.clear()
    await reps_screen(query, user, uow, t, card, View.of(callback_data), callback_data.arg)


@routes.callback_query(DealCb.filter(F.act == DealAct.REASSIGN_TO))
async def on_reassign_rep(
    query: CallbackQuery, callback_data: DealCb, user: User, uow: UnitOfWork, state: FSMContext, t: Translate
) -> None:
    card = await reassignable(query, user, uow, t, callback_data.id)
    if card is None:
        return
    await state.clear()
    reps = {rep.id: rep for rep in await deal_queries.team_reps(uow, viewer=user, team_id=card.opportunity.team_id)}
    rep = reps.get(callback_data.rep)
    if rep is None:
        await query.answer(t("error-reassign-target"), show_alert=True)
        return
    view, src = View.of(callback_data), callback_data.arg
    deal_id, rep_id = callback_data.id, callback_data.rep
    buttons = [
        button(t(f"deal-reassign-reason-{code}"), view.cb(DealAct.REASSIGN_CONFIRMED, id=deal_id, rep=rep_id, arg=code))
        for code in REASSIGN_REASONS
    ]
    own = view.cb(DealAct.REASSIGN_OWN_REASON, id=deal_id, rep=rep_id, arg=src)
    buttons.append(button(t("deal-reassign-reason-own"), own))
    text = t("deal-reassign-choose-reason", title=h(card.opportunity.title), name=h(rep.name))
    await show(query, text, grid(buttons, t, back=view.cb(DealAct.REASSIGN, id=callback_data.id, arg=src), per_row=2))


@routes.callback_query(DealCb.filter(F.act == DealAct.REASSIGN_OWN_REASON))
async def on_reassign_own_reason(
    query: CallbackQuery, callback_data: DealCb, state: FSMContext, t: Translate
) -> None:
    view = View.of(callback_data)
    await state.set_state(ReassignDeal.entering_reason)
    await state.set_data({"deal": callback_data.id, "rep": callback_data.rep, "view": view.to_data()})
    back = view.cb(DealAct.REASSIGN_TO, id=callback_data.id, rep=callback_data.rep, arg=callback_data.arg)
    await show(query, t("deal-reassign-enter-reason"), grid([], t, back=back))


async def do_reassign(
    event: Message | CallbackQuery, user: User, uow: UnitOfWork, t: Translate, lang: Language, clock: Clock,
    deal_id: int, rep_id: int, reason: str, view: View,
) -> None:
    handoff = await handoff_service.reassign(
        uow, actor=user, opportunity_id=deal_id, to_user_id=rep_id, reason=reason, now=clock.now()
    )
    done = t("deal-done-reassigned", name=h(await name_of(uow, handoff.to_user_id)))
    await show_card(event, user, uow, t, lang, deal_id, view, done)


@routes.callback_query(DealCb.filter(F.act == DealAct.REASSIGN_CONFIRMED))
async def on_reassign_reason(
    query: CallbackQuery, callback_data: DealCb, user: User, uow: UnitOfWork, state: FSMContext, t: Translate,
    lang: Language, clock: Clock,
) -> None:
    if callback_data.arg not in REASSIGN_REASONS:
        await query.answer(t("stale-button"), show_alert=True)
        return
    await state.clear()
    reason = t(f"deal-reassign-reason-{callback_data.arg}")
    await do_reassign(
        query, user, uow, t, lang, clock, callback_data.id, callback_data.rep, reason, View.of(callback_data)
    )


@routes.message(ReassignDeal.entering_reason, F.text, ~F.text.startswith("/"))
async def on_reassign_reason_typed(
    message: Message, user: User, uow: UnitOfWork, state: FSMContext, t: Translate, lang: Language, clock: Clock
) -> None:
    reason = " ".join((message.text or "").split())
    if not reason or len(reason) > REASON_MAX:
        problem = t("error-decline-reason-long", max=REASON_MAX) if reason else t("error-reassign-reason")
        await message.answer(problem)
        return
    data = await state.get_data()
    if not isinstance(data.get("deal"), int) or not isinstance(data.get("rep"), int):
        await state.clear()
        await message.answer(t("stale-flow"))
        return
    await state.clear()
    await do_reassign(
        message, user, uow, t, lang, clock, data["deal"], data["rep"], reason, View.from_data(data.get("view"))
    )


@routes.message(ReassignDeal.entering_reason, ~F.text.startswith("/"))
async def on_reassign_reason_unexpected(message: Message, t: Translate) -> None:
    await message.answer(t("deal-reassign-expect-reason"))


# --- /assign: a manager picks a deal from the team's list, then a rep, then a reason --------------------

async def assign_list(
    event: Message | CallbackQuery, user: User, uow: UnitOfWork, t: Translate, clock: Clock, view: View
) -> None:
    try:
        view, page = await fetch_page(uow, user, view, clock)
    except DomainError as error:
        await refuse(event, t, error)
        return
    pages = pages_of(page.total)
    lines = [t("assign-choose-deal", total=page.total)]
    if pages > 1:
        lines.append(t("deals-page", page=view.page + 1, pages=pages))
    if not page.items:
        lines.append(t("assign-empty"))
    buttons = []
    for number, item in enumerate(page.items, start=view.page * PER_PAGE + 1):
        owner = item.owner_name or (
            plain(t("deal-owner-waiting", name=item.waiting_for)) if item.waiting_for else t("deal-owner-pool")
        )
        reassign = view.cb(DealAct.REASSIGN, id=item.id, arg=FROM_ASSIGN)
        buttons.append(button(f"{number}. {item.company} · {owner}", reassign))
    paging = []
    if view.page > 0:
        paging.append(button(t("btn-prev"), replace(view, page=view.page - 1).cb(DealAct.ASSIGN_LIST)))
    if view.page < pages - 1:
        paging.append(button(t("btn-next"), replace(view, page=view.page + 1).cb(DealAct.ASSIGN_LIST)))
    await show(event, "\n".join(lines), grid(buttons, t, per_row=1, extra_rows=[paging] if paging else ()))


@routes.message(Command("assign"), F.chat.type == "private")
async def cmd_assign(
    message: Message, command: CommandObject, user: User, uow: UnitOfWork, state: FSMContext, t: Translate,
    clock: Clock,
) -> None:
    """`/assign` lists the team's deals; `/assign 西湖` asks whom the one deal the words find goes to, or
    lists those found."""
    await state.clear()
    if not can(user, Ability.REASSIGN_DEALS):
        await message.answer(t("error-reassign-role"))
        return
    view = View(team=True)
    words = command_words(command)
    found = await deals_found(uow, user, words) if words else None
    if found is not None and len(found) == 1:  # straight to whom it goes
        card = await reassignable(message, user, uow, t, found[0].id)
        if card is not None:
            await reps_screen(message, user, uow, t, card, view, FROM_ASSIGN)
        return

    def reassign(deal: FoundDeal) -> DealCb:
        return view.cb(DealAct.REASSIGN, id=deal.id, arg=FROM_ASSIGN)

    if found is not None and await say_found(message, t, words, found, reassign):
        return
    await assign_list(message, user, uow, t, clock, view)


@routes.callback_query(DealCb.filter(F.act == DealAct.ASSIGN_LIST))
async def on_assign_list(
    query: CallbackQuery, callback_data: DealCb, user: User, uow: UnitOfWork, state: FSMContext, t: Translate,
    clock: Clock,
) -> None:
    await state.clear()
    await assign_list(query, user, uow, t, clock, replace(View.of(callback_data), team=True, captured=False))
