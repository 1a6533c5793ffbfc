"""The quote builder: /quote (pick a deal) or 📄 报价 on a deal card → the deal's quotes → a draft.

The draft is one screen, edited in place: its lines with price history, subtotal, discount, tax, total,
gross margin and the approval it needs. ➕ adds a product: type 2+ characters of a name or code, tap a
result, tap a quantity (1/2/5/10 or type it). Tapping a line changes its quantity or discount, or removes
it. 🛠 adds a free line for a service ("实施服务 5000"). 🎯 ticks the needs the quote covers. 📤 submits;
then PDF / Excel, sent / accepted / rejected (with the customer's reason), ✏️ revise (a new version).
Typed answers are asked for with a state; everything else is a button whose press the service checks
again."""

from __future__ import annotations

from collections.abc import Mapping

from aiogram import Bot, F
from aiogram.filters import Command, CommandObject
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import (
    BufferedInputFile,
    CallbackQuery,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    Message,
)

from bot.formatting import h
from bot.i18n import Translate
from bot.keyboards import button, grid, rows_of
from bot.routing import Routes
from domain.clock import Clock
from domain.errors import DomainError, InvalidInput
from domain.permissions import Ability, can, manages_team
from domain.ports import UnitOfWork
from domain.quotes import approvals as approval_service
from domain.quotes import catalog, lifecycle
from domain.quotes import products as product_service
from domain.quotes import services as service
from domain.quotes.model import QuoteStatus
from domain.quotes.text import money_text, percent_text
from domain.team.model import Language, User
from handlers.common import command_words, render_flow, show
from handlers.contracts.common import CAct, ContractCb
from handlers.deal_search import deals_found, say_found
from handlers.deals import View, fetch_page
from handlers.pipeline_ui import DealAct, DealCb, deal_name
from handlers.quotes.common import QAct, QuoteCb, quote_text, status_text
from handlers.quotes.documents import quote_pdf, quote_xlsx

routes = Routes(__name__)
QUANTITIES = (1, 2, 5, 10)
DISCOUNTS_BP = (0, 500, 1000, 1500, 2000, 2500)  # three a row; 25% is the usual ask that needs two levels
SEARCH_SHOWN = 8


class QuoteInput(StatesGroup):
    searching = State()  # typed words search the catalog
    quantity = State()  # a quantity for a new product ("product") or a line ("line")
    discount = State()  # a line's ("line") or the whole quote's discount
    free_line = State()
    reason = State()
    template = State()
    customer_reason = State()


def qcb(act: QAct, quote_id: int, **more: object) -> QuoteCb:
    return QuoteCb(act=act, id=quote_id, **more)  # type: ignore[arg-type]


def back_to(quote_id: int) -> QuoteCb:
    return qcb(QAct.OPEN, quote_id)


# --- the quote screen -------------------------------------------------------------------------------------


def quote_markup(t: Translate, user: User, view: service.QuoteView, lang: Language) -> InlineKeyboardMarkup:
    quote = view.quote
    qid = quote.id or 0
    rows: list[list[InlineKeyboardButton]] = []
    if view.editable:
        if quote.counter_bp is not None:
            rows.append([button(t("quote-btn-take-counter-at", percent=percent_text(quote.counter_bp, bp=True)),
                                qcb(QAct.TAKE_COUNTER, qid))])
        rows.append([button(t("quote-btn-add"), qcb(QAct.ADD, qid)), button(t("quote-btn-free"), qcb(QAct.FREE, qid))])
        line_buttons = [
            button(f"{n}. {view.line_name(line, lang)[:14]}", qcb(QAct.LINE, qid, line=line.id or 0))
            for n, line in enumerate(view.lines, start=1)
        ]
        rows += rows_of(line_buttons, 3)
        rows.append([
            button(t("quote-btn-discount"), qcb(QAct.DISC, qid)), button(t("quote-btn-needs"), qcb(QAct.NEEDS, qid)),
            button(t("quote-btn-reason"), qcb(QAct.REASON, qid)),
        ])
        rows.append([button(t("quote-btn-submit"), qcb(QAct.SUBMIT, qid))])
    elif quote.current:
        if quote.status is QuoteStatus.PENDING:
            rows.append([button(t("quote-btn-withdraw"), qcb(QAct.REVISE, qid))])
        if quote.status in (QuoteStatus.APPROVED, QuoteStatus.SENT, QuoteStatus.ACCEPTED):
            rows.append([button(t("quote-btn-pdf"), qcb(QAct.PDF, qid)), button(t("quote-btn-xlsx"), qcb(QAct.XLSX, qid))])
        if quote.status is QuoteStatus.APPROVED:
            rows.append([button(t("quote-btn-sent"), qcb(QAct.SENT, qid))])
        if quote.status in (QuoteStatus.APPROVED, QuoteStatus.SENT):
            rows.append([button(t("quote-btn-accepted"), qcb(QAct.ACCEPTED, qid)),
                         button(t("quote-btn-rejected"), qcb(QAct.REJECTED, qid))])
        if quote.status in (QuoteStatus.APPROVED, QuoteStatus.SENT, QuoteStatus.REJECTED, QuoteStatus.EXPIRED):
            rows.append([button(t("quote-btn-revise"), qcb(QAct.REVISE, qid))])
        if quote.status is QuoteStatus.ACCEPTED:  # accepted: the contract is the next step (handlers/contracts)
            rows.append([button(t("quote-btn-contract"), ContractCb(act=CAct.DEAL, id=quote.opportunity_id))])
    if view.lines and manages_team(user, quote.team_id) and can(user, Ability.SAVE_TEMPLATES):
        rows.append([button(t("quote-btn-template"), qcb(QAct.TEMPLATE, qid))])
    rows.append([
        button(t("quote-btn-deal-quotes"), QuoteCb(act=QAct.DEAL, id=quote.opportunity_id)),
        button(t("quote-btn-deal"), DealCb(act=DealAct.OPEN, id=quote.opportunity_id)),
    ])
    return InlineKeyboardMarkup(inline_keyboard=rows)


async def show_quote(
    event: Message | CallbackQuery, user: User, uow: UnitOfWork, t: Translate, lang: Language, clock: Clock,
    quote_id: int, done: str = "", state: FSMContext | None = None,
) -> None:
    view = await service.view_quote(uow, viewer=user, quote_id=quote_id, now=clock.now())
    text = quote_text(t, lang, view)
    markup = quote_markup(t, user, view, lang)
    body = f"{done}\n\n{text}" if done else text
    if state is not None and isinstance(event, Message):
        await render_flow(event, state, event.bot, body, markup)  # type: ignore[arg-type]
        await state.clear()
        return
    await show(event, body, markup)


@routes.callback_query(QuoteCb.filter(F.act == QAct.OPEN))
async def on_open(
    query: CallbackQuery, callback_data: QuoteCb, user: User, uow: UnitOfWork, t: Translate, lang: Language,
    clock: Clock, state: FSMContext,
) -> None:
    await state.clear()
    await show_quote(query, user, uow, t, lang, clock, callback_data.id)


# --- /quote and a deal's quotes ----------------------------------------------------------------------------


@routes.message(Command("quote"), F.chat.type == "private")
async def cmd_quote(
    message: Message, command: CommandObject, user: User, uow: UnitOfWork, t: Translate, lang: Language,
    clock: Clock, state: FSMContext,
) -> None:
    """`/quote` asks which deal; `/quote 西湖` opens the quotes of the one deal the words find, or lists
    those found (any deal of the person's, not only the first page of the list)."""
    await state.clear()
    if not can(user, Ability.WORK_QUOTES):
        await message.answer(t("error-quote-role"))
        return
    words = command_words(command)
    found = await deals_found(uow, user, words) if words else None
    if found is not None and len(found) == 1:
        await deal_quotes_screen(message, user, uow, t, lang, found[0].id)
        return
    if found is not None and await say_found(message, t, words, found, lambda deal: QuoteCb(act=QAct.DEAL, id=deal.id)):
        return
    _view, page = await fetch_page(uow, user, View(team=False), clock)
    if not page.items:
        await message.answer(t("quote-no-deals"))
        return
    buttons = [
        button(f"{n}. {item.company}", QuoteCb(act=QAct.DEAL, id=item.id)) for n, item in enumerate(page.items, start=1)
    ]
    await message.answer(t("quote-choose-deal"), reply_markup=grid(buttons, per_row=1))


@routes.callback_query(QuoteCb.filter(F.act == QAct.DEAL))
async def on_deal(
    query: CallbackQuery, callback_data: QuoteCb, user: User, uow: UnitOfWork, t: Translate, lang: Language,
    state: FSMContext,
) -> None:
    await state.clear()
    await deal_quotes_screen(query, user, uow, t, lang, callback_data.id)


async def deal_quotes_screen(
    event: Message | CallbackQuery, user: User, uow: UnitOfWork, t: Translate, lang: Language, deal_id: int
) -> None:
    """A deal's quotes, with New quote / From a template (when the person may quote it) and Back to the deal."""
    quotes = await service.deal_quotes(uow, viewer=user, opportunity_id=deal_id)
    opportunity, lead, may_quote = await service.deal_for_quotes(uow, viewer=user, opportunity_id=deal_id)
    lines = [t("quote-deal-title", deal=deal_name(lead.company, opportunity.title)), ""]
    buttons = []
    for item in quotes:
        lines.append(t("quote-deal-line", number=item.number, status=status_text(t, item.status), total=money_text(item.total, lang)))
        buttons.append(button(f"{item.number} · {t(f'quote-status-{item.status.value}')}", qcb(QAct.OPEN, item.id)))
    if not quotes:
        lines.append(t("quote-deal-none"))
    extra = [
        [button(t("quote-btn-new"), QuoteCb(act=QAct.NEW, id=deal_id)), button(t("quote-btn-from"), QuoteCb(act=QAct.FROM, id=deal_id))]
        if may_quote else [],
        [button(t("quote-btn-deal"), DealCb(act=DealAct.OPEN, id=deal_id))],
    ]
    await show(event, "\n".join(lines), grid(buttons, per_row=1, extra_rows=extra))


@routes.callback_query(QuoteCb.filter(F.act == QAct.FROM))
async def on_from(
    query: CallbackQuery, callback_data: QuoteCb, user: User, uow: UnitOfWork, t: Translate, lang: Language,
) -> None:
    deal_id = callback_data.id
    await service.quotable_deal(uow, user, deal_id)
    templates = await service.templates(uow, viewer=user)
    earlier = await service.customer_quotes(uow, viewer=user, opportunity_id=deal_id)
    buttons = [button(f"📋 {tpl.name}", QuoteCb(act=QAct.NEW_TEMPLATE, id=deal_id, arg=str(tpl.id))) for tpl in templates]
    buttons += [
        button(f"🔁 {item.number} · {money_text(item.total, lang)}", QuoteCb(act=QAct.NEW_COPY, id=deal_id, arg=str(item.id)))
        for item in earlier
    ]
    text = t("quote-from-title") if buttons else t("quote-from-none")
    await show(query, text, grid(buttons, per_row=1, extra_rows=[[button(t("btn-back"), QuoteCb(act=QAct.DEAL, id=deal_id))]]))


@routes.callback_query(QuoteCb.filter(F.act.in_({QAct.NEW, QAct.NEW_TEMPLATE, QAct.NEW_COPY})))
async def on_new(
    query: CallbackQuery, callback_data: QuoteCb, user: User, uow: UnitOfWork, t: Translate, lang: Language,
    clock: Clock,
) -> None:
    arg = int(callback_data.arg) if callback_data.arg.isdigit() else None
    quote = await service.start_quote(
        uow, actor=user, opportunity_id=callback_data.id, now=clock.now(),
        template_id=arg if callback_data.act is QAct.NEW_TEMPLATE else None,
        copy_of=arg if callback_data.act is QAct.NEW_COPY else None,
    )
    await show_quote(query, user, uow, t, lang, clock, quote.id or 0, t("quote-done-started", number=quote.number))


# --- adding a product: search, pick, quantity --------------------------------------------------------------


async def _ask(event: Message | CallbackQuery, state: FSMContext, st: State, data: Mapping[str, object], text: str,
               t: Translate, quote_id: int, buttons: list[InlineKeyboardButton] | None = None) -> None:
    await state.set_state(st)
    await state.set_data(dict(data))
    markup = grid(buttons or [], per_row=3, extra_rows=[[button(t("btn-back"), back_to(quote_id))]])
    if isinstance(event, CallbackQuery):
        await show(event, text, markup)
        if isinstance(event.message, Message):
            await state.update_data(flow_msg=event.message.message_id)
    else:
        await render_flow(event, state, event.bot, text, markup)  # type: ignore[arg-type]


@routes.callback_query(QuoteCb.filter(F.act == QAct.ADD))
async def on_add(
    query: CallbackQuery, callback_data: QuoteCb, user: User, uow: UnitOfWork, t: Translate, state: FSMContext
) -> None:
    await service.draft(uow, user, callback_data.id)
    await _ask(query, state, QuoteInput.searching, {"quote": callback_data.id}, t("quote-ask-search"), t, callback_data.id)


@routes.message(QuoteInput.searching, F.text, ~F.text.startswith("/"))
async def on_search(
    message: Message, user: User, uow: UnitOfWork, t: Translate, lang: Language, state: FSMContext
) -> None:
    data = await state.get_data()
    quote_id = int(data.get("quote") or 0)
    try:
        found = await product_service.list_products(
            uow, viewer=user, query=message.text or "", per_page=SEARCH_SHOWN, active_only=True
        )
    except InvalidInput as error:
        await message.answer(t(error.code, **{k: str(v) for k, v in error.params.items()}))
        return
    if not found.items:
        await render_flow(message, state, message.bot, t("quote-search-none", query=h(message.text or "")),  # type: ignore[arg-type]
                          grid([], extra_rows=[[button(t("btn-back"), back_to(quote_id))]]))
        return
    buttons = [
        button(f"{p.code} · {p.name(lang)} · {money_text(p.list_price, lang)}",
               qcb(QAct.PICK, quote_id, arg=str(p.id)))
        for p in found.items
    ]
    await render_flow(message, state, message.bot, t("quote-search-found", count=found.total, query=h(message.text or "")),  # type: ignore[arg-type]
                      grid(buttons, per_row=1, extra_rows=[[button(t("btn-back"), back_to(quote_id))]]))


@routes.callback_query(QuoteCb.filter(F.act == QAct.PICK))
async def on_pick(
    query: CallbackQuery, callback_data: QuoteCb, user: User, uow: UnitOfWork, t: Translate, lang: Language,
    state: FSMContext,
) -> None:
    await service.draft(uow, user, callback_data.id)
    product = await product_service.product_for(uow, viewer=user, product_id=int(callback_data.arg or 0))
    buttons = [button(str(n), qcb(QAct.QTY, callback_data.id, arg=f"{product.id}-{n}")) for n in QUANTITIES]
    buttons.append(button(t("quote-btn-type-qty"), qcb(QAct.QTY, callback_data.id, arg=f"{product.id}-0")))
    text = t("quote-ask-qty", name=h(product.name(lang)), unit=h(product.unit), price=money_text(product.list_price, lang))
    await state.clear()
    await show(query, text, grid(buttons, per_row=5, extra_rows=[[button(t("btn-back"), back_to(callback_data.id))]]))


@routes.callback_query(QuoteCb.filter(F.act == QAct.QTY))
async def on_qty(
    query: CallbackQuery, callback_data: QuoteCb, user: User, uow: UnitOfWork, t: Translate, lang: Language,
    clock: Clock, state: FSMContext,
) -> None:
    product, _, qty = callback_data.arg.partition("-")
    if not product.isdigit() or not qty.isdigit():
        await query.answer(t("stale-button"), show_alert=True)
        return
    if qty == "0":
        await service.draft(uow, user, callback_data.id)
        data = {"quote": callback_data.id, "product": int(product)}
        await _ask(query, state, QuoteInput.quantity, data, t("quote-type-qty"), t, callback_data.id)
        return
    line = await service.add_product_line(
        uow, actor=user, quote_id=callback_data.id, product_id=int(product), quantity=int(qty), now=clock.now()
    )
    name = await service.line_label(uow, line, lang)
    await show_quote(query, user, uow, t, lang, clock, callback_data.id, t("quote-done-added", name=h(name), qty=line.quantity))


@routes.message(QuoteInput.quantity, F.text, ~F.text.startswith("/"))
async def on_qty_typed(
    message: Message, user: User, uow: UnitOfWork, t: Translate, lang: Language, clock: Clock, state: FSMContext
) -> None:
    data = await state.get_data()
    quote_id = int(data.get("quote") or 0)
    try:
        qty = catalog.parse_quantity(message.text or "")
    except InvalidInput as error:
        await message.answer(t(error.code, **{k: str(v) for k, v in error.params.items()}))
        return
    if data.get("product"):
        line = await service.add_product_line(
            uow, actor=user, quote_id=quote_id, product_id=int(data["product"]), quantity=qty, now=clock.now()
        )
        done = t("quote-done-added", name=h(await service.line_label(uow, line, lang)), qty=line.quantity)
    else:
        await service.set_quantity(uow, actor=user, quote_id=quote_id, line_id=int(data.get("line") or 0),
                                   quantity=qty, now=clock.now())
        done = t("quote-done-changed")
    await show_quote(message, user, uow, t, lang, clock, quote_id, done, state)


# --- a line: quantity, discount, remove ----------------------------------------------------------------------


@routes.callback_query(QuoteCb.filter(F.act == QAct.LINE))
async def on_line(
    query: CallbackQuery, callback_data: QuoteCb, user: User, uow: UnitOfWork, t: Translate, lang: Language,
    state: FSMContext,
) -> None:
    quote = await service.draft(uow, user, callback_data.id)
    lines = {line.id: line for line in await uow.quotes.lines(quote.id or 0)}
    line = lines.get(callback_data.line)
    if line is None:
        await query.answer(t("error-quote-line-gone"), show_alert=True)
        return
    qid, lid = callback_data.id, callback_data.line
    qty = [button(f"×{n}", qcb(QAct.LINE_QTY, qid, line=lid, arg=str(n))) for n in QUANTITIES]
    qty.append(button(t("quote-btn-type-qty"), qcb(QAct.LINE_QTY, qid, line=lid, arg="0")))
    disc = [button(f"−{percent_text(bp, bp=True)}", qcb(QAct.LINE_DISC, qid, line=lid, arg=str(bp))) for bp in DISCOUNTS_BP]
    disc.append(button(t("quote-btn-type-discount"), qcb(QAct.LINE_DISC, qid, line=lid, arg="-1")))
    # At most four a row: the quantities, then the discounts three by three, then remove and back.
    rows = [qty[:4], *rows_of(disc[:-1], 3), [qty[4], disc[-1]],
            [button(t("quote-btn-remove"), qcb(QAct.LINE_DEL, qid, line=lid)), button(t("btn-back"), back_to(qid))]]
    await state.clear()
    text = t("quote-line-screen", name=h(await service.line_label(uow, line, lang)), qty=line.quantity, unit=h(line.unit),
             percent=percent_text(line.discount_bp, bp=True))
    await show(query, text, InlineKeyboardMarkup(inline_keyboard=rows))


@routes.callback_query(QuoteCb.filter(F.act.in_({QAct.LINE_QTY, QAct.LINE_DISC, QAct.LINE_DEL})))
async def on_line_change(
    query: CallbackQuery, callback_data: QuoteCb, user: User, uow: UnitOfWork, t: Translate, lang: Language,
    clock: Clock, state: FSMContext,
) -> None:
    qid, lid, arg, now = callback_data.id, callback_data.line, callback_data.arg, clock.now()
    if callback_data.act is QAct.LINE_DEL:
        await service.remove_line(uow, actor=user, quote_id=qid, line_id=lid, now=now)
        await show_quote(query, user, uow, t, lang, clock, qid, t("quote-done-removed"))
        return
    if arg in ("0", "-1"):
        await service.draft(uow, user, qid)
        st, key = (QuoteInput.quantity, "quote-type-qty") if callback_data.act is QAct.LINE_QTY else (QuoteInput.discount, "quote-type-discount")
        await _ask(query, state, st, {"quote": qid, "line": lid}, t(key), t, qid)
        return
    if not arg.isdigit():
        await query.answer(t("stale-button"), show_alert=True)
        return
    if callback_data.act is QAct.LINE_QTY:
        await service.set_quantity(uow, actor=user, quote_id=qid, line_id=lid, quantity=int(arg), now=now)
    else:
        await service.set_line_discount(uow, actor=user, quote_id=qid, line_id=lid, discount_bp=int(arg), now=now)
    await show_quote(query, user, uow, t, lang, clock, qid, t("quote-done-changed"))


@routes.message(QuoteInput.discount, F.text, ~F.text.startswith("/"))
async def on_discount_typed(
    message: Message, user: User, uow: UnitOfWork, t: Translate, lang: Language, clock: Clock, state: FSMContext
) -> None:
    data = await state.get_data()
    quote_id = int(data.get("quote") or 0)
    try:
        bp = catalog.parse_discount(message.text or "")
    except InvalidInput as error:
        await message.answer(t(error.code))
        return
    if data.get("line"):
        await service.set_line_discount(uow, actor=user, quote_id=quote_id, line_id=int(data["line"]), discount_bp=bp,
                                        now=clock.now())
    else:
        await service.set_quote_discount(uow, actor=user, quote_id=quote_id, discount_bp=bp, now=clock.now())
    await show_quote(message, user, uow, t, lang, clock, quote_id, t("quote-done-changed"), state)


# --- the whole quote's discount, free lines, reason, needs -------------------------------------------------


@routes.callback_query(QuoteCb.filter(F.act == QAct.DISC))
async def on_quote_discount(
    query: CallbackQuery, callback_data: QuoteCb, user: User, uow: UnitOfWork, t: Translate, lang: Language,
    clock: Clock, state: FSMContext,
) -> None:
    qid, arg = callback_data.id, callback_data.arg
    if arg == "":
        quote = await service.draft(uow, user, qid)
        buttons = [button(f"−{percent_text(bp, bp=True)}", qcb(QAct.DISC, qid, arg=str(bp))) for bp in DISCOUNTS_BP]
        buttons.append(button(t("quote-btn-type-discount"), qcb(QAct.DISC, qid, arg="-1")))
        text = t("quote-ask-whole-discount", percent=percent_text(quote.discount_bp, bp=True))
        await show(query, text, grid(buttons, per_row=3, extra_rows=[[button(t("btn-back"), back_to(qid))]]))
        return
    if arg == "-1":
        await service.draft(uow, user, qid)
        await _ask(query, state, QuoteInput.discount, {"quote": qid}, t("quote-type-discount"), t, qid)
        return
    if not arg.isdigit():
        await query.answer(t("stale-button"), show_alert=True)
        return
    await service.set_quote_discount(uow, actor=user, quote_id=qid, discount_bp=int(arg), now=clock.now())
    await show_quote(query, user, uow, t, lang, clock, qid, t("quote-done-changed"))


@routes.callback_query(QuoteCb.filter(F.act.in_({QAct.FREE, QAct.REASON, QAct.TEMPLATE, QAct.REJECTED})))
async def on_typed_asked(
    query: CallbackQuery, callback_data: QuoteCb, user: User, uow: UnitOfWork, t: Translate, state: FSMContext
) -> None:
    qid = callback_data.id
    if callback_data.act in (QAct.FREE, QAct.REASON):
        await service.draft(uow, user, qid)
    else:
        await service.visible_quote(uow, user, qid)
    st, key = {
        QAct.FREE: (QuoteInput.free_line, "quote-ask-free"),
        QAct.REASON: (QuoteInput.reason, "quote-ask-reason"),
        QAct.TEMPLATE: (QuoteInput.template, "quote-ask-template"),
        QAct.REJECTED: (QuoteInput.customer_reason, "quote-ask-customer-reason"),
    }[callback_data.act]
    await _ask(query, state, st, {"quote": qid}, t(key), t, qid)


@routes.message(QuoteInput.free_line, F.text, ~F.text.startswith("/"))
async def on_free_typed(
    message: Message, user: User, uow: UnitOfWork, t: Translate, lang: Language, clock: Clock, state: FSMContext
) -> None:
    quote_id = int((await state.get_data()).get("quote") or 0)
    try:
        name, amount, qty = service.parse_free_line(message.text or "")
    except InvalidInput as error:
        await message.answer(t(error.code, **{k: str(v) for k, v in error.params.items()}))
        return
    line = await service.add_free_line(uow, actor=user, quote_id=quote_id, name=name, unit_price_minor=amount,
                                       quantity=qty, now=clock.now(), unit=t("quote-free-unit"))
    await show_quote(message, user, uow, t, lang, clock, quote_id, t("quote-done-added", name=h(line.name), qty=qty), state)


@routes.message(QuoteInput.reason, F.text, ~F.text.startswith("/"))
async def on_reason_typed(
    message: Message, user: User, uow: UnitOfWork, t: Translate, lang: Language, clock: Clock, state: FSMContext
) -> None:
    data = await state.get_data()
    quote_id = int(data.get("quote") or 0)
    await service.set_reason(uow, actor=user, quote_id=quote_id, reason=message.text or "", now=clock.now())
    done = t("quote-done-changed")
    if data.get("submit"):  # asked for on 📤: submitted with it
        quote = await approval_service.submit(uow, actor=user, quote_id=quote_id, now=clock.now())
        done = t("quote-done-approved-at-once") if quote.status is QuoteStatus.APPROVED else t("quote-done-submitted")
    await show_quote(message, user, uow, t, lang, clock, quote_id, done, state)


@routes.message(QuoteInput.template, F.text, ~F.text.startswith("/"))
async def on_template_typed(
    message: Message, user: User, uow: UnitOfWork, t: Translate, lang: Language, clock: Clock, state: FSMContext
) -> None:
    quote_id = int((await state.get_data()).get("quote") or 0)
    template = await service.save_template(uow, actor=user, quote_id=quote_id, name=message.text or "", now=clock.now())
    await show_quote(message, user, uow, t, lang, clock, quote_id, t("quote-done-template", name=h(template.name)), state)


@routes.message(QuoteInput.customer_reason, F.text, ~F.text.startswith("/"))
async def on_customer_reason_typed(
    message: Message, user: User, uow: UnitOfWork, t: Translate, lang: Language, clock: Clock, state: FSMContext
) -> None:
    quote_id = int((await state.get_data()).get("quote") or 0)
    await lifecycle.mark_rejected(uow, actor=user, quote_id=quote_id, reason=message.text or "", now=clock.now())
    await show_quote(message, user, uow, t, lang, clock, quote_id, t("quote-done-rejected"), state)


@routes.callback_query(QuoteCb.filter(F.act.in_({QAct.NEEDS, QAct.NEED})))
async def on_needs(
    query: CallbackQuery, callback_data: QuoteCb, user: User, uow: UnitOfWork, t: Translate, clock: Clock,
) -> None:
    qid = callback_data.id
    if callback_data.act is QAct.NEED:
        if not callback_data.arg.isdigit():
            await query.answer(t("stale-button"), show_alert=True)
            return
        await service.toggle_need(uow, actor=user, quote_id=qid, index=int(callback_data.arg), now=clock.now())
    else:
        await service.refresh_needs(uow, actor=user, quote_id=qid, now=clock.now())
    quote = await service.draft(uow, user, qid)
    if not quote.needs:
        await show(query, t("quote-needs-none"), grid([], extra_rows=[[button(t("btn-back"), back_to(qid))]]))
        return
    buttons = [
        button(("✅ " if index in quote.covered else "⬜ ") + need[:40], qcb(QAct.NEED, qid, arg=str(index)))
        for index, need in enumerate(quote.needs)
    ]
    text = t("quote-needs-title", covered=len(quote.covered), total=len(quote.needs))
    await show(query, text, grid(buttons, per_row=1, extra_rows=[[button(t("quote-btn-needs-done"), back_to(qid))]]))


# --- submitting, and after -----------------------------------------------------------------------------


@routes.callback_query(QuoteCb.filter(F.act.in_({QAct.SUBMIT, QAct.SENT, QAct.ACCEPTED, QAct.REVISE, QAct.TAKE_COUNTER})))
async def on_move(
    query: CallbackQuery, callback_data: QuoteCb, user: User, uow: UnitOfWork, t: Translate, lang: Language,
    clock: Clock, state: FSMContext,
) -> None:
    qid, now = callback_data.id, clock.now()
    await state.clear()
    if callback_data.act is QAct.SUBMIT and callback_data.arg != "go":
        view = await service.view_quote(uow, viewer=user, quote_id=qid, now=now)
        if view.editable and view.lines and view.route.needed and not view.quote.reason:
            # The approvers will ask why: one line now saves a round trip (or submit without it).
            levels = " → ".join(t(f"quote-level-{lv.value}") for lv in view.route.levels)
            await _ask(query, state, QuoteInput.reason, {"quote": qid, "submit": True},
                       t("quote-ask-reason-submit", levels=levels), t, qid,
                       [button(t("quote-btn-submit-anyway"), qcb(QAct.SUBMIT, qid, arg="go"))])
            return
    if callback_data.act is QAct.SUBMIT:
        quote = await approval_service.submit(uow, actor=user, quote_id=qid, now=now)
        done = t("quote-done-approved-at-once") if quote.status is QuoteStatus.APPROVED else t("quote-done-submitted")
    elif callback_data.act is QAct.SENT:
        await lifecycle.mark_sent(uow, actor=user, quote_id=qid, now=now)
        done = t("quote-done-sent")
    elif callback_data.act is QAct.ACCEPTED:
        quote = await lifecycle.mark_accepted(uow, actor=user, quote_id=qid, now=now)
        done = t("quote-done-accepted", total=money_text(quote.total, lang))
    elif callback_data.act is QAct.TAKE_COUNTER:
        decision = await approval_service.take_counter(uow, actor=user, quote_id=qid, now=now)
        done = t("quote-done-counter-taken") if decision is None else t("quote-done-submitted")
    else:
        quote = await lifecycle.revise(uow, actor=user, quote_id=qid, now=now)
        withdrawn = quote.id == qid
        qid = quote.id or qid
        done = t("quote-done-withdrawn") if withdrawn else t("quote-done-revised", number=quote.number)
    await show_quote(query, user, uow, t, lang, clock, qid, done)


@routes.callback_query(QuoteCb.filter(F.act.in_({QAct.PDF, QAct.XLSX})))
async def on_document(
    query: CallbackQuery, callback_data: QuoteCb, user: User, uow: UnitOfWork, t: Translate, lang: Language,
    clock: Clock, bot: Bot,
) -> None:
    view = await service.view_quote(uow, viewer=user, quote_id=callback_data.id, now=clock.now())
    if view.quote.status not in (QuoteStatus.APPROVED, QuoteStatus.SENT, QuoteStatus.ACCEPTED):
        raise DomainError("error-quote-not-live")
    if callback_data.act is QAct.PDF:
        data, name = quote_pdf(view, t, lang), f"{view.quote.number}.pdf"
    else:
        data, name = quote_xlsx(view, t, lang), f"{view.quote.number}.xlsx"
    await query.answer()
    await bot.send_document(
        user.telegram_id, BufferedInputFile(data, filename=name),
        caption=t("quote-document-caption", number=view.quote.number, company=h(view.lead.company)),
    )
