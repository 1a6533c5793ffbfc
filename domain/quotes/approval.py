"""Who must approve a quote's discount (折扣审批), in what order, and who may.

The team's policy (QuotePolicy) sets the tiers; with the defaults:

| the quote                                              | approval                     |
|--------------------------------------------------------|------------------------------|
| total discount under 10%, margin at or above 15%       | none                         |
| 10% up to under 20%                                    | the team's manager           |
| 20% and over, or a gross margin under the floor (15%)  | the manager, then an admin   |
| any line under its product's floor price               | at least the manager         |

An approval step of level MANAGER is decided by a manager of the quote's team or an admin; ADMIN by an
admin. Nobody decides a step of their own quote.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass

from domain.permissions import manages_team
from domain.quotes.model import Level, QuotePolicy
from domain.quotes.pricing import Totals
from domain.team.model import Role, User


class Why(enum.StrEnum):
    """Why a quote needs approval (shown on the card)."""

    DISCOUNT = "discount"  # the total discount reached a tier
    MARGIN = "margin"  # the gross margin is under the team's floor
    FLOOR = "floor"  # a line is under its floor price


@dataclass(frozen=True)
class Route:
    levels: tuple[Level, ...]
    why: tuple[Why, ...]

    @property
    def needed(self) -> bool:
        return bool(self.levels)


BOTH = (Level.MANAGER, Level.ADMIN)


def route(totals: Totals, policy: QuotePolicy) -> Route:
    """The approval levels a quote priced `totals` needs under `policy`, in order, and why."""
    why: list[Why] = []
    levels: tuple[Level, ...] = ()
    if reaches(totals, policy.admin_from_bp):
        why.append(Why.DISCOUNT)
        levels = BOTH
    elif reaches(totals, policy.manager_from_bp):
        why.append(Why.DISCOUNT)
        levels = (Level.MANAGER,)
    if under_margin_floor(totals, policy.margin_floor_bp):
        why.append(Why.MARGIN)
        levels = BOTH
    if totals.floor_breaches:
        why.append(Why.FLOOR)
        levels = levels or (Level.MANAGER,)
    return Route(levels, tuple(why))


def reaches(totals: Totals, tier_bp: int) -> bool:
    """The total discount is `tier_bp` or more of the subtotal (exactly, not after rounding)."""
    return totals.subtotal.minor > 0 and totals.discount.minor * 10_000 >= tier_bp * totals.subtotal.minor


def under_margin_floor(totals: Totals, floor_bp: int) -> bool:
    """The gross margin is under `floor_bp` of net (exactly); with no revenue, whenever there is a cost."""
    if totals.net.minor <= 0:
        return totals.cost.minor > 0
    return totals.margin.minor * 10_000 < floor_bp * totals.net.minor


def may_decide(user: User, level: Level, *, team_id: int, owner_id: int) -> bool:
    """`user` may decide a step of `level` on a quote of `team_id` owned by `owner_id`."""
    if not user.active or user.id == owner_id:
        return False
    if level is Level.ADMIN:
        return user.role is Role.ADMIN
    return manages_team(user, team_id)


def covered_by(level: Level) -> tuple[Level, ...]:
    """The levels an approver of `level` stands for: an admin's word covers the manager's too."""
    return BOTH if level is Level.ADMIN else (Level.MANAGER,)
