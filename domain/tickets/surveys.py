"""Satisfaction surveys (满意度): a single-use link for the customer, a score taken on the phone, and the
manager's alert on a low score with a one-tap follow-up ticket.

The link is `https://t.me/<bot>?start=s_<token>`: the token is 128 random bits, shown once to the person
who asked for it (never stored: the database keeps its sha256), valid for the team's `survey_days`, and
good for one answer. Whoever opens it is not a member of the team (a member is told to forward it); they
may rate 1-5 and comment, and nothing else.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta
from typing import Final

from domain.audit import record
from domain.errors import AlreadyDone, Forbidden, InvalidInput, NotFound
from domain.outbox.kinds import Kind
from domain.outbox.model import Action, Phrase
from domain.outbox.notify import Notice, tell_managers
from domain.permissions import manages_team
from domain.ports import UnitOfWork
from domain.team.model import User
from domain.team.people import name_of
from domain.tickets.model import (
    DONE,
    LOW_SCORE,
    MAX_COMMENT,
    SCORES,
    Category,
    Priority,
    Survey,
    SurveyChannel,
    TicketDraft,
)
from domain.tickets.services import ACTION_OPEN, open_ticket, visible_ticket

LINK_PREFIX: Final = "s_"  # a /start payload that is a survey link (an invite code never starts so)
TOKEN_BYTES: Final = 16
ACTION_FOLLOW_UP: Final = "survey.follow_up"


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def is_survey_payload(payload: str | None) -> bool:
    return bool(payload) and str(payload).startswith(LINK_PREFIX)


def read_score(value: int) -> int:
    if value not in SCORES:
        raise InvalidInput("error-survey-score")
    return value


def read_comment(text: str | None) -> str | None:
    cleaned = (text or "").strip() or None
    if cleaned is not None and len(cleaned) > MAX_COMMENT:
        raise InvalidInput("error-survey-comment-long", max=MAX_COMMENT)
    return cleaned


async def issue_link(uow: UnitOfWork, *, actor: User, ticket_id: int, now: datetime) -> str:
    """A fresh survey payload (`s_<token>`) for a resolved ticket, for its owner (or a manager) to forward."""
    ticket = await visible_ticket(uow, actor, ticket_id)
    if actor.id != ticket.owner_id and not manages_team(actor, ticket.team_id):
        raise Forbidden("error-ticket-not-yours")
    if ticket.status not in DONE:
        raise InvalidInput("error-survey-not-resolved")
    policy = await uow.tickets.policy(ticket.team_id)
    token = secrets.token_urlsafe(TOKEN_BYTES)
    assert actor.id is not None
    survey = await uow.tickets.add_survey(Survey(
        team_id=ticket.team_id, company=ticket.company, company_key=ticket.company_key, created_by=actor.id,
        created_at=now, ticket_id=ticket.id, opportunity_id=ticket.opportunity_id, token_hash=hash_token(token),
        expires_at=now + timedelta(days=policy.survey_days),
    ))
    await record(
        uow, now=now, action="survey.issued", entity="survey", entity_id=survey.id, actor_id=actor.id,
        team_id=ticket.team_id, after={"ticket": ticket.number, "expires_at": (survey.expires_at or now).isoformat()},
    )
    return LINK_PREFIX + token


async def open_link(uow: UnitOfWork, *, payload: str, member: User | None, now: datetime) -> Survey:
    """The survey a link names, if it may still be answered; members of any team are refused (the link
    is for their customer), as are unknown, used and expired links alike."""
    if member is not None:
        raise Forbidden("error-survey-member")
    token = payload[len(LINK_PREFIX):] if is_survey_payload(payload) else ""
    survey = await uow.tickets.survey_by_hash(hash_token(token)) if token else None
    if survey is None or survey.channel is not SurveyChannel.LINK:
        raise NotFound("error-survey-link")
    _still_open(survey, now)
    return survey


def _still_open(survey: Survey, now: datetime) -> None:
    if survey.answered:
        raise AlreadyDone("error-survey-used")
    if survey.expires_at is not None and survey.expires_at <= now:
        raise InvalidInput("error-survey-expired")


async def answer(
    uow: UnitOfWork, *, survey_id: int, respondent: int, score: int, comment: str | None, now: datetime
) -> Survey:
    """The customer's answer through the link: once; a low score reaches the managers at once."""
    survey = await uow.tickets.get_survey(survey_id)
    if survey is None or survey.channel is not SurveyChannel.LINK:
        raise NotFound("error-survey-link")
    _still_open(survey, now)
    score, comment = read_score(score), read_comment(comment)
    if not await uow.tickets.answer_survey(survey, now, score=score, comment=comment, respondent=respondent,
                                           answered_at=now):
        raise AlreadyDone("error-survey-used")
    await _answered(uow, survey, None, now, "survey.answered")
    return survey


async def record_phone_score(
    uow: UnitOfWork, *, actor: User, ticket_id: int, score: int, comment: str | None, now: datetime
) -> Survey:
    """The rep writes down the score the customer gave on the phone."""
    ticket = await visible_ticket(uow, actor, ticket_id)
    if actor.id != ticket.owner_id and not manages_team(actor, ticket.team_id):
        raise Forbidden("error-ticket-not-yours")
    if ticket.status not in DONE:
        raise InvalidInput("error-survey-not-resolved")
    assert actor.id is not None
    survey = await uow.tickets.add_survey(Survey(
        team_id=ticket.team_id, company=ticket.company, company_key=ticket.company_key, created_by=actor.id,
        created_at=now, channel=SurveyChannel.PHONE, ticket_id=ticket.id, opportunity_id=ticket.opportunity_id,
        answered_at=now, score=read_score(score), comment=read_comment(comment),
    ))
    await _answered(uow, survey, actor, now, "survey.phone")
    return survey


async def _answered(uow: UnitOfWork, survey: Survey, actor: User | None, now: datetime, action: str) -> None:
    assert survey.id is not None
    ticket = await uow.tickets.get(survey.ticket_id) if survey.ticket_id else None
    after = {"score": survey.score, "comment": survey.comment, "channel": survey.channel.value,
             "note": f"{survey.score}/5" + (f" {survey.comment}" if survey.comment else "")}
    await record(uow, now=now, action=action, entity="ticket" if ticket else "survey",
                 entity_id=ticket.id if ticket else survey.id, actor_id=actor.id if actor else None,
                 team_id=survey.team_id, after=after)
    if survey.score is None or survey.score > LOW_SCORE:
        return
    owner = await name_of(uow, ticket.owner_id if ticket else survey.created_by)
    actions = [Action(ACTION_FOLLOW_UP, survey.id)]
    if ticket is not None and ticket.id is not None:
        actions.append(Action(ACTION_OPEN, ticket.id))
    await tell_managers(uow, survey.team_id, Notice(
        Kind.SURVEY_LOW_SCORE, about=survey.id, actions=(tuple(actions),),
        params={
            "company": survey.company, "number": ticket.number if ticket else "—", "score": survey.score,
            "comment": survey.comment or Phrase("survey-no-comment"), "owner": owner,
            "channel": Phrase(f"survey-channel-{survey.channel.value}"),
        },
    ), now=now)


async def follow_up(uow: UnitOfWork, *, actor: User, survey_id: int, now: datetime) -> int:
    """A manager opens a follow-up ticket from a low score (once: a second tap opens the same one)."""
    survey = await uow.tickets.get_survey(survey_id)
    if survey is None:
        raise NotFound("error-survey-link")
    if not manages_team(actor, survey.team_id):
        raise Forbidden("error-survey-follow-up-role")
    if survey.follow_up_id is not None:
        return survey.follow_up_id
    ticket = await uow.tickets.get(survey.ticket_id) if survey.ticket_id else None
    description = f"{survey.score}/5" + (f" {survey.comment}" if survey.comment else "")
    if ticket is not None:
        description += f" ({ticket.number})"
    created = await open_ticket(uow, actor=actor, draft=TicketDraft(
        category=Category.COMPLAINT, priority=Priority.P2, description=description,
        opportunity_id=survey.opportunity_id, company=survey.company,
        contact=ticket.contact if ticket else None,
    ), now=now, survey_id=survey.id)
    assert created.id is not None
    if not await uow.tickets.set_follow_up(survey, created.id):
        raise AlreadyDone("error-survey-follow-up-done")
    return created.id
