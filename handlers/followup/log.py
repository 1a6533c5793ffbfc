"""/log: record a call, visit, message, e-mail or meeting on a deal, and plan the next step; the deal's
follow-up timeline; "Log now" on a follow-up nudge.

Three taps are enough: the kind, the outcome, then a next-step date ("tomorrow" saves at once). A note
(typed or a voice note), the customer's needs and what the next step is are optional buttons on the
date step, so they never stand in the way. The flow starts from the deal card, from a nudge, or from
/log's list of the person's open deals (or a search typed there); with exactly one open deal /log opens
it at once, so from every start the three taps are all there is. The service (log_activity) decides
everything; the flow only collects answers and shows what it said. The steps are a table run by the
flow engine (handlers/flow.py); the list and the timeline are plain screens.
"""

from __future__ import annotations

import enum
from datetime import datetime, time
from typing import Any

from aiogram import Bot, F
from aiogram.filters import Command, CommandObject
from aiogram.filters.callback_data import CallbackData
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import CallbackQuery, InlineKeyboardButton, InlineKeyboardMarkup, Message

from bot.callbacks import Id, Page, small_number
from bot.formatting import h, when
from bot.i18n import Translate
from bot.keyboards import button, grid
from bot.routing import Routes
from domain.clock import Clock
from domain.errors import DomainError, InvalidInput
from domain.followup import activities
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
from domain.ports import UnitOfWork
from domain.team.model import Language, Team, User
from domain.team.queries import own_team, team_in_reach
from domain.timeparse import Problem, parse_when
from handlers.common import command_words, refuse, render_flow, show
from handlers.deal_search import FoundDeal, search_deals
from handlers.deals import PER_PAGE, View, fetch_page, load_card, pages_of
from handlers.flow import (
    Alert,
    Answers,
    Choice,
    Ctx,
    Done,
    Flow,
    Go,
    Input,
    Rows,
    Spoken,
    Stay,
    Step,
    Transition,
    Typed,
)
from handlers.followup.nudges import FollowupAction, FollowupCb
from handlers.pipeline_ui import STAGES, DealAct, DealCb, deal_name, stage_name

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
SEARCH_LIMIT = 10
SHOWN_NOTE = 300  # a timeline entry's texts, clipped: a page must stay readable on a phone
# A time typed without a time of day takes the team's start of work; read again with this one, the same
# moment means the rep chose the time of day (exact: the nudge goes then, even after hours).
PROBE_TIME = time(0, 1)
# Where Back on the first step goes.
FROM_CARD, FROM_LIST, FROM_NUDGE = "card", "list", "nudge"
# What the service may say about the next step that another date (or none) answers.
DATE_ERRORS = frozenset({"error-followup-due-past", "error-followup-due-far", "error-followup-step-date"})


class ListAction(enum.StrEnum):
    PAGE = "page"
    DEAL = "deal"


class LogListCb(CallbackData, prefix="lgl"):
    """/log's list of open deals: a page of it, or the deal to log on."""

    action: ListAction
    deal: Id = 0
    page: Page = 0


class VoiceCb(CallbackData, prefix="lgv"):
    """Play a voice note of the timeline again."""

    deal: Id
    page: Page
    activity: Id


class PickDeal(StatesGroup):
    choosing_deal = State()  # /log's list is on screen: typed words search it


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


# --- the steps -----------------------------------------------------------------------------------------


def log_screen(ctx: Ctx) -> str:
    t, data, name = ctx.t, ctx.data, ctx.step.name
    if name == "kind":  # a note typed after `/log <deal>` is already there
        return "\n".join([head(t, data), *answers(t, data), "", t("log-ask-kind")])
    prompt = ctx.step.prompt
    if name == "when" and data.get("outcome") == ActivityOutcome.NOT_INTERESTED.value:
        prompt = "log-ask-when-lost"
    return "\n".join([head(t, data), *answers(t, data), "", t(prompt)])


def back_to_origin(ctx: Ctx) -> CallbackData:
    """Back from the first step: the list or the deal card the flow came from."""
    if ctx.data.get("src") == FROM_LIST:
        return LogListCb(action=ListAction.PAGE, page=int(ctx.data.get("page") or 0))
    return View.from_data(ctx.data.get("view")).cb(DealAct.OPEN, id=int(ctx.data.get("deal") or 0))


def kind_choices(ctx: Ctx) -> list[Choice]:
    return [Choice(kind.value, kind_label(ctx.t, kind.value), {"kind": kind.value}) for kind in KINDS]


def outcome_choices(ctx: Ctx) -> list[Choice]:
    return [Choice(o.value, outcome_label(ctx.t, o.value), {"outcome": o.value}) for o in OUTCOMES]


def preset_choices(ctx: Ctx) -> list[Choice]:
    return [Choice(p.value, ctx.t(f"log-btn-when-{p.value}"), {"preset": p.value}) for p in NextStepPreset]


def when_keyboard(ctx: Ctx) -> Rows:
    t, data = ctx.t, ctx.data
    return [
        [ctx.button(t("log-btn-pick-date"), "date"), ctx.button(t("log-btn-no-step"), "none")],
        [
            ctx.edit_button(t("log-btn-note-edit" if data.get("note") or data.get("voice") else "log-btn-note"), "note"),
            ctx.edit_button(t("log-btn-needs-edit" if data.get("needs") else "log-btn-needs"), "needs"),
            ctx.edit_button(t("log-btn-step-edit" if data.get("step") else "log-btn-step"), "step"),
        ],
    ]


def limited(field: str, limit: int, code: str, *, one_line: bool = False) -> Any:
    """An optional text of the activity, within the service's limit (log_activity checks it again)."""

    def read(given: Input, ctx: Ctx) -> Answers | None:
        if isinstance(given, Spoken) and field == "note":
            return {"voice": given.file_id}
        if not isinstance(given, Typed):
            return None
        text = " ".join(given.text.split()) if one_line else given.text.strip()
        if len(text) > limit:
            raise InvalidInput(code, max=limit)
        return {field: text or None}

    return read


def read_date(given: Input, ctx: Ctx) -> Answers | None:
    """A typed date (as in /remind), or a voice note, which is the note wherever it is spoken."""
    if isinstance(given, Spoken):
        return {"voice": given.file_id}
    return {"typed": given.text} if isinstance(given, Typed) else None


async def on_date(ctx: Ctx, answers: Answers) -> Transition:
    if "voice" in answers:
        ctx.data["voice"] = answers["voice"]
        return Go("when")
    if "preset" in answers:
        team = await own_team(ctx.uow, ctx.user)
        return await save(ctx, next_step_time(NextStepPreset(answers["preset"]), ctx.clock.now(), team), exact=False)
    t, team, typed, now = ctx.t, await own_team(ctx.uow, ctx.user), str(answers["typed"]), ctx.clock.now()
    parsed = parse_when(typed, now, team.timezone, default_time=team.work_start)
    if parsed.at is None:
        if parsed.problem is Problem.PAST and parsed.read_as is not None:
            return Stay(t("log-date-past", when=when(parsed.read_as, team.timezone, ctx.lang)))
        return Stay(t("error-followup-due-far") if parsed.problem is Problem.TOO_FAR else t("log-date-unreadable", input=h(typed[:40])))
    exact = parse_when(typed, now, team.timezone, default_time=PROBE_TIME).at == parsed.at
    return await save(ctx, parsed.at, exact=exact)


async def on_when_pick(ctx: Ctx, value: str) -> Transition:
    if value == "date":
        return Go("date")
    if value == "none":
        return await save(ctx, None, exact=False)
    return Alert(ctx.t("log-stale"))


async def save(ctx: Ctx, due: datetime | None, *, exact: bool) -> Transition:
    t, data = ctx.t, ctx.data
    deal_id = data.get("deal")
    if not isinstance(deal_id, int) or not data.get("kind") or not data.get("outcome"):
        return Alert(t("stale-flow"), end=True)
    try:
        result = await activities.log_activity(
            ctx.uow, actor=ctx.user, opportunity_id=deal_id, kind=str(data["kind"]), outcome=str(data["outcome"]),
            note=data.get("note"), voice_file_id=data.get("voice"), needs=data.get("needs"),
            next_step=data.get("step"), next_due=due, exact_time=exact, now=ctx.clock.now(),
        )
    except DomainError as error:
        text = t(error.code, **{k: str(v) for k, v in error.params.items()})
        if error.code in DATE_ERRORS:  # another date (or none) answers it: the date step stays open
            return Go("when", text)
        return Alert(text, end=True)
    team = await team_in_reach(ctx.uow, ctx.user, result.opportunity.team_id)
    text, markup = result_screen(t, ctx.lang, team, data, result, due)
    return Done(text, markup)


def text_step(name: str, parse: Any, expect: str, fields: tuple[str, ...]) -> Step:
    """The note, needs and next-step texts: optional; Skip (or Clear), Back and an answer return to the date step."""
    return Step(
        name, f"log-ask-{name}", fields, parse=parse, optional=True, clears=True, back="when", expect=expect,
    )


LOG = Flow(
    "log",
    (
        Step("kind", choices=kind_choices, back=back_to_origin, expect="log-expect-kind"),
        Step("outcome", "log-ask-outcome", choices=outcome_choices, per_row=2, back="kind", expect="log-expect-outcome"),
        Step(
            "when", "log-ask-when", choices=preset_choices, keyboard=when_keyboard, parse=read_date, accept=on_date,
            pick=on_when_pick, edits=("note", "needs", "step"), back="outcome", expect="log-expect-date",
        ),
        Step("date", "log-ask-date", parse=read_date, accept=on_date, back="when", expect="log-expect-date"),
        text_step("note", limited("note", MAX_NOTE, "error-followup-note"), "log-expect-note", ("note", "voice")),
        text_step("needs", limited("needs", MAX_NEEDS, "error-followup-needs"), "log-expect-needs", ("needs",)),
        text_step("step", limited("step", MAX_STEP, "error-followup-step", one_line=True), "log-expect-step", ("step",)),
    ),
    screen=log_screen, plan=("kind", "outcome", "when"), review="when", stale="log-stale",
    skip_label="log-btn-skip", clear_label="log-btn-clear",
)
LOG.install(routes)


# --- starting: from the card, a nudge, or /log's list ------------------------------------------------


async def start_flow(
    ctx: Ctx, deal_id: int, src: str, view: View | None = None, page: int = 0, note: str | None = None,
) -> None:
    user, t = ctx.user, ctx.t
    card = await load_card(ctx.event, user, ctx.uow, t, deal_id)  # refuses a deal this person may not see
    if card is None:
        return
    deal = card.opportunity
    # The service has the last word when saving; asking first spares a rep three taps for a "no".
    problem = None
    if not deal.is_open:
        problem = "error-followup-closed"
    elif deal.owner_id != user.id and not card.can_reassign:
        waiting = card.pending_handoff is not None and card.pending_handoff.to_user_id == user.id
        problem = "error-followup-accept-first" if waiting else "error-followup-not-owner"
    if problem is not None:
        await refuse(ctx.event, t, DomainError(problem))
        return
    values = {
        "deal": deal.id, "company": card.lead.company, "title": deal.title, "src": src,
        "view": (view or View()).to_data(), "page": page,
        # The next step becomes the owner's reminder: the result names them when it is someone else.
        "owner": card.owner_name if deal.owner_id not in (None, user.id) else None,
    }
    if note:
        values["note"] = note
    await LOG.start(ctx, values)


@routes.callback_query(DealCb.filter(F.act == DealAct.LOG))
async def on_log_from_card(
    query: CallbackQuery, callback_data: DealCb, state: FSMContext, bot: Bot, t: Translate, lang: Language,
    uow: UnitOfWork, user: User, clock: Clock,
) -> None:
    ctx = LOG.context(query, state, bot, t, lang, uow, user, clock)
    await start_flow(ctx, callback_data.id, FROM_CARD, View.of(callback_data))


@routes.callback_query(FollowupCb.filter(F.action == FollowupAction.LOG))
async def on_log_from_nudge(
    query: CallbackQuery, callback_data: FollowupCb, state: FSMContext, bot: Bot, t: Translate, lang: Language,
    uow: UnitOfWork, user: User, clock: Clock,
) -> None:
    """"Log now" on a nudge opens /log on that deal in the nudge's own message. A second press while the
    flow is open on the same deal changes nothing."""
    data, deal_id = await state.get_data(), callback_data.deal_id
    if LOG.step_at(await state.get_state()) and data.get("deal") == deal_id and data.get("src") == FROM_NUDGE:
        await query.answer(t("log-already-open"))
        return
    await start_flow(LOG.context(query, state, bot, t, lang, uow, user, clock), deal_id, FROM_NUDGE)


def list_scope(user: User) -> bool:
    """Managers log on their team's deals, reps on their own."""
    return user.is_manager_or_admin


async def show_deal_list(
    event: Message | CallbackQuery, user: User, uow: UnitOfWork, state: FSMContext, bot: Bot, t: Translate,
    lang: Language, clock: Clock, page: int, *, open_single: bool = False,
) -> None:
    """/log's list. `open_single` (the command itself): a list of one deal the person may log on is skipped,
    the flow opens on that deal (Back from its first step comes to this list)."""
    try:
        view, found = await fetch_page(uow, user, View(team=list_scope(user), page=max(page, 0)), clock)
    except DomainError as error:
        await refuse(event, t, error)
        return
    if open_single and found.total == 1 and not found.items[0].waiting_handoff:
        ctx = LOG.context(event, state, bot, t, lang, uow, user, clock)
        await start_flow(ctx, found.items[0].id, FROM_LIST)
        return
    await state.set_state(PickDeal.choosing_deal)
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
        buttons.append(button(label, LogListCb(action=ListAction.DEAL, deal=item.id, page=view.page)))
    paging = []
    if view.page > 0:
        paging.append(button(t("btn-prev"), LogListCb(action=ListAction.PAGE, page=view.page - 1)))
    if view.page < pages - 1:
        paging.append(button(t("btn-next"), LogListCb(action=ListAction.PAGE, page=view.page + 1)))
    await render_flow(event, state, bot, "\n".join(lines), grid(buttons, t, per_row=1, extra_rows=[paging] if paging else ()))


async def _search_with_note(uow: UnitOfWork, user: User, words: str) -> tuple[str, str | None, list[FoundDeal]]:
    """The deals that `words` finds. When the whole line finds none, `/log 华东科技 客户想先看案例`: its first
    words that find a deal are the search and the rest is the follow-up's note (shorter and shorter
    beginnings are tried, so the longest one that finds something wins)."""
    found = await search_deals(uow, user, words, SEARCH_LIMIT)
    parts = words.split()
    if found or len(parts) < 2:
        return words, None, found
    for count in range(len(parts) - 1, 0, -1):
        query, note = " ".join(parts[:count]), " ".join(parts[count:])
        if len(note) > MAX_NOTE:
            break
        beginning = await search_deals(uow, user, query, SEARCH_LIMIT)
        if beginning:
            return query, note, beginning
    return words, None, found


async def show_search(
    message: Message, user: User, uow: UnitOfWork, state: FSMContext, bot: Bot, t: Translate, lang: Language,
    clock: Clock, words: str, *, with_note: bool = False,
) -> None:
    """The deals the typed words find, to pick one; with_note (`/log <deal> <note>`): a line whose
    beginning finds the deal and whose rest is the note, kept for the deal picked (one found: opened)."""
    try:
        if with_note:
            words, note, found = await _search_with_note(uow, user, words)
        else:
            note, found = None, await search_deals(uow, user, words, SEARCH_LIMIT)
    except DomainError as error:
        await refuse(message, t, error)
        return
    if note is not None and len(found) == 1:
        await start_flow(LOG.context(message, state, bot, t, lang, uow, user, clock), found[0].id, FROM_LIST, note=note)
        return
    buttons = [
        button(deal.label(t, n), LogListCb(action=ListAction.DEAL, deal=deal.id)) for n, deal in enumerate(found, start=1)
    ]
    await state.set_state(PickDeal.choosing_deal)
    await state.update_data(page=0, note=note)
    text = t("log-search-found", query=h(words), count=len(found)) if found else t("log-search-none", query=h(words))
    if note is not None:
        text += "\n" + t("log-search-note", note=h(clip(note, 200)))
    everything = [[button(t("log-btn-all-deals"), LogListCb(action=ListAction.PAGE, page=0))]]
    await render_flow(message, state, bot, text, grid(buttons, t, per_row=1, extra_rows=everything))


@routes.message(Command("log"), F.chat.type == "private")
async def cmd_log(
    message: Message, command: CommandObject, user: User, uow: UnitOfWork, state: FSMContext, bot: Bot,
    t: Translate, lang: Language, clock: Clock,
) -> None:
    """`/log` lists the rep's deals; `/log 华东` searches them; `/log 华东科技 客户想先看案例` also keeps the
    rest of the line as the note."""
    await state.clear()
    words = command_words(command)
    if words:
        await show_search(message, user, uow, state, bot, t, lang, clock, words, with_note=True)
        return
    await show_deal_list(message, user, uow, state, bot, t, lang, clock, 0, open_single=True)


@routes.callback_query(LogListCb.filter(F.action == ListAction.PAGE))
async def on_list_page(
    query: CallbackQuery, callback_data: LogListCb, user: User, uow: UnitOfWork, state: FSMContext, bot: Bot,
    t: Translate, lang: Language, clock: Clock,
) -> None:
    await show_deal_list(query, user, uow, state, bot, t, lang, clock, callback_data.page)


@routes.callback_query(LogListCb.filter(F.action == ListAction.DEAL))
async def on_deal_picked(
    query: CallbackQuery, callback_data: LogListCb, state: FSMContext, bot: Bot, t: Translate, lang: Language,
    uow: UnitOfWork, user: User, clock: Clock,
) -> None:
    note = (await state.get_data()).get("note")  # `/log <deal> <note>`: kept while a deal is picked
    ctx = LOG.context(query, state, bot, t, lang, uow, user, clock)
    await start_flow(ctx, callback_data.deal, FROM_LIST, page=callback_data.page, note=note if isinstance(note, str) else None)


@routes.message(PickDeal.choosing_deal, F.text, ~F.text.startswith("/"))
async def on_deal_searched(
    message: Message, user: User, uow: UnitOfWork, state: FSMContext, bot: Bot, t: Translate, lang: Language,
    clock: Clock,
) -> None:
    await show_search(message, user, uow, state, bot, t, lang, clock, message.text or "")


@routes.message(PickDeal.choosing_deal, ~F.text.startswith("/"))
async def on_deal_unexpected(message: Message, t: Translate) -> None:
    await message.answer(t("log-expect-deal"))


# --- the result -----------------------------------------------------------------------------------------

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
        actions.append(button(t("deal-btn-lose"), view.cb(DealAct.LOSE, id=deal.id, frm=here)))
    if Hint.ADVANCE in result.hints and result.advance_to is not None:
        lines.extend(["", t("log-hint-advance", stage=stage_name(t, result.advance_to))])
        actions.append(button(
            t("deal-btn-advance", stage=stage_name(t, result.advance_to)),
            view.cb(DealAct.ADVANCE, id=deal.id, frm=here, to=STAGES.index(result.advance_to)),
        ))
    if Hint.PLAN_NEXT_STEP in result.hints:
        lines.extend(["", t("log-hint-plan")])
    rows = [[button(t("timeline-btn"), view.cb(DealAct.TIMELINE, id=deal.id)), button(t("btn-open-deal"), view.cb(DealAct.OPEN, id=deal.id))]]
    return "\n".join(lines), grid(actions, per_row=1, cancel=False, extra_rows=rows)


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
            voices.append(button(t("timeline-btn-voice", n=number), VoiceCb(deal=deal_id, page=page.page, activity=entry.id)))
    paging = []
    if page.page > 0:
        paging.append(button(t("btn-prev"), view.cb(DealAct.TIMELINE, id=deal_id, arg=str(page.page - 1))))
    if page.page < page.pages - 1:
        paging.append(button(t("btn-next"), view.cb(DealAct.TIMELINE, id=deal_id, arg=str(page.page + 1))))
    rows = [paging] if paging else []
    rows.append([button(t("timeline-btn-back"), view.cb(DealAct.OPEN, id=deal_id))])
    return "\n".join(lines), grid(voices, cancel=False, extra_rows=rows)


@routes.callback_query(DealCb.filter(F.act == DealAct.TIMELINE))
async def on_timeline(
    query: CallbackQuery, callback_data: DealCb, user: User, uow: UnitOfWork, t: Translate, lang: Language
) -> None:
    wanted = small_number(callback_data.arg or "0")
    if wanted is None:  # a forged page
        await query.answer(t("stale-button"), show_alert=True)
        return
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
    team = await team_in_reach(uow, user, card.opportunity.team_id)
    text, markup = timeline_screen(
        t, lang, team, card.lead.company, card.opportunity.title, page, View.of(callback_data), callback_data.id
    )
    await show(query, text, markup)


@routes.callback_query(VoiceCb.filter())
async def on_voice_replay(
    query: CallbackQuery, callback_data: VoiceCb, user: User, uow: UnitOfWork, bot: Bot, t: Translate
) -> None:
    """Sends the voice note again; the timeline service checks that this person may see the deal."""
    try:
        page = await activities.timeline(uow, viewer=user, opportunity_id=callback_data.deal, page=callback_data.page)
    except DomainError as error:
        await refuse(query, t, error)
        return
    entry = next((e for e in page.items if e.id == callback_data.activity and e.voice_file_id), None)
    if entry is None or query.message is None:
        await query.answer(t("stale-button"), show_alert=True)
        return
    await query.answer()
    assert entry.voice_file_id is not None
    await bot.send_voice(query.message.chat.id, entry.voice_file_id)


__all__ = ["LOG", "LogListCb", "VoiceCb", "routes"]
