"""Cross-team help in chat (跨部门协作): 🤝 求助同事 on a ticket's card or a deal's card asks a colleague of
the team (a button per person), the question (typed) and a deadline (2 working hours / today / tomorrow /
3 days). The colleague's card has ✋ 接受 / ✍️ 答复; the question's card shows where it stands, with 撤回 for
the asker."""

from __future__ import annotations

from aiogram import Bot, F
from aiogram.filters.callback_data import CallbackData
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, InlineKeyboardButton, InlineKeyboardMarkup

from bot.formatting import h, when
from bot.i18n import Translate
from bot.keyboards import button, keyboard
from bot.render import register_action
from bot.routing import Routes
from domain.assist import services as assist
from domain.assist.model import AssistState, Deadline
from domain.clock import Clock
from domain.errors import AlreadyDone, InvalidInput
from domain.outbox.model import Phrase
from domain.ports import UnitOfWork
from domain.team.model import Language, User
from domain.team.people import name_of
from handlers.assist_cb import AssistAct, AssistCb
from handlers.common import show
from handlers.flow import Answers, Choice, Ctx, Done, Flow, Input, Step, Transition, Typed, typed
from handlers.pipeline_ui import DealAct, DealCb
from handlers.tickets.common import TicketAct, TicketCb

routes = Routes(__name__)


register_action(assist.ACTION_OPEN, "assist-btn-open", lambda a: AssistCb(act=AssistAct.OPEN, id=a.id))
register_action(assist.ACTION_ACCEPT, "assist-btn-accept", lambda a: AssistCb(act=AssistAct.ACCEPT, id=a.id))
register_action(assist.ACTION_ANSWER, "assist-btn-answer", lambda a: AssistCb(act=AssistAct.ANSWER, id=a.id))


def phrase(t: Translate, value: Phrase) -> str:
    return t(value.key, **{k: h(str(v)) for k, v in value.params.items()})


# --- asking: whom, what, by when ----------------------------------------------------------------------------


async def _about(ctx: Ctx) -> assist.About:
    return await assist.about(ctx.uow, ctx.user, ticket_id=ctx.data.get("ticket"), deal_id=ctx.data.get("deal"))


async def helper_choices(ctx: Ctx) -> list[Choice]:
    people = await assist.helpers_for(ctx.uow, ctx.user, await _about(ctx))
    shown = people[: assist.HELPERS_SHOWN]
    return [Choice(f"u{p.id}", p.name[:30], {"helper": p.id, "helper_name": p.name}) for p in shown]


async def typed_helper(given: Input, ctx: Ctx) -> Answers | None:
    """A colleague by name, for a team larger than the buttons (or a thumb faster than scrolling)."""
    if not isinstance(given, Typed):
        return None
    person = assist.find_helper(await assist.helpers_for(ctx.uow, ctx.user, await _about(ctx)), given.text)
    return {"helper": person.id, "helper_name": person.name}


def deadline_choices(ctx: Ctx) -> list[Choice]:
    return [Choice(d.value, ctx.t(f"assist-deadline-{d.value}"), {"deadline": d.value}) for d in Deadline]


async def on_deadline(ctx: Ctx, answers: Answers) -> Transition:
    data = {**ctx.data, **answers}
    q = await assist.ask(
        ctx.uow, actor=ctx.user, helper_id=int(data["helper"]), question=str(data["question"]),
        deadline=Deadline(data["deadline"]), now=ctx.clock.now(), ticket_id=data.get("ticket"), deal_id=data.get("deal"),
    )
    assert q.id is not None
    card = await assist.question_card(ctx.uow, viewer=ctx.user, question_id=q.id)
    note = ctx.t("assist-sent", helper=h(card.helper), due=when(q.due_at, card.team.timezone, ctx.lang))
    return Done(card_text(ctx.t, ctx.lang, card, note), card_keyboard(ctx.t, card))


async def ask_screen(ctx: Ctx) -> str:
    lines = [ctx.t("assist-new-head", company=h(str(ctx.data.get("company") or "")))]
    if ctx.data.get("helper_name"):
        lines.append(ctx.t("assist-new-helper", helper=h(str(ctx.data["helper_name"]))))
    if ctx.data.get("question") and ctx.step.name == "deadline":
        lines.append(ctx.t("assist-new-question", question=h(str(ctx.data["question"]))))
    return "\n".join([*lines, "", ctx.t(ctx.step.prompt)])


def back_to_card(ctx: Ctx) -> CallbackData | None:
    """From the first step: the deal's card (which ends the flow); a ticket's flow is left by Cancel."""
    return DealCb(act=DealAct.OPEN, id=int(ctx.data["deal"])) if ctx.data.get("deal") else None


ASK = Flow(
    "assist",
    (
        Step("helper", "assist-ask-helper", ("helper", "helper_name"), choices=helper_choices, per_row=3,
             parse=typed_helper, back=back_to_card, expect="assist-expect-helper"),
        Step("question", "assist-ask-question", ("question",), parse=typed("question", assist.read_question),
             expect="assist-expect-question"),
        Step("deadline", "assist-ask-deadline", ("deadline",), choices=deadline_choices, per_row=2,
             accept=on_deadline, expect="assist-expect-deadline"),
    ),
    screen=ask_screen, plan=("helper", "question", "deadline"),
)
ASK.install(routes)


@routes.callback_query(AssistCb.filter(F.act.in_({AssistAct.TICKET, AssistAct.DEAL})))
async def on_ask(
    query: CallbackQuery, callback_data: AssistCb, state: FSMContext, bot: Bot, t: Translate, lang: Language,
    uow: UnitOfWork, user: User, clock: Clock,
) -> None:
    where = {"ticket": callback_data.id} if callback_data.act is AssistAct.TICKET else {"deal": callback_data.id}
    subject = await assist.about(uow, user, ticket_id=where.get("ticket"), deal_id=where.get("deal"))
    if not await assist.helpers_for(uow, user, subject):
        raise InvalidInput("error-assist-no-helpers")
    await ASK.start(ASK.context(query, state, bot, t, lang, uow, user, clock), {**where, "company": subject.company})


# --- answering ------------------------------------------------------------------------------------------------


async def on_answer_typed(ctx: Ctx, answers: Answers) -> Transition:
    question_id = int(ctx.data["question_id"])
    try:
        await assist.answer(ctx.uow, actor=ctx.user, question_id=question_id, text=str(answers["answer"]),
                            now=ctx.clock.now())
    except AlreadyDone as error:  # withdrawn (or its ticket closed) while the answer was typed: the flow ends
        card = await assist.question_card(ctx.uow, viewer=ctx.user, question_id=question_id)
        return Done(card_text(ctx.t, ctx.lang, card, ctx.t(error.code)), card_keyboard(ctx.t, card))
    card = await assist.question_card(ctx.uow, viewer=ctx.user, question_id=question_id)
    return Done(card_text(ctx.t, ctx.lang, card, ctx.t("assist-answered-note", asker=h(card.asker))),
                card_keyboard(ctx.t, card))


async def answer_screen(ctx: Ctx) -> str:
    card = await assist.question_card(ctx.uow, viewer=ctx.user, question_id=int(ctx.data["question_id"]))
    return f"{card_text(ctx.t, ctx.lang, card)}\n\n{ctx.t(ctx.step.prompt)}"


ANSWER = Flow(
    "asans",
    (
        Step("answer", "assist-ask-answer", ("answer",), parse=typed("answer", assist.read_answer),
             accept=on_answer_typed, back=None, expect="assist-expect-answer"),
    ),
    screen=answer_screen, plan=("answer",),
)
ANSWER.install(routes)


# --- the question's card -----------------------------------------------------------------------------------------


def card_text(t: Translate, lang: Language, card: assist.QuestionCard, note: str = "") -> str:
    q, tz = card.question, card.team.timezone
    lines = [note, ""] if note else []
    lines.append(t("assist-card-head", company=h(q.company), about=phrase(t, card.about)))
    lines.append(t("assist-card-people", asker=h(card.asker), helper=h(card.helper)))
    lines.append(t("assist-card-question", question=h(q.question)))
    lines.append(t("assist-card-due", due=when(q.due_at, tz, lang)))
    lines.append(t(f"assist-state-{q.state.value}"))
    if q.state is AssistState.ANSWERED and q.answer is not None and q.answered_at is not None:
        lines.append(t("assist-card-answer", answer=h(q.answer), at=when(q.answered_at, tz, lang)))
    elif q.pending and not card.subject_open:
        lines.append(t("assist-card-subject-closed"))
    return "\n".join(lines)


def card_keyboard(t: Translate, card: assist.QuestionCard) -> InlineKeyboardMarkup:
    q = card.question
    qid = q.id or 0
    rows: list[list[InlineKeyboardButton]] = []
    if card.may_answer:
        row = [button(t("assist-btn-answer"), AssistCb(act=AssistAct.ANSWER, id=qid))]
        if q.state is AssistState.ASKED:
            row.insert(0, button(t("assist-btn-accept"), AssistCb(act=AssistAct.ACCEPT, id=qid)))
        rows.append(row)
    if card.may_withdraw:
        rows.append([button(t("assist-btn-withdraw"), AssistCb(act=AssistAct.WITHDRAW, id=qid))])
    if q.ticket_id is not None:
        rows.append([button(t("ticket-btn-open"), TicketCb(act=TicketAct.OPEN, id=q.ticket_id))])
    elif q.opportunity_id is not None:
        rows.append([button(t("btn-open-deal"), DealCb(act=DealAct.OPEN, id=q.opportunity_id))])
    return keyboard(*rows)


async def show_question(
    query: CallbackQuery, uow: UnitOfWork, user: User, t: Translate, lang: Language, question_id: int, note: str = ""
) -> None:
    card = await assist.question_card(uow, viewer=user, question_id=question_id)
    await show(query, card_text(t, lang, card, note), card_keyboard(t, card))


@routes.callback_query(AssistCb.filter(F.act == AssistAct.OPEN))
async def on_open(
    query: CallbackQuery, callback_data: AssistCb, uow: UnitOfWork, user: User, t: Translate, lang: Language
) -> None:
    await show_question(query, uow, user, t, lang, callback_data.id)


@routes.callback_query(AssistCb.filter(F.act == AssistAct.ACCEPT))
async def on_accept(
    query: CallbackQuery, callback_data: AssistCb, uow: UnitOfWork, user: User, t: Translate, lang: Language,
    clock: Clock,
) -> None:
    q = await assist.accept(uow, actor=user, question_id=callback_data.id, now=clock.now())
    await show_question(query, uow, user, t, lang, callback_data.id,
                        t("assist-accepted-note", asker=h(await name_of(uow, q.asked_by))))


@routes.callback_query(AssistCb.filter(F.act == AssistAct.ANSWER))
async def on_answer(
    query: CallbackQuery, callback_data: AssistCb, state: FSMContext, bot: Bot, t: Translate, lang: Language,
    uow: UnitOfWork, user: User, clock: Clock,
) -> None:
    await assist.answerable(uow, user, callback_data.id)  # a stale press is refused before any question
    await ANSWER.start(ANSWER.context(query, state, bot, t, lang, uow, user, clock), {"question_id": callback_data.id})


@routes.callback_query(AssistCb.filter(F.act == AssistAct.WITHDRAW))
async def on_withdraw(
    query: CallbackQuery, callback_data: AssistCb, uow: UnitOfWork, user: User, t: Translate, lang: Language,
    clock: Clock,
) -> None:
    await assist.withdraw(uow, actor=user, question_id=callback_data.id, now=clock.now())
    await show_question(query, uow, user, t, lang, callback_data.id, t("assist-withdrawn-note"))
