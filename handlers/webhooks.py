"""/webhooks: an admin points the team's own systems (OA, finance, contracts) at pipeline events, tests
an endpoint, pauses, resumes or removes it."""

from __future__ import annotations

import enum

from aiogram import Bot, F
from aiogram.filters import Command
from aiogram.filters.callback_data import CallbackData
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, InlineKeyboardMarkup, Message

from bot.callbacks import Id
from bot.formatting import h
from bot.i18n import Translate
from bot.keyboards import button, keyboard
from bot.routing import Routes
from domain.clock import Clock
from domain.permissions import Ability, can
from domain.ports import UnitOfWork
from domain.team.model import Language, User
from domain.webhooks import services as hooks
from domain.webhooks.events import EVENTS
from domain.webhooks.model import WebhookEndpoint
from handlers.common import show
from handlers.flow import Ctx, Done, Flow, Rows, Stay, Step, Transition, typed

routes = Routes(__name__)


class HookAction(enum.StrEnum):
    LIST = "list"
    NEW = "new"
    TEST = "test"
    PAUSE = "pause"
    RESUME = "resume"
    ASK_REMOVE = "ask"
    REMOVE = "remove"


class HookCb(CallbackData, prefix="wh"):
    action: HookAction
    endpoint_id: Id = 0


def event_label(t: Translate, event: str) -> str:
    return t(f"webhook-event-{event.replace('.', '-')}")


def state_label(t: Translate, endpoint: WebhookEndpoint) -> str:
    if endpoint.active:
        return t("webhooks-state-on")
    return t("webhooks-state-stopped" if endpoint.disabled_reason == "failures" else "webhooks-state-paused")


async def hooks_screen(uow: UnitOfWork, user: User, t: Translate, note: str = "") -> tuple[str, InlineKeyboardMarkup]:
    endpoints = await hooks.team_endpoints(uow, actor=user)
    lines = [note, ""] if note else []
    rows = []
    if not endpoints:
        lines.append(t("webhooks-empty"))
    else:
        lines.append(t("webhooks-title", count=len(endpoints)))
    for number, endpoint in enumerate(endpoints, 1):
        events = "、".join(event_label(t, event) for event in endpoint.events)
        lines.append(t("webhooks-line", number=number, url=h(endpoint.url), events=events, state=state_label(t, endpoint)))
        eid = endpoint.id or 0
        toggle = (
            button(t("webhooks-btn-pause", number=number), HookCb(action=HookAction.PAUSE, endpoint_id=eid))
            if endpoint.active
            else button(t("webhooks-btn-resume", number=number), HookCb(action=HookAction.RESUME, endpoint_id=eid))
        )
        rows.append([
            button(t("webhooks-btn-test", number=number), HookCb(action=HookAction.TEST, endpoint_id=eid)),
            toggle,
            button(t("webhooks-btn-remove", number=number), HookCb(action=HookAction.ASK_REMOVE, endpoint_id=eid)),
        ])
    lines.extend(["", t("webhooks-hint")])
    rows.append([button(t("webhooks-btn-new"), HookCb(action=HookAction.NEW))])
    return "\n".join(lines), keyboard(*rows)


@routes.message(Command("webhooks"), F.chat.type == "private")
async def cmd_webhooks(message: Message, user: User, uow: UnitOfWork, t: Translate) -> None:
    await show(message, *(await hooks_screen(uow, user, t)))


@routes.callback_query(HookCb.filter(F.action == HookAction.LIST))
async def on_list(query: CallbackQuery, user: User, uow: UnitOfWork, t: Translate) -> None:
    await show(query, *(await hooks_screen(uow, user, t)))


# --- a new endpoint: its address, then its events (tap to tick), then Save; the secret is shown once ------


def chosen(ctx: Ctx) -> list[str]:
    events = ctx.data.get("events")
    return [str(e) for e in events] if isinstance(events, list) else []


def events_keyboard(ctx: Ctx) -> Rows:
    ticked = set(chosen(ctx))
    toggles = [
        ctx.button(("✅ " if event in ticked else "▫️ ") + event_label(ctx.t, event), event) for event in EVENTS
    ]
    rows = [toggles[i : i + 2] for i in range(0, len(toggles), 2)]
    rows.append([ctx.button(ctx.t("webhooks-btn-save"), "save")])
    return rows


async def on_event(ctx: Ctx, value: str) -> Transition:
    if value != "save":
        events = chosen(ctx)
        ctx.data["events"] = [e for e in events if e != value] if value in events else [*events, value]
        return Stay()
    endpoint, secret = await hooks.add_endpoint(
        ctx.uow, actor=ctx.user, url=str(ctx.data.get("url") or ""), events=chosen(ctx), now=ctx.clock.now()
    )
    return Done(
        ctx.t("webhooks-created", url=h(endpoint.url), secret=h(secret)),
        keyboard([button(ctx.t("webhooks-btn-back-to-list"), HookCb(action=HookAction.LIST))]),
    )


def hook_screen(ctx: Ctx) -> str:
    if ctx.step.name == "events":
        return ctx.t("webhooks-ask-events", url=h(str(ctx.data.get("url") or "")))
    return ctx.t("webhooks-ask-url")


NEW_HOOK = Flow(
    "hook",
    (
        Step("url", fields=("url",), parse=typed("url", hooks.parse_url), back=None, expect="webhooks-expect-url",
             problems={"error-webhook-url": "error-webhook-url"}),
        Step("events", fields=("events",), keyboard=events_keyboard, pick=on_event, back="url",
             problems={"error-webhook-events": "error-webhook-events"}),
    ),
    screen=hook_screen, plan=("url", "events"),
    refusal=lambda user: None if can(user, Ability.MANAGE_WEBHOOKS) else "error-webhook-role",
)


@routes.callback_query(HookCb.filter(F.action == HookAction.NEW))
async def on_new(
    query: CallbackQuery, state: FSMContext, bot: Bot, t: Translate, lang: Language, uow: UnitOfWork, user: User,
    clock: Clock,
) -> None:
    await hooks.team_endpoints(uow, actor=user)  # refuses whoever may not, before any question
    await NEW_HOOK.start(NEW_HOOK.context(query, state, bot, t, lang, uow, user, clock), {"events": []})


NEW_HOOK.install(routes)


# --- test, pause, resume, remove ---------------------------------------------------------------------


@routes.callback_query(HookCb.filter(F.action == HookAction.TEST))
async def on_test(query: CallbackQuery, callback_data: HookCb, user: User, uow: UnitOfWork, t: Translate, clock: Clock) -> None:
    endpoint = await hooks.send_test(uow, actor=user, endpoint_id=callback_data.endpoint_id, now=clock.now())
    await query.answer(t("webhooks-test-queued", url=endpoint.url[:120]), show_alert=True)


@routes.callback_query(HookCb.filter(F.action.in_({HookAction.PAUSE, HookAction.RESUME})))
async def on_toggle(query: CallbackQuery, callback_data: HookCb, user: User, uow: UnitOfWork, t: Translate, clock: Clock) -> None:
    active = callback_data.action is HookAction.RESUME
    endpoint = await hooks.set_active(uow, actor=user, endpoint_id=callback_data.endpoint_id, active=active, now=clock.now())
    note = t("webhooks-resumed" if active else "webhooks-paused", url=h(endpoint.url))
    await show(query, *(await hooks_screen(uow, user, t, note)))


@routes.callback_query(HookCb.filter(F.action == HookAction.ASK_REMOVE))
async def on_ask_remove(query: CallbackQuery, callback_data: HookCb, user: User, uow: UnitOfWork, t: Translate) -> None:
    endpoint = next((e for e in await hooks.team_endpoints(uow, actor=user) if e.id == callback_data.endpoint_id), None)
    if endpoint is None:
        await show(query, *(await hooks_screen(uow, user, t, t("error-webhook-not-found"))))
        return
    await show(
        query, t("webhooks-confirm-remove", url=h(endpoint.url)),
        keyboard(
            [button(t("webhooks-btn-confirm-remove"), HookCb(action=HookAction.REMOVE, endpoint_id=callback_data.endpoint_id))],
            [button(t("btn-back"), HookCb(action=HookAction.LIST))],
        ),
    )


@routes.callback_query(HookCb.filter(F.action == HookAction.REMOVE))
async def on_remove(query: CallbackQuery, callback_data: HookCb, user: User, uow: UnitOfWork, t: Translate, clock: Clock) -> None:
    endpoint = await hooks.remove_endpoint(uow, actor=user, endpoint_id=callback_data.endpoint_id, now=clock.now())
    await show(query, *(await hooks_screen(uow, user, t, t("webhooks-removed", url=h(endpoint.url)))))
