"""What the ticket screens share: their buttons and the ticket card."""

from __future__ import annotations

import enum
from collections.abc import Sequence

from aiogram.filters.callback_data import CallbackData
from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup

from bot.callbacks import Id, Index
from bot.formatting import h, when
from bot.i18n import Translate
from bot.keyboards import button, keyboard, rows_of
from domain.assist.services import Waiting
from domain.team.model import Language
from domain.tickets.model import Filter, Scope, Ticket, TicketStatus
from domain.tickets.services import TicketCard
from handlers.assist_cb import ask_button, question_button

PRIORITY_ICON = {"p1": "🔴", "p2": "🟠", "p3": "🟢"}


class TicketAct(enum.StrEnum):
    OPEN = "open"
    START = "start"
    WAIT = "wait"
    RESUME = "resume"
    RESOLVE = "resolve"
    CLOSE = "close"
    REOPEN = "reopen"
    LINK = "link"  # a survey link to forward
    PHONE = "phone"  # record a score given on the phone: pick it
    SCORE = "score"  # ... the score picked
    FOLLOW_UP = "follow"  # a manager opens a follow-up ticket from a low score (id: the survey)
    DEAL = "deal"  # a new ticket about a deal, from its card (id: the deal)


class TicketCb(CallbackData, prefix="tk"):
    act: TicketAct
    id: Id = 0
    score: Index = 0


class RenewalAct(enum.StrEnum):
    SET = "set"  # the renewal date of a won deal (id: the deal)
    REOPEN = "reopen"  # the nudge's one tap: a new opportunity for the same customer (id: the renewal)


class RenewalCb(CallbackData, prefix="rnw"):
    act: RenewalAct
    id: Id = 0


class TicketListCb(CallbackData, prefix="tkl"):
    scope: Scope = Scope.MINE
    what: Filter = Filter.OPEN
    prio: Index = 0  # 0 every priority; 1-3 P1-P3


def list_button(t: Translate) -> InlineKeyboardButton:
    return button(t("ticket-btn-list"), TicketListCb())


def ticket_line(t: Translate, ticket: Ticket) -> str:
    return t(
        "ticket-line", icon=PRIORITY_ICON[ticket.priority.value], number=ticket.number, company=h(ticket.company),
        category=t(f"ticket-category-{ticket.category.value}"), status=t(f"ticket-status-{ticket.status.value}"),
    )


def card_text(t: Translate, lang: Language, card: TicketCard, note: str = "", waiting: Sequence[Waiting] = ()) -> str:
    ticket, tz = card.ticket, card.team.timezone
    lines = [note, ""] if note else []
    lines.append(t(
        "ticket-card-head", icon=PRIORITY_ICON[ticket.priority.value], number=ticket.number,
        company=h(ticket.company), priority=t(f"ticket-priority-{ticket.priority.value}"),
        category=t(f"ticket-category-{ticket.category.value}"),
    ))
    lines.append(t("ticket-card-status", status=t(f"ticket-status-{ticket.status.value}"), owner=h(card.owner),
                   opener=h(card.opener)))
    if ticket.contact:
        lines.append(t("ticket-card-contact", contact=h(ticket.contact)))
    lines.append(t("ticket-card-description", text=h(ticket.description)))
    if ticket.media:
        media = ticket.media.split(":", 1)[0]
        lines.append(t(f"ticket-card-media-{media}"))
    sla = card.sla
    if sla.response_due is not None:
        lines.append(t("ticket-card-response-due", due=when(sla.response_due, tz, lang)))
    if ticket.status is TicketStatus.WAITING:
        lines.append(t("ticket-card-paused", left=_hours(t, sla.resolve_left)))
    elif sla.resolve_due is not None:
        lines.append(t("ticket-card-resolve-due", due=when(sla.resolve_due, tz, lang)))
    if sla.late:
        lines.append(t("ticket-card-late"))
    elif sla.at_risk:
        lines.append(t("ticket-card-at-risk"))
    if card.scores:
        lines.append(t("ticket-card-scores", scores=" · ".join(f"{s}/5" for s in card.scores)))
    for w in waiting:  # questions to colleagues still waiting (handlers/assist.py)
        lines.append(t("assist-card-waiting", helper=h(w.helper), due=when(w.question.due_at, tz, lang)))
    if card.history:
        lines.extend(["", t("ticket-card-history")])
        for line in card.history[-8:]:
            action = line.action.replace(".", "-")
            what = t(f"ticket-history-{action}")
            extra = f" — {h(line.note)}" if line.note else ""
            lines.append(f"{when(line.at, tz, lang)} {h(line.actor)} {what}{extra}")
    return "\n".join(lines)


def _hours(t: Translate, minutes: int) -> str:
    hours, rest = divmod(max(minutes, 0), 60)
    return t("ticket-duration", hours=hours, minutes=rest)


def card_keyboard(t: Translate, card: TicketCard, waiting: Sequence[Waiting] = ()) -> InlineKeyboardMarkup:
    ticket = card.ticket
    tid = ticket.id or 0
    rows: list[list[InlineKeyboardButton]] = []
    if card.may_work:
        def b(act: TicketAct) -> InlineKeyboardButton:
            return button(t(f"ticket-btn-{act.value}"), TicketCb(act=act, id=tid))

        status = ticket.status
        if status is TicketStatus.NEW:
            rows.append([b(TicketAct.START), b(TicketAct.WAIT), b(TicketAct.RESOLVE)])
        elif status is TicketStatus.IN_PROGRESS:
            rows.append([b(TicketAct.WAIT), b(TicketAct.RESOLVE)])
        elif status is TicketStatus.WAITING:
            rows.append([b(TicketAct.RESUME), b(TicketAct.RESOLVE)])
        else:
            rows.append([b(TicketAct.LINK), b(TicketAct.PHONE)])
            rows.append([b(TicketAct.CLOSE), b(TicketAct.REOPEN)] if status is TicketStatus.RESOLVED else [b(TicketAct.REOPEN)])
        if ticket.is_open:  # cross-team help (handlers/assist.py)
            rows.append([ask_button(t, ticket_id=tid)])
    if waiting:  # the questions to colleagues still waiting: their cards
        rows.extend(rows_of([question_button(t, w.helper, w.question.id or 0) for w in waiting[:3]]))
    rows.append([list_button(t), button(t("ticket-btn-refresh"), TicketCb(act=TicketAct.OPEN, id=tid))])
    return keyboard(*rows)
