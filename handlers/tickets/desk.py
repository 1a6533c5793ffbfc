"""After-sales tickets in chat: /ticket opens one (customer, category, priority, description as text, photo
or voice), /tickets lists mine or the team's with filters, the ticket card moves its status and, once it is
resolved, gives the survey link to forward or records a score given on the phone."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from aiogram import Bot, F
from aiogram.filters import Command, CommandObject
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, InlineKeyboardButton, Message

from bot.chat_scope import bot_username
from bot.formatting import h
from bot.i18n import Translate
from bot.keyboards import button, keyboard, rows_of
from bot.render import register_action
from bot.routing import Routes
from domain.assist import services as assist
from domain.clock import Clock
from domain.errors import InvalidInput
from domain.permissions import Ability, can
from domain.ports import UnitOfWork
from domain.team.model import Language, User
from domain.tickets import services as tickets
from domain.tickets import surveys
from domain.tickets.model import SCORES, Category, Filter, Priority, Scope, TicketDraft
from handlers.common import command_words, show
from handlers.flow import (
    Answers,
    Choice,
    Ctx,
    Done,
    Flow,
    Input,
    Pictured,
    Spoken,
    Step,
    Transition,
    Typed,
)
from handlers.tickets.common import (
    TicketAct,
    TicketCb,
    TicketListCb,
    card_keyboard,
    card_text,
    list_button,
    ticket_line,
)

routes = Routes(__name__)

register_action(tickets.ACTION_OPEN, "ticket-btn-open", lambda a: TicketCb(act=TicketAct.OPEN, id=a.id))
register_action(surveys.ACTION_FOLLOW_UP, "ticket-btn-follow", lambda a: TicketCb(act=TicketAct.FOLLOW_UP, id=a.id))


# --- /ticket: a new ticket ---------------------------------------------------------------------------------


async def customer_choices(ctx: Ctx) -> list[Choice]:
    return [
        Choice(f"d{deal_id}", company[:30], {"deal": deal_id, "company": company})
        for deal_id, company in await tickets.customers_for(ctx.uow, ctx.user)
    ]


def read_customer(given: Input, ctx: Ctx) -> Answers | None:
    if not isinstance(given, Typed):
        return None
    return {"company": tickets.read_company(given.text), "deal": None}


def category_choices(ctx: Ctx) -> list[Choice]:
    return [Choice(c.value, ctx.t(f"ticket-category-{c.value}"), {"category": c.value}) for c in Category]


def priority_choices(ctx: Ctx) -> list[Choice]:
    return [Choice(p.value, ctx.t(f"ticket-priority-{p.value}"), {"priority": p.value}) for p in Priority]


def read_description(given: Input, ctx: Ctx) -> Answers | None:
    if isinstance(given, Typed):
        return {"description": tickets.read_description(given.text), "media": None}
    if isinstance(given, Pictured):
        text = given.caption.strip() or ctx.t("ticket-description-photo")
        return {"description": tickets.read_description(text), "media": f"photo:{given.file_id}"}
    if isinstance(given, Spoken):
        return {"description": ctx.t("ticket-description-voice"), "media": f"voice:{given.file_id}"}
    return None


async def on_description(ctx: Ctx, answers: Answers) -> Transition:
    data = {**ctx.data, **answers}
    ticket = await tickets.open_ticket(ctx.uow, actor=ctx.user, draft=TicketDraft(
        category=Category(data["category"]), priority=Priority(data["priority"]),
        description=str(data["description"]), opportunity_id=data.get("deal"), company=data.get("company"),
        media=data.get("media"),
    ), now=ctx.clock.now())
    assert ticket.id is not None
    card = await tickets.ticket_card(ctx.uow, viewer=ctx.user, ticket_id=ticket.id, now=ctx.clock.now())
    note = ctx.t("ticket-created", number=ticket.number, owner=h(card.owner))
    return Done(card_text(ctx.t, ctx.lang, card, note), card_keyboard(ctx.t, card))


def ticket_screen(ctx: Ctx) -> str:
    company, description = ctx.data.get("company"), ctx.data.get("description")
    head = ctx.t("ticket-new-head", company=h(company)) if company else ctx.t("ticket-new-head-empty")
    if description and not ctx.data.get("media"):  # typed after /ticket, or typed before Back
        head += "\n" + ctx.t("ticket-said-description", description=h(str(description)[:200]))
    return f"{head}\n\n{ctx.t(ctx.step.prompt)}"


NEW_TICKET = Flow(
    "ticket",
    (
        Step("customer", "ticket-ask-customer", ("company", "deal"), parse=read_customer, choices=customer_choices,
             per_row=2, back=None, expect="ticket-expect-customer"),
        Step("category", "ticket-ask-category", ("category",), choices=category_choices, per_row=2),
        Step("priority", "ticket-ask-priority", ("priority",), choices=priority_choices),
        Step("description", "ticket-ask-description", ("description", "media"), parse=read_description,
             accept=on_description, expect="ticket-expect-description"),
    ),
    screen=ticket_screen, plan=("customer", "category", "priority", "description"), keep_label="ticket-btn-keep",
    refusal=lambda user: None if can(user, Ability.WORK_TICKETS) else "error-ticket-role",
)
NEW_TICKET.install(routes)


def _customer_and_problem(typed: str, customers: Sequence[tuple[int, str]]) -> tuple[dict[str, Any], str]:
    """`/ticket 华东科技 系统登录不了`: a customer of the flow's buttons that the line starts with (the
    longest such name), and the rest, the problem; no such customer: the whole line is the problem."""
    for deal_id, company in sorted(customers, key=lambda c: -len(c[1])):
        head, following = typed[: len(company)], typed[len(company) : len(company) + 1]
        if company and head.casefold() == company.casefold() and not _word_goes_on(company[-1], following):
            return {"deal": deal_id, "company": company}, typed[len(company) :].strip(" ,，:：-—")
    return {}, typed


def _word_goes_on(last: str, following: str) -> bool:
    """"Acme" is not the start of "Acmeware ..." (a Latin word goes on); 华东科技 is the start of
    "华东科技系统登录不了" (Chinese has no spaces between words)."""
    latin = [ch.isascii() and ch.isalnum() for ch in (last, following) if ch]
    return len(latin) == 2 and all(latin)


@routes.message(Command("ticket"), F.chat.type == "private")
async def cmd_ticket(
    message: Message, command: CommandObject, state: FSMContext, bot: Bot, t: Translate, lang: Language,
    uow: UnitOfWork, user: User, clock: Clock,
) -> None:
    """`/ticket` asks customer, category, priority and the problem; `/ticket 华东科技 系统登录不了` answers
    the customer (one of the flow's buttons) and keeps the problem, which the last step offers to keep."""
    customers = await tickets.customers_for(uow, user)  # refuses whoever may not open tickets, before any question
    ctx = NEW_TICKET.context(message, state, bot, t, lang, uow, user, clock)
    typed = command_words(command)
    if not typed:
        await NEW_TICKET.start(ctx, {})
        return
    values, problem = _customer_and_problem(typed, customers)
    if problem:
        try:
            values["description"] = tickets.read_description(problem)
        except InvalidInput:
            pass  # too long to keep: the last step asks for it, and says how long it may be
    plan = ("category", "priority", "description") if values.get("deal") else None
    await NEW_TICKET.start(ctx, values, plan=plan)


async def start_for_deal(
    event: Message | CallbackQuery, state: FSMContext, bot: Bot, t: Translate, lang: Language, uow: UnitOfWork,
    user: User, clock: Clock, deal_id: int, company: str,
) -> None:
    """A ticket about a known deal (from its card): the customer step is answered already."""
    await NEW_TICKET.start(
        NEW_TICKET.context(event, state, bot, t, lang, uow, user, clock), {"deal": deal_id, "company": company},
        plan=("category", "priority", "description"),
    )


# --- /tickets: the lists ------------------------------------------------------------------------------------

PRIORITY_BY_INDEX = {1: Priority.P1, 2: Priority.P2, 3: Priority.P3}


async def list_screen(
    uow: UnitOfWork, user: User, t: Translate, cb: TicketListCb, clock: Clock
) -> tuple[str, list[list[InlineKeyboardButton]]]:
    scope = cb.scope if can(user, Ability.SEE_TEAM_TICKETS) else Scope.MINE
    priority = PRIORITY_BY_INDEX.get(cb.prio)
    found = await tickets.list_tickets(uow, viewer=user, scope=scope, what=cb.what, priority=priority,
                                       now=clock.now())
    head = t("ticket-list-head", scope=t(f"ticket-scope-{scope.value}"), what=t(f"ticket-filter-{cb.what.value}"),
             priority=t(f"ticket-priority-{priority.value}") if priority else t("ticket-priority-any"))
    lines = [head, ""]
    if not found:
        lines.append(t("ticket-list-empty"))
    lines.extend(f"{n}. {ticket_line(t, ticket)}" for n, ticket in enumerate(found, start=1))
    rows = rows_of([button(f"{n}. {ticket.number}", TicketCb(act=TicketAct.OPEN, id=ticket.id or 0))
                    for n, ticket in enumerate(found, start=1)])

    def pick(label: str, **changes: object) -> InlineKeyboardButton:
        target = cb.model_copy(update=changes)
        return button(("✓ " if target == cb else "") + label, target)

    if can(user, Ability.SEE_TEAM_TICKETS):
        rows.append([pick(t(f"ticket-scope-{s.value}"), scope=s) for s in Scope])
    filters = [pick(t(f"ticket-filter-{f.value}"), what=f) for f in Filter]
    rows.extend(rows_of(filters))
    rows.append([pick(t("ticket-priority-any-short"), prio=0)] + [
        pick(p.value.upper(), prio=i) for i, p in PRIORITY_BY_INDEX.items()
    ])
    return "\n".join(lines), rows


@routes.message(Command("tickets"), F.chat.type == "private")
async def cmd_tickets(message: Message, uow: UnitOfWork, user: User, t: Translate, clock: Clock) -> None:
    text, rows = await list_screen(uow, user, t, TicketListCb(), clock)
    await show(message, text, keyboard(*rows))


@routes.callback_query(TicketListCb.filter())
async def on_list(
    query: CallbackQuery, callback_data: TicketListCb, uow: UnitOfWork, user: User, t: Translate, clock: Clock
) -> None:
    text, rows = await list_screen(uow, user, t, callback_data, clock)
    await show(query, text, keyboard(*rows))


# --- the card ---------------------------------------------------------------------------------------------


async def show_card(
    event: Message | CallbackQuery, uow: UnitOfWork, user: User, t: Translate, lang: Language, clock: Clock,
    ticket_id: int, note: str = "",
) -> None:
    card = await tickets.ticket_card(uow, viewer=user, ticket_id=ticket_id, now=clock.now())
    waiting = await assist.waiting_on(uow, viewer=user, ticket_id=ticket_id)  # questions to colleagues
    await show(event, card_text(t, lang, card, note, waiting), card_keyboard(t, card, waiting))


async def survey_link(bot: Bot, payload: str) -> str:
    return f"https://t.me/{await bot_username(bot) or 'your_bot'}?start={payload}"


MOVES = {
    TicketAct.START: tickets.start_work,
    TicketAct.WAIT: tickets.wait_for_customer,
    TicketAct.RESUME: tickets.customer_replied,
    TicketAct.RESOLVE: tickets.resolve,
    TicketAct.CLOSE: tickets.close,
    TicketAct.REOPEN: tickets.reopen,
}


@routes.callback_query(TicketCb.filter())
async def on_ticket(
    query: CallbackQuery, callback_data: TicketCb, bot: Bot, uow: UnitOfWork, user: User, t: Translate,
    lang: Language, clock: Clock, state: FSMContext,
) -> None:
    act, ticket_id, now = callback_data.act, callback_data.id, clock.now()
    if act is TicketAct.DEAL:  # id: the deal whose card the button was on
        company = await tickets.customer_of_deal(uow, user, ticket_id)
        await start_for_deal(query, state, bot, t, lang, uow, user, clock, ticket_id, company)
    elif act is TicketAct.OPEN:
        await show_card(query, uow, user, t, lang, clock, ticket_id)
    elif act in MOVES:
        ticket = await MOVES[act](uow, actor=user, ticket_id=ticket_id, now=now)
        await show_card(query, uow, user, t, lang, clock, ticket_id, t(f"ticket-done-{act.value}", number=ticket.number))
        if act is TicketAct.RESOLVE and ticket.owner_id == user.id:
            await send_link(query, bot, uow, user, t, clock, ticket_id)
    elif act is TicketAct.LINK:
        await send_link(query, bot, uow, user, t, clock, ticket_id)
        await query.answer()
    elif act is TicketAct.PHONE:
        await tickets.visible_ticket(uow, user, ticket_id)
        scores = [button(f"{s}⭐", TicketCb(act=TicketAct.SCORE, id=ticket_id, score=s)) for s in SCORES]
        await show(query, t("ticket-ask-phone-score"),
                   keyboard(*rows_of(scores), [button(t("btn-back"), TicketCb(act=TicketAct.OPEN, id=ticket_id))]))
    elif act is TicketAct.SCORE:
        survey = await surveys.record_phone_score(uow, actor=user, ticket_id=ticket_id, score=callback_data.score,
                                                  comment=None, now=now)
        await show_card(query, uow, user, t, lang, clock, ticket_id, t("ticket-phone-recorded", score=survey.score or 0))
    elif act is TicketAct.FOLLOW_UP:
        created = await surveys.follow_up(uow, actor=user, survey_id=ticket_id, now=now)
        await show_card(query, uow, user, t, lang, clock, created, t("ticket-follow-up-opened"))
    else:  # pragma: no cover - every act is handled above
        raise InvalidInput()


async def send_link(
    event: CallbackQuery, bot: Bot, uow: UnitOfWork, user: User, t: Translate, clock: Clock, ticket_id: int
) -> None:
    """The survey link as a message of its own, so that it can be forwarded to the customer as it is."""
    payload = await surveys.issue_link(uow, actor=user, ticket_id=ticket_id, now=clock.now())
    policy = await uow.tickets.policy(user.team_id)
    assert event.message is not None
    await bot.send_message(event.message.chat.id, t("ticket-survey-link", link=h(await survey_link(bot, payload)),
                                                     days=policy.survey_days))


__all__ = ["list_button", "routes", "start_for_deal"]
