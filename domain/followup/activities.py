"""Logging an activity with its next step, and the deal's timeline."""

from __future__ import annotations

from datetime import UTC, datetime

from domain.audit import record
from domain.deals.access import deal_access, lead_of, visible_opportunity
from domain.deals.model import Opportunity, Stage
from domain.deals.stages import moves_for
from domain.errors import Forbidden, InvalidInput
from domain.followup.model import Activity, ActivityKind, ActivityOutcome
from domain.followup.rules import (
    ACTION_OPEN,
    CONTACT_KINDS,
    MAX_AHEAD,
    MAX_NEEDS,
    MAX_NOTE,
    MAX_STEP,
    SUBJECT_OPPORTUNITY,
    Hint,
    Level,
    LogResult,
    TimelinePage,
    idle_limit,
    silence_verdict,
    toward_proposal,
)
from domain.outbox.kinds import Kind, Subject
from domain.outbox.model import Action, Phrase
from domain.outbox.notify import Notice, moved_on, tell_owner
from domain.permissions import manages_team
from domain.policy.model import TeamPolicy
from domain.policy.services import get_policy
from domain.ports import UnitOfWork
from domain.reminders.model import Reminder
from domain.team.model import Role, User

MAX_PER_PAGE = 20


# --- logging an activity --------------------------------------------------------------------------


def _text(value: str | None, limit: int, code: str) -> str | None:
    text = (value or "").strip()
    if len(text) > limit:
        raise InvalidInput(code, max=limit)
    return text or None


def _minute(at: datetime) -> datetime:
    return at.astimezone(UTC).replace(second=0, microsecond=0)


def _kind(kind: ActivityKind | str) -> ActivityKind:
    try:
        return ActivityKind(kind)
    except ValueError as exc:
        raise InvalidInput("error-followup-kind") from exc


def _outcome(kind: ActivityKind, outcome: ActivityOutcome | str | None) -> ActivityOutcome | None:
    if outcome is None or outcome == "":
        if kind in CONTACT_KINDS:
            raise InvalidInput("error-followup-outcome")
        return None
    try:
        return ActivityOutcome(outcome)
    except ValueError as exc:
        raise InvalidInput("error-followup-outcome") from exc


async def log_activity(
    uow: UnitOfWork,
    *,
    actor: User,
    opportunity_id: int,
    kind: ActivityKind | str,
    outcome: ActivityOutcome | str | None,
    note: str | None = None,
    voice_file_id: str | None = None,
    needs: str | None = None,
    next_step: str | None = None,
    next_due: datetime | None = None,
    exact_time: bool = False,
    now: datetime,
) -> LogResult:
    """Record a call, visit, message, e-mail, meeting or note on a deal: by its owner, or a manager of
    its team (an admin: any team). The deal's silence clock restarts; the owner's open follow-ups on it
    are done; a `next_due` becomes the owner's follow-up reminder (its text the `next_step`, or the
    company when none is given). A contact needs an outcome; a bare note needs a text or a voice note.
    The hints say what the flow may offer next (mark lost, advance towards a proposal, plan a step)."""
    opportunity = await visible_opportunity(uow, actor, opportunity_id)
    assert opportunity.id is not None and actor.id is not None
    if opportunity.owner_id != actor.id and not manages_team(actor, opportunity.team_id):
        raise Forbidden("error-followup-not-owner")
    if not opportunity.is_open:
        raise InvalidInput("error-followup-closed")
    activity_kind = _kind(kind)
    result = _outcome(activity_kind, outcome)
    text = _text(note, MAX_NOTE, "error-followup-note")
    voice = _text(voice_file_id, 255, "error-followup-note")
    learned = _text(needs, MAX_NEEDS, "error-followup-needs")
    step = " ".join((next_step or "").split()) or None
    if step is not None and len(step) > MAX_STEP:
        raise InvalidInput("error-followup-step", max=MAX_STEP)
    if activity_kind is ActivityKind.NOTE and not (text or voice or learned):
        raise InvalidInput("error-followup-empty-note")
    due: datetime | None = None
    if next_due is not None:
        due = _minute(next_due)
        if due <= now:
            raise InvalidInput("error-followup-due-past")
        if due > now + MAX_AHEAD:
            raise InvalidInput("error-followup-due-far")
    elif step is not None:
        raise InvalidInput("error-followup-step-date")

    lead = await lead_of(uow, opportunity)
    policy = await get_policy(uow, team_id=opportunity.team_id)
    responsible = opportunity.owner_id if opportunity.owner_id is not None else actor.id
    activity = await uow.activities.add(
        Activity(
            team_id=opportunity.team_id, actor_id=actor.id, kind=activity_kind, at=now, note=text,
            opportunity_id=opportunity.id, lead_id=lead.id, outcome=result, voice_file_id=voice, needs=learned,
            next_step=step, next_due=due,
        )
    )
    assert activity.id is not None
    completed = await uow.followups.complete_followups(opportunity.id, responsible, now)
    reminder: Reminder | None = None
    if due is not None:
        reminder = await uow.reminders.add(
            Reminder(
                user_id=responsible, team_id=opportunity.team_id, text=step or lead.company, note=step, due_at=due,
                created_at=now, explicit=exact_time, subject_kind=SUBJECT_OPPORTUNITY, subject_id=opportunity.id,
            )
        )
    # The clock restarts now; the silence sweep next looks when the owner would be due a nudge.
    opportunity.last_activity_at = now
    opportunity.updated_at = now
    verdict = silence_verdict(
        opportunity, limit=idle_limit(policy, opportunity.stage), has_next_step=due is not None, now=now
    )
    opportunity.silence_level = Level.NONE
    opportunity.silence_check_at = verdict.check_at
    await record(
        uow, now=now, action="activity.logged", entity="opportunity", entity_id=opportunity.id, actor_id=actor.id,
        team_id=opportunity.team_id,
        after={
            "activity_id": activity.id, "kind": activity_kind.value, "outcome": result.value if result else None,
            "next_due": due.isoformat() if due else None, "reminder_id": reminder.id if reminder else None,
            "completed": completed,
        },
    )
    assert activity.id is not None
    # The steps just done, the silence alerts and a manager's ping are answered: they stay unsent.
    await moved_on(uow, Subject.OPPORTUNITY, opportunity.id, why="activity.logged", now=now)
    await tell_owner(uow, opportunity, Notice(
        Kind.FOLLOWUP_LOGGED, about=activity.id,
        params={
            "actor": actor.name, "company": lead.company, "kind": Phrase(f"activity-kind-{activity_kind.value}"),
            "outcome": Phrase(f"activity-outcome-{result.value}") if result else Phrase("followup-outcome-none"),
            "note": (text or "—")[:300], "step": _step_param(step, due),
        },
        actions=((Action(ACTION_OPEN, opportunity.id),),),
    ), now=now, unless=actor.id)
    hints, advance_to = _hints(opportunity, actor, policy, result, planned=due is not None)
    return LogResult(
        activity_id=activity.id, opportunity=opportunity, reminder_id=reminder.id if reminder else None,
        completed=completed, hints=hints, advance_to=advance_to,
    )


def _step_param(step: str | None, due: datetime | None) -> Phrase:
    if due is None:
        return Phrase("followup-step-none")
    return Phrase("followup-step-at", {"step": step or "—", "due": due})


def _hints(
    opportunity: Opportunity, actor: User, policy: TeamPolicy, outcome: ActivityOutcome | None, *, planned: bool
) -> tuple[tuple[Hint, ...], Stage | None]:
    moves = moves_for(opportunity, actor=actor, owner_id=opportunity.owner_id, policy=policy)
    hints: list[Hint] = []
    advance_to: Stage | None = None
    if outcome is ActivityOutcome.NOT_INTERESTED and Stage.LOST in moves:
        hints.append(Hint.MARK_LOST)
    if outcome is ActivityOutcome.NEEDS_PROPOSAL:
        target = toward_proposal(opportunity.stage)
        if target is not None and target in moves:
            hints.append(Hint.ADVANCE)
            advance_to = target
    if not planned and outcome is not ActivityOutcome.NOT_INTERESTED:
        hints.append(Hint.PLAN_NEXT_STEP)
    return tuple(hints), advance_to


async def timeline(
    uow: UnitOfWork, *, viewer: User, opportunity_id: int, page: int = 0, per_page: int = 5
) -> TimelinePage:
    """The deal's activities, newest first, with who and when. Who may see the deal card may see this
    (domain/deals/access.py deal_access): its owner, the rep a hand-off waits for, reps of the team while
    it is in the pool, the rep who brought it in; managers and finance their team's; admins all."""
    opportunity = await visible_opportunity(uow, viewer, opportunity_id)
    assert opportunity.id is not None
    if viewer.role not in (Role.ADMIN, Role.MANAGER, Role.FINANCE) and opportunity.owner_id != viewer.id:
        deal_access(viewer, opportunity, await lead_of(uow, opportunity), await uow.handoffs.pending_for(opportunity.id))
    per_page = max(1, min(per_page, MAX_PER_PAGE))
    page = max(0, page)
    items, total = await uow.followups.timeline(opportunity.id, page * per_page, per_page)
    return TimelinePage(items=list(items), total=total, page=page, per_page=per_page)

