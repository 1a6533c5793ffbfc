"""Importing leads from a file (导入线索), managers and admins, in a private chat: send a .csv (UTF-8 or GBK)
or .xlsx whose header names leads' columns (姓名/联系人, 电话/手机, 公司 …). The one document handler
(handlers/products.py) reads it and routes it here by its header. The preview says which column fills
which fact (✏️ to fix any of them), the source (the file's 来源 column, or one for the whole file), the
first rows and how many are new, duplicates and wrong; nothing is written before ✅. Then the new rows go
in batches through the same capture as chat and the HTTP intake (domain/intake/imports.py), the preview
message turning into the progress (n / total, time left) and then the summary; the rows not imported come
back as an Excel file with the reason for each. A second ✅ finds the import done (stale)."""

from __future__ import annotations

import collections
import contextlib
import enum
import html
import io
import re
import secrets
import time
from collections.abc import Sequence
from datetime import date
from typing import Any, Protocol
from zoneinfo import ZoneInfo

from aiogram import Bot, F
from aiogram.exceptions import TelegramBadRequest
from aiogram.filters.callback_data import CallbackData
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import BufferedInputFile, CallbackQuery, InlineKeyboardMarkup, Message

from bot.callbacks import Index
from bot.formatting import h
from bot.i18n import Translate
from bot.keyboards import button, grid
from bot.render import register_action
from bot.routing import Routes
from domain.clock import Clock
from domain.intake import imports as service
from domain.intake.imports import FIELDS, ImportPlan, ImportReport, RowProblem
from domain.leads.model import LeadSource
from domain.outbox.kinds import Family
from domain.permissions import Ability, can
from domain.ports import UnitOfWork
from domain.team.model import Team, User
from handlers.common import show
from handlers.pipeline_ui import DealAct, DealCb, DealScope
from handlers.products import DocumentRoute, SentFile, download, route_documents

routes = Routes(__name__)
SHOWN_PROBLEMS = 5
PROGRESS_EVERY = 1.5  # seconds between two edits of the progress message (Telegram's edit limits)
SOURCES = tuple(LeadSource)
FILES_KEPT = 4  # files read lately, kept in memory so that fixing the mapping does not download again


# The digest of a rep's imported leads opens their deals waiting for them (/deals, "waiting"), to accept each.
register_action(
    Family.IMPORTED.value.action, "outbox-digest-btn-imported",
    lambda action: DealCb(act=DealAct.LIST, scope=DealScope.MINE, wait=True),
)


class Units(Protocol):
    """Where the import gets a fresh unit of work for each batch (the App, handed over as `app`)."""

    def uow(self) -> UnitOfWork: ...


class ImpAct(enum.StrEnum):
    PREVIEW = "p"  # back to the preview
    FIELDS = "f"  # the facts, to fix one's column
    FIELD = "fd"  # a fact: which column fills it
    COLUMN = "c"  # a column for the fact (-1: none)
    SOURCES = "s"  # the source for the whole file
    SOURCE = "sv"  # a source (-1: the file's own column)
    CONFIRM = "ok"


class ImpCb(CallbackData, prefix="limp"):
    act: ImpAct
    fact: Index = -1  # index into FIELDS
    col: Index = -1  # a column, or a source's index into SOURCES
    tok: str = ""  # the preview's token: a button of an older file's preview is stale


class LeadsImport(StatesGroup):
    previewing = State()


_files: collections.OrderedDict[str, list[list[Any]]] = collections.OrderedDict()


def remember(file_id: str, rows: list[list[Any]]) -> None:
    _files[file_id] = rows
    _files.move_to_end(file_id)
    while len(_files) > FILES_KEPT:
        _files.popitem(last=False)


async def rows_of(bot: Bot, data: dict[str, Any]) -> list[list[Any]]:
    file_id, name = str(data["imp_file"]), str(data["imp_name"])
    rows = _files.get(file_id)
    if rows is None:  # another instance read it, or a restart: Telegram keeps the file
        rows = await download(bot, file_id, name)
        remember(file_id, rows)
    return rows


def column_letter(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


def column_label(plan_header: Sequence[str], index: int) -> str:
    title = plan_header[index] if index < len(plan_header) else ""
    return f"{column_letter(index)}「{title[:12]}」" if title else column_letter(index)


def today_of(team: Team | None, clock: Clock) -> date:
    return clock.now().astimezone(ZoneInfo(team.timezone if team else "Asia/Shanghai")).date()


def mapping_of(data: dict[str, Any]) -> dict[str, int]:
    raw = data.get("imp_map") or {}
    return {str(k): int(v) for k, v in raw.items()} if isinstance(raw, dict) else {}


def source_of(data: dict[str, Any]) -> LeadSource | None:
    value = data.get("imp_src") or ""
    return LeadSource(value) if value in {s.value for s in SOURCES} else None


def problem_text(t: Translate, problem: RowProblem) -> str:
    params = {k: v for k, v in problem.params.items()}
    if "on" in params:
        params["on"] = t(f"import-on-{params['on']}")
    return t(problem.code, **{k: str(v) for k, v in params.items()})


def plain_text(text: str) -> str:
    return html.unescape(re.sub(r"<[^>]+>", "", text))


# --- the preview -----------------------------------------------------------------------------------------


def preview_text(t: Translate, plan: ImportPlan, name: str, source: LeadSource | None) -> str:
    lines = [t("import-preview-title", file=h(name))]
    if plan.missing:
        lines.append(t("import-missing", columns=t("list-separator").join(t(f"import-field-{m}") for m in plan.missing)))
    else:
        lines.append(t("import-preview-counts", total=plan.total, new=len(plan.new), duplicates=len(plan.duplicates),
                       invalid=len(plan.invalid)))
    if plan.skipped:
        lines.append(t("import-too-many", max=service.MAX_ROWS, skipped=plan.skipped))
    lines.extend(["", t("import-mapping-title")])
    for fact in FIELDS:
        if fact == "source" and source is not None:
            lines.append(t("import-mapping-source-all", source=t(f"source-{source.value}")))
        elif fact in plan.mapping:
            lines.append(t("import-mapping-line", field=t(f"import-field-{fact}"),
                           column=h(column_label(plan.header, plan.mapping[fact]))))
    if not plan.missing:
        if plan.new:
            lines.extend(["", t("import-first-rows")])
            for row in plan.new[: service.SHOWN_ROWS]:
                v = row.values
                reach = v.get("phone") or v.get("email") or ""
                lines.append(t("import-row", row=row.row, company=h(v["company"]), contact=h(v.get("contact_name") or "—"),
                               reach=h(reach), source=t(f"source-{v['source']}")))
        for title, problems in (("import-duplicates-title", plan.duplicates), ("import-invalid-title", plan.invalid)):
            if problems:
                lines.extend(["", t(title, count=len(problems))])
                for problem in problems[:SHOWN_PROBLEMS]:
                    lines.append(t("import-problem", row=problem.row, problem=problem_text(t, problem)))
                if len(problems) > SHOWN_PROBLEMS:
                    lines.append(t("import-more", count=len(problems) - SHOWN_PROBLEMS))
    lines.append("")
    lines.append(t("import-confirm-hint") if plan.new else t("import-nothing-new"))
    return "\n".join(lines)


def preview_keyboard(t: Translate, plan: ImportPlan, token: str, source: LeadSource | None) -> InlineKeyboardMarkup:
    rows = []
    if plan.new and not plan.missing:
        rows.append([button(t("import-btn-confirm", count=len(plan.new)), ImpCb(act=ImpAct.CONFIRM, tok=token))])
    source_label = t(f"source-{source.value}") if source else t("import-source-column")
    rows.append([button(t("import-btn-fields"), ImpCb(act=ImpAct.FIELDS, tok=token)),
                 button(t("import-btn-source", source=source_label), ImpCb(act=ImpAct.SOURCES, tok=token))])
    return grid([], t, extra_rows=rows)


async def show_preview(
    event: Message | CallbackQuery, t: Translate, plan: ImportPlan, data: dict[str, Any]
) -> None:
    source = source_of(data)
    text = preview_text(t, plan, str(data["imp_name"]), source)
    await show(event, text, preview_keyboard(t, plan, str(data["imp_tok"]), source))


async def plan_for(
    uow: UnitOfWork, user: User, rows: list[list[Any]], data: dict[str, Any], clock: Clock, team: Team | None,
    *, guess: bool = False,
) -> ImportPlan:
    return await service.plan_import(
        uow, actor=user, rows=rows, mapping=None if guess else mapping_of(data), source=source_of(data),
        now=clock.now(), today=today_of(team, clock),
    )


async def on_leads_file(
    sent: SentFile, *, user: User, uow: UnitOfWork, t: Translate, state: FSMContext, clock: Clock,
    current_team: Team | None = None, **_: Any,
) -> None:
    """A leads file arrived (routed by handlers/products.py): the guessed mapping and the preview."""
    remember(sent.file_id, sent.rows)
    data: dict[str, Any] = {"imp_file": sent.file_id, "imp_name": sent.name, "imp_src": "",
                            "imp_tok": secrets.token_hex(4)}
    plan = await plan_for(uow, user, sent.rows, data, clock, current_team, guess=True)
    data["imp_map"] = plan.mapping
    await state.clear()
    await state.set_state(LeadsImport.previewing)
    await state.set_data(data)
    await show_preview(sent.message, t, plan, data)


route_documents(DocumentRoute(
    claims=service.is_leads_header, allowed=lambda user: can(user, Ability.MANAGE_INTEGRATIONS),
    refusal="import-not-allowed", handle=on_leads_file,
))


async def current(query: CallbackQuery, callback_data: ImpCb, state: FSMContext, t: Translate) -> dict[str, Any] | None:
    """The import on screen, or None (and the stale alert) when the press is from another preview."""
    data = await state.get_data()
    if not data.get("imp_tok") or data.get("imp_tok") != callback_data.tok:
        await stale(query, t)
        return None
    return data


async def stale(query: CallbackQuery, t: Translate) -> None:
    # A second ✅ waits in the chat's queue while the first imports: by then Telegram may call it too old.
    with contextlib.suppress(TelegramBadRequest):
        await query.answer(t("stale-button"), show_alert=True)


@routes.callback_query(LeadsImport.previewing, ImpCb.filter(F.act == ImpAct.PREVIEW))
async def on_preview(
    query: CallbackQuery, callback_data: ImpCb, user: User, uow: UnitOfWork, t: Translate, state: FSMContext,
    bot: Bot, clock: Clock, current_team: Team | None = None,
) -> None:
    data = await current(query, callback_data, state, t)
    if data is None:
        return
    plan = await plan_for(uow, user, await rows_of(bot, data), data, clock, current_team)
    await show_preview(query, t, plan, data)


@routes.callback_query(LeadsImport.previewing, ImpCb.filter(F.act == ImpAct.FIELDS))
async def on_fields(query: CallbackQuery, callback_data: ImpCb, t: Translate, state: FSMContext) -> None:
    data = await current(query, callback_data, state, t)
    if data is None:
        return
    mapping, token = mapping_of(data), str(data["imp_tok"])
    buttons = []
    for index, fact in enumerate(FIELDS):
        where = column_letter(mapping[fact]) if fact in mapping else "—"
        buttons.append(button(t("import-btn-field", field=t(f"import-field-{fact}"), column=where),
                              ImpCb(act=ImpAct.FIELD, fact=index, tok=token)))
    back = ImpCb(act=ImpAct.PREVIEW, tok=token)
    await show(query, t("import-fields-title"), grid(buttons, t, back=back))


@routes.callback_query(LeadsImport.previewing, ImpCb.filter(F.act == ImpAct.FIELD))
async def on_field(
    query: CallbackQuery, callback_data: ImpCb, t: Translate, state: FSMContext, bot: Bot
) -> None:
    data = await current(query, callback_data, state, t)
    if data is None or not 0 <= callback_data.fact < len(FIELDS):
        if data is not None:
            await stale(query, t)
        return
    token, fact = str(data["imp_tok"]), callback_data.fact
    rows = await rows_of(bot, data)
    header = [service.cell_text(title) for title in (rows[0] if rows else [])]
    mapping = mapping_of(data)
    buttons = []
    for index in range(min(len(header), 60)):
        mark = "✓ " if mapping.get(FIELDS[fact]) == index else ""
        buttons.append(button(mark + column_label(header, index), ImpCb(act=ImpAct.COLUMN, fact=fact, col=index, tok=token)))
    none = [button(t("import-btn-no-column"), ImpCb(act=ImpAct.COLUMN, fact=fact, col=-1, tok=token))]
    text = t("import-field-title", field=t(f"import-field-{FIELDS[fact]}"))
    await show(query, text, grid(buttons, t, back=ImpCb(act=ImpAct.FIELDS, tok=token), extra_rows=[none]))


@routes.callback_query(LeadsImport.previewing, ImpCb.filter(F.act == ImpAct.COLUMN))
async def on_column(
    query: CallbackQuery, callback_data: ImpCb, user: User, uow: UnitOfWork, t: Translate, state: FSMContext,
    bot: Bot, clock: Clock, current_team: Team | None = None,
) -> None:
    data = await current(query, callback_data, state, t)
    if data is None:
        return
    if not 0 <= callback_data.fact < len(FIELDS):
        await stale(query, t)
        return
    fact = FIELDS[callback_data.fact]
    mapping = {name: index for name, index in mapping_of(data).items() if name != fact and index != callback_data.col}
    if callback_data.col >= 0:
        mapping[fact] = callback_data.col
    await preview_with(query, t, state, data, {"imp_map": mapping}, uow, user, bot, clock, current_team)


@routes.callback_query(LeadsImport.previewing, ImpCb.filter(F.act == ImpAct.SOURCES))
async def on_sources(query: CallbackQuery, callback_data: ImpCb, t: Translate, state: FSMContext) -> None:
    data = await current(query, callback_data, state, t)
    if data is None:
        return
    token, chosen = str(data["imp_tok"]), source_of(data)
    buttons = [button(("✓ " if chosen is None else "") + t("import-source-column"),
                      ImpCb(act=ImpAct.SOURCE, col=-1, tok=token))]
    for index, source in enumerate(SOURCES):
        mark = "✓ " if chosen is source else ""
        buttons.append(button(mark + t(f"source-{source.value}"), ImpCb(act=ImpAct.SOURCE, col=index, tok=token)))
    await show(query, t("import-sources-title"), grid(buttons, t, back=ImpCb(act=ImpAct.PREVIEW, tok=token)))


@routes.callback_query(LeadsImport.previewing, ImpCb.filter(F.act == ImpAct.SOURCE))
async def on_source(
    query: CallbackQuery, callback_data: ImpCb, user: User, uow: UnitOfWork, t: Translate, state: FSMContext,
    bot: Bot, clock: Clock, current_team: Team | None = None,
) -> None:
    data = await current(query, callback_data, state, t)
    if data is None:
        return
    value = SOURCES[callback_data.col].value if 0 <= callback_data.col < len(SOURCES) else ""
    await preview_with(query, t, state, data, {"imp_src": value}, uow, user, bot, clock, current_team)


async def preview_with(
    query: CallbackQuery, t: Translate, state: FSMContext, data: dict[str, Any], changes: dict[str, Any],
    uow: UnitOfWork, user: User, bot: Bot, clock: Clock, team: Team | None,
) -> None:
    """A choice on a picker (a column for a field, the source) kept, and the preview drawn again with it."""
    data.update(changes)
    await state.update_data(**changes)
    plan = await plan_for(uow, user, await rows_of(bot, data), data, clock, team)
    await show_preview(query, t, plan, data)


# --- the import --------------------------------------------------------------------------------------------


def progress_text(t: Translate, name: str, done: int, total: int, started: float) -> str:
    elapsed = time.monotonic() - started
    left = int(elapsed / done * (total - done)) + 1 if done else 0
    eta = t("import-eta", seconds=left) if done and done < total else ""
    return t("import-progress", file=h(name), done=done, total=total, eta=eta)


def summary_text(t: Translate, name: str, report: ImportReport, names: dict[int, str]) -> str:
    outcomes = report.outcomes
    lines = [
        t("import-done", file=h(name), imported=report.imported, handoff=outcomes.get("handoff", 0),
          pool=outcomes.get("pool", 0), nurture=outcomes.get("nurture", 0)),
    ]
    if report.by_rep:
        parts = [t("import-done-rep", rep=h(names.get(rep, "—")), count=count)
                 for rep, count in sorted(report.by_rep.items(), key=lambda kv: -kv[1])]
        lines.append(t("import-done-reps", reps=t("list-separator").join(parts)))
    left_out = len(report.duplicates) + len(report.invalid)
    lines.append(t("import-done-left-out", duplicates=len(report.duplicates), invalid=len(report.invalid))
                 if left_out else t("import-done-all-in"))
    return "\n".join(lines)


def problems_workbook(t: Translate, header: Sequence[str], report: ImportReport, rows: Sequence[Sequence[Any]]) -> bytes:
    """The rows that were not imported, each with its number in the sent file and the reason."""
    # imported when a file is made, not at start: openpyxl brings numpy with it
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = plain_text(t("import-errors-sheet"))[:31]
    sheet.append([plain_text(t("import-errors-col-row")), plain_text(t("import-errors-col-result")),
                  plain_text(t("import-errors-col-reason")), *header])
    problems = [(p, "import-errors-duplicate") for p in report.duplicates] + [(p, "import-errors-invalid") for p in report.invalid]
    for problem, result in sorted(problems, key=lambda item: item[0].row):
        cells = rows[problem.row - 1] if 0 < problem.row <= len(rows) else ()
        sheet.append([problem.row, plain_text(t(result)), plain_text(problem_text(t, problem)),
                      *(service.cell_text(cell) for cell in cells)])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


async def edit(bot: Bot, message: Message, text: str) -> None:
    with contextlib.suppress(TelegramBadRequest):
        await bot.edit_message_text(text, chat_id=message.chat.id, message_id=message.message_id)


@routes.callback_query(LeadsImport.previewing, ImpCb.filter(F.act == ImpAct.CONFIRM))
async def on_confirm(
    query: CallbackQuery, callback_data: ImpCb, user: User, t: Translate, state: FSMContext, bot: Bot,
    clock: Clock, app: Units, current_team: Team | None = None,
) -> None:
    """The import itself. Each batch is its own transaction (app.uow()), so the bot goes on serving others
    meanwhile (on SQLite writers take turns between batches); the update's own transaction only ends the
    conversation (a second ✅, queued behind this one in the chat, then finds nothing to confirm). A batch
    that fails leaves the earlier ones in: ✅ again, or the same file again, imports what is left."""
    data = await current(query, callback_data, state, t)
    if data is None or not isinstance(query.message, Message):
        return
    await query.answer()
    message, name = query.message, str(data["imp_name"])
    rows = await rows_of(bot, data)
    async with app.uow() as uow:
        plan = await plan_for(uow, user, rows, data, clock, current_team)
    await state.clear()
    report = ImportReport(total=plan.total, done=len(plan.duplicates) + len(plan.invalid))
    report.duplicates.extend(plan.duplicates)
    report.invalid.extend(plan.invalid)
    channel = service.channel_name(name)
    started = last = time.monotonic()
    await edit(bot, message, progress_text(t, name, report.done, report.total, started))
    for start in range(0, len(plan.new), service.BATCH):
        async with app.uow() as uow:
            await service.import_batch(uow, actor=user, rows=plan.new[start : start + service.BATCH], channel=channel,
                                       report=report, now=clock.now())
            await uow.commit()
        if time.monotonic() - last >= PROGRESS_EVERY and report.done < report.total:
            last = time.monotonic()
            await edit(bot, message, progress_text(t, name, report.done, report.total, started))
    async with app.uow() as uow:
        await service.finish_import(uow, actor=user, channel=channel, report=report, now=clock.now())
        names = {rep: person.name for rep in report.by_rep if (person := await uow.users.get(rep)) is not None}
        await uow.commit()
    await edit(bot, message, summary_text(t, name, report, names))
    if report.duplicates or report.invalid:
        header = [service.cell_text(title) for title in (rows[0] if rows else [])]
        data_file = problems_workbook(t, header, report, rows)
        stem = name.rsplit(".", 1)[0][:40]
        await bot.send_document(
            message.chat.id, BufferedInputFile(data_file, filename=f"{stem}-未导入.xlsx"),
            caption=t("import-errors-caption", count=len(report.duplicates) + len(report.invalid)),
        )


@routes.callback_query(ImpCb.filter())
async def on_stale(query: CallbackQuery, t: Translate) -> None:
    await stale(query, t)
