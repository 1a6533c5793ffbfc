"""The delivery checklist template in chat, on SQLite and PostgreSQL: the manager opens it from /policy, adds a
line of the team's own (name, due day, a colleague as its owner), moves it up, removes another; a press on an
older screen changes nothing; the acceptance sign-off cannot be removed; a rep cannot open it; the next deal
that reaches delivery gets its checklist from the new template, and the named colleague hears of the item."""

from __future__ import annotations

from aiogram.methods import AnswerCallbackQuery

from bot.factory import App
from bot.sandbox import Call, Sandbox
from domain.deals.model import Stage
from domain.delivery.model import ItemKey
from handlers.tickets.checklist_template_cb import TplAct, TplCb
from tests.deal_support import move, seed_deal
from tests.quote_support import crew, notes_to, tap


def alerts(calls: list[Call]) -> list[str]:
    return [c.method.text or "" for c in calls if isinstance(c.method, AnswerCallbackQuery) and c.method.text]


async def test_the_manager_edits_the_template_and_the_next_checklist_follows_it(app: App, sandbox: Sandbox) -> None:
    c = await crew(app, sandbox)
    await c.manager_p.send("/policy")
    await c.manager_p.press("交付清单模板")
    screen = c.manager_p.last.text
    assert "1. 启动会 · 第 1 个工作日到期 · 负责人：商机负责人" in screen, screen
    assert "4. 验收签字 · 第 10 个工作日到期" in screen

    await c.manager_p.press("添加事项")
    assert "事项叫什么" in c.manager_p.last.text
    await c.manager_p.send("数据迁移")
    await c.manager_p.press("第 3 个工作日")
    await c.manager_p.press("小李")
    screen = c.manager_p.last.text
    assert "已添加" in screen and "4. 数据迁移 · 第 3 个工作日到期 · 负责人：小李" in screen, screen
    assert "5. 验收签字" in screen

    await c.manager_p.press("4. 数据迁移")
    stale_up = dict(c.manager_p.last.buttons)["⬆️ 上移"]
    await c.manager_p.press("上移")
    assert "顺序已调整" in c.manager_p.last.text and "3. 数据迁移" in c.manager_p.last.text
    calls = await tap(c.manager_p, stale_up)  # the same press again, from the older screen
    assert any("模板刚刚改过了" in text for text in alerts(calls))
    assert "3. 数据迁移" in c.manager_p.last.text and "4. 培训" in c.manager_p.last.text

    await c.manager_p.press("1. 启动会")
    await c.manager_p.press("删除")
    screen = c.manager_p.last.text
    assert "已删除" in screen and "启动会" not in screen and "1. 安装部署" in screen and "4. 验收签字" in screen

    await c.manager_p.press("4. 验收签字")
    assert "删除" not in str(c.manager_p.last.buttons)  # the sign-off stays
    ver = TplCb.unpack(dict(c.manager_p.last.buttons)["👤 负责人"]).ver
    calls = await tap(c.manager_p, TplCb(act=TplAct.REMOVE, pos=3, ver=ver).pack())
    assert any("不能删除" in text for text in alerts(calls))

    calls = await tap(c.rep_p, TplCb(act=TplAct.SHOW).pack())  # a rep
    assert any("只有经理能改交付清单模板" in text for text in alerts(calls))

    deal_id = await seed_deal(app, c.rep, "华东科技")
    await move(app, c.manager, deal_id, Stage.DELIVERY, override=True)
    async with app.uow() as uow:
        items = list(await uow.checklists.for_deal(deal_id))
    assert [i.key for i in items] == [ItemKey.INSTALL, ItemKey.CUSTOM, ItemKey.TRAINING, ItemKey.ACCEPTANCE]
    assert items[1].name == "数据迁移" and items[1].owner_id == c.other.id and items[0].owner_id == c.rep.id
    [told] = await notes_to(app, c.other, "delivery.item")
    assert "数据迁移" in told["text"]
