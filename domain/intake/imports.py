"""Leads from a spreadsheet (导入): a manager sends a CSV or XLSX of leads or customers, from a trade fair
or an old system. The header's columns are matched to the facts of a lead (guess_mapping; the manager can
fix each one), every row is read and checked by the capture spec (domain/leads/capture.py) and looked up
against the team's leads (dedupe), and the preview says what is new, what is known and what is wrong,
before anything is written. Confirmed, the new rows go in batches through the same capture as a rep's
chat and the HTTP intake (leads/services.py capture_all_for_channel, which capture_for_channel is for one
lead: scoring, assignment by the team's policy, the hand-off), a batch at a time: one transaction, the
team's policy and reps read once, one dedupe query, and each kind of row (leads, deals, hand-offs, audit
records, cards) written in one statement; their cards are held until the file is done, so a rep who gets
many hears once (outbox Family.IMPORTED).

Another team's leads are never read here: a phone known only in another team is new for this one, as in
the HTTP intake."""

from __future__ import annotations

import enum
import functools
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from typing import Any, Final

from domain.audit import record
from domain.errors import InvalidInput
from domain.leads import capture
from domain.leads.contact import company_key as make_company_key
from domain.leads.contact import parse_quick_capture
from domain.leads.model import (
    Authority,
    Budget,
    CaptureOutcome,
    Lead,
    LeadDraft,
    LeadSource,
    Timeline,
)
from domain.leads.services import capture_all_for_channel
from domain.outbox.kinds import Kind
from domain.outbox.notify import release_held
from domain.permissions import Ability, require
from domain.ports import UnitOfWork
from domain.team.model import User
from domain.text import MAX_SHORT, one_line

MAX_ROWS: Final = 10_000  # rows read from one file (the rest are reported, not read)
BATCH: Final = 200  # rows per transaction when importing

# The facts a column can fill, in the order the preview lists them, with the header names (zh and en,
# compared without case, spaces, "*" or "(必填)") that mean them.
COLUMNS: Final[dict[str, tuple[str, ...]]] = {
    "company": (
        "公司", "公司名称", "客户", "客户名称", "企业", "企业名称", "单位名称", "工作单位", "客户公司", "company",
        "company name", "customer", "client", "organization", "organisation", "account", "account name",
    ),
    "contact_name": (
        "姓名", "联系人", "名字", "联系人姓名", "客户姓名", "称呼", "name", "contact", "contact name", "full name",
        "contact person",
    ),
    "phone": (
        "电话", "手机", "手机号", "手机号码", "联系电话", "电话号码", "联系方式", "移动电话", "phone", "mobile",
        "tel", "telephone", "phone number", "mobile phone", "cell",
    ),
    "email": ("邮箱", "电子邮箱", "电邮", "邮件", "email", "e-mail", "mail", "email address"),
    "source": ("来源", "线索来源", "客户来源", "渠道", "source", "lead source", "channel"),
    "need": (
        "需求", "需求描述", "客户需求", "备注", "说明", "need", "needs", "requirement", "requirements", "notes",
        "note", "comment", "comments", "remark", "remarks",
    ),
    "budget": ("预算", "预算金额", "budget"),
    "timeline": (
        "时间", "时间表", "上线时间", "采购时间", "预计时间", "计划时间", "timeline", "timing", "time frame", "timeframe",
    ),
    "authority": ("决策人", "是否决策人", "职位", "职务", "title", "job title", "position", "decision maker"),
    "industry": ("行业", "所属行业", "industry"),
    "region": ("地区", "区域", "城市", "省份", "所在地", "region", "city", "area", "province"),
    "product": ("产品", "意向产品", "感兴趣的产品", "product", "interest"),
}
FIELDS: Final = tuple(COLUMNS)
_BY_ALIAS: Final = {alias: name for name, aliases in COLUMNS.items() for alias in aliases}
SHOWN_ROWS: Final = 5  # the first rows the preview shows


class Verdict(enum.StrEnum):
    NEW = "new"
    DUPLICATE = "duplicate"  # a lead the team has, or a row earlier in the file: not imported
    INVALID = "invalid"  # a fact the capture spec refuses: reported with the row's number, not imported


@dataclass(frozen=True)
class RowProblem:
    """Why a row is not imported: a message code and its parameters."""

    row: int  # as the spreadsheet numbers it: the header is row 1
    code: str
    params: dict[str, Any] = field(default_factory=dict)
    values: tuple[str, ...] = ()  # the row's cells as the file had them (the error file shows them)


@dataclass(frozen=True)
class ImportRow:
    row: int
    values: dict[str, Any]  # LeadDraft's facts as plain values, each checked by the capture spec

    @property
    def draft(self) -> LeadDraft:
        return capture.draft_from(self.values)

    @functools.cached_property
    def keys(self) -> tuple[str | None, str | None, str]:
        return self.values.get("phone"), self.values.get("email"), make_company_key(self.values["company"])


@dataclass(frozen=True)
class ImportPlan:
    header: tuple[str, ...]
    mapping: dict[str, int]  # fact -> column index
    new: tuple[ImportRow, ...] = ()
    duplicates: tuple[RowProblem, ...] = ()
    invalid: tuple[RowProblem, ...] = ()
    missing: tuple[str, ...] = ()  # what the mapping lacks to read any row ("company", "phone_or_email")
    skipped: int = 0  # rows past MAX_ROWS

    @property
    def total(self) -> int:
        return len(self.new) + len(self.duplicates) + len(self.invalid)


@dataclass
class ImportReport:
    """What a confirmed import did, added up batch by batch."""

    total: int
    done: int = 0  # rows handled so far (imported, found duplicate or refused)
    outcomes: dict[str, int] = field(default_factory=dict)  # CaptureOutcome value -> leads
    duplicates: list[RowProblem] = field(default_factory=list)  # known by the time their batch ran
    invalid: list[RowProblem] = field(default_factory=list)  # refused by the capture when saved
    by_rep: dict[int, int] = field(default_factory=dict)  # assignee -> hand-offs

    @property
    def imported(self) -> int:
        return sum(self.outcomes.values())


# --- the header ----------------------------------------------------------------------------------------


def header_name(title: Any) -> str:
    text = unicodedata.normalize("NFKC", str(title or "")).casefold()
    for mark in ("(必填)", "(选填)", "*", ":"):
        text = text.replace(mark, "")
    words = text.replace("_", " ").split()
    if not any("a" <= ch <= "z" for ch in text):  # "备 注", as a sheet spaced it out, is 备注
        return "".join(words)
    return " ".join(words)


def guess_mapping(header: Sequence[Any]) -> dict[str, int]:
    """Which column holds which fact: a header that is one of a fact's names first; then one that ends
    with a name ("联系人电话" is a phone: in Chinese the last word says what it is) or contains one, the
    longest name winning. Each column fills at most one fact, each fact comes from one column."""
    names = [header_name(title) for title in header]
    mapping: dict[str, int] = {}
    for index, name in enumerate(names):
        fact = _BY_ALIAS.get(name)
        if fact is not None and fact not in mapping:
            mapping[fact] = index
    taken = set(mapping.values())
    for index, name in enumerate(names):
        if index in taken or not name:
            continue
        best: tuple[bool, int, str] | None = None
        for alias, fact in _BY_ALIAS.items():
            if fact in mapping or len(alias) < 2 or alias not in name:
                continue
            if alias.isascii() and alias not in name.split():
                continue  # an English name counts as a whole word: "email" is not in "emails sent"
            rank = (name.endswith(alias), len(alias), fact)
            if best is None or rank > best:
                best = rank
        if best is not None:
            mapping[best[2]] = index
            taken.add(index)
    return mapping


def is_leads_header(header: Sequence[Any]) -> bool:
    """Whether a file's first row reads as leads (a way to reach people, or companies with contacts): the
    products import takes the files that do not (handlers/products.py routes by this)."""
    found = set(guess_mapping(header))
    return bool(found & {"phone", "email"}) or {"company", "contact_name"} <= found


def missing_columns(mapping: Mapping[str, int]) -> tuple[str, ...]:
    missing = [] if "company" in mapping else ["company"]
    if "phone" not in mapping and "email" not in mapping:
        missing.append(capture.REACH)
    return tuple(missing)


# --- one row ---------------------------------------------------------------------------------------------


def cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, float):  # a spreadsheet number: 13800138000.0 -> "13800138000"
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return str(value).strip()


@functools.lru_cache(maxsize=2048)
def read_source(text: str) -> LeadSource | None:
    """A source cell: a value of LeadSource, or what a rep would write (官网, 展会, 转介绍, trade show)."""
    try:
        return LeadSource(text.strip().lower())
    except ValueError:
        return parse_quick_capture(text).source


@functools.lru_cache(maxsize=2048)
def read_budget(text: str) -> tuple[Budget, str | None]:
    """A budget cell: "50万", "约30万", "500000", "未定", or a value of Budget."""
    try:
        return Budget(text.strip().lower()), None
    except ValueError:
        pass
    parsed = parse_quick_capture(f"预算{text}")
    if parsed.budget is not Budget.UNKNOWN:
        return parsed.budget, (parsed.budget_note or text)[:MAX_SHORT]
    return Budget.UNKNOWN, None


_YES: Final = frozenset({"是", "y", "yes", "true", "1", "√", "✓", "决策人", "能拍板"})
_NO: Final = frozenset({"否", "n", "no", "false", "0", "不是"})


@functools.lru_cache(maxsize=2048)
def read_authority(text: str) -> Authority:
    """A decision-maker cell: 是/否, yes/no, or a title (总经理 decides, 采购经理 influences)."""
    lowered = text.strip().lower()
    if lowered in _YES:
        return Authority.DECISION_MAKER
    if lowered in _NO:
        return Authority.NONE
    try:
        return Authority(lowered)
    except ValueError:
        return parse_quick_capture(text).authority


@functools.lru_cache(maxsize=2048)
def _timeline_words(text: str) -> Timeline:
    try:
        return Timeline(text.strip().lower())
    except ValueError:
        return parse_quick_capture(text).timeline


def read_timeline(value: Any, today: date) -> Timeline:
    """A timeline cell: words (本月上线, 下个月, next quarter) or a date, read against today."""
    if isinstance(value, datetime):
        value = value.date()
    if isinstance(value, date):
        months = (value.year - today.year) * 12 + value.month - today.month
        if months <= 0:
            return Timeline.THIS_MONTH
        return Timeline.THIS_QUARTER if months <= 3 else Timeline.LATER
    return _timeline_words(cell_text(value))


def read_row(
    cells: Mapping[str, Any], *, source: LeadSource | None, today: date
) -> dict[str, Any]:
    """One row's facts, each checked by the capture spec (InvalidInput says the first that is wrong).
    `source`: the one picked for the whole file; None reads the row's own source column."""
    text = {name: cell_text(value) for name, value in cells.items()}
    values = capture.draft_values()
    for name in ("company", "contact_name", "phone", "email", "need", "industry", "region", "product"):
        if text.get(name):
            values[name] = capture.clean(name, text[name])
    if not values["company"]:
        raise InvalidInput("error-lead-company", max=capture.MAX_COMPANY)
    capture.require_reach(values["phone"], values["email"])
    row_source = read_source(text["source"]) if source is None and text.get("source") else None
    values["source"] = (source or row_source or LeadSource.OTHER).value
    if text.get("budget"):
        budget, note = read_budget(text["budget"])
        values["budget"], values["budget_note"] = budget.value, note
    if text.get("authority"):
        values["authority"] = read_authority(text["authority"]).value
    if text.get("timeline"):
        values["timeline"] = read_timeline(cells["timeline"], today).value
    return values


def read_file(
    rows: Sequence[Sequence[Any]], mapping: Mapping[str, int], *, source: LeadSource | None, today: date
) -> tuple[list[ImportRow], list[RowProblem], int]:
    """Every data row of a file (the header first) read by `mapping`: the good ones, the bad ones with
    why, and how many rows past MAX_ROWS were left unread. Blank rows are skipped."""
    good: list[ImportRow] = []
    bad: list[RowProblem] = []
    data = rows[1:]
    skipped = max(0, len(data) - MAX_ROWS)
    for number, row in enumerate(data[:MAX_ROWS], start=2):
        cells = {name: row[index] if index < len(row) else None for name, index in mapping.items()}
        if not any(cell_text(value) for value in row):
            continue
        try:
            good.append(ImportRow(number, read_row(cells, source=source, today=today)))
        except InvalidInput as error:
            bad.append(RowProblem(number, error.code, dict(error.params), tuple(cell_text(v) for v in row)))
    return good, bad, skipped


# --- dedupe ----------------------------------------------------------------------------------------------


def _index(leads: Sequence[Lead]) -> dict[tuple[str, str], Lead]:
    known: dict[tuple[str, str], Lead] = {}
    for lead in leads:
        for kind, value in (("phone", lead.phone), ("email", lead.email), ("company", lead.company_key)):
            if value:
                known.setdefault((kind, value), lead)
    return known


async def _known(uow: UnitOfWork, team_id: int, rows: Sequence[ImportRow]) -> dict[tuple[str, str], Lead]:
    phones = [row.values["phone"] for row in rows if row.values.get("phone")]
    emails = [row.values["email"] for row in rows if row.values.get("email")]
    companies = [key for row in rows if (key := row.keys[2])]
    found = await uow.leads.in_team_matching(team_id, phones=phones, emails=emails, company_keys=companies)
    return _index(found)


def _match(row: ImportRow, known: Mapping[tuple[str, str], Any]) -> tuple[str, Any] | None:
    phone, email, company = row.keys
    for kind, value in (("phone", phone), ("email", email), ("company", company)):
        if value and (kind, value) in known:
            return kind, known[(kind, value)]
    return None


def sort_rows(
    rows: Sequence[ImportRow], known: Mapping[tuple[str, str], Lead]
) -> tuple[list[ImportRow], list[RowProblem]]:
    """New rows, and duplicates: a lead the team has (same phone, e-mail or company, as every capture
    compares), or a row earlier in the file."""
    new: list[ImportRow] = []
    duplicates: list[RowProblem] = []
    seen: dict[tuple[str, str], int] = {}
    for row in rows:
        hit = _match(row, known)
        if hit is not None:
            on, lead = hit
            duplicates.append(RowProblem(row.row, "import-dup-known", {
                "on": on, "company": lead.company, "id": lead.id or 0,
            }))
            continue
        earlier = _match(row, seen)
        if earlier is not None:
            on, first = earlier
            duplicates.append(RowProblem(row.row, "import-dup-in-file", {"on": on, "first": first}))
            continue
        new.append(row)
        phone, email, company = row.keys
        for kind, value in (("phone", phone), ("email", email), ("company", company)):
            if value:
                seen.setdefault((kind, value), row.row)
    return new, duplicates


# --- the services ---------------------------------------------------------------------------------------


async def plan_import(
    uow: UnitOfWork, *, actor: User, rows: Sequence[Sequence[Any]], mapping: Mapping[str, int] | None = None,
    source: LeadSource | None = None, now: datetime, today: date | None = None,
) -> ImportPlan:
    """What importing `rows` (the header first) into the actor's team would do; nothing is written.
    `mapping` (fact -> column) defaults to the guess from the header."""
    require(actor, Ability.MANAGE_INTEGRATIONS, "error-import-leads-role")
    header = tuple(cell_text(title) for title in (rows[0] if rows else ()))
    columns = dict(guess_mapping(header) if mapping is None else mapping)
    columns = {name: index for name, index in columns.items() if name in COLUMNS and 0 <= index < len(header)}
    missing = missing_columns(columns)
    if missing:
        return ImportPlan(header, columns, missing=missing)
    good, bad, skipped = read_file(rows, columns, source=source, today=today or now.date())
    new, duplicates = sort_rows(good, await _known(uow, actor.team_id, good))
    return ImportPlan(header, columns, tuple(new), tuple(duplicates), tuple(bad), skipped=skipped)


async def import_batch(
    uow: UnitOfWork, *, actor: User, rows: Sequence[ImportRow], channel: str, report: ImportReport, now: datetime
) -> None:
    """One batch of a confirmed import, in the caller's transaction: the rows looked up again, all at once
    (what an earlier batch, a second Confirm or a rep captured meanwhile is a duplicate now), and the new
    ones captured together as the HTTP intake captures each (leads/services.py capture_all_for_channel:
    the same rules, the writes in one statement per kind of row), recorded as brought in by the actor.
    Adds to `report`."""
    require(actor, Ability.MANAGE_INTEGRATIONS, "error-import-leads-role")
    team = await uow.teams.get(actor.team_id)
    if team is None or not actor.active:
        raise InvalidInput("error-import-leads-role")
    new, duplicates = sort_rows(rows, await _known(uow, actor.team_id, rows))
    report.duplicates.extend(duplicates)
    results = await capture_all_for_channel(
        uow, creator=actor, team=team, drafts=[replace(row.draft, keep_myself=False) for row in new], now=now,
        channel=channel, imported=True,
    )
    for row, captured in zip(new, results, strict=True):
        if isinstance(captured, InvalidInput):  # checked when read; a rule of the capture may still say no
            report.invalid.append(RowProblem(row.row, captured.code, dict(captured.params)))
            continue
        report.outcomes[captured.outcome.value] = report.outcomes.get(captured.outcome.value, 0) + 1
        if captured.outcome is CaptureOutcome.HANDOFF and captured.handoff is not None:
            rep = captured.handoff.to_user_id
            report.by_rep[rep] = report.by_rep.get(rep, 0) + 1
    report.done += len(rows)


async def finish_import(uow: UnitOfWork, *, actor: User, channel: str, report: ImportReport, now: datetime) -> int:
    """The file is done: the hand-off cards it queued may go (each rep's as one message), and the import
    is written to the audit trail. Returns how many cards were released."""
    team = await uow.teams.get(actor.team_id)
    released = await release_held(uow, Kind.HANDOFF_CARD_IMPORTED, team, now=now) if team is not None else 0
    await record(
        uow, now=now, action="leads.imported", entity="team", entity_id=actor.team_id, actor_id=actor.id,
        team_id=actor.team_id,
        after={
            "file": channel, "rows": report.total, "imported": report.imported, "outcomes": dict(report.outcomes),
            "duplicates": len(report.duplicates), "invalid": len(report.invalid),
        },
    )
    return released


def channel_name(file_name: str) -> str:
    """How the audit trail names the import: 导入:<file name>."""
    return f"导入:{one_line(file_name) or '?'}"[:64]
