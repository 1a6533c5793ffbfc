"""What the quote screens share: their callback data, statuses, and a quote drawn as text."""

from __future__ import annotations

import enum

from aiogram.filters.callback_data import CallbackData

from bot.callbacks import Id
from bot.formatting import h
from bot.i18n import Translate
from domain.money import Money
from domain.quotes.model import PriceHistory, QuoteStatus
from domain.quotes.services import QuoteView
from domain.quotes.text import money_text, percent_text
from domain.team.model import Language
from handlers.pipeline_ui import day_text


class QAct(enum.StrEnum):
    """What a quote button does. Short values (64 bytes of callback data), never changed once sent."""

    DEAL = "deal"  # a deal's quotes (id: the deal)
    NEW = "new"  # a new empty quote on the deal (id: the deal)
    FROM = "from"  # templates and the customer's earlier quotes to start from (id: the deal)
    NEW_TEMPLATE = "nt"  # start from a template (id: the deal, arg: the template)
    NEW_COPY = "nc"  # start from an earlier quote (id: the deal, arg: the quote)
    OPEN = "open"  # the quote (id: the quote)
    ADD = "add"  # search the catalog
    PICK = "pick"  # a product found (arg: the product)
    QTY = "qty"  # its quantity (arg: "product-n"; n 0 = type it)
    LINE = "line"  # a line's screen (line: the line)
    LINE_QTY = "lq"  # arg: n (0 = type it)
    LINE_DISC = "ld"  # arg: basis points (-1 = type it)
    LINE_DEL = "ldel"
    FREE = "free"  # a free line for a service: type it
    DISC = "disc"  # the whole quote's discount (arg: basis points, -1 = type it; empty: the screen)
    NEEDS = "needs"  # the needs check
    NEED = "need"  # tick or untick a need (arg: its index)
    REASON = "why"  # type the reason for the discount
    SUBMIT = "sub"
    PDF = "pdf"
    XLSX = "xlsx"
    SENT = "sent"
    ACCEPTED = "acc"
    REJECTED = "rej"  # asks for the customer's reason
    REVISE = "rev"
    TEMPLATE = "tpl"  # a manager names a template
    TAKE_COUNTER = "take"


class QuoteCb(CallbackData, prefix="qt"):
    act: QAct
    id: Id = 0
    line: Id = 0
    arg: str = ""


class ApprovalAct(enum.StrEnum):
    APPROVE = "ok"
    REJECT = "no"  # asks for a reason
    COUNTER = "ctr"  # offers percentages
    COUNTER_AT = "ctr_at"  # arg: basis points (-1 = type it)
    SHOW = "show"  # the card (from /approvals)


class ApprovalCb(CallbackData, prefix="qa"):
    act: ApprovalAct
    id: Id  # the approval step
    arg: str = ""


STATUS_ICONS = {
    QuoteStatus.DRAFT: "📝", QuoteStatus.PENDING: "⏳", QuoteStatus.APPROVED: "✅", QuoteStatus.SENT: "📨",
    QuoteStatus.ACCEPTED: "🤝", QuoteStatus.REJECTED: "❌", QuoteStatus.EXPIRED: "⌛",
}


def status_text(t: Translate, status: QuoteStatus) -> str:
    return f"{STATUS_ICONS[status]} {t(f'quote-status-{status.value}')}"


def history_text(t: Translate, history: PriceHistory | None, lang: Language | None = None) -> str:
    if history is None or (not history.last and history.median is None):
        return ""
    parts = []
    if history.last:
        parts.append(t("quote-history-last", prices=" / ".join(money_text(m, lang) for m in history.last)))
    if history.median is not None:
        parts.append(t("quote-history-median", price=money_text(history.median, lang), count=history.samples))
    return " · ".join(parts)


def quote_text(t: Translate, lang: Language, view: QuoteView) -> str:
    quote, totals = view.quote, view.totals
    lines = [
        t("quote-head", number=quote.number, status=status_text(t, quote.status), company=h(view.lead.company),
          deal=h(view.opportunity.title), owner=h(view.owner_name), until=day_text(quote.valid_until, lang)),
        "",
    ]
    if not view.lines:
        lines.append(t("quote-no-lines"))
    for index, (line, priced) in enumerate(zip(view.lines, totals.lines, strict=True), start=1):
        price = money_text(Money(line.unit_price_minor, quote.currency), lang)
        text = t("quote-line", n=index, name=h(view.line_name(line, lang)), qty=line.quantity, unit=h(line.unit), price=price,
                 net=money_text(priced.net, lang))
        if line.discount_bp:
            text += t("quote-line-discount", percent=percent_text(line.discount_bp, bp=True))
        if line.free:
            text += t("quote-line-free")
        if priced.below_floor:
            text += t("quote-line-floor", floor=money_text(Money(line.floor_minor, quote.currency), lang))
        lines.append(text)
        history = history_text(t, view.history.get(line.id or 0), lang)
        if history:
            lines.append(f"    {history}")
    if view.lines:  # an empty draft shows no zero totals, and no route yet
        lines.append("")
        lines.append(t("quote-subtotal", amount=money_text(totals.subtotal, lang)))
        if totals.discount.minor:
            lines.append(t("quote-discount", amount=money_text(totals.discount, lang), percent=percent_text(totals.discount_percent)))
        if quote.discount_bp:
            lines.append(t("quote-discount-whole", percent=percent_text(quote.discount_bp, bp=True)))
        lines.append(t("quote-tax", amount=money_text(totals.tax, lang)))
        lines.append(t("quote-total", amount=money_text(totals.total, lang)))
        lines.append(t("quote-margin", amount=money_text(totals.margin, lang), percent=percent_text(totals.margin_percent),
                       before=percent_text(view.list_totals.margin_percent)))
        route = view.route
        if quote.status.value in ("draft", "pending"):
            if route.levels:
                levels = " → ".join(t(f"quote-level-{lv.value}") for lv in route.levels)
                why = t("list-separator").join(t(f"quote-why-{w.value}") for w in route.why)
                lines.append(t("quote-route", levels=levels, why=why))
            else:
                lines.append(t("quote-route-none"))
    else:
        lines.append("")
    if quote.needs:
        covered = len([i for i in quote.covered if i < len(quote.needs)])
        lines.append(t("quote-needs-count", covered=covered, total=len(quote.needs)))
        for need in quote.uncovered:
            lines.append(t("quote-needs-uncovered", need=h(need)))
    if quote.reason:
        lines.append(t("quote-reason-line", reason=h(quote.reason)))
    if quote.counter_bp is not None:
        lines.append(t("quote-counter-line", percent=percent_text(quote.counter_bp, bp=True)))
    if quote.customer_reason:
        lines.append(t("quote-customer-reason", reason=h(quote.customer_reason)))
    for step in view.steps:
        if step.state.value in ("pending", "approved", "rejected", "countered"):
            lines.append(t(f"quote-step-{step.state.value}", level=t(f"quote-level-{step.level.value}")))
    return "\n".join(lines)
