"""/apikeys: a manager gives a channel outside the chat (the website's form, an event's scanner) a key
that brings its leads into the team's pipeline through the HTTP intake API, and revokes it."""

from __future__ import annotations

import enum

from aiogram import Bot, F
from aiogram.filters import Command
from aiogram.filters.callback_data import CallbackData
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, InlineKeyboardMarkup, Message

from bot.callbacks import Id
from bot.config import Settings
from bot.formatting import h, when
from bot.i18n import Translate
from bot.keyboards import button, keyboard
from bot.routing import Routes
from domain.clock import Clock
from domain.errors import InvalidInput
from domain.intake import services as intake
from domain.intake.model import ApiKey
from domain.leads.model import LeadSource
from domain.permissions import Ability, can
from domain.ports import UnitOfWork
from domain.team.model import Language, User
from domain.team.queries import own_team
from domain.text import one_line
from handlers.common import show
from handlers.flow import Answers, Choice, Ctx, Done, Flow, Step, Transition, typed

routes = Routes(__name__)


class KeyAction(enum.StrEnum):
    LIST = "list"
    NEW = "new"
    ASK_REVOKE = "ask"
    REVOKE = "revoke"


class KeyCb(CallbackData, prefix="key"):
    action: KeyAction
    key_id: Id = 0


def read_channel(text: str) -> str:
    name = one_line(text)
    if not name or len(name) > intake.MAX_CHANNEL:
        raise InvalidInput("error-apikey-channel", max=intake.MAX_CHANNEL)
    return name


async def keys_screen(
    uow: UnitOfWork, user: User, t: Translate, lang: Language, settings: Settings, note: str = ""
) -> tuple[str, InlineKeyboardMarkup]:
    keys = await intake.team_keys(uow, actor=user)
    team = await own_team(uow, user)
    lines = [note, ""] if note else []
    if not keys:
        lines.append(t("apikeys-empty"))
    else:
        lines.append(t("apikeys-title", count=len(keys)))
        for key in keys:
            used = when(key.last_used_at, team.timezone, lang) if key.last_used_at else t("apikeys-never-used")
            lines.append(
                t("apikeys-line", channel=h(key.channel), source=t(f"source-{key.source.value}"),
                  prefix=h(key.prefix), used=used)
            )
            lines.append("   " + t("apikeys-form-link", link=h(settings.form_link(key.form_slug))))
    lines.extend(["", t("apikeys-hint")])
    rows = [[button(t("apikeys-btn-revoke", channel=key.channel[:20]), KeyCb(action=KeyAction.ASK_REVOKE, key_id=key.id or 0))]
            for key in keys]
    rows.append([button(t("apikeys-btn-new"), KeyCb(action=KeyAction.NEW))])
    return "\n".join(lines), keyboard(*rows)


@routes.message(Command("apikeys"), F.chat.type == "private")
async def cmd_apikeys(
    message: Message, user: User, uow: UnitOfWork, t: Translate, lang: Language, settings: Settings
) -> None:
    text, markup = await keys_screen(uow, user, t, lang, settings)
    await show(message, text, markup)


@routes.callback_query(KeyCb.filter(F.action == KeyAction.LIST))
async def on_list(
    query: CallbackQuery, user: User, uow: UnitOfWork, t: Translate, lang: Language, settings: Settings
) -> None:
    text, markup = await keys_screen(uow, user, t, lang, settings)
    await show(query, text, markup)


# --- a new key: the channel's name, then its lead source; the key is shown once -----------------------


def source_choices(ctx: Ctx) -> list[Choice]:
    return [Choice(source.value, ctx.t(f"source-{source.value}"), {"source": source.value}) for source in LeadSource]


async def on_source(ctx: Ctx, answers: Answers) -> Transition:
    key, plain = await intake.issue_key(
        ctx.uow, actor=ctx.user, channel=str(ctx.data.get("channel") or ""), source=LeadSource(answers["source"]),
        now=ctx.clock.now(),
    )
    return Done(
        ctx.t("apikeys-created", channel=h(key.channel), source=ctx.t(f"source-{key.source.value}"), secret=h(plain)),
        keyboard([button(ctx.t("apikeys-btn-back-to-list"), KeyCb(action=KeyAction.LIST))]),
    )


def key_screen(ctx: Ctx) -> str:
    if ctx.step.name == "source":
        return ctx.t("apikeys-ask-source", channel=h(str(ctx.data.get("channel") or "")))
    return ctx.t("apikeys-ask-channel", max=intake.MAX_CHANNEL)


NEW_KEY = Flow(
    "apikey",
    (
        Step("channel", fields=("channel",), parse=typed("channel", read_channel), back=None,
             expect="apikeys-expect-channel"),
        Step("source", fields=("source",), choices=source_choices, accept=on_source, back="channel"),
    ),
    screen=key_screen, plan=("channel", "source"),
    refusal=lambda user: None if can(user, Ability.MANAGE_INTEGRATIONS) else "error-apikey-role",
)


@routes.callback_query(KeyCb.filter(F.action == KeyAction.NEW))
async def on_new(
    query: CallbackQuery, state: FSMContext, bot: Bot, t: Translate, lang: Language, uow: UnitOfWork, user: User,
    clock: Clock,
) -> None:
    await intake.team_keys(uow, actor=user)  # refuses whoever may not make keys, before any question
    await NEW_KEY.start(NEW_KEY.context(query, state, bot, t, lang, uow, user, clock), {})


NEW_KEY.install(routes)


# --- revoking --------------------------------------------------------------------------------------


@routes.callback_query(KeyCb.filter(F.action == KeyAction.ASK_REVOKE))
async def on_ask_revoke(
    query: CallbackQuery, callback_data: KeyCb, user: User, uow: UnitOfWork, t: Translate, lang: Language,
    settings: Settings,
) -> None:
    keys = {key.id: key for key in await intake.team_keys(uow, actor=user)}
    key: ApiKey | None = keys.get(callback_data.key_id)
    if key is None:
        text, markup = await keys_screen(uow, user, t, lang, settings, note=t("apikeys-gone"))
        await show(query, text, markup)
        return
    await show(
        query, t("apikeys-confirm-revoke", channel=h(key.channel), prefix=h(key.prefix)),
        keyboard(
            [button(t("apikeys-btn-confirm-revoke"), KeyCb(action=KeyAction.REVOKE, key_id=callback_data.key_id))],
            [button(t("btn-back"), KeyCb(action=KeyAction.LIST))],
        ),
    )


@routes.callback_query(KeyCb.filter(F.action == KeyAction.REVOKE))
async def on_revoke(
    query: CallbackQuery, callback_data: KeyCb, user: User, uow: UnitOfWork, t: Translate, lang: Language,
    clock: Clock, settings: Settings,
) -> None:
    key = await intake.revoke_key(uow, actor=user, key_id=callback_data.key_id, now=clock.now())
    text, markup = await keys_screen(uow, user, t, lang, settings, note=t("apikeys-revoked", channel=h(key.channel)))
    await show(query, text, markup)
