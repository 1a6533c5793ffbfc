"""An approval card's buttons (Approve · Reject with a reason · Counter-offer) and /approvals, what waits
for me oldest first. Every press is checked again by the service: the presser may decide that level of
that quote (not their own, not another team's), and the step is still pending (a stale or repeated press
acts once and is answered politely)."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator

from aiogram import F
from aiogram.exceptions import TelegramBadRequest
from aiogram.filters import Command, CommandObject, StateFilter
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import CallbackQuery, Message

from bot.formatting import h, when
from bot.i18n import Translate
from bot.keyboards import button, grid
from bot.render import register_action
from bot.routing import Routes
from domain.clock import Clock
from domain.errors import AlreadyDone
from domain.ports import UnitOfWork
from domain.quotes import approvals as service
from domain.quotes import catalog
from domain.quotes import services as quote_service
from domain.quotes.model import ApprovalStep
from domain.quotes.text import money_text, percent_text
from domain.team.model import Language, User
from handlers.common import show
from handlers.quotes.common import ApprovalAct, ApprovalCb, QAct, QuoteCb

routes = Routes(__name__)
COUNTER_STEPS_BP = (500, 800, 1000, 1200, 1500, 1800)


class ApprovalInput(StatesGroup):
    reject_reason = State()
    counter_percent = State()


register_action(service.ACTION_APPROVE, "quote-btn-approve", lambda a: ApprovalCb(act=ApprovalAct.APPROVE, id=a.id))
register_action(service.ACTION_REJECT, "quote-btn-reject", lambda a: ApprovalCb(act=ApprovalAct.REJECT, id=a.id))
register_action(service.ACTION_COUNTER, "quote-btn-counter", lambda a: ApprovalCb(act=ApprovalAct.COUNTER, id=a.id))
register_action(service.ACTION_TAKE_COUNTER, "quote-btn-take-counter", lambda a: QuoteCb(act=QAct.TAKE_COUNTER, id=a.id))
register_action(service.ACTION_OPEN, "quote-btn-open", lambda a: QuoteCb(act=QAct.OPEN, id=a.id))


async def _drop_buttons(query: CallbackQuery) -> None:
    if isinstance(query.message, Message):
        with contextlib.suppress(TelegramBadRequest):
            await query.message.edit_reply_markup(reply_markup=None)


@contextlib.asynccontextmanager
async def _stale_card(query: CallbackQuery) -> AsyncIterator[None]:
    """A press on a card whose step was decided already: the card loses its buttons, and the refusal (who
    decided it) is told as usual."""
    try:
        yield
    except AlreadyDone:
        await _drop_buttons(query)
        raise


def _outcome(t: Translate, decision: service.Decision) -> str:
    key = {"approved": "approval-done-approved", "next": "approval-done-next", "rejected": "approval-done-rejected",
           "countered": "approval-done-countered"}[decision.outcome]
    return t(key, number=decision.quote.number)


def card_text(view: quote_service.QuoteView, step: ApprovalStep, lang: Language) -> str:
    """The approval card as its notification shows it, in `lang`."""
    from bot.i18n import catalogue
    from bot.render import format_params

    cat = catalogue()
    params = service.card_params(view, step, view.owner_name, lang)
    return cat.get(lang, "quote-approval-card", **format_params(params, view.team.timezone, lang, cat))


@routes.callback_query(ApprovalCb.filter(F.act == ApprovalAct.APPROVE))
async def on_approve(
    query: CallbackQuery, callback_data: ApprovalCb, user: User, uow: UnitOfWork, t: Translate, lang: Language,
    clock: Clock, state: FSMContext,
) -> None:
    """Approved from the card: the card itself says so (edited in place, its buttons gone)."""
    now = clock.now()
    async with _stale_card(query):
        decision = await service.approve(uow, actor=user, step_id=callback_data.id, now=now)
    await state.clear()
    view = await quote_service.build_view(uow, decision.quote, now)
    await show(query, f"{card_text(view, decision.step, lang)}\n\n{_outcome(t, decision)}")


@routes.callback_query(ApprovalCb.filter(F.act == ApprovalAct.REJECT))
async def on_reject(
    query: CallbackQuery, callback_data: ApprovalCb, user: User, uow: UnitOfWork, t: Translate, state: FSMContext,
) -> None:
    async with _stale_card(query):
        _step, quote = await service.step_for(uow, actor=user, step_id=callback_data.id)
    await state.set_state(ApprovalInput.reject_reason)
    await state.set_data({"step": callback_data.id})
    await query.answer()
    if isinstance(query.message, Message):
        await query.message.answer(t("approval-ask-reason", number=quote.number), reply_markup=grid([], t))


@routes.message(StateFilter(ApprovalInput.reject_reason), F.text, ~F.text.startswith("/"))
async def on_reject_reason(
    message: Message, user: User, uow: UnitOfWork, t: Translate, clock: Clock, state: FSMContext
) -> None:
    step_id = (await state.get_data()).get("step")
    if not isinstance(step_id, int):
        await state.clear()
        await message.answer(t("stale-flow"))
        return
    decision = await service.reject(uow, actor=user, step_id=step_id, reason=message.text or "", now=clock.now())
    await state.clear()
    await message.answer(_outcome(t, decision))


@routes.callback_query(ApprovalCb.filter(F.act == ApprovalAct.COUNTER))
async def on_counter(
    query: CallbackQuery, callback_data: ApprovalCb, user: User, uow: UnitOfWork, t: Translate, clock: Clock,
) -> None:
    async with _stale_card(query):
        _step, view = await service.approval_view(uow, actor=user, step_id=callback_data.id, now=clock.now())
    asked = view.totals.discount_percent
    offers = [bp for bp in COUNTER_STEPS_BP if bp < asked * 100]
    buttons = [
        button(percent_text(bp, bp=True), ApprovalCb(act=ApprovalAct.COUNTER_AT, id=callback_data.id, arg=str(bp)))
        for bp in offers
    ]
    buttons.append(button(t("approval-btn-counter-type"), ApprovalCb(act=ApprovalAct.COUNTER_AT, id=callback_data.id, arg="-1")))
    await query.answer()
    if isinstance(query.message, Message):
        await query.message.answer(
            t("approval-ask-counter", number=view.quote.number, asked=percent_text(asked)), reply_markup=grid(buttons, t)
        )


@routes.callback_query(ApprovalCb.filter(F.act == ApprovalAct.COUNTER_AT))
async def on_counter_at(
    query: CallbackQuery, callback_data: ApprovalCb, user: User, uow: UnitOfWork, t: Translate, clock: Clock,
    state: FSMContext,
) -> None:
    if callback_data.arg == "-1":
        _step, quote = await service.step_for(uow, actor=user, step_id=callback_data.id)
        await state.set_state(ApprovalInput.counter_percent)
        await state.set_data({"step": callback_data.id})
        await show(query, t("approval-type-counter", number=quote.number), grid([], t))
        return
    if not callback_data.arg.isdigit():
        await query.answer(t("stale-button"), show_alert=True)
        return
    decision = await service.counter(
        uow, actor=user, step_id=callback_data.id, discount_bp=int(callback_data.arg), now=clock.now()
    )
    await state.clear()
    await show(query, _outcome(t, decision))


@routes.message(StateFilter(ApprovalInput.counter_percent), F.text, ~F.text.startswith("/"))
async def on_counter_typed(
    message: Message, user: User, uow: UnitOfWork, t: Translate, clock: Clock, state: FSMContext
) -> None:
    step_id = (await state.get_data()).get("step")
    if not isinstance(step_id, int):
        await state.clear()
        await message.answer(t("stale-flow"))
        return
    decision = await service.counter(
        uow, actor=user, step_id=step_id, discount_bp=catalog.parse_discount(message.text or ""), now=clock.now()
    )
    await state.clear()
    await message.answer(_outcome(t, decision))


# --- /approvals ---------------------------------------------------------------------------------------


@routes.message(Command("approvals"), F.chat.type == "private")
async def cmd_approvals(
    message: Message, user: User, uow: UnitOfWork, t: Translate, lang: Language, state: FSMContext,
) -> None:
    await state.clear()
    waiting = await service.waiting_for(uow, viewer=user)
    if not waiting:
        await message.answer(t("approvals-empty"))
        return
    tz = (await uow.teams.get(user.team_id))
    lines = [t("approvals-title", count=len(waiting)), ""]
    buttons = []
    for number, item in enumerate(waiting, start=1):
        lines.append(t(
            "approvals-line", n=number, number=item.quote.number, company=h(item.company), rep=h(item.rep),
            level=t(f"quote-level-{item.step.level.value}"), total=money_text(item.quote.total, lang),
            since=when(item.step.requested_at, tz.timezone if tz else "Asia/Shanghai", lang),
        ))
        buttons.append(button(f"{number}. {item.company} · {item.quote.number}", ApprovalCb(act=ApprovalAct.SHOW, id=item.step.id or 0)))
    await message.answer("\n".join(lines), reply_markup=grid(buttons, per_row=1))


@routes.callback_query(ApprovalCb.filter(F.act == ApprovalAct.SHOW))
async def on_show(
    query: CallbackQuery, callback_data: ApprovalCb, user: User, uow: UnitOfWork, t: Translate, lang: Language,
    clock: Clock,
) -> None:
    step, view = await service.approval_view(uow, actor=user, step_id=callback_data.id, now=clock.now())
    from aiogram.types import InlineKeyboardMarkup

    from bot.i18n import catalogue
    from bot.render import markup_json  # the card as the notification shows it

    text = card_text(view, step, lang)
    markup = markup_json(catalogue(), lang, service.card_actions(callback_data.id))
    await show(query, text, InlineKeyboardMarkup.model_validate_json(markup) if markup else None)


# --- /quotepolicy -----------------------------------------------------------------------------------------


@routes.message(Command("quotepolicy"), F.chat.type == "private")
async def cmd_quote_policy(
    message: Message, command: CommandObject, user: User, uow: UnitOfWork, t: Translate, clock: Clock,
    state: FSMContext,
) -> None:
    """`/quotepolicy` shows the team's quote rules; `/quotepolicy 10 20 15 4 15` sets them (managers)."""
    await state.clear()
    done = ""
    if command.args:
        policy = await quote_service.update_quote_policy(
            uow, actor=user, changes=quote_service.parse_policy(command.args), now=clock.now()
        )
        done = t("quote-policy-done") + "\n\n"
    else:
        policy = await quote_service.quote_policy(uow, viewer=user)
    await message.answer(done + t(
        "quote-policy", manager=percent_text(policy.manager_from_bp, bp=True),
        admin=percent_text(policy.admin_from_bp, bp=True), margin=percent_text(policy.margin_floor_bp, bp=True),
        hours=f"{policy.sla_minutes / 60:g}", days=policy.validity_days,
    ))
