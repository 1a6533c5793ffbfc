"""/products in chat, on SQLite and PostgreSQL: a manager adds a product step by step (the flow engine),
edits and deactivates it; a CSV and an XLSX import show a preview with each bad row by its number, write
nothing until confirmed, and change nothing when sent again."""

from __future__ import annotations

import io

from openpyxl import Workbook

from bot.factory import App
from bot.sandbox import Sandbox
from domain.quotes import products as product_service
from domain.team.model import Role
from tests.conftest import join
from tests.deal_support import alert, member

CSV = (
    "编码,名称,单位,标价,底价,成本,税率\n"
    "CRM-PRO,CRM 专业版,套,12800,9800,4000,13%\n"
    "CRM-STD,CRM 标准版,套,6800,,2000,13%\n"
    "BAD CODE,坏编码,套,1,,1,\n"
    "IMPL-DAY,实施服务,天,三千,,1500,6%\n"
    "CRM-STD,重复的编码,套,1,,1,\n"
)


async def catalog_codes(app: App, manager) -> dict[str, int]:  # type: ignore[no-untyped-def]
    async with app.uow() as uow:
        page = await product_service.list_products(uow, viewer=manager, per_page=50)
    return {p.code: p.list_price_minor for p in page.items}


async def test_a_csv_import_previews_bad_rows_writes_on_confirm_and_is_idempotent(app: App, sandbox: Sandbox) -> None:
    manager_p = await join(app, sandbox, "李经理", Role.MANAGER)
    manager = await member(app, manager_p)
    await manager_p.send_document("products.csv", CSV.encode("utf-8"))
    preview = manager_p.last.text
    assert "导入预览</b>：新增 2 · 修改 0 · 不变 0 · 错误 3" in preview
    assert "➕ 第 2 行 CRM-PRO CRM 专业版 · ¥12,800.00" in preview
    assert "❌ 第 4 行：产品编码要 1–32 个字符" in preview
    assert "❌ 第 5 行：金额看不懂" in preview
    assert "❌ 第 6 行：编码 CRM-STD 在第 3 行已经出现过。" in preview
    assert await catalog_codes(app, manager) == {}  # nothing written yet
    _, confirm = manager_p.find_button("确认导入（2 个）")
    await manager_p.press("确认导入（2 个）")
    assert "导入完成：新增 2 个，修改 0 个" in manager_p.last.text
    assert await catalog_codes(app, manager) == {"CRM-PRO": 1_280_000, "CRM-STD": 680_000}
    assert "过期" in alert(await manager_p.press_data(confirm))  # a second confirmation writes nothing

    await manager_p.send_document("products.csv", CSV.encode("utf-8"))  # the same file again
    assert "新增 0 · 修改 0 · 不变 2 · 错误 3" in manager_p.last.text and "没有要写入的内容" in manager_p.last.text

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["code", "name", "unit", "list_price", "cost", "tax_rate", "name_en"])
    sheet.append(["CRM-PRO", "CRM 专业版", "套", 11800, 4000, 0.13, "CRM Pro"])
    sheet.append(["SVC-TRAIN", "培训", "次", 2000, 500, 0.06, None])
    buffer = io.BytesIO()
    book.save(buffer)
    await manager_p.send_document("价目表.xlsx", buffer.getvalue())
    assert "新增 1 · 修改 1 · 不变 0 · 错误 0" in manager_p.last.text
    assert "✏️ 第 2 行 CRM-PRO：英文名，标价\n" in manager_p.last.text  # no floor_price column: the floor stays
    await manager_p.press("确认导入")
    assert "新增 1 个，修改 1 个" in manager_p.last.text
    codes = await catalog_codes(app, manager)
    assert codes["CRM-PRO"] == 1_180_000 and codes["SVC-TRAIN"] == 200_000

    await manager_p.send_document("notes.txt", b"hello")
    assert "只能导入 .csv 或 .xlsx 文件" in manager_p.last.text
    await manager_p.send_document("empty.csv", b"code,name\nA,b\n")
    assert "缺少这些列：unit, list_price, cost" in manager_p.last.text


async def test_a_manager_adds_edits_and_deactivates_a_product_and_a_rep_may_not_import(app: App, sandbox: Sandbox) -> None:
    manager_p = await join(app, sandbox, "李经理", Role.MANAGER)
    rep_p = await join(app, sandbox, "小王", Role.REP)
    await manager_p.send("/products")
    assert "产品目录</b>（共 0 个）" in manager_p.last.text
    await manager_p.press("添加产品")
    assert "产品编码" in manager_p.last.text
    await manager_p.send("has space")
    assert "只能用字母、数字" in manager_p.last.text
    await manager_p.send("CRM-PRO")
    await manager_p.send("CRM 专业版")
    await manager_p.press("跳过")  # no English name
    await manager_p.press("套")
    await manager_p.send("1.28万")
    await manager_p.send("9800")
    await manager_p.send("4000")
    await manager_p.press("13%")
    await manager_p.press("跳过")  # no category
    review = manager_p.last.text
    assert "编码：CRM-PRO" in review and "标价：¥12,800.00" in review and "底价：¥9,800.00" in review
    assert "税率：13%" in review and "英文名：—" in review
    await manager_p.press("底价")  # edit one field from the review
    await manager_p.send("20000")
    assert "底价不能高于标价" in alert(await manager_p.press("保存"))
    await manager_p.press("底价")
    await manager_p.send("10000")
    await manager_p.press("保存")
    assert "✅ 已添加 CRM-PRO" in manager_p.last.text and "底价：¥10,000.00" in manager_p.last.text

    await manager_p.send("/products crm")
    assert "搜索「crm」（共 1 个）" in manager_p.last.text
    await manager_p.press("1. CRM-PRO")
    await manager_p.press("停用")
    assert "已停用" in manager_p.last.text and "状态：🚫 已停用" in manager_p.last.text
    manager = await member(app, manager_p)
    async with app.uow() as uow:
        assert (await product_service.list_products(uow, viewer=manager, query="crm", active_only=True)).total == 0
    await manager_p.press("重新启用")
    assert "状态：✅ 启用" in manager_p.last.text

    await rep_p.send_document("products.csv", CSV.encode())
    assert "只有销售经理和管理员可以导入" in rep_p.last.text
