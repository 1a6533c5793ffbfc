"""/products (managers, admins): the team's catalog — a paged list (`/products 关键字` searches), a
product's card with ✏️ edit and 🚫 deactivate / ✅ re-activate, ➕ add on the flow engine — and the import:
send a .csv or .xlsx file (columns in the README and domain/quotes/catalog.py), read the preview (what is
new, what changes, each bad row by its number), and only ✅ writes it. Importing the same file again
changes nothing (rows are matched by code). A file whose header another import recognises (leads:
handlers/imports.py) is routed there instead (DOCUMENT_ROUTES): one handler for every sent document."""

from __future__ import annotations

import csv
import enum
import io
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from typing import Any

from aiogram import Bot, F
from aiogram.filters import Command, CommandObject
from aiogram.filters.callback_data import CallbackData
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import CallbackQuery, Message

from bot.callbacks import Id, Page
from bot.formatting import h, money
from bot.i18n import Translate
from bot.keyboards import button, grid
from bot.routing import Routes
from domain.clock import Clock
from domain.errors import DomainError, InvalidInput
from domain.money import Money
from domain.permissions import Ability, can
from domain.ports import UnitOfWork
from domain.quotes import catalog
from domain.quotes import products as service
from domain.quotes.catalog import Change, ImportPlan
from domain.quotes.model import Product
from domain.quotes.text import percent_text
from domain.team.model import Language, User
from handlers.common import command_words, show
from handlers.flow import Choice, Ctx, Done, Flow, Rows, Step, Transition, typed

routes = Routes(__name__)
PER_PAGE = 8
SHOWN_IN_PREVIEW = 10
MAX_FILE_BYTES = 2_000_000


class ProdAct(enum.StrEnum):
    PAGE = "page"
    OPEN = "open"
    ADD = "add"
    EDIT = "edit"
    ACTIVE = "act"  # arg: "1" re-activate, "0" deactivate
    IMPORT = "imp"  # confirm the import on screen
    IMPORT_HELP = "imph"


class ProdCb(CallbackData, prefix="prd"):
    act: ProdAct
    id: Id = 0
    page: Page = 0
    arg: str = ""


class ProductImport(StatesGroup):
    confirming = State()


def product_line(t: Translate, product: Product) -> str:
    text = t("product-line", code=h(product.code), name=h(product.name_zh), unit=h(product.unit),
             price=money(product.list_price))
    return text if product.active else text + t("product-inactive-mark")


def product_card(t: Translate, product: Product) -> str:
    return t(
        "product-card", code=h(product.code), name=h(product.name_zh), name_en=h(product.name_en or "—"),
        unit=h(product.unit), price=money(product.list_price),
        floor=money(product.floor_price) if product.floor_price_minor else "—", cost=money(product.cost),
        tax=percent_text(product.tax_bp, bp=True), currency=product.currency, category=h(product.category or "—"),
        active=t("product-active-yes" if product.active else "product-active-no"),
    )


# --- the list and the card -----------------------------------------------------------------------------


async def show_list(
    event: Message | CallbackQuery, user: User, uow: UnitOfWork, t: Translate, state: FSMContext, page: int
) -> None:
    query = (await state.get_data()).get("products_q")
    found = await service.list_products(uow, viewer=user, query=query if isinstance(query, str) else None,
                                        page=page, per_page=PER_PAGE)
    pages = max(1, (found.total + PER_PAGE - 1) // PER_PAGE)
    page = min(page, pages - 1)
    title = t("products-title-search", query=h(query), total=found.total) if query else t("products-title", total=found.total)
    lines = [title]
    if pages > 1:
        lines.append(t("deals-page", page=page + 1, pages=pages))
    lines.append("")
    if not found.items:
        lines.append(t("products-empty"))
    buttons = []
    for number, product in enumerate(found.items, start=page * PER_PAGE + 1):
        lines.append(f"{number}. " + product_line(t, product))
        buttons.append(button(f"{number}. {product.code} · {product.name_zh}", ProdCb(act=ProdAct.OPEN, id=product.id or 0, page=page)))
    paging = []
    if page > 0:
        paging.append(button(t("btn-prev"), ProdCb(act=ProdAct.PAGE, page=page - 1)))
    if page < pages - 1:
        paging.append(button(t("btn-next"), ProdCb(act=ProdAct.PAGE, page=page + 1)))
    extra = [paging] if paging else []
    extra.append([button(t("products-btn-add"), ProdCb(act=ProdAct.ADD)),
                  button(t("products-btn-import"), ProdCb(act=ProdAct.IMPORT_HELP))])
    await show(event, "\n".join(lines), grid(buttons, per_row=1, extra_rows=extra))


@routes.message(Command("products"), F.chat.type == "private")
async def cmd_products(
    message: Message, command: CommandObject, user: User, uow: UnitOfWork, t: Translate, state: FSMContext
) -> None:
    await state.clear()
    if not can(user, Ability.MANAGE_CATALOG):
        await message.answer(t("error-catalog-role"))
        return
    query = command_words(command)
    if query:
        await state.set_data({"products_q": query})
    await show_list(message, user, uow, t, state, 0)


@routes.callback_query(ProdCb.filter(F.act == ProdAct.PAGE))
async def on_page(
    query: CallbackQuery, callback_data: ProdCb, user: User, uow: UnitOfWork, t: Translate, state: FSMContext
) -> None:
    await show_list(query, user, uow, t, state, max(0, callback_data.page))


async def show_card(event: Message | CallbackQuery, user: User, uow: UnitOfWork, t: Translate, product_id: int,
                    page: int, done: str = "") -> None:
    product = await service.product_for(uow, viewer=user, product_id=product_id)
    toggle = (button(t("products-btn-deactivate"), ProdCb(act=ProdAct.ACTIVE, id=product_id, page=page, arg="0"))
              if product.active else
              button(t("products-btn-activate"), ProdCb(act=ProdAct.ACTIVE, id=product_id, page=page, arg="1")))
    markup = grid([button(t("products-btn-edit"), ProdCb(act=ProdAct.EDIT, id=product_id, page=page)), toggle],
                  per_row=2, extra_rows=[[button(t("deal-btn-back-list"), ProdCb(act=ProdAct.PAGE, page=page))]])
    text = product_card(t, product)
    await show(event, f"{done}\n\n{text}" if done else text, markup)


@routes.callback_query(ProdCb.filter(F.act == ProdAct.OPEN))
async def on_open(query: CallbackQuery, callback_data: ProdCb, user: User, uow: UnitOfWork, t: Translate) -> None:
    await show_card(query, user, uow, t, callback_data.id, callback_data.page)


@routes.callback_query(ProdCb.filter(F.act == ProdAct.ACTIVE))
async def on_active(
    query: CallbackQuery, callback_data: ProdCb, user: User, uow: UnitOfWork, t: Translate, clock: Clock
) -> None:
    active = callback_data.arg == "1"
    await service.set_active(uow, actor=user, product_id=callback_data.id, active=active, now=clock.now())
    await show_card(query, user, uow, t, callback_data.id, callback_data.page,
                    t("products-done-activated" if active else "products-done-deactivated"))


# --- add and edit: a flow on the engine ------------------------------------------------------------------

FIELDS = ("code", "name_zh", "name_en", "unit", "price", "floor", "cost", "tax", "category")
UNITS = ("套", "个", "年", "天", "项", "次")


def product_screen(ctx: Ctx) -> str:
    head = ctx.t("products-edit-head" if ctx.data.get("product_id") else "products-add-head")
    return "\n".join([head, "", ctx.t(ctx.step.prompt)])


def _value(ctx: Ctx, name: str) -> str:
    value: Any = ctx.data.get(name)
    if value in (None, ""):
        return "—"
    if name in ("list_price_minor", "floor_price_minor", "cost_minor"):
        return money(Money(int(value)))
    if name == "tax_bp":
        return percent_text(int(value), bp=True)
    return h(str(value))


def review_screen(ctx: Ctx) -> str:
    head = ctx.t("products-edit-head" if ctx.data.get("product_id") else "products-add-head")
    return "\n".join([head, "", ctx.t(
        "products-review", code=_value(ctx, "code"), name=_value(ctx, "name_zh"), name_en=_value(ctx, "name_en"),
        unit=_value(ctx, "unit"), price=_value(ctx, "list_price_minor"), floor=_value(ctx, "floor_price_minor"),
        cost=_value(ctx, "cost_minor"), tax=_value(ctx, "tax_bp"), category=_value(ctx, "category"),
    )])


def review_keyboard(ctx: Ctx) -> Rows:
    t = ctx.t
    edits = [ctx.edit_button(t(f"products-field-{name}"), name) for name in FIELDS]
    return [[ctx.button(t("products-btn-save"), "save")], edits[:3], edits[3:6], edits[6:]]


async def on_save(ctx: Ctx, value: str) -> Transition:
    if value != "save":
        return Done(ctx.t("stale-button"))
    values = {name: ctx.data.get(name) for name in (
        "code", "name_zh", "name_en", "unit", "list_price_minor", "floor_price_minor", "cost_minor", "tax_bp", "category",
    )}
    product_id = ctx.data.get("product_id")
    if isinstance(product_id, int):
        product = await service.edit_product(ctx.uow, actor=ctx.user, product_id=product_id, changes=values,
                                             now=ctx.clock.now())
        done = ctx.t("products-done-edited", code=h(product.code))
    else:
        product = await service.add_product(ctx.uow, actor=ctx.user, values={**values, "active": True},
                                            now=ctx.clock.now())
        done = ctx.t("products-done-added", code=h(product.code))
    back = grid([button(t_open(ctx.t), ProdCb(act=ProdAct.OPEN, id=product.id or 0))], per_row=1)
    return Done(f"{done}\n\n{product_card(ctx.t, product)}", back)


def t_open(t: Translate) -> str:
    return t("products-btn-open")


def tax_choices(ctx: Ctx) -> list[Choice]:
    return [Choice(str(bp), percent_text(bp, bp=True), {"tax_bp": bp}) for bp in catalog.TAX_CHOICES_BP]


def unit_choices(ctx: Ctx) -> list[Choice]:
    return [Choice(unit, unit, {"unit": unit}) for unit in UNITS]


def money_step(field: str) -> Any:
    return typed(field, catalog.parse_price)


PRODUCT_FLOW = Flow(
    "prod",
    (
        Step("code", "products-ask-code", ("code",), parse=typed("code", catalog.parse_code),
             expect="products-expect-text"),
        Step("name_zh", "products-ask-name", ("name_zh",), parse=typed("name_zh", catalog.parse_name),
             expect="products-expect-text"),
        Step("name_en", "products-ask-name-en", ("name_en",), parse=typed("name_en", catalog.parse_name),
             optional=True, clears=True, expect="products-expect-text"),
        Step("unit", "products-ask-unit", ("unit",), parse=typed("unit", catalog.parse_unit), choices=unit_choices,
             expect="products-expect-text"),
        Step("price", "products-ask-price", ("list_price_minor",), parse=money_step("list_price_minor"),
             expect="products-expect-text"),
        Step("floor", "products-ask-floor", ("floor_price_minor",), parse=money_step("floor_price_minor"),
             optional=True, clears=True, expect="products-expect-text"),
        Step("cost", "products-ask-cost", ("cost_minor",), parse=money_step("cost_minor"),
             expect="products-expect-text"),
        Step("tax", "products-ask-tax", ("tax_bp",), parse=typed("tax_bp", catalog.parse_tax), choices=tax_choices,
             per_row=4, expect="products-expect-text"),
        Step("category", "products-ask-category", ("category",), parse=typed("category", catalog.parse_category),
             optional=True, clears=True, expect="products-expect-text"),
        Step("review", screen=review_screen, keyboard=review_keyboard, pick=on_save, edits=FIELDS, back=None,
             expect="expect-button"),
    ),
    screen=product_screen, plan=FIELDS, review="review", skip_label="products-btn-skip",
    keep_label="products-btn-keep", clear_label="products-btn-clear", mark_chosen="✓ ",
    refusal=lambda user: None if can(user, Ability.MANAGE_CATALOG) else "error-catalog-role",
)
PRODUCT_FLOW.install(routes)


@routes.callback_query(ProdCb.filter(F.act.in_({ProdAct.ADD, ProdAct.EDIT})))
async def on_add_or_edit(
    query: CallbackQuery, callback_data: ProdCb, user: User, uow: UnitOfWork, t: Translate, lang: Language,
    clock: Clock, state: FSMContext, bot: Bot,
) -> None:
    if not can(user, Ability.MANAGE_CATALOG):
        await query.answer(t("error-catalog-role"), show_alert=True)
        return
    ctx = PRODUCT_FLOW.context(query, state, bot, t, lang, uow, user, clock)
    if callback_data.act is ProdAct.ADD:
        await PRODUCT_FLOW.start(ctx, {"tax_bp": catalog.DEFAULT_TAX_BP})
        return
    product = await service.product_for(uow, viewer=user, product_id=callback_data.id)
    values: dict[str, Any] = {name: getattr(product, name) for name in (
        "code", "name_zh", "name_en", "unit", "list_price_minor", "floor_price_minor", "cost_minor", "tax_bp", "category",
    )}
    if not values["floor_price_minor"]:
        values["floor_price_minor"] = None
    await PRODUCT_FLOW.start(ctx, {**values, "product_id": product.id}, first="review")


# --- the import ----------------------------------------------------------------------------------------


@routes.callback_query(ProdCb.filter(F.act == ProdAct.IMPORT_HELP))
async def on_import_help(query: CallbackQuery, t: Translate) -> None:
    await query.answer()
    if isinstance(query.message, Message):
        await query.message.answer(t("products-import-help"))


def read_rows(name: str, data: bytes) -> list[list[Any]]:
    """The rows of a .csv (UTF-8, or GBK as Excel in China saves it) or of an .xlsx's first sheet."""
    lower = name.lower()
    if lower.endswith(".csv"):
        for encoding in ("utf-8-sig", "gb18030"):
            try:
                text = data.decode(encoding)
                break
            except UnicodeDecodeError:
                continue
        else:
            raise InvalidInput("error-import-unreadable")
        return [list(row) for row in csv.reader(io.StringIO(text))]
    if lower.endswith(".xlsx"):
        from openpyxl import load_workbook  # imported when a spreadsheet comes, not at start

        try:
            book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        except Exception:  # a damaged or disguised file: openpyxl raises many kinds
            raise InvalidInput("error-import-unreadable") from None
        sheet = book.worksheets[0]
        rows = [list(row) for row in sheet.iter_rows(values_only=True)]
        book.close()
        return rows
    raise InvalidInput("error-import-file")


def preview_text(t: Translate, plan: ImportPlan) -> str:
    if plan.missing:
        return t("products-import-missing", columns=", ".join(plan.missing))
    lines = [t("products-import-preview", new=plan.count(Change.NEW), changed=plan.count(Change.CHANGED),
               same=plan.count(Change.UNCHANGED), errors=len(plan.errors))]
    for row in [r for r in plan.rows if r.change is Change.NEW][:SHOWN_IN_PREVIEW]:
        lines.append(t("products-import-new", row=row.row, code=h(row.values["code"]), name=h(row.values["name_zh"]),
                       price=money(Money(row.values["list_price_minor"], row.values["currency"]))))
    for row in [r for r in plan.rows if r.change is Change.CHANGED][:SHOWN_IN_PREVIEW]:
        fields = t("list-separator").join(t(f"products-col-{name}") for name in row.changed)
        lines.append(t("products-import-changed", row=row.row, code=h(row.values["code"]), fields=fields))
    for error in plan.errors[: SHOWN_IN_PREVIEW * 2]:
        params = {k: str(v) for k, v in error.params.items()}
        lines.append(t("products-import-error", row=error.row, problem=t(error.code, **params)))
    if len(plan.errors) > SHOWN_IN_PREVIEW * 2:
        lines.append(t("products-import-more-errors", count=len(plan.errors) - SHOWN_IN_PREVIEW * 2))
    lines.append("")
    lines.append(t("products-import-confirm-hint") if plan.writes else t("products-import-nothing"))
    return "\n".join(lines)


@dataclass(frozen=True)
class SentFile:
    """A .csv / .xlsx a person sent, read: what a document route gets."""

    message: Message
    name: str
    file_id: str
    rows: list[list[Any]]


@dataclass(frozen=True)
class DocumentRoute:
    """Another import that takes the files whose header it recognises (e.g. leads: handlers/imports.py).
    `allowed` says whether the person may use it (else `refusal` is their answer); `handle` gets the
    file with the handler's own dependencies (user, uow, t, state, bot, ...)."""

    claims: Callable[[Sequence[Any]], bool]
    allowed: Callable[[User], bool]
    refusal: str
    handle: Callable[..., Awaitable[None]]


# Files are routed by their header: the first route that claims it takes it, the catalog import the rest.
DOCUMENT_ROUTES: list[DocumentRoute] = []


def route_documents(route: DocumentRoute) -> None:
    DOCUMENT_ROUTES.append(route)


async def download(bot: Bot, file_id: str, name: str) -> list[list[Any]]:
    buffer = io.BytesIO()
    await bot.download(file_id, destination=buffer)
    return read_rows(name, buffer.getvalue())


@routes.message(F.document, F.chat.type == "private")
async def on_document(
    message: Message, user: User, uow: UnitOfWork, t: Translate, state: FSMContext, bot: Bot, **deps: Any
) -> None:
    if not can(user, Ability.MANAGE_CATALOG) and not any(route.allowed(user) for route in DOCUMENT_ROUTES):
        await message.answer(t("products-import-not-allowed"))
        return
    document = message.document
    assert document is not None
    name = document.file_name or ""
    if not name.lower().endswith((".csv", ".xlsx")):
        await message.answer(t("error-import-file"))
        return
    if (document.file_size or 0) > MAX_FILE_BYTES:
        await message.answer(t("error-import-unreadable"))
        return
    try:
        rows = await download(bot, document.file_id, name)
    except DomainError as error:
        await message.answer(t(error.code, **{k: str(v) for k, v in error.params.items()}))
        return
    for route in DOCUMENT_ROUTES:
        if route.claims(rows[0] if rows else ()):
            if not route.allowed(user):
                await message.answer(t(route.refusal))
                return
            sent = SentFile(message, name, document.file_id, rows)
            await route.handle(sent, user=user, uow=uow, t=t, state=state, bot=bot, **deps)
            return
    if not can(user, Ability.MANAGE_CATALOG):
        await message.answer(t("products-import-not-allowed"))
        return
    try:
        plan = await service.plan_catalog_import(uow, actor=user, rows=rows)
    except DomainError as error:
        await message.answer(t(error.code, **{k: str(v) for k, v in error.params.items()}))
        return
    await state.clear()
    buttons = []
    if plan.writes:
        await state.set_state(ProductImport.confirming)
        await state.set_data({"rows": [row.values for row in plan.writes], "file": name})
        buttons.append(button(t("products-btn-import-confirm", count=len(plan.writes)), ProdCb(act=ProdAct.IMPORT)))
    await message.answer(preview_text(t, plan), reply_markup=grid(buttons, t, per_row=1))


@routes.callback_query(ProductImport.confirming, ProdCb.filter(F.act == ProdAct.IMPORT))
async def on_import(
    query: CallbackQuery, user: User, uow: UnitOfWork, t: Translate, clock: Clock, state: FSMContext
) -> None:
    rows = (await state.get_data()).get("rows")
    if not isinstance(rows, list):
        await query.answer(t("stale-button"), show_alert=True)
        return
    added, changed = await service.apply_import(uow, actor=user, planned=rows, now=clock.now())
    await state.clear()
    await show(query, t("products-import-done", added=added, changed=changed))


@routes.callback_query(ProdCb.filter(F.act == ProdAct.IMPORT))
async def on_import_stale(query: CallbackQuery, t: Translate) -> None:
    await query.answer(t("stale-button"), show_alert=True)


