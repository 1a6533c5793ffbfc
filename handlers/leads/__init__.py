"""/lead: capture a lead in a few taps, from a shared contact card or from one quick message; check for
duplicates before saving; show the saved lead's score and where it went. The steps are declared in
facts.py and review.py and run by the flow engine (handlers/flow.py)."""

from __future__ import annotations

from typing import Any

from aiogram import Bot, F
from aiogram.filters import Command, CommandObject, StateFilter
from aiogram.fsm.context import FSMContext
from aiogram.types import Message

from bot.formatting import h
from bot.i18n import Translate
from bot.routing import Routes
from domain.clock import Clock
from domain.leads import capture
from domain.leads.contact import QuickCapture, parse_quick_capture, phone_from_card, read_as_lead
from domain.permissions import Ability, can
from domain.ports import UnitOfWork
from domain.team.model import Language, User
from handlers.flow import Ctx, Flow
from handlers.leads.facts import FACT_STEPS, STEPS, card_name, fact_screen, quick_start
from handlers.leads.review import REVIEW_STEPS

routes = Routes(__name__)

CAPTURE = Flow(
    "lead", (*FACT_STEPS, *REVIEW_STEPS), screen=fact_screen, plan=STEPS, review="review",
    skip_label="lead-btn-skip", keep_label="lead-btn-next", mark_chosen="✓ ",
    refusal=lambda user: None if can(user, Ability.CAPTURE_LEADS) else "lead-not-allowed",
)


def context(
    message: Message, state: FSMContext, bot: Bot, t: Translate, lang: Language, uow: UnitOfWork, user: User,
    clock: Clock,
) -> Ctx:
    return CAPTURE.context(message, state, bot, t, lang, uow, user, clock)


@routes.message(Command("lead"))
async def cmd_lead(
    message: Message, command: CommandObject, state: FSMContext, bot: Bot, t: Translate, lang: Language,
    uow: UnitOfWork, user: User, clock: Clock,
) -> None:
    if not can(user, Ability.CAPTURE_LEADS):
        await message.answer(t("lead-not-allowed"))
        return
    ctx = context(message, state, bot, t, lang, uow, user, clock)
    typed = (command.args or "").strip()
    if typed:
        await start_quick_capture(ctx, parse_quick_capture(typed))
        return
    await CAPTURE.start(ctx, capture.draft_values())


@routes.message(StateFilter(None), F.contact, F.chat.type == "private")
async def on_contact_shared(
    message: Message, state: FSMContext, bot: Bot, t: Translate, lang: Language, uow: UnitOfWork, user: User,
    clock: Clock,
) -> None:
    if not can(user, Ability.CAPTURE_LEADS):
        await message.answer(t("lead-not-allowed"))
        return
    assert message.contact is not None
    card = message.contact
    name = card_name(" ".join(part for part in (card.first_name, card.last_name) if part))
    phone = phone_from_card(card.phone_number)
    values = capture.draft_values() | {"contact_name": name, "phone": phone}
    skip = {"phone", "email"} if phone else set()
    if name:  # a card saved without a name (its number where the name goes): the name is asked
        skip.add("contact")
    intro = t("lead-contact-card", name=h(name or ""), phone=h(phone or card.phone_number))
    ctx = context(message, state, bot, t, lang, uow, user, clock)
    await CAPTURE.start(ctx, values, plan=[step for step in STEPS if step not in skip], intro=intro)


# --- quick capture: one message, read once ------------------------------------------------------------


async def start_quick_capture(ctx: Ctx, parsed: QuickCapture) -> None:
    """What the message said, then the steps for what it did not (none: straight to the review)."""
    values, plan, intro = quick_start(ctx.t, parsed)
    await CAPTURE.start(ctx, values, plan=plan, intro=intro)


async def lead_in_message(message: Message, user: User | None = None) -> dict[str, Any] | bool:
    """The filter for ordinary chat: a message that reads like a lead hands its reading to the handler."""
    if user is None or not can(user, Ability.CAPTURE_LEADS) or message.text is None:
        return False
    parsed = read_as_lead(message.text)
    return {"quick": parsed} if parsed is not None else False


@routes.message(StateFilter(None), F.chat.type == "private", F.text, lead_in_message)
async def on_lead_like_message(
    message: Message, quick: QuickCapture, state: FSMContext, bot: Bot, t: Translate, lang: Language,
    uow: UnitOfWork, user: User, clock: Clock,
) -> None:
    await start_quick_capture(context(message, state, bot, t, lang, uow, user, clock), quick)


CAPTURE.install(routes)
