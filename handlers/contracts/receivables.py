"""/receivables (应收): what is still owed, by customer, by rep and by age, with the overdue contracts to tap
through; 📊 sends it all as an Excel file (receivables and payments). Finance and managers see the team's,
a rep their own."""

from __future__ import annotations

import io
from collections.abc import Sequence

from aiogram import Bot, F
from aiogram.filters import Command
from aiogram.types import BufferedInputFile, CallbackQuery, Message

from bot.formatting import h, money
from bot.i18n import Translate
from bot.keyboards import button, grid
from bot.routing import Routes
from domain.clock import Clock
from domain.contracts import receivables as service
from domain.contracts.model import PaymentLine
from domain.contracts.receivables import Receivables
from domain.ports import UnitOfWork
from domain.team.model import Language, User
from handlers.common import show
from handlers.contracts.common import CAct, ContractCb, RAct, ReceivablesCb
from handlers.pipeline_ui import day_text

routes = Routes(__name__)
SHOWN = 8  # lines per section; the export has every one
TAP_THROUGH = 6  # overdue contracts with a button


def report_text(t: Translate, lang: Language, report: Receivables) -> str:
    lines = [t("receivables-title-mine" if report.mine_only else "receivables-title", total=money(report.total),
               count=len(report.lines))]
    if not report.lines:
        lines.append(t("receivables-none"))
        return "\n".join(lines)
    lines += ["", t("receivables-by-age")]
    lines += [t("receivables-age-line", age=t(f"receivables-age-{age.value}"), amount=money(amount))
              for age, amount in report.by_age]
    lines += ["", t("receivables-by-customer")]
    lines += [t("receivables-name-line", name=name, amount=money(amount)) for name, amount in report.by_customer[:SHOWN]]
    if not report.mine_only:
        lines += ["", t("receivables-by-rep")]
        lines += [t("receivables-name-line", name=name, amount=money(amount)) for name, amount in report.by_rep[:SHOWN]]
    overdue = report.overdue()
    if overdue:
        lines += ["", t("receivables-overdue", count=len(overdue))]
        lines += [t("receivables-line", number=line.number, company=h(line.company), amount=money(line.outstanding),
                    due=day_text(line.due_on, lang), days=(report.today - line.due_on).days)
                  for line in overdue[:SHOWN]]
    if report.currencies:
        lines += ["", t("receivables-other-currencies", codes=", ".join(report.currencies))]
    return "\n".join(lines)


def _markup(t: Translate, report: Receivables):  # type: ignore[no-untyped-def]
    seen: list[int] = []
    for line in report.overdue() + list(report.lines):
        if line.contract_id not in seen:
            seen.append(line.contract_id)
    numbers = {line.contract_id: (line.number, line.company) for line in report.lines}
    buttons = [button(f"{numbers[cid][0]} · {numbers[cid][1]}", ContractCb(act=CAct.SHOW, id=cid))
               for cid in seen[:TAP_THROUGH]]
    return grid(buttons, per_row=1, extra_rows=[[button(t("receivables-btn-xlsx"), ReceivablesCb(act=RAct.XLSX))]])


@routes.message(Command("receivables"), F.chat.type == "private")
async def cmd_receivables(message: Message, user: User, uow: UnitOfWork, t: Translate, lang: Language,
                          clock: Clock) -> None:
    report = await service.receivables(uow, viewer=user, now=clock.now())
    await message.answer(report_text(t, lang, report), reply_markup=_markup(t, report))


@routes.callback_query(ReceivablesCb.filter(F.act == RAct.SHOW))
async def on_show(query: CallbackQuery, user: User, uow: UnitOfWork, t: Translate, lang: Language,
                  clock: Clock) -> None:
    report = await service.receivables(uow, viewer=user, now=clock.now())
    await show(query, report_text(t, lang, report), _markup(t, report))


def receivables_xlsx(t: Translate, report: Receivables, payments: Sequence[PaymentLine]) -> bytes:
    # imported when a file is made, not at start: openpyxl brings numpy with it
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = t("receivables-sheet-open")[:31]
    head = [t(f"receivables-col-{c}") for c in ("contract", "customer", "rep", "milestone", "due", "days", "age",
                                                 "outstanding")]
    sheet.append(head)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for line in report.lines:
        days = max(0, (report.today - line.due_on).days)
        sheet.append([line.number, line.company, line.owner_name, f"{line.position}. {line.label}", line.due_on, days,
                      t(f"receivables-age-{service.age_of(line.due_on, report.today).value}"),
                      float(line.outstanding.amount)])
    sheet.append([])
    sheet.append(["", "", "", "", "", "", t("receivables-col-total"), float(report.total.amount)])
    paid = book.create_sheet(t("receivables-sheet-payments")[:31])
    paid.append([t(f"receivables-col-{c}") for c in ("contract", "customer", "amount", "confirmed", "paid_on", "method",
                                                     "state", "reported_by")])
    for cell in paid[1]:
        cell.font = Font(bold=True)
    for item in payments:
        paid.append([item.number, item.company, float(item.amount.amount),
                     float(item.confirmed.amount) if item.confirmed is not None else None, item.paid_on,
                     t(f"payment-method-{item.method.value}"), t(f"payment-state-{item.state.value}"), item.reported_by])
    for ws in (sheet, paid):
        for column, width in zip("ABCDEFGH", (16, 24, 12, 20, 12, 10, 14, 16), strict=True):
            ws.column_dimensions[column].width = width
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


@routes.callback_query(ReceivablesCb.filter(F.act == RAct.XLSX))
async def on_xlsx(query: CallbackQuery, user: User, uow: UnitOfWork, t: Translate, clock: Clock, bot: Bot) -> None:
    report = await service.receivables(uow, viewer=user, now=clock.now())
    payments = await service.payment_lines(uow, viewer=user)
    data = receivables_xlsx(t, report, payments)
    await query.answer()
    if query.message is not None:
        name = f"receivables-{report.today.isoformat()}.xlsx"
        await bot.send_document(query.message.chat.id, BufferedInputFile(data, filename=name),
                                caption=t("receivables-xlsx-caption", total=money(report.total)))
