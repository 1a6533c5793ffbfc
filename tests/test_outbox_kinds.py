"""The notification registry (domain/outbox/kinds.py) and telling people (domain/outbox/notify.py):
every kind renders in both languages with its parameters, dedupe keys stay what live databases hold,
recipients are resolved as the services expect, working hours hold back what is not urgent, and the
row records its subject."""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from fluent.syntax import ast, parse, visitor
from sqlalchemy import select

from bot.factory import App
from bot.i18n import LOCALES, catalogue
from bot.render import Renderer
from domain.outbox.kinds import HELD_AT_MOST, Audience, Kind, Subject, Urgency, Valid, send_at
from domain.outbox.model import Phrase, Reader
from domain.outbox.notify import Notice, tell_group, tell_managers, tell_owner, tell_user
from domain.reminders.model import Reminder, ReminderState
from domain.team.model import Language, Role, Team, User
from storage.tables import notifications
from tests.fakes import START, FakeClock, FakeUnitOfWork

AT = datetime(2026, 11, 26, 6, 30, tzinfo=UTC)  # Thursday 14:30 in Shanghai

# A value for every parameter a kind declares, of the type the services pass.
SAMPLES: dict[str, Any] = {
    "actor": "小李", "assignee": "小王", "channel": "官网表单", "url": "https://oa.example.com/hook",
    "failures": 15, "error": "HTTP 500", "by": "李经理", "company": "华东科技 <有限公司>", "contact": "王先生",
    "cooloff": 3, "days": 9, "deadline": AT, "due": AT, "from_stage": Phrase("stage-qualified"),
    "handoffs": Phrase("followup-agenda-handoffs", {"count": 1, "items": "• 华东科技 ⏳ 11-26 14:30"}),
    "head": Phrase("followup-agenda-head"), "kind": Phrase("activity-kind-call"),
    "last": Phrase("followup-last-bare", {"kind": Phrase("activity-kind-call"),
                                          "outcome": Phrase("activity-outcome-reached"), "at": AT}),
    "limit": 7, "manager": "李经理", "minutes": 30, "name": "小王 @xiaowang", "need": "50 套 CRM",
    "next": Phrase("followup-agenda-next"), "note": "客户要报价", "nudged": AT,
    "outcome": Phrase("handoff-next-rep", {"name": "小张"}), "overdue": "", "owner": "小王",
    "reason": Phrase("decline-reason-busy"), "reasons": [Phrase("score-reason-budget", {"points": 3})],
    "rep": "小王", "role": "rep", "score": 8, "source": Phrase("source-website"), "stage": Phrase("stage-proposal"),
    "step": "发报价单", "team": "华东销售部", "text": "给华东科技回电话", "try": Phrase("followup-try-share_case"),
    "why": Phrase("pool-why-declined"),
    # quotes (issue 11)
    "number": "Q-2026-0001-v1", "deal": "华东科技 CRM", "level": Phrase("quote-level-manager"), "total": "¥108,800.00",
    "discount": "15%", "margin_before": "68.8%", "margin_after": "63.2%", "lines": "1. CRM 专业版 × 10 = ¥108,800.00",
    "uncovered": "• 移动端", "approver": "李经理", "percent": "12%", "asked": "15%", "until": "2026-12-11",
    "where": Phrase("quote-where-reminded", {"approvers": "李经理"}), "waiting": "李经理",
    # contracts and payments (issue 12)
    "amount": "¥43,392.00", "milestone": "1. 签约后", "paid_on": "2026-11-26", "method": Phrase("payment-method-bank"),
    "outstanding": "¥101,248.00", "receipt": Phrase("payment-receipt-attached"), "over": "¥100.00",
    "when": Phrase("payment-when-overdue", {"days": 7}), "provider": "webhook-signed",
    "payments": Phrase("payment-agenda", {
        "due": Phrase("payment-agenda-due", {"count": 1, "items": "• HT-2026-0001 华东科技 1. 签约后 ¥43,392.00"}),
        "overdue": "", "waiting": Phrase("payment-agenda-waiting", {"count": 2}),
    }),
    # report digests (issue 14)
    "leads": 12, "handoffs_waiting": 2, "approvals_waiting": 1,
    "breakpoints": [Phrase("report-digest-bp", {"label": Phrase("report-bp-silent"), "n": 3})],
    "period": Phrase("report-span", {"m1": 11, "d1": 23, "m2": 11, "d2": 29}), "leads_change": "+3", "won": 2,
    "won_change": "-1", "rate": "40%", "rate_change": "+5", "touches": 14, "on_time": 5,
    # after-sales (issue 13)
    "opener": "李经理", "priority": Phrase("ticket-priority-p1"), "category": Phrase("ticket-category-fault"),
    "late": Phrase("ticket-late-100"), "comment": "响应太慢",
    # delivery checklists (issue 13)
    "item": Phrase("delivery-item-install"), "on": "2027-11-26",
    "delivery": Phrase("delivery-agenda", {"count": 1, "items": (Phrase("delivery-agenda-line", {
        "company": "华东科技", "item": Phrase("delivery-item-install"), "due": AT, "late": ""}),)}),
    # cross-team help (issue 13)
    "asker": "小王", "helper": "小李", "about": Phrase("assist-about-ticket", {"number": "T-00001"}),
    "question": "客户问能不能对接金蝶？", "answer": "可以，用标准接口，两天能配好",
    "assist": Phrase("assist-agenda", {"count": 1, "items": (Phrase("assist-agenda-line", {
        "company": "华东科技", "asker": "小王", "due": AT, "late": ""}),)}),
}
OVERRIDES_QUOTES: dict[Kind, dict[str, Any]] = {
    kind: {"why": [Phrase("quote-why-discount")], "reason": "客户预算有限"}
    for kind in (Kind.QUOTE_APPROVAL_CARD, Kind.QUOTE_APPROVAL_ESCALATED, Kind.QUOTE_APPROVAL_REJECTED)
}
OVERRIDES_PAYMENTS: dict[Kind, dict[str, Any]] = {Kind.PAYMENT_REJECTED: {"reason": "银行流水里没有这笔"}}
# "late" is a count in the rep's weekly review, a phrase (how late) on a ticket's SLA notices.
OVERRIDES_REPORTS: dict[Kind, dict[str, Any]] = {Kind.REPORT_REP_WEEKLY: {"late": 1}}
OVERRIDES: dict[Kind, dict[str, Any]] = {
    Kind.HANDOFF_REASSIGNED: {"owner": "yes"}, **OVERRIDES_QUOTES, **OVERRIDES_PAYMENTS, **OVERRIDES_REPORTS,
}
REFS: dict[str, object] = {
    "level": "100", "period": "2026-11-20", "by": 3, "day": "2026-11-26", "source": 77, "chat": -1001234, "round": 3,
    "step": "d7",
}


def sample_params(kind: Kind) -> dict[str, Any]:
    return {name: OVERRIDES.get(kind, {}).get(name, SAMPLES[name]) for name in kind.spec.params}


def sample_notice(kind: Kind, about: int = 7) -> Notice:
    scheduled = kind.spec.urgency is Urgency.SCHEDULED
    return Notice(
        kind, about=about, params=sample_params(kind), refs={r: REFS[r] for r in kind.spec.refs},
        at=AT if scheduled else None,
    )


class _Variables(visitor.Visitor):
    def __init__(self) -> None:
        super().__init__()
        self.names: set[str] = set()

    def visit_VariableReference(self, node: ast.VariableReference) -> None:
        self.names.add(node.id.name)


def message_variables(lang: Language, key: str) -> set[str]:
    for path in sorted((LOCALES / lang.value).glob("*.ftl")):
        for entry in parse(Path(path).read_text(encoding="utf-8")).body:
            if isinstance(entry, ast.Message) and entry.id.name == key:
                found = _Variables()
                found.visit(entry)
                return found.names
    raise AssertionError(f"{key} is missing in {lang.value}")


# --- the registry ----------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", list(Kind), ids=lambda k: k.name)
def test_every_kind_renders_in_both_languages_with_its_params(kind: Kind, caplog: pytest.LogCaptureFixture) -> None:
    renderer = Renderer(catalogue(), Language.ZH, "Asia/Shanghai")
    used: set[str] = set()
    texts = {}
    for lang in Language:
        variables = message_variables(lang, kind.spec.key)
        assert variables <= set(kind.spec.params), f"{lang.value} uses params the kind does not declare"
        used |= variables
        with caplog.at_level(logging.WARNING, logger="bot.i18n"):
            texts[lang] = renderer.render(kind.spec.key, sample_params(kind), (), Reader(lang, "Asia/Shanghai")).text
        assert not caplog.records, [r.getMessage() for r in caplog.records]
        assert texts[lang] and texts[lang] != kind.spec.key
    # Every declared param is said in at least one language (the services pass nothing unused).
    assert used == set(kind.spec.params)
    assert texts[Language.ZH] != texts[Language.EN]
    if "company" in kind.spec.params:  # what a person typed arrives escaped
        assert "华东科技 &lt;有限公司&gt;" in texts[Language.ZH]


@pytest.mark.parametrize("kind", [k for k in Kind if k.spec.family is not None], ids=lambda k: k.name)
def test_a_kind_that_may_go_with_others_has_a_one_line_summary(kind: Kind, caplog: pytest.LogCaptureFixture) -> None:
    renderer = Renderer(catalogue(), Language.ZH, "Asia/Shanghai")
    assert kind.spec.line is not None and kind.spec.audience is Audience.PERSON
    for lang in Language:
        assert message_variables(lang, kind.spec.line) <= set(kind.spec.params)
        with caplog.at_level(logging.WARNING, logger="bot.i18n"):
            line = renderer.render(kind.spec.line, sample_params(kind), (), Reader(lang, "Asia/Shanghai")).text
        assert not caplog.records, [r.getMessage() for r in caplog.records]
        assert "\n" not in line and "华东科技 &lt;有限公司&gt;" in line
    # Its heading and its "and N more" exist in both languages.
    assert kind.spec.family is not None
    for lang in Language:
        assert message_variables(lang, kind.spec.family.value.key) == {"count"}
        assert message_variables(lang, "outbox-digest-more") == {"count"}


def test_every_kind_says_while_it_holds_and_its_message_names_it() -> None:
    assert all(isinstance(kind.spec.valid, Valid) for kind in Kind)
    assert len({kind.spec.key for kind in Kind}) == len(Kind)  # the row's `notice` names one kind
    assert all(Kind.of_notice(kind.spec.key) is kind for kind in Kind) and Kind.of_notice(None) is None


def test_the_dedupe_keys_are_those_live_databases_hold() -> None:
    now = START
    to = 42
    expected = {
        Kind.WON_GROUP: "stage:7:group",
        Kind.STAGE_CHANGED: "stage:7:to:42",
        Kind.NOTE_ADDED: "activity:7:to:42",
        Kind.HANDOFF_CARD: "handoff:7:card",
        Kind.HANDOFF_CARD_REASSIGNED: "handoff:7:card",
        Kind.HANDOFF_CARD_IMPORTED: "handoff:7:card",
        Kind.ASSIGNED_GROUP: "handoff:7:group",
        Kind.ACCEPTED_GROUP: "handoff:7:accepted:group",
        Kind.HANDOFF_TAKEN_OVER: "handoff:7:accepted:to:42",
        Kind.HANDOFF_ACCEPTED: "handoff:7:accepted:to:42",
        Kind.HANDOFF_DECLINED: "handoff:7:declined:to:42",
        Kind.HANDOFF_EXPIRED_ASSIGNEE: "handoff:7:expired:to:42",
        Kind.HANDOFF_EXPIRED_MANAGER: "handoff:7:expired:to:42",
        Kind.HANDOFF_REASSIGNED: "handoff:7:reassigned:to:42",
        Kind.INTAKE_NURTURED: "lead:7:intake:to:42",
        Kind.WEBHOOK_STOPPED: f"webhook:7:stopped:{now.isoformat()}:to:42",
        Kind.POOLED: f"opportunity:7:pool:{now.isoformat()}:to:42",
        Kind.RECYCLED_OWNER: f"opportunity:7:recycled:{now.isoformat()}:to:42",
        Kind.RECYCLED_MANAGER: f"opportunity:7:recycled:{now.isoformat()}:to:42",
        Kind.CLAIMED_GROUP: f"opportunity:7:claimed:{now.isoformat()}",
        Kind.FOLLOWUP_NUDGE: f"reminder:7:{AT.isoformat()}",
        Kind.FOLLOWUP_ESCALATED: "followup:7:escalated:to:42",
        Kind.FOLLOWUP_LOGGED: "activity:7:to:42",
        Kind.SILENT_OWNER: "silence:7:2026-11-20:owner",
        Kind.NO_STEP_OWNER: "silence:7:2026-11-20:owner",
        Kind.SILENT_MANAGER: "silence:7:2026-11-20:manager:42",
        Kind.PING_OWNER: "ping:7:3:2026-11-26",
        Kind.REMINDER_NUDGE: f"reminder:7:{AT.isoformat()}",
        Kind.AGENDA: "digest:agenda:7:2026-11-26:42",
        Kind.REPORT_DAILY: "digest:report_daily:7:2026-11-26:42",
        Kind.REPORT_WEEKLY: "digest:report_weekly:7:2026-11-26:42",
        Kind.REPORT_REP_WEEKLY: "digest:report_rep:7:2026-11-26:42",
        Kind.USER_UNREACHABLE: "unreachable:7:77:to:42",
        Kind.GROUP_UNREACHABLE: "unreachable-group:-1001234:77:to:42",
        Kind.QUOTE_APPROVAL_CARD: "approval:7:card:to:42",
        Kind.QUOTE_APPROVAL_REMINDER: "approval:7:reminder:to:42",
        Kind.QUOTE_APPROVAL_ESCALATED: "approval:7:escalated:to:42",
        Kind.QUOTE_APPROVAL_OVERDUE: "approval:7:overdue:3:to:42",
        Kind.QUOTE_APPROVAL_STATUS: "approval:7:status:2026-11-20:to:42",
        Kind.QUOTE_APPROVED: "quote:7:approved:to:42",
        Kind.QUOTE_APPROVAL_REJECTED: "approval:7:rejected:to:42",
        Kind.QUOTE_COUNTERED: "approval:7:countered:to:42",
        Kind.QUOTE_EXPIRING: "quote:7:expiring:to:42",
        Kind.QUOTE_EXPIRED: "quote:7:expired:to:42",
        Kind.CONTRACT_SIGN_HALF: "contract:7:sign-half:to:42",
        Kind.CONTRACT_SIGN_OVERDUE: "contract:7:sign-late:2026-11-26:to:42",
        Kind.PAYMENT_CARD: "payment:7:card:to:42",
        Kind.PAYMENT_CONFIRMED: "payment:7:decided:to:42",
        Kind.PAYMENT_REJECTED: "payment:7:decided:to:42",
        Kind.PAYMENT_OVERPAID: "payment:7:overpaid:to:42",
        Kind.PAYMENT_DUE: "milestone:7:remind:d7:to:42",
        Kind.PAYMENT_OVERDUE: "milestone:7:escalated:d7:to:42",
        Kind.CONTRACT_SIGNED_REMOTE: "contract:7:signed:to:42",
        Kind.TICKET_ASSIGNED: "ticket:7:assigned:to:42",
        Kind.TICKET_RESPONSE_DUE: "ticket:7:response:75:to:42",
        Kind.TICKET_RESOLVE_DUE: "ticket:7:resolve:75:to:42",
        Kind.TICKET_RESPONSE_LATE: "ticket:7:response:100:to:42",
        Kind.TICKET_RESOLVE_LATE: "ticket:7:resolve:100:to:42",
        Kind.TICKET_RESOLVED: f"ticket:7:resolved:{now.isoformat()}:to:42",
        Kind.SURVEY_LOW_SCORE: "survey:7:low:to:42",
        Kind.DELIVERY_ITEM_ASSIGNED: "delivery:7:assigned:to:42",
        Kind.DELIVERY_ITEM_DUE: "delivery:7:due:to:42",
        Kind.DELIVERY_ITEM_OVERDUE: "delivery:7:overdue:to:42",
        Kind.DELIVERY_ACCEPTED: "delivery:7:accepted:to:42",
        Kind.RENEWAL_DUE: "renewal:7:due:to:42",
        Kind.ASSIST_ASKED: "assist:7:asked:to:42",
        Kind.ASSIST_ACCEPTED: "assist:7:accepted:to:42",
        Kind.ASSIST_ANSWERED: "assist:7:answered:to:42",
        Kind.ASSIST_WITHDRAWN: "assist:7:withdrawn:to:42",
        Kind.ASSIST_DUE: "assist:7:due:to:42",
        Kind.ASSIST_OVERDUE: "assist:7:overdue:to:42",
    }
    assert set(expected) == set(Kind)
    for kind, key in expected.items():
        notice = sample_notice(kind)
        got = kind.spec.dedupe_key(subject=7, to=to, now=now, at=notice.at, refs=dict(notice.refs))
        assert got == key, kind.name


# Person kinds whose key leaves the recipient out: the subject decides who gets it.
ONE_RECIPIENT = {
    Kind.HANDOFF_CARD: "the hand-off's assignee",
    Kind.HANDOFF_CARD_REASSIGNED: "the hand-off's assignee",
    Kind.HANDOFF_CARD_IMPORTED: "the hand-off's assignee",
    Kind.PING_OWNER: "the deal's owner",
    Kind.SILENT_OWNER: "the deal's owner",
    Kind.NO_STEP_OWNER: "the deal's owner",
    Kind.FOLLOWUP_NUDGE: "the reminder's owner",
    Kind.REMINDER_NUDGE: "the reminder's owner",
}


def test_dedupe_keys_are_unique_per_kind_subject_and_recipient() -> None:
    keys: dict[str, set[Kind]] = {}
    for kind in Kind:
        spec = kind.spec
        assert spec.fields <= {"subject", "to", "now", "at", *spec.refs}, kind.name
        assert set(spec.refs) <= spec.fields, f"{kind.name} declares refs its key does not use"
        assert "subject" in spec.fields or spec.refs, kind.name
        if spec.audience is Audience.GROUP:
            assert "to" not in spec.fields, kind.name
        else:
            assert ("to" in spec.fields) != (kind in ONE_RECIPIENT), kind.name
        recipients = [10, 11] if "to" in spec.fields else [None]
        mine = set()
        for subject in (1, 2):
            notice = sample_notice(kind, about=subject)
            refs = dict(notice.refs)
            if "subject" not in spec.fields:  # the key names the subject through a ref (a group's chat)
                refs = {name: f"{value}{subject}" for name, value in refs.items()}
            for to in recipients:
                key = spec.dedupe_key(subject=subject, to=to, now=START, at=notice.at, refs=refs)
                mine.add(key)
                keys.setdefault(key, set()).add(kind)
        assert len(mine) == 2 * len(recipients), kind.name
    # Across kinds a key is shared only by variants of one event: the same template about the same subject.
    for key, kinds in keys.items():
        assert len({(k.spec.dedupe, k.spec.subject) for k in kinds}) == 1, (key, kinds)


def test_a_notice_must_match_its_declaration() -> None:
    with pytest.raises(ValueError, match="params"):
        Notice(Kind.HANDOFF_ACCEPTED, about=1, params={"assignee": "小王"})
    with pytest.raises(ValueError, match="refs"):
        Notice(Kind.SILENT_OWNER, about=1, params=sample_params(Kind.SILENT_OWNER))
    with pytest.raises(ValueError, match="scheduled"):
        Notice(Kind.REMINDER_NUDGE, about=1, params={"text": "x"})  # a nudge needs its time
    with pytest.raises(ValueError, match="scheduled"):
        Notice(Kind.HANDOFF_ACCEPTED, about=1, params=sample_params(Kind.HANDOFF_ACCEPTED), at=AT)


# --- when a notice goes ----------------------------------------------------------------------------

SHANGHAI = Team(name="华东", timezone="Asia/Shanghai", id=1)
NIGHT = datetime(2026, 11, 26, 15, 0, tzinfo=UTC)  # Thursday 23:00 in Shanghai
NEXT_MORNING = datetime(2026, 11, 27, 1, 0, tzinfo=UTC)  # Friday 09:00


def test_outside_working_hours_a_notice_waits_and_an_urgent_one_does_not() -> None:
    assert send_at(Urgency.WORKING_HOURS, NIGHT, SHANGHAI) == NEXT_MORNING
    assert send_at(Urgency.WORKING_HOURS, AT, SHANGHAI) == AT  # in working hours: at once
    assert send_at(Urgency.NOW, NIGHT, SHANGHAI) == NIGHT
    # A reminder: at its time if the person chose it, else within working hours.
    assert send_at(Urgency.SCHEDULED, START, SHANGHAI, at=NIGHT, chosen=True) == NIGHT
    assert send_at(Urgency.SCHEDULED, START, SHANGHAI, at=NIGHT) == NEXT_MORNING
    assert send_at(Urgency.WORKING_HOURS, NIGHT, None) == NIGHT  # no team, no hours to keep
    # Held for the batch that queued it (released sooner by notify.release_held), then within working hours.
    assert send_at(Urgency.HELD, AT, SHANGHAI) == AT + HELD_AT_MOST
    assert send_at(Urgency.HELD, NIGHT, SHANGHAI) == NEXT_MORNING


async def _team(uow: FakeUnitOfWork, team: Team = SHANGHAI) -> Team:
    uow.teams.rows[team.id or 0] = team
    return team


async def _person(uow: FakeUnitOfWork, name: str, role: Role, team_id: int = 1, **fields: Any) -> User:
    return await uow.users.add(User(telegram_id=1000 + len(uow.users.rows), name=name, role=role, team_id=team_id,
                                    **fields))


async def test_a_queued_row_waits_for_working_hours_unless_the_person_chose_the_time() -> None:
    uow = FakeUnitOfWork()
    await _team(uow)
    rep = await _person(uow, "小王", Role.REP, language=Language.EN)
    assert rep.id is not None
    row = await tell_user(uow, rep.id, sample_notice(Kind.HANDOFF_ACCEPTED), team_id=1, now=NIGHT)
    assert row is not None and row.not_before == row.next_attempt_at == NEXT_MORNING and not row.urgent
    assert row.created_at == NIGHT and row.chat_id == rep.telegram_id and row.kind == "handoff.accepted"
    assert row.text.startswith("[en Asia/Shanghai] handoff-accepted-notice")
    chosen = Notice(Kind.REMINDER_NUDGE, about=5, params={"text": "回电话"}, at=NIGHT, chosen=True)
    nudge = await tell_user(uow, rep.id, chosen, team_id=1, now=START)
    assert nudge is not None and nudge.not_before == NIGHT
    # The same notice again is not queued twice.
    assert await tell_user(uow, rep.id, sample_notice(Kind.HANDOFF_ACCEPTED), team_id=1, now=NIGHT) is None
    assert len(uow.outbox.messages) == 2


# --- whom a notice reaches -------------------------------------------------------------------------


async def test_tell_managers_tells_the_active_managers_of_the_team_except_those_excluded() -> None:
    uow = FakeUnitOfWork()
    await _team(uow)
    await _team(uow, Team(name="华南", id=2))
    li = await _person(uow, "李经理", Role.MANAGER)
    zhao = await _person(uow, "赵经理", Role.MANAGER)
    await _person(uow, "钱经理", Role.MANAGER, active=False)
    await _person(uow, "孙经理", Role.MANAGER, team_id=2)
    await _person(uow, "小王", Role.REP)
    await _person(uow, "管理员", Role.ADMIN, team_id=2)

    rows = await tell_managers(uow, 1, sample_notice(Kind.HANDOFF_DECLINED), now=START, exclude=(zhao.id,))
    assert [r.recipient_id for r in rows] == [li.id]
    assert rows[0].dedupe_key == f"handoff:7:declined:to:{li.id}" and rows[0].team_id == 1
    # Told already: nobody twice. Without the exclusion only the one left out before hears of it.
    again = await tell_managers(uow, 1, sample_notice(Kind.HANDOFF_DECLINED), now=START)
    assert [r.recipient_id for r in again] == [zhao.id]
    assert await tell_managers(uow, 1, sample_notice(Kind.HANDOFF_DECLINED), now=START) == []


async def test_a_team_without_managers_falls_back_to_the_admins() -> None:
    uow = FakeUnitOfWork()
    await _team(uow)
    rep = await _person(uow, "小王", Role.REP)
    admin = await _person(uow, "管理员", Role.ADMIN, team_id=2)
    rows = await tell_managers(uow, 1, sample_notice(Kind.USER_UNREACHABLE, about=rep.id or 0), now=START)
    assert [r.recipient_id for r in rows] == [admin.id]
    assert await tell_managers(uow, 1, sample_notice(Kind.GROUP_UNREACHABLE), now=START, exclude=(admin.id,)) == []


async def test_tell_owner_skips_the_person_acting_and_a_deal_without_owner() -> None:
    uow = FakeUnitOfWork()
    await _team(uow)
    rep = await _person(uow, "小王", Role.REP)
    manager = await _person(uow, "李经理", Role.MANAGER)
    left = await _person(uow, "小赵", Role.REP, active=False)

    class Deal:
        def __init__(self, owner_id: int | None) -> None:
            self.owner_id, self.team_id = owner_id, 1

    notice = sample_notice(Kind.STAGE_CHANGED)
    assert await tell_owner(uow, Deal(rep.id), notice, now=START, unless=rep.id) is None
    assert await tell_owner(uow, Deal(None), notice, now=START, unless=manager.id) is None
    assert await tell_owner(uow, Deal(left.id), notice, now=START) is None  # left the team
    row = await tell_owner(uow, Deal(rep.id), notice, now=START, unless=manager.id)
    assert row is not None and row.recipient_id == rep.id and row.dedupe_key == f"stage:7:to:{rep.id}"


async def test_tell_group_posts_in_the_default_language_only_where_a_group_is_bound() -> None:
    uow = FakeUnitOfWork()
    team = await _team(uow, Team(name="华东", id=1))
    assert await tell_group(uow, team, sample_notice(Kind.CLAIMED_GROUP), now=START) is None
    team.group_chat_id = -100500
    row = await tell_group(uow, team, sample_notice(Kind.CLAIMED_GROUP), now=START)
    assert row is not None and row.chat_id == -100500 and row.recipient_id is None and row.team_id == 1
    assert row.text.startswith("[- Asia/Shanghai] pipeline-group-claimed")
    with pytest.raises(ValueError):  # a private notice never goes to a group, nor the other way round
        await tell_group(uow, team, sample_notice(Kind.HANDOFF_ACCEPTED), now=START)
    with pytest.raises(ValueError):
        await tell_user(uow, 1, sample_notice(Kind.CLAIMED_GROUP), team_id=1, now=START)


# --- the row on real databases -------------------------------------------------------------------


async def test_the_row_records_its_subject_and_its_message(app: App, clock: FakeClock) -> None:
    async with app.uow() as uow:
        team = await uow.teams.add(Team(name="华东销售部"))
        assert team.id is not None
        rep = await uow.users.add(User(telegram_id=9001, name="小王", role=Role.REP, team_id=team.id))
        assert rep.id is not None
        reminder = await uow.reminders.add(Reminder(
            user_id=rep.id, team_id=team.id, text="回电话", due_at=clock.now(), created_at=clock.now(),
            state=ReminderState.SENT,
        ))
        assert reminder.id is not None
        notice = Notice(Kind.REMINDER_NUDGE, about=reminder.id, params={"text": "回电话"}, at=clock.now(), chosen=True)
        row = await tell_user(uow, rep.id, notice, team_id=team.id, now=clock.now())
        assert row is not None
        # About a reminder that does not exist (or no longer waits): kept, cancelled, saying why.
        gone = Notice(Kind.REMINDER_NUDGE, about=12345, params={"text": "回电话"}, at=clock.now(), chosen=True)
        assert await tell_user(uow, rep.id, gone, team_id=team.id, now=clock.now()) is None
        await uow.commit()
    async with app.engine.connect() as conn:
        stored = (await conn.execute(select(notifications).where(notifications.c.id == row.id))).one()
        cancelled = (await conn.execute(select(notifications).where(notifications.c.subject_id == 12345))).one()
    assert (stored.subject_kind, stored.subject_id) == (Subject.REMINDER.value, reminder.id)
    assert stored.kind == "reminder" and stored.notice == "reminder-nudge" and "回电话" in stored.text
    assert stored.dedupe_key == f"reminder:{reminder.id}:{clock.now().isoformat()}"
    assert stored.reply_markup is None and stored.not_before == stored.created_at == clock.now()
    assert stored.state.value == "pending" and stored.summary is None
    assert cancelled.state.value == "cancelled" and cancelled.last_error == "stale when queued: step_due"
