"""Cross-team help (跨部门协作): asking a colleague, accepting, answering, withdrawing, and the watch on the
question's own deadline.

The owner of an open ticket (or a manager) asks from the ticket's card, the owner of an open deal (or a
manager) from the deal's card: a named colleague of the same team, the question, a deadline in working time
(2 working hours, the end of today's, tomorrow's, or the third working day's working hours). The colleague
gets a card with Accept / Answer; the asker hears when it is accepted and gets the answer, which lands on the
record: the ticket's history (the audit trail) or the deal's timeline (a note by the colleague).

The watch: the colleague is reminded once at 3/4 of the working time to the deadline, the asker told once
when it has passed. A question whose subject closed (the ticket resolved or closed, the deal won or lost) is
let go quietly; a notice still queued when the question was answered, withdrawn or its subject closed is
dropped (Valid.ASSIST_PENDING). Every change is a conditional update: a stale or double press acts once.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any, Final

from domain.assist.model import (
    MAX_ANSWER,
    MAX_QUESTION,
    PENDING,
    REMIND_AT,
    AgendaQuestion,
    AssistState,
    Deadline,
    Question,
)
from domain.audit import record
from domain.deals.access import visible_opportunity
from domain.errors import AlreadyDone, Forbidden, InvalidInput, NotFound
from domain.followup.model import Activity, ActivityKind
from domain.outbox.kinds import Kind, Subject
from domain.outbox.model import Action, Phrase
from domain.outbox.notify import Notice, moved_on, tell_user
from domain.permissions import in_team, manages_team
from domain.ports import UnitOfWork
from domain.sweeps import Sweep
from domain.team.model import Team, User
from domain.team.people import name_of
from domain.tickets.model import OPEN as TICKET_OPEN
from domain.tickets.model import ticket_number
from domain.tickets.services import may_work, visible_ticket
from domain.tickets.sla import working_minutes_between
from domain.worktime import add_working_minutes, day_bounds, is_working_day, local, working_window

ACTION_OPEN: Final = "assist.open"  # the question's card (id: the question)
ACTION_ACCEPT: Final = "assist.accept"
ACTION_ANSWER: Final = "assist.answer"
HELPERS_SHOWN: Final = 12


# --- what people type ------------------------------------------------------------------------------------


def read_question(text: str) -> str:
    cleaned = (text or "").strip()
    if not cleaned:
        raise InvalidInput("error-assist-question")
    if len(cleaned) > MAX_QUESTION:
        raise InvalidInput("error-assist-question-long", max=MAX_QUESTION)
    return cleaned


def read_answer(text: str) -> str:
    cleaned = (text or "").strip()
    if not cleaned:
        raise InvalidInput("error-assist-answer")
    if len(cleaned) > MAX_ANSWER:
        raise InvalidInput("error-assist-answer-long", max=MAX_ANSWER)
    return cleaned


# --- deadlines in working time ---------------------------------------------------------------------------


def _window(day: date, team: Team) -> tuple[datetime, datetime]:
    window = working_window(day, team)
    if window is None:  # no usable working hours configured: the whole day
        return day_bounds(day, team.timezone)
    return window


def _next_working_day(day: date, team: Team) -> date:
    day += timedelta(days=1)
    while team.weekdays and not is_working_day(day, team):
        day += timedelta(days=1)
    return day


def deadline_at(choice: Deadline, now: datetime, team: Team) -> datetime:
    """The preset's moment: 2 working hours on, or the end of the working hours of today (the next working
    day once today's are over), of the next working day, or of the third working day."""
    if choice is Deadline.TWO_HOURS:
        return add_working_minutes(now, 120, team)
    day = local(now, team.timezone).date()
    if (team.weekdays and not is_working_day(day, team)) or now >= _window(day, team)[1]:
        day = _next_working_day(day, team)
    for _ in range({Deadline.TODAY: 0, Deadline.TOMORROW: 1, Deadline.THREE_DAYS: 3}[choice]):
        day = _next_working_day(day, team)
    return _window(day, team)[1]


def remind_at(created: datetime, due: datetime, team: Team) -> datetime:
    """When the colleague is reminded: at 3/4 of the working time from the question to its deadline."""
    minutes = working_minutes_between(created, due, team)
    num, den = REMIND_AT
    return min(add_working_minutes(created, minutes * num // den, team), due) if minutes else due


def next_check(question: Question) -> datetime | None:
    return question.next_check()


# --- what a question is about ------------------------------------------------------------------------------


@dataclass(frozen=True)
class About:
    """The ticket or the deal a question is asked from, as the asker may reach it."""

    team_id: int
    company: str
    ticket_id: int | None
    opportunity_id: int | None


async def _ticket_about(uow: UnitOfWork, actor: User, ticket_id: int) -> About:
    ticket = await visible_ticket(uow, actor, ticket_id)
    if not may_work(actor, ticket):
        raise Forbidden("error-assist-not-yours")
    if not ticket.is_open:
        raise InvalidInput("error-assist-subject-closed")
    return About(ticket.team_id, ticket.company, ticket.id, ticket.opportunity_id)


async def _deal_about(uow: UnitOfWork, actor: User, deal_id: int) -> About:
    deal = await visible_opportunity(uow, actor, deal_id)
    if not (actor.id == deal.owner_id or manages_team(actor, deal.team_id)):
        raise Forbidden("error-assist-not-yours")
    if not deal.is_open:
        raise InvalidInput("error-assist-subject-closed")
    lead = await uow.leads.get(deal.lead_id)
    return About(deal.team_id, lead.company if lead else deal.title, None, deal.id)


async def about(uow: UnitOfWork, actor: User, *, ticket_id: int | None = None, deal_id: int | None = None) -> About:
    """Where the asker stands: the owner of an open ticket or deal, or a manager of its team."""
    if ticket_id:
        return await _ticket_about(uow, actor, ticket_id)
    if deal_id:
        return await _deal_about(uow, actor, deal_id)
    raise NotFound()


async def helpers_for(uow: UnitOfWork, actor: User, subject: About) -> list[User]:
    """The colleagues who may be asked: the active members of the subject's team, the asker aside, by
    name. The picker shows the first HELPERS_SHOWN as buttons; any of them can be found by name."""
    people = [u for u in await uow.users.in_team(subject.team_id) if u.active and u.id != actor.id]
    return sorted(people, key=lambda u: (u.name, u.id or 0))


def find_helper(people: list[User], typed: str) -> User:
    """The colleague a typed name means: the one whose name is exactly it, else the only one whose name
    (or @username) contains it. InvalidInput when nobody matches or several do (it names them)."""
    wanted = (typed or "").strip().lstrip("@").casefold()
    if not wanted:
        raise InvalidInput("error-assist-helper-unknown", name=typed or "")
    exact = [u for u in people if u.name.casefold() == wanted or (u.username or "").casefold() == wanted]
    if len(exact) == 1:
        return exact[0]
    found = exact or [u for u in people if wanted in u.name.casefold() or wanted in (u.username or "").casefold()]
    if not found:
        raise InvalidInput("error-assist-helper-unknown", name=typed.strip())
    if len(found) > 1:
        raise InvalidInput("error-assist-helper-several", names="、".join(u.name for u in found[:5]))
    return found[0]


async def _subject_label(uow: UnitOfWork, q: Question) -> Phrase:
    if q.ticket_id is not None:
        return Phrase("assist-about-ticket", {"number": ticket_number(q.ticket_id)})
    deal = await uow.opportunities.get(q.opportunity_id or 0)
    return Phrase("assist-about-deal", {"deal": deal.title if deal else "—"})


async def subject_open(uow: UnitOfWork, q: Question) -> bool:
    """The ticket is still open (not resolved or closed), or the deal (not won or lost)."""
    if q.ticket_id is not None:
        ticket = await uow.tickets.get(q.ticket_id)
        return ticket is not None and ticket.status in TICKET_OPEN
    deal = await uow.opportunities.get(q.opportunity_id or 0)
    return deal is not None and deal.is_open


# --- asking ----------------------------------------------------------------------------------------------


async def _team(uow: UnitOfWork, team_id: int) -> Team:
    team = await uow.teams.get(team_id)
    if team is None:
        raise NotFound()
    return team


async def _params(uow: UnitOfWork, q: Question, **more: Any) -> dict[str, Any]:
    return {"company": q.company, "about": await _subject_label(uow, q), "question": q.question, **more}


def _helper_actions(q: Question) -> tuple[tuple[Action, ...], ...]:
    assert q.id is not None
    return ((Action(ACTION_ACCEPT, q.id), Action(ACTION_ANSWER, q.id)),)


async def ask(
    uow: UnitOfWork, *, actor: User, helper_id: int, question: str, deadline: Deadline, now: datetime,
    ticket_id: int | None = None, deal_id: int | None = None,
) -> Question:
    """求助同事: the colleague gets the question with its deadline and Accept / Answer."""
    subject = await about(uow, actor, ticket_id=ticket_id, deal_id=deal_id)
    text = read_question(question)
    helper = await uow.users.get(helper_id)
    if helper is None or not helper.active or helper.team_id != subject.team_id:
        raise InvalidInput("error-assist-helper")
    if helper.id == actor.id:
        raise InvalidInput("error-assist-helper-self")
    assert actor.id is not None and helper.id is not None
    team = await _team(uow, subject.team_id)
    due = deadline_at(deadline, now, team)
    q = Question(
        team_id=subject.team_id, asked_by=actor.id, helper_id=helper.id, company=subject.company, question=text,
        created_at=now, due_at=due, remind_at=remind_at(now, due, team), ticket_id=subject.ticket_id,
        opportunity_id=subject.opportunity_id,
    )
    q.check_at = next_check(q)
    await uow.assists.add(q)
    assert q.id is not None
    await record(uow, now=now, action="assist.asked", entity="assist", entity_id=q.id, actor_id=actor.id,
                 team_id=q.team_id, after={"helper_id": helper.id, "ticket_id": q.ticket_id,
                                           "opportunity_id": q.opportunity_id, "due": due.isoformat()})
    if q.ticket_id is not None:  # the ticket's history shows it
        await record(uow, now=now, action="assist.asked", entity="ticket", entity_id=q.ticket_id, actor_id=actor.id,
                     team_id=q.team_id, after={"note": f"{helper.name}: {text}", "question_id": q.id})
    await tell_user(uow, helper.id, Notice(
        Kind.ASSIST_ASKED, about=q.id, params=await _params(uow, q, asker=actor.name, due=due),
        actions=_helper_actions(q), fresh=True,
    ), team_id=q.team_id, now=now)
    return q


# --- the colleague's side, and the asker's ------------------------------------------------------------------


async def _question(uow: UnitOfWork, viewer: User, question_id: int) -> Question:
    q = await uow.assists.get(question_id)
    if q is None:
        raise NotFound("error-assist-not-found")
    if not viewer.active or not in_team(viewer, q.team_id):
        raise Forbidden("error-other-team")
    return q


async def _helpers_question(uow: UnitOfWork, actor: User, question_id: int) -> Question:
    q = await _question(uow, actor, question_id)
    if actor.id != q.helper_id:
        raise Forbidden("error-assist-not-asked")
    if q.state is AssistState.WITHDRAWN:
        raise AlreadyDone("error-assist-withdrawn")
    if q.state is AssistState.ANSWERED:
        raise AlreadyDone("error-assist-answered-already")
    if not await subject_open(uow, q):
        raise AlreadyDone("error-assist-subject-closed")
    return q


answerable = _helpers_question  # the colleague may still answer it (else the refusal says why)


async def accept(uow: UnitOfWork, *, actor: User, question_id: int, now: datetime) -> Question:
    """接受: the colleague takes it on; the asker hears of it."""
    q = await _helpers_question(uow, actor, question_id)
    if q.state is not AssistState.ASKED or not await uow.assists.update(
        q, expect=(AssistState.ASKED,), state=AssistState.ACCEPTED, accepted_at=now,
    ):
        raise AlreadyDone("error-assist-accepted-already")
    assert q.id is not None
    await record(uow, now=now, action="assist.accepted", entity="assist", entity_id=q.id, actor_id=actor.id,
                 team_id=q.team_id)
    await tell_user(uow, q.asked_by, Notice(
        Kind.ASSIST_ACCEPTED, about=q.id, params=await _params(uow, q, helper=actor.name),
        actions=((Action(ACTION_OPEN, q.id),),), fresh=True,
    ), team_id=q.team_id, now=now)
    return q


async def answer(uow: UnitOfWork, *, actor: User, question_id: int, text: str, now: datetime) -> Question:
    """答复 (accepting first is optional): the answer lands on the ticket's history or the deal's timeline,
    with who and when, and goes to the asker."""
    q = await _helpers_question(uow, actor, question_id)
    reply = read_answer(text)
    if not await uow.assists.update(
        q, expect=PENDING, state=AssistState.ANSWERED, answer=reply, answered_at=now, check_at=None,
    ):
        raise AlreadyDone("error-assist-answered-already")
    assert q.id is not None and actor.id is not None
    await record(uow, now=now, action="assist.answered", entity="assist", entity_id=q.id, actor_id=actor.id,
                 team_id=q.team_id)
    if q.ticket_id is not None:
        await record(uow, now=now, action="assist.answered", entity="ticket", entity_id=q.ticket_id,
                     actor_id=actor.id, team_id=q.team_id, after={"note": reply, "question_id": q.id})
    elif q.opportunity_id is not None:
        await uow.activities.add(Activity(
            team_id=q.team_id, actor_id=actor.id, kind=ActivityKind.NOTE, at=now, opportunity_id=q.opportunity_id,
            note=f"🤝 {q.question}\n💬 {reply}",
        ))
    await moved_on(uow, Subject.ASSIST, q.id, why="assist.answered", now=now)
    await tell_user(uow, q.asked_by, Notice(
        Kind.ASSIST_ANSWERED, about=q.id, params=await _params(uow, q, helper=actor.name, answer=reply),
        actions=((Action(ACTION_OPEN, q.id),),),
    ), team_id=q.team_id, now=now)
    return q


async def withdraw(uow: UnitOfWork, *, actor: User, question_id: int, now: datetime) -> Question:
    """撤回: the asker (or a manager) takes the question back; the colleague is told, nothing more is said."""
    q = await _question(uow, actor, question_id)
    if not (actor.id == q.asked_by or manages_team(actor, q.team_id)):
        raise Forbidden("error-assist-not-yours")
    if not q.pending or not await uow.assists.update(
        q, expect=PENDING, state=AssistState.WITHDRAWN, withdrawn_at=now, check_at=None,
    ):
        raise AlreadyDone("error-assist-closed-already")
    assert q.id is not None
    await record(uow, now=now, action="assist.withdrawn", entity="assist", entity_id=q.id, actor_id=actor.id,
                 team_id=q.team_id)
    await moved_on(uow, Subject.ASSIST, q.id, why="assist.withdrawn", now=now)
    await tell_user(uow, q.helper_id, Notice(
        Kind.ASSIST_WITHDRAWN, about=q.id, params=await _params(uow, q, asker=actor.name),
    ), team_id=q.team_id, now=now)
    return q


# --- the question's card -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class QuestionCard:
    question: Question
    team: Team
    asker: str
    helper: str
    about: Phrase
    subject_open: bool
    may_answer: bool  # the colleague, while it waits and its subject is open
    may_withdraw: bool  # the asker (or a manager), while it waits


async def question_card(uow: UnitOfWork, *, viewer: User, question_id: int) -> QuestionCard:
    """Who may see it: the asker, the colleague, the team's managers."""
    q = await _question(uow, viewer, question_id)
    if viewer.id not in (q.asked_by, q.helper_id) and not manages_team(viewer, q.team_id):
        raise Forbidden("error-assist-not-yours")
    still = await subject_open(uow, q)
    return QuestionCard(
        question=q, team=await _team(uow, q.team_id), asker=await name_of(uow, q.asked_by),
        helper=await name_of(uow, q.helper_id), about=await _subject_label(uow, q), subject_open=still,
        may_answer=viewer.id == q.helper_id and q.pending and still,
        may_withdraw=(viewer.id == q.asked_by or manages_team(viewer, q.team_id)) and q.pending,
    )


@dataclass(frozen=True)
class Waiting:
    """A question from a card still waiting for its colleague, for that card."""

    question: Question
    helper: str


async def waiting_on(
    uow: UnitOfWork, *, viewer: User, ticket_id: int | None = None, deal_id: int | None = None
) -> list[Waiting]:
    """The questions asked from a ticket's or a deal's card that still wait for an answer, for whoever may
    see the question (its asker, its colleague, a manager)."""
    if ticket_id:
        found = await uow.assists.for_subject(ticket_id=ticket_id)
    elif deal_id:
        found = await uow.assists.for_subject(opportunity_id=deal_id)
    else:
        return []
    return [
        Waiting(q, await name_of(uow, q.helper_id)) for q in found
        if q.pending and in_team(viewer, q.team_id)
        and (viewer.id in (q.asked_by, q.helper_id) or manages_team(viewer, q.team_id))
    ]


# --- the watch -------------------------------------------------------------------------------------------


async def assist_check(uow: UnitOfWork, q: Question, now: datetime) -> bool:
    """The sweep's act for one pending question past its check: the colleague's reminder at 3/4 of the time,
    the asker's notice once the deadline has passed (both, when the sweep was away past both). A question
    whose subject closed is let go quietly."""
    if not q.pending or q.check_at is None or q.check_at > now:
        return False
    if not await subject_open(uow, q):
        return await uow.assists.update(q, expect=PENDING, stage=q.nudge_stage, check_at=None)
    old = q.nudge_stage
    stage = 2 if now >= q.due_at else 1
    check_at = None if stage >= 2 else q.due_at
    if not await uow.assists.update(q, expect=PENDING, stage=old, nudge_stage=stage, check_at=check_at):
        return False
    assert q.id is not None
    if old < 1:
        await tell_user(uow, q.helper_id, Notice(
            Kind.ASSIST_DUE, about=q.id, params=await _params(uow, q, asker=await name_of(uow, q.asked_by),
                                                              due=q.due_at),
            actions=_helper_actions(q),
        ), team_id=q.team_id, now=now)
    if stage >= 2:
        await tell_user(uow, q.asked_by, Notice(
            Kind.ASSIST_OVERDUE, about=q.id, params=await _params(uow, q, helper=await name_of(uow, q.helper_id),
                                                                  due=q.due_at),
            actions=((Action(ACTION_OPEN, q.id),),),
        ), team_id=q.team_id, now=now)
        await record(uow, now=now, action="assist.overdue", entity="assist", entity_id=q.id, actor_id=None,
                     team_id=q.team_id)
    return True


class _QuestionsDue:
    def __init__(self, uow: UnitOfWork) -> None:
        self.uow = uow

    async def due(self, now: datetime, limit: int, skip: Collection[int] = ()) -> Sequence[Question]:
        return await self.uow.assists.due(now, limit, skip)


ASSIST_SWEEP: Sweep[Question] = Sweep(name="assist", source=_QuestionsDue, act=assist_check)


async def agenda_of(uow: UnitOfWork, team_id: int) -> Sequence[AgendaQuestion]:
    return await uow.assists.agenda(team_id)
