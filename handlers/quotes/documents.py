"""The quote as documents for the customer: a PDF (reportlab; Chinese in its built-in CID font
STSong-Light, so no font file is shipped or downloaded) and an XLSX (openpyxl). Both carry the number,
the customer, the validity, every line and the totals; labels, product names (the English name when the
product has one) and money (¥12,345.00, or CNY 12,345.00 in English) in the rep's language."""

from __future__ import annotations

import io
from functools import cache

from bot.i18n import Translate
from domain.money import Money
from domain.quotes.services import QuoteView
from domain.quotes.text import money_text, percent_text
from domain.team.model import Language
from handlers.pipeline_ui import day_text

FONT = "STSong-Light"


@cache
def _font() -> str:
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont

    pdfmetrics.registerFont(UnicodeCIDFont(FONT))
    return FONT


def _rows(view: QuoteView, t: Translate, lang: Language) -> list[list[str]]:
    quote = view.quote
    rows = [[t("doc-col-no"), t("doc-col-item"), t("doc-col-qty"), t("doc-col-price"), t("doc-col-discount"),
             t("doc-col-tax"), t("doc-col-amount")]]
    for n, (line, priced) in enumerate(zip(view.lines, view.totals.lines, strict=True), start=1):
        discount = line.discount_bp + (quote.discount_bp if quote.discount_bp else 0)
        rows.append([
            str(n), view.line_name(line, lang) + (f" ({line.code})" if line.code else ""), f"{line.quantity} {line.unit}",
            money_text(Money(line.unit_price_minor, quote.currency), lang),
            percent_text(line.discount_bp, bp=True) if discount else "—",
            percent_text(line.tax_bp, bp=True), money_text(priced.net, lang),
        ])
    return rows


def _summary(view: QuoteView, t: Translate, lang: Language) -> list[tuple[str, str]]:
    totals = view.totals

    def cash(amount: Money) -> str:
        return money_text(amount, lang)

    items = [(t("doc-subtotal"), cash(totals.subtotal))]
    if totals.discount.minor:
        items.append((t("doc-discount"), f"-{cash(totals.discount)} ({percent_text(totals.discount_percent)})"))
    items += [(t("doc-net"), cash(totals.net)), (t("doc-tax"), cash(totals.tax)), (t("doc-total"), cash(totals.total))]
    return items


def _head(view: QuoteView, t: Translate, lang: Language) -> list[tuple[str, str]]:
    quote = view.quote
    return [
        (t("doc-number"), quote.number), (t("doc-customer"), view.lead.company),
        (t("doc-contact"), view.lead.contact_name or "—"), (t("doc-date"), day_text(quote.created_at.date(), lang)),
        (t("doc-valid-until"), day_text(quote.valid_until, lang)), (t("doc-rep"), view.owner_name),
        (t("doc-currency"), quote.currency),
    ]


def quote_pdf(view: QuoteView, t: Translate, lang: Language) -> bytes:
    # imported when a document is made, not at start (reportlab and openpyxl weigh ~40 MB)
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

    font = _font()
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(buffer, pagesize=A4, leftMargin=15 * mm, rightMargin=15 * mm, topMargin=15 * mm,
                            bottomMargin=15 * mm, title=view.quote.number, author=view.team.name)
    title = ParagraphStyle("title", fontName=font, fontSize=18, leading=24, spaceAfter=6)
    body = ParagraphStyle("body", fontName=font, fontSize=10, leading=14)
    story: list[object] = [Paragraph(t("doc-title", team=view.team.name), title)]
    for label, value in _head(view, t, lang):
        story.append(Paragraph(f"{label}：{value}" if lang is Language.ZH else f"{label}: {value}", body))
    story.append(Spacer(1, 6 * mm))
    rows = [[Paragraph(cell, body) for cell in row] for row in _rows(view, t, lang)]
    table = Table(rows, colWidths=[10 * mm, 62 * mm, 20 * mm, 26 * mm, 16 * mm, 14 * mm, 32 * mm], repeatRows=1)
    table.setStyle(TableStyle([
        ("FONT", (0, 0), (-1, -1), font, 9),
        ("GRID", (0, 0), (-1, -1), 0.5, colors.grey),
        ("BACKGROUND", (0, 0), (-1, 0), colors.whitesmoke),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
    ]))
    story.append(table)
    story.append(Spacer(1, 4 * mm))
    summary = Table([[label, value] for label, value in _summary(view, t, lang)], colWidths=[150 * mm, 30 * mm])
    summary.setStyle(TableStyle([("FONT", (0, 0), (-1, -1), font, 10), ("ALIGN", (0, 0), (-1, -1), "RIGHT")]))
    story.append(summary)
    story.append(Spacer(1, 6 * mm))
    story.append(Paragraph(t("doc-note", until=day_text(view.quote.valid_until, lang)), body))
    doc.build(story)
    return buffer.getvalue()


def quote_xlsx(view: QuoteView, t: Translate, lang: Language) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = view.quote.number[:31]
    sheet.append([t("doc-title", team=view.team.name)])
    sheet["A1"].font = Font(size=14, bold=True)
    for label, value in _head(view, t, lang):
        sheet.append([label, value])
    sheet.append([""])
    rows = _rows(view, t, lang)
    # The amounts also as numbers, so the customer's spreadsheet can add them up.
    sheet.append([*rows[0], t("doc-col-amount-number")])
    for cell in sheet[sheet.max_row]:
        cell.font = Font(bold=True)
    for row, priced in zip(rows[1:], view.totals.lines, strict=True):
        sheet.append([*row, float(priced.net.amount)])
    sheet.append([""])
    for label, value in _summary(view, t, lang):
        sheet.append(["", "", "", "", "", label, value])
    sheet.append([""])
    sheet.append([t("doc-note", until=day_text(view.quote.valid_until, lang))])
    for column, width in zip("ABCDEFGH", (8, 36, 12, 16, 10, 12, 18, 14), strict=True):
        sheet.column_dimensions[column].width = width
    for row in sheet.iter_rows():
        for cell in row:
            cell.alignment = Alignment(vertical="center", wrap_text=True)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
