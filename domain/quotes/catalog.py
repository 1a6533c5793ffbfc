"""The catalog's rules: what a product's fields may hold, how typed values are read, and the plan of a
CSV/XLSX import (what will be added or changed, and each bad row's problem by its row number) before
anything is written. Reading the file itself (csv, openpyxl) is the chat layer's; this gets its rows.

Import columns (the first row names them; English or Chinese, any order, extra columns ignored; an optional
column the file lacks leaves a known product's value as it is, and gives a new one the default):

| column        | 中文        | required | example        |
|---------------|-------------|----------|----------------|
| code          | 编码        | yes      | CRM-PRO        |
| name_zh       | 名称        | yes      | CRM 专业版     |
| name_en       | 英文名称    |          | CRM Pro        |
| unit          | 单位        | yes      | 套             |
| list_price    | 标价        | yes      | 12800          |
| floor_price   | 底价        |          | 9800           |
| cost          | 成本        | yes      | 4000           |
| tax_rate      | 税率        |          | 13%            |
| currency      | 币种        |          | CNY            |
| active        | 启用        |          | 是 / 否        |
| category      | 类别        |          | 软件           |
"""

from __future__ import annotations

import enum
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any, Final

from domain.errors import InvalidInput
from domain.money import DEFAULT_CURRENCY, InexactAmount, parse_money
from domain.quotes.model import PRODUCT_FIELDS, Product

MAX_CODE: Final = 32
MAX_NAME: Final = 100
MAX_UNIT: Final = 16
MAX_CATEGORY: Final = 32
MAX_IMPORT_ROWS: Final = 2000
MAX_QUANTITY: Final = 1_000_000
DEFAULT_TAX_BP: Final = 1300
TAX_CHOICES_BP: Final = (1300, 900, 600, 0)  # China's VAT rates, for buttons
_CODE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._/-]*$")


# --- reading typed values ------------------------------------------------------------------------------


def parse_code(text: str) -> str:
    code = text.strip()
    if not code or len(code) > MAX_CODE or not _CODE.match(code):
        raise InvalidInput("error-product-code", max=MAX_CODE)
    return code


def _text(text: str, limit: int, code: str) -> str:
    cleaned = " ".join(text.split())
    if not cleaned or len(cleaned) > limit:
        raise InvalidInput(code, max=limit)
    return cleaned


def parse_name(text: str) -> str:
    return _text(text, MAX_NAME, "error-product-name")


def parse_unit(text: str) -> str:
    return _text(text, MAX_UNIT, "error-product-unit")


def parse_category(text: str) -> str:
    return _text(text, MAX_CATEGORY, "error-product-category")


def parse_price(text: str, currency: str = DEFAULT_CURRENCY) -> int:
    """A price per unit, as people type it ("12800", "1.28万", "¥12,800.00"), in minor units; not negative."""
    try:
        amount = parse_money(text, currency)
    except InexactAmount:
        raise InvalidInput("error-product-price") from None
    except ValueError:
        raise InvalidInput("error-product-price") from None
    if amount.currency != currency or amount.minor < 0:
        raise InvalidInput("error-product-price")
    return amount.minor


def _percent(text: str, code: str, *, fraction_ok: bool = False) -> int:
    cleaned = text.strip().replace("％", "%").removesuffix("%").strip()
    try:
        value = Decimal(cleaned)
    except InvalidOperation:
        raise InvalidInput(code) from None
    if not value.is_finite():
        raise InvalidInput(code)
    if fraction_ok and "%" not in text and 0 < value < 1:
        value *= 100  # 0.13 is 13%
    bp = value * 100
    if not 0 <= value <= 100 or bp != bp.to_integral_value():
        raise InvalidInput(code)
    return int(bp)


def parse_tax(text: str) -> int:
    """A tax rate in basis points: "13%", "13", "0.13" -> 1300."""
    return _percent(text, "error-product-tax", fraction_ok=True)


def parse_discount(text: str) -> int:
    """A discount in basis points: "12.5", "12.5%" -> 1250; 0..100%, to 0.01%."""
    return _percent(text, "error-quote-discount")


def parse_quantity(text: str) -> int:
    cleaned = text.strip().replace(",", "")
    if not cleaned.isdigit() or not 1 <= int(cleaned) <= MAX_QUANTITY:
        raise InvalidInput("error-quote-quantity", max=MAX_QUANTITY)
    return int(cleaned)


_YES = {"1", "y", "yes", "true", "是", "启用", "有效", "active", "on"}
_NO = {"0", "n", "no", "false", "否", "停用", "无效", "inactive", "off"}


def parse_active(text: str) -> bool:
    value = text.strip().lower()
    if value in _YES:
        return True
    if value in _NO:
        return False
    raise InvalidInput("error-product-active")


def check_product(values: Mapping[str, Any]) -> None:
    """A product's fields hold together: the floor is not above the list price."""
    floor = int(values.get("floor_price_minor") or 0)
    if floor > int(values["list_price_minor"]):
        raise InvalidInput("error-product-floor")


# --- the import plan ------------------------------------------------------------------------------------


COLUMNS: Final[dict[str, tuple[str, ...]]] = {
    "code": ("code", "sku", "编码", "产品编码"),
    "name_zh": ("name_zh", "name", "名称", "产品名称", "中文名称"),
    "name_en": ("name_en", "english name", "英文名称", "英文名"),
    "unit": ("unit", "单位"),
    "list_price": ("list_price", "price", "标价", "单价", "价格"),
    "floor_price": ("floor_price", "floor", "底价", "最低价"),
    "cost": ("cost", "成本"),
    "tax_rate": ("tax_rate", "tax", "税率"),
    "currency": ("currency", "币种"),
    "active": ("active", "启用", "状态"),
    "category": ("category", "类别", "分类"),
}
REQUIRED: Final = ("code", "name_zh", "unit", "list_price", "cost")
# Optional columns and the product fields they set. A column the file lacks keeps an existing product's value.
OPTIONAL_FIELDS: Final = {
    "name_en": "name_en", "floor_price": "floor_price_minor", "tax_rate": "tax_bp", "currency": "currency",
    "active": "active", "category": "category",
}


class Change(enum.StrEnum):
    NEW = "new"
    CHANGED = "changed"
    UNCHANGED = "unchanged"


@dataclass(frozen=True)
class RowError:
    row: int  # as the spreadsheet numbers it: the header is row 1
    code: str  # a message code
    params: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class PlannedRow:
    row: int
    change: Change
    values: dict[str, Any]  # PRODUCT_FIELDS, plain values (they wait in the chat's state until confirmed)
    changed: tuple[str, ...] = ()  # the fields that differ from the product of that code


@dataclass(frozen=True)
class ImportPlan:
    rows: tuple[PlannedRow, ...] = ()
    errors: tuple[RowError, ...] = ()
    missing: tuple[str, ...] = ()  # required columns the header lacks: nothing is read then

    def count(self, change: Change) -> int:
        return sum(1 for row in self.rows if row.change is change)

    @property
    def writes(self) -> tuple[PlannedRow, ...]:
        return tuple(row for row in self.rows if row.change is not Change.UNCHANGED)


def _columns(header: Sequence[str]) -> dict[str, int]:
    found: dict[str, int] = {}
    for index, title in enumerate(header):
        name = " ".join(str(title or "").split()).lower()
        for column, aliases in COLUMNS.items():
            if name in aliases and column not in found:
                found[column] = index
    return found


def _read_row(cells: Mapping[str, str], currency_default: str) -> dict[str, Any]:
    currency = (cells.get("currency") or "").strip().upper() or currency_default
    if not re.fullmatch(r"[A-Z]{3}", currency):
        raise InvalidInput("error-product-currency")
    values: dict[str, Any] = {
        "code": parse_code(cells.get("code", "")),
        "name_zh": parse_name(cells.get("name_zh", "")),
        "name_en": parse_name(cells["name_en"]) if (cells.get("name_en") or "").strip() else None,
        "unit": parse_unit(cells.get("unit", "")),
        "list_price_minor": parse_price(cells.get("list_price", ""), currency),
        "floor_price_minor": parse_price(cells["floor_price"], currency) if (cells.get("floor_price") or "").strip() else 0,
        "cost_minor": parse_price(cells.get("cost", ""), currency),
        "tax_bp": parse_tax(cells["tax_rate"]) if (cells.get("tax_rate") or "").strip() else DEFAULT_TAX_BP,
        "currency": currency,
        "active": parse_active(cells["active"]) if (cells.get("active") or "").strip() else True,
        "category": parse_category(cells["category"]) if (cells.get("category") or "").strip() else None,
    }
    check_product(values)
    return values


def differences(product: Product, values: Mapping[str, Any]) -> tuple[str, ...]:
    return tuple(name for name in PRODUCT_FIELDS if getattr(product, name) != values[name])


def plan_import(
    rows: Sequence[Sequence[Any]], existing: Mapping[str, Product], currency: str = DEFAULT_CURRENCY
) -> ImportPlan:
    """What importing `rows` (the header first) would do to a catalog holding `existing` (by code).

    Blank rows are skipped; a bad row is reported by its number and skipped, the others still planned;
    a code seen twice in the file is an error on its second row. Nothing is written here."""
    if not rows:
        return ImportPlan(missing=REQUIRED)
    columns = _columns([str(c) if c is not None else "" for c in rows[0]])
    missing = tuple(name for name in REQUIRED if name not in columns)
    if missing:
        return ImportPlan(missing=missing)
    planned: list[PlannedRow] = []
    errors: list[RowError] = []
    seen: dict[str, int] = {}
    data = rows[1:]
    if len(data) > MAX_IMPORT_ROWS:
        errors.append(RowError(MAX_IMPORT_ROWS + 2, "error-import-too-many", {"max": MAX_IMPORT_ROWS}))
        data = data[:MAX_IMPORT_ROWS]
    for number, row in enumerate(data, start=2):
        cells = {name: _cell(row, index) for name, index in columns.items()}
        if not any(value.strip() for value in cells.values()):
            continue
        try:
            values = _read_row(cells, currency)
        except InvalidInput as error:
            errors.append(RowError(number, error.code, dict(error.params)))
            continue
        code = values["code"]
        product = existing.get(code)
        if product is not None:  # an optional column the file lacks leaves the product's value as it is
            for column, name in OPTIONAL_FIELDS.items():
                if column not in columns:
                    values[name] = getattr(product, name)
            try:
                check_product(values)
            except InvalidInput as error:
                errors.append(RowError(number, error.code, dict(error.params)))
                continue
        if code in seen:
            errors.append(RowError(number, "error-import-duplicate", {"code": code, "first": seen[code]}))
            continue
        seen[code] = number
        if product is None:
            planned.append(PlannedRow(number, Change.NEW, values))
        else:
            changed = differences(product, values)
            planned.append(PlannedRow(number, Change.CHANGED if changed else Change.UNCHANGED, values, changed))
    return ImportPlan(tuple(planned), tuple(errors))


def _cell(row: Sequence[Any], index: int) -> str:
    if index >= len(row) or row[index] is None:
        return ""
    value = row[index]
    if isinstance(value, float):  # a spreadsheet number: 12800.0 -> "12800", 0.13 -> "0.13"
        text = repr(value)
        return text[:-2] if text.endswith(".0") else text
    return str(value)
