"""What part of the pipeline a person's follow-up lists (search, the stale report) cover."""

from __future__ import annotations

from domain.followup.rules import Visibility
from domain.permissions import sees_whole_team, team_scope
from domain.team.model import User


def visibility_of(viewer: User) -> Visibility:
    """Reps see their own deals, managers and finance their team's, admins everyone's."""
    if sees_whole_team(viewer):
        return Visibility(team_id=team_scope(viewer))
    return Visibility(owner_id=viewer.id or -1)
