"""The catalog's use cases: list and search, add, edit, deactivate, and the CSV/XLSX import (planned
first, written only when confirmed, matched by code so importing the same file twice changes nothing)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

from domain.audit import record, snapshot
from domain.errors import Forbidden, InvalidInput, NotFound
from domain.permissions import Ability, can, require
from domain.ports import UnitOfWork
from domain.quotes import catalog
from domain.quotes.catalog import ImportPlan, plan_import
from domain.quotes.model import PRODUCT_FIELDS, Product, ProductPage
from domain.team.model import User

MAX_PER_PAGE = 50
MIN_SEARCH = 2  # characters of a name or code before the catalog is searched


def clean_values(values: Mapping[str, Any]) -> dict[str, Any]:
    """A product's fields checked again as the service sees them (the chat parsed them already)."""
    try:
        cleaned: dict[str, Any] = {
            "code": catalog.parse_code(str(values["code"])),
            "name_zh": catalog.parse_name(str(values["name_zh"])),
            "name_en": catalog.parse_name(str(values["name_en"])) if values.get("name_en") else None,
            "unit": catalog.parse_unit(str(values["unit"])),
            "list_price_minor": _amount(values["list_price_minor"]),
            "floor_price_minor": _amount(values.get("floor_price_minor") or 0),
            "cost_minor": _amount(values["cost_minor"]),
            "tax_bp": int(values.get("tax_bp", catalog.DEFAULT_TAX_BP)),
            "currency": str(values.get("currency") or "CNY"),
            "active": bool(values.get("active", True)),
            "category": catalog.parse_category(str(values["category"])) if values.get("category") else None,
        }
    except KeyError as missing:
        raise InvalidInput("error-product-missing", field=str(missing)) from None
    if not 0 <= cleaned["tax_bp"] <= 10_000:
        raise InvalidInput("error-product-tax")
    catalog.check_product(cleaned)
    return cleaned


def _amount(value: Any) -> int:
    if type(value) is not int or value < 0:
        raise InvalidInput("error-product-price")
    return value


async def list_products(
    uow: UnitOfWork, *, viewer: User, query: str | None = None, page: int = 0, per_page: int = 8,
    active_only: bool = False,
) -> ProductPage:
    """The viewer's team's products by code; only active ones for whoever may not maintain the catalog."""
    if not viewer.active:
        raise Forbidden()
    per_page = max(1, min(per_page, MAX_PER_PAGE))
    text = " ".join((query or "").split()) or None
    if text is not None and len(text) < MIN_SEARCH:
        raise InvalidInput("error-product-search-short", min=MIN_SEARCH)
    only_active = active_only or not can(viewer, Ability.MANAGE_CATALOG)
    return await uow.products.page(
        viewer.team_id, query=text, active_only=only_active, offset=max(0, page) * per_page, limit=per_page
    )


async def product_for(uow: UnitOfWork, *, viewer: User, product_id: int) -> Product:
    product = await uow.products.get(product_id)
    if product is None:
        raise NotFound("error-product-not-found")
    if product.team_id != viewer.team_id or not viewer.active:
        raise Forbidden("error-other-team")
    return product


async def add_product(uow: UnitOfWork, *, actor: User, values: Mapping[str, Any], now: datetime) -> Product:
    require(actor, Ability.MANAGE_CATALOG, "error-catalog-role")
    cleaned = clean_values(values)
    if await uow.products.by_codes(actor.team_id, [cleaned["code"]]):
        raise InvalidInput("error-product-code-taken", product=cleaned["code"])
    product = await uow.products.add(Product(team_id=actor.team_id, created_at=now, updated_at=now, **cleaned))
    await record(
        uow, now=now, action="product.added", entity="product", entity_id=product.id, actor_id=actor.id,
        team_id=actor.team_id, after=snapshot(product, *PRODUCT_FIELDS),
    )
    return product


async def edit_product(
    uow: UnitOfWork, *, actor: User, product_id: int, changes: Mapping[str, Any], now: datetime
) -> Product:
    """Change some fields of a product (its code too, unless another product has it)."""
    require(actor, Ability.MANAGE_CATALOG, "error-catalog-role")
    product = await product_for(uow, viewer=actor, product_id=product_id)
    unknown = set(changes) - set(PRODUCT_FIELDS)
    if unknown:
        raise InvalidInput("error-product-missing", field=", ".join(sorted(unknown)))
    cleaned = clean_values({**{name: getattr(product, name) for name in PRODUCT_FIELDS}, **changes})
    if cleaned["code"] != product.code and await uow.products.by_codes(actor.team_id, [cleaned["code"]]):
        raise InvalidInput("error-product-code-taken", product=cleaned["code"])
    before = snapshot(product, *PRODUCT_FIELDS)
    for name, value in cleaned.items():
        setattr(product, name, value)
    product.updated_at = now
    after = snapshot(product, *PRODUCT_FIELDS)
    changed = {k for k in after if after[k] != before[k]}
    if changed:
        await record(
            uow, now=now, action="product.edited", entity="product", entity_id=product.id, actor_id=actor.id,
            team_id=product.team_id, before={k: before[k] for k in changed}, after={k: after[k] for k in changed},
        )
    return product


async def set_active(uow: UnitOfWork, *, actor: User, product_id: int, active: bool, now: datetime) -> Product:
    """Deactivate (it leaves the builder's search; quotes that have it keep it) or re-activate."""
    return await edit_product(uow, actor=actor, product_id=product_id, changes={"active": active}, now=now)


async def plan_catalog_import(uow: UnitOfWork, *, actor: User, rows: Sequence[Sequence[Any]]) -> ImportPlan:
    """What importing these rows (a file's, the header first) would change in the actor's team's catalog."""
    require(actor, Ability.MANAGE_CATALOG, "error-catalog-role")
    existing = {p.code: p for p in await uow.products.all_codes(actor.team_id)}
    return plan_import(rows, existing)


async def apply_import(
    uow: UnitOfWork, *, actor: User, planned: Sequence[Mapping[str, Any]], now: datetime
) -> tuple[int, int]:
    """Write a confirmed plan's rows: a new code is added, a known one updated where it differs. Checked
    again against the catalog as it is now, so a repeated confirmation changes nothing. Returns (added,
    changed)."""
    require(actor, Ability.MANAGE_CATALOG, "error-catalog-role")
    rows = [clean_values(values) for values in planned]
    existing = {p.code: p for p in await uow.products.by_codes(actor.team_id, [r["code"] for r in rows])}
    added = changed = 0
    for values in rows:
        product = existing.get(values["code"])
        if product is None:
            product = await uow.products.add(Product(team_id=actor.team_id, created_at=now, updated_at=now, **values))
            existing[product.code] = product
            added += 1
        elif catalog.differences(product, values):
            for name, value in values.items():
                setattr(product, name, value)
            product.updated_at = now
            changed += 1
    if added or changed:
        await record(
            uow, now=now, action="product.imported", entity="catalog", entity_id=actor.team_id, actor_id=actor.id,
            team_id=actor.team_id, after={"added": added, "changed": changed, "codes": [r["code"] for r in rows][:200]},
        )
    return added, changed
