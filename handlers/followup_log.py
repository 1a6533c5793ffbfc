"""/log: record a call, visit, message, e-mail or meeting on a deal, and plan the next step; the deal's
follow-up timeline; "Log now" on a follow-up nudge.

Three taps are enough: the kind, the outcome, then a next-step date ("tomorrow" saves at once). A note
(typed or a voice note), the customer's needs and what the next step is are optional buttons on the
date step, so they never stand in the way. The flow starts from the deal card, from a nudge, or from
/log's list of the person's open deals (or a search typed there). The service (log_activity) decides
everything; the flow only collects answers and shows what it said.
"""

from __future__ import annotations

import secrets
from datetime import datetime, time
from typing import Any

from aiogram import Bot, F
from aiogram.filters import Command, CommandObject, StateFilter
from aiogram.filters.callback_data import CallbackData
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import CallbackQuery, InlineKeyboardButton, InlineKeyboardMarkup, Message

from bot.formatting import h, when
from bot.i18n import Translate
from bot.keyboards import button, grid
from bot.routing import Routes
from domain.clock import Clock
from domain.errors import DomainError
from domain.followup import activities
from domain.followup import search as search_service
from domain.followup.model import ActivityKind, ActivityOutcome
from domain.followup.rules import (
    MAX_NEEDS,
    MAX_NOTE,
    MAX_STEP,
    Hint,
    LogResult,
    NextStepPreset,
    TimelinePage,
    next_step_time,
)
from domain.team.model import Language, Team, User
from domain.timeparse import Problem, parse_when
from handlers.common import refuse, render_flow, show
from handlers.deals import PER_PAGE, View, fetch_page, load_card, pages_of
from handlers.followup import FollowupAction, FollowupCb
from handlers.pipeline_ui import STAGES, DealCb, deal_name, stage_name, team_of
from storage.uow import SqlUnitOfWork

routes = Routes(__name__)

KINDS: tuple[ActivityKind, ...] = (
    ActivityKind.CALL, ActivityKind.VISIT, ActivityKind.MESSAGE, ActivityKind.EMAIL, ActivityKind.MEETING,
)
KIND_ICONS = {"call": "📞", "visit": "🤝", "message": "💬", "email": "📧", "meeting": "👥", "note": "📝"}
OUTCOMES: tuple[ActivityOutcome, ...] = tuple(ActivityOutcome)
OUTCOME_ICONS = {
    "reached": "✅", "no_answer": "📵", "interested": "👍", "needs_proposal": "📄", "not_interested": "👎",
    "call_back": "🔁",
}
PRESETS: tuple[NextStepPreset, ...] = tuple(NextStepPreset)
NO_STEP = "none"  # the "no next step" answer on the date step
SEARCH_LIMIT = 10
SHOWN_NOTE = 300  # a timeline entry's texts, clipped: a page must stay readable on a phone
# A time typed without a time of day takes the team's start of work; read again with this one, the same
# moment means the rep chose the time of day (exact: the nudge goes then, even after hours).
PROBE_TIME = time(0, 1)
# Where Back on the first step goes.
FROM_CARD, FROM_LIST, FROM_NUDGE = "card", "list", "nudge"
# What the service may say about the next step that another date (or none) answers.
DATE_ERRORS = frozenset({"error-followup-due-past", "error-followup-due-far", "error-followup-step-date"})


class LogActivity(StatesGroup):
    choosing_deal = State()
    choosing_kind = State()
    choosing_outcome = State()
    choosing_when = State()
    entering_date = State()
    entering_note = State()
    entering_needs = State()
    entering_step = State()


class LogCb(CallbackData, prefix="lg"):
    act: str  # list | deal | kind | out | when | date | note | needs | step | skip | back
    id: int = 0  # the deal
    v: str = ""  # a kind, an outcome, a preset, or the step Back returns to
    f: str = ""  # the flow the button belongs to: a button of an earlier /log is stale
    p: int = 0  # a list page


class VoiceCb(CallbackData, prefix="lgv"):
    """Play a voice note of the timeline again: the deal, the timeline page, the activity."""

    id: int
    p: int
    a: int


# --- the flow's one message ---------------------------------------------------------------------------

def cb(data: dict[str, Any], act: str, v: str = "") -> LogCb:
    return LogCb(act=act, id=int(data.get("deal") or 0), v=v, f=str(data.get("flow") or ""))


def clip(text: str, limit: int = SHOWN_NOTE) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def kind_label(t: Translate, kind: str) -> str:
    return f"{KIND_ICONS.get(kind, '')} {t(f'activity-kind-{kind}')}".strip()


def outcome_label(t: Translate, outcome: str) -> str:
    text = t(f"activity-outcome-{outcome}")  # lower case in English, as it reads inside a sentence
    return f"{OUTCOME_ICONS.get(outcome, '')} {text[:1].upper()}{text[1:]}".strip()


def head(t: Translate, data: dict[str, Any]) -> str:
    return t("log-head", deal=deal_name(str(data.get("company") or ""), str(data.get("title") or "")))


def answers(t: Translate, data: dict[str, Any]) -> list[str]:
    """What the rep has told the flow so far, as they would read it back."""
    lines = []
    if data.get("kind"):
        said = kind_label(t, str(data["kind"]))
        if data.get("outcome"):
            said += " · " + t(f"activity-outcome-{data['outcome']}")
        lines.append(said)
    if data.get("note"):
        lines.append(t("log-said-note", note=h(clip(str(data["note"]), 200))))
    if data.get("voice"):
        lines.append(t("log-said-voice"))
    if data.get("needs"):
        lines.append(t("log-said-needs", needs=h(clip(str(data["needs"]), 200))))
    if data.get("step"):
        lines.append(t("log-said-step", step=h(str(data["step"]))))
    return lines


def back_to_origin(data: dict[str, Any]) -> CallbackData:
    if data.get("src") == FROM_LIST:
        return LogCb(act="list", p=int(data.get("page") or 0))
    return View.from_data(data.get("view")).cb("open", id=int(data.get("deal") or 0))


def kind_screen(t: Translate, data: dict[str, Any]) -> tuple[str, InlineKeyboardMarkup]:
    buttons = [button(kind_label(t, kind.value), cb(data, "kind", kind.value)) for kind in KINDS]
    return "\n".join([head(t, data), "", t("log-ask-kind")]), grid(buttons, t, back=back_to_origin(data))


def outcome_screen(t: Translate, data: dict[str, Any]) -> tuple[str, InlineKeyboardMarkup]:
    buttons = [button(outcome_label(t, outcome.value), cb(data, "out", outcome.value)) for outcome in OUTCOMES]
    text = "\n".join([head(t, data), *answers(t, data), "", t("log-ask-outcome")])
    return text, grid(buttons, t, back=cb(data, "back", "kind"), per_row=2)


def when_screen(t: Translate, data: dict[str, Any]) -> tuple[str, InlineKeyboardMarkup]:
    presets = [button(t(f"log-btn-when-{preset.value}"), cb(data, "when", preset.value)) for preset in PRESETS]
    others = [button(t("log-btn-pick-date"), cb(data, "date")), button(t("log-btn-no-step"), cb(data, "when", NO_STEP))]
    extras = [
        button(t("log-btn-note-edit" if data.get("note") or data.get("voice") else "log-btn-note"), cb(data, "note")),
        button(t("log-btn-needs-edit" if data.get("needs") else "log-btn-needs"), cb(data, "needs")),
        button(t("log-btn-step-edit" if data.get("step") else "log-btn-step"), cb(data, "step")),
    ]
    ask = "log-ask-when-lost" if data.get("outcome") == ActivityOutcome.NOT_INTERESTED.value else "log-ask-when"
    text = "\n".join([head(t, data), *answers(t, data), "", t(ask)])
    return text, grid(presets, t, back=cb(data, "back", "outcome"), extra_rows=[others, extras])


def date_screen(t: Translate, data: dict[str, Any]) -> tuple[str, InlineKeyboardMarkup]:
    text = "\n".join([head(t, data), *answers(t, data), "", t("log-ask-date")])
    return text, grid([], t, back=cb(data, "back", "when"))


def text_step_screen(t: Translate, data: dict[str, Any], step: str) -> tuple[str, InlineKeyboardMarkup]:
    """The note, needs and next-step texts: optional, so Skip (and Back) return to the date step."""
    text = "\n".join([head(t, data), *answers(t, data), "", t(f"log-ask-{step}")])
    skip = [button(t("log-btn-clear" if has_answer(data, step) else "log-btn-skip"), cb(data, "skip", step))]
    return text, grid(skip, t, back=cb(data, "back", "when"))


def has_answer(data: dict[str, Any], step: str) -> bool:
    if step == "note":
        return bool(data.get("note") or data.get("voice"))
    return bool(data.get(step))


SCREENS = {
    LogActivity.choosing_kind.state: kind_screen,
    LogActivity.choosing_outcome.state: outcome_screen,
    LogActivity.choosing_when.state: when_screen,
    LogActivity.entering_date.state: date_screen,
}
TEXT_STEPS = {"note": LogActivity.entering_note, "needs": LogActivity.entering_needs, "step": LogActivity.entering_step}
STEP_OF_STATE = {state.state: step for step, state in TEXT_STEPS.items()}


async def open_step(
    event: Message | CallbackQuery, state: FSMContext, bot: Bot, t: Translate, target: State, problem: str = ""
) -> None:
    """Go to `target` and draw it; `problem` (a wrong answer) goes on top, the step stays open."""
    await state.set_state(target)
    data = await state.get_data()
    if target.state in STEP_OF_STATE:
        text, markup = text_step_screen(t, data, STEP_OF_STATE[target.state])
    else:
        text, markup = SCREENS[target.state](t, data)
    await render_flow(event, state, bot, f"{problem}\n\n{text}" if problem else text, markup)


async def current(query: CallbackQuery, callback_data: LogCb, state: FSMContext, t: Translate) -> dict[str, Any] | None:
    """The press belongs to the open /log on the same deal; anything else is an old button."""
    data = await state.get_data()
    if not callback_data.f or callback_data.f != data.get("flow") or callback_data.id != data.get("deal"):
        await query.answer(t("log-stale"), show_alert=True)
        return None
    return data


# --- starting: from the card, a nudge, or /log's list ------------------------------------------------

async def start_flow(
    event: Message | CallbackQuery, user: User, uow: SqlUnitOfWork, state: FSMContext, bot: Bot, t: Translate,
    deal_id: int, src: str, view: View | None = None, page: int = 0,
) -> None:
    card = await load_card(event, user, uow, t, deal_id)  # refuses a deal this person may not see
    if card is None:
        return
    deal = card.opportunity
    # The service has the last word when saving; asking first spares a rep three taps for a "no".
    problem = None
    if not deal.is_open:
        problem = "error-followup-closed"
    elif deal.owner_id != user.id and not card.can_reassign:
        problem = "error-followup-not-owner"
    if problem is not None:
        if isinstance(event, CallbackQuery):
            await event.answer(t(problem), show_alert=True)
        else:
            await event.answer(t(problem))
        return
    await state.clear()
    await state.set_data({
        "flow": secrets.token_hex(3), "deal": deal.id, "company": card.lead.company, "title": deal.title,
        "src": src, "view": (view or View()).to_data(), "page": page,
        # The next step becomes the owner's reminder: the result names them when it is someone else.
        "owner": card.owner_name if deal.owner_id not in (None, user.id) else None,
    })
    await open_step(event, state, bot, t, LogActivity.choosing_kind)


@routes.callback_query(DealCb.filter(F.act == "log"))
async def on_log_from_card(
    query: CallbackQuery, callback_data: DealCb, user: User, uow: SqlUnitOfWork, state: FSMContext, bot: Bot,
    t: Translate,
) -> None:
    await start_flow(query, user, uow, state, bot, t, callback_data.id, FROM_CARD, View.of(callback_data))


@routes.callback_query(FollowupCb.filter(F.action == FollowupAction.LOG))
async def on_log_from_nudge(
    query: CallbackQuery, callback_data: FollowupCb, user: User, uow: SqlUnitOfWork, state: FSMContext, bot: Bot,
    t: Translate,
) -> None:
    """"Log now" on a nudge opens /log on that deal in the nudge's own message. A second press while the
    flow is open on the same deal changes nothing."""
    data = await state.get_data()
    deal_id = callback_data.deal_id
    if await state.get_state() is not None and data.get("deal") == deal_id and data.get("src") == FROM_NUDGE:
        await query.answer(t("log-already-open"))
        return
    await start_flow(query, user, uow, state, bot, t, deal_id, FROM_NUDGE)


def list_scope(user: User) -> bool:
    """Managers log on their team's deals, reps on their own."""
    return user.is_manager_or_admin


async def show_deal_list(
    event: Message | CallbackQuery, user: User, uow: SqlUnitOfWork, state: FSMContext, bot: Bot, t: Translate,
    clock: Clock, page: int,
) -> None:
    try:
        view, found = await fetch_page(uow, user, View(team=list_scope(user), page=max(page, 0)), clock)
    except DomainError as error:
        await refuse(event, t, error)
        return
    await state.set_state(LogActivity.choosing_deal)
    await state.set_data({"page": view.page, "flow_msg": (await state.get_data()).get("flow_msg")})
    pages = pages_of(found.total)
    lines = [t("log-choose-deal", total=found.total)]
    if pages > 1:
        lines.append(t("deals-page", page=view.page + 1, pages=pages))
    lines.extend(["", t("log-choose-hint") if found.items else t("log-no-deals")])
    buttons = []
    for number, item in enumerate(found.items, start=view.page * PER_PAGE + 1):
        label = f"{number}. {item.company} · {stage_name(t, item.stage)}"
        if view.team and item.owner_name:
            label += f" · {item.owner_name}"
        buttons.append(button(label, LogCb(act="deal", id=item.id, p=view.page)))
    paging = []
    if view.page > 0:
        paging.append(button(t("btn-prev"), LogCb(act="list", p=view.page - 1)))
    if view.page < pages - 1:
        paging.append(button(t("btn-next"), LogCb(act="list", p=view.page + 1)))
    await render_flow(event, state, bot, "\n".join(lines), grid(buttons, t, per_row=1, extra_rows=[paging] if paging else ()))


async def show_search(
    message: Message, user: User, uow: SqlUnitOfWork, state: FSMContext, bot: Bot, t: Translate, words: str
) -> None:
    try:
        hits = await search_service.search(uow, viewer=user, query=words, limit=SEARCH_LIMIT)
    except DomainError as error:
        await refuse(message, t, error)
        return
    await state.set_state(LogActivity.choosing_deal)
    await state.update_data(page=0)
    seen: list[int] = []
    buttons = []
    for hit in hits:
        if hit.opportunity_id in seen:
            continue
        seen.append(hit.opportunity_id)
        label = f"{len(seen)}. {hit.company}" + (f" · {stage_name(t, hit.stage)}" if hit.stage else "")
        buttons.append(button(label, LogCb(act="deal", id=hit.opportunity_id)))
    text = t("log-search-found", query=h(words), count=len(seen)) if seen else t("log-search-none", query=h(words))
    everything = [[button(t("log-btn-all-deals"), LogCb(act="list", p=0))]]
    await render_flow(message, state, bot, text, grid(buttons, t, per_row=1, extra_rows=everything))


@routes.message(Command("log"), F.chat.type == "private")
async def cmd_log(
    message: Message, command: CommandObject, user: User, uow: SqlUnitOfWork, state: FSMContext, bot: Bot,
    t: Translate, clock: Clock,
) -> None:
    await state.clear()
    words = (command.args or "").strip()
    if words:
        await show_search(message, user, uow, state, bot, t, words)
        return
    await show_deal_list(message, user, uow, state, bot, t, clock, 0)


@routes.callback_query(LogCb.filter(F.act == "list"))
async def on_list_page(
    query: CallbackQuery, callback_data: LogCb, user: User, uow: SqlUnitOfWork, state: FSMContext, bot: Bot,
    t: Translate, clock: Clock,
) -> None:
    await show_deal_list(query, user, uow, state, bot, t, clock, callback_data.p)


@routes.callback_query(LogCb.filter(F.act == "deal"))
async def on_deal_picked(
    query: CallbackQuery, callback_data: LogCb, user: User, uow: SqlUnitOfWork, state: FSMContext, bot: Bot,
    t: Translate,
) -> None:
    await start_flow(query, user, uow, state, bot, t, callback_data.id, FROM_LIST, page=callback_data.p)


@routes.message(LogActivity.choosing_deal, F.text, ~F.text.startswith("/"))
async def on_deal_searched(
    message: Message, user: User, uow: SqlUnitOfWork, state: FSMContext, bot: Bot, t: Translate
) -> None:
    await show_search(message, user, uow, state, bot, t, message.text or "")


@routes.message(LogActivity.choosing_deal, ~F.text.startswith("/"))
async def on_deal_unexpected(message: Message, t: Translate) -> None:
    await message.answer(t("log-expect-deal"))


# --- kind and outcome -----------------------------------------------------------------------------------

@routes.callback_query(LogActivity.choosing_kind, LogCb.filter(F.act == "kind"))
async def on_kind(query: CallbackQuery, callback_data: LogCb, state: FSMContext, bot: Bot, t: Translate) -> None:
    if await current(query, callback_data, state, t) is None:
        return
    if callback_data.v not in {kind.value for kind in KINDS}:
        await query.answer(t("log-stale"), show_alert=True)
        return
    await state.update_data(kind=callback_data.v)
    await open_step(query, state, bot, t, LogActivity.choosing_outcome)


@routes.callback_query(LogActivity.choosing_outcome, LogCb.filter(F.act == "out"))
async def on_outcome(query: CallbackQuery, callback_data: LogCb, state: FSMContext, bot: Bot, t: Translate) -> None:
    if await current(query, callback_data, state, t) is None:
        return
    if callback_data.v not in {outcome.value for outcome in OUTCOMES}:
        await query.answer(t("log-stale"), show_alert=True)
        return
    await state.update_data(outcome=callback_data.v)
    await open_step(query, state, bot, t, LogActivity.choosing_when)


@routes.message(StateFilter(LogActivity.choosing_kind, LogActivity.choosing_outcome), ~F.text.startswith("/"))
async def on_choice_typed(message: Message, state: FSMContext, bot: Bot, t: Translate) -> None:
    here = await state.get_state()
    target = LogActivity.choosing_kind if here == LogActivity.choosing_kind.state else LogActivity.choosing_outcome
    key = "log-expect-kind" if target is LogActivity.choosing_kind else "log-expect-outcome"
    await open_step(message, state, bot, t, target, t(key))


# --- Back, and the optional texts --------------------------------------------------------------------------

BACK_FROM: dict[str, set[str | None]] = {
    "kind": {LogActivity.choosing_outcome.state},
    "outcome": {LogActivity.choosing_when.state},
    "when": {LogActivity.entering_date.state, *STEP_OF_STATE},
}
BACK_TO = {"kind": LogActivity.choosing_kind, "outcome": LogActivity.choosing_outcome, "when": LogActivity.choosing_when}


@routes.callback_query(StateFilter(LogActivity), LogCb.filter(F.act == "back"))
async def on_back(query: CallbackQuery, callback_data: LogCb, state: FSMContext, bot: Bot, t: Translate) -> None:
    if await current(query, callback_data, state, t) is None:
        return
    if await state.get_state() not in BACK_FROM.get(callback_data.v, set()):
        await query.answer(t("log-stale"), show_alert=True)
        return
    await open_step(query, state, bot, t, BACK_TO[callback_data.v])


@routes.callback_query(LogActivity.choosing_when, LogCb.filter(F.act.in_(set(TEXT_STEPS))))
async def on_text_step(query: CallbackQuery, callback_data: LogCb, state: FSMContext, bot: Bot, t: Translate) -> None:
    if await current(query, callback_data, state, t) is None:
        return
    await open_step(query, state, bot, t, TEXT_STEPS[callback_data.act])


@routes.callback_query(StateFilter(*TEXT_STEPS.values()), LogCb.filter(F.act == "skip"))
async def on_text_skipped(query: CallbackQuery, callback_data: LogCb, state: FSMContext, bot: Bot, t: Translate) -> None:
    """Skip on an empty step, or Clear on one already answered: either way the step has no answer."""
    if await current(query, callback_data, state, t) is None:
        return
    step = STEP_OF_STATE.get(await state.get_state())
    if step != callback_data.v:
        await query.answer(t("log-stale"), show_alert=True)
        return
    await state.update_data(**({"note": None, "voice": None} if step == "note" else {step: None}))
    await open_step(query, state, bot, t, LogActivity.choosing_when)


def cleaned(text: str | None) -> str:
    return (text or "").strip()


@routes.message(LogActivity.entering_note, F.text, ~F.text.startswith("/"))
async def on_note_typed(message: Message, state: FSMContext, bot: Bot, t: Translate) -> None:
    note = cleaned(message.text)
    if len(note) > MAX_NOTE:
        await open_step(message, state, bot, t, LogActivity.entering_note, t("error-followup-note", max=MAX_NOTE))
        return
    await state.update_data(note=note or None)
    await open_step(message, state, bot, t, LogActivity.choosing_when)


@routes.message(StateFilter(LogActivity.entering_note, LogActivity.choosing_when, LogActivity.entering_date), F.voice)
async def on_voice_note(message: Message, state: FSMContext, bot: Bot, t: Translate) -> None:
    """A voice note is the note, whether the rep pressed Note first or just spoke on the date step."""
    assert message.voice is not None
    await state.update_data(voice=message.voice.file_id)
    await open_step(message, state, bot, t, LogActivity.choosing_when)


@routes.message(LogActivity.entering_needs, F.text, ~F.text.startswith("/"))
async def on_needs_typed(message: Message, state: FSMContext, bot: Bot, t: Translate) -> None:
    needs = cleaned(message.text)
    if len(needs) > MAX_NEEDS:
        await open_step(message, state, bot, t, LogActivity.entering_needs, t("error-followup-needs", max=MAX_NEEDS))
        return
    await state.update_data(needs=needs or None)
    await open_step(message, state, bot, t, LogActivity.choosing_when)


@routes.message(LogActivity.entering_step, F.text, ~F.text.startswith("/"))
async def on_step_typed(message: Message, state: FSMContext, bot: Bot, t: Translate) -> None:
    step = " ".join((message.text or "").split())
    if len(step) > MAX_STEP:
        await open_step(message, state, bot, t, LogActivity.entering_step, t("error-followup-step", max=MAX_STEP))
        return
    await state.update_data(step=step or None)
    await open_step(message, state, bot, t, LogActivity.choosing_when)


@routes.message(StateFilter(*TEXT_STEPS.values()), ~F.text.startswith("/"))
async def on_text_step_unexpected(message: Message, state: FSMContext, bot: Bot, t: Translate) -> None:
    here = await state.get_state()
    step = STEP_OF_STATE.get(here, "note")
    await open_step(message, state, bot, t, TEXT_STEPS[step], t(f"log-expect-{step}"))


# --- the next step's date, and saving ------------------------------------------------------------------

@routes.callback_query(LogActivity.choosing_when, LogCb.filter(F.act == "date"))
async def on_pick_date(query: CallbackQuery, callback_data: LogCb, state: FSMContext, bot: Bot, t: Translate) -> None:
    if await current(query, callback_data, state, t) is None:
        return
    await open_step(query, state, bot, t, LogActivity.entering_date)


@routes.callback_query(LogActivity.choosing_when, LogCb.filter(F.act == "when"))
async def on_preset(
    query: CallbackQuery, callback_data: LogCb, user: User, uow: SqlUnitOfWork, state: FSMContext, bot: Bot,
    t: Translate, lang: Language, clock: Clock,
) -> None:
    data = await current(query, callback_data, state, t)
    if data is None:
        return
    due: datetime | None = None
    if callback_data.v != NO_STEP:
        try:
            preset = NextStepPreset(callback_data.v)
        except ValueError:
            await query.answer(t("log-stale"), show_alert=True)
            return
        due = next_step_time(preset, clock.now(), await team_of(uow, user.team_id))
    await save(query, user, uow, state, bot, t, lang, clock, data, due, exact=False)


@routes.message(StateFilter(LogActivity.choosing_when, LogActivity.entering_date), F.text, ~F.text.startswith("/"))
async def on_date_typed(
    message: Message, user: User, uow: SqlUnitOfWork, state: FSMContext, bot: Bot, t: Translate, lang: Language,
    clock: Clock,
) -> None:
    """A typed date, as in /remind. A wrong one keeps the step open, with examples."""
    here = LogActivity.entering_date if await state.get_state() == LogActivity.entering_date.state else None
    step = here or LogActivity.choosing_when
    team = await team_of(uow, user.team_id)
    typed, now = message.text or "", clock.now()
    parsed = parse_when(typed, now, team.timezone, default_time=team.work_start)
    if parsed.at is None:
        if parsed.problem is Problem.PAST and parsed.read_as is not None:
            problem = t("log-date-past", when=when(parsed.read_as, team.timezone, lang))
        elif parsed.problem is Problem.TOO_FAR:
            problem = t("error-followup-due-far")
        else:
            problem = t("log-date-unreadable", input=h(typed[:40]))
        await open_step(message, state, bot, t, step, problem)
        return
    exact = parse_when(typed, now, team.timezone, default_time=PROBE_TIME).at == parsed.at
    await save(message, user, uow, state, bot, t, lang, clock, await state.get_data(), parsed.at, exact=exact)


@routes.message(StateFilter(LogActivity.choosing_when, LogActivity.entering_date), ~F.text.startswith("/"))
async def on_date_unexpected(message: Message, state: FSMContext, bot: Bot, t: Translate) -> None:
    here = await state.get_state()
    step = LogActivity.entering_date if here == LogActivity.entering_date.state else LogActivity.choosing_when
    await open_step(message, state, bot, t, step, t("log-expect-date"))


async def save(
    event: Message | CallbackQuery, user: User, uow: SqlUnitOfWork, state: FSMContext, bot: Bot, t: Translate,
    lang: Language, clock: Clock, data: dict[str, Any], due: datetime | None, *, exact: bool,
) -> None:
    deal_id = data.get("deal")
    if not isinstance(deal_id, int) or not data.get("kind") or not data.get("outcome"):
        await state.clear()
        await refuse_text(event, t, "stale-flow")
        return
    try:
        result = await activities.log_activity(
            uow, actor=user, opportunity_id=deal_id, kind=str(data["kind"]), outcome=str(data["outcome"]),
            note=data.get("note"), voice_file_id=data.get("voice"), needs=data.get("needs"),
            next_step=data.get("step"), next_due=due, exact_time=exact, now=clock.now(),
        )
    except DomainError as error:
        await uow.rollback()
        if error.code in DATE_ERRORS:  # another date (or none) answers it: the date step stays open
            problem = t(error.code, **{k: str(v) for k, v in error.params.items()})
            await open_step(event, state, bot, t, LogActivity.choosing_when, problem)
            return
        await state.clear()
        await refuse(event, t, error)
        return
    team = await team_of(uow, result.opportunity.team_id)
    text, markup = result_screen(t, lang, team, data, result, due)
    await render_flow(event, state, bot, text, markup)  # while the flow is open: a typed date's old screen goes
    await state.clear()


async def refuse_text(event: Message | CallbackQuery, t: Translate, key: str) -> None:
    if isinstance(event, CallbackQuery):
        await event.answer(t(key), show_alert=True)
    else:
        await event.answer(t(key))


def result_screen(
    t: Translate, lang: Language, team: Team, data: dict[str, Any], result: LogResult, due: datetime | None
) -> tuple[str, InlineKeyboardMarkup]:
    deal = result.opportunity
    assert deal.id is not None
    view = View.from_data(data.get("view"))
    what = answers(t, {"kind": data.get("kind"), "outcome": data.get("outcome")})
    lines = [t("log-saved", deal=deal_name(str(data.get("company") or ""), deal.title), what=what[0] if what else "")]
    lines.extend(answers(t, {k: v for k, v in data.items() if k in ("note", "voice", "needs")}))
    if due is not None:
        step = h(str(data["step"])) if data.get("step") else t("followup-step-unnamed")
        if data.get("owner"):
            lines.append(t("log-saved-next-other", when=when(due, team.timezone, lang), step=step, owner=h(data["owner"])))
        else:
            lines.append(t("log-saved-next", when=when(due, team.timezone, lang), step=step))
    if result.completed:
        lines.append(t("log-saved-completed", count=result.completed))
    actions: list[InlineKeyboardButton] = []
    here = STAGES.index(deal.stage)
    if Hint.MARK_LOST in result.hints:
        lines.extend(["", t("log-hint-lost")])
        actions.append(button(t("deal-btn-lose"), view.cb("lose", id=deal.id, frm=here)))
    if Hint.ADVANCE in result.hints and result.advance_to is not None:
        lines.extend(["", t("log-hint-advance", stage=stage_name(t, result.advance_to))])
        actions.append(button(
            t("deal-btn-advance", stage=stage_name(t, result.advance_to)),
            view.cb("adv", id=deal.id, frm=here, to=STAGES.index(result.advance_to)),
        ))
    if Hint.PLAN_NEXT_STEP in result.hints:
        lines.extend(["", t("log-hint-plan")])
    rows = [[button(t("timeline-btn"), view.cb("tl", id=deal.id)), button(t("btn-open-deal"), view.cb("open", id=deal.id))]]
    return "\n".join(lines), grid(actions, per_row=1, cancel=False, extra_rows=rows)


@routes.callback_query(LogCb.filter())
async def on_old_log_button(query: CallbackQuery, t: Translate) -> None:
    """A button of a /log that is over (saved, cancelled) or of another step: nothing happens twice."""
    await query.answer(t("log-stale"), show_alert=True)


# --- the timeline ----------------------------------------------------------------------------------------

def entry_lines(t: Translate, lang: Language, tz: str, number: int, entry: Any) -> list[str]:
    what = t(f"activity-kind-{entry.kind.value}")
    if entry.outcome is not None:
        what += " · " + t(f"activity-outcome-{entry.outcome.value}")
    lines = [t(
        "timeline-line", n=number, at=when(entry.at, tz, lang), who=h(entry.actor_name or t("deal-history-system")),
        icon=KIND_ICONS.get(entry.kind.value, "•"), what=what,
    )]
    if entry.note:
        lines.append(t("timeline-note", note=h(clip(entry.note))))
    if entry.voice_file_id:
        lines.append(t("timeline-voice"))
    if entry.needs:
        lines.append(t("timeline-needs", needs=h(clip(entry.needs))))
    if entry.next_due is not None:
        step = h(entry.next_step) if entry.next_step else t("followup-step-unnamed")
        lines.append(t("timeline-next", step=step, when=when(entry.next_due, tz, lang)))
    return lines


def timeline_screen(
    t: Translate, lang: Language, team: Team, company: str, title: str, page: TimelinePage, view: View, deal_id: int
) -> tuple[str, InlineKeyboardMarkup]:
    lines = [t("timeline-title", deal=deal_name(company, title), total=page.total)]
    if page.pages > 1:
        lines.append(t("deals-page", page=page.page + 1, pages=page.pages))
    if not page.items:
        lines.extend(["", t("timeline-empty")])
    voices = []
    for number, entry in enumerate(page.items, start=page.page * page.per_page + 1):
        lines.append("")
        lines.extend(entry_lines(t, lang, team.timezone, number, entry))
        if entry.voice_file_id:
            voices.append(button(t("timeline-btn-voice", n=number), VoiceCb(id=deal_id, p=page.page, a=entry.id)))
    paging = []
    if page.page > 0:
        paging.append(button(t("btn-prev"), view.cb("tl", id=deal_id, arg=str(page.page - 1))))
    if page.page < page.pages - 1:
        paging.append(button(t("btn-next"), view.cb("tl", id=deal_id, arg=str(page.page + 1))))
    rows = [paging] if paging else []
    rows.append([button(t("timeline-btn-back"), view.cb("open", id=deal_id))])
    return "\n".join(lines), grid(voices, cancel=False, extra_rows=rows)


@routes.callback_query(DealCb.filter(F.act == "tl"))
async def on_timeline(
    query: CallbackQuery, callback_data: DealCb, user: User, uow: SqlUnitOfWork, t: Translate, lang: Language
) -> None:
    wanted = int(callback_data.arg) if callback_data.arg.isdigit() else 0
    try:
        page = await activities.timeline(uow, viewer=user, opportunity_id=callback_data.id, page=wanted)
        if page.page >= page.pages and page.total:  # a page past the end (a forged button): the last one
            page = await activities.timeline(uow, viewer=user, opportunity_id=callback_data.id, page=page.pages - 1)
    except DomainError as error:
        await refuse(query, t, error)
        return
    card = await load_card(query, user, uow, t, callback_data.id)
    if card is None:
        return
    team = await team_of(uow, card.opportunity.team_id)
    text, markup = timeline_screen(
        t, lang, team, card.lead.company, card.opportunity.title, page, View.of(callback_data), callback_data.id
    )
    await show(query, text, markup)


@routes.callback_query(VoiceCb.filter())
async def on_voice_replay(
    query: CallbackQuery, callback_data: VoiceCb, user: User, uow: SqlUnitOfWork, bot: Bot, t: Translate
) -> None:
    """Sends the voice note again; the timeline service checks that this person may see the deal."""
    try:
        page = await activities.timeline(uow, viewer=user, opportunity_id=callback_data.id, page=callback_data.p)
    except DomainError as error:
        await refuse(query, t, error)
        return
    entry = next((e for e in page.items if e.id == callback_data.a and e.voice_file_id), None)
    if entry is None or query.message is None:
        await query.answer(t("stale-button"), show_alert=True)
        return
    await query.answer()
    assert entry.voice_file_id is not None
    await bot.send_voice(query.message.chat.id, entry.voice_file_id)


__all__ = ["LogActivity", "LogCb", "VoiceCb", "routes"]
