"""Service tickets (售后工单): opening one, its status moves, the SLA watch, the lists and the card.

Anyone in the team may open a ticket; it gets an owner by the team's rule (the deal's owner by default).
Its SLA limits come from the team's service policy by priority, in working minutes (domain/tickets/sla.py).
Every status move is a conditional update, so a stale or repeated press acts once, and is audited: the
audit trail is the ticket's history and feeds the webhooks (ticket.created, ticket.resolved).
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any, Final

from domain.assist.model import PENDING as ASSIST_PENDING
from domain.audit import record
from domain.deals.access import visible_opportunity
from domain.errors import AlreadyDone, Forbidden, InvalidInput, NotFound
from domain.leads.contact import company_key
from domain.outbox.kinds import Kind, Subject
from domain.outbox.model import Action, Phrase
from domain.outbox.notify import Notice, moved_on, tell_managers, tell_user
from domain.permissions import Ability, can, in_team, manages_team, require, sees_whole_team
from domain.ports import UnitOfWork
from domain.sweeps import Sweep
from domain.team.model import Team, User
from domain.team.people import name_of
from domain.text import one_line
from domain.tickets.model import (
    DONE,
    OPEN,
    REOPEN_WITHIN,
    RUNNING,
    Filter,
    HistoryLine,
    OwnerRule,
    Priority,
    Scope,
    ServicePolicy,
    Ticket,
    TicketDraft,
    TicketQuery,
    TicketStatus,
    may_move,
)
from domain.tickets.sla import SlaClock

ACTION_OPEN: Final = "ticket.open"
MAX_DESCRIPTION: Final = 1000
MAX_COMPANY: Final = 100
MAX_NOTE: Final = 300
LIST_LIMIT: Final = 20


def read_description(text: str) -> str:
    cleaned = (text or "").strip()
    if not cleaned:
        raise InvalidInput("error-ticket-description")
    if len(cleaned) > MAX_DESCRIPTION:
        raise InvalidInput("error-ticket-description-long", max=MAX_DESCRIPTION)
    return cleaned


def read_company(text: str) -> str:
    name = one_line(text)
    if not name or len(name) > MAX_COMPANY:
        raise InvalidInput("error-ticket-company", max=MAX_COMPANY)
    return name


def read_note(text: str | None) -> str | None:
    note = one_line(text)
    if note is not None and len(note) > MAX_NOTE:
        raise InvalidInput("error-ticket-note-long", max=MAX_NOTE)
    return note


# --- the clocks of a ticket ------------------------------------------------------------------------------


def response_clock(ticket: Ticket) -> SlaClock | None:
    """The first-response clock while nobody answered yet (it never pauses: asking the customer answers)."""
    if ticket.responded_at is not None or ticket.status is not TicketStatus.NEW:
        return None
    return SlaClock(ticket.response_minutes, 0, ticket.created_at)


def resolve_clock(ticket: Ticket) -> SlaClock:
    return SlaClock(ticket.resolve_minutes, ticket.resolve_used, ticket.resolve_since)


def next_check(ticket: Ticket, team: Team) -> datetime | None:
    moments = []
    response = response_clock(ticket)
    if response is not None:
        moments.append(response.next_check(ticket.response_stage, team))
    if ticket.status in RUNNING:
        moments.append(resolve_clock(ticket).next_check(ticket.resolve_stage, team))
    found = [m for m in moments if m is not None]
    return min(found) if found else None


@dataclass(frozen=True)
class SlaView:
    """Where a ticket's clocks stand, for its card and lists."""

    response_due: datetime | None  # None once answered
    resolve_due: datetime | None  # None while stopped
    resolve_left: int  # working minutes (negative: late)
    at_risk: bool  # past 75% of a limit that still runs
    late: bool


def sla_view(ticket: Ticket, team: Team, now: datetime) -> SlaView:
    response = response_clock(ticket)
    resolve = resolve_clock(ticket)
    stages = [resolve.stage(now, team)] if ticket.status in RUNNING else []
    if response is not None:
        stages.append(response.stage(now, team))
    return SlaView(
        response_due=response.due(team) if response else None,
        resolve_due=resolve.due(team) if ticket.status in RUNNING else None,
        resolve_left=resolve.left(now, team),
        at_risk=any(s >= 1 for s in stages),
        late=any(s >= 2 for s in stages),
    )


# --- access ----------------------------------------------------------------------------------------------


def may_see(viewer: User, ticket: Ticket) -> bool:
    if not viewer.active or not in_team(viewer, ticket.team_id):
        return False
    return sees_whole_team(viewer) or viewer.id in (ticket.owner_id, ticket.created_by)


def may_work(viewer: User, ticket: Ticket) -> bool:
    """Move its status: its owner, or a manager of its team."""
    return viewer.active and (viewer.id == ticket.owner_id or manages_team(viewer, ticket.team_id))


async def visible_ticket(uow: UnitOfWork, viewer: User, ticket_id: int) -> Ticket:
    ticket = await uow.tickets.get(ticket_id)
    if ticket is None:
        raise NotFound("error-ticket-not-found")
    if not in_team(viewer, ticket.team_id):
        raise Forbidden("error-other-team")
    if not may_see(viewer, ticket):
        raise Forbidden("error-ticket-not-yours")
    return ticket


async def _workable(uow: UnitOfWork, viewer: User, ticket_id: int) -> Ticket:
    ticket = await visible_ticket(uow, viewer, ticket_id)
    if not may_work(viewer, ticket):
        raise Forbidden("error-ticket-not-yours")
    return ticket


async def _team(uow: UnitOfWork, team_id: int) -> Team:
    team = await uow.teams.get(team_id)
    if team is None:
        raise NotFound()
    return team


# --- opening ---------------------------------------------------------------------------------------------


async def owner_for(uow: UnitOfWork, team_id: int, deal_owner: int | None, opener: User) -> int:
    """The team's rule: the deal's owner (by default), or the team's service person; the opener when
    neither is there."""
    policy = await uow.tickets.policy(team_id)
    service = None
    if policy.service_user_id is not None:
        person = await uow.users.get(policy.service_user_id)
        service = person.id if person is not None and person.active and person.team_id == team_id else None
    if policy.owner_rule is OwnerRule.SERVICE and service is not None:
        return service
    if deal_owner is not None:
        owner = await uow.users.get(deal_owner)
        if owner is not None and owner.active:
            return deal_owner
    assert opener.id is not None
    return service or opener.id


async def open_ticket(uow: UnitOfWork, *, actor: User, draft: TicketDraft, now: datetime,
                      survey_id: int | None = None) -> Ticket:
    require(actor, Ability.WORK_TICKETS, "error-ticket-role")
    assert actor.id is not None
    deal_owner = None
    if draft.opportunity_id is not None:
        deal = await visible_opportunity(uow, actor, draft.opportunity_id)
        lead = await uow.leads.get(deal.lead_id)
        if lead is None:
            raise NotFound("error-deal-not-found")
        team_id, company, deal_owner = deal.team_id, lead.company, deal.owner_id
        contact = draft.contact or lead.contact_name
    else:
        team_id, company, contact = actor.team_id, read_company(draft.company or ""), draft.contact
    description = read_description(draft.description)
    policy = await uow.tickets.policy(team_id)
    response, resolve = policy.limits(draft.priority)
    ticket = Ticket(
        team_id=team_id, company=company, company_key=company_key(company), category=draft.category,
        priority=draft.priority, description=description, created_by=actor.id, created_at=now,
        owner_id=await owner_for(uow, team_id, deal_owner, actor), response_minutes=response,
        resolve_minutes=resolve, opportunity_id=draft.opportunity_id, contact=contact, media=draft.media,
        resolve_since=now, updated_at=now, survey_id=survey_id,
    )
    team = await _team(uow, team_id)
    ticket.check_at = next_check(ticket, team)
    await uow.tickets.add(ticket)
    assert ticket.id is not None
    await record(
        uow, now=now, action="ticket.created", entity="ticket", entity_id=ticket.id, actor_id=actor.id,
        team_id=team_id, after={
            "number": ticket.number, "company": company, "category": draft.category.value,
            "priority": draft.priority.value, "owner_id": ticket.owner_id, "opportunity_id": draft.opportunity_id,
        },
    )
    if ticket.owner_id != actor.id:
        await tell_user(uow, ticket.owner_id, Notice(
            Kind.TICKET_ASSIGNED, about=ticket.id, params=_params(ticket, team, opener=actor.name),
            actions=((Action(ACTION_OPEN, ticket.id),),),
        ), team_id=team_id, now=now)
    return ticket


def _params(ticket: Ticket, team: Team, **more: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "number": ticket.number, "company": ticket.company, "priority": Phrase(f"ticket-priority-{ticket.priority.value}"),
        "category": Phrase(f"ticket-category-{ticket.category.value}"),
    }
    if "due" in more:
        base["due"] = more.pop("due")
    return {**base, **more}


# --- status moves ----------------------------------------------------------------------------------------


async def _move(
    uow: UnitOfWork, ticket: Ticket, to: TicketStatus, *, actor: User, now: datetime, action: str,
    note: str | None = None, **changes: Any,
) -> Ticket:
    frm = ticket.status
    if not may_move(frm, to):
        raise AlreadyDone(f"error-ticket-{to.value}-not-now" if to is TicketStatus.IN_PROGRESS else "error-ticket-moved")
    team = await _team(uow, ticket.team_id)
    check_at = next_check(replace(ticket, status=to, **changes), team)  # a detached copy with the new clocks
    if not await uow.tickets.move(ticket, expect=(frm,), status=to, updated_at=now, check_at=check_at, **changes):
        raise AlreadyDone("error-ticket-moved")
    assert ticket.id is not None
    await record(
        uow, now=now, action=action, entity="ticket", entity_id=ticket.id, actor_id=actor.id, team_id=ticket.team_id,
        before={"status": frm.value}, after={"status": to.value, "number": ticket.number, "note": note},
    )
    await moved_on(uow, Subject.TICKET, ticket.id, why=action, now=now)
    return ticket


async def start_work(uow: UnitOfWork, *, actor: User, ticket_id: int, now: datetime) -> Ticket:
    """开始处理: the first response."""
    ticket = await _workable(uow, actor, ticket_id)
    if ticket.status is not TicketStatus.NEW:
        raise AlreadyDone("error-ticket-moved")
    return await _move(uow, ticket, TicketStatus.IN_PROGRESS, actor=actor, now=now, action="ticket.started",
                       responded_at=now)


async def wait_for_customer(
    uow: UnitOfWork, *, actor: User, ticket_id: int, now: datetime, note: str | None = None
) -> Ticket:
    """等待客户: the resolution clock stops until the customer answers (asking them is a response)."""
    ticket = await _workable(uow, actor, ticket_id)
    team = await _team(uow, ticket.team_id)
    paused = resolve_clock(ticket).pause(now, team)
    return await _move(
        uow, ticket, TicketStatus.WAITING, actor=actor, now=now, action="ticket.waiting", note=read_note(note),
        responded_at=ticket.responded_at or now, resolve_used=paused.used, resolve_since=None,
    )


async def customer_replied(uow: UnitOfWork, *, actor: User, ticket_id: int, now: datetime) -> Ticket:
    """客户已回复: the resolution clock runs on from where it stopped."""
    ticket = await _workable(uow, actor, ticket_id)
    if ticket.status is not TicketStatus.WAITING:
        raise AlreadyDone("error-ticket-moved")
    return await _move(uow, ticket, TicketStatus.IN_PROGRESS, actor=actor, now=now, action="ticket.resumed",
                       resolve_since=now)


async def resolve(uow: UnitOfWork, *, actor: User, ticket_id: int, now: datetime, note: str | None = None) -> Ticket:
    """已解决: the clocks stop; the owner hears of it when someone else resolved it (and gets the survey
    link from the card)."""
    ticket = await _workable(uow, actor, ticket_id)
    team = await _team(uow, ticket.team_id)
    stopped = resolve_clock(ticket).pause(now, team)
    note = read_note(note)
    await _move(
        uow, ticket, TicketStatus.RESOLVED, actor=actor, now=now, action="ticket.resolved", note=note,
        responded_at=ticket.responded_at or now, resolve_used=stopped.used, resolve_since=None, resolved_at=now,
        closed_at=None,
    )
    assert ticket.id is not None
    if ticket.owner_id != actor.id:
        await tell_user(uow, ticket.owner_id, Notice(
            Kind.TICKET_RESOLVED, about=ticket.id, params=_params(ticket, team, by=actor.name),
            actions=((Action(ACTION_OPEN, ticket.id),),),
        ), team_id=ticket.team_id, now=now)
    return ticket


async def close(uow: UnitOfWork, *, actor: User, ticket_id: int, now: datetime) -> Ticket:
    ticket = await _workable(uow, actor, ticket_id)
    if ticket.status is not TicketStatus.RESOLVED:
        raise AlreadyDone("error-ticket-moved")
    return await _move(uow, ticket, TicketStatus.CLOSED, actor=actor, now=now, action="ticket.closed", closed_at=now)


async def reopen(uow: UnitOfWork, *, actor: User, ticket_id: int, now: datetime, note: str | None = None) -> Ticket:
    """重新打开, within REOPEN_WITHIN of its resolution: the resolution clock runs on from where it stopped."""
    ticket = await _workable(uow, actor, ticket_id)
    if ticket.status not in DONE:
        raise AlreadyDone("error-ticket-moved")
    if ticket.resolved_at is None or now - ticket.resolved_at > REOPEN_WITHIN:
        raise InvalidInput("error-ticket-reopen-late", days=REOPEN_WITHIN.days)
    reopened = await _move(
        uow, ticket, TicketStatus.IN_PROGRESS, actor=actor, now=now, action="ticket.reopened", note=read_note(note),
        resolve_since=now, resolved_at=None, closed_at=None,
    )
    # Questions to colleagues still waiting on it were let go when it closed: their watch starts again (a
    # deadline passed meanwhile tells the asker at the next sweep).
    for question in await uow.assists.for_subject(ticket_id=ticket_id, limit=100):
        check = question.next_check()
        if question.check_at is None and check is not None:
            await uow.assists.update(question, expect=ASSIST_PENDING, stage=question.nudge_stage, check_at=check)
    return reopened


# --- the SLA watch ---------------------------------------------------------------------------------------


async def sla_check(uow: UnitOfWork, ticket: Ticket, now: datetime) -> bool:
    """The sweep's act for one ticket past its check: the owner is nudged at 75% of a limit, the managers
    told at 100% and again at 2x. When a sweep was away past several marks, only the highest is said."""
    if ticket.status not in RUNNING or ticket.check_at is None or ticket.check_at > now:
        return False
    team = await _team(uow, ticket.team_id)
    response = response_clock(ticket)
    response_stage = max(ticket.response_stage, response.stage(now, team)) if response else ticket.response_stage
    resolve_stage = max(ticket.resolve_stage, resolve_clock(ticket).stage(now, team))
    said = [
        ("response", ticket.response_stage, response_stage, response),
        ("resolve", ticket.resolve_stage, resolve_stage, resolve_clock(ticket)),
    ]
    old = (ticket.response_stage, ticket.resolve_stage)
    check_at = next_check(replace(ticket, response_stage=response_stage, resolve_stage=resolve_stage), team)
    if not await uow.tickets.claim_sla(
        ticket, stages=old, check_at=check_at, response_stage=response_stage, resolve_stage=resolve_stage,
    ):
        return False
    assert ticket.id is not None
    owner = await name_of(uow, ticket.owner_id)
    for track, before, after, clock in said:
        if after <= before or clock is None:
            continue
        due = clock.due(team) or now
        if after == 1:
            kind = Kind.TICKET_RESPONSE_DUE if track == "response" else Kind.TICKET_RESOLVE_DUE
            await tell_user(uow, ticket.owner_id, Notice(
                kind, about=ticket.id, params=_params(ticket, team, due=due),
                actions=((Action(ACTION_OPEN, ticket.id),),),
            ), team_id=ticket.team_id, now=now)
        else:
            kind = Kind.TICKET_RESPONSE_LATE if track == "response" else Kind.TICKET_RESOLVE_LATE
            level = "100" if after == 2 else "200"
            await tell_managers(uow, ticket.team_id, Notice(
                kind, about=ticket.id, refs={"level": level},
                params=_params(ticket, team, due=due, owner=owner, late=Phrase(f"ticket-late-{level}")),
                actions=((Action(ACTION_OPEN, ticket.id),),),
            ), now=now)
        await record(
            uow, now=now, action=f"ticket.sla.{track}.{after}", entity="ticket", entity_id=ticket.id, actor_id=None,
            team_id=ticket.team_id, after={"number": ticket.number, "stage": after, "due": due.isoformat()},
        )
    return True


class _TicketsDue:
    def __init__(self, uow: UnitOfWork) -> None:
        self.uow = uow

    async def due(self, now: datetime, limit: int, skip: Collection[int] = ()) -> Sequence[Ticket]:
        return await self.uow.tickets.due(now, limit, skip)


TICKET_SWEEP: Sweep[Ticket] = Sweep(name="ticket-sla", source=_TicketsDue, act=sla_check)


# --- lists and the card ----------------------------------------------------------------------------------

FILTERS: Final[dict[Filter, tuple[TicketStatus, ...]]] = {
    Filter.OPEN: tuple(OPEN),
    Filter.WAITING: (TicketStatus.WAITING,),
    Filter.AT_RISK: tuple(RUNNING),
    Filter.DONE: tuple(DONE),
    Filter.ALL: (),
}


async def list_tickets(
    uow: UnitOfWork, *, viewer: User, scope: Scope, what: Filter, priority: Priority | None, now: datetime,
) -> Sequence[Ticket]:
    require(viewer, Ability.WORK_TICKETS, "error-ticket-role")
    if scope is Scope.TEAM and not can(viewer, Ability.SEE_TEAM_TICKETS):
        raise Forbidden("error-ticket-team-role")
    query = TicketQuery(
        team_id=viewer.team_id, owner_id=viewer.id if scope is Scope.MINE else None,
        status_in=FILTERS[what], priority=priority,
    )
    found = await uow.tickets.find(query, now, LIST_LIMIT * 5 if what is Filter.AT_RISK else LIST_LIMIT)
    if what is Filter.AT_RISK:
        team = await _team(uow, viewer.team_id)
        found = [t for t in found if sla_view(t, team, now).at_risk][:LIST_LIMIT]
    return found


HISTORY_ACTIONS: Final = frozenset({
    "ticket.created", "ticket.started", "ticket.waiting", "ticket.resumed", "ticket.resolved", "ticket.closed",
    "ticket.reopened", "ticket.sla.response.2", "ticket.sla.response.3", "ticket.sla.resolve.2",
    "ticket.sla.resolve.3", "survey.answered", "survey.phone",
    "assist.asked", "assist.answered",  # cross-team help (domain/assist): the question and the colleague's answer
})


async def history(uow: UnitOfWork, ticket: Ticket) -> list[HistoryLine]:
    assert ticket.id is not None
    lines = []
    for event in await uow.audit.for_entity("ticket", ticket.id):
        if event.action not in HISTORY_ACTIONS:
            continue
        note = (event.after or {}).get("note")
        lines.append(HistoryLine(event.at, event.action, await name_of(uow, event.actor_id) if event.actor_id else "",
                                 str(note) if note else None))
    return lines


@dataclass(frozen=True)
class TicketCard:
    ticket: Ticket
    team: Team
    owner: str
    opener: str
    sla: SlaView
    history: list[HistoryLine]
    may_work: bool
    scores: list[int]


async def ticket_card(uow: UnitOfWork, *, viewer: User, ticket_id: int, now: datetime) -> TicketCard:
    ticket = await visible_ticket(uow, viewer, ticket_id)
    team = await _team(uow, ticket.team_id)
    surveys = await uow.tickets.surveys_for(ticket.team_id, ticket_id=ticket.id)
    return TicketCard(
        ticket=ticket, team=team, owner=await name_of(uow, ticket.owner_id), opener=await name_of(uow, ticket.created_by),
        sla=sla_view(ticket, team, now), history=await history(uow, ticket), may_work=may_work(viewer, ticket),
        scores=[s.score for s in surveys if s.score is not None],
    )


async def customers_for(uow: UnitOfWork, viewer: User) -> Sequence[tuple[int, str]]:
    """The deals a new ticket may be about, for the /ticket flow's buttons."""
    require(viewer, Ability.WORK_TICKETS, "error-ticket-role")
    owner = None if sees_whole_team(viewer) else viewer.id
    return await uow.tickets.recent_customers(viewer.team_id, owner, 6)


async def customer_of_deal(uow: UnitOfWork, viewer: User, deal_id: int) -> str:
    """The company a ticket opened from a deal's card is about (the deal as the viewer may see it)."""
    require(viewer, Ability.WORK_TICKETS, "error-ticket-role")
    deal = await visible_opportunity(uow, viewer, deal_id)
    lead = await uow.leads.get(deal.lead_id)
    if lead is None:
        raise NotFound("error-deal-not-found")
    return lead.company


# --- the team's service policy ---------------------------------------------------------------------------

SLA_FIELDS: Final = ("p1_response", "p1_resolve", "p2_response", "p2_resolve", "p3_response", "p3_resolve")
SLA_MIN_MINUTES: Final = 30
SLA_MAX_MINUTES: Final = 30 * 24 * 60
SURVEY_DAYS: Final = (1, 60)
RENEWAL_DAYS: Final = (1, 180)


def _require_manager(actor: User, team_id: int) -> None:
    if not actor.active or not manages_team(actor, team_id):
        raise Forbidden("error-policy-role")


async def service_policy(uow: UnitOfWork, *, viewer: User, team_id: int) -> ServicePolicy:
    _require_manager(viewer, team_id)
    return await uow.tickets.policy(team_id)


async def update_service_policy(
    uow: UnitOfWork, *, actor: User, team_id: int, changes: dict[str, Any], now: datetime
) -> ServicePolicy:
    """A manager changes the team's after-sales rules: who owns a new ticket (the deal's owner or the
    service person), the service person (an active member of the team, or nobody), the SLA limits in
    working minutes (a first response never longer than its resolution) and how long a survey link lasts.
    Tickets already open keep the limits they were opened with."""
    _require_manager(actor, team_id)
    policy = await uow.tickets.policy(team_id)
    before = {name: _plain(getattr(policy, name)) for name in changes}
    wanted: dict[str, Any] = {}
    for name, value in changes.items():  # checked whole before anything is set: a refusal changes nothing
        if name == "owner_rule":
            value = OwnerRule(value)
        elif name == "service_user_id":
            if value is not None:
                person = await uow.users.get(int(value))
                if person is None or not person.active or person.team_id != team_id:
                    raise InvalidInput("error-service-person")
        elif name in SLA_FIELDS:
            if not isinstance(value, int) or not SLA_MIN_MINUTES <= value <= SLA_MAX_MINUTES:
                raise InvalidInput("error-service-sla", min=SLA_MIN_MINUTES // 60 or 1, max=SLA_MAX_MINUTES // 60)
        elif name == "survey_days":
            if not isinstance(value, int) or not SURVEY_DAYS[0] <= value <= SURVEY_DAYS[1]:
                raise InvalidInput("error-service-survey-days", min=SURVEY_DAYS[0], max=SURVEY_DAYS[1])
        elif name == "renewal_days":
            if not isinstance(value, int) or not RENEWAL_DAYS[0] <= value <= RENEWAL_DAYS[1]:
                raise InvalidInput("error-service-renewal-days", min=RENEWAL_DAYS[0], max=RENEWAL_DAYS[1])
        else:
            raise InvalidInput()
        wanted[name] = value
    merged = {name: wanted.get(name, getattr(policy, name)) for name in (*SLA_FIELDS, "owner_rule", "service_user_id")}
    for priority in Priority:
        if merged[f"{priority.value}_response"] > merged[f"{priority.value}_resolve"]:
            raise InvalidInput("error-service-sla-order", priority=priority.value.upper())
    if merged["owner_rule"] is OwnerRule.SERVICE and merged["service_user_id"] is None:
        raise InvalidInput("error-service-person-needed")
    after = {name: _plain(value) for name, value in wanted.items()}
    if after == before:
        raise AlreadyDone("error-policy-unchanged")  # a repeated tap sets the same value again
    for name, value in wanted.items():
        setattr(policy, name, value)
    await uow.tickets.save_policy(policy)
    await record(
        uow, now=now, action="service_policy.updated", entity="team", entity_id=team_id, actor_id=actor.id,
        team_id=team_id, before=before, after=after,
    )
    return policy


def _plain(value: Any) -> Any:
    return value.value if isinstance(value, OwnerRule) else value
