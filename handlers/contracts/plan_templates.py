"""/policy → 🗓 回款模板 and ⏰ 回款提醒: the team's payment plan templates (see them, add one — a name, then
the shares typed as `30% 签约, 60% 交付+30天, 10% 验收+60天`, which must add up to 100% —, remove one) and
its payment reminder cadence (a preset button, or the days typed: `-7 -1 0 1 7 14 21 28`). The contract's
plan step (handlers/contracts/screens.py) offers the team's templates; the payment sweep follows its
cadence. The services (domain/contracts/policy.py) check who may and every value."""

from __future__ import annotations

from aiogram import Bot, F
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, InlineKeyboardMarkup

from bot.formatting import h
from bot.i18n import Translate
from bot.keyboards import button, grid, rows_of
from bot.routing import Routes
from domain.clock import Clock
from domain.contracts import plan as rules
from domain.contracts import policy as service
from domain.contracts import watch
from domain.errors import DomainError, Forbidden
from domain.ports import UnitOfWork
from domain.team.model import Language, User
from handlers.common import refuse, show
from handlers.flow import STAY, Alert, Answers, Ctx, Done, Flow, Rows, Step, Transition, typed
from handlers.policy import PolicyAction, PolicyCb, may_edit, overview_screen

routes = Routes(__name__)
BACK_TO_LIST = PolicyCb(action=PolicyAction.PLAN_TEMPLATES)


# --- how a template and a cadence read -------------------------------------------------------------------


def template_title(t: Translate, template: rules.PlanTemplate) -> str:
    """A built-in template by the catalogue's name, a team's own by the name it was given."""
    return template.name if template.name is not None else t(f"contract-plan-{template.key}")


def part_text(t: Translate, part: rules.TemplatePart) -> str:
    """A share as it is typed: `60% 交付+30天`, `50% 日期+1个月`."""
    offset = ""
    if part.months:
        offset += t("plan-template-months", n=part.months)
    if part.days:
        offset += t("plan-template-days", n=part.days)
    return t("plan-template-part", percent=rules.percent_text(part.percent_bp),
             trigger=t(f"plan-template-trigger-{part.trigger}"), offset=offset)


def template_line(t: Translate, n: int, template: rules.PlanTemplate) -> str:
    parts = t("list-separator").join(part_text(t, p) for p in template.parts)
    return t("plan-template-line", n=n, name=h(template_title(t, template)), parts=parts)


def cadence_text(t: Translate, cadence: tuple[int, ...]) -> str:
    return t("list-separator").join(
        t("cadence-before", days=-d) if d < 0 else t("cadence-on-day") if d == 0 else t("cadence-after", days=d)
        for d in cadence
    )


# --- the templates ---------------------------------------------------------------------------------------


async def templates_screen(uow: UnitOfWork, user: User, t: Translate, done: str = "") -> tuple[str, InlineKeyboardMarkup]:
    policy = await service.payment_policy(uow, viewer=user)
    templates = service.templates_of(policy)
    lines = [done, ""] if done else []
    lines.append(t("plan-templates-title"))
    lines.extend(template_line(t, n, tpl) for n, tpl in enumerate(templates, start=1))
    lines.extend(["", t("plan-templates-hint")])
    buttons = [button(t("plan-templates-btn-add"), PolicyCb(action=PolicyAction.PLAN_TEMPLATE_ADD))]
    if len(templates) > 1:  # the last one stays
        buttons.extend(
            button(t("plan-templates-btn-remove", name=template_title(t, tpl)),
                   PolicyCb(action=PolicyAction.PLAN_TEMPLATE_DEL, value=tpl.key))
            for tpl in templates
        )
    return "\n".join(lines), grid(buttons, t, back=PolicyCb(action=PolicyAction.SHOW), cancel=False, per_row=2)


def refused(user: User) -> Forbidden | None:
    refusal = may_edit(user)
    return Forbidden(refusal) if refusal is not None else None


@routes.callback_query(PolicyCb.filter(F.action == PolicyAction.PLAN_TEMPLATES))
async def on_templates(query: CallbackQuery, user: User, uow: UnitOfWork, state: FSMContext, t: Translate) -> None:
    await state.clear()
    try:
        if (error := refused(user)) is not None:
            raise error
        await show(query, *await templates_screen(uow, user, t))
    except DomainError as error:
        await refuse(query, t, error)


@routes.callback_query(PolicyCb.filter(F.action == PolicyAction.PLAN_TEMPLATE_DEL))
async def on_remove(
    query: CallbackQuery, callback_data: PolicyCb, user: User, uow: UnitOfWork, t: Translate, clock: Clock
) -> None:
    try:
        if (error := refused(user)) is not None:
            raise error
        gone = await service.remove_template(uow, actor=user, key=callback_data.value, now=clock.now())
        await show(query, *await templates_screen(uow, user, t, t("plan-templates-removed",
                                                                   name=h(template_title(t, gone)))))
    except DomainError as error:
        await refuse(query, t, error)


async def new_template_screen(ctx: Ctx) -> str:
    if ctx.step.name == "name":
        return ctx.t("plan-template-ask-name")
    return ctx.t("plan-template-ask-parts", name=h(str(ctx.data.get("name") or "")))


async def on_parts(ctx: Ctx, answers: Answers) -> Transition:
    """The shares typed (TemplatePart values, never kept in the FSM data): the template is made, or the
    domain says why not (they do not add up to 100%) and the step stays with the name kept."""
    made = await service.add_template(ctx.uow, actor=ctx.user, name=str(ctx.data.get("name") or ""),
                                      parts=answers["parts"], now=ctx.clock.now())
    return Done(*await templates_screen(ctx.uow, ctx.user, ctx.t,
                                        ctx.t("plan-templates-added", name=h(template_title(ctx.t, made)))))


def read_parts(text: str) -> list[rules.TemplatePart]:
    return rules.parse_template_parts(text)


NEW_TEMPLATE = Flow(
    "ptpl",
    (
        Step("name", fields=("name",), parse=typed("name", rules.template_name), expect="plan-template-expect-name",
             back=lambda ctx: BACK_TO_LIST),
        Step("parts", parse=typed("parts", read_parts), accept=on_parts, expect="plan-template-expect-parts"),
    ),
    screen=new_template_screen, plan=("name", "parts"), refusal=may_edit,
)


@routes.callback_query(PolicyCb.filter(F.action == PolicyAction.PLAN_TEMPLATE_ADD))
async def on_add(
    query: CallbackQuery, state: FSMContext, bot: Bot, t: Translate, lang: Language, uow: UnitOfWork, user: User,
    clock: Clock,
) -> None:
    await _open(NEW_TEMPLATE, "name", query, state, bot, t, lang, uow, user, clock)


# --- the reminder cadence --------------------------------------------------------------------------------


async def cadence_screen(ctx: Ctx) -> str:
    cadence = service.cadence_in(await service.payment_policy(ctx.uow, viewer=ctx.user))
    return ctx.t("cadence-screen", cadence=cadence_text(ctx.t, cadence),
                 typed=" ".join(str(d) for d in cadence), escalate=watch.ESCALATE_FROM_DAYS)


async def cadence_keyboard(ctx: Ctx) -> Rows:
    current = service.cadence_in(await service.payment_policy(ctx.uow, viewer=ctx.user))
    return rows_of([
        ctx.button(("✅ " if days == current else "") + ctx.t(f"cadence-preset-{name}"), name)
        for name, days in watch.PRESETS.items()
    ], per_row=1)


async def on_preset(ctx: Ctx, value: str) -> Transition:
    days = watch.PRESETS.get(value)
    if days is None:
        return Alert(ctx.t("stale-button"))
    await service.set_cadence(ctx.uow, actor=ctx.user, days=days, now=ctx.clock.now())
    return STAY


async def on_cadence_typed(ctx: Ctx, answers: Answers) -> Transition:
    cadence = await service.set_cadence(ctx.uow, actor=ctx.user, days=answers["cadence"], now=ctx.clock.now())
    done = ctx.t("cadence-done", cadence=cadence_text(ctx.t, cadence))
    return Done(*await overview_screen(ctx.uow, ctx.user, ctx.t, done))


CADENCE_EDITOR = Flow(
    "pcad",
    (
        Step("cadence", parse=typed("cadence", lambda text: list(watch.parse_cadence(text))),
             keyboard=cadence_keyboard, pick=on_preset, accept=on_cadence_typed,
             back=lambda ctx: PolicyCb(action=PolicyAction.SHOW), expect="cadence-expect"),
    ),
    screen=cadence_screen, cancel_button=False, refusal=may_edit,
)


@routes.callback_query(PolicyCb.filter(F.action == PolicyAction.CADENCE))
async def on_cadence(
    query: CallbackQuery, state: FSMContext, bot: Bot, t: Translate, lang: Language, uow: UnitOfWork, user: User,
    clock: Clock,
) -> None:
    await _open(CADENCE_EDITOR, "cadence", query, state, bot, t, lang, uow, user, clock)


async def _open(
    flow: Flow, first: str, query: CallbackQuery, state: FSMContext, bot: Bot, t: Translate, lang: Language,
    uow: UnitOfWork, user: User, clock: Clock,
) -> None:
    """A /policy button opening one of this screen's flows: refused (with the reason) to whoever may not edit."""
    try:
        if (error := refused(user)) is not None:
            raise error
        await service.payment_policy(uow, viewer=user)
    except DomainError as error:
        await refuse(query, t, error)
        return
    await flow.start(flow.context(query, state, bot, t, lang, uow, user, clock), {}, first=first)


NEW_TEMPLATE.install(routes)
CADENCE_EDITOR.install(routes)
