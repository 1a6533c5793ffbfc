"""One engine for multi-step conversations (CONVENTIONS 14).

A flow is declared as a table of steps. For each step: the answers it holds, its question, how a typed
answer (or a voice note, or a shared contact card) is read — by a parser from the domain that raises
InvalidInput with a message code —, its buttons (at most three a row), whether it may be skipped, and
where Back goes. The engine owns everything the steps have in common:

- one message per flow, edited in place by button presses; a typed answer gets the next screen below it
  and the old message loses its buttons (handlers.common.draw_flow);
- Back, Skip (or keep the answer, or clear it), Cancel, and Edit-a-field from a review screen, which
  comes back to the review when the field is answered;
- a press on a button of an earlier or finished flow, or of a step no longer on screen: a polite alert,
  never a crash or a double action;
- anything the step cannot take (a sticker, text where a button is expected): the step again, with what
  it expects on top, every answer kept;
- a domain error: its message, in the step's own words where the step has them.

Answers live in the FSM data as plain values; the engine's own keys start with "flow_". Each flow
module calls `FLOW.install(routes)` to get the engine's handlers on its router.

A new flow is a table and a start, for instance a quote's discount:

    async def on_reason(ctx: Ctx, answers: Answers) -> Transition:  # a reason typed, or skipped ({})
        quote = await quotes.set_discount(
            ctx.uow, actor=ctx.user, quote_id=ctx.data["quote"], percent=ctx.data["percent"],
            reason=answers.get("reason"), now=ctx.clock.now(),
        )
        return Done(ctx.t(DISCOUNT_SET, percent=quote.discount_percent))

    DISCOUNT = Flow(
        "disc",
        (
            Step("percent", "quote-ask-discount", ("percent",), parse=typed("percent", quotes.parse_percent),
                 expect="quote-expect-percent"),
            Step("reason", "quote-ask-reason", ("reason",), parse=typed("reason", quotes.parse_reason),
                 optional=True, accept=on_reason),
        ),
        screen=lambda ctx: ctx.t(ctx.step.prompt), plan=("percent", "reason"), skip_label="btn-skip",
    )
    DISCOUNT.install(routes)
    ...
    await DISCOUNT.start(DISCOUNT.context(query, state, bot, t, lang, uow, user, clock), {"quote": quote_id})
"""

from __future__ import annotations

import enum
import inspect
import secrets
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, TypeAlias, TypeVar

from aiogram import Bot, F
from aiogram.filters import StateFilter
from aiogram.filters.callback_data import CallbackData
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, InlineKeyboardButton, InlineKeyboardMarkup, Message

from bot.formatting import h
from bot.i18n import Translate
from bot.keyboards import button, rows_of
from bot.routing import Routes
from domain.clock import Clock
from domain.errors import AlreadyDone, DomainError, InvalidInput
from domain.ports import UnitOfWork
from domain.team.model import Language, User
from handlers.common import draw_flow, show

T = TypeVar("T")
MaybeAwaitable: TypeAlias = T | Awaitable[T]
Answers: TypeAlias = Mapping[str, Any]
Rows: TypeAlias = list[list[InlineKeyboardButton]]


class FlowAction(enum.StrEnum):
    PICK = "pick"  # one of the step's own buttons; its value says which
    SKIP = "skip"  # an optional step left empty, an answer kept as it is, or (clearing steps) emptied
    BACK = "back"
    EDIT = "edit"  # on a review screen: change one answer, then come back to the review
    CANCEL = "cancel"


class FlowCb(CallbackData, prefix="flow"):
    """Every button of every flow. `token` names the flow instance: a button of an earlier or finished
    one is stale. Packed, it stays well under Telegram's 64 bytes (the engine tests check every step)."""

    flow: str
    action: FlowAction
    step: str = ""
    value: str = ""
    token: str = ""


# --- what a person sent ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Typed:
    text: str


@dataclass(frozen=True)
class Spoken:
    file_id: str


@dataclass(frozen=True)
class Card:
    """A shared contact card."""

    phone: str
    name: str


@dataclass(frozen=True)
class Pictured:
    """A photo (the largest size Telegram sent) with its caption."""

    file_id: str
    caption: str = ""


@dataclass(frozen=True)
class Filed:
    """A document (a scanned, signed PDF)."""

    file_id: str
    name: str = ""


Input: TypeAlias = Typed | Spoken | Card | Pictured | Filed


def input_of(message: Message) -> Input | None:
    if message.text is not None:
        return Typed(message.text)
    if message.voice is not None:
        return Spoken(message.voice.file_id)
    if message.photo:
        return Pictured(message.photo[-1].file_id, message.caption or "")
    if message.document is not None:
        return Filed(message.document.file_id, message.document.file_name or "")
    if message.contact is not None:
        card = message.contact
        return Card(card.phone_number, " ".join(p for p in (card.first_name, card.last_name) if p).strip())
    return None


def typed(field_name: str, parse: Callable[[str], Any]) -> Callable[[Input, Ctx], Answers | None]:
    """A step that takes text: the domain's `parse` reads it into `field_name`; anything else is unexpected."""

    def read(given: Input, ctx: Ctx) -> Answers | None:
        return {field_name: parse(given.text)} if isinstance(given, Typed) else None

    return read


# --- what an answer does ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Go:
    step: str
    problem: str = ""


@dataclass(frozen=True)
class Next:
    """The next step of the plan; the review step once the plan is done."""


@dataclass(frozen=True)
class Stay:
    problem: str = ""


@dataclass(frozen=True)
class Done:
    """The flow's last screen; the flow is over."""

    text: str
    markup: InlineKeyboardMarkup | None = None


@dataclass(frozen=True)
class Alert:
    """The press (or message) is answered with this text; nothing else changes, unless `end`: then the
    flow is over (a refusal no other answer can change)."""

    text: str
    end: bool = False


Transition: TypeAlias = Go | Next | Stay | Done | Alert
NEXT = Next()
STAY = Stay()
PREVIOUS = "<previous>"  # Back: the previous step of the plan (the review from the first, once seen)


@dataclass(frozen=True)
class Choice:
    """A button of a step: its value travels in the callback data; `answers` is what it answers."""

    value: str
    label: str
    answers: Answers = field(default_factory=dict)


@dataclass(frozen=True)
class Step:
    name: str
    prompt: str = ""  # message key of the question (the flow's screen dresses it)
    fields: tuple[str, ...] = ()  # the answers this step holds
    parse: Callable[[Input, Ctx], MaybeAwaitable[Answers | None]] | None = None  # None: unexpected
    choices: Callable[[Ctx], MaybeAwaitable[Sequence[Choice]]] | None = None
    per_row: int = 3
    keyboard: Callable[[Ctx], MaybeAwaitable[Rows]] | None = None  # rows after the choices (review screens)
    accept: Callable[[Ctx, Answers], MaybeAwaitable[Transition]] | None = None  # default: keep, go on
    pick: Callable[[Ctx, str], MaybeAwaitable[Transition]] | None = None  # a keyboard button's value
    optional: bool | Callable[[Ctx], bool] = False
    clears: bool = False  # Skip on an answered step empties it (else it keeps the answer and goes on)
    back: str | Callable[[Ctx], str | CallbackData | None] | None = PREVIOUS
    expect: str = ""  # what the fallback says this step wants
    problems: Mapping[str, str] = field(default_factory=dict)  # domain code -> this step's wording
    problem_params: Callable[[Ctx], Mapping[str, str]] | None = None  # what that wording names
    required: str = ""  # the alert when Skip is pressed on a step that must be answered
    done: str = ""  # the alert for this step's buttons once the flow is over
    edits: tuple[str, ...] = ()  # on a review step: the steps its Edit buttons open
    then: Callable[[Ctx], Sequence[str]] | None = None  # steps to ask right after this one
    screen: Callable[[Ctx], MaybeAwaitable[str]] | None = None  # its own text instead of the flow's


async def _resolved(value: MaybeAwaitable[T]) -> T:
    if inspect.isawaitable(value):
        return await value
    return value


@dataclass
class Ctx:
    """One update inside a flow: who, where, the answers so far (`data`), the step on screen."""

    flow: Flow
    step: Step
    event: Message | CallbackQuery
    state: FSMContext
    bot: Bot
    t: Translate
    lang: Language
    uow: UnitOfWork
    user: User
    clock: Clock
    data: dict[str, Any]
    intro: str = ""  # shown above the first screen only

    @property
    def plan(self) -> list[str]:
        plan = self.data.get("flow_plan")
        return list(plan) if isinstance(plan, list) else list(self.flow.plan)

    def position(self, step: str) -> int:
        plan = self.plan
        return plan.index(step) if step in plan else 0

    def answered(self, step: Step) -> bool:
        return any(self.data.get(name) not in (None, "") for name in step.fields)

    def button(self, label: str, value: str) -> InlineKeyboardButton:
        """A button of the step on screen, answered through its `pick` (or its choices)."""
        return button(label, self._cb(FlowAction.PICK, value))

    def edit_button(self, label: str, step: str) -> InlineKeyboardButton:
        return button(label, self._cb(FlowAction.EDIT, step))

    def _cb(self, action: FlowAction, value: str = "") -> FlowCb:
        return FlowCb(
            flow=self.flow.name, action=action, step=self.step.name, value=value,
            token=str(self.data.get("flow_token") or ""),
        )


Refusal: TypeAlias = Callable[[User], str | None]


@dataclass
class Flow:
    name: str  # short: it travels in every button and names the FSM states
    steps: tuple[Step, ...]
    screen: Callable[[Ctx], MaybeAwaitable[str]]  # a step's text, without the problem on top
    plan: tuple[str, ...] = ()  # the steps Next walks through, in order
    review: str = ""  # where Next goes when the plan is done
    stale: str = "stale-button"
    skip_label: str = ""
    keep_label: str = ""  # the Skip button of an answered step that keeps its answer
    clear_label: str = ""  # the Skip button of an answered step that `clears`
    cancel_button: bool = True
    typed_in_place: bool = False  # see draw_flow
    mark_chosen: str = ""  # a prefix for the choice already answered, e.g. "✓ "
    refusal: Refusal = lambda user: None  # who may not use this flow at all: the message key
    by_name: dict[str, Step] = field(init=False)

    def __post_init__(self) -> None:
        self.by_name = {step.name: step for step in self.steps}
        assert len(self.by_name) == len(self.steps), f"{self.name}: two steps of one name"
        assert self.name not in FLOWS, f"two flows named {self.name}"
        FLOWS[self.name] = self

    # --- states ----------------------------------------------------------------------------------

    def state_of(self, step: str) -> str:
        return f"{self.name}:{step}"

    @property
    def states(self) -> list[str]:
        return [self.state_of(step.name) for step in self.steps]

    def step_at(self, state: str | None) -> Step | None:
        flow, _, step = (state or "").partition(":")
        return self.by_name.get(step) if flow == self.name else None

    # --- entering -------------------------------------------------------------------------------

    def context(
        self, event: Message | CallbackQuery, state: FSMContext, bot: Bot, t: Translate, lang: Language,
        uow: UnitOfWork, user: User, clock: Clock, data: dict[str, Any] | None = None,
    ) -> Ctx:
        return Ctx(
            flow=self, step=self.steps[0], event=event, state=state, bot=bot, t=t, lang=lang, uow=uow, user=user,
            clock=clock, data=data if data is not None else {},
        )

    async def start(
        self, ctx: Ctx, values: Mapping[str, Any], *, first: str = "", plan: Sequence[str] | None = None,
        intro: str = "",
    ) -> None:
        """A new instance of the flow: its buttons carry a fresh token, so any earlier one's are stale."""
        plan = list(self.plan if plan is None else plan)
        # Whatever was open is replaced whole: open() sets the state and all of its data.
        ctx.data = {**values, "flow_token": secrets.token_hex(3), "flow_plan": plan}
        ctx.intro = intro
        await self.open(ctx, first or (ctx.plan[0] if ctx.plan else self.review))

    async def open(self, ctx: Ctx, name: str, problem: str = "") -> None:
        """Show step `name` (the problem with the last answer on top) and wait for its answer."""
        ctx.step = self.by_name[name]
        if name == self.review:
            ctx.data["flow_reviewed"] = True
        text = await _resolved((ctx.step.screen or self.screen)(ctx))
        await self._draw(ctx, f"{problem}\n\n{text}" if problem else text, await self.keyboard(ctx), problem)
        await ctx.state.set_state(self.state_of(name))
        await ctx.state.set_data(ctx.data)

    async def keyboard(self, ctx: Ctx) -> InlineKeyboardMarkup:
        step, t = ctx.step, ctx.t
        rows: Rows = []
        if step.choices is not None:
            buttons = []
            for choice in await _resolved(step.choices(ctx)):
                chosen = self.mark_chosen and choice.answers and all(
                    ctx.data.get(k) == v for k, v in choice.answers.items()
                )
                buttons.append(ctx.button((self.mark_chosen if chosen else "") + choice.label, choice.value))
            rows += rows_of(buttons, step.per_row)
        if step.keyboard is not None:
            rows += [row for row in await _resolved(step.keyboard(ctx)) if row]
        skip = self._skip_label(ctx)
        if skip:
            rows.append([button(t(skip), ctx._cb(FlowAction.SKIP))])
        nav: list[InlineKeyboardButton] = []
        back = self._back(ctx)
        if isinstance(back, CallbackData):
            nav.append(button(t("btn-back"), back))
        elif back is not None:
            nav.append(button(t("btn-back"), ctx._cb(FlowAction.BACK)))
        if self.cancel_button:
            nav.append(button(t("btn-cancel"), ctx._cb(FlowAction.CANCEL)))
        if nav:
            rows.append(nav)
        return InlineKeyboardMarkup(inline_keyboard=rows)

    def _skip_label(self, ctx: Ctx) -> str:
        step = ctx.step
        if step.fields and ctx.answered(step):
            return self.clear_label if step.clears else self.keep_label
        optional = step.optional(ctx) if callable(step.optional) else step.optional
        return self.skip_label if optional else ""

    def _back(self, ctx: Ctx) -> str | CallbackData | None:
        back = ctx.step.back
        if back == PREVIOUS:
            plan, name = ctx.plan, ctx.step.name
            index = plan.index(name) if name in plan else 0
            if index > 0:
                return plan[index - 1]
            return self.review if self.review and ctx.data.get("flow_reviewed") and name != self.review else None
        if callable(back):
            return back(ctx)
        return back

    async def _draw(self, ctx: Ctx, text: str, markup: InlineKeyboardMarkup | None, problem: str = "") -> None:
        old = ctx.data.get("flow_msg")
        shown = await draw_flow(
            ctx.event, ctx.bot, text, markup, old=old if isinstance(old, int) else None,
            in_place=self.typed_in_place and not problem,
        )
        if shown is not None:
            ctx.data["flow_msg"] = shown

    # --- moving on ------------------------------------------------------------------------------

    async def go_on(self, ctx: Ctx, transition: Transition) -> None:
        if isinstance(transition, Go):
            await self.open(ctx, transition.step, transition.problem)
        elif isinstance(transition, Next):
            await self.open(ctx, self._next(ctx))
        elif isinstance(transition, Stay):
            await self.open(ctx, ctx.step.name, transition.problem)
        elif isinstance(transition, Done):
            await self._draw(ctx, transition.text, transition.markup)
            await ctx.state.clear()
        else:
            if transition.end:
                await ctx.state.clear()
            await _tell(ctx.event, transition.text)

    def _next(self, ctx: Ctx) -> str:
        plan, name = ctx.plan, ctx.step.name
        index = plan.index(name) if name in plan else len(plan) - 1
        for extra in reversed(ctx.step.then(ctx) if ctx.step.then else ()):
            if extra not in plan[index + 1 :]:
                plan.insert(index + 1, extra)
        ctx.data["flow_plan"] = plan
        if index + 1 < len(plan):
            return plan[index + 1]
        assert self.review, f"{self.name}: the plan ran out and there is no review step"
        return self.review

    async def _answer(self, ctx: Ctx, answers: Answers) -> None:
        step = ctx.step
        if step.accept is None:
            ctx.data.update(answers)
            await self.go_on(ctx, NEXT)
            return
        await self.go_on(ctx, await _resolved(step.accept(ctx, answers)))

    async def _refused(self, ctx: Ctx, error: DomainError, given: Input | None = None) -> None:
        """A domain error: an answer to correct keeps the step open; anything else ends the flow."""
        params = {k: str(v) for k, v in error.params.items()}
        if isinstance(given, Typed):
            params.setdefault("input", h(given.text.strip()[:40]))
        if ctx.step.problem_params is not None:
            params = {**ctx.step.problem_params(ctx), **params}
        text = ctx.t(ctx.step.problems.get(error.code, error.code), **params)
        if isinstance(error, InvalidInput | AlreadyDone):
            if isinstance(ctx.event, CallbackQuery):
                await ctx.event.answer(text, show_alert=True)
            else:
                await self.open(ctx, ctx.step.name, text)
            return
        await ctx.state.clear()
        await _tell(ctx.event, text)

    # --- the handlers ---------------------------------------------------------------------------

    def install(self, routes: Routes) -> None:
        """The flow's handlers on its module's router: its buttons (wherever they are pressed), and the
        messages sent while one of its steps is open (commands go on to their own handlers)."""
        routes.callback_query(FlowCb.filter(F.flow == self.name))(self.on_press)
        routes.message(StateFilter(*self.states), ~F.text.startswith("/"))(self.on_message)

    async def on_press(
        self, query: CallbackQuery, callback_data: FlowCb, state: FSMContext, bot: Bot, t: Translate,
        lang: Language, uow: UnitOfWork, user: User, clock: Clock,
    ) -> None:
        refusal = self.refusal(user)
        if refusal is not None:
            await query.answer(t(refusal), show_alert=True)
            return
        data = await state.get_data()
        step = self.step_at(await state.get_state())
        pressed = self.by_name.get(callback_data.step)
        if step is None or callback_data.token != data.get("flow_token") or pressed is not step:
            over = step is None and pressed is not None and pressed.done
            await query.answer(t(pressed.done if over and pressed else self.stale), show_alert=True)
            return
        ctx = self.context(query, state, bot, t, lang, uow, user, clock, data)
        ctx.step = step
        action, value = callback_data.action, callback_data.value
        try:
            if action is FlowAction.CANCEL:
                await state.clear()
                await show(query, t("cancelled"))
            elif action is FlowAction.BACK:
                back = self._back(ctx)
                if isinstance(back, str):
                    await self.open(ctx, back)
                else:
                    await query.answer(t(self.stale), show_alert=True)
            elif action is FlowAction.SKIP:
                await self._skip(ctx)
            elif action is FlowAction.EDIT and value in step.edits:
                ctx.data["flow_plan"] = [value]
                await self.open(ctx, value)
            elif action is FlowAction.PICK:
                await self._pick(ctx, value)
            else:
                await query.answer(t(self.stale), show_alert=True)
        except DomainError as error:
            await self._refused(ctx, error)

    async def _skip(self, ctx: Ctx) -> None:
        """Skip answers the step with nothing new: its accept (if any) runs as for any answer."""
        step = ctx.step
        if step.fields and ctx.answered(step):
            if step.clears:
                ctx.data.update(dict.fromkeys(step.fields))
            await self._answer(ctx, {})
            return
        if self._skip_label(ctx):
            await self._answer(ctx, {})
            return
        await _tell(ctx.event, ctx.t(step.required or self.stale))

    async def _pick(self, ctx: Ctx, value: str) -> None:
        step = ctx.step
        if step.choices is not None:
            choice = next((c for c in await _resolved(step.choices(ctx)) if c.value == value), None)
            if choice is not None:
                await self._answer(ctx, choice.answers)
                return
        if step.pick is not None:
            await self.go_on(ctx, await _resolved(step.pick(ctx, value)))
            return
        await _tell(ctx.event, ctx.t(self.stale))

    async def on_message(
        self, message: Message, state: FSMContext, bot: Bot, t: Translate, lang: Language, uow: UnitOfWork,
        user: User, clock: Clock,
    ) -> None:
        step = self.step_at(await state.get_state())
        assert step is not None  # the handler's state filter
        ctx = self.context(message, state, bot, t, lang, uow, user, clock, await state.get_data())
        ctx.step = step
        given = input_of(message)
        try:
            answers = await _resolved(step.parse(given, ctx)) if step.parse and given is not None else None
            if answers is None:
                await self.open(ctx, step.name, t(step.expect) if step.expect else "")
                return
            await self._answer(ctx, answers)
        except DomainError as error:
            await self._refused(ctx, error, given)


FLOWS: dict[str, Flow] = {}  # every declared flow, by name (the engine tests walk them all)


async def _tell(event: Message | CallbackQuery, text: str) -> None:
    if isinstance(event, CallbackQuery):
        await event.answer(text, show_alert=True)
    else:
        await event.answer(text)
