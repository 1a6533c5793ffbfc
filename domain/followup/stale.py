"""The manager's stale report (/stale)."""

from __future__ import annotations

from datetime import datetime

from domain.errors import Forbidden
from domain.followup.access import visibility_of
from domain.followup.rules import (
    Flag,
    StaleGroup,
    StaleItem,
    idle_limit,
)
from domain.policy.model import TeamPolicy
from domain.policy.services import get_policy
from domain.ports import UnitOfWork
from domain.team.model import Role, User

# --- the stale report -----------------------------------------------------------------------------


async def stale_report(uow: UnitOfWork, *, viewer: User, now: datetime) -> list[StaleGroup]:
    """/stale for a manager (an admin: every team): the deals the silence watch has flagged and those
    with a follow-up nudged and not acted on, grouped by rep; the longest silence first, in each group
    and among the groups."""
    if not viewer.active or viewer.role not in (Role.MANAGER, Role.ADMIN):
        raise Forbidden("error-stale-role")
    rows = await uow.followups.stale(visibility_of(viewer), now)
    policies: dict[int, TeamPolicy] = {}
    groups: dict[int, StaleGroup] = {}
    for row in rows:
        deal = row.opportunity
        assert deal.id is not None and deal.owner_id is not None
        if deal.team_id not in policies:
            policies[deal.team_id] = await get_policy(uow, team_id=deal.team_id)
        limit = idle_limit(policies[deal.team_id], deal.stage)
        flags = tuple(
            flag for flag, on in ((Flag.SILENT, now - deal.idle_since > limit), (Flag.NO_STEP, not row.has_next_step)) if on
        )
        group = groups.setdefault(deal.owner_id, StaleGroup(rep_id=deal.owner_id, rep_name=row.owner_name))
        group.items.append(
            StaleItem(
                opportunity_id=deal.id, title=deal.title, company=row.company, stage=deal.stage,
                idle_since=deal.idle_since, idle_days=(now - deal.idle_since).days, limit_days=limit.days, flags=flags,
                overdue_since=row.overdue_since,
            )
        )
    for group in groups.values():
        group.items.sort(key=lambda item: (item.idle_since, item.opportunity_id))
    return sorted(groups.values(), key=lambda g: (g.items[0].idle_since, g.rep_id))
