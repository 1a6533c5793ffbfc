"""Money in chat. The rep reports a payment from the contract (💰): the milestone, the amount (what is
still open on it, or typed), the day, the method, then the receipt (a photo or PDF); finance gets a card
through the outbox: ✅ Confirm · ❌ Reject (why) · ✏️ Amount differs (typed) · 🧾 the receipt. Finance can also
record money straight from the bank statement (💵). Every press is checked again by the service: only
finance or an admin of the contract's team decides, once."""

from __future__ import annotations

import contextlib
from datetime import date, timedelta
from typing import Any

from aiogram import Bot, F
from aiogram.exceptions import TelegramBadRequest
from aiogram.filters import StateFilter
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import CallbackQuery, InlineKeyboardMarkup, Message

from bot.formatting import h, money
from bot.i18n import Translate
from bot.keyboards import button, grid
from bot.render import register_action
from bot.routing import Routes
from domain.clock import Clock
from domain.contracts import services as service
from domain.contracts.model import PaymentMethod
from domain.contracts.reading import parse_amount, parse_day
from domain.money import Money
from domain.ports import UnitOfWork
from domain.team.model import Language, User
from domain.worktime import local
from handlers.common import render_flow
from handlers.contracts.common import CAct, ContractCb, PAct, PayCb
from handlers.contracts.screens import flow_id, read_file, show_contract
from handlers.pipeline_ui import day_text

routes = Routes(__name__)

register_action(service.ACTION_CONFIRM, "payment-btn-confirm", lambda a: PayCb(act=PAct.CONFIRM, id=a.id))
register_action(service.ACTION_REJECT, "payment-btn-reject", lambda a: PayCb(act=PAct.REJECT, id=a.id))
register_action(service.ACTION_DIFFERS, "payment-btn-differs", lambda a: PayCb(act=PAct.DIFFERS, id=a.id))
register_action(service.ACTION_RECEIPT, "payment-btn-receipt", lambda a: PayCb(act=PAct.RECEIPT, id=a.id))
register_action(service.ACTION_REPORT, "contract-btn-report", lambda a: ContractCb(act=CAct.REPORT, id=a.id))


class PayFlow(StatesGroup):
    milestone = State()
    amount = State()
    day = State()
    method = State()
    receipt = State()  # the rep: the receipt, then it goes to finance
    review = State()  # finance recording directly: one look, then 💾


class FinanceInput(StatesGroup):
    reject_reason = State()
    amount = State()


# --- the flow's screens ------------------------------------------------------------------------------------


async def _data(state: FSMContext) -> dict[str, Any] | None:
    data = await state.get_data()
    return data if isinstance(data.get("contract"), int) else None


def _nav(t: Translate, back: str) -> list[list[Any]]:
    return [[button(t("btn-back"), PayCb(act=PAct.BACK, arg=back))]]


def _summary(t: Translate, lang: Language, data: dict[str, Any]) -> str:
    lines = [t("payment-flow-head", number=data["number"], direct=t("payment-flow-direct") if data.get("direct") else "")]
    if data.get("label"):
        lines.append(t("payment-flow-milestone", label=h(data["label"])))
    if data.get("amount") is not None:
        lines.append(t("payment-flow-amount", amount=money(Money(data["amount"], data["currency"]))))
    if data.get("day"):
        lines.append(t("payment-flow-day", day=day_text(date.fromisoformat(data["day"]), lang)))
    if data.get("method"):
        lines.append(t("payment-flow-method", method=t(f"payment-method-{data['method']}")))
    return "\n".join(lines)


async def _screen(
    event: Message | CallbackQuery, state: FSMContext, t: Translate, lang: Language, data: dict[str, Any],
    step: str, bot: Bot,
) -> None:
    """Draw the flow's step `step` with what was answered so far."""
    head = _summary(t, lang, data)
    markup: InlineKeyboardMarkup
    if step == "milestone":
        await state.set_state(PayFlow.milestone)
        buttons = [button(f"{m['position']}. {m['label']} · {money(Money(m['left'], data['currency']))}",
                          PayCb(act=PAct.MILESTONE, id=m["id"])) for m in data["milestones"]]
        text, markup = t("payment-ask-milestone"), grid(buttons, t, per_row=1, back=ContractCb(act=CAct.SHOW, id=data["contract"]))
    elif step == "amount":
        await state.set_state(PayFlow.amount)
        left = Money(data["left"], data["currency"])
        text = t("payment-ask-amount", left=money(left))
        markup = grid([button(t("payment-btn-full", amount=money(left)), PayCb(act=PAct.FULL))], t, per_row=1,
                      extra_rows=_nav(t, "milestone"))
    elif step == "day":
        await state.set_state(PayFlow.day)
        text = t("payment-ask-day")
        markup = grid([button(t(f"payment-btn-day-{n}"), PayCb(act=PAct.DAY, arg=str(n))) for n in (0, 1, 2)], t,
                      extra_rows=_nav(t, "amount"))
    elif step == "method":
        await state.set_state(PayFlow.method)
        text = t("payment-ask-method")
        markup = grid([button(t(f"payment-method-{m.value}"), PayCb(act=PAct.METHOD, arg=m.value)) for m in PaymentMethod],
                      t, extra_rows=_nav(t, "day"))
    elif step == "receipt":
        await state.set_state(PayFlow.receipt)
        text, markup = t("payment-ask-receipt"), grid([], t, extra_rows=_nav(t, "method"))
    else:
        await state.set_state(PayFlow.review)
        text = t("payment-ask-save")
        markup = grid([button(t("payment-btn-save"), PayCb(act=PAct.SAVE))], t, extra_rows=_nav(t, "method"))
    await state.set_data(data)
    await render_flow(event, state, bot, f"{head}\n\n{text}", markup)


@routes.callback_query(ContractCb.filter(F.act.in_({CAct.REPORT, CAct.RECORD})))
async def on_start(
    query: CallbackQuery, callback_data: ContractCb, user: User, uow: UnitOfWork, t: Translate, lang: Language,
    state: FSMContext, bot: Bot,
) -> None:
    view = await service.view_contract(uow, viewer=user, contract_id=callback_data.id)
    direct = callback_data.act is CAct.RECORD
    if (direct and not view.may_confirm) or (not direct and not view.may_work):
        await query.answer(t("error-payment-confirm-role" if direct else "error-contract-not-yours"), show_alert=True)
        return
    open_ones = view.open_milestones()
    if not open_ones:
        await query.answer(t("error-milestone-paid"), show_alert=True)
        return
    contract = view.contract
    data = {
        "contract": contract.id, "number": contract.number, "currency": contract.currency, "direct": direct,
        "milestones": [{"id": m.id, "position": m.position, "label": m.label, "left": m.outstanding.minor}
                       for m in open_ones],
    }
    await state.clear()
    await _screen(query, state, t, lang, data, "milestone", bot)


async def _need(query: CallbackQuery, state: FSMContext, t: Translate) -> dict[str, Any] | None:
    data = await _data(state)
    if data is None:
        await query.answer(t("stale-button"), show_alert=True)
    return data


@routes.callback_query(PayFlow.milestone, PayCb.filter(F.act == PAct.MILESTONE))
async def on_milestone(
    query: CallbackQuery, callback_data: PayCb, t: Translate, lang: Language, state: FSMContext, bot: Bot,
) -> None:
    data = await _need(query, state, t)
    if data is None:
        return
    picked = next((m for m in data["milestones"] if m["id"] == callback_data.id), None)
    if picked is None:
        await query.answer(t("stale-button"), show_alert=True)
        return
    data.update(milestone=picked["id"], label=f"{picked['position']}. {picked['label']}", left=picked["left"])
    await _screen(query, state, t, lang, data, "amount", bot)


@routes.callback_query(PayFlow.amount, PayCb.filter(F.act == PAct.FULL))
async def on_full(query: CallbackQuery, t: Translate, lang: Language, state: FSMContext, bot: Bot) -> None:
    data = await _need(query, state, t)
    if data is None:
        return
    data["amount"] = data["left"]
    await _screen(query, state, t, lang, data, "day", bot)


@routes.message(PayFlow.amount, F.text, ~F.text.startswith("/"))
async def on_amount_typed(message: Message, t: Translate, lang: Language, state: FSMContext, bot: Bot) -> None:
    data = await _data(state)
    if data is None:
        await state.clear()
        await message.answer(t("stale-flow"))
        return
    data["amount"] = parse_amount(message.text or "", data["currency"]).minor
    await _screen(message, state, t, lang, data, "day", bot)


@routes.callback_query(PayFlow.day, PayCb.filter(F.act == PAct.DAY))
async def on_day(
    query: CallbackQuery, callback_data: PayCb, user: User, uow: UnitOfWork, t: Translate, lang: Language,
    clock: Clock, state: FSMContext, bot: Bot,
) -> None:
    data = await _need(query, state, t)
    if data is None or callback_data.arg not in ("0", "1", "2"):
        return
    today = await _today(uow, user, clock)
    data["day"] = (today - timedelta(days=int(callback_data.arg))).isoformat()
    await _screen(query, state, t, lang, data, "method", bot)


async def _today(uow: UnitOfWork, user: User, clock: Clock) -> date:
    team = await uow.teams.get(user.team_id)
    return local(clock.now(), team.timezone if team else "Asia/Shanghai").date()


@routes.message(PayFlow.day, F.text, ~F.text.startswith("/"))
async def on_day_typed(
    message: Message, user: User, uow: UnitOfWork, t: Translate, lang: Language, clock: Clock, state: FSMContext,
    bot: Bot,
) -> None:
    data = await _data(state)
    if data is None:
        await state.clear()
        await message.answer(t("stale-flow"))
        return
    today = await _today(uow, user, clock)
    day = parse_day(message.text or "", today)
    if day > today:
        await message.answer(t("error-payment-date"))
        return
    data["day"] = day.isoformat()
    await _screen(message, state, t, lang, data, "method", bot)


@routes.callback_query(PayFlow.method, PayCb.filter(F.act == PAct.METHOD))
async def on_method(
    query: CallbackQuery, callback_data: PayCb, t: Translate, lang: Language, state: FSMContext, bot: Bot,
) -> None:
    data = await _need(query, state, t)
    if data is None or callback_data.arg not in {m.value for m in PaymentMethod}:
        return
    data["method"] = callback_data.arg
    await _screen(query, state, t, lang, data, "review" if data.get("direct") else "receipt", bot)


@routes.callback_query(PayCb.filter(F.act == PAct.BACK))
async def on_back(
    query: CallbackQuery, callback_data: PayCb, t: Translate, lang: Language, state: FSMContext, bot: Bot,
) -> None:
    data = await _need(query, state, t)
    if data is None or callback_data.arg not in ("milestone", "amount", "day", "method"):
        return
    await _screen(query, state, t, lang, data, callback_data.arg, bot)


@routes.message(PayFlow.receipt, F.document | F.photo)
async def on_receipt(
    message: Message, user: User, uow: UnitOfWork, t: Translate, lang: Language, clock: Clock, state: FSMContext,
    bot: Bot,
) -> None:
    data = await _data(state)
    if data is None or not data.get("method"):
        await state.clear()
        await message.answer(t("stale-flow"))
        return
    file_id, _digest, _name, kind = await read_file(message, bot)
    payment = await service.report_payment(
        uow, actor=user, contract_id=data["contract"], milestone_id=data["milestone"],
        amount=Money(data["amount"], data["currency"]), paid_on=date.fromisoformat(data["day"]),
        method=PaymentMethod(data["method"]), receipt_file_id=file_id, receipt_kind=kind, now=clock.now(),
    )
    await state.clear()
    await show_contract(message, user, uow, t, lang, data["contract"],
                        t("payment-done-reported", amount=money(payment.amount)))


@routes.message(PayFlow.receipt, ~F.text.startswith("/"))
async def on_receipt_unexpected(message: Message, t: Translate) -> None:
    await message.answer(t("payment-expect-receipt"))


@routes.callback_query(PayFlow.review, PayCb.filter(F.act == PAct.SAVE))
async def on_save(
    query: CallbackQuery, user: User, uow: UnitOfWork, t: Translate, lang: Language, clock: Clock, state: FSMContext,
) -> None:
    data = await _need(query, state, t)
    if data is None:
        return
    settled = await service.record_payment(
        uow, actor=user, contract_id=data["contract"], milestone_id=data["milestone"],
        amount=Money(data["amount"], data["currency"]), paid_on=date.fromisoformat(data["day"]),
        method=PaymentMethod(data["method"]), now=clock.now(),
    )
    await state.clear()
    await show_contract(query, user, uow, t, lang, data["contract"], _settled_text(t, settled))


@routes.message(StateFilter(PayFlow.milestone, PayFlow.method, PayFlow.review), ~F.text.startswith("/"))
async def on_button_expected(message: Message, t: Translate) -> None:
    """Text (or a sticker) where a button is expected: say so; the flow and its answers stay."""
    await message.answer(t("payment-expect-button"))


@routes.callback_query(PayCb.filter(F.act.in_({PAct.MILESTONE, PAct.FULL, PAct.DAY, PAct.METHOD, PAct.SAVE})))
async def on_stale_step(query: CallbackQuery, t: Translate) -> None:
    await query.answer(t("stale-button"), show_alert=True)


# --- finance's card ------------------------------------------------------------------------------------------


def _settled_text(t: Translate, settled: service.Settled) -> str:
    contract = settled.contract
    text = t("payment-done-confirmed", number=contract.number, amount=money(settled.payment.settled_amount),
             left=money(contract.outstanding))
    if settled.completed:
        text += "\n" + t("payment-done-completed")
    if settled.over.minor:
        text += "\n" + t("contract-overpaid", amount=money(settled.over))
    return text


async def _close_card(query: CallbackQuery, outcome: str) -> None:
    """The card keeps its text, loses its buttons and says what was decided."""
    if isinstance(query.message, Message):
        with contextlib.suppress(TelegramBadRequest):
            await query.message.edit_text(f"{query.message.html_text}\n\n{outcome}", reply_markup=None)


@routes.callback_query(PayCb.filter(F.act == PAct.CONFIRM))
async def on_confirm(
    query: CallbackQuery, callback_data: PayCb, user: User, uow: UnitOfWork, t: Translate, lang: Language,
    clock: Clock,
) -> None:
    settled = await service.confirm_payment(uow, actor=user, payment_id=callback_data.id, now=clock.now())
    text = _settled_text(t, settled)
    if callback_data.arg == "contract":  # from the contract's screen: the contract again, as it stands now
        await show_contract(query, user, uow, t, lang, settled.contract.id or 0, text)
        return
    await query.answer(t("payment-done-confirmed-short"))
    await _close_card(query, text)


@routes.callback_query(PayCb.filter(F.act.in_({PAct.REJECT, PAct.DIFFERS})))
async def on_decide_typed(
    query: CallbackQuery, callback_data: PayCb, user: User, uow: UnitOfWork, t: Translate, state: FSMContext,
) -> None:
    payment, contract = await service.payment_for(uow, actor=user, payment_id=callback_data.id)
    reject = callback_data.act is PAct.REJECT
    await state.set_state(FinanceInput.reject_reason if reject else FinanceInput.amount)
    await state.set_data({"payment": callback_data.id})
    await query.answer()
    if isinstance(query.message, Message):
        key = "payment-ask-reject" if reject else "payment-ask-actual"
        await query.message.answer(t(key, number=contract.number, amount=money(payment.amount)),
                                   reply_markup=grid([], t))


async def _payment_id(message: Message, state: FSMContext, t: Translate) -> int | None:
    return await flow_id(message, t, state, "payment")


@routes.message(FinanceInput.reject_reason, F.text, ~F.text.startswith("/"))
async def on_reject_reason(
    message: Message, user: User, uow: UnitOfWork, t: Translate, clock: Clock, state: FSMContext,
) -> None:
    payment_id = await _payment_id(message, state, t)
    if payment_id is None:
        return
    payment = await service.reject_payment(uow, actor=user, payment_id=payment_id, reason=message.text or "",
                                           now=clock.now())
    await state.clear()
    await message.answer(t("payment-done-rejected", amount=money(payment.amount)))


@routes.message(FinanceInput.amount, F.text, ~F.text.startswith("/"))
async def on_actual_amount(
    message: Message, user: User, uow: UnitOfWork, t: Translate, clock: Clock, state: FSMContext,
) -> None:
    payment_id = await _payment_id(message, state, t)
    if payment_id is None:
        return
    payment, _contract = await service.payment_for(uow, actor=user, payment_id=payment_id)
    amount = parse_amount(message.text or "", payment.currency)
    settled = await service.confirm_payment(uow, actor=user, payment_id=payment_id, amount=amount, now=clock.now())
    await state.clear()
    await message.answer(_settled_text(t, settled))


@routes.callback_query(PayCb.filter(F.act == PAct.RECEIPT))
async def on_receipt_shown(
    query: CallbackQuery, callback_data: PayCb, user: User, uow: UnitOfWork, t: Translate, bot: Bot,
) -> None:
    payment = await service.receipt_of(uow, viewer=user, payment_id=callback_data.id)
    await query.answer()
    if query.message is None or payment.receipt_file_id is None:
        return
    caption = t("payment-receipt-caption", amount=money(payment.amount), day=payment.paid_on.isoformat())
    if payment.receipt_kind == "photo":
        await bot.send_photo(query.message.chat.id, payment.receipt_file_id, caption=caption)
    else:
        await bot.send_document(query.message.chat.id, payment.receipt_file_id, caption=caption)

