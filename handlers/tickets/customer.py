"""/customer <words>: the customer card (客户卡片) — the customer's deals, quotes, contracts and payments,
service tickets and satisfaction scores in one place, found the way /find finds a deal; each deal, contract
and ticket a button."""

from __future__ import annotations

from aiogram import F
from aiogram.filters import Command, CommandObject
from aiogram.types import Message

from bot.formatting import h, money
from bot.i18n import Translate
from bot.keyboards import button, keyboard, rows_of
from bot.routing import Routes
from domain.money import Money
from domain.ports import UnitOfWork
from domain.renewals.customer import CustomerCard, customer_card
from domain.renewals.model import CustomerContract
from domain.team.model import Language, User
from handlers.contracts.common import CAct, ContractCb
from handlers.pipeline_ui import DealAct, DealCb, amount_text, day_text
from handlers.tickets.common import TicketAct, TicketCb, ticket_line

routes = Routes(__name__)


def contract_line(t: Translate, lang: Language, c: CustomerContract) -> str:
    """HT-2026-0001 · 回款中 · 合同 ¥100,000.00 · 已回款 ¥30,000.00 · 待收 ¥70,000.00, and the next milestone due."""
    line = t("customer-contract-line", number=c.number, status=t(f"contract-status-{c.status}"),
             amount=money(Money(c.amount_minor, c.currency)), paid=money(Money(c.paid_minor, c.currency)),
             outstanding=money(Money(c.outstanding_minor, c.currency)))
    if c.next_due is not None and c.next_outstanding_minor is not None:
        line += t("customer-contract-next", position=c.next_position or 0, label=h(c.next_label or ""),
                  amount=money(Money(c.next_outstanding_minor, c.currency)), due=day_text(c.next_due, lang))
    return line


def card_text(t: Translate, card: CustomerCard, lang: Language) -> str:
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
    if card.contracts:  # the money: each contract, what was paid, what is outstanding, what falls due next
        currency = card.contracts[0].currency
        same = all(c.currency == currency for c in card.contracts)
        outstanding = sum(c.outstanding_minor for c in card.contracts if c.status != "cancelled")
        lines.append(t("customer-contracts", count=len(card.contracts),
                       outstanding=money(Money(outstanding, currency)) if same else "—"))
        lines.extend(f"• {contract_line(t, lang, c)}" for c in card.contracts)
    else:
        lines.append(t("customer-no-contracts"))
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
async def cmd_customer(
    message: Message, command: CommandObject, user: User, uow: UnitOfWork, t: Translate, lang: Language
) -> None:
    query = (command.args or "").strip()
    if not query:
        await message.answer(t("customer-ask"))
        return
    card = await customer_card(uow, viewer=user, query=query)
    buttons = [button(f"💼 {deal.title[:20]}", DealCb(act=DealAct.OPEN, id=deal.id)) for deal in card.deals[:6]]
    buttons += [button(f"📑 {c.number}", ContractCb(act=CAct.SHOW, id=c.id)) for c in card.contracts[:6]]
    buttons += [button(f"🛠 {ticket.number}", TicketCb(act=TicketAct.OPEN, id=ticket.id or 0))
                for ticket in card.tickets[:6]]
    await message.answer(card_text(t, card, lang), reply_markup=keyboard(*rows_of(buttons, per_row=2)))
