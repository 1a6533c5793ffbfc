"""A deal's contracts (📑 on the deal card): open one from the accepted quote, pick a payment plan, send it
for signature, send the bot the signed scan; a manager cancels one. Every press is checked again by the
service (domain/contracts/services.py); a stale or repeated press changes nothing."""

from __future__ import annotations

import hashlib
import io

from aiogram import Bot, F
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import CallbackQuery, InlineKeyboardButton, Message

from bot.formatting import h, money
from bot.i18n import Translate
from bot.keyboards import button, grid
from bot.render import register_action
from bot.routing import Routes
from domain.clock import Clock
from domain.contracts import policy as payment_policy
from domain.contracts import services as service
from domain.contracts.model import COLLECTING, OPEN, UNSIGNED, ContractStatus
from domain.contracts.reading import parse_amount
from domain.contracts.signature import InChatSignature
from domain.errors import InvalidInput
from domain.permissions import manages_team
from domain.ports import UnitOfWork
from domain.team.model import Language, User
from handlers.common import show
from handlers.contracts.common import CAct, ContractCb, PAct, PayCb, contract_lines
from handlers.contracts.plan_templates import template_title
from handlers.pipeline_ui import DealAct, DealCb, deal_name

routes = Routes(__name__)
MAX_FILE_BYTES = 20 * 1024 * 1024  # what the Bot API lets a bot download
SIGNATURE = InChatSignature()

register_action(service.ACTION_OPEN, "contract-btn-open", lambda a: ContractCb(act=CAct.SHOW, id=a.id))


class ContractInput(StatesGroup):
    signed_document = State()
    cancel_reason = State()
    amount = State()


def plan_labels(t: Translate) -> dict[str, str]:
    return {key: t(f"contract-label-{key}") for key in ("signing", "delivery", "acceptance")} | {
        "month": t("contract-label-month", n="{n}")
    }


# --- a deal's contracts ----------------------------------------------------------------------------------


@routes.callback_query(ContractCb.filter(F.act == CAct.DEAL))
async def on_deal(
    query: CallbackQuery, callback_data: ContractCb, user: User, uow: UnitOfWork, t: Translate, lang: Language,
    state: FSMContext,
) -> None:
    await state.clear()
    found = await service.deal_contracts(uow, viewer=user, opportunity_id=callback_data.id)
    lines = [t("contract-deal-title", deal=deal_name(found.lead.company, found.opportunity.title)), ""]
    buttons = []
    for contract in found.contracts:
        lines.append(t("contract-deal-line", number=contract.number, status=t(f"contract-status-{contract.status.value}"),
                       amount=money(contract.amount), paid=money(contract.paid)))
        buttons.append(button(f"{contract.number} · {t(f'contract-status-{contract.status.value}')}",
                              ContractCb(act=CAct.SHOW, id=contract.id or 0)))
    if not found.contracts:
        lines.append(t("contract-deal-none"))
    extra: list[list[InlineKeyboardButton]] = []
    if found.may_open:
        label = (t("contract-btn-new-quote", number=found.quote_number) if found.quote_number
                 else t("contract-btn-new-amount", amount=money(found.opportunity.amount or found.quote_total)))  # type: ignore[arg-type]
        extra.append([button(label, ContractCb(act=CAct.NEW, id=callback_data.id))])
    elif found.quote_number is None and not any(c.status in OPEN for c in found.contracts):
        lines.extend(["", t("contract-needs-quote")])
    extra.append([button(t("contract-btn-deal"), DealCb(act=DealAct.OPEN, id=callback_data.id))])
    await show(query, "\n".join(lines), grid(buttons, per_row=1, extra_rows=extra))


@routes.callback_query(ContractCb.filter(F.act == CAct.NEW))
async def on_new(
    query: CallbackQuery, callback_data: ContractCb, user: User, uow: UnitOfWork, t: Translate, lang: Language,
    clock: Clock,
) -> None:
    contract = await service.open_contract(uow, actor=user, opportunity_id=callback_data.id, now=clock.now())
    await show_contract(query, user, uow, t, lang, contract.id or 0, t("contract-done-opened", number=contract.number))


# --- a contract ------------------------------------------------------------------------------------------


async def show_contract(
    event: Message | CallbackQuery, user: User, uow: UnitOfWork, t: Translate, lang: Language, contract_id: int,
    done: str = "",
) -> None:
    view = await service.view_contract(uow, viewer=user, contract_id=contract_id)
    contract = view.contract
    cid = contract.id or 0
    lines = [t("contract-head", company=h(view.lead.company), deal=h(view.opportunity.title), owner=h(view.owner_name)),
             *contract_lines(t, lang, contract, view.milestones, view.payments)]
    if done:
        lines = [done, "", *lines]
    buttons = []
    unpaid = not contract.paid_minor
    if view.may_work and contract.status in (ContractStatus.DRAFT, ContractStatus.SENT, ContractStatus.SIGNED) and unpaid:
        buttons.append(button(t("contract-btn-plan"), ContractCb(act=CAct.PLAN, id=cid)))
    if view.may_work and contract.status is ContractStatus.DRAFT and view.milestones:
        buttons.append(button(t("contract-btn-send"), ContractCb(act=CAct.SEND, id=cid)))
    if view.may_work and contract.status in UNSIGNED and view.milestones:
        buttons.append(button(t("contract-btn-sign"), ContractCb(act=CAct.SIGN, id=cid)))
    if view.may_work and contract.status in COLLECTING and view.open_milestones():
        buttons.append(button(t("contract-btn-report"), ContractCb(act=CAct.REPORT, id=cid)))
    if view.may_confirm and contract.status in COLLECTING:
        buttons.append(button(t("contract-btn-record"), ContractCb(act=CAct.RECORD, id=cid)))
    if view.may_confirm:
        buttons += [button(t("contract-btn-confirm-payment", amount=money(p.amount)), PayCb(act=PAct.CONFIRM, id=p.id or 0,
                                                                                          arg="contract"))
                    for p in view.waiting]
    if contract.document_file_id:
        buttons.append(button(t("contract-btn-document"), ContractCb(act=CAct.DOC, id=cid)))
    if contract.status in UNSIGNED and manages_team(user, contract.team_id):
        buttons.append(button(t("contract-btn-amount"), ContractCb(act=CAct.AMOUNT, id=cid)))
    if contract.status in OPEN and unpaid and manages_team(user, contract.team_id):
        buttons.append(button(t("contract-btn-cancel"), ContractCb(act=CAct.CANCEL, id=cid)))
    back = [button(t("contract-btn-deal"), DealCb(act=DealAct.OPEN, id=contract.opportunity_id))]
    await show(event, "\n".join(lines), grid(buttons, per_row=2, extra_rows=[back]))


@routes.callback_query(ContractCb.filter(F.act == CAct.SHOW))
async def on_show(
    query: CallbackQuery, callback_data: ContractCb, user: User, uow: UnitOfWork, t: Translate, lang: Language,
    state: FSMContext,
) -> None:
    await state.clear()
    await show_contract(query, user, uow, t, lang, callback_data.id)


@routes.callback_query(ContractCb.filter(F.act == CAct.PLAN))
async def on_plan(query: CallbackQuery, callback_data: ContractCb, user: User, uow: UnitOfWork, t: Translate) -> None:
    """The team's templates (/policy → 🗓 回款模板; the built-in ones until the team changes them)."""
    view = await service.view_contract(uow, viewer=user, contract_id=callback_data.id)
    templates = await payment_policy.plan_templates(uow, view.contract.team_id)
    buttons = [button(template_title(t, tpl), ContractCb(act=CAct.PLAN_AT, id=callback_data.id, arg=tpl.key))
               for tpl in templates]
    text = t("contract-plan-ask", number=view.contract.number, amount=money(view.contract.amount))
    await show(query, text, grid(buttons, per_row=1,
                                 extra_rows=[[button(t("btn-back"), ContractCb(act=CAct.SHOW, id=callback_data.id))]]))


@routes.callback_query(ContractCb.filter(F.act == CAct.PLAN_AT))
async def on_plan_at(
    query: CallbackQuery, callback_data: ContractCb, user: User, uow: UnitOfWork, t: Translate, lang: Language,
    clock: Clock,
) -> None:
    # A template removed since the button was drawn: NotFound, said as an alert.
    await service.apply_template(uow, actor=user, contract_id=callback_data.id, template=callback_data.arg,
                                 labels=plan_labels(t), now=clock.now())
    await show_contract(query, user, uow, t, lang, callback_data.id, t("contract-done-plan"))


@routes.callback_query(ContractCb.filter(F.act == CAct.SEND))
async def on_send(
    query: CallbackQuery, callback_data: ContractCb, user: User, uow: UnitOfWork, t: Translate, lang: Language,
    clock: Clock,
) -> None:
    next_step = await service.send_for_signature(uow, actor=user, contract_id=callback_data.id, provider=SIGNATURE,
                                                 now=clock.now())
    await show_contract(query, user, uow, t, lang, callback_data.id, t(next_step))


# --- the signed document ------------------------------------------------------------------------------------


@routes.callback_query(ContractCb.filter(F.act == CAct.SIGN))
async def on_sign(
    query: CallbackQuery, callback_data: ContractCb, user: User, uow: UnitOfWork, t: Translate, state: FSMContext,
) -> None:
    view = await service.view_contract(uow, viewer=user, contract_id=callback_data.id)
    if not view.may_work:
        await query.answer(t("error-contract-not-yours"), show_alert=True)
        return
    await state.set_state(ContractInput.signed_document)
    await state.set_data({"contract": callback_data.id})
    await show(query, t("contract-ask-document", number=view.contract.number),
               grid([], t, back=ContractCb(act=CAct.SHOW, id=callback_data.id)))


async def flow_id(message: Message, t: Translate, state: FSMContext, key: str = "contract") -> int | None:
    """The record a typed step (a reason, an amount, a file) is about, kept in the flow's data under `key`;
    None (and the person told the flow is gone) when it is not there any more."""
    record_id = (await state.get_data()).get(key)
    if isinstance(record_id, int):
        return record_id
    await state.clear()
    await message.answer(t("stale-flow"))
    return None


async def read_file(message: Message, bot: Bot) -> tuple[str, str, str, str]:
    """(file id, sha256 of its bytes, name, kind) of the PDF or photo a person sent."""
    if message.photo:
        photo = message.photo[-1]
        file_id, size, name, kind = photo.file_id, photo.file_size or 0, "photo.jpg", "photo"
        target: object = photo
    else:
        document = message.document
        assert document is not None
        name = document.file_name or "document"
        if not name.lower().endswith((".pdf", ".jpg", ".jpeg", ".png")):
            raise InvalidInput("error-contract-file-kind")
        file_id, size, kind, target = document.file_id, document.file_size or 0, "document", document
    if size > MAX_FILE_BYTES:
        raise InvalidInput("error-contract-file-size")
    buffer = io.BytesIO()
    await bot.download(target, destination=buffer)  # type: ignore[arg-type]
    return file_id, hashlib.sha256(buffer.getvalue()).hexdigest(), name, kind


@routes.message(ContractInput.signed_document, F.document | F.photo)
async def on_signed_document(
    message: Message, user: User, uow: UnitOfWork, t: Translate, lang: Language, clock: Clock, state: FSMContext,
    bot: Bot,
) -> None:
    contract_id = await flow_id(message, t, state)
    if contract_id is None:
        return
    file_id, digest, name, _kind = await read_file(message, bot)
    event = SIGNATURE.signed({"contract_id": contract_id, "file_id": file_id, "file_hash": digest, "file_name": name})
    if event is None:
        raise InvalidInput("error-contract-file-kind")
    contract = await service.record_signature(uow, actor=user, event=event, now=clock.now())
    await state.clear()
    await show_contract(message, user, uow, t, lang, contract_id, t("contract-done-signed", number=contract.number))


@routes.message(ContractInput.signed_document, ~F.text.startswith("/"))
async def on_signed_document_unexpected(message: Message, t: Translate) -> None:
    await message.answer(t("contract-expect-document"))


@routes.callback_query(ContractCb.filter(F.act == CAct.DOC))
async def on_document(
    query: CallbackQuery, callback_data: ContractCb, user: User, uow: UnitOfWork, t: Translate, bot: Bot,
) -> None:
    view = await service.view_contract(uow, viewer=user, contract_id=callback_data.id)
    contract = view.contract
    await query.answer()
    if contract.document_file_id is None or query.message is None:
        return
    caption = t("contract-document-caption", number=contract.number, hash=contract.document_hash or "—")
    if contract.document_name == "photo.jpg":
        await bot.send_photo(query.message.chat.id, contract.document_file_id, caption=caption)
    else:
        await bot.send_document(query.message.chat.id, contract.document_file_id, caption=caption)


# --- cancelling ------------------------------------------------------------------------------------------


@routes.callback_query(ContractCb.filter(F.act == CAct.CANCEL))
async def on_cancel(
    query: CallbackQuery, callback_data: ContractCb, user: User, uow: UnitOfWork, t: Translate, state: FSMContext,
) -> None:
    view = await manager_asks(query, callback_data, user, uow, t, state, ContractInput.cancel_reason,
                              "error-contract-cancel-role")
    if view is not None:
        await show(query, t("contract-ask-cancel", number=view.contract.number),
                   grid([], t, back=ContractCb(act=CAct.SHOW, id=callback_data.id)))


async def manager_asks(
    query: CallbackQuery, callback_data: ContractCb, user: User, uow: UnitOfWork, t: Translate, state: FSMContext,
    asking: State, refusal: str,
) -> service.ContractView | None:
    """A manager's change that needs a typed answer: the contract, and the flow waiting for the answer; None
    (and `refusal` told) for anybody else."""
    view = await service.view_contract(uow, viewer=user, contract_id=callback_data.id)
    if not manages_team(user, view.contract.team_id):
        await query.answer(t(refusal), show_alert=True)
        return None
    await state.set_state(asking)
    await state.set_data({"contract": callback_data.id})
    return view


@routes.message(ContractInput.cancel_reason, F.text, ~F.text.startswith("/"))
async def on_cancel_reason(
    message: Message, user: User, uow: UnitOfWork, t: Translate, lang: Language, clock: Clock, state: FSMContext,
) -> None:
    contract_id = await flow_id(message, t, state)
    if contract_id is None:
        return
    contract = await service.cancel_contract(uow, actor=user, contract_id=contract_id, reason=message.text or "",
                                             now=clock.now())
    await state.clear()
    await show_contract(message, user, uow, t, lang, contract_id, t("contract-done-cancelled", number=contract.number))


# --- a manager changes the amount ---------------------------------------------------------------------------


@routes.callback_query(ContractCb.filter(F.act == CAct.AMOUNT))
async def on_amount(
    query: CallbackQuery, callback_data: ContractCb, user: User, uow: UnitOfWork, t: Translate, state: FSMContext,
) -> None:
    view = await manager_asks(query, callback_data, user, uow, t, state, ContractInput.amount,
                              "error-contract-amount-role")
    if view is not None:
        await show(query, t("contract-ask-amount", number=view.contract.number, amount=money(view.contract.amount)),
                   grid([], t, back=ContractCb(act=CAct.SHOW, id=callback_data.id)))


@routes.message(ContractInput.amount, F.text, ~F.text.startswith("/"))
async def on_amount_typed(
    message: Message, user: User, uow: UnitOfWork, t: Translate, lang: Language, clock: Clock, state: FSMContext,
) -> None:
    contract_id = await flow_id(message, t, state)
    if contract_id is None:
        return
    words = (message.text or "").split(maxsplit=1)
    view = await service.view_contract(uow, viewer=user, contract_id=contract_id)
    amount = parse_amount(words[0] if words else "", view.contract.currency)
    contract = await service.change_amount(uow, actor=user, contract_id=contract_id, amount=amount,
                                           reason=words[1] if len(words) > 1 else "", now=clock.now())
    await state.clear()
    await show_contract(message, user, uow, t, lang, contract_id,
                        t("contract-done-amount", number=contract.number, amount=money(contract.amount)))
