"""A team's delivery checklist template, edited one change at a time (the chat screen: /policy → 📦 交付清单模板).

Each change reads the template as it stands (the default until a manager sets one), changes one line and
saves the whole through `set_template`, which keeps its rules (1-12 items, the acceptance sign-off exactly
once, names, days, colleagues of the team). A change names the template it was made on by its `version`
(a fingerprint of the lines): a press on an older screen, or the same press twice, changes nothing and
says so, instead of moving or removing a different line."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Final

from domain.delivery.model import ItemKey, TemplateItem
from domain.delivery.services import set_template, template_of
from domain.errors import AlreadyDone, Forbidden, InvalidInput
from domain.permissions import manages_team
from domain.ports import UnitOfWork
from domain.team.model import User
from domain.team.people import name_of
from domain.text import one_line

VERSIONS: Final = 10_000  # a version travels in a button: a small number


def version(items: Sequence[TemplateItem]) -> int:
    """A fingerprint of the template's lines (their kind, name, days and owner, in order)."""
    text = "|".join(f"{i.key.value}:{i.name or ''}:{i.days}:{i.owner_id or 0}" for i in items)
    return int(hashlib.sha256(text.encode()).hexdigest()[:8], 16) % VERSIONS


@dataclass(frozen=True)
class TemplateView:
    items: list[TemplateItem]
    owners: dict[int, str]  # the colleagues the template names
    version: int


def _require_manager(actor: User, team_id: int) -> None:
    if not actor.active or not manages_team(actor, team_id):
        raise Forbidden("error-delivery-template-role")


async def template_view(uow: UnitOfWork, *, viewer: User, team_id: int) -> TemplateView:
    _require_manager(viewer, team_id)
    items = await template_of(uow, team_id)
    owners = {i.owner_id: await name_of(uow, i.owner_id) for i in items if i.owner_id is not None}
    return TemplateView(items, owners, version(items))


async def _current(uow: UnitOfWork, actor: User, team_id: int, seen: int) -> list[TemplateItem]:
    _require_manager(actor, team_id)
    items = await template_of(uow, team_id)
    if version(items) != seen:
        raise AlreadyDone("error-delivery-template-stale")
    return items


def _at(items: list[TemplateItem], index: int) -> TemplateItem:
    if not 0 <= index < len(items):
        raise AlreadyDone("error-delivery-template-stale")
    return items[index]


async def move_item(
    uow: UnitOfWork, *, actor: User, team_id: int, index: int, up: bool, seen: int, now: datetime
) -> list[TemplateItem]:
    """Line `index` one place up (or down)."""
    items = await _current(uow, actor, team_id, seen)
    _at(items, index)
    other = index - 1 if up else index + 1
    if not 0 <= other < len(items):
        raise InvalidInput("error-delivery-template-edge")
    items[index], items[other] = items[other], items[index]
    return await set_template(uow, actor=actor, team_id=team_id, items=items, now=now)


async def remove_item(
    uow: UnitOfWork, *, actor: User, team_id: int, index: int, seen: int, now: datetime
) -> list[TemplateItem]:
    """Line `index` out (never the acceptance sign-off, which closes delivery)."""
    items = await _current(uow, actor, team_id, seen)
    if _at(items, index).key is ItemKey.ACCEPTANCE:
        raise InvalidInput("error-delivery-template-keep-acceptance")
    del items[index]
    return await set_template(uow, actor=actor, team_id=team_id, items=items, now=now)


def read_item_name(text: str) -> str:
    """A new line's name (checked again, with the rest, when it is saved)."""
    name = one_line(text)
    if not name:
        raise InvalidInput("error-delivery-item-name", max=60)
    return name


async def add_item(
    uow: UnitOfWork, *, actor: User, team_id: int, name: str, days: int, owner_id: int | None, now: datetime
) -> list[TemplateItem]:
    """A new line of the team's own, before the acceptance sign-off when that comes last."""
    _require_manager(actor, team_id)
    items = await template_of(uow, team_id)
    new = TemplateItem(ItemKey.CUSTOM, days, read_item_name(name), owner_id)
    at = len(items) - 1 if items and items[-1].key is ItemKey.ACCEPTANCE else len(items)
    items.insert(at, new)
    return await set_template(uow, actor=actor, team_id=team_id, items=items, now=now)


async def set_item_owner(
    uow: UnitOfWork, *, actor: User, team_id: int, index: int, owner_id: int | None, seen: int, now: datetime
) -> list[TemplateItem]:
    """Who line `index` belongs to in new checklists: a named colleague, or (None) the deal's owner."""
    items = await _current(uow, actor, team_id, seen)
    items[index] = replace(_at(items, index), owner_id=owner_id)
    return await set_template(uow, actor=actor, team_id=team_id, items=items, now=now)
