"""/find on real SQLite and PostgreSQL: customers, contacts, deals and activity notes; Chinese substrings,
English in any case, phone fragments typed with spaces or dashes; and who may see what."""

from __future__ import annotations

import pytest

from bot.factory import App
from domain.errors import InvalidInput
from domain.followup import search as followup
from domain.followup.rules import SearchHit
from domain.team.model import User
from tests.fakes import FakeClock
from tests.followup_support import admin, call, crew, deal, log


async def find(app: App, viewer: User, query: str) -> list[SearchHit]:
    async with app.uow() as uow:
        return await followup.search(uow, viewer=viewer, query=query)


def companies(hits: list[SearchHit]) -> list[str]:
    return [hit.company for hit in hits]


async def test_chinese_english_phone_and_note_searches_find_the_viewers_deals(app: App, clock: FakeClock) -> None:
    c = await crew(app)
    wang, li = c.reps
    east = await deal(app, wang, "华东科技有限公司", phone="13800138000", contact_name="张伟")
    acme = await deal(app, wang, "ACME Trading Ltd", phone="+44 20 7946 0958", contact_name="John Smith", email="john@acme.com")
    clock.advance(minutes=1)
    south = await deal(app, li, "华南物流", phone="13912345678")
    await log(app, wang, acme, note="Customer wants 100% uptime_guarantee", needs="集成金蝶财务系统")

    hits = await find(app, wang, "华东")
    assert [(h.kind, h.opportunity_id, h.company, h.snippet) for h in hits] == [
        ("customer", east, "华东科技有限公司", "华东科技有限公司"),
    ]
    assert companies(await find(app, wang, "acme")) == ["ACME Trading Ltd"]  # any case
    [contact] = await find(app, wang, "smith")
    assert (contact.kind, contact.snippet) == ("contact", "John Smith · +442079460958 · john@acme.com")
    [by_phone] = await find(app, wang, "8001")
    assert (by_phone.kind, by_phone.opportunity_id, by_phone.snippet) == ("contact", east, "张伟 · +8613800138000")
    assert companies(await find(app, wang, "138-0013 8000")) == ["华东科技有限公司"]  # spaces and dashes ignored
    assert companies(await find(app, wang, "+86 138")) == ["华东科技有限公司"]
    assert companies(await find(app, wang, "7946 0958")) == ["ACME Trading Ltd"]

    [note] = await find(app, wang, "金蝶")
    assert (note.kind, note.company, note.snippet) == ("note", "ACME Trading Ltd", "集成金蝶财务系统")
    assert [h.kind for h in await find(app, wang, "100%")] == ["note"]
    # % and _ are plain characters, not wildcards: "1_0" would match "100" and "华%" everything.
    assert await find(app, wang, "1_0") == [] and await find(app, wang, "华%") == []
    assert [h.kind for h in await find(app, wang, "e_g")] == ["note"]
    assert companies(await find(app, wang, "华东 张伟")) == ["华东科技有限公司"]  # every word must match
    assert await find(app, wang, "华东 John") == []

    # Visibility: 小李 sees only his deal; the manager the team's; another team's manager nothing.
    assert await find(app, li, "华东") == []
    assert companies(await find(app, li, "华")) == ["华南物流"]
    assert sorted(companies(await find(app, c.manager, "华"))) == ["华东科技有限公司", "华南物流"]
    assert companies(await find(app, c.manager, "华"))[0] == "华南物流"  # most recently active first
    other = await crew(app, team="Berlin Sales", timezone="Europe/Berlin", reps=("Anna",), manager="Max")
    assert await find(app, other.manager, "华") == []
    assert await find(app, other.manager, "8001") == []
    everyone = await admin(app, other.team)
    assert sorted(companies(await find(app, everyone, "华"))) == ["华东科技有限公司", "华南物流"]
    assert south


async def test_an_empty_query_is_refused(app: App, clock: FakeClock) -> None:
    c = await crew(app)
    for query in ("", "   "):
        with pytest.raises(InvalidInput) as error:
            await call(app, followup.search, viewer=c.reps[0], query=query)
        assert error.value.code == "error-search-query"
