"""/lead: capture a lead in a few taps, from a shared contact card or from one quick message; check
for duplicates before saving; show the saved lead's score and where it went."""

from __future__ import annotations

import contextlib
import enum
import secrets
from collections.abc import Sequence
from dataclasses import fields
from datetime import datetime
from typing import Any

from aiogram import Bot, F
from aiogram.filters import Command, CommandObject, StateFilter
from aiogram.filters.callback_data import CallbackData
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import CallbackQuery, InlineKeyboardButton, InlineKeyboardMarkup, Message

from bot.formatting import h, when
from bot.i18n import Translate
from bot.keyboards import Nav, button, grid, rows_of
from bot.routing import Routes
from domain.clock import Clock
from domain.errors import DomainError, InvalidInput
from domain.leads import services as lead_service
from domain.leads.contact import (
    QuickCapture,
    company_key,
    normalise_email,
    normalise_phone,
    parse_quick_capture,
)
from domain.leads.model import (
    Authority,
    Budget,
    CaptureOutcome,
    CaptureResult,
    DuplicateHit,
    LeadDraft,
    LeadSource,
    LeadStatus,
    Timeline,
)
from domain.policy import services as policy_service
from domain.team.model import Language, Role, User
from handlers.common import render_flow
from handlers.pipeline_ui import DealCb
from storage.uow import SqlUnitOfWork

routes = Routes(__name__)

CAPTURING_ROLES = frozenset({Role.REP, Role.MANAGER, Role.ADMIN})
MAX_COMPANY = 100
MAX_CONTACT = 64
MAX_NEED = 1000
MAX_NOTE = 1000
MAX_HITS = 3  # duplicates shown; one more screenful helps nobody on a phone
QUICK_MAX_CHARS = 300
LEAD_STATUSES = frozenset(s.value for s in LeadStatus)
FACTOR_ORDER = ("budget", "authority", "timeline", "industry", "need", "engagement")  # a longer message is a conversation, not a lead typed in a hurry


class CaptureLead(StatesGroup):
    entering_company = State()
    entering_contact = State()
    entering_phone = State()
    entering_email = State()
    choosing_source = State()
    entering_need = State()
    choosing_budget = State()
    choosing_authority = State()
    choosing_timeline = State()
    choosing_industry = State()
    reviewing = State()
    resolving_duplicate = State()
    entering_note = State()


class LeadCb(CallbackData, prefix="lead"):
    action: str  # pick | skip | back | edit | keep | confirm | dup_note | dup_open | dup_new | dup_back | note_back
    step: str = ""
    value: str = ""
    flow: str = ""  # the capture the button belongs to: a button left over from an earlier one is stale


STEPS: tuple[str, ...] = (
    "company", "contact", "phone", "email", "source", "need", "budget", "authority", "timeline", "industry",
)
STATE_OF_STEP: dict[str, State] = {
    "company": CaptureLead.entering_company,
    "contact": CaptureLead.entering_contact,
    "phone": CaptureLead.entering_phone,
    "email": CaptureLead.entering_email,
    "source": CaptureLead.choosing_source,
    "need": CaptureLead.entering_need,
    "budget": CaptureLead.choosing_budget,
    "authority": CaptureLead.choosing_authority,
    "timeline": CaptureLead.choosing_timeline,
    "industry": CaptureLead.choosing_industry,
}
STEP_OF_STATE: dict[str | None, str] = {state.state: step for step, state in STATE_OF_STEP.items()}
STEP_STATES = tuple(STATE_OF_STEP.values())
FIELD_OF_STEP: dict[str, str] = {
    "company": "company", "contact": "contact_name", "phone": "phone", "email": "email", "source": "source",
    "need": "need", "budget": "budget", "authority": "authority", "timeline": "timeline", "industry": "industry",
}
# What parse_quick_capture reports as missing, by field name, as steps of this flow.
STEP_OF_NAME: dict[str, str] = {field: step for step, field in FIELD_OF_STEP.items()} | {"phone_or_email": "phone"}
CHOICES: dict[str, tuple[str, ...]] = {
    "source": tuple(s.value for s in LeadSource),
    "budget": tuple(b.value for b in Budget),
    "authority": tuple(a.value for a in Authority),
    "timeline": tuple(t.value for t in Timeline),
}
PER_ROW = {"source": 3, "budget": 3, "authority": 3, "timeline": 2, "industry": 3}
OPTIONAL_STEPS = frozenset({"contact", "need", "authority", "industry"})
EXPECT_KEYS: dict[str | None, str] = {
    CaptureLead.entering_company.state: "lead-expect-company",
    CaptureLead.entering_contact.state: "lead-expect-contact",
    CaptureLead.entering_phone.state: "lead-expect-phone",
    CaptureLead.entering_email.state: "lead-expect-email",
    CaptureLead.entering_need.state: "lead-expect-need",
    CaptureLead.reviewing.state: "lead-expect-summary",
    CaptureLead.entering_note.state: "lead-expect-note",
}


# --- the draft in FSM data: primitives only, None for "not answered yet" ----------------------------

def empty_draft() -> dict[str, Any]:
    return {f.name: None for f in fields(LeadDraft)} | {"company": "", "keep_myself": False}


def primitive(value: Any) -> Any:
    if isinstance(value, enum.Enum):
        return value.value
    if value is None or isinstance(value, str | bool | int):
        return value
    return str(value)


def _enum(kind: type[enum.StrEnum], raw: Any, default: Any) -> Any:
    try:
        return kind(raw) if raw is not None else default
    except ValueError:
        return default


def to_draft(raw: dict[str, Any]) -> LeadDraft:
    def text(name: str) -> str | None:
        value = raw.get(name)
        return str(value) if value else None

    return LeadDraft(
        company=str(raw.get("company") or ""),
        contact_name=text("contact_name"),
        phone=text("phone"),
        email=text("email"),
        source=_enum(LeadSource, raw.get("source"), LeadSource.OTHER),
        need=text("need"),
        need_voice_file_id=text("need_voice_file_id"),
        budget=_enum(Budget, raw.get("budget"), Budget.UNKNOWN),
        budget_note=text("budget_note"),
        authority=_enum(Authority, raw.get("authority"), Authority.NONE),
        timeline=_enum(Timeline, raw.get("timeline"), Timeline.UNKNOWN),
        industry=text("industry"),
        region=text("region"),
        product=text("product"),
        keep_myself=bool(raw.get("keep_myself")),
    )


def missing_required(raw: dict[str, Any]) -> list[str]:
    missing = [] if raw.get("company") else ["company"]
    if not raw.get("phone") and not raw.get("email"):
        missing.append("phone")
    return missing


def current_value(t: Translate, step: str, raw: dict[str, Any]) -> str | None:
    """The step's answer as the rep would read it, or None while unanswered."""
    value = raw.get(FIELD_OF_STEP[step])
    if step == "need":
        parts = [h(_clip(str(value), 200))] if value else []
        if raw.get("need_voice_file_id"):
            parts.append(t("lead-voice-need"))
        return " + ".join(parts) or None
    if not value:
        return None
    if step in CHOICES:
        label = choice_label(t, step, str(value))
        if step == "budget" and raw.get("budget_note"):
            label = t("lead-budget-with-note", budget=label, note=h(raw["budget_note"]))
        return label
    return h(value)


def choice_label(t: Translate, step: str, value: str) -> str:
    # Sources are named as everywhere else in the pipeline (hand-off cards, deal cards).
    return t(f"source-{value}") if step == "source" else t(f"lead-{step}-{value}")


def _clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


# --- the flow's one message -------------------------------------------------------------------------

async def finish(message: Message, state: FSMContext, bot: Bot, text: str) -> None:
    """The flow's last word to a typed answer: the old message loses its buttons, then the flow ends."""
    await render_flow(message, state, bot, text, None)
    await state.clear()


def cb(data: dict[str, Any], action: str, step: str = "", value: str = "") -> LeadCb:
    return LeadCb(action=action, step=step, value=value, flow=str(data.get("flow", "")))


def cancel_button(t: Translate) -> InlineKeyboardButton:
    return button(t("btn-cancel"), Nav(action="cancel"))


async def industries_of(uow: SqlUnitOfWork, user: User) -> list[str]:
    policy = await policy_service.get_policy(uow, team_id=user.team_id)
    return list(policy.industries)


def step_screen(
    t: Translate, step: str, data: dict[str, Any], industries: Sequence[str], intro: str | None = None
) -> tuple[str, InlineKeyboardMarkup]:
    raw: dict[str, Any] = data["draft"]
    plan: list[str] = data["plan"]
    position = plan.index(step) if step in plan else 0
    prompt = "lead-ask-email-required" if step == "email" and not raw.get("phone") else f"lead-ask-{step}"
    lines = [intro, ""] if intro else []
    lines += [t("lead-progress", step=position + 1, total=len(plan)), t(prompt)]
    current = current_value(t, step, raw)
    if current:
        lines.append(t("lead-current", value=current))

    chosen = raw.get(FIELD_OF_STEP[step])
    buttons: list[InlineKeyboardButton] = []
    if step in CHOICES:
        for value in CHOICES[step]:
            label = choice_label(t, step, value)
            buttons.append(button(("✓ " if value == chosen else "") + label, cb(data, "pick", step, value)))
    elif step == "industry":
        for index, name in enumerate(industries):
            label = ("✓ " if name == chosen else "") + name
            buttons.append(button(label, cb(data, "pick", step, str(index))))
    extra: list[list[InlineKeyboardButton]] = []
    if current:
        extra.append([button(t("lead-btn-next"), cb(data, "skip", step))])
    elif step in OPTIONAL_STEPS or step == "phone" or (step == "email" and raw.get("phone")):
        extra.append([button(t("lead-btn-skip"), cb(data, "skip", step))])
    can_go_back = position > 0 or bool(data.get("summary_seen"))
    markup = grid(
        buttons, t, back=cb(data, "back", step) if can_go_back else None, per_row=PER_ROW.get(step, 3),
        extra_rows=extra,
    )
    return "\n".join(lines), markup


async def ask(
    event: Message | CallbackQuery, state: FSMContext, bot: Bot, t: Translate, uow: SqlUnitOfWork, user: User,
    step: str, *, intro: str | None = None, problem: str | None = None,
) -> None:
    """Open `step`: its question, its current answer, its buttons. `problem` (bad input) goes on top."""
    await state.set_state(STATE_OF_STEP[step])
    data = await state.get_data()
    industries = await industries_of(uow, user) if step == "industry" else []
    text, markup = step_screen(t, step, data, industries, intro)
    if problem:
        text = f"{problem}\n\n{text}"
    await render_flow(event, state, bot, text, markup)


async def advance(
    event: Message | CallbackQuery, state: FSMContext, bot: Bot, t: Translate, uow: SqlUnitOfWork, user: User,
    step: str,
) -> None:
    """After `step` is answered: the next step of the plan, or the summary when the plan is done."""
    data = await state.get_data()
    plan: list[str] = list(data.get("plan") or STEPS)
    raw: dict[str, Any] = data["draft"]
    index = plan.index(step) if step in plan else len(plan) - 1
    if step == "phone" and not raw.get("phone") and not raw.get("email") and "email" not in plan[index + 1 :]:
        plan.insert(index + 1, "email")  # no phone: the email is no longer optional
        await state.update_data(plan=plan)
    if index + 1 < len(plan):
        await ask(event, state, bot, t, uow, user, plan[index + 1])
        return
    await show_summary(event, state, bot, t, uow, user)


async def set_answer(state: FSMContext, **answers: Any) -> None:
    data = await state.get_data()
    raw = dict(data.get("draft") or empty_draft())
    raw.update({k: primitive(v) for k, v in answers.items()})
    await state.update_data(draft=raw)


async def start_capture(
    message: Message, state: FSMContext, bot: Bot, t: Translate, uow: SqlUnitOfWork, user: User,
    draft: dict[str, Any], plan: list[str], intro: str | None = None,
) -> None:
    await state.clear()
    await state.set_data({
        "flow": secrets.token_hex(3), "draft": draft, "plan": plan or list(STEPS), "summary_seen": False,
    })
    if not plan:
        await show_summary(message, state, bot, t, uow, user, intro=intro)
        return
    await ask(message, state, bot, t, uow, user, plan[0], intro=intro)


def may_capture(user: User) -> bool:
    return user.role in CAPTURING_ROLES


# --- /lead ------------------------------------------------------------------------------------------

@routes.message(Command("lead"))
async def cmd_lead(
    message: Message, command: CommandObject, state: FSMContext, bot: Bot, t: Translate, uow: SqlUnitOfWork,
    user: User,
) -> None:
    if not may_capture(user):
        await message.answer(t("lead-not-allowed"))
        return
    typed = (command.args or "").strip()
    if typed:
        await start_quick_capture(message, state, bot, t, uow, user, typed)
        return
    await start_capture(message, state, bot, t, uow, user, empty_draft(), list(STEPS))


# --- a shared contact card --------------------------------------------------------------------------

def phone_from_card(raw: str) -> str | None:
    """Telegram sends the number of a contact card in international form, usually without the "+";
    a number typed into a phone book may be a plain Chinese mobile."""
    digits = "".join(ch for ch in raw if ch.isdigit())
    candidates = [raw.strip()]
    if not raw.strip().startswith("+"):
        candidates = [digits, "+" + digits] if len(digits) == 11 and digits.startswith("1") else ["+" + digits]
    for candidate in candidates:
        with contextlib.suppress(InvalidInput):
            return normalise_phone(candidate)
    return None


@routes.message(StateFilter(None), F.contact, F.chat.type == "private")
async def on_contact_shared(
    message: Message, state: FSMContext, bot: Bot, t: Translate, uow: SqlUnitOfWork, user: User
) -> None:
    if not may_capture(user):
        await message.answer(t("lead-not-allowed"))
        return
    assert message.contact is not None
    card = message.contact
    name = " ".join(part for part in (card.first_name, card.last_name) if part).strip()[:MAX_CONTACT]
    phone = phone_from_card(card.phone_number)
    draft = empty_draft() | {"contact_name": name or None, "phone": phone}
    skip = {"contact", "phone", "email"} if phone else {"contact"}
    plan = [step for step in STEPS if step not in skip]
    intro = t("lead-contact-card", name=h(name), phone=h(phone or card.phone_number))
    await start_capture(message, state, bot, t, uow, user, draft, plan, intro)


# --- quick capture: one message -----------------------------------------------------------------------

def quick_draft(text: str) -> tuple[dict[str, Any], list[str]]:
    """The draft parse_quick_capture read from `text`, and the steps still to ask, in flow order."""
    parsed = parse_quick_capture(text)
    draft = empty_draft()
    defaults = {f.name: f.default for f in fields(QuickCapture)}
    for name in draft:
        value = getattr(parsed, name, None)
        # What the message did not say stays unanswered (a default is not an answer).
        if value is not None and value != "" and value != defaults.get(name):
            draft[name] = primitive(value)
    missing = {STEP_OF_NAME[name] for name in parsed.missing if name in STEP_OF_NAME}
    missing.update(missing_required(draft))
    if draft.get("phone") or draft.get("email"):
        missing -= {"phone", "email"}  # one of them is enough
    elif "phone" in missing:
        missing.discard("email")  # asked after the phone, if the phone is skipped
    return draft, [step for step in STEPS if step in missing]


def looks_like_lead(text: str) -> bool:
    """Conservative: a short message, not a question, in which quick capture finds a way to reach
    someone (phone or email), a person, a company, and one more sign of a lead (a source, a budget, a
    timeline or a legal form such as 有限公司 / Ltd). Everything else stays ordinary chat; /lead is
    always there."""
    stripped = text.strip()
    if len(stripped) > QUICK_MAX_CHARS or stripped.count("\n") > 3 or stripped.startswith("/"):
        return False
    if len(stripped.split()) < 3 or stripped.endswith(("?", "？")):
        return False
    parsed = parse_quick_capture(stripped)
    if not ((parsed.phone or parsed.email) and parsed.company and parsed.contact_name):
        return False
    legal_form = company_key(parsed.company) != "".join(parsed.company.casefold().split())
    said_more = parsed.source or parsed.budget is not Budget.UNKNOWN or parsed.timeline is not Timeline.UNKNOWN
    return bool(said_more or legal_form)


async def start_quick_capture(
    message: Message, state: FSMContext, bot: Bot, t: Translate, uow: SqlUnitOfWork, user: User, text: str
) -> None:
    draft, plan = quick_draft(text)
    data = {"draft": draft, "plan": plan}
    lines = [t("lead-quick-parsed"), *field_lines(t, data, answered_only=True)]
    if plan:
        lines += ["", t("lead-quick-ask")]
        await start_capture(message, state, bot, t, uow, user, draft, plan, "\n".join(lines))
        return
    await start_capture(message, state, bot, t, uow, user, draft, [], t("lead-quick-parsed"))


async def lead_like_message(message: Message, user: User | None = None) -> bool:
    return (
        user is not None and may_capture(user) and message.text is not None and looks_like_lead(message.text)
    )


@routes.message(StateFilter(None), F.chat.type == "private", F.text, lead_like_message)
async def on_lead_like_message(
    message: Message, state: FSMContext, bot: Bot, t: Translate, uow: SqlUnitOfWork, user: User
) -> None:
    await start_quick_capture(message, state, bot, t, uow, user, message.text or "")


# --- typed answers ----------------------------------------------------------------------------------

def typed(message: Message) -> str:
    return " ".join((message.text or "").split())


@routes.message(CaptureLead.entering_company, F.text, ~F.text.startswith("/"))
async def on_company_entered(
    message: Message, state: FSMContext, bot: Bot, t: Translate, uow: SqlUnitOfWork, user: User
) -> None:
    name = typed(message)
    if not 1 <= len(name) <= MAX_COMPANY:
        await ask(message, state, bot, t, uow, user, "company", problem=t("lead-bad-company"))
        return
    await set_answer(state, company=name)
    await advance(message, state, bot, t, uow, user, "company")


@routes.message(CaptureLead.entering_contact, F.text, ~F.text.startswith("/"))
async def on_contact_name_entered(
    message: Message, state: FSMContext, bot: Bot, t: Translate, uow: SqlUnitOfWork, user: User
) -> None:
    name = typed(message)
    if not 1 <= len(name) <= MAX_CONTACT:
        await ask(message, state, bot, t, uow, user, "contact", problem=t("lead-bad-contact"))
        return
    await set_answer(state, contact_name=name)
    await advance(message, state, bot, t, uow, user, "contact")


@routes.message(CaptureLead.entering_phone, F.text, ~F.text.startswith("/"))
async def on_phone_entered(
    message: Message, state: FSMContext, bot: Bot, t: Translate, uow: SqlUnitOfWork, user: User
) -> None:
    raw = typed(message)
    if "@" in raw:  # an email typed where the phone was asked: take it for what it is
        try:
            await set_answer(state, email=normalise_email(raw))
        except InvalidInput:
            await ask(message, state, bot, t, uow, user, "phone", problem=t("lead-bad-email", input=h(raw[:60])))
            return
        await advance(message, state, bot, t, uow, user, "phone")
        return
    try:
        phone = normalise_phone(raw)
    except InvalidInput:
        await ask(message, state, bot, t, uow, user, "phone", problem=t("lead-bad-phone", input=h(raw[:40])))
        return
    await set_answer(state, phone=phone)
    await advance(message, state, bot, t, uow, user, "phone")


@routes.message(CaptureLead.entering_phone, F.contact)
async def on_phone_card_shared(
    message: Message, state: FSMContext, bot: Bot, t: Translate, uow: SqlUnitOfWork, user: User
) -> None:
    assert message.contact is not None
    phone = phone_from_card(message.contact.phone_number)
    if phone is None:
        problem = t("lead-bad-phone", input=h(message.contact.phone_number[:40]))
        await ask(message, state, bot, t, uow, user, "phone", problem=problem)
        return
    raw = (await state.get_data()).get("draft") or {}
    name = " ".join(p for p in (message.contact.first_name, message.contact.last_name) if p)[:MAX_CONTACT]
    await set_answer(state, phone=phone, contact_name=raw.get("contact_name") or name or None)
    await advance(message, state, bot, t, uow, user, "phone")


@routes.message(CaptureLead.entering_email, F.text, ~F.text.startswith("/"))
async def on_email_entered(
    message: Message, state: FSMContext, bot: Bot, t: Translate, uow: SqlUnitOfWork, user: User
) -> None:
    raw = typed(message)
    try:
        email = normalise_email(raw)
    except InvalidInput:
        await ask(message, state, bot, t, uow, user, "email", problem=t("lead-bad-email", input=h(raw[:60])))
        return
    await set_answer(state, email=email)
    await advance(message, state, bot, t, uow, user, "email")


@routes.message(CaptureLead.entering_need, F.text, ~F.text.startswith("/"))
async def on_need_typed(
    message: Message, state: FSMContext, bot: Bot, t: Translate, uow: SqlUnitOfWork, user: User
) -> None:
    need = (message.text or "").strip()
    if len(need) > MAX_NEED:
        await ask(message, state, bot, t, uow, user, "need", problem=t("lead-bad-need", max=MAX_NEED))
        return
    await set_answer(state, need=need)
    await advance(message, state, bot, t, uow, user, "need")


@routes.message(CaptureLead.entering_need, F.voice)
async def on_need_spoken(
    message: Message, state: FSMContext, bot: Bot, t: Translate, uow: SqlUnitOfWork, user: User
) -> None:
    assert message.voice is not None
    await set_answer(state, need_voice_file_id=message.voice.file_id)
    await advance(message, state, bot, t, uow, user, "need")


# --- button answers, Skip and Back --------------------------------------------------------------------

async def is_current(query: CallbackQuery, callback_data: LeadCb, state: FSMContext, t: Translate) -> bool:
    """The press belongs to the open capture (and, for a step's button, to the step on screen)."""
    data = await state.get_data()
    step = STEP_OF_STATE.get(await state.get_state())
    if callback_data.flow != data.get("flow") or (callback_data.step and callback_data.step != step):
        await query.answer(t("stale-button"), show_alert=True)
        return False
    return True


@routes.callback_query(StateFilter(*STEP_STATES), LeadCb.filter(F.action == "pick"))
async def on_choice_picked(
    query: CallbackQuery, callback_data: LeadCb, state: FSMContext, bot: Bot, t: Translate,
    uow: SqlUnitOfWork, user: User,
) -> None:
    if not await is_current(query, callback_data, state, t):
        return
    step, value = callback_data.step, callback_data.value
    if step == "industry":
        industries = await industries_of(uow, user)
        if not value.isdigit() or int(value) >= len(industries):
            await query.answer(t("stale-button"), show_alert=True)
            return
        await set_answer(state, industry=industries[int(value)])
    elif step in CHOICES and value in CHOICES[step]:
        await set_answer(state, **{FIELD_OF_STEP[step]: value})
    else:
        await query.answer(t("stale-button"), show_alert=True)
        return
    await advance(query, state, bot, t, uow, user, step)


@routes.callback_query(StateFilter(*STEP_STATES), LeadCb.filter(F.action == "skip"))
async def on_step_skipped(
    query: CallbackQuery, callback_data: LeadCb, state: FSMContext, bot: Bot, t: Translate,
    uow: SqlUnitOfWork, user: User,
) -> None:
    if not await is_current(query, callback_data, state, t):
        return
    step = callback_data.step
    raw = (await state.get_data()).get("draft") or {}
    answered = current_value(t, step, raw) is not None
    if not answered and (step == "company" or (step == "email" and not raw.get("phone"))):
        await query.answer(t("lead-expect-company" if step == "company" else "lead-need-phone-or-email"), show_alert=True)
        return
    await advance(query, state, bot, t, uow, user, step)


@routes.callback_query(StateFilter(*STEP_STATES), LeadCb.filter(F.action == "back"))
async def on_back(
    query: CallbackQuery, callback_data: LeadCb, state: FSMContext, bot: Bot, t: Translate,
    uow: SqlUnitOfWork, user: User,
) -> None:
    if not await is_current(query, callback_data, state, t):
        return
    data = await state.get_data()
    plan: list[str] = list(data.get("plan") or STEPS)
    step = callback_data.step
    index = plan.index(step) if step in plan else 0
    if index > 0:
        await ask(query, state, bot, t, uow, user, plan[index - 1])
    elif data.get("summary_seen"):
        await show_summary(query, state, bot, t, uow, user)
    else:
        await query.answer()


# --- the summary: Confirm, Edit a field, keep it myself ---------------------------------------------

def field_lines(t: Translate, data: dict[str, Any], *, answered_only: bool = False) -> list[str]:
    raw: dict[str, Any] = data["draft"]
    lines = []
    for step in STEPS:
        value = current_value(t, step, raw)
        if value or not answered_only:
            lines.append(t("lead-field-line", field=t(f"lead-field-{step}"), value=value or t("lead-empty")))
    return lines


async def show_summary(
    event: Message | CallbackQuery, state: FSMContext, bot: Bot, t: Translate, uow: SqlUnitOfWork, user: User,
    *, intro: str | None = None, problem: str | None = None,
) -> None:
    await state.set_state(CaptureLead.reviewing)
    await state.update_data(summary_seen=True)
    data = await state.get_data()
    raw: dict[str, Any] = data["draft"]
    policy = await policy_service.get_policy(uow, team_id=user.team_id)
    missing = missing_required(raw)
    lines = [problem, ""] if problem else []
    lines += [intro or t("lead-summary-title"), *field_lines(t, data), ""]
    if missing:
        names = t("list-separator").join(t(f"lead-field-{step}") for step in missing)
        lines.append(t("lead-summary-missing", fields=names))
    else:
        lines.append(t("lead-summary-hint"))
    rows: list[list[InlineKeyboardButton]] = []
    if not missing:
        rows.append([button(t("lead-btn-confirm"), cb(data, "confirm"))])
    if policy.allow_self_assign and user.role is Role.REP:  # managers hand leads out; they do not keep them
        key = "lead-btn-keep-myself-on" if raw.get("keep_myself") else "lead-btn-keep-myself-off"
        rows.append([button(t(key), cb(data, "keep"))])
    edits = [button(t("lead-btn-edit", field=t(f"lead-field-{step}")), cb(data, "edit", value=step)) for step in STEPS]
    rows += rows_of(edits)
    rows.append([cancel_button(t)])
    await render_flow(event, state, bot, "\n".join(lines), InlineKeyboardMarkup(inline_keyboard=rows))


@routes.callback_query(CaptureLead.reviewing, LeadCb.filter(F.action == "edit"))
async def on_edit_pressed(
    query: CallbackQuery, callback_data: LeadCb, state: FSMContext, bot: Bot, t: Translate,
    uow: SqlUnitOfWork, user: User,
) -> None:
    if not await is_current(query, callback_data, state, t) or callback_data.value not in STEPS:
        return
    await state.update_data(plan=[callback_data.value])
    await ask(query, state, bot, t, uow, user, callback_data.value)


@routes.callback_query(CaptureLead.reviewing, LeadCb.filter(F.action == "keep"))
async def on_keep_toggled(
    query: CallbackQuery, callback_data: LeadCb, state: FSMContext, bot: Bot, t: Translate,
    uow: SqlUnitOfWork, user: User,
) -> None:
    if not await is_current(query, callback_data, state, t):
        return
    raw = (await state.get_data()).get("draft") or {}
    await set_answer(state, keep_myself=not raw.get("keep_myself"))
    await show_summary(query, state, bot, t, uow, user)


@routes.callback_query(CaptureLead.reviewing, LeadCb.filter(F.action == "confirm"))
async def on_confirm(
    query: CallbackQuery, callback_data: LeadCb, state: FSMContext, bot: Bot, t: Translate, lang: Language,
    uow: SqlUnitOfWork, user: User, clock: Clock,
) -> None:
    if not await is_current(query, callback_data, state, t):
        return
    data = await state.get_data()
    raw: dict[str, Any] = data["draft"]
    missing = missing_required(raw)
    if missing:
        await state.update_data(plan=missing)
        await ask(query, state, bot, t, uow, user, missing[0])
        return
    # Close the review before anything else: this chat's updates run one at a time, so a second tap
    # on Confirm finds no review open and is told so instead of capturing the lead twice.
    await state.clear()
    draft = to_draft(raw)
    hits = await lead_service.find_duplicates(
        uow, viewer=user, phone=draft.phone, email=draft.email, company_key=company_key(draft.company)
    )
    if hits:
        await state.set_state(CaptureLead.resolving_duplicate)
        await state.set_data({**data, "hits": [hit_data(hit) for hit in hits[:MAX_HITS]]})
        await show_duplicates(query, state, bot, t, lang, uow, user)
        return
    await save(query, state, bot, t, uow, user, clock, draft)


# --- duplicates ---------------------------------------------------------------------------------------

def hit_data(hit: DuplicateHit) -> dict[str, Any]:
    """What the rep may see of a hit, as primitives. The service leaves out the details of another
    team's record (an admin sees them all): then only the team's name is kept."""
    detailed = hit.company is not None
    extra = hit.extra if detailed else {}
    return {
        "kind": hit.kind, "id": hit.id if detailed else 0, "team": hit.team_name, "matched": hit.matched_on,
        "detailed": detailed, "same_team": hit.same_team, "mine": detailed and hit.owned_by_viewer,
        # Only a lead of the rep's own team can be linked to a new lead at the same company.
        "lead_id": hit.lead_id if hit.same_team else None,
        "company": hit.company, "owner": hit.owner_name if detailed else None,
        "stage": primitive(hit.stage) if detailed else None,
        "last": hit.last_activity_at.isoformat() if detailed and hit.last_activity_at else None,
        "creator": str(extra.get("created_by_name") or ""), "status": str(extra.get("status") or ""),
        "in_pool": bool(extra.get("in_pool")), "waiting": bool(extra.get("waiting_handoff")),
    }


def hit_lines(t: Translate, lang: Language, timezone: str, hits: Sequence[dict[str, Any]]) -> list[str]:
    lines = []
    for n, hit in enumerate(hits, start=1):
        matched = t(f"lead-dup-matched-{hit['matched']}")
        if not hit["detailed"]:
            lines.append(t("lead-dup-other-team", n=n, team=h(hit["team"]), matched=matched))
            continue
        last = datetime.fromisoformat(hit["last"]) if hit["last"] else None
        common = {
            "n": n, "company": h(hit["company"] or ""), "id": hit["id"], "matched": matched,
            "last": when(last, timezone, lang) if last else t("lead-dup-never"),
        }
        if hit["kind"] == "lead":  # not a deal (yet): who captured it and how it stands
            status = hit["status"] if hit["status"] in LEAD_STATUSES else "new"
            lines.append(t(
                "lead-dup-lead", creator=h(hit["creator"] or "—"), status=t(f"lead-status-{status}"), **common
            ))
            continue
        if hit["owner"]:
            owner = h(hit["owner"])
        else:
            owner = t("lead-dup-waiting" if hit["waiting"] else "lead-dup-no-owner")
        stage = t(f"stage-{hit['stage']}") if hit["stage"] else t("lead-empty")
        lines.append(t("lead-dup-deal", owner=owner, stage=stage, **common))
    return lines


async def show_duplicates(
    event: Message | CallbackQuery, state: FSMContext, bot: Bot, t: Translate, lang: Language,
    uow: SqlUnitOfWork, user: User, *, problem: str | None = None,
) -> None:
    data = await state.get_data()
    hits: list[dict[str, Any]] = data.get("hits") or []
    team = await uow.teams.get(user.team_id)
    timezone = team.timezone if team is not None else "Asia/Shanghai"
    lines = [problem, ""] if problem else []
    lines += [t("lead-dup-title"), "", *hit_lines(t, lang, timezone, hits), "", t("lead-dup-hint")]
    text = "\n".join(lines)
    buttons: list[InlineKeyboardButton] = []
    for n, hit in enumerate(hits, start=1):
        if hit["detailed"]:
            buttons.append(button(t("lead-dup-btn-note", n=n), cb(data, "dup_note", value=str(n))))
        if hit["mine"] and hit["kind"] == "opportunity":
            # Straight to the deal card: /deals opens it, checks access again and ends this capture.
            buttons.append(button(t("lead-dup-btn-continue", n=n), DealCb(act="open", id=hit["id"])))
        elif hit["mine"]:
            buttons.append(button(t("lead-dup-btn-continue", n=n), cb(data, "dup_open", value=str(n))))
    markup = grid(
        buttons, t, back=cb(data, "dup_back"), per_row=2,
        extra_rows=[[button(t("lead-dup-btn-new"), cb(data, "dup_new"))]],
    )
    await render_flow(event, state, bot, text, markup)


async def chosen_hit(
    query: CallbackQuery, callback_data: LeadCb, state: FSMContext, t: Translate
) -> dict[str, Any] | None:
    """The duplicate a button points at, if it is one this rep was shown and may act on."""
    if not await is_current(query, callback_data, state, t):
        return None
    hits: list[dict[str, Any]] = (await state.get_data()).get("hits") or []
    n = int(callback_data.value) if callback_data.value.isdigit() else 0
    if not 1 <= n <= len(hits):
        await query.answer(t("stale-button"), show_alert=True)
        return None
    hit = hits[n - 1]
    if not hit["detailed"]:
        await query.answer(t("error-other-team"), show_alert=True)
        return None
    return hit


@routes.callback_query(CaptureLead.resolving_duplicate, LeadCb.filter(F.action == "dup_note"))
async def on_add_note_chosen(
    query: CallbackQuery, callback_data: LeadCb, state: FSMContext, bot: Bot, t: Translate
) -> None:
    hit = await chosen_hit(query, callback_data, state, t)
    if hit is None:
        return
    await state.set_state(CaptureLead.entering_note)
    await state.update_data(note_hit=int(callback_data.value))
    await ask_note(query, state, bot, t, hit)


async def ask_note(
    event: Message | CallbackQuery, state: FSMContext, bot: Bot, t: Translate, hit: dict[str, Any],
    *, problem: str | None = None,
) -> None:
    data = await state.get_data()
    text = t("lead-note-ask", company=h(hit["company"] or ""))
    await render_flow(event, state, bot, f"{problem}\n\n{text}" if problem else text, grid([], t, back=cb(data, "note_back")))


def noted_hit(data: dict[str, Any]) -> dict[str, Any] | None:
    hits: list[dict[str, Any]] = data.get("hits") or []
    n = data.get("note_hit")
    return hits[n - 1] if isinstance(n, int) and 1 <= n <= len(hits) else None


@routes.callback_query(CaptureLead.resolving_duplicate, LeadCb.filter(F.action == "dup_open"))
async def on_continue_there(
    query: CallbackQuery, callback_data: LeadCb, state: FSMContext, bot: Bot, t: Translate
) -> None:
    hit = await chosen_hit(query, callback_data, state, t)
    if hit is None:
        return
    if not hit["mine"]:
        await query.answer(t("lead-dup-not-yours"), show_alert=True)
        return
    await state.clear()
    key = "lead-dup-yours-deal" if hit["kind"] == "opportunity" else "lead-dup-yours-lead"
    text = t(key, company=h(hit["company"] or ""), id=hit["id"])
    await render_flow(query, state, bot, text, None)


@routes.callback_query(CaptureLead.resolving_duplicate, LeadCb.filter(F.action == "dup_new"))
async def on_still_new(
    query: CallbackQuery, callback_data: LeadCb, state: FSMContext, bot: Bot, t: Translate,
    uow: SqlUnitOfWork, user: User, clock: Clock,
) -> None:
    if not await is_current(query, callback_data, state, t):
        return
    data = await state.get_data()
    await state.clear()  # as on Confirm: a second tap finds nothing open
    hits: list[dict[str, Any]] = data.get("hits") or []
    related = next((hit["lead_id"] for hit in hits if hit["lead_id"]), None)
    await save(query, state, bot, t, uow, user, clock, to_draft(data["draft"]), related_lead_id=related)


@routes.callback_query(CaptureLead.resolving_duplicate, LeadCb.filter(F.action == "dup_back"))
async def on_back_to_summary(
    query: CallbackQuery, callback_data: LeadCb, state: FSMContext, bot: Bot, t: Translate,
    uow: SqlUnitOfWork, user: User,
) -> None:
    if not await is_current(query, callback_data, state, t):
        return
    await show_summary(query, state, bot, t, uow, user)


@routes.callback_query(CaptureLead.entering_note, LeadCb.filter(F.action == "note_back"))
async def on_back_to_duplicates(
    query: CallbackQuery, callback_data: LeadCb, state: FSMContext, bot: Bot, t: Translate, lang: Language,
    uow: SqlUnitOfWork, user: User,
) -> None:
    if not await is_current(query, callback_data, state, t):
        return
    await state.set_state(CaptureLead.resolving_duplicate)
    await show_duplicates(query, state, bot, t, lang, uow, user)


@routes.message(CaptureLead.entering_note, F.text, ~F.text.startswith("/"))
async def on_note_entered(
    message: Message, state: FSMContext, bot: Bot, t: Translate, uow: SqlUnitOfWork, user: User, clock: Clock
) -> None:
    note = (message.text or "").strip()
    hit = noted_hit(await state.get_data())
    if hit is None:
        await state.clear()
        await message.answer(t("stale-flow"))
        return
    if not 1 <= len(note) <= MAX_NOTE:
        await ask_note(message, state, bot, t, hit, problem=t("lead-bad-note", max=MAX_NOTE))
        return
    try:
        await lead_service.add_note(uow, actor=user, kind=hit["kind"], record_id=hit["id"], note=note, now=clock.now())
    except DomainError as error:
        await finish(message, state, bot, t(error.code, **{k: str(v) for k, v in error.params.items()}))
        return
    await finish(message, state, bot, t("lead-note-saved", company=h(hit["company"] or "")))


# --- saving and the lead's card -------------------------------------------------------------------------

async def save(
    query: CallbackQuery, state: FSMContext, bot: Bot, t: Translate, uow: SqlUnitOfWork, user: User,
    clock: Clock, draft: LeadDraft, *, related_lead_id: int | None = None,
) -> None:
    try:
        result = await lead_service.capture_lead(
            uow, actor=user, draft=draft, now=clock.now(), related_lead_id=related_lead_id
        )
    except DomainError as error:
        await render_flow(query, state, bot, t(error.code, **{k: str(v) for k, v in error.params.items()}), None)
        return
    await render_flow(query, state, bot, await result_card(t, uow, result), None)


def score_line(t: Translate, score: int | None, reasons: dict[str, int]) -> str:
    """"7/10：预算 +2，决策人 +2，时间 +2，…": the biggest reasons first."""
    order = [*FACTOR_ORDER, *sorted(set(reasons) - set(FACTOR_ORDER))]
    ranked = sorted((f for f in order if reasons.get(f, 0) > 0), key=lambda f: (-reasons[f], order.index(f)))
    parts = [
        t(f"score-reason-{factor}", points=reasons[factor])
        if factor in FACTOR_ORDER
        else f"{h(factor)} +{reasons[factor]}"
        for factor in ranked
    ]
    if not parts:
        return t("lead-score-plain", score=score or 0)
    return t("lead-score", score=score or 0, reasons=t("list-separator").join(parts))


async def result_card(t: Translate, uow: SqlUnitOfWork, result: CaptureResult) -> str:
    lead = result.lead
    lines = [t("lead-saved", company=h(lead.company), id=lead.id), score_line(t, lead.score, lead.score_reasons)]
    if lead.related_lead_id:
        lines.append(t("lead-related"))
    if result.outcome is CaptureOutcome.HANDOFF and result.handoff is not None:
        assignee = await uow.users.get(result.handoff.to_user_id)
        lines.append(t("lead-outcome-handoff", name=h(assignee.name if assignee else "?")))
    else:
        lines.append(t(f"lead-outcome-{result.outcome.value}"))
    return "\n".join(lines)


# --- anything else while capturing; stale presses -----------------------------------------------------

@routes.message(StateFilter(CaptureLead), ~F.text.startswith("/"))
async def on_unexpected_in_capture(
    message: Message, state: FSMContext, bot: Bot, t: Translate, lang: Language, uow: SqlUnitOfWork, user: User
) -> None:
    """A sticker, a photo, text where a button is expected: say what the step wants; keep every answer."""
    current = await state.get_state()
    hint = t(EXPECT_KEYS.get(current, "lead-expect-buttons"))
    step = STEP_OF_STATE.get(current)
    hit = noted_hit(await state.get_data())
    if step is not None:
        await ask(message, state, bot, t, uow, user, step, problem=hint)
    elif current == CaptureLead.reviewing.state:
        await show_summary(message, state, bot, t, uow, user, problem=hint)
    elif current == CaptureLead.entering_note.state and hit is not None:
        await ask_note(message, state, bot, t, hit, problem=hint)
    elif current == CaptureLead.resolving_duplicate.state:
        await show_duplicates(message, state, bot, t, lang, uow, user, problem=hint)
    else:
        await state.clear()
        await message.answer(t("stale-flow"))


@routes.callback_query(LeadCb.filter(F.action.in_({"confirm", "dup_new"})))
async def on_confirm_again(query: CallbackQuery, t: Translate) -> None:
    """A second tap on Confirm (or on "still new") after the lead was handled."""
    await query.answer(t("lead-already-handled"), show_alert=True)
