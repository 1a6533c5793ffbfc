"""Follow-up (深度跟进): log what happened with a customer and plan the next step, the deal's timeline,
the follow-up nudge and its escalation, the silence watch (stale deals), idle limits, search and the
manager's stale report. The rules are in domain/followup.py.

Next-step times: a preset button (tomorrow, in 3 days, next week: domain.followup.next_step_time, the
start of that working day) is not exact (`exact_time=False`), so the nudge keeps to the team's working
hours; a time the rep typed (`明天 10点`, read with domain.timeparse.parse_when and
`default_time=team.work_start`, so a bare date means the start of that day) is exact
(`exact_time=True`): the nudge goes then, even after hours, like a reminder people set in /remind.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from datetime import UTC, datetime

from domain.errors import AlreadyDone, Forbidden, InvalidInput, NotFound
from domain.followup import (
    ACTION_LOG,
    ACTION_LOSE,
    ACTION_OPEN,
    CONTACT_KINDS,
    MAX_AHEAD,
    MAX_IDLE_DAYS,
    MAX_NEEDS,
    MAX_NOTE,
    MAX_STEP,
    MIN_IDLE_DAYS,
    SUBJECT_OPPORTUNITY,
    Flag,
    Hint,
    Level,
    LogResult,
    SearchHit,
    SearchRow,
    StaleGroup,
    StaleItem,
    TimelinePage,
    Visibility,
    escalation_deadline,
    idle_limit,
    idle_limits,
    parse_search,
    period_key,
    silence_verdict,
    snippet,
    suggestion,
    toward_proposal,
)
from domain.model import Role, User
from domain.notifications import Action, Notification, OutboxMessage, Phrase
from domain.pipeline import (
    PIPELINE,
    Activity,
    ActivityKind,
    ActivityOutcome,
    Lead,
    Opportunity,
    Stage,
    TeamPolicy,
)
from domain.ports import UnitOfWork
from domain.reminders import Reminder, ReminderState
from domain.services.assigning import check_policy_editor, get_policy, managers_of, name_of
from domain.services.audit import record
from domain.services.reminders import SubjectNudge, nudge_key, register_subject, snooze_actions
from domain.stages import moves_for
from domain.sweeps import Sweep
from domain.worktime import local

MAX_PER_PAGE = 20


# --- access ---------------------------------------------------------------------------------------


def _manages(actor: User, team_id: int) -> bool:
    return actor.role is Role.ADMIN or (actor.role is Role.MANAGER and actor.team_id == team_id)


async def _deal(uow: UnitOfWork, viewer: User, opportunity_id: int) -> Opportunity:
    if not viewer.active:
        raise Forbidden()
    opportunity = await uow.opportunities.get(opportunity_id)
    if opportunity is None:
        raise NotFound("error-deal-not-found")
    if viewer.role is not Role.ADMIN and viewer.team_id != opportunity.team_id:
        raise Forbidden("error-other-team")
    return opportunity


async def _lead(uow: UnitOfWork, opportunity: Opportunity) -> Lead:
    lead = await uow.leads.get(opportunity.lead_id)
    if lead is None:
        raise NotFound("error-deal-not-found")
    return lead


def _visibility(viewer: User) -> Visibility:
    """Reps see their own deals, managers and finance their team's, admins everyone's."""
    if viewer.role is Role.ADMIN:
        return Visibility()
    if viewer.role in (Role.MANAGER, Role.FINANCE):
        return Visibility(team_id=viewer.team_id)
    return Visibility(owner_id=viewer.id or -1)


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
    opportunity = await _deal(uow, actor, opportunity_id)
    assert opportunity.id is not None and actor.id is not None
    if opportunity.owner_id != actor.id and not _manages(actor, opportunity.team_id):
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

    lead = await _lead(uow, opportunity)
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
    if opportunity.owner_id is not None and opportunity.owner_id != actor.id:
        await uow.outbox.put(
            OutboxMessage(
                key="followup-logged-by-other", dedupe_key=f"activity:{activity.id}:to:{opportunity.owner_id}",
                recipient_id=opportunity.owner_id, team_id=opportunity.team_id,
                params={
                    "actor": actor.name, "company": lead.company, "kind": Phrase(f"activity-kind-{activity_kind.value}"),
                    "outcome": Phrase(f"activity-outcome-{result.value}") if result else Phrase("followup-outcome-none"),
                    "note": (text or "—")[:300], "step": _step_param(step, due),
                },
                actions=((Action(ACTION_OPEN, opportunity.id),),),
                kind="followup.logged",
            )
        )
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
    """The deal's activities, newest first, with who and when. Who may see the deal card may see this:
    its owner, the rep a hand-off waits for, reps of the team while it is in the pool; managers and
    finance their team's; admins all."""
    opportunity = await _deal(uow, viewer, opportunity_id)
    assert opportunity.id is not None
    if viewer.role not in (Role.ADMIN, Role.MANAGER, Role.FINANCE) and opportunity.owner_id != viewer.id:
        pending = await uow.handoffs.pending_for(opportunity.id)
        offered = pending is not None and pending.to_user_id == viewer.id
        if not offered and not opportunity.in_pool:
            raise Forbidden("error-deal-not-yours")
    per_page = max(1, min(per_page, MAX_PER_PAGE))
    page = max(0, page)
    items, total = await uow.followups.timeline(opportunity.id, page * per_page, per_page)
    return TimelinePage(items=list(items), total=total, page=page, per_page=per_page)


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
    lead = await _lead(uow, opportunity)
    team = await uow.teams.get(opportunity.team_id)
    if team is None:
        return None
    message = OutboxMessage(
        key="followup-nudge",
        dedupe_key=nudge_key(reminder),
        recipient_id=reminder.user_id,
        team_id=reminder.team_id,
        params={
            "company": lead.company, "contact": lead.contact_name or "—", "stage": Phrase(f"stage-{opportunity.stage.value}"),
            "step": reminder.note or Phrase("followup-step-unnamed"), "due": reminder.due_at,
            "last": _last_param(await uow.followups.last_activity(opportunity.id)),
        },
        actions=(
            (Action(ACTION_LOG, opportunity.id), Action(ACTION_LOSE, opportunity.id, opportunity.stage.value)),
            snooze_actions(reminder),
        ),
        explicit_time=reminder.explicit,
        not_before=reminder.due_at,
        kind="followup.nudge",
    )
    return SubjectNudge(
        message=message, escalate_at=escalation_deadline(max(now, reminder.due_at), team, exact=reminder.explicit)
    )


register_subject(SUBJECT_OPPORTUNITY, followup_nudge)


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
    lead = await _lead(uow, opportunity)
    rep = await name_of(uow, reminder.user_id)
    await record(
        uow, now=now, action="followup.escalated", entity="reminder", entity_id=reminder.id, actor_id=None,
        team_id=reminder.team_id, after={"opportunity_id": opportunity.id, "rep_id": reminder.user_id},
    )
    for manager in await managers_of(uow, opportunity.team_id, exclude=(reminder.user_id,)):
        await uow.outbox.put(
            OutboxMessage(
                key="followup-escalated-manager",
                dedupe_key=f"followup:{reminder.id}:escalated:to:{manager.id}",
                recipient_id=manager.id, team_id=opportunity.team_id,
                params={
                    "rep": rep, "company": lead.company, "step": reminder.note or Phrase("followup-step-unnamed"),
                    "due": reminder.due_at, "nudged": reminder.sent_at or reminder.due_at,
                },
                actions=((Action(ACTION_OPEN, opportunity.id),),),
                kind="followup.escalated",
            )
        )
    return True


ESCALATION_SWEEP: Sweep[Reminder] = Sweep(name="followup-escalation", source=DueEscalations, act=escalate_followup)


# --- the silence watch ----------------------------------------------------------------------------


class SilentDeals:
    """The silence sweep's source: deals whose silence check has come (an index on the check time)."""

    def __init__(self, uow: UnitOfWork) -> None:
        self.uow = uow

    async def due(self, now: datetime, limit: int, skip: Collection[int] = ()) -> Sequence[Opportunity]:
        return await self.uow.followups.silent(now, limit, skip)


async def check_silence(uow: UnitOfWork, opportunity: Opportunity, now: datetime) -> bool:
    """The sweep's act for one deal whose check came: alert what its silence has earned (the owner at
    the stage's limit, or sooner without a next step; the manager at twice the limit), once per silence
    period, and schedule the next check. True when it alerted someone."""
    assert opportunity.id is not None
    level, check = opportunity.silence_level, opportunity.silence_check_at
    owner_id = opportunity.owner_id
    if owner_id is None or not opportunity.is_open:
        await uow.followups.set_silence(opportunity, expect_level=level, expect_check=check, level=level, check_at=None)
        return False
    policy = await get_policy(uow, team_id=opportunity.team_id)
    limit = idle_limit(policy, opportunity.stage)
    verdict = silence_verdict(
        opportunity, limit=limit, has_next_step=await uow.followups.has_next_step(opportunity.id, owner_id), now=now
    )
    alert = verdict.alert(level)
    # Limits raised since an alert: the level comes down, and the same period may alert again later
    # (its dedupe keys make sure nobody hears the same thing twice).
    if not await uow.followups.set_silence(
        opportunity, expect_level=level, expect_check=check, level=verdict.deserved, check_at=verdict.check_at
    ):
        return False
    if alert is None:
        return False
    lead = await _lead(uow, opportunity)
    period = period_key(opportunity)
    idle_days = (now - opportunity.idle_since).days
    stage = Phrase(f"stage-{opportunity.stage.value}")
    await record(
        uow, now=now, action="opportunity.silence", entity="opportunity", entity_id=opportunity.id, actor_id=None,
        team_id=opportunity.team_id,
        after={"level": int(alert), "flag": verdict.flag.value if verdict.flag else None, "idle_days": idle_days},
    )
    if level < Level.OWNER:
        key = "followup-stale-owner" if verdict.flag is Flag.SILENT else "followup-no-step-owner"
        await uow.outbox.put(
            OutboxMessage(
                key=key, dedupe_key=f"silence:{opportunity.id}:{period}:owner", recipient_id=owner_id,
                team_id=opportunity.team_id,
                params={
                    "company": lead.company, "days": idle_days, "limit": limit.days, "stage": stage,
                    "try": Phrase(f"followup-try-{suggestion(opportunity.stage, opportunity.idle_since)}"),
                },
                actions=((Action(ACTION_LOG, opportunity.id), Action(ACTION_OPEN, opportunity.id)),),
                kind="followup.stale",
            )
        )
    if alert is Level.MANAGER:
        owner = await name_of(uow, owner_id)
        for manager in await managers_of(uow, opportunity.team_id, exclude=(owner_id,)):
            await uow.outbox.put(
                OutboxMessage(
                    key="followup-stale-manager", dedupe_key=f"silence:{opportunity.id}:{period}:manager:{manager.id}",
                    recipient_id=manager.id, team_id=opportunity.team_id,
                    params={"rep": owner, "company": lead.company, "days": idle_days, "limit": limit.days, "stage": stage},
                    actions=((Action(ACTION_OPEN, opportunity.id),),),
                    kind="followup.stale",
                )
            )
    return True


SILENCE_SWEEP: Sweep[Opportunity] = Sweep(name="silence", source=SilentDeals, act=check_silence)


# --- a manager's nudge ----------------------------------------------------------------------------


async def ping_owner(uow: UnitOfWork, *, actor: User, opportunity_id: int, now: datetime) -> Notification:
    """A manager asks the owner of a quiet deal to follow up (from /stale). Once per manager, deal and
    day: a second press the same day changes nothing. The nudge keeps to working hours like any nudge
    the rep did not ask for; the returned row says when it goes."""
    opportunity = await _deal(uow, actor, opportunity_id)
    if not _manages(actor, opportunity.team_id):
        raise Forbidden("error-stale-role")
    if opportunity.owner_id is None or not opportunity.is_open:
        raise InvalidInput("error-ping-no-owner")
    assert opportunity.id is not None and actor.id is not None
    lead = await _lead(uow, opportunity)
    team = await uow.teams.get(opportunity.team_id)
    day = local(now, team.timezone if team else "UTC").date().isoformat()
    queued = await uow.outbox.put(
        OutboxMessage(
            key="followup-ping-owner", dedupe_key=f"ping:{opportunity.id}:{actor.id}:{day}",
            recipient_id=opportunity.owner_id, team_id=opportunity.team_id,
            params={
                "manager": actor.name, "company": lead.company, "stage": Phrase(f"stage-{opportunity.stage.value}"),
                "days": max(0, (now - opportunity.idle_since).days),
            },
            actions=((Action(ACTION_LOG, opportunity.id), Action(ACTION_OPEN, opportunity.id)),),
            kind="followup.ping",
        )
    )
    if queued is None:
        raise AlreadyDone("error-ping-already")
    await record(
        uow, now=now, action="opportunity.pinged", entity="opportunity", entity_id=opportunity.id,
        actor_id=actor.id, team_id=opportunity.team_id, after={"owner_id": opportunity.owner_id},
    )
    return queued


# --- idle limits ----------------------------------------------------------------------------------


def _idle_changes(limits: Mapping[Stage | str, int]) -> dict[str, int]:
    cleaned: dict[str, int] = {}
    for raw, days in limits.items():
        try:
            stage = Stage(raw)
        except ValueError as exc:
            raise InvalidInput("error-idle-stage") from exc
        if stage not in PIPELINE:
            raise InvalidInput("error-idle-stage")
        if isinstance(days, bool) or not isinstance(days, int) or not MIN_IDLE_DAYS <= days <= MAX_IDLE_DAYS:
            raise InvalidInput("error-idle-days", min=MIN_IDLE_DAYS, max=MAX_IDLE_DAYS)
        cleaned[stage.value] = days
    if not cleaned:
        raise InvalidInput("error-idle-stage")
    return cleaned


async def get_idle_limits(uow: UnitOfWork, *, viewer: User, team_id: int | None = None) -> dict[Stage, int]:
    """Each open stage's maximum idle days for the viewer's team (an admin may name another)."""
    team = team_id if team_id is not None else viewer.team_id
    if not viewer.active or (viewer.role is not Role.ADMIN and viewer.team_id != team):
        raise Forbidden("error-other-team")
    return idle_limits(await get_policy(uow, team_id=team))


async def set_idle_limits(
    uow: UnitOfWork, *, actor: User, team_id: int, limits: Mapping[Stage | str, int], now: datetime
) -> dict[Stage, int]:
    """A manager of the team (or an admin) sets the maximum idle days of some stages (1–365 each); a
    bad value changes nothing. Every open deal of the team is looked at again under the new limits."""
    await check_policy_editor(uow, actor=actor, team_id=team_id)
    cleaned = _idle_changes(limits)
    policy = await get_policy(uow, team_id=team_id)
    current = idle_limits(policy)
    changed = {stage: days for stage, days in cleaned.items() if current[Stage(stage)] != days}
    if not changed:
        raise AlreadyDone("error-policy-unchanged")
    before = {stage: current[Stage(stage)] for stage in changed}
    policy.idle_days = {**policy.idle_days, **changed}  # a new object, so the JSON change is seen
    await uow.followups.recheck_team(team_id, now)
    await record(
        uow, now=now, action="policy.idle_limits", entity="team_policy", entity_id=policy.id, actor_id=actor.id,
        team_id=team_id, before=before, after=changed,
    )
    return idle_limits(policy)


# --- the stale report -----------------------------------------------------------------------------


async def stale_report(uow: UnitOfWork, *, viewer: User, now: datetime) -> list[StaleGroup]:
    """/stale for a manager (an admin: every team): the deals the silence watch has flagged and those
    with a follow-up nudged and not acted on, grouped by rep; the longest silence first, in each group
    and among the groups."""
    if not viewer.active or viewer.role not in (Role.MANAGER, Role.ADMIN):
        raise Forbidden("error-stale-role")
    rows = await uow.followups.stale(_visibility(viewer), now)
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


# --- search ---------------------------------------------------------------------------------------


def _hit(row: SearchRow, words: Sequence[str], digits: str | None) -> SearchHit:
    def make(kind: str, text: str) -> SearchHit:
        return SearchHit(
            kind=kind, opportunity_id=row.opportunity_id, title=row.title, company=row.company, snippet=text,
            stage=row.stage,
        )

    contact = " · ".join(v for v in (row.contact_name, row.phone, row.email) if v)
    if digits is not None:
        return make("contact", contact)
    needle = words[0].lower() if words else ""
    if needle in row.company.lower():
        return make("customer", row.company)
    if any(needle in (v or "").lower() for v in (row.contact_name, row.phone, row.email)):
        return make("contact", contact)
    if needle in row.title.lower():
        return make("opportunity", row.title)
    note = next((n for n in row.notes if needle in n.lower()), row.notes[0] if row.notes else "")
    return make("note", snippet(note, needle))


async def search(uow: UnitOfWork, *, viewer: User, query: str, limit: int = 10) -> list[SearchHit]:
    """/find: the viewer's visible deals (reps their own, managers and finance their team's, admins all)
    whose customer, contact (name, phone, e-mail), title or activity notes match. Every word must match
    somewhere (Chinese substrings too: 华东 finds 华东科技); a query of digits, spaces and dashes is a
    phone fragment (8001 finds +8613800138000). Most recently active first."""
    if not viewer.active:
        raise Forbidden()
    parsed = parse_search(query)
    if parsed.empty:
        raise InvalidInput("error-search-query")
    rows = await uow.followups.search(_visibility(viewer), parsed, max(1, min(limit, 50)))
    return [_hit(row, parsed.words, parsed.digits) for row in rows]


__all__ = [
    "ESCALATION_SWEEP",
    "SILENCE_SWEEP",
    "check_silence",
    "escalate_followup",
    "followup_nudge",
    "get_idle_limits",
    "log_activity",
    "search",
    "set_idle_limits",
    "stale_report",
    "timeline",
]
