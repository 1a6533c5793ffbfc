"""/policy (managers, admins): the team's pipeline rules — assignment policy, self-assignment, the
qualification threshold, hand-off minutes, recycle days, the pool limit and cool-off — each changed
by buttons or a typed number; each open stage's idle limit (沉默时限) by buttons or a typed number;
the score weights by -/+ buttons; and the reps' skills (regions, industries, products) as a typed
list. The menus are plain screens; the number and list editors are flows on the engine
(handlers/flow.py). The services validate every value; this translates taps and text into their calls."""

from __future__ import annotations

import enum
import re
from typing import Any

from aiogram import Bot, F
from aiogram.filters import Command
from aiogram.filters.callback_data import CallbackData
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, InlineKeyboardMarkup, Message

from bot.callbacks import Id
from bot.formatting import Html, h
from bot.i18n import Translate
from bot.keyboards import button, grid, rows_of
from bot.routing import Routes
from domain.clock import Clock
from domain.deals import queries as deal_queries
from domain.deals.model import PIPELINE, Stage
from domain.errors import DomainError, Forbidden, InvalidInput
from domain.leads.scoring import FACTORS
from domain.policy import idle_limits as followup
from domain.policy import services as policy_service
from domain.policy.model import DEFAULT_WEIGHTS, AssignmentPolicy, SkillKind, TeamPolicy
from domain.pool.recycling import shortest_recycle_days
from domain.ports import UnitOfWork
from domain.team.model import Language, User
from domain.team.queries import own_team
from domain.tickets import services as ticket_service
from domain.tickets.model import OwnerRule, Priority, ServicePolicy
from handlers.common import refuse, show
from handlers.flow import STAY, Alert, Answers, Ctx, Done, Flow, Rows, Step, Transition, typed
from handlers.tickets.checklist_template_cb import template_button

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
AUTO_WORDS = {"自动", "按阶段", "auto", "automatic"}  # recycle_days back to automatic, per stage
AUTO = "auto"
NUMBER = re.compile(r"-?\d{1,6}")


class PolicyAction(enum.StrEnum):
    """The menus' buttons (wire values kept, so buttons already in chats keep working)."""

    SHOW = "show"  # the rules
    ASSIGNMENT = "assign"  # choose the assignment policy
    SET = "set"  # set the assignment policy (its value)
    TOGGLE = "toggle"  # self-assignment on or off (the value it sets)
    NUMBER = "num"  # open a number's editor
    SKILLS = "skills"  # the reps and their skills
    REP = "rep"  # one rep's skills
    SKILL_KIND = "kind"  # edit one kind of a rep's skills
    IDLE = "idle"  # the idle limits
    IDLE_STAGE = "istage"  # edit one stage's idle limit
    WEIGHTS = "wts"
    WEIGHT_FACTOR = "wfac"  # one factor's weight
    WEIGHT_SET = "wset"  # set it (the value it sets)
    QUOTES = "quotes"  # the quote approval rules; with a field, its editor (handlers/quotes/policy.py)
    SERVICE = "svc"  # the after-sales rules (issue 13)
    SERVICE_RULE = "svcr"  # who owns a new ticket (the rule it sets)
    SERVICE_PERSON = "svcp"  # pick the service person
    SERVICE_PERSON_SET = "svcps"  # ... this one (user 0: nobody)
    SERVICE_NUMBER = "svcn"  # open an SLA limit's or the survey validity's editor
    PLAN_TEMPLATES = "ptpl"  # the payment plan templates (handlers/contracts/plan_templates.py)
    PLAN_TEMPLATE_ADD = "ptadd"  # a new one (the flow)
    PLAN_TEMPLATE_DEL = "ptdel"  # remove one (value: its key)
    CADENCE = "cad"  # the payment reminder cadence (its editor)


class PolicyCb(CallbackData, prefix="pol"):
    action: PolicyAction
    field: str = ""
    value: str = ""
    user: Id = 0


def policy_label(t: Translate, policy: AssignmentPolicy) -> str:
    return t(f"policy-assignment-{policy.value}")


def skill_kind_label(t: Translate, kind: SkillKind) -> str:
    return t(f"policy-skill-{kind.value}")


def may_edit(user: User) -> str | None:
    """Who may use the editors at all (the services check the team too)."""
    return None if user.is_manager_or_admin else "error-policy-role"


def overview(t: Translate, team_name: str, policy: TeamPolicy, done: str = "") -> tuple[str, InlineKeyboardMarkup]:
    text = t(
        "policy-card", team=h(team_name), assignment=policy_label(t, policy.assignment),
        self_assign=t("policy-yes") if policy.allow_self_assign else t("policy-no"),
        threshold=policy.threshold, handoff=policy.handoff_minutes, recycle=recycle_text(t, policy),
        limit=policy.pool_claim_limit, cooloff=policy.cooloff_days,
    )
    buttons = [
        button(t("policy-btn-assignment"), PolicyCb(action=PolicyAction.ASSIGNMENT)),
        button(
            t("policy-btn-self-on") if policy.allow_self_assign else t("policy-btn-self-off"),
            PolicyCb(action=PolicyAction.TOGGLE, field="allow_self_assign", value="0" if policy.allow_self_assign else "1"),
        ),
        *(button(t(f"policy-btn-{name}"), PolicyCb(action=PolicyAction.NUMBER, field=name)) for name in NUMBERS),
        button(t("policy-btn-skills"), PolicyCb(action=PolicyAction.SKILLS)),
        button(t("policy-btn-idle"), PolicyCb(action=PolicyAction.IDLE)),
        button(t("policy-btn-weights"), PolicyCb(action=PolicyAction.WEIGHTS)),
        button(t("policy-btn-quotes"), PolicyCb(action=PolicyAction.QUOTES)),
        button(t("policy-btn-service"), PolicyCb(action=PolicyAction.SERVICE)),
        button(t("policy-btn-plan-templates"), PolicyCb(action=PolicyAction.PLAN_TEMPLATES)),
        button(t("policy-btn-cadence"), PolicyCb(action=PolicyAction.CADENCE)),
        template_button(t),  # the delivery checklist template (handlers/tickets/checklist_template.py)
    ]
    return (f"{done}\n\n{text}" if done else text), grid(buttons, per_row=2)


def recycle_text(t: Translate, policy: TeamPolicy) -> str:
    """The recycle line of the rules: automatic per stage, or a set number of days."""
    if policy.recycle_days is None:
        return t("policy-recycle-auto")
    return t("policy-recycle-fixed", days=policy.recycle_days)


async def load_policy(event: Message | CallbackQuery, user: User, uow: UnitOfWork, t: Translate) -> TeamPolicy | None:
    """The manager's own team's policy; anyone else is refused."""
    refusal = may_edit(user)
    if refusal is not None:
        await refuse(event, t, Forbidden(refusal))
        return None
    try:
        return await policy_service.get_policy(uow, team_id=user.team_id)
    except DomainError as error:
        await refuse(event, t, error)
        return None


async def overview_screen(uow: UnitOfWork, user: User, t: Translate, done: str = "") -> tuple[str, InlineKeyboardMarkup]:
    policy = await policy_service.get_policy(uow, team_id=user.team_id)
    return overview(t, (await own_team(uow, user)).name, policy, done)


async def show_overview(event: Message | CallbackQuery, user: User, uow: UnitOfWork, t: Translate, done: str = "") -> None:
    if await load_policy(event, user, uow, t) is not None:
        await show(event, *await overview_screen(uow, user, t, done))


async def change(
    event: Message | CallbackQuery, user: User, uow: UnitOfWork, t: Translate, clock: Clock, changes: dict[str, Any]
) -> TeamPolicy | None:
    try:
        return await policy_service.update_policy(uow, actor=user, team_id=user.team_id, changes=changes, now=clock.now())
    except DomainError as error:
        await refuse(event, t, error)
        return None


@routes.message(Command("policy"), F.chat.type == "private")
async def cmd_policy(message: Message, user: User, uow: UnitOfWork, state: FSMContext, t: Translate) -> None:
    await state.clear()
    await show_overview(message, user, uow, t)


@routes.callback_query(PolicyCb.filter(F.action == PolicyAction.SHOW))
async def on_show(query: CallbackQuery, user: User, uow: UnitOfWork, state: FSMContext, t: Translate) -> None:
    await state.clear()
    await show_overview(query, user, uow, t)


# --- assignment policy and self-assignment: buttons --------------------------------------------------


@routes.callback_query(PolicyCb.filter(F.action == PolicyAction.ASSIGNMENT))
async def on_assignment(query: CallbackQuery, user: User, uow: UnitOfWork, t: Translate) -> None:
    policy = await load_policy(query, user, uow, t)
    if policy is None:
        return
    buttons = [
        button(("✅ " if choice is policy.assignment else "") + policy_label(t, choice),
               PolicyCb(action=PolicyAction.SET, field="assignment", value=choice.value))
        for choice in AssignmentPolicy
    ]
    markup = grid(buttons, t, back=PolicyCb(action=PolicyAction.SHOW), cancel=False, per_row=2)
    await show(query, t("policy-choose-assignment"), markup)


@routes.callback_query(PolicyCb.filter(F.action == PolicyAction.SET))
async def on_set(query: CallbackQuery, callback_data: PolicyCb, user: User, uow: UnitOfWork, t: Translate, clock: Clock) -> None:
    if await load_policy(query, user, uow, t) is None:
        return
    try:
        value = AssignmentPolicy(callback_data.value)
    except ValueError:
        value = None
    if callback_data.field != "assignment" or value is None:
        await query.answer(t("stale-button"), show_alert=True)
        return
    if await change(query, user, uow, t, clock, {"assignment": value}) is not None:
        await show_overview(query, user, uow, t, t("policy-done"))


@routes.callback_query(PolicyCb.filter(F.action == PolicyAction.TOGGLE))
async def on_toggle(
    query: CallbackQuery, callback_data: PolicyCb, user: User, uow: UnitOfWork, t: Translate, clock: Clock
) -> None:
    # The button carries the value it sets, not "flip": a repeated tap sets the same value again.
    if callback_data.field != "allow_self_assign" or callback_data.value not in {"0", "1"}:
        await query.answer(t("stale-button"), show_alert=True)
        return
    if await change(query, user, uow, t, clock, {"allow_self_assign": callback_data.value == "1"}) is None:
        return
    await show_overview(query, user, uow, t, t("policy-done"))


# --- the editors: a number, a stage's idle days, a rep's skills -------------------------------------------
# A -/+ button carries the value it sets (a repeated tap sets the same value again and changes nothing)
# and stays on the editor; a typed value is saved and the menu it came from is shown again.


def whole_number(text: str) -> int:
    typed_text = text.strip()
    if not NUMBER.fullmatch(typed_text):
        raise InvalidInput("error-not-a-number")
    return int(typed_text)


def plus_minus(ctx: Ctx, current: int, steps: tuple[int, ...], per_row: int) -> Rows:
    minus = [ctx.button(f"−{s}", str(current - s)) for s in reversed(steps)]
    plus = [ctx.button(f"+{s}", str(current + s)) for s in steps]
    return rows_of([*minus, *plus], per_row=per_row)


async def number_now(ctx: Ctx) -> int | None:
    policy = await policy_service.get_policy(ctx.uow, team_id=ctx.user.team_id)
    value = getattr(policy, str(ctx.data["field"]))
    return None if value is None else int(value)


async def number_screen(ctx: Ctx) -> str:
    t, name = ctx.t, str(ctx.data["field"])
    if name == "recycle_days":
        return await recycle_screen(ctx)
    return t("policy-number", name=t(f"policy-name-{name}"), value=t(f"policy-value-{name}", value=await number_now(ctx)))


async def recycle_screen(ctx: Ctx) -> str:
    """The recycle editor says the rule: the silence ladder of a stage, and what a set number means."""
    t = ctx.t
    policy = await policy_service.get_policy(ctx.uow, team_id=ctx.user.team_id)
    shortest, longest = shortest_recycle_days(policy)
    follow = (await followup.get_idle_limits(ctx.uow, viewer=ctx.user))[Stage.FOLLOWING_UP]
    return t(
        "policy-recycle-screen", value=recycle_text(t, policy), stage=stage_label(t, Stage.FOLLOWING_UP),
        nudge=follow, alert=2 * follow, recycle=2 * follow + 1, min=shortest, limit=longest,
    )


async def number_keyboard(ctx: Ctx) -> Rows:
    name = str(ctx.data["field"])
    steps = NUMBERS[name]
    current = await number_now(ctx)
    if name == "recycle_days":
        if current is None:  # automatic: one tap sets the fewest days allowed, then -/+ from there
            policy = await policy_service.get_policy(ctx.uow, team_id=ctx.user.team_id)
            shortest, _ = shortest_recycle_days(policy)
            return [[ctx.button(ctx.t("policy-btn-recycle-fixed", days=shortest), str(shortest))]]
        return [*plus_minus(ctx, current, steps, per_row=2), [ctx.button(ctx.t("policy-btn-recycle-auto"), AUTO)]]
    return plus_minus(ctx, current or 0, steps, per_row=2 if len(steps) > 1 else 3)


async def save_number(ctx: Ctx, value: int | None) -> None:
    await policy_service.update_policy(
        ctx.uow, actor=ctx.user, team_id=ctx.user.team_id, changes={str(ctx.data["field"]): value}, now=ctx.clock.now()
    )


def may_be_automatic(ctx: Ctx) -> bool:
    return ctx.data.get("field") == "recycle_days"


async def on_number_pick(ctx: Ctx, value: str) -> Transition:
    if value == AUTO and may_be_automatic(ctx):
        await save_number(ctx, None)
        return STAY
    if not NUMBER.fullmatch(value):
        return Alert(ctx.t("stale-button"))
    await save_number(ctx, int(value))
    return STAY


def read_number(text: str) -> int | str:
    """A whole number, or (for recycle days) a word for "automatic"."""
    if text.strip().lower() in AUTO_WORDS:
        return AUTO
    return whole_number(text)


async def on_number_typed(ctx: Ctx, answers: Answers) -> Transition:
    value = answers["value"]
    if value == AUTO:
        if not may_be_automatic(ctx):
            raise InvalidInput("error-not-a-number")
        value = None
    await save_number(ctx, value)
    return Done(*await overview_screen(ctx.uow, ctx.user, ctx.t, ctx.t("policy-done")))


NUMBER_EDITOR = Flow(
    "pnum",
    (
        Step(
            "value", parse=typed("value", read_number), keyboard=number_keyboard, pick=on_number_pick,
            accept=on_number_typed, back=lambda ctx: PolicyCb(action=PolicyAction.SHOW), expect="policy-expect-number",
            problems={"error-not-a-number": "policy-error-not-a-number"},
            problem_params=lambda ctx: {"name": ctx.t(f"policy-name-{ctx.data.get('field')}")},
        ),
    ),
    screen=number_screen, cancel_button=False, refusal=may_edit,
)


@routes.callback_query(PolicyCb.filter(F.action == PolicyAction.NUMBER))
async def on_number(
    query: CallbackQuery, callback_data: PolicyCb, state: FSMContext, bot: Bot, t: Translate, lang: Language,
    uow: UnitOfWork, user: User, clock: Clock,
) -> None:
    if await load_policy(query, user, uow, t) is None:
        return
    if callback_data.field not in NUMBERS:
        await query.answer(t("stale-button"), show_alert=True)
        return
    ctx = NUMBER_EDITOR.context(query, state, bot, t, lang, uow, user, clock)
    await NUMBER_EDITOR.start(ctx, {"field": callback_data.field}, first="value")


# --- rep skills: who knows which regions, industries, products (the RULES policy matches on them) -------


def skills_line(t: Translate, skills: dict[str, list[str]]) -> str:
    return Html(" · ").join(
        t("policy-skill-entry", kind=skill_kind_label(t, kind), values=values_text(t, skills.get(kind.value, [])))
        for kind in SkillKind
    )


def values_text(t: Translate, values: list[str]) -> str:
    return t("list-separator").join(h(v) for v in values) or t("list-empty")


@routes.callback_query(PolicyCb.filter(F.action == PolicyAction.SKILLS))
async def on_skills(query: CallbackQuery, user: User, uow: UnitOfWork, state: FSMContext, t: Translate) -> None:
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
    buttons = [button(rep.name, PolicyCb(action=PolicyAction.REP, user=rep.id or 0)) for rep in reps]
    await show(query, "\n".join(lines), grid(buttons, t, back=PolicyCb(action=PolicyAction.SHOW), cancel=False, per_row=3))


async def rep_screen(uow: UnitOfWork, user: User, t: Translate, rep_id: int, done: str = "") -> tuple[str, InlineKeyboardMarkup]:
    reps = {rep.id: rep for rep in await deal_queries.team_reps(uow, viewer=user)}
    skills = await policy_service.rep_skills(uow, viewer=user, user_id=rep_id)
    rep = reps.get(rep_id)
    if rep is None:
        raise InvalidInput("error-skills-not-rep")
    lines = [done, ""] if done else []
    lines.append(t("policy-rep-skills", name=h(rep.name)))
    for kind in SkillKind:
        lines.append(t("policy-skill-entry", kind=skill_kind_label(t, kind), values=values_text(t, skills.get(kind.value, []))))
    buttons = [
        button(t("policy-btn-edit-skill", kind=skill_kind_label(t, kind)), PolicyCb(action=PolicyAction.SKILL_KIND, user=rep_id, value=kind.value))
        for kind in SkillKind
    ]
    return "\n".join(lines), grid(buttons, t, back=PolicyCb(action=PolicyAction.SKILLS), cancel=False)


@routes.callback_query(PolicyCb.filter(F.action == PolicyAction.REP))
async def on_rep(
    query: CallbackQuery, callback_data: PolicyCb, user: User, uow: UnitOfWork, state: FSMContext, t: Translate
) -> None:
    await state.clear()
    try:
        await show(query, *await rep_screen(uow, user, t, callback_data.user))
    except DomainError as error:
        await refuse(query, t, error)


async def skills_screen(ctx: Ctx) -> str:
    t, kind = ctx.t, SkillKind(str(ctx.data["kind"]))
    return t(
        "policy-enter-skills", name=h(str(ctx.data.get("name") or "")), kind=skill_kind_label(t, kind),
        example=t(f"policy-example-{kind.value}"),
    )


def read_skills(text: str) -> list[str]:
    typed_text = text.strip()
    return [] if typed_text.lower() in CLEAR_WORDS else [v.strip() for v in SKILL_SPLIT.split(typed_text) if v.strip()]


async def on_skills_typed(ctx: Ctx, answers: Answers) -> Transition:
    rep_id = int(ctx.data["user"])
    await policy_service.set_rep_skills(
        ctx.uow, actor=ctx.user, user_id=rep_id, kind=str(ctx.data["kind"]), values=answers["values"], now=ctx.clock.now()
    )
    return Done(*await rep_screen(ctx.uow, ctx.user, ctx.t, rep_id, ctx.t("policy-done")))


SKILLS_EDITOR = Flow(
    "pskill",
    (
        Step(
            "values", parse=typed("values", read_skills), accept=on_skills_typed, expect="policy-expect-skills",
            back=lambda ctx: PolicyCb(action=PolicyAction.REP, user=int(ctx.data.get("user") or 0)),
        ),
    ),
    screen=skills_screen, cancel_button=False, refusal=may_edit,
)


@routes.callback_query(PolicyCb.filter(F.action == PolicyAction.SKILL_KIND))
async def on_skill_kind(
    query: CallbackQuery, callback_data: PolicyCb, state: FSMContext, bot: Bot, t: Translate, lang: Language,
    uow: UnitOfWork, user: User, clock: Clock,
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
    ctx = SKILLS_EDITOR.context(query, state, bot, t, lang, uow, user, clock)
    await SKILLS_EDITOR.start(ctx, {"user": callback_data.user, "kind": kind.value, "name": rep.name}, first="values")


# --- idle limits (沉默时限): one open stage at a time, -/+ buttons or a typed number ---------------------


def stage_label(t: Translate, stage: Stage) -> str:
    return t(f"stage-{stage.value}")


async def load_idle_limits(
    event: Message | CallbackQuery, user: User, uow: UnitOfWork, t: Translate
) -> dict[Stage, int] | None:
    """The manager's own team's idle limits; anyone else is refused, as on the policy screen."""
    refusal = may_edit(user)
    if refusal is not None:
        await refuse(event, t, Forbidden(refusal))
        return None
    try:
        return await followup.get_idle_limits(uow, viewer=user)
    except DomainError as error:
        await refuse(event, t, error)
        return None


def idle_overview(t: Translate, limits: dict[Stage, int], done: str = "") -> tuple[str, InlineKeyboardMarkup]:
    lines = [done, ""] if done else []
    lines.append(t("policy-idle-title"))
    lines.extend(t("policy-idle-line", stage=stage_label(t, s), days=limits[s]) for s in PIPELINE if s in limits)
    buttons = [button(stage_label(t, s), PolicyCb(action=PolicyAction.IDLE_STAGE, field=s.value)) for s in PIPELINE]
    return "\n".join(lines), grid(buttons, t, back=PolicyCb(action=PolicyAction.SHOW), cancel=False, per_row=3)


def stage_of(ctx: Ctx) -> Stage:
    return Stage(str(ctx.data["stage"]))


async def days_now(ctx: Ctx) -> int:
    return (await followup.get_idle_limits(ctx.uow, viewer=ctx.user))[stage_of(ctx)]


async def idle_screen(ctx: Ctx) -> str:
    return ctx.t("policy-idle-stage", stage=stage_label(ctx.t, stage_of(ctx)), days=await days_now(ctx))


async def idle_keyboard(ctx: Ctx) -> Rows:
    return plus_minus(ctx, await days_now(ctx), IDLE_STEPS, per_row=2)


async def save_days(ctx: Ctx, days: int) -> dict[Stage, int]:
    return await followup.set_idle_limits(
        ctx.uow, actor=ctx.user, team_id=ctx.user.team_id, limits={stage_of(ctx): days}, now=ctx.clock.now()
    )


async def on_days_pick(ctx: Ctx, value: str) -> Transition:
    if not NUMBER.fullmatch(value):
        return Alert(ctx.t("stale-button"))
    await save_days(ctx, int(value))
    return STAY


async def on_days_typed(ctx: Ctx, answers: Answers) -> Transition:
    return Done(*idle_overview(ctx.t, await save_days(ctx, answers["days"]), ctx.t("policy-done")))


IDLE_EDITOR = Flow(
    "pidle",
    (
        Step(
            "days", parse=typed("days", whole_number), keyboard=idle_keyboard, pick=on_days_pick, accept=on_days_typed,
            back=lambda ctx: PolicyCb(action=PolicyAction.IDLE), expect="policy-expect-number",
            problems={"error-not-a-number": "policy-idle-not-a-number"},
            problem_params=lambda ctx: {"stage": stage_label(ctx.t, stage_of(ctx))},
        ),
    ),
    screen=idle_screen, cancel_button=False, refusal=may_edit,
)


@routes.callback_query(PolicyCb.filter(F.action == PolicyAction.IDLE))
async def on_idle(query: CallbackQuery, user: User, uow: UnitOfWork, state: FSMContext, t: Translate) -> None:
    await state.clear()
    limits = await load_idle_limits(query, user, uow, t)
    if limits is not None:
        await show(query, *idle_overview(t, limits))


@routes.callback_query(PolicyCb.filter(F.action == PolicyAction.IDLE_STAGE))
async def on_idle_stage(
    query: CallbackQuery, callback_data: PolicyCb, state: FSMContext, bot: Bot, t: Translate, lang: Language,
    uow: UnitOfWork, user: User, clock: Clock,
) -> None:
    limits = await load_idle_limits(query, user, uow, t)
    if limits is None:
        return
    if callback_data.field not in {stage.value for stage in limits}:
        await query.answer(t("stale-button"), show_alert=True)
        return
    ctx = IDLE_EDITOR.context(query, state, bot, t, lang, uow, user, clock)
    await IDLE_EDITOR.start(ctx, {"stage": callback_data.field}, first="days")


# --- score weights (评分权重): one factor at a time, -/+ buttons ----------------------------------------


def factor_label(t: Translate, factor: str) -> str:
    return t(f"policy-weight-{factor}")


def weight_of(policy: TeamPolicy, factor: str) -> int:
    """The weight scoring uses: the team's, or the default for a factor the team never set."""
    return int(policy.weights.get(factor, DEFAULT_WEIGHTS[factor]))


async def weights_overview(event: Message | CallbackQuery, user: User, uow: UnitOfWork, t: Translate) -> None:
    policy = await load_policy(event, user, uow, t)
    if policy is None:
        return
    lines = [t("policy-weights-title")]
    lines.extend(t("policy-weight-line", factor=factor_label(t, f), weight=weight_of(policy, f)) for f in FACTORS)
    buttons = [button(factor_label(t, f), PolicyCb(action=PolicyAction.WEIGHT_FACTOR, field=f)) for f in FACTORS]
    await show(event, "\n".join(lines), grid(buttons, t, back=PolicyCb(action=PolicyAction.SHOW), cancel=False, per_row=3))


async def weight_screen(event: Message | CallbackQuery, t: Translate, policy: TeamPolicy, factor: str) -> None:
    current = weight_of(policy, factor)
    rows = [[
        button(f"−{WEIGHT_STEP}", PolicyCb(action=PolicyAction.WEIGHT_SET, field=factor, value=str(current - WEIGHT_STEP))),
        button(f"+{WEIGHT_STEP}", PolicyCb(action=PolicyAction.WEIGHT_SET, field=factor, value=str(current + WEIGHT_STEP))),
    ]]
    text = t("policy-weight", factor=factor_label(t, factor), weight=current)
    await show(event, text, grid([], t, back=PolicyCb(action=PolicyAction.WEIGHTS), cancel=False, extra_rows=rows))


@routes.callback_query(PolicyCb.filter(F.action == PolicyAction.WEIGHTS))
async def on_weights(query: CallbackQuery, user: User, uow: UnitOfWork, state: FSMContext, t: Translate) -> None:
    await state.clear()
    await weights_overview(query, user, uow, t)


@routes.callback_query(PolicyCb.filter(F.action == PolicyAction.WEIGHT_FACTOR))
async def on_weight_factor(
    query: CallbackQuery, callback_data: PolicyCb, user: User, uow: UnitOfWork, state: FSMContext, t: Translate
) -> None:
    await state.clear()
    policy = await load_policy(query, user, uow, t)
    if policy is None:
        return
    if callback_data.field not in FACTORS:
        await query.answer(t("stale-button"), show_alert=True)
        return
    await weight_screen(query, t, policy, callback_data.field)


@routes.callback_query(PolicyCb.filter(F.action == PolicyAction.WEIGHT_SET))
async def on_weight_set(
    query: CallbackQuery, callback_data: PolicyCb, user: User, uow: UnitOfWork, t: Translate, clock: Clock
) -> None:
    # The button carries the weight it sets: a repeated tap sets the same value again and changes nothing.
    if callback_data.field not in FACTORS or not re.fullmatch(r"-?\d{1,3}", callback_data.value):
        await query.answer(t("stale-button"), show_alert=True)
        return
    policy = await change(query, user, uow, t, clock, {"weights": {callback_data.field: int(callback_data.value)}})
    if policy is not None:
        await weight_screen(query, t, policy, callback_data.field)


NUMBER_EDITOR.install(routes)
SKILLS_EDITOR.install(routes)
IDLE_EDITOR.install(routes)


# --- the after-sales rules (售后规则): who owns a new ticket, the service person, SLA, survey validity -----
# Limits are kept in working minutes and edited in working hours; a button carries the value it sets.

SERVICE_NUMBERS: dict[str, tuple[int, ...]] = {
    **{f"{p.value}_response": (1, 4) for p in Priority},
    **{f"{p.value}_resolve": (4, 12) for p in Priority},
    "survey_days": (1, 7),
    "renewal_days": (7, 30),
}


def _hours(minutes: int) -> str:
    return f"{minutes / 60:g}"


def service_overview(t: Translate, policy: ServicePolicy, person: str | None, done: str = "") -> tuple[str, InlineKeyboardMarkup]:
    sla = {
        p.value: t("policy-service-sla", response=_hours(policy.limits(p)[0]), resolve=_hours(policy.limits(p)[1]))
        for p in Priority
    }
    text = t(
        "policy-service-card", rule=t(f"policy-service-rule-{policy.owner_rule.value}"),
        person=h(person) if person else t("policy-service-nobody"), p1=sla["p1"], p2=sla["p2"], p3=sla["p3"],
        days=policy.survey_days, renewal=policy.renewal_days,
    )
    other = OwnerRule.SERVICE if policy.owner_rule is OwnerRule.DEAL_OWNER else OwnerRule.DEAL_OWNER
    buttons = [
        button(t(f"policy-btn-service-rule-{other.value}"), PolicyCb(action=PolicyAction.SERVICE_RULE, value=other.value)),
        button(t("policy-btn-service-person"), PolicyCb(action=PolicyAction.SERVICE_PERSON)),
        *(button(t(f"policy-btn-service-{name}"), PolicyCb(action=PolicyAction.SERVICE_NUMBER, field=name))
          for name in SERVICE_NUMBERS),
    ]
    markup = grid(buttons, t, back=PolicyCb(action=PolicyAction.SHOW), cancel=False, per_row=2)
    return (f"{done}\n\n{text}" if done else text), markup


async def service_screen(uow: UnitOfWork, user: User, t: Translate, done: str = "") -> tuple[str, InlineKeyboardMarkup]:
    policy = await ticket_service.service_policy(uow, viewer=user, team_id=user.team_id)
    person = await uow.users.get(policy.service_user_id) if policy.service_user_id else None
    return service_overview(t, policy, person.name if person else None, done)


async def show_service(event: Message | CallbackQuery, user: User, uow: UnitOfWork, t: Translate, done: str = "") -> None:
    try:
        await show(event, *await service_screen(uow, user, t, done))
    except DomainError as error:
        await refuse(event, t, error)


async def change_service(
    event: Message | CallbackQuery, user: User, uow: UnitOfWork, t: Translate, clock: Clock, changes: dict[str, Any]
) -> bool:
    try:
        await ticket_service.update_service_policy(
            uow, actor=user, team_id=user.team_id, changes=changes, now=clock.now()
        )
    except DomainError as error:
        await refuse(event, t, error)
        return False
    return True


@routes.callback_query(PolicyCb.filter(F.action == PolicyAction.SERVICE))
async def on_service(query: CallbackQuery, user: User, uow: UnitOfWork, state: FSMContext, t: Translate) -> None:
    await state.clear()
    await show_service(query, user, uow, t)


@routes.callback_query(PolicyCb.filter(F.action == PolicyAction.SERVICE_RULE))
async def on_service_rule(
    query: CallbackQuery, callback_data: PolicyCb, user: User, uow: UnitOfWork, t: Translate, clock: Clock
) -> None:
    if callback_data.value not in {rule.value for rule in OwnerRule}:
        await query.answer(t("stale-button"), show_alert=True)
        return
    if await change_service(query, user, uow, t, clock, {"owner_rule": callback_data.value}):
        await show_service(query, user, uow, t, t("policy-done"))


@routes.callback_query(PolicyCb.filter(F.action == PolicyAction.SERVICE_PERSON))
async def on_service_person(query: CallbackQuery, user: User, uow: UnitOfWork, t: Translate) -> None:
    try:
        policy = await ticket_service.service_policy(uow, viewer=user, team_id=user.team_id)
    except DomainError as error:
        await refuse(query, t, error)
        return
    people = [person for person in await uow.users.in_team(user.team_id) if person.active]
    buttons = [
        button(("✅ " if person.id == policy.service_user_id else "") + person.name,
               PolicyCb(action=PolicyAction.SERVICE_PERSON_SET, user=person.id or 0))
        for person in people
    ]
    buttons.append(button(t("policy-btn-service-nobody"), PolicyCb(action=PolicyAction.SERVICE_PERSON_SET, user=0)))
    markup = grid(buttons, t, back=PolicyCb(action=PolicyAction.SERVICE), cancel=False, per_row=2)
    await show(query, t("policy-service-choose-person"), markup)


@routes.callback_query(PolicyCb.filter(F.action == PolicyAction.SERVICE_PERSON_SET))
async def on_service_person_set(
    query: CallbackQuery, callback_data: PolicyCb, user: User, uow: UnitOfWork, t: Translate, clock: Clock
) -> None:
    if await change_service(query, user, uow, t, clock, {"service_user_id": callback_data.user or None}):
        await show_service(query, user, uow, t, t("policy-done"))


def service_field(ctx: Ctx) -> str:
    return str(ctx.data["field"])


def _in_days(name: str) -> bool:
    return name in {"survey_days", "renewal_days"}


async def service_number_now(ctx: Ctx) -> int:
    """The value as edited: working hours for an SLA limit, days for the survey link."""
    policy = await ticket_service.service_policy(ctx.uow, viewer=ctx.user, team_id=ctx.user.team_id)
    value = int(getattr(policy, service_field(ctx)))
    return value if _in_days(service_field(ctx)) else value // 60


async def service_number_screen(ctx: Ctx) -> str:
    name = service_field(ctx)
    unit = "policy-service-unit-days" if _in_days(name) else "policy-service-unit-hours"
    return ctx.t("policy-number", name=ctx.t(f"policy-service-name-{name}"),
                 value=ctx.t(unit, value=await service_number_now(ctx)))


async def service_number_keyboard(ctx: Ctx) -> Rows:
    current = await service_number_now(ctx)
    steps = SERVICE_NUMBERS[service_field(ctx)]
    return rows_of([
        *(ctx.button(f"−{s}", str(current - s)) for s in reversed(steps) if current - s >= 1),
        *(ctx.button(f"+{s}", str(current + s)) for s in steps),
    ], per_row=2)


async def save_service_number(ctx: Ctx, value: int) -> None:
    name = service_field(ctx)
    await ticket_service.update_service_policy(
        ctx.uow, actor=ctx.user, team_id=ctx.user.team_id,
        changes={name: value if _in_days(name) else value * 60}, now=ctx.clock.now(),
    )


async def on_service_number_pick(ctx: Ctx, value: str) -> Transition:
    if not NUMBER.fullmatch(value):
        return Alert(ctx.t("stale-button"))
    await save_service_number(ctx, int(value))
    return STAY


async def on_service_number_typed(ctx: Ctx, answers: Answers) -> Transition:
    await save_service_number(ctx, answers["value"])
    return Done(*await service_screen(ctx.uow, ctx.user, ctx.t, ctx.t("policy-done")))


SERVICE_EDITOR = Flow(
    "psvc",
    (
        Step(
            "value", parse=typed("value", whole_number), keyboard=service_number_keyboard, pick=on_service_number_pick,
            accept=on_service_number_typed, back=lambda ctx: PolicyCb(action=PolicyAction.SERVICE),
            expect="policy-expect-number",
            problems={"error-not-a-number": "policy-error-not-a-number"},
            problem_params=lambda ctx: {"name": ctx.t(f"policy-service-name-{ctx.data.get('field')}")},
        ),
    ),
    screen=service_number_screen, cancel_button=False, refusal=may_edit,
)


@routes.callback_query(PolicyCb.filter(F.action == PolicyAction.SERVICE_NUMBER))
async def on_service_number(
    query: CallbackQuery, callback_data: PolicyCb, state: FSMContext, bot: Bot, t: Translate, lang: Language,
    uow: UnitOfWork, user: User, clock: Clock,
) -> None:
    if callback_data.field not in SERVICE_NUMBERS:
        await query.answer(t("stale-button"), show_alert=True)
        return
    try:
        await ticket_service.service_policy(uow, viewer=user, team_id=user.team_id)
    except DomainError as error:
        await refuse(query, t, error)
        return
    ctx = SERVICE_EDITOR.context(query, state, bot, t, lang, uow, user, clock)
    await SERVICE_EDITOR.start(ctx, {"field": callback_data.field}, first="value")
SERVICE_EDITOR.install(routes)
