"""/customer <words>: the customer card (客户卡片) — the customer's deals, quotes, service tickets and
satisfaction scores in one place, found the way /find finds a deal; each deal and ticket a button."""

from __future__ import annotations

from aiogram import F
from aiogram.filters import Command, CommandObject
from aiogram.types import Message

from bot.formatting import h
from bot.i18n import Translate
from bot.keyboards import button, keyboard, rows_of
from bot.routing import Routes
from domain.money import Money
from domain.ports import UnitOfWork
from domain.renewals.customer import CustomerCard, customer_card
from domain.team.model import User
from handlers.pipeline_ui import DealAct, DealCb, amount_text
from handlers.tickets.common import TicketAct, TicketCb, ticket_line

routes = Routes(__name__)


def card_text(t: Translate, card: CustomerCard) -> str:
    lines = [t("customer-head", company=h(card.company))]
    lines.append(t("customer-deals", count=len(card.deals)))
    for deal in card.deals:
        amount = amount_text(t, Money(deal.amount_minor, deal.currency) if deal.amount_minor is not None else None)
        owner = h(card.owners.get(deal.owner_id or 0, "—"))
        lines.append(f"• {h(deal.title)} · {t(f'stage-{deal.stage}')} · {amount} · {owner}")
    if card.quotes:
        lines.append(t("customer-quotes", count=len(card.quotes)))
        lines.extend(f"• {q.number} · {t(f'quote-status-{q.status}')} · {amount_text(t, Money(q.total_minor, q.currency))}"
                     for q in card.quotes)
    lines.append(t("customer-tickets", count=len(card.tickets)))
    lines.extend(f"• {ticket_line(t, ticket)}" for ticket in card.tickets)
    average = card.average
    if average is None:
        lines.append(t("customer-no-scores"))
    else:
        scores = " · ".join(f"{s.score}/5" for s in card.surveys if s.score is not None)
        lines.append(t("customer-scores", average=f"{average:.1f}", scores=scores))
    return "\n".join(lines)


@routes.message(Command("customer"), F.chat.type == "private")
async def cmd_customer(message: Message, command: CommandObject, user: User, uow: UnitOfWork, t: Translate) -> None:
    query = (command.args or "").strip()
    if not query:
        await message.answer(t("customer-ask"))
        return
    card = await customer_card(uow, viewer=user, query=query)
    buttons = [button(f"💼 {deal.title[:20]}", DealCb(act=DealAct.OPEN, id=deal.id)) for deal in card.deals[:6]]
    buttons += [button(f"🛠 {ticket.number}", TicketCb(act=TicketAct.OPEN, id=ticket.id or 0))
                for ticket in card.tickets[:6]]
    await message.answer(card_text(t, card), reply_markup=keyboard(*rows_of(buttons, per_row=2)))
