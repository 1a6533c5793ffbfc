"""demo/quotes.txt: in the console the manager imports the catalog from a CSV (a bad row is named by its
number), a rep builds a quote in taps (search, quantity, a line discount, a service line, the needs check,
the reason), the manager approves it from /approvals, and the rep sends the PDF and Excel and marks it
accepted: the deal's amount is the quote's total and it is in the contract stage."""

from __future__ import annotations

from pathlib import Path

from tests.test_console_wait import ROOT, console


async def test_the_quotes_demo_imports_builds_approves_and_closes(tmp_path: Path) -> None:
    demo = (ROOT / "demo" / "quotes.txt").read_text(encoding="utf-8")
    demo = demo.replace("!file demo/", f"!file {ROOT / 'demo'}/")  # wherever the tests run from
    text, _ = await console(tmp_path, demo)
    assert "Traceback" not in text and "出了点问题" not in text and "cannot press" not in text
    assert "没太明白" not in text
    assert "📥 导入预览：新增 3 · 修改 0 · 不变 0 · 错误 1" in text and "❌ 第 5 行：产品编码" in text
    assert "✅ 导入完成：新增 3 个，修改 0 个。" in text
    assert "1. CRM 专业版 × 10 套 @ ¥12,800.00 = ¥108,800.00（折扣 15%）" in text
    assert "2. 实施服务 × 2 项 @ ¥5,000.00 = ¥10,000.00 🛠" in text
    assert "合计（含税）：¥133,544.00" in text and "毛利：¥78,800.00（66.3%，折前 71%）" in text
    assert "🎯 需求覆盖：1/1" in text
    assert "bot → 李经理 › 🧾 折扣审批（销售经理）· Q-2026-0001-v1" in text
    assert "销售说明：竞品报价更低，客户承诺三年合同" in text
    assert "bot → 小王 › ✅ 报价 Q-2026-0001-v1（华东科技）已由 李经理 批准" in text
    assert "📎 Q-2026-0001-v1.pdf" in text and "📎 Q-2026-0001-v1.xlsx" in text
    assert "🤝 客户已接受！商机金额已更新为 ¥133,544.00，进入合同阶段。" in text
    assert "1. 华东科技 — 合同签署 · ¥133,544.00" in text
