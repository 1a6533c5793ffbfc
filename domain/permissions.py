"""Who may do what, in one place. Services check with `require`; the chat's command menus (bot/commands.py)
and buttons derive from the same table, so a menu never offers what a service would refuse.

Two questions are kept apart:
- the role question, `can(user, ability)`: is this kind of person allowed to do this kind of thing at all?
- the scope question, `in_team` / `manages_team` / `sees_whole_team`: on whose records? An admin works
  in every team; a manager on their own team's; finance sees its team's records; a rep their own.
"""

from __future__ import annotations

import enum
from typing import Final

from domain.errors import Forbidden
from domain.policy.model import TeamPolicy
from domain.team.model import Role, User


class Ability(enum.StrEnum):
    # everyone who joined
    USE_BOT = "use_bot"  # /help, /me, /lang, /remind, /find, /hours (reading)
    # the sellers: reps, managers, admins
    CAPTURE_LEADS = "capture_leads"
    WORK_DEALS = "work_deals"  # /deals, /log, notes, stage moves on deals they may act on
    SEE_POOL = "see_pool"
    # reps only
    CLAIM_FROM_POOL = "claim_from_pool"
    KEEP_OWN_LEADS = "keep_own_leads"  # self-assignment on capture, when the team's policy allows it
    # managers and admins
    MANAGE_TEAM = "manage_team"  # /invite, /team, /bindgroup
    REASSIGN_DEALS = "reassign_deals"
    EDIT_POLICY = "edit_policy"  # /policy, rep skills, idle limits
    SET_WORKING_HOURS = "set_working_hours"
    SEE_STALE_REPORT = "see_stale_report"
    OVERRIDE_STAGES = "override_stages"  # skip stages, win early, re-open a lost deal
    MANAGE_INTEGRATIONS = "manage_integrations"  # /apikeys: channels that bring leads from outside the chat
    # quotes (issue 11)
    WORK_QUOTES = "work_quotes"  # /quote: build, submit and send quotes on deals they may act on
    MANAGE_CATALOG = "manage_catalog"  # /products: the team's price list, imports
    APPROVE_DISCOUNTS = "approve_discounts"  # /approvals (each step still checks its own level)
    SAVE_TEMPLATES = "save_templates"  # save a quote as the team's template
    # reports (issue 14): sellers see their own numbers, managers and admins their team's
    SEE_REPORTS = "see_reports"
    SEE_TEAM_REPORTS = "see_team_reports"
    # after-sales (issue 13)
    WORK_TICKETS = "work_tickets"  # /ticket, /tickets: open tickets, work the ones they own
    SEE_TEAM_TICKETS = "see_team_tickets"  # /tickets for the whole team
    # finance (and managers)
    CONFIRM_PAYMENTS = "confirm_payments"
    # admins
    RETRY_DEAD_LETTERS = "retry_dead_letters"
    MANAGE_WEBHOOKS = "manage_webhooks"  # /webhooks: the team's systems (OA, finance) hear of pipeline events
    WORK_IN_ANY_TEAM = "work_in_any_team"


EVERYONE: Final = frozenset(Role)
SELLERS: Final = frozenset({Role.ADMIN, Role.MANAGER, Role.REP})
LEADERS: Final = frozenset({Role.ADMIN, Role.MANAGER})

ROLES: Final[dict[Ability, frozenset[Role]]] = {
    Ability.USE_BOT: EVERYONE,
    Ability.CAPTURE_LEADS: SELLERS,
    Ability.WORK_DEALS: SELLERS,
    Ability.SEE_POOL: SELLERS,
    Ability.CLAIM_FROM_POOL: frozenset({Role.REP}),
    Ability.KEEP_OWN_LEADS: frozenset({Role.REP}),  # managers hand leads out; they do not keep them
    Ability.MANAGE_TEAM: LEADERS,
    Ability.REASSIGN_DEALS: LEADERS,
    Ability.EDIT_POLICY: LEADERS,
    Ability.SET_WORKING_HOURS: LEADERS,
    Ability.SEE_STALE_REPORT: LEADERS,
    Ability.OVERRIDE_STAGES: LEADERS,
    Ability.MANAGE_INTEGRATIONS: LEADERS,
    Ability.WORK_QUOTES: SELLERS,
    Ability.MANAGE_CATALOG: LEADERS,
    Ability.APPROVE_DISCOUNTS: LEADERS,
    Ability.SAVE_TEMPLATES: LEADERS,
    Ability.SEE_REPORTS: SELLERS,
    Ability.SEE_TEAM_REPORTS: LEADERS,
    Ability.WORK_TICKETS: EVERYONE,
    Ability.SEE_TEAM_TICKETS: LEADERS,
    Ability.CONFIRM_PAYMENTS: frozenset({Role.ADMIN, Role.MANAGER, Role.FINANCE}),
    Ability.MANAGE_WEBHOOKS: frozenset({Role.ADMIN}),
    Ability.RETRY_DEAD_LETTERS: frozenset({Role.ADMIN}),
    Ability.WORK_IN_ANY_TEAM: frozenset({Role.ADMIN}),
}


def roles_with(ability: Ability) -> frozenset[Role]:
    return ROLES[ability]


def can(user: User | None, ability: Ability) -> bool:
    """The role question: may this (active) person do this kind of thing at all?"""
    return user is not None and user.active and user.role in ROLES[ability]


def require(user: User, ability: Ability, code: str = "error-forbidden") -> None:
    """`can`, or Forbidden with the message `code`."""
    if not can(user, ability):
        raise Forbidden(code)


def in_team(user: User, team_id: int) -> bool:
    """The records of `team_id` are within this person's reach (an admin's reach is every team)."""
    return user.role is Role.ADMIN or user.team_id == team_id


def require_team(user: User, team_id: int) -> None:
    if not in_team(user, team_id):
        raise Forbidden("error-other-team")


def manages_team(user: User, team_id: int) -> bool:
    """A manager of `team_id`, or an admin."""
    return user.role is Role.ADMIN or (user.role is Role.MANAGER and user.team_id == team_id)


def follows_as_capturer(user: User, captured_by: int) -> bool:
    """The seller who captured a lead follows its deal once someone else has it: read-only, its card and
    its progress, no actions (they were told "/deals shows how it goes")."""
    return user.active and user.id == captured_by and can(user, Ability.CAPTURE_LEADS)


def sees_whole_team(user: User) -> bool:
    """Managers and finance see every record of their team (admins every team's); reps their own."""
    return user.role in (Role.ADMIN, Role.MANAGER, Role.FINANCE)


def team_scope(user: User) -> int | None:
    """The team a list is limited to: None for an admin (every team), else the person's own."""
    return None if user.role is Role.ADMIN else user.team_id


def invitable_roles(actor: User | None) -> tuple[Role, ...]:
    """Who `actor` may invite: an admin (or the server operator, None) anyone; a manager reps and
    finance into their own team; nobody else anyone."""
    if actor is None or actor.role is Role.ADMIN:
        return (Role.ADMIN, Role.MANAGER, Role.REP, Role.FINANCE)
    if actor.role is Role.MANAGER:
        return (Role.REP, Role.FINANCE)
    return ()


def may_manage_member(actor: User, member: User) -> bool:
    """Deactivate / re-activate: an admin anyone but themselves; a manager the reps and finance of
    their own team."""
    if actor.id == member.id or not actor.active:
        return False
    if actor.role is Role.ADMIN:
        return True
    return (
        actor.role is Role.MANAGER
        and actor.team_id == member.team_id
        and member.role in (Role.REP, Role.FINANCE)
    )


def may_keep_own_lead(user: User, policy: TeamPolicy) -> bool:
    """Self-assignment: a rep keeps the lead they captured, when the team's policy allows it."""
    return policy.allow_self_assign and can(user, Ability.KEEP_OWN_LEADS)
