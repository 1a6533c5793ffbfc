"""The follow-up nudge and its escalation."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from datetime import datetime

from domain.audit import record
from domain.deals.access import lead_of
from domain.followup.model import Activity
from domain.followup.rules import (
    ACTION_LOG,
    ACTION_LOSE,
    ACTION_OPEN,
    SUBJECT_OPPORTUNITY,
    escalation_deadline,
)
from domain.outbox.kinds import Kind
from domain.outbox.model import Action, Phrase
from domain.outbox.notify import Notice, tell_managers
from domain.ports import UnitOfWork
from domain.reminders.model import Reminder, ReminderState
from domain.reminders.services import SubjectNudge, register_subject, snooze_actions
from domain.sweeps import Sweep
from domain.team.people import name_of

# --- the follow-up nudge and its escalation -------------------------------------------------------


def _last_param(last: Activity | None) -> Phrase:
    if last is None:
        return Phrase("followup-last-none")
    facts: dict[str, object] = {
        "kind": Phrase(f"activity-kind-{last.kind.value}"),
        "outcome": Phrase(f"activity-outcome-{last.outcome.value}") if last.outcome else Phrase("followup-outcome-none"),
        "at": last.at,
    }
    said = last.note or last.needs or ("🎤" if last.voice_file_id else None)
    if said is None:
        return Phrase("followup-last-bare", facts)
    return Phrase("followup-last", {**facts, "note": said[:300]})


async def followup_nudge(uow: UnitOfWork, reminder: Reminder, now: datetime) -> SubjectNudge | None:
    """The nudge of a next step that came due: the customer, the last note and the planned step, with
    Log now / Snooze / Mark lost. None (the reminder is dropped) when the deal is closed or is no longer
    the reminder's owner's."""
    assert reminder.id is not None
    opportunity = await uow.opportunities.get(reminder.subject_id or 0)
    if opportunity is None or not opportunity.is_open or opportunity.owner_id != reminder.user_id:
        return None
    assert opportunity.id is not None
    lead = await lead_of(uow, opportunity)
    team = await uow.teams.get(opportunity.team_id)
    if team is None:
        return None
    notice = Notice(
        Kind.FOLLOWUP_NUDGE, about=reminder.id,
        params={
            "company": lead.company, "contact": lead.contact_name or "—", "stage": Phrase(f"stage-{opportunity.stage.value}"),
            "step": reminder.note or Phrase("followup-step-unnamed"),
            "last": _last_param(await uow.followups.last_activity(opportunity.id)),
        },
        actions=(
            (Action(ACTION_LOG, opportunity.id), Action(ACTION_LOSE, opportunity.id, opportunity.stage.value)),
            snooze_actions(reminder),
        ),
        at=reminder.due_at, chosen=reminder.explicit,
    )
    return SubjectNudge(
        notice=notice, escalate_at=escalation_deadline(max(now, reminder.due_at), team, exact=reminder.explicit)
    )


class DueEscalations:
    """The escalation sweep's source: nudged follow-ups past their escalation time."""

    def __init__(self, uow: UnitOfWork) -> None:
        self.uow = uow

    async def due(self, now: datetime, limit: int, skip: Collection[int] = ()) -> Sequence[Reminder]:
        return await self.uow.followups.escalations_due(now, limit, skip)


async def escalate_followup(uow: UnitOfWork, reminder: Reminder, now: datetime) -> bool:
    """The sweep's act: a follow-up nudge nobody acted on (no activity logged on the deal since, not
    snoozed, not done) by its escalation time goes to the team's managers, naming the rep; once per
    reminder. False when it was acted on, or another sweeper took it."""
    if reminder.escalate_at is None or reminder.escalate_at > now:
        return False
    opportunity = await uow.opportunities.get(reminder.subject_id or 0)
    acted = (
        reminder.state is not ReminderState.SENT
        or reminder.escalated_at is not None
        or opportunity is None
        or not opportunity.is_open
        or opportunity.owner_id != reminder.user_id
        or (
            opportunity.last_activity_at is not None
            and reminder.sent_at is not None
            and opportunity.last_activity_at >= reminder.sent_at
        )
    )
    if not await uow.followups.claim_escalation(reminder, now, escalated=not acted) or acted:
        return False
    assert opportunity is not None and opportunity.id is not None
    lead = await lead_of(uow, opportunity)
    rep = await name_of(uow, reminder.user_id)
    await record(
        uow, now=now, action="followup.escalated", entity="reminder", entity_id=reminder.id, actor_id=None,
        team_id=reminder.team_id, after={"opportunity_id": opportunity.id, "rep_id": reminder.user_id},
    )
    assert reminder.id is not None
    await tell_managers(uow, opportunity.team_id, Notice(
        Kind.FOLLOWUP_ESCALATED, about=reminder.id,
        params={
            "rep": rep, "company": lead.company, "step": reminder.note or Phrase("followup-step-unnamed"),
            "due": reminder.due_at, "nudged": reminder.sent_at or reminder.due_at,
        },
        actions=((Action(ACTION_OPEN, opportunity.id),),),
        # The sweep's own "not acted on" test, just claimed by a compare-and-set: it holds (fresh); it is
        # checked again just before sending.
        fresh=True,
    ), now=now, exclude=(reminder.user_id,))
    return True


ESCALATION_SWEEP: Sweep[Reminder] = Sweep(name="followup-escalation", source=DueEscalations, act=escalate_followup)


register_subject(SUBJECT_OPPORTUNITY, followup_nudge)
