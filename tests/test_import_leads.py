"""Importing leads from a file, in chat, on SQLite and PostgreSQL: a manager sends a trade fair's CSV, reads
the preview (the guessed columns, new / duplicate / wrong counts), fixes a column with buttons, confirms;
the new leads go through the capture (scored, assigned round-robin), each rep gets ONE message listing
theirs, the rows left out come back as an Excel file with the reason per row. A second ✅ imports nothing,
the same file again creates no duplicate, a rep may not import, another team's leads are not touched."""

from __future__ import annotations

import io
import re
from datetime import UTC, datetime
from typing import Any

from aiogram.methods import SendDocument
from openpyxl import Workbook, load_workbook
from sqlalchemy import func, select

from bot.factory import App
from bot.outbox import outbox_of
from bot.sandbox import Call, Person, Sandbox
from domain.handoffs import services as handoff_service
from domain.intake import imports as service
from domain.leads.model import LeadSource
from domain.outbox.kinds import Kind
from domain.team.model import Role, User
from storage.tables import leads, notifications
from tests.conftest import join
from tests.deal_support import alert, hot_lead, member, set_policy
from tests.fakes import FakeClock

THURSDAY_NIGHT = datetime(2026, 11, 26, 15, 0, tzinfo=UTC)  # 23:00 in Shanghai
FRIDAY_EARLY = datetime(2026, 11, 26, 23, 30, tzinfo=UTC)  # 07:30
FRIDAY_NINE = datetime(2026, 11, 27, 1, 0, tzinfo=UTC)  # 09:00, work starts
HEADER = "姓名,手机,公司名称,来源,需求,预算,时间,是否决策人"
GOOD = [
    f"张总{n},1390013{n:04d},客户{n}科技有限公司,展会,想上一套CRM管销售线索,50万,本月上线,是" for n in range(1, 9)
]
FAIR_CSV = "\n".join([
    HEADER,
    *GOOD,  # rows 2..9
    "王五,12345,坏号码科技,展会,要报价,,,",  # row 10: the phone is wrong
    "赵六,13900139999,,展会,要报价,,,",  # row 11: no company
    "张总1,13900130001,客户1科技,展会,又留了一次名片,,,",  # row 12: the same phone as row 2
    "老客户,13700137000,老朋友贸易,转介绍,续约,,,",  # row 13: the team has this lead already
]) + "\n"


async def team_leads(app: App, user: User) -> int:
    async with app.engine.connect() as conn:
        stmt = select(func.count()).select_from(leads).where(leads.c.team_id == user.team_id)
        return int((await conn.execute(stmt)).scalar_one())


async def seed_known(app: App, rep: User) -> None:
    from domain.leads import services as lead_service

    async with app.uow() as uow:
        await lead_service.capture_lead(uow, actor=rep, draft=hot_lead("老朋友贸易", phone="13700137000", keep_myself=True),
                                        now=app.clock.now())
        await uow.commit()


def documents(calls: list[Call]) -> list[Any]:
    return [c.method for c in calls if isinstance(c.method, SendDocument)]


def read_back(document: Any) -> list[tuple[Any, ...]]:
    book = load_workbook(io.BytesIO(document.document.data), read_only=True)
    rows = [tuple(row) for row in book.worksheets[0].iter_rows(values_only=True)]
    book.close()
    return rows


async def people(app: App, sandbox: Sandbox) -> tuple[Person, Person, Person, User, User]:
    manager = await join(app, sandbox, "李经理", Role.MANAGER)
    wang = await join(app, sandbox, "小王", Role.REP)
    li = await join(app, sandbox, "小李", Role.REP)
    return manager, wang, li, await member(app, wang), await member(app, li)


async def test_a_fair_list_is_previewed_imported_once_and_each_rep_hears_once(app: App, sandbox: Sandbox) -> None:
    manager, wang_p, li_p, wang, _li = await people(app, sandbox)
    await seed_known(app, wang)
    before = await team_leads(app, wang)

    await manager.send_document("展会名单.csv", FAIR_CSV.encode("gbk"))  # as Excel in China saves a CSV
    preview = manager.last.text
    assert "导入线索预览</b>：展会名单.csv" in preview
    assert "共 12 行：🆕 新线索 8 · 🔁 重复 2 · ❌ 有问题 2" in preview
    assert "公司 ← C「公司名称」" in preview and "电话 ← B「手机」" in preview and "决策人 ← H「是否决策人」" in preview
    assert "第 2 行 客户1科技有限公司 · 张总1 · +8613900130001 · 展会活动" in preview
    assert "第 10 行：手机号好像不对" in preview and "第 11 行：请填写公司名称" in preview
    assert "第 12 行：电话和第 2 行相同" in preview
    assert "第 13 行：电话和已有线索「老朋友贸易」" in preview
    assert await team_leads(app, wang) == before  # nothing written before ✅

    _, confirm = manager.find_button("✅ 导入 8 条新线索")
    calls = await manager.press("✅ 导入 8 条新线索")
    summary = manager.last.text
    assert "导入完成</b>：展会名单.csv" in summary and "新线索 8 条：分给销售 8 条 · 进公海 0 条 · 进入培育 0 条" in summary
    assert "小王 4 条" in summary and "小李 4 条" in summary
    assert "重复 2 行 · 有问题 2 行" in summary
    assert await team_leads(app, wang) == before + 8

    [document] = documents(calls)
    assert document.document.filename == "展会名单-未导入.xlsx"
    rows = read_back(document)
    assert rows[0][:4] == ("原文件行号", "结果", "原因", "姓名")
    assert [(r[0], r[1]) for r in rows[1:]] == [(10, "有问题"), (11, "有问题"), (12, "重复"), (13, "重复")]
    assert "手机号好像不对" in rows[1][2] and rows[1][3:5] == ("王五", "12345")
    assert rows[3][2] == "电话和第 2 行相同"

    assert "过期" in alert(await manager.press_data(confirm))  # a second ✅ imports nothing
    assert await team_leads(app, wang) == before + 8

    # Each rep: one message listing their four, with the button to the deals waiting for them.
    seen = {p.first_name: len(p.chat()) for p in (wang_p, li_p)}
    report = await outbox_of(app).run_once()
    assert report.coalesced == 6
    for person in (wang_p, li_p):
        [digest] = [s.text for s in person.chat()[seen[person.first_name]:]]
        assert "有 4 条导入的新线索分给了你" in digest and digest.count("\n• ") == 4
        assert person.last.buttons[0][0] == "⏳ 等我接手的商机"
    await wang_p.press("等我接手的商机")
    assert "客户1科技有限公司" in wang_p.last.text or "客户2科技有限公司" in wang_p.last.text

    # The same file again: nothing new, nothing written.
    await manager.send_document("展会名单.csv", FAIR_CSV.encode("utf-8"))
    assert "🆕 新线索 0 · 🔁 重复 10 · ❌ 有问题 2" in manager.last.text
    assert "没有可以导入的新线索" in manager.last.text and not any("✅ 导入" in b[0] for b in manager.last.buttons)


async def test_fixing_a_column_and_the_source_with_buttons(app: App, sandbox: Sandbox) -> None:
    manager, _, _, wang, _ = await people(app, sandbox)
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["Customer", "Contact", "Mobile", "Notes", "Owner phone"])
    sheet.append(["Acme Ltd", "Tom", 13800138001, "CRM for 20 seats", 13800138999])
    sheet.append(["Globex", "Ann", 13800138002, None, None])
    buffer = io.BytesIO()
    book.save(buffer)
    await manager.send_document("leads.xlsx", buffer.getvalue())
    assert "电话 ← C「Mobile」" in manager.last.text and "共 2 行：🆕 新线索 2" in manager.last.text

    await manager.press("✏️ 调整列")
    await manager.press("电话：C")
    assert "「电话」在哪一列？" in manager.last.text
    await manager.press("E「Owner phone」")  # the wrong column, on purpose
    assert "电话 ← E「Owner phone」" in manager.last.text and "🆕 新线索 1 · 🔁 重复 0 · ❌ 有问题 1" in manager.last.text
    await manager.press("✏️ 调整列")
    await manager.press("电话：E")
    await manager.press("C「Mobile」")
    assert "电话 ← C「Mobile」" in manager.last.text and "新线索 2" in manager.last.text

    await manager.press("📍 来源")
    await manager.press("展会活动")
    assert "来源 ← 全部记为「展会活动」" in manager.last.text
    await manager.press("✅ 导入 2 条新线索")
    assert "新线索 2 条" in manager.last.text
    async with app.engine.connect() as conn:
        sources = {r[0] for r in await conn.execute(select(leads.c.source).where(leads.c.team_id == wang.team_id))}
    assert {str(getattr(s, "value", s)) for s in sources} == {LeadSource.EVENT.value}


async def test_only_managers_import_leads_and_another_teams_leads_are_not_touched(
    app: App, sandbox: Sandbox
) -> None:
    _manager, wang_p, _, wang, _ = await people(app, sandbox)
    await wang_p.send_document("名单.csv", FAIR_CSV.encode("utf-8"))
    assert "只有销售经理和管理员可以导入" in wang_p.last.text
    await seed_known(app, wang)  # 老朋友贸易 is a lead of 李经理's team
    other = await join(app, sandbox, "王经理", Role.MANAGER, team="华南销售部")
    await join(app, sandbox, "小赵", Role.REP, team="华南销售部")
    await other.send_document("名单.csv", FAIR_CSV.encode("utf-8"))
    assert "🆕 新线索 9 · 🔁 重复 1 · ❌ 有问题 2" in other.last.text  # row 13 is new for this team
    own_before = await team_leads(app, wang)
    await other.press("✅ 导入 9 条新线索")
    assert "新线索 9 条" in other.last.text
    assert await team_leads(app, wang) == own_before


async def test_cards_are_held_until_the_file_is_done(app: App, sandbox: Sandbox) -> None:
    manager_p, _, _, _wang, _ = await people(app, sandbox)
    manager = await member(app, manager_p)
    now = app.clock.now()
    async with app.uow() as uow:
        plan = await service.plan_import(uow, actor=manager, rows=[r.split(",") for r in FAIR_CSV.splitlines()], now=now)
    report = service.ImportReport(total=plan.total)
    async with app.uow() as uow:
        await service.import_batch(uow, actor=manager, rows=plan.new[:4], channel="导入:x", report=report, now=now)
        await uow.commit()

    async def due() -> int:
        async with app.engine.connect() as conn:
            stmt = select(func.count()).select_from(notifications).where(
                notifications.c.notice == Kind.HANDOFF_CARD_IMPORTED.spec.key, notifications.c.next_attempt_at <= now
            )
            return int((await conn.execute(stmt)).scalar_one())

    assert report.imported == 4 and await due() == 0  # queued, held
    async with app.uow() as uow:
        await service.import_batch(uow, actor=manager, rows=plan.new, channel="导入:x", report=report, now=now)
        released = await service.finish_import(uow, actor=manager, channel="导入:x", report=report, now=now)
        await uow.commit()
    assert report.outcomes == {"handoff": 8, "nurture": 1}  # 老朋友贸易 says too little: nurture, no card
    assert len(report.duplicates) == 4  # the batch's first four were in already
    assert released == 8 and await due() == 8


async def test_an_imported_lead_accepted_before_nine_is_left_out_of_the_morning_digest(
    app: App, sandbox: Sandbox, clock: FakeClock
) -> None:
    manager, wang_p, _, wang, _ = await people(app, sandbox)
    await set_policy(app, await member(app, manager), assignment="least_loaded")
    async with app.uow() as uow:  # 小李 is away: everything goes to 小王
        li = await uow.users.by_telegram_id(sandbox.people["小李"].telegram_id)
        assert li is not None
        li.reachable = False
        await uow.commit()
    clock.set(THURSDAY_NIGHT)  # the manager imports late at night: the cards wait for the morning
    four = "\n".join(FAIR_CSV.splitlines()[:5]) + "\n"
    await manager.send_document("夜里.csv", four.encode("utf-8"))
    await manager.press("✅ 导入 4 条新线索")
    assert "小王 4 条" in manager.last.text
    clock.set(FRIDAY_EARLY)
    async with app.engine.connect() as conn:
        stmt = select(notifications.c.subject_id).where(notifications.c.notice == Kind.HANDOFF_CARD_IMPORTED.spec.key)
        handoff_ids = sorted(r[0] for r in await conn.execute(stmt))
    async with app.uow() as uow:  # 小王 accepts the first from /deals before work
        await handoff_service.accept_handoff(uow, actor=wang, handoff_id=handoff_ids[0], now=clock.now())
        await uow.commit()
    seen = len(wang_p.chat())
    clock.set(FRIDAY_NINE)
    await outbox_of(app).run_once()
    [digest] = [s.text for s in wang_p.chat()[seen:]]
    assert "有 3 条导入的新线索分给了你" in digest and "客户1科技" not in digest


async def test_a_thousand_rows_are_shared_evenly_each_rep_gets_one_digest_and_both_duplicates_come_back(
    app: App, sandbox: Sandbox
) -> None:
    """A thousand rows go in several batches: the round robin carries on from one batch to the next (three
    reps, batches of a size three does not divide), each rep gets one message for all of theirs, and a
    row repeating an earlier one (in another batch) and a row the team has already come back in the file
    of rows not imported."""
    manager, wang_p, li_p, wang, _ = await people(app, sandbox)
    zhang_p = await join(app, sandbox, "小张", Role.REP)
    await seed_known(app, wang)
    before = await team_leads(app, wang)
    rows = [f"张总{n},139{n:08d},客户{n}科技有限公司,展会,想上一套CRM管销售线索,50万,本月上线,是" for n in range(998)]
    rows.insert(900, "又是张总5,13900000005,客户5科技,展会,又留了一次名片,,,")  # row 902: as row 7, three batches later
    rows.append("老客户,13700137000,老朋友贸易,转介绍,续约,,,")  # row 1001: the team has this lead already
    assert len(rows) == 1000 and len(rows) > 4 * service.BATCH and service.BATCH % 3

    await manager.send_document("千行名单.csv", ("\n".join([HEADER, *rows]) + "\n").encode("utf-8"))
    assert "共 1,000 行：🆕 新线索 998 · 🔁 重复 2 · ❌ 有问题 0" in manager.last.text
    calls = await manager.press("✅ 导入 998 条新线索")
    summary = manager.last.text
    assert "新线索 998 条：分给销售 998 条 · 进公海 0 条 · 进入培育 0 条" in summary
    shares = {name: int(n) for name, n in re.findall(r"(小[王李张]) (\d+) 条", summary)}
    assert sorted(shares.values()) == [332, 333, 333], summary  # 998 = 333 + 333 + 332
    assert await team_leads(app, wang) == before + 998

    [document] = documents(calls)
    problems = read_back(document)[1:]
    assert [(r[0], r[1]) for r in problems] == [(902, "重复"), (1001, "重复")]
    assert problems[0][2] == "电话和第 7 行相同" and problems[1][2].startswith("电话和已有线索「老朋友贸易」")

    async with app.engine.connect() as conn:
        stmt = select(notifications.c.recipient_id, func.count()).where(
            notifications.c.notice == Kind.HANDOFF_CARD_IMPORTED.spec.key
        ).group_by(notifications.c.recipient_id)
        cards = dict((await conn.execute(stmt)).all())
    assert sorted(cards.values()) == [332, 333, 333]  # a card a lead, held

    seen = {p.first_name: len(p.chat()) for p in (wang_p, li_p, zhang_p)}
    await outbox_of(app).run_once()
    for person in (wang_p, li_p, zhang_p):  # ... and one message a rep
        [digest] = [s.text for s in person.chat()[seen[person.first_name]:]]
        assert f"有 {shares[person.first_name]} 条导入的新线索分给了你" in digest
