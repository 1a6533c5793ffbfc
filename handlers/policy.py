"""/policy (managers, admins): the team's pipeline rules — assignment policy, self-assignment, the
qualification threshold, hand-off minutes, recycle days, the pool limit and cool-off — each changed
by buttons or a typed number; each open stage's idle limit (沉默时限) by buttons or a typed number;
the score weights by -/+ buttons; and the reps' skills (regions, industries, products) as a typed
list. The services validate every value; this translates taps and text into their calls."""

from __future__ import annotations

import re
from typing import Any

from aiogram import F
from aiogram.filters import Command
from aiogram.filters.callback_data import CallbackData
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import CallbackQuery, InlineKeyboardButton, InlineKeyboardMarkup, Message

from bot.formatting import h
from bot.i18n import Translate
from bot.keyboards import button, grid, rows_of
from bot.routing import Routes
from domain.clock import Clock
from domain.deals import queries as deal_queries
from domain.deals.model import PIPELINE, Stage
from domain.errors import DomainError, Forbidden
from domain.leads.scoring import FACTORS
from domain.policy import idle_limits as followup
from domain.policy import services as policy_service
from domain.policy.model import DEFAULT_WEIGHTS, AssignmentPolicy, SkillKind, TeamPolicy
from domain.team.model import User
from handlers.common import refuse, show
from handlers.pipeline_ui import refused
from storage.uow import SqlUnitOfWork

routes = Routes(__name__)

# The numbers a manager may tune, with the steps their -/+ buttons move by.
NUMBERS: dict[str, tuple[int, ...]] = {
    "threshold": (1,),
    "handoff_minutes": (5, 15),
    "recycle_days": (1, 7),
    "pool_claim_limit": (1,),
    "cooloff_days": (1,),
}
IDLE_STEPS: tuple[int, ...] = (1, 7)  # the -/+ steps of a stage's idle limit, in days
WEIGHT_STEP = 1
SKILL_SPLIT = re.compile(r"[,，、;；\n]+")
CLEAR_WORDS = {"无", "没有", "清空", "-", "none", "clear"}


class PolicyCb(CallbackData, prefix="pol"):
    act: str  # show | assign | set | toggle | num | skills | rep | kind | idle | istage | iset | wts | wfac | wset
    field: str = ""
    value: str = ""
    user: int = 0


class PolicyFlow(StatesGroup):
    entering_number = State()
    entering_skills = State()
    entering_idle_days = State()


def policy_label(t: Translate, policy: AssignmentPolicy) -> str:
    return t(f"policy-assignment-{policy.value}")


def skill_kind_label(t: Translate, kind: SkillKind) -> str:
    return t(f"policy-skill-{kind.value}")


def overview(t: Translate, team_name: str, policy: TeamPolicy, done: str = "") -> tuple[str, InlineKeyboardMarkup]:
    text = t(
        "policy-card", team=h(team_name), assignment=policy_label(t, policy.assignment),
        self_assign=t("policy-yes") if policy.allow_self_assign else t("policy-no"),
        threshold=policy.threshold, handoff=policy.handoff_minutes, recycle=policy.recycle_days,
        limit=policy.pool_claim_limit, cooloff=policy.cooloff_days,
    )
    buttons = [
        button(t("policy-btn-assignment"), PolicyCb(act="assign")),
        button(
            t("policy-btn-self-on") if policy.allow_self_assign else t("policy-btn-self-off"),
            PolicyCb(act="toggle", field="allow_self_assign", value="0" if policy.allow_self_assign else "1"),
        ),
        *(button(t(f"policy-btn-{name}"), PolicyCb(act="num", field=name)) for name in NUMBERS),
        button(t("policy-btn-skills"), PolicyCb(act="skills")),
        button(t("policy-btn-idle"), PolicyCb(act="idle")),
        button(t("policy-btn-weights"), PolicyCb(act="wts")),
    ]
    return (f"{done}\n\n{text}" if done else text), grid(buttons, per_row=2)


async def load_policy(
    event: Message | CallbackQuery, user: User, uow: SqlUnitOfWork, t: Translate
) -> TeamPolicy | None:
    """The manager's own team's policy; anyone else is refused."""
    if not user.is_manager_or_admin:
        await refuse(event, t, Forbidden("error-policy-role"))
        return None
    try:
        return await policy_service.get_policy(uow, team_id=user.team_id)
    except DomainError as error:
        await refuse(event, t, error)
        return None


async def show_overview(
    event: Message | CallbackQuery, user: User, uow: SqlUnitOfWork, t: Translate, done: str = ""
) -> None:
    policy = await load_policy(event, user, uow, t)
    if policy is None:
        return
    team = await uow.teams.get(user.team_id)
    text, markup = overview(t, team.name if team else "", policy, done)
    await show(event, text, markup)


async def change(
    event: Message | CallbackQuery, user: User, uow: SqlUnitOfWork, t: Translate, clock: Clock,
    changes: dict[str, Any],
) -> TeamPolicy | None:
    try:
        return await policy_service.update_policy(uow, actor=user, team_id=user.team_id, changes=changes, now=clock.now())
    except DomainError as error:
        await refused(event, uow, t, error)
        return None


@routes.message(Command("policy"), F.chat.type == "private")
async def cmd_policy(message: Message, user: User, uow: SqlUnitOfWork, state: FSMContext, t: Translate) -> None:
    await state.clear()
    await show_overview(message, user, uow, t)


@routes.callback_query(PolicyCb.filter(F.act == "show"))
async def on_show(query: CallbackQuery, user: User, uow: SqlUnitOfWork, state: FSMContext, t: Translate) -> None:
    await state.clear()
    await show_overview(query, user, uow, t)


# --- assignment policy and self-assignment: buttons --------------------------------------------------

@routes.callback_query(PolicyCb.filter(F.act == "assign"))
async def on_assignment(query: CallbackQuery, user: User, uow: SqlUnitOfWork, t: Translate) -> None:
    policy = await load_policy(query, user, uow, t)
    if policy is None:
        return
    buttons = [
        button(("✅ " if choice is policy.assignment else "") + policy_label(t, choice),
               PolicyCb(act="set", field="assignment", value=choice.value))
        for choice in AssignmentPolicy
    ]
    markup = grid(buttons, t, back=PolicyCb(act="show"), cancel=False, per_row=2)
    await show(query, t("policy-choose-assignment"), markup)


@routes.callback_query(PolicyCb.filter(F.act == "set"))
async def on_set(
    query: CallbackQuery, callback_data: PolicyCb, user: User, uow: SqlUnitOfWork, state: FSMContext, t: Translate,
    clock: Clock,
) -> None:
    value: Any
    if callback_data.field == "assignment":
        try:
            value = AssignmentPolicy(callback_data.value)
        except ValueError:
            await query.answer(t("stale-button"), show_alert=True)
            return
    elif callback_data.field in NUMBERS and re.fullmatch(r"-?\d+", callback_data.value):
        value = int(callback_data.value)
    else:
        await query.answer(t("stale-button"), show_alert=True)
        return
    policy = await change(query, user, uow, t, clock, {callback_data.field: value})
    if policy is None:
        return
    if callback_data.field in NUMBERS:  # stay on the number's screen: the next tap is likely another step
        await number_screen(query, state, t, policy, callback_data.field)
        return
    await show_overview(query, user, uow, t, t("policy-done"))


@routes.callback_query(PolicyCb.filter(F.act == "toggle"))
async def on_toggle(
    query: CallbackQuery, callback_data: PolicyCb, user: User, uow: SqlUnitOfWork, t: Translate, clock: Clock
) -> None:
    # The button carries the value it sets, not "flip": a repeated tap sets the same value again.
    if callback_data.field != "allow_self_assign" or callback_data.value not in {"0", "1"}:
        await query.answer(t("stale-button"), show_alert=True)
        return
    if await change(query, user, uow, t, clock, {"allow_self_assign": callback_data.value == "1"}) is None:
        return
    await show_overview(query, user, uow, t, t("policy-done"))


# --- numbers: -/+ buttons or a typed number -------------------------------------------------------------

async def number_screen(
    event: Message | CallbackQuery, state: FSMContext, t: Translate, policy: TeamPolicy, field: str
) -> None:
    current = int(getattr(policy, field))
    steps = NUMBERS[field]
    minus = [button(f"−{s}", PolicyCb(act="set", field=field, value=str(current - s))) for s in reversed(steps)]
    plus = [button(f"+{s}", PolicyCb(act="set", field=field, value=str(current + s))) for s in steps]
    rows: list[list[InlineKeyboardButton]] = rows_of([*minus, *plus], per_row=2 if len(steps) > 1 else 3)
    await state.set_state(PolicyFlow.entering_number)
    await state.set_data({"field": field})
    text = t("policy-number", name=t(f"policy-name-{field}"), value=t(f"policy-value-{field}", value=current))
    await show(event, text, grid([], t, back=PolicyCb(act="show"), cancel=False, extra_rows=rows))


@routes.callback_query(PolicyCb.filter(F.act == "num"))
async def on_number(
    query: CallbackQuery, callback_data: PolicyCb, user: User, uow: SqlUnitOfWork, state: FSMContext, t: Translate
) -> None:
    if callback_data.field not in NUMBERS:
        await query.answer(t("stale-button"), show_alert=True)
        return
    policy = await load_policy(query, user, uow, t)
    if policy is None:
        return
    await number_screen(query, state, t, policy, callback_data.field)


@routes.message(PolicyFlow.entering_number, F.text, ~F.text.startswith("/"))
async def on_number_typed(
    message: Message, user: User, uow: SqlUnitOfWork, state: FSMContext, t: Translate, clock: Clock
) -> None:
    field = (await state.get_data()).get("field")
    if field not in NUMBERS:
        await state.clear()
        await message.answer(t("stale-flow"))
        return
    typed = (message.text or "").strip()
    if not re.fullmatch(r"-?\d{1,6}", typed):
        await message.answer(t("policy-error-not-a-number", name=t(f"policy-name-{field}")))
        return
    policy = await change(message, user, uow, t, clock, {field: int(typed)})
    if policy is None:
        return
    await state.clear()
    await show_overview(message, user, uow, t, t("policy-done"))


@routes.message(PolicyFlow.entering_number, ~F.text.startswith("/"))
async def on_number_unexpected(message: Message, t: Translate) -> None:
    await message.answer(t("policy-expect-number"))


# --- rep skills: who knows which regions, industries, products (the RULES policy matches on them) -------

def skills_line(t: Translate, skills: dict[str, list[str]]) -> str:
    return " · ".join(
        t("policy-skill-entry", kind=skill_kind_label(t, kind), values=values_text(t, skills.get(kind.value, [])))
        for kind in SkillKind
    )


def values_text(t: Translate, values: list[str]) -> str:
    return t("list-separator").join(h(v) for v in values) or t("list-empty")


@routes.callback_query(PolicyCb.filter(F.act == "skills"))
async def on_skills(query: CallbackQuery, user: User, uow: SqlUnitOfWork, state: FSMContext, t: Translate) -> None:
    await state.clear()
    try:
        reps = await deal_queries.team_reps(uow, viewer=user)
        lines = [t("policy-skills-title"), ""]
        for rep in reps:
            skills = await policy_service.rep_skills(uow, viewer=user, user_id=rep.id or 0)
            lines.append(t("policy-skills-line", name=h(rep.name), skills=skills_line(t, skills)))
    except DomainError as error:
        await refuse(query, t, error)
        return
    if not reps:
        lines.append(t("policy-skills-no-reps"))
    buttons = [button(rep.name, PolicyCb(act="rep", user=rep.id or 0)) for rep in reps]
    await show(query, "\n".join(lines), grid(buttons, t, back=PolicyCb(act="show"), cancel=False, per_row=3))


async def rep_screen(
    event: Message | CallbackQuery, user: User, uow: SqlUnitOfWork, t: Translate, rep_id: int, done: str = ""
) -> None:
    try:
        reps = {rep.id: rep for rep in await deal_queries.team_reps(uow, viewer=user)}
        skills = await policy_service.rep_skills(uow, viewer=user, user_id=rep_id)
    except DomainError as error:
        await refuse(event, t, error)
        return
    rep = reps.get(rep_id)
    if rep is None:
        await refuse(event, t, DomainError("error-skills-not-rep"))
        return
    lines = [done, ""] if done else []
    lines.append(t("policy-rep-skills", name=h(rep.name)))
    for kind in SkillKind:
        values = values_text(t, skills.get(kind.value, []))
        lines.append(t("policy-skill-entry", kind=skill_kind_label(t, kind), values=values))
    buttons = [
        button(
            t("policy-btn-edit-skill", kind=skill_kind_label(t, kind)),
            PolicyCb(act="kind", user=rep_id, value=kind.value),
        )
        for kind in SkillKind
    ]
    await show(event, "\n".join(lines), grid(buttons, t, back=PolicyCb(act="skills"), cancel=False))


@routes.callback_query(PolicyCb.filter(F.act == "rep"))
async def on_rep(
    query: CallbackQuery, callback_data: PolicyCb, user: User, uow: SqlUnitOfWork, state: FSMContext, t: Translate
) -> None:
    await state.clear()
    await rep_screen(query, user, uow, t, callback_data.user)


@routes.callback_query(PolicyCb.filter(F.act == "kind"))
async def on_skill_kind(
    query: CallbackQuery, callback_data: PolicyCb, user: User, uow: SqlUnitOfWork, state: FSMContext, t: Translate
) -> None:
    try:
        kind = SkillKind(callback_data.value)
        reps = {rep.id: rep for rep in await deal_queries.team_reps(uow, viewer=user)}
    except ValueError:
        await query.answer(t("stale-button"), show_alert=True)
        return
    except DomainError as error:
        await refuse(query, t, error)
        return
    rep = reps.get(callback_data.user)
    if rep is None:
        await query.answer(t("error-skills-not-rep"), show_alert=True)
        return
    await state.set_state(PolicyFlow.entering_skills)
    await state.set_data({"user": callback_data.user, "kind": kind.value})
    text = t(
        "policy-enter-skills", name=h(rep.name), kind=skill_kind_label(t, kind),
        example=t(f"policy-example-{kind.value}"),
    )
    await show(query, text, grid([], t, back=PolicyCb(act="rep", user=callback_data.user), cancel=False))


@routes.message(PolicyFlow.entering_skills, F.text, ~F.text.startswith("/"))
async def on_skills_typed(
    message: Message, user: User, uow: SqlUnitOfWork, state: FSMContext, t: Translate, clock: Clock
) -> None:
    data = await state.get_data()
    if not isinstance(data.get("user"), int) or not isinstance(data.get("kind"), str):
        await state.clear()
        await message.answer(t("stale-flow"))
        return
    typed = (message.text or "").strip()
    values = [] if typed.lower() in CLEAR_WORDS else [v.strip() for v in SKILL_SPLIT.split(typed) if v.strip()]
    try:
        await policy_service.set_rep_skills(
            uow, actor=user, user_id=data["user"], kind=data["kind"], values=values, now=clock.now()
        )
    except DomainError as error:
        await refused(message, uow, t, error)
        return
    await state.clear()
    await rep_screen(message, user, uow, t, data["user"], t("policy-done"))


@routes.message(PolicyFlow.entering_skills, ~F.text.startswith("/"))
async def on_skills_unexpected(message: Message, t: Translate) -> None:
    await message.answer(t("policy-expect-skills"))


# --- idle limits (沉默时限): one open stage at a time, -/+ buttons or a typed number ---------------------

def stage_label(t: Translate, stage: Stage) -> str:
    return t(f"stage-{stage.value}")


async def load_idle_limits(
    event: Message | CallbackQuery, user: User, uow: SqlUnitOfWork, t: Translate
) -> dict[Stage, int] | None:
    """The manager's own team's idle limits; anyone else is refused, as on the policy screen."""
    if not user.is_manager_or_admin:
        await refuse(event, t, Forbidden("error-policy-role"))
        return None
    try:
        return await followup.get_idle_limits(uow, viewer=user)
    except DomainError as error:
        await refuse(event, t, error)
        return None


async def idle_overview(
    event: Message | CallbackQuery, user: User, uow: SqlUnitOfWork, t: Translate, done: str = ""
) -> None:
    limits = await load_idle_limits(event, user, uow, t)
    if limits is None:
        return
    lines = [done, ""] if done else []
    lines.append(t("policy-idle-title"))
    lines.extend(
        t("policy-idle-line", stage=stage_label(t, stage), days=limits[stage]) for stage in PIPELINE if stage in limits
    )
    buttons = [button(stage_label(t, stage), PolicyCb(act="istage", field=stage.value)) for stage in PIPELINE]
    await show(event, "\n".join(lines), grid(buttons, t, back=PolicyCb(act="show"), cancel=False, per_row=3))


async def idle_stage_screen(
    event: Message | CallbackQuery, state: FSMContext, t: Translate, limits: dict[Stage, int], stage: Stage
) -> None:
    current = limits[stage]
    minus = [button(f"−{s}", PolicyCb(act="iset", field=stage.value, value=str(current - s))) for s in reversed(IDLE_STEPS)]
    plus = [button(f"+{s}", PolicyCb(act="iset", field=stage.value, value=str(current + s))) for s in IDLE_STEPS]
    rows = rows_of([*minus, *plus], per_row=2)
    await state.set_state(PolicyFlow.entering_idle_days)
    await state.set_data({"stage": stage.value})
    text = t("policy-idle-stage", stage=stage_label(t, stage), days=current)
    await show(event, text, grid([], t, back=PolicyCb(act="idle"), cancel=False, extra_rows=rows))


def open_stage(value: str) -> Stage | None:
    """The stage a button or the flow names, if it still is one (a stale button may name anything)."""
    try:
        return Stage(value)
    except ValueError:
        return None


async def save_idle_days(
    event: Message | CallbackQuery, user: User, uow: SqlUnitOfWork, t: Translate, clock: Clock, stage: Stage,
    days: int,
) -> dict[Stage, int] | None:
    try:
        return await followup.set_idle_limits(
            uow, actor=user, team_id=user.team_id, limits={stage: days}, now=clock.now()
        )
    except DomainError as error:
        await refused(event, uow, t, error)
        return None


@routes.callback_query(PolicyCb.filter(F.act == "idle"))
async def on_idle(query: CallbackQuery, user: User, uow: SqlUnitOfWork, state: FSMContext, t: Translate) -> None:
    await state.clear()
    await idle_overview(query, user, uow, t)


@routes.callback_query(PolicyCb.filter(F.act == "istage"))
async def on_idle_stage(
    query: CallbackQuery, callback_data: PolicyCb, user: User, uow: SqlUnitOfWork, state: FSMContext, t: Translate
) -> None:
    stage = open_stage(callback_data.field)
    limits = await load_idle_limits(query, user, uow, t)
    if limits is None:
        return
    if stage is None or stage not in limits:
        await query.answer(t("stale-button"), show_alert=True)
        return
    await idle_stage_screen(query, state, t, limits, stage)


@routes.callback_query(PolicyCb.filter(F.act == "iset"))
async def on_idle_set(
    query: CallbackQuery, callback_data: PolicyCb, user: User, uow: SqlUnitOfWork, state: FSMContext, t: Translate,
    clock: Clock,
) -> None:
    # The button carries the days it sets: a repeated tap sets the same value again and changes nothing.
    stage = open_stage(callback_data.field)
    if stage is None or not re.fullmatch(r"-?\d{1,6}", callback_data.value):
        await query.answer(t("stale-button"), show_alert=True)
        return
    limits = await save_idle_days(query, user, uow, t, clock, stage, int(callback_data.value))
    if limits is None:
        return
    await idle_stage_screen(query, state, t, limits, stage)  # stay: the next tap is likely another step


@routes.message(PolicyFlow.entering_idle_days, F.text, ~F.text.startswith("/"))
async def on_idle_typed(
    message: Message, user: User, uow: SqlUnitOfWork, state: FSMContext, t: Translate, clock: Clock
) -> None:
    stage = open_stage(str((await state.get_data()).get("stage", "")))
    if stage is None:
        await state.clear()
        await message.answer(t("stale-flow"))
        return
    typed = (message.text or "").strip()
    if not re.fullmatch(r"-?\d{1,6}", typed):
        await message.answer(t("policy-idle-not-a-number", stage=stage_label(t, stage)))
        return
    if await save_idle_days(message, user, uow, t, clock, stage, int(typed)) is None:
        return
    await state.clear()
    await idle_overview(message, user, uow, t, t("policy-done"))


@routes.message(PolicyFlow.entering_idle_days, ~F.text.startswith("/"))
async def on_idle_unexpected(message: Message, t: Translate) -> None:
    await message.answer(t("policy-expect-number"))


# --- score weights (评分权重): one factor at a time, -/+ buttons ----------------------------------------

def factor_label(t: Translate, factor: str) -> str:
    return t(f"policy-weight-{factor}")


def weight_of(policy: TeamPolicy, factor: str) -> int:
    """The weight scoring uses: the team's, or the default for a factor the team never set."""
    return int(policy.weights.get(factor, DEFAULT_WEIGHTS[factor]))


async def weights_overview(
    event: Message | CallbackQuery, user: User, uow: SqlUnitOfWork, t: Translate, done: str = ""
) -> None:
    policy = await load_policy(event, user, uow, t)
    if policy is None:
        return
    lines = [done, ""] if done else []
    lines.append(t("policy-weights-title"))
    lines.extend(t("policy-weight-line", factor=factor_label(t, f), weight=weight_of(policy, f)) for f in FACTORS)
    buttons = [button(factor_label(t, f), PolicyCb(act="wfac", field=f)) for f in FACTORS]
    await show(event, "\n".join(lines), grid(buttons, t, back=PolicyCb(act="show"), cancel=False, per_row=3))


async def weight_screen(event: Message | CallbackQuery, t: Translate, policy: TeamPolicy, factor: str) -> None:
    current = weight_of(policy, factor)
    rows = [[
        button(f"−{WEIGHT_STEP}", PolicyCb(act="wset", field=factor, value=str(current - WEIGHT_STEP))),
        button(f"+{WEIGHT_STEP}", PolicyCb(act="wset", field=factor, value=str(current + WEIGHT_STEP))),
    ]]
    text = t("policy-weight", factor=factor_label(t, factor), weight=current)
    await show(event, text, grid([], t, back=PolicyCb(act="wts"), cancel=False, extra_rows=rows))


@routes.callback_query(PolicyCb.filter(F.act == "wts"))
async def on_weights(query: CallbackQuery, user: User, uow: SqlUnitOfWork, state: FSMContext, t: Translate) -> None:
    await state.clear()
    await weights_overview(query, user, uow, t)


@routes.callback_query(PolicyCb.filter(F.act == "wfac"))
async def on_weight_factor(
    query: CallbackQuery, callback_data: PolicyCb, user: User, uow: SqlUnitOfWork, state: FSMContext, t: Translate
) -> None:
    await state.clear()
    if callback_data.field not in FACTORS:
        await query.answer(t("stale-button"), show_alert=True)
        return
    policy = await load_policy(query, user, uow, t)
    if policy is None:
        return
    await weight_screen(query, t, policy, callback_data.field)


@routes.callback_query(PolicyCb.filter(F.act == "wset"))
async def on_weight_set(
    query: CallbackQuery, callback_data: PolicyCb, user: User, uow: SqlUnitOfWork, t: Translate, clock: Clock
) -> None:
    # The button carries the weight it sets: a repeated tap sets the same value again and changes nothing.
    if callback_data.field not in FACTORS or not re.fullmatch(r"-?\d{1,3}", callback_data.value):
        await query.answer(t("stale-button"), show_alert=True)
        return
    policy = await change(query, user, uow, t, clock, {"weights": {callback_data.field: int(callback_data.value)}})
    if policy is None:
        return
    await weight_screen(query, t, policy, callback_data.field)
