"""A batch of an imported file is captured together (leads/services.py capture_all_for_channel) with the
same outcome, row for row, as capturing the same leads one after the other (capture_for_channel, which
the HTTP intake uses): under each assignment policy, the same rep for each lead, the same scores, pool and
nurture, the same cursor, the same audit trail and the same cards queued. In memory (tests/fakes.py); the
SQL side of the batch writes is held to the fakes by tests/test_port_contracts.py."""

from __future__ import annotations

from collections import Counter
from typing import Any

import pytest

from bot.render import Renderer
from domain.errors import InvalidInput
from domain.leads import services as lead_service
from domain.leads.model import CaptureResult, LeadDraft
from domain.policy import services as policy_service
from tests.fakes import FakeClock, MemoryApp
from tests.pipeline_support import call, cold, crew, hot

REGIONS = ("上海", "杭州", "南京", None)


def drafts() -> list[LeadDraft]:
    """Twenty-four leads: hot ones from four regions, a cold one every fifth, a bad phone (the capture
    spec refuses it) once."""
    made = []
    for n in range(24):
        phone = f"1390000{n:04d}"
        if n == 13:
            made.append(hot(f"坏号码{n}", phone="12345"))
        elif n % 5 == 4:
            made.append(cold(f"冷线索{n}", phone=phone))
        else:
            made.append(hot(f"客户{n}科技", phone=phone, region=REGIONS[n % 4]))
    return made


async def team(clock: FakeClock, renderer: Renderer, assignment: str) -> tuple[MemoryApp, Any]:
    """A team of four reps (小赵 cannot be messaged), 小王 already busy with two deals, skills by region."""
    app = MemoryApp(clock, renderer)
    c = await crew(app, reps=("小王", "小李", "小张", "小赵"))
    wang, li, zhang, zhao = c.reps
    async with app.uow() as uow:
        for rep, region in ((li, "上海"), (zhang, "杭州"), (wang, "杭州")):
            await policy_service.set_rep_skills(
                uow, actor=c.manager, user_id=rep.id, kind="region", values=[region], now=clock.now()
            )
        away = await uow.users.get(zhao.id)
        assert away is not None
        away.reachable = False
        await uow.commit()
    for n in range(2):
        await call(app, lead_service.capture_lead, actor=wang, draft=hot(f"老客户{n}", phone=f"1370000{n:04d}",
                                                                          keep_myself=True), now=clock.now())
    async with app.uow() as uow:
        if (await policy_service.get_policy(uow, team_id=c.team.id)).assignment.value != assignment:
            await policy_service.update_policy(
                uow, actor=c.manager, team_id=c.team.id, changes={"assignment": assignment}, now=clock.now()
            )
            await uow.commit()
    return app, c


def outcome(result: CaptureResult | InvalidInput) -> tuple[Any, ...]:
    if isinstance(result, InvalidInput):
        return ("invalid", result.code)
    return (
        result.lead.company, result.lead.score, result.lead.status, result.outcome,
        result.handoff.to_user_id if result.handoff is not None else None,
    )


def trail(app: MemoryApp) -> tuple[Counter[str], list[tuple[str | None, int | None]]]:
    actions = Counter(e.action for e in app.db.audit.events)
    cards = [(n.notice, n.recipient_id) for n in app.db.outbox.messages]
    return actions, cards


@pytest.mark.parametrize("assignment", ["round_robin", "least_loaded", "rules", "manual"])
async def test_a_batch_ends_as_the_same_leads_one_after_the_other(
    clock: FakeClock, renderer: Renderer, assignment: str
) -> None:
    together, c1 = await team(clock, renderer, assignment)
    async with together.uow() as uow:
        batch = await lead_service.capture_all_for_channel(
            uow, creator=c1.manager, team=c1.team, drafts=drafts(), now=clock.now(), channel="导入:x", imported=True,
        )
        await uow.commit()

    one_by_one, c2 = await team(clock, renderer, assignment)
    single: list[CaptureResult | InvalidInput] = []
    async with one_by_one.uow() as uow:
        for draft in drafts():
            try:
                single.append(await lead_service.capture_for_channel(
                    uow, creator=c2.manager, team=c2.team, draft=draft, now=clock.now(), channel="导入:x",
                    imported=True,
                ))
            except InvalidInput as error:
                single.append(error)
        await uow.commit()

    assert [outcome(r) for r in batch] == [outcome(r) for r in single]
    assert trail(together) == trail(one_by_one)
    async with together.uow() as uow, one_by_one.uow() as other:
        first = await policy_service.get_policy(uow, team_id=c1.team.id)
        second = await policy_service.get_policy(other, team_id=c2.team.id)
        assert first.rr_cursor == second.rr_cursor
    given = Counter(outcome(r)[4] for r in batch if not isinstance(r, InvalidInput))
    if assignment == "manual":
        assert set(given) == {None}  # all in the pool
    else:  # the test means something: the reps who can be messaged share the hot leads, 小赵 gets none
        assert c1.reps[3].id not in given and len(set(given) - {None}) >= 2
