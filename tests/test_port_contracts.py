"""The ports' contracts: the same behaviour checks run against the in-memory fakes (tests/fakes.py) and the
SQL repositories on SQLite and PostgreSQL, so a fake cannot drift from what storage really does (filters,
order, uniqueness, conditional updates, what a transaction keeps).

A new port gets its fake in tests/fakes.py and its checks here: each check takes `work`, a factory of
units of work over one fresh database of the backend (`memory`, `sqlite`, `postgresql`), writes through
the ports only and reads back through them.
"""

from __future__ import annotations

import shutil
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest

from domain.contracts.model import Contract, ContractStatus, Milestone, Payment, PaymentMethod, PaymentState
from domain.deals.model import DealQuery, Opportunity, Stage, StageChange
from domain.followup.model import Activity, ActivityKind
from domain.followup.rules import SUBJECT_OPPORTUNITY, SearchQuery, Visibility
from domain.handoffs.model import Handoff, HandoffState
from domain.intake.model import ApiKey, IntakeReceipt
from domain.leads.model import Lead, LeadSource
from domain.outbox.kinds import Kind, Subject, Valid
from domain.outbox.model import Notification, NotificationState
from domain.quotes.model import ApprovalStep, Level, Quote, QuoteStatus, StepState
from domain.reminders.model import Reminder, ReminderState
from domain.team.model import AuditEvent, Invite, Role, Team, User
from domain.webhooks.model import WebhookDelivery, WebhookEndpoint
from storage.db import create_engine, session_factory
from storage.uow import SqlUnitOfWork
from tests.conftest import pg_dsn
from tests.fakes import START, FakeClock, FakeRenderer, FakeUnitOfWork

NOW = START
H = timedelta(hours=1)
Work = Callable[[], Any]


@pytest.fixture(params=["memory", "sqlite", "postgresql"])
async def work(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[Work]:
    """Units of work over one fresh database: the fakes' or a migrated SQLite / PostgreSQL one."""
    if request.param == "memory":
        db = FakeUnitOfWork(judge_notices=True)
        yield lambda: db
        return
    name = None
    if request.param == "sqlite":
        path = tmp_path / "contract.db"
        shutil.copy(request.getfixturevalue("sqlite_template"), path)
        url = f"sqlite:///{path}"
    else:
        clones = request.getfixturevalue("pg_clones")
        name = clones.take()
        url = pg_dsn(name)
    engine = create_engine(url)
    sessions = session_factory(engine)
    try:
        yield lambda: SqlUnitOfWork(sessions, FakeRenderer(), FakeClock())
    finally:
        await engine.dispose()
        if name is not None:
            clones.drop(name)


@dataclass
class World:
    team: int
    other_team: int
    manager: int
    wang: int
    li: int
    outsider: int  # a rep of the other team


_tg = iter(range(500_000, 600_000))


async def world(work: Work) -> World:
    async with work() as uow:
        team = await uow.teams.add(Team(name="华东销售部", group_chat_id=-100_1, created_at=NOW))
        other = await uow.teams.add(Team(name="华南销售部", created_at=NOW))
        people = [
            await uow.users.add(User(telegram_id=next(_tg), name=name, role=role, team_id=t.id, created_at=NOW))
            for name, role, t in (
                ("李经理", Role.MANAGER, team), ("小王", Role.REP, team), ("小李", Role.REP, team), ("阿强", Role.REP, other),
            )
        ]
        await uow.commit()
        return World(team.id, other.id, *(p.id for p in people))


async def lead(uow: Any, w: World, company: str, *, by: int | None = None, team: int | None = None, **fields: Any) -> Lead:
    return await uow.leads.add(  # type: ignore[no-any-return]
        Lead(team_id=team or w.team, created_by=by or w.wang, company=company, created_at=fields.pop("created_at", NOW), **fields)
    )


async def deal(uow: Any, w: World, company: str, *, owner: int | None = None, team: int | None = None,
               by: int | None = None, **fields: Any) -> Opportunity:
    source = await lead(uow, w, company, by=by, team=team)
    return await uow.opportunities.add(  # type: ignore[no-any-return]
        Opportunity(
            team_id=team or w.team, lead_id=source.id, title=company, created_at=fields.pop("created_at", NOW),
            owner_id=owner, **fields,
        )
    )


def handoff(w: World, deal_id: int, to: int, deadline: timedelta = H, **fields: Any) -> Handoff:
    return Handoff(team_id=w.team, opportunity_id=deal_id, to_user_id=to, requested_at=NOW, deadline_at=NOW + deadline, **fields)


def reminder(w: World, user: int, due: timedelta, text: str = "回电话", **fields: Any) -> Reminder:
    return Reminder(user_id=user, team_id=w.team, text=text, due_at=NOW + due, created_at=NOW, **fields)


# --- the unit of work --------------------------------------------------------------------------------------


async def test_a_transaction_keeps_only_what_it_commits_and_hands_out_detached_rows(work: Work) -> None:
    w = await world(work)
    async with work() as uow:
        kept = await lead(uow, w, "留下的")
        await uow.commit()
        await lead(uow, w, "没提交的")
    async with work() as uow:
        dropped = await lead(uow, w, "回滚的")
        await uow.rollback()
        assert await uow.leads.get(dropped.id) is None
    async with work() as uow:
        assert [x.company for x in await uow.leads.matching(phone=None, email=None, company_key="", limit=5)] == []
        row = await uow.leads.get(kept.id)
        assert row is not None and row.company == "留下的"
        assert await uow.leads.captured_since(w.wang, NOW - H) == 1
        row.company = "改了没提交"
    row.company = "离开之后改的"  # a row outside its transaction: nothing is written
    async with work() as uow:
        again = await uow.leads.get(kept.id)
        assert again is not None and again.company == "留下的"


async def test_rows_written_together_are_gone_after_a_rollback_and_kept_after_a_commit(work: Work) -> None:
    """Rows written in one INSERT (a file's deals, their stage changes): a rollback leaves none of them
    found by id, their objects keeping what they held; a commit keeps them, and a later change is written."""
    w = await world(work)
    async with work() as uow:
        source = await lead(uow, w, "一起写的")
        await uow.commit()
        source_id = source.id  # (a rollback expires what the session loaded: read before it)
        [dropped] = await uow.opportunities.add_many(
            [Opportunity(team_id=w.team, lead_id=source_id, title="回滚的商机", created_at=NOW)]
        )
        assert dropped.id is not None
        await uow.rollback()
        assert dropped.title == "回滚的商机"
        assert await uow.opportunities.get(dropped.id) is None
        [kept] = await uow.opportunities.add_many(
            [Opportunity(team_id=w.team, lead_id=source_id, title="留下的商机", created_at=NOW)]
        )
        await uow.commit()
        kept.title = "提交后改的"
        await uow.commit()
    async with work() as uow:
        again = await uow.opportunities.get(kept.id)
        assert again is not None and again.title == "提交后改的"
        # (SQLite may give the rolled-back row's id to the next one: looked up by what it said)
        assert [d.title for d in await uow.opportunities.for_leads([source_id])] == ["提交后改的"]


async def test_audit_events_are_written_with_the_commit_and_read_in_order(work: Work) -> None:
    w = await world(work)
    async with work() as uow:
        await uow.audit.add(AuditEvent(action="b", entity="lead", entity_id=7, at=NOW + H, team_id=w.team))
        await uow.audit.add(AuditEvent(action="a", entity="lead", entity_id=7, at=NOW, team_id=w.team))
        await uow.audit.add(AuditEvent(action="c", entity="lead", entity_id=8, at=NOW, team_id=w.team))
        await uow.commit()
    async with work() as uow:
        await uow.audit.add(AuditEvent(action="rolled back", entity="lead", entity_id=7, at=NOW, team_id=w.team))
    async with work() as uow:
        assert [e.action for e in await uow.audit.for_entity("lead", 7)] == ["a", "b"]


# --- teams and people --------------------------------------------------------------------------------------


async def test_teams_and_people_are_unique_and_listed_by_id(work: Work) -> None:
    w = await world(work)
    async with work() as uow:
        assert [t.name for t in await uow.teams.list()] == ["华东销售部", "华南销售部"]
        assert (await uow.teams.by_group_chat(-100_1)).id == w.team  # type: ignore[union-attr]
        assert await uow.teams.by_group_chat(-100_2) is None
        assert (await uow.teams.by_name("华南销售部")).id == w.other_team  # type: ignore[union-attr]
        assert [u.name for u in await uow.users.in_team(w.team)] == ["李经理", "小王", "小李"]
        li = await uow.users.get(w.li)
        li.active = False
        await uow.users.add(User(telegram_id=next(_tg), name="管理员", role=Role.ADMIN, team_id=w.team, created_at=NOW))
        await uow.commit()
    async with work() as uow:
        assert [u.name for u in await uow.users.with_role(w.team, "rep", "manager")] == ["李经理", "小王"]
        assert [u.name for u in await uow.users.admins()] == ["管理员"]
        wang = await uow.users.get(w.wang)
        assert (await uow.users.by_telegram_id(wang.telegram_id)).id == w.wang  # type: ignore[union-attr]
    for clash in (
        User(telegram_id=wang.telegram_id, name="冒名", role=Role.REP, team_id=w.team, created_at=NOW),
        Team(name="华东销售部", created_at=NOW),
    ):
        with pytest.raises(Exception):  # noqa: B017 - the databases raise IntegrityError, the fakes UniqueViolation
            async with work() as uow:
                await (uow.users if isinstance(clash, User) else uow.teams).add(clash)
                await uow.commit()


async def test_an_invite_is_claimed_once(work: Work) -> None:
    w = await world(work)
    async with work() as uow:
        invite = await uow.invites.add(
            Invite(code_hash="h" * 64, role=Role.REP, team_id=w.team, expires_at=NOW + H, created_at=NOW)
        )
        assert await uow.invites.claim(invite.id, w.wang, NOW)
        assert not await uow.invites.claim(invite.id, w.li, NOW)
        await uow.commit()
    async with work() as uow:
        found = await uow.invites.by_hash("h" * 64)
        assert found is not None and found.used_by == w.wang and found.used_at == NOW


# --- leads -------------------------------------------------------------------------------------------------


async def test_leads_match_on_phone_email_or_company_newest_first(work: Work) -> None:
    w = await world(work)
    async with work() as uow:
        a = await lead(uow, w, "华东科技", phone="+8613800138000", company_key="华东科技")
        b = await lead(uow, w, "江南贸易", email="zhang@jn.cn", company_key="江南贸易", team=w.other_team, by=w.outsider)
        c = await lead(uow, w, "华东科技二厂", company_key="华东科技", created_at=NOW + H)
        await lead(uow, w, "无关", phone="+8613900000000", company_key="无关")
        await uow.commit()
    async with work() as uow:
        found = await uow.leads.matching(phone="+8613800138000", email="zhang@jn.cn", company_key="华东科技", limit=10)
        assert [x.id for x in found] == [c.id, b.id, a.id]  # every team; newest first
        assert [x.id for x in await uow.leads.matching(phone=None, email="", company_key="华东科技", limit=1)] == [c.id]
        assert await uow.leads.matching(phone=None, email=None, company_key=None, limit=10) == []
        assert await uow.leads.captured_since(w.wang, NOW) == 1  # strictly after
        assert await uow.leads.captured_since(w.wang, NOW - H) == 3


async def test_a_files_rows_are_matched_against_the_teams_leads_only_each_column_by_its_own_values(work: Work) -> None:
    w = await world(work)
    async with work() as uow:
        a = await lead(uow, w, "华东科技", phone="+8613800138000", company_key="华东科技")
        b = await lead(uow, w, "江南贸易", email="zhang@jn.cn", company_key="江南贸易")
        await lead(uow, w, "别队的", phone="+8613800138001", company_key="别队的", team=w.other_team, by=w.outsider)
        c = await lead(uow, w, "+8613900000000", company_key="+8613900000000")  # a company named like a phone
        await uow.commit()
    phones = [f"+86139{n:08d}" for n in range(1, 1200)] + ["+8613800138000", "+8613800138001"]  # past IN_CHUNK
    async with work() as uow:
        found = await uow.leads.in_team_matching(w.team, phones=phones, emails=["zhang@jn.cn"], company_keys=["别队的"])
        assert [x.id for x in found] == [a.id, b.id]  # not the other team's, not c: its phone is none of these
        found = await uow.leads.in_team_matching(w.team, phones=[], emails=[], company_keys=["+8613900000000", ""])
        assert [x.id for x in found] == [c.id]
        assert await uow.leads.in_team_matching(w.team, phones=[""], emails=[], company_keys=[]) == []


# --- deals ---------------------------------------------------------------------------------------------


async def test_deal_lists_filter_like_the_queries_say_and_order_by_activity(work: Work) -> None:
    w = await world(work)
    async with work() as uow:
        owned = await deal(uow, w, "小王的", owner=w.wang, last_activity_at=NOW + 2 * H, amount_minor=100)
        offered = await deal(uow, w, "等小王接", last_activity_at=NOW + H)
        await uow.handoffs.add(handoff(w, offered.id, w.wang))
        pooled = await deal(uow, w, "公海的", pooled_at=NOW + H, recycled_at=NOW)
        pooled_first = await deal(uow, w, "先进公海的", pooled_at=NOW)
        won = await deal(uow, w, "赢了的", owner=w.wang, stage=Stage.WON)
        brought = await deal(uow, w, "小李带来的", owner=w.wang, by=w.li)
        await deal(uow, w, "别的团队的", owner=w.outsider, team=w.other_team, by=w.outsider)
        await uow.commit()
    async with work() as uow:
        async def ids(**query: Any) -> list[int]:
            page = await uow.opportunities.page(DealQuery(**query), 0, 50)
            assert page.total == await uow.opportunities.count(DealQuery(**query)) == len(page.items)
            return [d.id for d in page.items]

        mine = await ids(team_id=w.team, mine=w.wang)
        assert set(mine) == {owned.id, offered.id, brought.id} and mine.index(owned.id) < mine.index(offered.id)
        assert await ids(team_id=w.team, waiting=True) == [offered.id]
        assert await ids(team_id=w.team, pool=True) == [pooled_first.id, pooled.id]  # longest waiting first
        assert await ids(team_id=w.team, stage=Stage.WON) == [won.id]
        assert won.id not in await ids(team_id=w.team)
        assert await ids(team_id=w.team, captured_by=w.li) == [brought.id]
        assert await ids(team_id=w.team, captured_by=w.wang, mine=None, pool=True) == [pooled_first.id, pooled.id]
        assert len(await ids()) == 6  # every team, open only
        page = await uow.opportunities.page(DealQuery(team_id=w.team, waiting=True), 0, 10)
        [summary] = page.items
        assert (summary.company, summary.waiting_handoff, summary.waiting_for, summary.owner_name) == ("等小王接", True, "小王", None)
        [pool_row] = (await uow.opportunities.page(DealQuery(team_id=w.team, pool=True), 1, 10)).items
        assert pool_row.recycled and pool_row.id == pooled.id
        [top] = (await uow.opportunities.page(DealQuery(team_id=w.team, mine=w.wang), 0, 1)).items
        assert (top.id, top.owner_name, top.amount_minor) == (owned.id, "小王", 100)


async def test_stale_deals_are_those_idle_past_their_stage_cutoff(work: Work) -> None:
    w = await world(work)
    cutoff = NOW + 3 * H
    async with work() as uow:
        idle = await deal(uow, w, "没动静", owner=w.wang, last_activity_at=NOW + H, owner_since=NOW)
        busy = await deal(uow, w, "刚跟进", owner=w.wang, last_activity_at=NOW + 4 * H, owner_since=NOW)
        new_owner = await deal(uow, w, "刚换人", owner=w.li, last_activity_at=NOW + H, owner_since=NOW + 4 * H)
        other_stage = await deal(uow, w, "别的阶段", owner=w.wang, stage=Stage.PROPOSAL, last_activity_at=NOW + H)
        waiting = await deal(uow, w, "等接手", owner=w.wang, last_activity_at=NOW + H, owner_since=NOW)
        await uow.handoffs.add(handoff(w, waiting.id, w.li))
        await uow.commit()
    cutoffs = {w.team: {Stage.QUALIFIED: cutoff}}
    async with work() as uow:
        stale = await uow.opportunities.page(DealQuery(team_id=w.team, stale_cutoffs=cutoffs), 0, 10)
        assert {d.id for d in stale.items} == {idle.id, waiting.id}
        assert [d.id for d in await uow.opportunities.idle(cutoffs, 10)] == [idle.id]  # a pending hand-off waits
        assert await uow.opportunities.idle(cutoffs, 10, skip=[idle.id]) == []
        assert await uow.opportunities.idle({w.other_team: {Stage.QUALIFIED: cutoff}}, 10) == []
        assert busy.id and new_owner.id and other_stage.id
        row = await uow.opportunities.get(idle.id)
        assert not await uow.opportunities.release(row, owner_id=w.li, cutoff=cutoff, now=cutoff)
        assert not await uow.opportunities.release(row, owner_id=w.wang, cutoff=NOW, now=cutoff)  # active since
        assert await uow.opportunities.release(row, owner_id=w.wang, cutoff=cutoff, now=cutoff)
        assert not await uow.opportunities.release(row, owner_id=w.wang, cutoff=cutoff, now=cutoff)
        await uow.commit()
    async with work() as uow:
        row = await uow.opportunities.get(idle.id)
        assert (row.owner_id, row.owner_since, row.pooled_at, row.recycled_from_id, row.recycled_at) == (
            None, None, cutoff, w.wang, cutoff,
        )
        assert row.in_pool and not row.claimed_from_pool


async def test_a_pool_deal_is_claimed_once_and_counts_against_the_claimer(work: Work) -> None:
    w = await world(work)
    async with work() as uow:
        pooled = await deal(uow, w, "公海的", pooled_at=NOW)
        owned = await deal(uow, w, "有主的", owner=w.li, pooled_at=None)
        closed = await deal(uow, w, "丢了的", pooled_at=NOW, stage=Stage.LOST)
        await uow.handoffs.add(handoff(w, owned.id, w.wang))
        await uow.commit()
    async with work() as uow:
        assert await uow.opportunities.claim(pooled.id, w.wang, NOW + H)
        assert not await uow.opportunities.claim(pooled.id, w.li, NOW + H)
        assert not await uow.opportunities.claim(owned.id, w.wang, NOW + H)
        assert not await uow.opportunities.claim(closed.id, w.wang, NOW + H)
        assert await uow.opportunities.pool_claims(w.wang) == 1 and await uow.opportunities.pool_claims(w.li) == 0
        await uow.commit()
    async with work() as uow:
        row = await uow.opportunities.get(pooled.id)
        assert (row.owner_id, row.owner_since, row.pooled_at, row.claimed_from_pool, row.silence_level) == (
            w.wang, NOW + H, None, True, 0,
        )
        assert row.silence_check_at == NOW + H
        # Per person: deals owned plus hand-offs waiting for them.
        assert await uow.opportunities.load(w.team) == {w.wang: 2, w.li: 1}
        assert [d.id for d in await uow.opportunities.for_leads([row.lead_id, 9999])] == [pooled.id]
        assert await uow.opportunities.for_leads([]) == []


async def test_stage_history_is_newest_first_with_names(work: Work) -> None:
    w = await world(work)
    async with work() as uow:
        d = await deal(uow, w, "华东科技", owner=w.wang)
        await uow.stage_changes.add(StageChange(d.id, None, Stage.QUALIFIED, w.wang, NOW))
        await uow.stage_changes.add(StageChange(d.id, Stage.QUALIFIED, Stage.CONTRACT, w.manager, NOW + H, override=True, note="跳"))
        await uow.stage_changes.add(StageChange(d.id, Stage.CONTRACT, Stage.WON, None, NOW + H))
        await uow.commit()
    async with work() as uow:
        history = await uow.stage_changes.history(d.id)
    assert [(h.to_stage, h.actor_name, h.override, h.note) for h in history] == [
        (Stage.WON, None, False, None), (Stage.CONTRACT, "李经理", True, "跳"), (Stage.QUALIFIED, "小王", False, None),
    ]


# --- hand-offs -------------------------------------------------------------------------------------------


async def test_one_pending_hand_off_per_deal_and_conditional_moves(work: Work) -> None:
    w = await world(work)
    async with work() as uow:
        d = await deal(uow, w, "华东科技")
        late = await deal(uow, w, "晚到期的")
        first = await uow.handoffs.add(handoff(w, d.id, w.wang, deadline=2 * H))
        other = await uow.handoffs.add(handoff(w, late.id, w.li, deadline=3 * H))
        await uow.commit()
    with pytest.raises(Exception):  # noqa: B017 - uq_handoffs_pending_opportunity
        async with work() as uow:
            await uow.handoffs.add(handoff(w, d.id, w.li))
            await uow.commit()
    async with work() as uow:
        assert (await uow.handoffs.pending_for(d.id)).id == first.id  # type: ignore[union-attr]
        assert [h.id for h in await uow.handoffs.due(NOW + 3 * H, 10)] == [first.id, other.id]
        assert [h.id for h in await uow.handoffs.due(NOW + 2 * H, 10)] == [first.id]
        assert await uow.handoffs.due(NOW + 3 * H, 10, skip=[first.id, other.id]) == []
        row = await uow.handoffs.get(first.id)
        assert await uow.handoffs.transition(row, expect={HandoffState.PENDING}, state=HandoffState.DECLINED, decline_reason="busy")
        assert row.state is HandoffState.DECLINED
        assert not await uow.handoffs.transition(row, expect={HandoffState.PENDING}, state=HandoffState.ACCEPTED)
        second = await uow.handoffs.add(handoff(w, d.id, w.li, attempt=2))
        await uow.commit()
    async with work() as uow:
        assert [(h.id, h.state) for h in await uow.handoffs.for_opportunity(d.id)] == [
            (first.id, HandoffState.DECLINED), (second.id, HandoffState.PENDING),
        ]
        assert (await uow.handoffs.get(first.id)).decline_reason == "busy"  # type: ignore[union-attr]


# --- reminders ---------------------------------------------------------------------------------------------


async def test_reminders_page_sweep_and_move_only_from_the_expected_state(work: Work) -> None:
    w = await world(work)
    async with work() as uow:
        later = await uow.reminders.add(reminder(w, w.wang, 2 * H, "晚点"))
        soon = await uow.reminders.add(reminder(w, w.wang, H, "先做"))
        done = await uow.reminders.add(reminder(w, w.wang, H, "做完了", state=ReminderState.DONE))
        step = await uow.reminders.add(reminder(w, w.wang, 3 * H, "跟进", subject_kind=SUBJECT_OPPORTUNITY, subject_id=1))
        other = await uow.reminders.add(reminder(w, w.li, H, "小李的", state=ReminderState.SNOOZED))
        elsewhere = await uow.reminders.add(
            Reminder(user_id=w.outsider, team_id=w.other_team, text="x", due_at=NOW + H, created_at=NOW)
        )
        await uow.commit()
    async with work() as uow:
        page, total = await uow.reminders.open_for_user(w.wang, offset=1, limit=1)
        assert total == 3 and [r.id for r in page] == [later.id]
        assert await uow.reminders.open_for_user(w.manager, offset=0, limit=5) == ([], 0)
        assert await uow.reminders.personal_open(w.wang) == 2
        assert [r.id for r in await uow.reminders.due(NOW + H, 10)] == [soon.id, other.id, elsewhere.id]
        assert [r.id for r in await uow.reminders.due(NOW + H, 10, skip=[soon.id])] == [other.id, elsewhere.id]
        assert [r.id for r in await uow.reminders.due(NOW + 5 * H, 2)] == [soon.id, other.id]
        assert [r.id for r in await uow.reminders.due_between(w.team, NOW + H, NOW + 3 * H)] == [soon.id, later.id, other.id]
        row = await uow.reminders.get(soon.id)
        assert not await uow.reminders.transition(row, expect={ReminderState.PENDING}, round=1, state=ReminderState.SENT)
        assert await uow.reminders.transition(row, expect={ReminderState.PENDING}, round=0, state=ReminderState.SENT, sent_at=NOW)
        assert row.state is ReminderState.SENT
        assert not await uow.reminders.transition(row, expect={ReminderState.PENDING}, state=ReminderState.DONE)
        await uow.commit()
    async with work() as uow:
        assert (await uow.reminders.get(soon.id)).sent_at == NOW  # type: ignore[union-attr]
        assert done.id and step.id


async def test_a_digest_is_claimed_once_per_team_kind_and_day(work: Work) -> None:
    w = await world(work)
    day = date(2026, 11, 27)
    async with work() as uow:
        assert await uow.digests.claim(w.team, "agenda", day, NOW)
        assert not await uow.digests.claim(w.team, "agenda", day, NOW + H)
        assert await uow.digests.claim(w.team, "weekly", day, NOW)
        assert await uow.digests.claim(w.other_team, "agenda", day, NOW)
        await uow.commit()
    async with work() as uow:
        assert not await uow.digests.claim(w.team, "agenda", day, NOW)
        assert await uow.digests.claim(w.team, "agenda", day + timedelta(days=1), NOW)


# --- follow-up -------------------------------------------------------------------------------------------


async def test_activities_and_the_timeline_are_newest_first_with_names(work: Work) -> None:
    w = await world(work)
    async with work() as uow:
        d = await deal(uow, w, "华东科技", owner=w.wang)
        first = await uow.activities.add(Activity(w.team, w.wang, ActivityKind.CALL, NOW, note="第一次", opportunity_id=d.id))
        second = await uow.activities.add(Activity(w.team, w.li, ActivityKind.VISIT, NOW + H, note="拜访", opportunity_id=d.id))
        same_time = await uow.activities.add(Activity(w.team, w.wang, ActivityKind.NOTE, NOW + H, opportunity_id=d.id))
        await uow.activities.add(Activity(w.team, w.wang, ActivityKind.NOTE, NOW + 2 * H, lead_id=d.lead_id))
        await uow.commit()
    async with work() as uow:
        assert [a.id for a in await uow.activities.for_opportunity(d.id, 2)] == [same_time.id, second.id]
        assert (await uow.followups.last_activity(d.id)).id == same_time.id  # type: ignore[union-attr]
        entries, total = await uow.followups.timeline(d.id, 1, 5)
        assert total == 3 and [(e.id, e.actor_name, e.note) for e in entries] == [(second.id, "小李", "拜访"), (first.id, "小王", "第一次")]
        assert await uow.followups.last_activity(9999) is None


async def test_the_silence_watch_moves_only_from_what_it_saw(work: Work) -> None:
    w = await world(work)
    async with work() as uow:
        due = await deal(uow, w, "该查了", owner=w.wang, silence_check_at=NOW)
        later = await deal(uow, w, "还没到", owner=w.wang, silence_check_at=NOW + 5 * H)
        unowned = await deal(uow, w, "公海的", pooled_at=NOW, silence_check_at=NOW + 5 * H)
        never = await deal(uow, w, "没排的", owner=w.li)
        won = await deal(uow, w, "赢了的", owner=w.li, stage=Stage.WON, silence_check_at=NOW + 5 * H)
        await uow.commit()
    async with work() as uow:
        assert [d.id for d in await uow.followups.silent(NOW + H, 10)] == [due.id]
        assert [d.id for d in await uow.followups.silent(NOW + 5 * H, 10)] == [due.id, later.id, unowned.id, won.id]
        assert await uow.followups.silent(NOW + H, 10, skip=[due.id]) == []
        row = await uow.opportunities.get(due.id)
        assert not await uow.followups.set_silence(row, expect_level=1, expect_check=NOW, level=2, check_at=None)
        assert not await uow.followups.set_silence(row, expect_level=0, expect_check=NOW + H, level=1, check_at=None)
        assert await uow.followups.set_silence(row, expect_level=0, expect_check=NOW, level=1, check_at=NOW + 9 * H)
        await uow.followups.recheck_deal(never.id, NOW + H)  # never scheduled: stays so
        assert (await uow.opportunities.get(never.id)).silence_check_at is None  # type: ignore[union-attr]
        assert await uow.followups.recheck_team(w.team, NOW + 2 * H) == 3  # open, owned, later or never checked
        await uow.followups.recheck_deal(unowned.id, NOW + H)
        await uow.followups.recheck_deal(later.id, NOW + 3 * H)  # only ever sooner
        await uow.commit()
    async with work() as uow:
        checks = {d: (await uow.opportunities.get(d)).silence_check_at for d in (due.id, later.id, unowned.id, never.id, won.id)}
        level = (await uow.opportunities.get(due.id)).silence_level
    assert level == 1
    assert checks == {
        due.id: NOW + 2 * H, later.id: NOW + 2 * H, unowned.id: NOW + H, never.id: NOW + 2 * H, won.id: NOW + 5 * H,
    }


async def test_next_steps_complete_and_escalate_once(work: Work) -> None:
    w = await world(work)
    async with work() as uow:
        d = await deal(uow, w, "华东科技", owner=w.wang)
        step = dict(subject_kind=SUBJECT_OPPORTUNITY, subject_id=d.id)
        nudged = await uow.reminders.add(reminder(w, w.wang, H, state=ReminderState.SENT, escalate_at=NOW + 2 * H, **step))
        waiting = await uow.reminders.add(reminder(w, w.wang, 3 * H, **step))
        theirs = await uow.reminders.add(reminder(w, w.li, H, state=ReminderState.SENT, escalate_at=NOW + H, **step))
        await uow.reminders.add(reminder(w, w.wang, H, state=ReminderState.DONE, escalate_at=NOW, **step))
        await uow.commit()
    async with work() as uow:
        assert await uow.followups.has_next_step(d.id, w.wang) and not await uow.followups.has_next_step(d.id, w.manager)
        assert [r.id for r in await uow.followups.escalations_due(NOW + 2 * H, 10)] == [theirs.id, nudged.id]
        assert [r.id for r in await uow.followups.escalations_due(NOW + 2 * H, 10, skip=[theirs.id])] == [nudged.id]
        row = await uow.reminders.get(nudged.id)
        stale = await uow.reminders.get(nudged.id)
        assert await uow.followups.claim_escalation(row, NOW + 2 * H, escalated=True)
        assert row.escalate_at is None and row.escalated_at == NOW + 2 * H
        assert not await uow.followups.claim_escalation(stale, NOW + 2 * H, escalated=True)
        other = await uow.reminders.get(theirs.id)
        assert await uow.followups.claim_escalation(other, NOW + 2 * H, escalated=False)
        assert await uow.followups.complete_followups(d.id, w.wang, NOW + 3 * H) == 2
        await uow.commit()
    async with work() as uow:
        states = {r: (await uow.reminders.get(r)) for r in (nudged.id, waiting.id, theirs.id)}
        assert not await uow.followups.has_next_step(d.id, w.wang)
    assert [(r.state, r.done_at) for r in (states[nudged.id], states[waiting.id])] == [(ReminderState.DONE, NOW + 3 * H)] * 2
    assert (states[theirs.id].state, states[theirs.id].escalate_at, states[theirs.id].escalated_at) == (ReminderState.SENT, None, None)


async def test_the_morning_agenda_has_today_overdue_and_waiting_hand_offs(work: Work) -> None:
    w = await world(work)
    start, end, now = NOW, NOW + 12 * H, NOW + H
    async with work() as uow:
        d = await deal(uow, w, "华东科技", owner=w.wang)
        closed = await deal(uow, w, "丢了的", owner=w.wang, stage=Stage.LOST)
        offered = await deal(uow, w, "等接手的")
        step = dict(subject_kind=SUBJECT_OPPORTUNITY, subject_id=d.id)
        await uow.reminders.add(reminder(w, w.wang, 2 * H, "下午拜访"))
        await uow.reminders.add(reminder(w, w.wang, timedelta(minutes=30), "已经过了"))  # before `now`
        await uow.reminders.add(reminder(w, w.wang, timedelta(minutes=30), "早上提醒过", note="发方案", state=ReminderState.SENT, **step))
        await uow.reminders.add(reminder(w, w.wang, -24 * H, "昨天的", note="回电话", state=ReminderState.SENT, **step))
        await uow.reminders.add(reminder(w, w.wang, -24 * H, "丢了的", state=ReminderState.SENT, subject_kind=SUBJECT_OPPORTUNITY, subject_id=closed.id))
        await uow.reminders.add(reminder(w, w.wang, 13 * H, "明天的"))
        await uow.reminders.add(reminder(w, w.li, 3 * H, "小李的"))
        await uow.handoffs.add(handoff(w, offered.id, w.li, deadline=4 * H))
        await uow.commit()
    async with work() as uow:
        lines = await uow.followups.agenda(w.team, start, end, now)
    assert [(line.user_id, line.section, line.at, line.text, line.company, line.step) for line in lines] == [
        (w.wang, "today", NOW + timedelta(minutes=30), "早上提醒过", "华东科技", "发方案"),
        (w.wang, "today", NOW + 2 * H, "下午拜访", None, None),
        (w.wang, "overdue", NOW - 24 * H, "昨天的", "华东科技", "回电话"),
        (w.li, "today", NOW + 3 * H, "小李的", None, None),
        (w.li, "handoff", NOW + 4 * H, "等接手的", None, None),
    ]


async def test_search_and_the_stale_report_see_only_what_the_viewer_may(work: Work) -> None:
    w = await world(work)
    async with work() as uow:
        mine = await deal(uow, w, "华东科技有限公司", owner=w.wang, last_activity_at=NOW + H, silence_level=1)
        mine_lead = await uow.leads.get(mine.lead_id)
        mine_lead.phone, mine_lead.contact_name = "+8613800138000", "张总"
        theirs = await deal(uow, w, "华东物流", owner=w.li, last_activity_at=NOW + 2 * H)
        other = await deal(uow, w, "华东别队", owner=w.outsider, team=w.other_team, by=w.outsider)
        await uow.activities.add(Activity(w.team, w.li, ActivityKind.CALL, NOW, note="客户要 CRM 报价", needs="销售管理", opportunity_id=theirs.id))
        await uow.reminders.add(reminder(w, w.li, -H, "逾期的", state=ReminderState.SENT, subject_kind=SUBJECT_OPPORTUNITY, subject_id=theirs.id))
        await uow.reminders.add(reminder(w, w.li, -2 * H, "更早逾期", state=ReminderState.SENT, subject_kind=SUBJECT_OPPORTUNITY, subject_id=theirs.id))
        await uow.commit()
    async with work() as uow:
        async def found(visibility: Visibility, words: tuple[str, ...] = (), digits: str | None = None) -> list[int]:
            return [r.opportunity_id for r in await uow.followups.search(visibility, SearchQuery(words, digits), 10)]

        assert await found(Visibility(team_id=w.team), ("华东",)) == [theirs.id, mine.id]
        assert await found(Visibility(), ("华东",)) == [theirs.id, mine.id, other.id]
        assert await found(Visibility(owner_id=w.wang), ("华东",)) == [mine.id]
        assert await found(Visibility(team_id=w.team), ("crm",)) == [theirs.id]  # a note, any case
        assert await found(Visibility(team_id=w.team), ("华东", "张总")) == [mine.id]  # every word
        assert await found(Visibility(team_id=w.team), digits="0013800") == [mine.id]
        assert await found(Visibility(team_id=w.team), ("100%",)) == []  # typed wildcards match themselves
        [row] = await uow.followups.search(Visibility(team_id=w.team), SearchQuery(("crm",)), 10)
        assert (row.company, row.notes) == ("华东物流", ("客户要 CRM 报价", "销售管理"))
        stale = await uow.followups.stale(Visibility(team_id=w.team), NOW)
        assert [(s.opportunity.id, s.company, s.owner_name, s.overdue_since, s.has_next_step) for s in stale] == [
            (mine.id, "华东科技有限公司", "小王", None, False), (theirs.id, "华东物流", "小李", NOW - 2 * H, True),
        ]
        assert [s.opportunity.id for s in await uow.followups.stale(Visibility(owner_id=w.li), NOW)] == [theirs.id]


# --- the policy ------------------------------------------------------------------------------------------


async def test_a_policy_is_made_once_and_skills_are_replaced_per_kind(work: Work) -> None:
    w = await world(work)
    async with work() as uow:
        policy = await uow.policies.ensure(w.team)
        assert (policy.team_id, policy.threshold) == (w.team, 6)
        policy.threshold = 8
        assert (await uow.policies.ensure(w.team)).threshold == 8
        await uow.rep_skills.replace(w.wang, "industry", ["金融", "零售"])
        await uow.rep_skills.replace(w.wang, "region", ["上海"])
        await uow.rep_skills.replace(w.outsider, "industry", ["制造"])
        await uow.commit()
    async with work() as uow:
        assert (await uow.policies.ensure(w.team)).threshold == 8
        await uow.policies.ensure(w.other_team)
        assert [p.team_id for p in await uow.policies.all()] == [w.team, w.other_team]
        await uow.rep_skills.replace(w.wang, "industry", ["制造"])
        await uow.commit()
    async with work() as uow:
        assert await uow.rep_skills.of_user(w.wang) == {"industry": frozenset({"制造"}), "region": frozenset({"上海"})}
        assert await uow.rep_skills.of_team(w.team) == {w.wang: {"industry": frozenset({"制造"}), "region": frozenset({"上海"})}}
        await uow.rep_skills.replace(w.wang, "region", [])
        assert await uow.rep_skills.of_user(w.wang) == {"industry": frozenset({"制造"})}


# --- quotes (what the sweeps and the quote lists read) -----------------------------------------------------


async def test_quotes_are_numbered_per_team_and_year_swept_when_live_and_listed_current_only(work: Work) -> None:
    w = await world(work)

    def quote(deal_id: int, seq: int, **fields: Any) -> Quote:
        return Quote(w.team, deal_id, w.wang, 2026, seq, fields.pop("created_at", NOW), date(2026, 12, 31), **fields)

    async with work() as uow:
        d = await deal(uow, w, "华东科技", owner=w.wang)
        assert await uow.quotes.next_seq(w.team, 2026) == 1
        old = await uow.quotes.add(quote(d.id, 1, status=QuoteStatus.SENT, superseded_at=NOW, check_at=NOW))
        live = await uow.quotes.add(quote(d.id, 1, version=2, status=QuoteStatus.SENT, check_at=NOW + H, created_at=NOW + H))
        draft = await uow.quotes.add(quote(d.id, 2, check_at=NOW))
        approved = await uow.quotes.add(quote(d.id, 3, status=QuoteStatus.APPROVED, check_at=NOW))
        step = await uow.quotes.add_step(ApprovalStep(draft.id, w.team, 1, Level.MANAGER, NOW, state=StepState.PENDING, check_at=NOW + H))
        later = await uow.quotes.add_step(ApprovalStep(draft.id, w.team, 2, Level.ADMIN, NOW))
        await uow.commit()
    with pytest.raises(Exception):  # noqa: B017 - uq_quotes_number
        async with work() as uow:
            await uow.quotes.add(quote(d.id, 1, version=2))
            await uow.commit()
    async with work() as uow:
        assert await uow.quotes.next_seq(w.team, 2026) == 4 and await uow.quotes.next_seq(w.team, 2027) == 1
        assert await uow.quotes.next_seq(w.other_team, 2026) == 1
        assert [q.id for q in await uow.quotes.due(NOW + H, 10)] == [approved.id, live.id]  # live, current, by check
        assert [q.id for q in await uow.quotes.due(NOW + H, 10, skip=[approved.id])] == [live.id]
        assert [q.version for q in await uow.quotes.versions(w.team, 2026, 1)] == [1, 2]
        assert [(q.id, q.number) for q in await uow.quotes.for_deal(d.id)] == [
            (live.id, "Q-2026-0001-v2"), (approved.id, "Q-2026-0003-v1"), (draft.id, "Q-2026-0002-v1"),
        ]
        assert [s.id for s in await uow.quotes.steps_due(NOW + H, 10)] == [step.id]
        assert await uow.quotes.steps_due(NOW, 10) == []
        assert [s.id for s in await uow.quotes.open_steps(w.team, ["manager", "admin"])] == [step.id]
        assert [s.id for s in await uow.quotes.steps(draft.id)] == [step.id, later.id]
        row = await uow.quotes.get(old.id)
        assert not await uow.quotes.move(row, expect={QuoteStatus.SENT}, status=QuoteStatus.EXPIRED)  # superseded
        row = await uow.quotes.get(live.id)
        assert await uow.quotes.move(row, expect={QuoteStatus.SENT}, status=QuoteStatus.EXPIRED, check_at=None)
        assert not await uow.quotes.move(row, expect={QuoteStatus.SENT}, status=QuoteStatus.ACCEPTED)
        first = await uow.quotes.get_step(step.id)
        assert await uow.quotes.move_step(first, expect={StepState.PENDING}, state=StepState.APPROVED, decided_by=w.manager)
        assert not await uow.quotes.move_step(first, expect={StepState.PENDING}, state=StepState.REJECTED)
        await uow.commit()
    async with work() as uow:
        assert (await uow.quotes.get(live.id)).status is QuoteStatus.EXPIRED  # type: ignore[union-attr]
        assert (await uow.quotes.get_step(step.id)).decided_by == w.manager  # type: ignore[union-attr]
        assert await uow.quotes.open_steps(None, ["manager"]) == []


# --- contracts and payments (what the sweeps, the agenda and /receivables read) ---------------------------


async def test_contracts_are_numbered_swept_while_unsigned_or_collecting_and_owed_by_due_date(work: Work) -> None:
    w = await world(work)

    def contract(deal_id: int, seq: int, owner: int | None = None, **fields: Any) -> Contract:
        return Contract(w.team, deal_id, owner or w.wang, w.wang, 2026, seq, 100_000, NOW, date(2026, 12, 4), **fields)

    async with work() as uow:
        a = await deal(uow, w, "华东科技", owner=w.wang)
        b = await deal(uow, w, "南方电气", owner=w.li)
        assert await uow.contracts.next_seq(w.team, 2026) == 1
        unsigned = await uow.contracts.add(contract(a.id, 1, check_at=NOW))
        active = await uow.contracts.add(contract(b.id, 2, owner=w.li, status=ContractStatus.ACTIVE))
        m2 = await uow.contracts.add_milestone(Milestone(active.id, w.team, 2, "交付", 60_000, date(2026, 12, 20),
                                                         check_at=NOW + H))
        m1 = await uow.contracts.add_milestone(Milestone(active.id, w.team, 1, "签约", 40_000, date(2026, 12, 1),
                                                         paid_minor=10_000, check_at=NOW))
        await uow.contracts.add_milestone(Milestone(unsigned.id, w.team, 1, "签约", 100_000, date(2026, 12, 1),
                                                    check_at=NOW))  # its contract collects nothing yet
        paid = await uow.contracts.add_payment(Payment(active.id, w.team, 10_000, date(2026, 11, 20),
                                                       PaymentMethod.BANK, w.li, NOW, state=PaymentState.CONFIRMED,
                                                       confirmed_minor=10_000))
        waiting = await uow.contracts.add_payment(Payment(active.id, w.team, 5_000, date(2026, 11, 25),
                                                          PaymentMethod.BANK, w.li, NOW + H))
        await uow.commit()
    with pytest.raises(Exception):  # noqa: B017 - uq_contracts_number
        async with work() as uow:
            await uow.contracts.add(contract(a.id, 1))
            await uow.commit()
    async with work() as uow:
        assert await uow.contracts.next_seq(w.team, 2026) == 3 and await uow.contracts.next_seq(w.other_team, 2026) == 1
        assert [c.id for c in await uow.contracts.for_deal(a.id)] == [unsigned.id]
        assert [c.id for c in await uow.contracts.signing_due(NOW, 10)] == [unsigned.id]
        assert await uow.contracts.signing_due(NOW, 10, skip=[unsigned.id]) == []
        assert [m.id for m in await uow.contracts.milestones(active.id)] == [m1.id, m2.id]  # plan order
        assert [m.id for m in await uow.contracts.milestones_due(NOW + H, 10)] == [m1.id, m2.id]  # by check, collecting
        assert [m.id for m in await uow.contracts.milestones_due(NOW, 10)] == [m1.id]
        owed = await uow.contracts.receivables(w.team, None)
        assert [(r.number, r.company, r.owner_name, r.position, r.outstanding.minor) for r in owed] == [
            ("HT-2026-0002", "南方电气", "小李", 1, 30_000), ("HT-2026-0002", "南方电气", "小李", 2, 60_000),
        ]
        assert await uow.contracts.receivables(w.team, w.wang) == []
        assert await uow.contracts.receivables(w.other_team, None) == []
        assert [p.id for p in await uow.contracts.payments(active.id)] == [paid.id, waiting.id]
        assert [p.id for p in await uow.contracts.waiting_payments(w.team)] == [waiting.id]
        assert await uow.contracts.waiting_payments(w.other_team) == []
        assert [(line.amount.minor, line.state) for line in await uow.contracts.payment_lines(w.team, w.li, 10)] == [
            (5_000, PaymentState.REPORTED), (10_000, PaymentState.CONFIRMED),
        ]
        row = await uow.contracts.get(unsigned.id)
        assert await uow.contracts.move(row, expect={ContractStatus.DRAFT}, status=ContractStatus.SENT, check_at=None)
        assert not await uow.contracts.move(row, expect={ContractStatus.DRAFT}, status=ContractStatus.CANCELLED)
        pay = await uow.contracts.get_payment(waiting.id)
        assert await uow.contracts.decide_payment(pay, expect=PaymentState.REPORTED, state=PaymentState.REJECTED)
        assert not await uow.contracts.decide_payment(pay, expect=PaymentState.REPORTED, state=PaymentState.CONFIRMED)
        await uow.commit()
    async with work() as uow:
        assert (await uow.contracts.get(unsigned.id)).status is ContractStatus.SENT  # type: ignore[union-attr]
        assert await uow.contracts.signing_due(NOW + H, 10) == []  # its check was cleared
        assert await uow.contracts.waiting_payments(None) == []
        await uow.contracts.clear_milestones(active.id)
        await uow.commit()
    async with work() as uow:
        assert await uow.contracts.milestones(active.id) == [] and await uow.contracts.receivables(w.team, None) == []


async def test_a_contract_is_found_by_number_in_its_team_and_the_payment_policy_is_per_team(work: Work) -> None:
    """What the e-signature callback, the team's templates and its cadence read (domain/contracts/policy.py)."""
    w = await world(work)
    async with work() as uow:
        a = await deal(uow, w, "华东科技", owner=w.wang)
        b = await deal(uow, w, "南方电气", owner=w.wang)
        signed = await uow.contracts.add(Contract(w.team, a.id, w.wang, w.wang, 2026, 1, 100_000, NOW, date(2026, 12, 4),
                                                  status=ContractStatus.SIGNED))
        draft = await uow.contracts.add(Contract(w.team, b.id, w.wang, w.wang, 2026, 2, 100_000, NOW, date(2026, 12, 4)))
        open_one = await uow.contracts.add_milestone(Milestone(signed.id, w.team, 1, "签约", 60_000, date(2026, 12, 1)))
        await uow.contracts.add_milestone(Milestone(signed.id, w.team, 2, "交付", 40_000, date(2026, 12, 9),
                                                    paid_minor=40_000))  # paid: nothing to remind
        await uow.contracts.add_milestone(Milestone(draft.id, w.team, 1, "签约", 100_000, date(2026, 12, 1)))
        assert (await uow.contracts.policy(w.team)).id is None  # the built-in ones until saved
        policy = await uow.contracts.policy(w.team)
        policy.cadence = [-3, 0, 3]
        policy.templates = [{"key": "t1", "name": "全款", "parts": [[10_000, "signing", 0, 0]]}]
        await uow.contracts.save_policy(policy)
        await uow.commit()
    async with work() as uow:
        assert (await uow.contracts.by_number(w.team, 2026, 1)).id == signed.id  # type: ignore[union-attr]
        assert await uow.contracts.by_number(w.other_team, 2026, 1) is None
        assert await uow.contracts.by_number(w.team, 2025, 1) is None
        assert [m.id for m in await uow.contracts.open_milestones(w.team)] == [open_one.id]
        assert await uow.contracts.open_milestones(w.other_team) == []
        saved = await uow.contracts.policy(w.team)
        assert saved.cadence == [-3, 0, 3] and saved.templates == [
            {"key": "t1", "name": "全款", "parts": [[10_000, "signing", 0, 0]]}]
        saved.cadence = [0]
        await uow.contracts.save_policy(saved)
        await uow.commit()
    async with work() as uow:
        assert (await uow.contracts.policy(w.team)).cadence == [0]
        other = await uow.contracts.policy(w.other_team)
        assert other.cadence is None and other.templates is None


# --- the intake ----------------------------------------------------------------------------------------


async def test_api_keys_are_unique_by_hash_and_form_and_receipts_by_key(work: Work) -> None:
    w = await world(work)

    def key(n: int, **fields: Any) -> ApiKey:
        return ApiKey(w.team, f"渠道{n}", LeadSource.WEBSITE, f"hash{n}", f"lp_{n}", w.manager, NOW, form_slug=f"form{n}", **fields)

    async with work() as uow:
        first = await uow.api_keys.add(key(1))
        revoked = await uow.api_keys.add(key(2, revoked_at=NOW))
        third = await uow.api_keys.add(key(3))
        source = await lead(uow, w, "官网来的")
        await uow.intake_receipts.add(IntakeReceipt(first.id, "req-1", source.id, "owned", NOW))
        await uow.commit()
    async with work() as uow:
        assert [k.id for k in await uow.api_keys.of_team(w.team)] == [first.id, third.id]
        assert (await uow.api_keys.by_hash("hash2")).id == revoked.id  # type: ignore[union-attr]
        assert (await uow.api_keys.by_form_slug("form3")).id == third.id  # type: ignore[union-attr]
        assert await uow.api_keys.by_hash("nope") is None and await uow.api_keys.by_form_slug("nope") is None
        receipt = await uow.intake_receipts.get(first.id, "req-1")
        assert receipt is not None and receipt.lead_id == source.id
        assert await uow.intake_receipts.get(third.id, "req-1") is None
    for clash in ("hash", "form", "receipt"):
        with pytest.raises(Exception):  # noqa: B017 - unique indexes
            async with work() as uow:
                if clash == "receipt":
                    await uow.intake_receipts.add(IntakeReceipt(first.id, "req-1", source.id, "owned", NOW))
                else:
                    await uow.api_keys.add(key(4, key_hash="hash1") if clash == "hash" else key(5, form_slug="form1"))
                await uow.commit()


# --- webhooks --------------------------------------------------------------------------------------------


async def test_webhooks_listen_by_event_and_a_paused_one_still_collects(work: Work) -> None:
    w = await world(work)
    async with work() as uow:
        first = await uow.webhooks.add(WebhookEndpoint(w.team, "https://a", ["lead.created"], "s", w.manager, NOW))
        paused = await uow.webhooks.add(WebhookEndpoint(w.team, "https://b", ["lead.created", "deal.won"], "s", w.manager, NOW, active=False))
        await uow.webhooks.add(WebhookEndpoint(w.other_team, "https://c", ["lead.created"], "s", w.manager, NOW))
        await uow.commit()
    async with work() as uow:
        # Paused endpoints hear too: what happens meanwhile waits for the resume (tests/test_webhooks_out.py).
        assert [e.id for e in await uow.webhooks.listening(w.team, "lead.created")] == [first.id, paused.id]
        assert [e.id for e in await uow.webhooks.listening(w.team, "deal.won")] == [paused.id]
        assert [e.id for e in await uow.webhooks.of_team(w.team)] == [first.id, paused.id]
        await uow.webhooks.queue(WebhookDelivery(paused.id, w.team, "deal.won", "e1", {"id": "e1"}, NOW))
        await uow.webhooks.remove(await uow.webhooks.get(paused.id))
        await uow.commit()
    async with work() as uow:
        assert await uow.webhooks.get(paused.id) is None
        assert [e.id for e in await uow.webhooks.of_team(w.team)] == [first.id]


# --- the outbox --------------------------------------------------------------------------------------------


def notice(kind: Kind, subject: int, *, to: int | None, key: str, created: timedelta = timedelta(0)) -> Notification:
    spec = kind.spec
    return Notification(
        chat_id=1, text=spec.key, dedupe_key=key, created_at=NOW + created, not_before=NOW, next_attempt_at=NOW, kind=spec.category,
        recipient_id=to, subject_kind=spec.subject.value, subject_id=subject, notice=spec.key,
    )


async def test_a_dedupe_key_queues_once(work: Work) -> None:
    w = await world(work)
    async with work() as uow:
        d = await deal(uow, w, "华东科技", owner=w.wang)
        first = await uow.outbox.add(notice(Kind.WON_GROUP, d.id, to=None, key="k1"))
        assert first is not None and first.id is not None
        assert await uow.outbox.add(notice(Kind.WON_GROUP, d.id, to=None, key="k1")) is None
        await uow.commit()
    async with work() as uow:
        assert await uow.outbox.add(notice(Kind.WON_GROUP, d.id, to=None, key="k1")) is None
    unscheduled = notice(Kind.WON_GROUP, d.id, to=None, key="k2")
    unscheduled.next_attempt_at = None
    with pytest.raises(Exception):  # noqa: B017 - NOT NULL: the dispatcher finds a row by when to try it
        async with work() as uow:
            await uow.outbox.add(unscheduled)
            await uow.commit()


async def test_rows_stored_together_get_their_ids_in_order_and_stay_tracked(work: Work) -> None:
    """add_many (a batch of an imported file): each row its own id, in the order given, read back as
    written; a change made to one afterwards in the transaction is kept; a dedupe key queues once."""
    w = await world(work)
    async with work() as uow:
        await lead(uow, w, "早就有的")  # the new ids follow what the table has
        new = await uow.leads.add_many([
            Lead(team_id=w.team, created_by=w.manager, company=f"客户{n}", company_key=f"客户{n}", phone=f"1390000{n:04d}",
                 created_at=NOW, score=n % 10)
            for n in range(30)
        ])
        deals = await uow.opportunities.add_many([
            Opportunity(team_id=w.team, lead_id=x.id, title=x.company, created_at=NOW) for x in new  # type: ignore[arg-type]
        ])
        await uow.stage_changes.add_many([
            StageChange(opportunity_id=d.id, from_stage=None, to_stage=Stage.QUALIFIED, actor_id=w.manager, at=NOW, team_id=d.team_id)  # type: ignore[arg-type]
            for d in deals
        ])
        handoffs = await uow.handoffs.add_many([handoff(w, d.id, w.wang if n % 2 else w.li) for n, d in enumerate(deals)])  # type: ignore[arg-type]
        deals[3].pooled_at = NOW  # changed after it was stored: written with the commit
        cards = await uow.outbox.add_many([
            notice(Kind.HANDOFF_CARD, h.id, to=h.to_user_id, key=f"card-{h.id}") for h in handoffs  # type: ignore[arg-type]
        ] + [notice(Kind.HANDOFF_CARD, handoffs[0].id, to=w.li, key=f"card-{handoffs[0].id}")])  # type: ignore[arg-type]
        await uow.commit()
    ids = [x.id for x in new]
    assert ids == sorted(ids) and len(set(ids)) == 30 and None not in ids
    assert cards[-1] is None and all(c is not None and c.id is not None for c in cards[:-1])
    async with work() as uow:
        for n, x in enumerate(new):
            back = await uow.leads.get(x.id)
            assert back is not None and (back.company, back.phone, back.score) == (f"客户{n}", f"1390000{n:04d}", n % 10)
        assert [o.lead_id for o in await uow.opportunities.for_leads(ids)] == ids
        assert (await uow.opportunities.get(deals[3].id)).pooled_at == NOW  # type: ignore[union-attr]
        assert [(e.to_stage, e.actor_name) for e in await uow.stage_changes.history(deals[5].id)] == [  # type: ignore[arg-type]
            (Stage.QUALIFIED, "李经理"),
        ]
        for n, (d, h) in enumerate(zip(deals, handoffs, strict=True)):
            assert (await uow.handoffs.pending_for(d.id)).to_user_id == (w.wang if n % 2 else w.li)  # type: ignore[arg-type,union-attr]
            assert h.opportunity_id == d.id
        assert await uow.outbox.add_many([notice(Kind.HANDOFF_CARD, handoffs[1].id, to=w.wang, key=f"card-{handoffs[1].id}")]) == [None]  # type: ignore[arg-type]


async def test_a_notice_whose_subject_moved_on_is_cancelled_when_queued_or_settled(work: Work) -> None:
    w = await world(work)
    async with work() as uow:
        d = await deal(uow, w, "华东科技")
        h = await uow.handoffs.add(handoff(w, d.id, w.wang))
        card = await uow.outbox.add(notice(Kind.HANDOFF_CARD, h.id, to=w.wang, key="card"))
        announced = await uow.outbox.add(notice(Kind.WON_GROUP, d.id, to=None, key="won"))  # always holds
        assert await uow.outbox.check_queued([card, announced], NOW) == set()
        await uow.handoffs.transition(h, expect={HandoffState.PENDING}, state=HandoffState.DECLINED)
        late = await uow.outbox.add(notice(Kind.HANDOFF_CARD, h.id, to=w.wang, key="late card"))
        assert await uow.outbox.check_queued([late], NOW) == {late.id}
        assert late.state is NotificationState.CANCELLED
        await uow.commit()
    async with work() as uow:
        cancelled = await uow.outbox.settle(Subject.OPPORTUNITY, d.id, why="handoff.declined", now=NOW + H)
        assert [(c.id, c.notice, c.recipient_id) for c in cancelled] == [(card.id, Kind.HANDOFF_CARD.spec.key, w.wang)]
        assert await uow.outbox.settle(Subject.OPPORTUNITY, d.id, why="again", now=NOW + H) == []
        await uow.commit()


def test_every_validity_rule_is_judged_in_memory_as_in_sql() -> None:
    """A kind's rule (domain/outbox/kinds.py Valid) is said twice: in SQL for storage and in Python for the
    fakes. A new rule without its fake twin would leave a service test judging nothing stale."""
    from storage.notice_rules import PREDICATES as SQL_PREDICATES
    from tests.fakes import _PREDICATES as FAKE_PREDICATES

    judged = set(Valid) - {Valid.ALWAYS}
    assert set(SQL_PREDICATES) == judged
    assert set(FAKE_PREDICATES) == judged - ON_DATABASES_ONLY


# Rules about subjects with no fake repository (yet): their service tests run on the databases, and a fake
# asked to judge one fails loudly (tests/fakes.py FakeOutbox._holds).
ON_DATABASES_ONLY: set[Valid] = set()
