"""Delivery checklists in chat (交付清单): the checklist of a deal in delivery (from its card or a
notice), each item's screen (tick it off, hand it to a colleague), and the acceptance sign-off (验收签字)
with the signed document as a photo or a file, or none, which moves the deal on to after-sales and
gives the owner the survey link to forward to the customer."""

from __future__ import annotations

import enum

from aiogram import Bot
from aiogram.filters.callback_data import CallbackData
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, InlineKeyboardButton, InlineKeyboardMarkup, Message

from bot.callbacks import Id
from bot.formatting import h, when
from bot.i18n import Translate
from bot.keyboards import button, keyboard, rows_of
from bot.render import register_action
from bot.routing import Routes
from domain.clock import Clock
from domain.delivery import services as delivery
from domain.delivery import signoff
from domain.delivery.model import DeliveryItem, ItemKey
from domain.delivery.services import Checklist
from domain.errors import AlreadyDone, Forbidden, NotFound
from domain.ports import UnitOfWork
from domain.team.model import Language, User
from handlers.common import show
from handlers.flow import Alert, Answers, Ctx, Done, Filed, Flow, Input, Pictured, Rows, Step, Transition
from handlers.pipeline_ui import DealAct, DealCb
from handlers.tickets.desk import survey_link

routes = Routes(__name__)


class DeliveryAct(enum.StrEnum):
    LIST = "list"  # the deal's checklist (id: the deal)
    ITEM = "item"  # one item (id: the item)
    DONE = "done"  # tick it off
    OWNER = "owner"  # pick a colleague for it
    OWNER_SET = "oset"  # ... this one (user)
    SIGN = "sign"  # the acceptance sign-off (id: the item)
    LINK = "link"  # a survey link after the sign-off (id: the deal)


class DeliveryCb(CallbackData, prefix="dlv"):
    act: DeliveryAct
    id: Id = 0
    user: Id = 0


register_action(delivery.ACTION_CHECKLIST, "delivery-btn-open", lambda a: DeliveryCb(act=DeliveryAct.LIST, id=a.id))
register_action(delivery.ACTION_SURVEY, "delivery-btn-link", lambda a: DeliveryCb(act=DeliveryAct.LINK, id=a.id))


def checklist_button(t: Translate, deal_id: int) -> InlineKeyboardButton:
    return button(t("delivery-btn-card"), DeliveryCb(act=DeliveryAct.LIST, id=deal_id))


def item_name(t: Translate, item: DeliveryItem) -> str:
    if item.key is ItemKey.CUSTOM and item.name:
        return h(item.name)
    return t(f"delivery-item-{item.key.value}")


def mark(item: DeliveryItem, now_late: bool) -> str:
    return "✅" if item.done else ("⚠️" if now_late else "⬜")


def checklist_text(t: Translate, lang: Language, cl: Checklist, clock: Clock, note: str = "") -> str:
    tz, now = cl.team.timezone, clock.now()
    lines = [note, ""] if note else []
    lines.append(t("delivery-head", company=h(cl.company)))
    for n, item in enumerate(cl.items, start=1):
        lines.append(t(
            "delivery-line", n=n, mark=mark(item, not item.done and item.due_at < now), name=item_name(t, item),
            owner=h(cl.owners[item.owner_id]),
            due=when(item.done_at, tz, lang) if item.done_at else when(item.due_at, tz, lang),
            state=t("delivery-state-done") if item.done else t("delivery-state-due"),
        ))
    lines.append("")
    lines.append(t("delivery-signed") if cl.signed else t("delivery-hint"))
    return "\n".join(lines)


def checklist_markup(t: Translate, cl: Checklist) -> InlineKeyboardMarkup:
    deal_id = cl.deal.id or 0
    items = [button(f"{n}. {item_name(t, item)}", DeliveryCb(act=DeliveryAct.ITEM, id=item.id or 0))
             for n, item in enumerate(cl.items, start=1)]
    rows = rows_of(items, per_row=2)
    if cl.signed and cl.may_run:
        rows.append([button(t("delivery-btn-link"), DeliveryCb(act=DeliveryAct.LINK, id=deal_id))])
    rows.append([button(t("delivery-btn-deal"), DealCb(act=DealAct.OPEN, id=deal_id))])
    return keyboard(*rows)


async def show_checklist(
    event: Message | CallbackQuery, uow: UnitOfWork, user: User, t: Translate, lang: Language, clock: Clock,
    deal_id: int, note: str = "",
) -> None:
    cl = await delivery.checklist(uow, viewer=user, deal_id=deal_id)
    await show(event, checklist_text(t, lang, cl, clock, note), checklist_markup(t, cl))


async def item_of(uow: UnitOfWork, user: User, item_id: int) -> tuple[Checklist, DeliveryItem]:
    item = await uow.checklists.get(item_id)
    if item is None:
        raise NotFound("error-delivery-none")
    cl = await delivery.checklist(uow, viewer=user, deal_id=item.opportunity_id)
    found = next(i for i in cl.items if i.id == item_id)
    return cl, found


async def show_item(
    query: CallbackQuery, uow: UnitOfWork, user: User, t: Translate, lang: Language, item_id: int
) -> None:
    cl, item = await item_of(uow, user, item_id)
    tz = cl.team.timezone
    text = t(
        "delivery-item-card", company=h(cl.company), name=item_name(t, item), owner=h(cl.owners[item.owner_id]),
        due=when(item.due_at, tz, lang),
        state=t("delivery-item-done", at=when(item.done_at, tz, lang)) if item.done_at else t("delivery-state-due"),
    )
    if item.document:
        text += "\n" + t("delivery-item-document")
    rows: list[list[InlineKeyboardButton]] = []
    if not item.done:
        if item.is_acceptance:
            if cl.may_run:
                rows.append([button(t("delivery-btn-sign"), DeliveryCb(act=DeliveryAct.SIGN, id=item_id))])
        elif cl.may_run or item.owner_id == user.id:
            rows.append([button(t("delivery-btn-done"), DeliveryCb(act=DeliveryAct.DONE, id=item_id))])
        if cl.may_run:
            rows.append([button(t("delivery-btn-owner"), DeliveryCb(act=DeliveryAct.OWNER, id=item_id))])
    rows.append([button(t("delivery-btn-back"), DeliveryCb(act=DeliveryAct.LIST, id=cl.deal.id or 0))])
    await show(query, text, keyboard(*rows))


@routes.callback_query(DeliveryCb.filter())
async def on_delivery(
    query: CallbackQuery, callback_data: DeliveryCb, state: FSMContext, bot: Bot, uow: UnitOfWork, user: User,
    t: Translate, lang: Language, clock: Clock,
) -> None:
    act, some_id, now = callback_data.act, callback_data.id, clock.now()
    if act is DeliveryAct.LIST:
        await show_checklist(query, uow, user, t, lang, clock, some_id)
    elif act is DeliveryAct.ITEM:
        await show_item(query, uow, user, t, lang, some_id)
    elif act is DeliveryAct.DONE:
        item = await delivery.complete_item(uow, actor=user, item_id=some_id, now=now)
        await show_checklist(query, uow, user, t, lang, clock, item.opportunity_id,
                             t("delivery-done-item", name=item_name(t, item)))
    elif act is DeliveryAct.OWNER:
        cl, item = await item_of(uow, user, some_id)
        people = [p for p in await uow.users.in_team(cl.deal.team_id) if p.active and p.id != item.owner_id]
        buttons = [button(p.name, DeliveryCb(act=DeliveryAct.OWNER_SET, id=some_id, user=p.id or 0)) for p in people]
        rows = rows_of(buttons, per_row=2)
        rows.append([button(t("btn-back"), DeliveryCb(act=DeliveryAct.ITEM, id=some_id))])
        await show(query, t("delivery-ask-owner", name=item_name(t, item)), keyboard(*rows))
    elif act is DeliveryAct.OWNER_SET:
        item = await delivery.reassign_item(uow, actor=user, item_id=some_id, to_user_id=callback_data.user, now=now)
        await show_item(query, uow, user, t, lang, item.id or some_id)
    elif act is DeliveryAct.SIGN:
        cl, item = await item_of(uow, user, some_id)
        if item.done or not item.is_acceptance or not cl.may_run:  # an old button, or not theirs to sign
            raise AlreadyDone("error-delivery-signed-already") if item.done else Forbidden("error-delivery-sign-role")
        await SIGN_OFF.start(SIGN_OFF.context(query, state, bot, t, lang, uow, user, clock),
                             {"item": some_id, "company": cl.company})
    else:  # LINK
        await send_link(query, bot, uow, user, t, clock, some_id)
        await query.answer()


async def send_link(
    event: Message | CallbackQuery, bot: Bot, uow: UnitOfWork, user: User, t: Translate, clock: Clock, deal_id: int
) -> None:
    """The survey link as a message of its own, to forward to the customer as it is."""
    payload = await delivery.issue_survey_link(uow, actor=user, deal_id=deal_id, now=clock.now())
    policy = await uow.tickets.policy(user.team_id)
    chat = event.chat if isinstance(event, Message) else (event.message.chat if event.message else None)
    assert chat is not None
    await bot.send_message(chat.id, t("delivery-survey-link", link=h(await survey_link(bot, payload)),
                                      days=policy.survey_days))


# --- the acceptance sign-off: the signed document (a photo or a file), or none ---------------------------------

NO_DOCUMENT = "none"


def read_document(given: Input, ctx: Ctx) -> Answers | None:
    if isinstance(given, Pictured):
        return {"document": f"photo:{given.file_id}"}
    if isinstance(given, Filed):
        return {"document": f"file:{given.file_id}"}
    return None


async def on_document(ctx: Ctx, answers: Answers) -> Transition:
    document = answers.get("document")
    deal = await signoff.sign_acceptance(
        ctx.uow, actor=ctx.user, item_id=int(ctx.data["item"]), document=str(document) if document else None,
        now=ctx.clock.now(),
    )
    assert deal.id is not None
    cl = await delivery.checklist(ctx.uow, viewer=ctx.user, deal_id=deal.id)
    note = ctx.t("delivery-done-signed", company=h(cl.company))
    if deal.owner_id == ctx.user.id:
        await send_link(ctx.event, ctx.bot, ctx.uow, ctx.user, ctx.t, ctx.clock, deal.id)
    return Done(checklist_text(ctx.t, ctx.lang, cl, ctx.clock, note), checklist_markup(ctx.t, cl))


def no_document(ctx: Ctx) -> Rows:
    return [[ctx.button(ctx.t("delivery-btn-no-document"), NO_DOCUMENT)]]


async def on_no_document(ctx: Ctx, value: str) -> Transition:
    if value != NO_DOCUMENT:
        return Alert(ctx.t("stale-button"))
    return await on_document(ctx, {})


def sign_screen(ctx: Ctx) -> str:
    return ctx.t("delivery-ask-document", company=h(str(ctx.data.get("company") or "")))


SIGN_OFF = Flow(
    "dsign",
    (
        Step("document", "delivery-ask-document", ("document",), parse=read_document, accept=on_document,
             keyboard=no_document, pick=on_no_document, back=lambda ctx: DeliveryCb(act=DeliveryAct.ITEM, id=int(ctx.data.get("item") or 0)),
             expect="delivery-expect-document"),
    ),
    screen=sign_screen, plan=("document",),
)
SIGN_OFF.install(routes)


__all__ = ["checklist_button", "routes"]
