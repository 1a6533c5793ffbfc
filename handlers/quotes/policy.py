"""/policy → 🧾 报价审批: the team's quote rules (approval tiers, margin floor, approval time limit, validity)
as one more screen of the /policy menu, each number changed like the pipeline's numbers there — -/+
buttons that carry the value they set (a repeated tap changes nothing), or the number typed — on the flow
engine. `/quotepolicy 10 20 15 4 15` still sets all five at once (handlers/quotes/approvals.py). The
service checks who may (a manager of the team) and every value."""

from __future__ import annotations

from aiogram import Bot, F
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, InlineKeyboardMarkup

from bot.i18n import Translate
from bot.keyboards import button, grid, rows_of
from bot.routing import Routes
from domain.clock import Clock
from domain.errors import DomainError, Forbidden, InvalidInput
from domain.ports import UnitOfWork
from domain.quotes import services as service
from domain.quotes.model import QuotePolicy
from domain.quotes.text import percent_text
from domain.team.model import Language, User
from handlers.common import refuse, show
from handlers.flow import STAY, Alert, Answers, Ctx, Done, Flow, Rows, Step, Transition, typed
from handlers.policy import PolicyAction, PolicyCb, may_edit

routes = Routes(__name__)
FIELDS = tuple(service.POLICY_STEPS)


def rules_text(t: Translate, policy: QuotePolicy) -> str:
    return t(
        "quote-policy-rules", manager=percent_text(policy.manager_from_bp, bp=True),
        admin=percent_text(policy.admin_from_bp, bp=True), margin=percent_text(policy.margin_floor_bp, bp=True),
        hours=f"{policy.sla_minutes / 60:g}", days=policy.validity_days,
    )


def value_text(name: str, value: int) -> str:
    """A number of the policy as its screen shows it: 12.5%, 4 (hours), 15 (days)."""
    if name.endswith("_bp"):
        return percent_text(value, bp=True)
    return f"{value / 60:g}" if name == "sla_minutes" else str(value)


def menu(t: Translate, policy: QuotePolicy, done: str = "") -> tuple[str, InlineKeyboardMarkup]:
    text = f"{rules_text(t, policy)}\n\n{t('quote-policy-menu-hint')}"
    buttons = [button(t(f"quote-policy-btn-{name}"), PolicyCb(action=PolicyAction.QUOTES, field=name)) for name in FIELDS]
    markup = grid(buttons, t, back=PolicyCb(action=PolicyAction.SHOW), cancel=False, per_row=2)
    return (f"{done}\n\n{text}" if done else text), markup


async def menu_screen(uow: UnitOfWork, user: User, t: Translate, done: str = "") -> tuple[str, InlineKeyboardMarkup]:
    return menu(t, await service.quote_policy(uow, viewer=user), done)


@routes.callback_query(PolicyCb.filter(F.action == PolicyAction.QUOTES))
async def on_quote_policy(
    query: CallbackQuery, callback_data: PolicyCb, state: FSMContext, bot: Bot, t: Translate, lang: Language,
    uow: UnitOfWork, user: User, clock: Clock,
) -> None:
    """The quote rules (no field), or the editor of one of its numbers."""
    refusal = may_edit(user)
    if refusal is not None:
        await refuse(query, t, Forbidden(refusal))
        return
    if not callback_data.field:
        await state.clear()
        try:
            await show(query, *await menu_screen(uow, user, t))
        except DomainError as error:
            await refuse(query, t, error)
        return
    if callback_data.field not in FIELDS:
        await query.answer(t("stale-button"), show_alert=True)
        return
    ctx = EDITOR.context(query, state, bot, t, lang, uow, user, clock)
    await EDITOR.start(ctx, {"field": callback_data.field}, first="value")


# --- one number: -/+ or typed -------------------------------------------------------------------------------


def field_of(ctx: Ctx) -> str:
    name = str(ctx.data.get("field") or "")
    if name not in FIELDS:
        raise InvalidInput("stale-button")
    return name


async def current(ctx: Ctx) -> int:
    return int(getattr(await service.quote_policy(ctx.uow, viewer=ctx.user), field_of(ctx)))


async def editor_screen(ctx: Ctx) -> str:
    t, name = ctx.t, field_of(ctx)
    value = t(f"quote-policy-value-{name}", value=value_text(name, await current(ctx)))
    return t("quote-policy-number", name=t(f"quote-policy-name-{name}"), value=value,
             hint=t(f"quote-policy-hint-{name}"))


async def editor_keyboard(ctx: Ctx) -> Rows:
    name, now = field_of(ctx), await current(ctx)
    low, high = service.POLICY_LIMITS[name]
    steps = service.POLICY_STEPS[name]
    values = [now - s for s in reversed(steps)] + [now + s for s in steps]
    labels = [f"−{value_text(name, s)}" for s in reversed(steps)] + [f"+{value_text(name, s)}" for s in steps]
    shown = [ctx.button(label, str(v)) for label, v in zip(labels, values, strict=True) if low <= v <= high]
    return rows_of(shown, per_row=2)


async def save(ctx: Ctx, value: int) -> None:
    await service.update_quote_policy(ctx.uow, actor=ctx.user, changes={field_of(ctx): value}, now=ctx.clock.now())


async def on_pick(ctx: Ctx, value: str) -> Transition:
    if not value.lstrip("-").isdigit():
        return Alert(ctx.t("stale-button"))
    await save(ctx, int(value))
    return STAY


async def on_typed(ctx: Ctx, answers: Answers) -> Transition:
    await save(ctx, answers["value"])
    return Done(*await menu_screen(ctx.uow, ctx.user, ctx.t, ctx.t("quote-policy-done")))


async def parse_value(given: object, ctx: Ctx) -> Answers | None:
    return typed("value", lambda text: service.parse_policy_value(field_of(ctx), text))(given, ctx)  # type: ignore[arg-type]


EDITOR = Flow(
    "qpol",
    (
        Step(
            "value", parse=parse_value, keyboard=editor_keyboard, pick=on_pick, accept=on_typed,
            back=lambda ctx: PolicyCb(action=PolicyAction.QUOTES), expect="quote-policy-expect-number",
        ),
    ),
    screen=editor_screen, cancel_button=False, refusal=may_edit,
)
EDITOR.install(routes)
