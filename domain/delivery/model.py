"""Delivery checklists (交付清单): when a deal reaches delivery, the team's template becomes the deal's
checklist, each item with an owner (the deal's owner, or a named colleague) and a due date counted in
the team's working days from the start. The acceptance sign-off (验收签字) closes delivery."""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import datetime
from typing import Final


class ItemKey(enum.StrEnum):
    KICKOFF = "kickoff"  # 启动会
    INSTALL = "install"  # 安装部署
    TRAINING = "training"  # 培训
    ACCEPTANCE = "acceptance"  # 验收签字: closes delivery
    CUSTOM = "custom"  # a team's own item, named in its template


@dataclass(frozen=True)
class TemplateItem:
    """One line of a team's checklist template: due `days` working days after delivery starts; owned by
    `owner_id` (a colleague) or, when None, the deal's owner."""

    key: ItemKey
    days: int
    name: str | None = None  # a CUSTOM item's name
    owner_id: int | None = None


DEFAULT_TEMPLATE: Final = (
    TemplateItem(ItemKey.KICKOFF, 1),
    TemplateItem(ItemKey.INSTALL, 5),
    TemplateItem(ItemKey.TRAINING, 8),
    TemplateItem(ItemKey.ACCEPTANCE, 10),
)
MAX_DAYS: Final = 120
MAX_NAME: Final = 60
MAX_ITEMS: Final = 12


@dataclass(eq=False)
class TemplateRow:
    """A team's template line as stored (the default template until a manager sets one)."""

    team_id: int
    position: int
    key: ItemKey
    days: int
    name: str | None = None
    owner_id: int | None = None
    id: int | None = None


@dataclass(eq=False)
class DeliveryItem:
    team_id: int
    opportunity_id: int
    position: int
    key: ItemKey
    owner_id: int
    created_at: datetime
    due_at: datetime  # the end of the due day's working hours
    name: str | None = None
    done_at: datetime | None = None
    done_by: int | None = None
    document: str | None = None  # the sign-off's "photo:<file id>" or "file:<file id>"
    nudge_stage: int = 0  # 0 nothing said; 1 the owner was nudged (due today); 2 the managers told (overdue)
    check_at: datetime | None = None  # the delivery sweep looks at it then
    id: int | None = None

    @property
    def done(self) -> bool:
        return self.done_at is not None

    @property
    def is_acceptance(self) -> bool:
        return self.key is ItemKey.ACCEPTANCE


@dataclass(frozen=True)
class AgendaItem:
    """An open item for its owner's morning agenda."""

    owner_id: int
    item_id: int
    key: ItemKey
    name: str | None
    company: str
    due_at: datetime
