"""/help, /me, /lang and the global /cancel."""

from __future__ import annotations

from aiogram import Bot, F
from aiogram.filters import Command, StateFilter
from aiogram.filters.callback_data import CallbackData
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, Message

from bot.commands import commands_for, main_menu, set_user_commands
from bot.formatting import date_only, h
from bot.i18n import Catalogue, Translate
from bot.keyboards import Nav, button, grid
from bot.routing import Routes
from domain.clock import Clock
from domain.ports import UnitOfWork
from domain.team import onboarding
from domain.team.model import Language, User
from domain.team.ports import TeamsWork
from domain.team.queries import own_team
from handlers.common import role_name, show

routes = Routes(__name__)

LANGUAGE_LABELS = {Language.ZH: "中文", Language.EN: "English"}


class LanguageCb(CallbackData, prefix="lang"):
    language: Language


@routes.message(Command("help"), flags={"public": True})
async def cmd_help(message: Message, user: User | None, t: Translate, catalogue: Catalogue, lang: Language) -> None:
    if user is None or not user.active:
        lines = [t("help-stranger")]
        lines.extend(f"/{c.name} — {t(c.description_key)}" for c in commands_for(None))
        await message.answer("\n".join(lines))
        return
    lines = [t("help-title", role=role_name(t, user.role)), ""]
    lines.extend(f"/{c.name} — {t(c.description_key)}" for c in commands_for(user.role))
    lines.extend(["", t("help-footer")])
    menu = main_menu(catalogue, lang, user.role) if message.chat.type == "private" else None
    await message.answer("\n".join(lines), reply_markup=menu)


@routes.message(Command("me"))
async def cmd_me(message: Message, user: User, uow: TeamsWork, t: Translate, lang: Language) -> None:
    team = await own_team(uow, user)
    await message.answer(
        t(
            "me-card", name=h(user.name), role=role_name(t, user.role), team=h(team.name),
            language=LANGUAGE_LABELS[lang], timezone=team.timezone,
            joined=date_only(user.created_at, team.timezone, lang) if user.created_at else "-",
            group=t("me-group-bound") if team.group_chat_id else t("me-group-none"),
        )
    )


@routes.message(Command("lang"), flags={"public": True})
async def cmd_lang(message: Message, t: Translate) -> None:
    buttons = [button(label, LanguageCb(language=language)) for language, label in LANGUAGE_LABELS.items()]
    await message.answer(t("lang-choose"), reply_markup=grid(buttons, t))


@routes.callback_query(LanguageCb.filter(), flags={"public": True})
async def on_lang_chosen(
    query: CallbackQuery, callback_data: LanguageCb, user: User | None, uow: UnitOfWork, clock: Clock,
    catalogue: Catalogue, bot: Bot,
) -> None:
    """A language the bot does not speak (a forged button) never gets here: the catch-all calls it stale."""
    lang = callback_data.language
    new_t = catalogue.translator(lang)
    if user is None:
        # Strangers have no profile to keep it in; answer in the language they picked.
        await show(query, new_t("lang-set-stranger"))
        return
    if user.language is lang:
        await show(query, new_t("lang-set", language=LANGUAGE_LABELS[lang]))
        return
    await onboarding.set_language(uow, user=user, language=lang, now=clock.now())
    await show(query, new_t("lang-set", language=LANGUAGE_LABELS[lang]))
    await set_user_commands(bot, catalogue, user, lang)


@routes.message(Command("cancel"), flags={"public": True})
async def cmd_cancel(message: Message, state: FSMContext, t: Translate) -> None:
    had_flow = await state.get_state() is not None
    await state.clear()
    await message.answer(t("cancelled") if had_flow else t("nothing-to-cancel"))


@routes.callback_query(Nav.filter(F.action == "cancel"), flags={"public": True})
async def on_cancel_pressed(query: CallbackQuery, state: FSMContext, t: Translate) -> None:
    await state.clear()
    await show(query, t("cancelled"))


@routes.callback_query(StateFilter(None), Nav.filter(F.action == "noop"), flags={"public": True})
async def on_noop(query: CallbackQuery) -> None:
    await query.answer()
