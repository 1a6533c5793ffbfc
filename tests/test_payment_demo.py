"""demo/payments.txt: in the console the customer's accepted quote becomes contract HT-2026-0001 from the deal
card, the rep picks the 30/60/10 plan, sends the signed PDF, reports the first 30% with the bank slip in a few
taps; finance confirms it from the card in one tap, the rep and the manager are told, and /receivables shows
what is still owed."""

from __future__ import annotations

from pathlib import Path

from tests.test_console_wait import ROOT, console


async def test_the_payments_demo_from_accepted_quote_to_confirmed_payment(tmp_path: Path) -> None:
    demo = (ROOT / "demo" / "payments.txt").read_text(encoding="utf-8")
    demo = demo.replace("!file demo/", f"!file {ROOT / 'demo'}/")  # wherever the tests run from
    text, _ = await console(tmp_path, demo)
    assert "Traceback" not in text and "出了点问题" not in text and "cannot press" not in text
    assert "没太明白" not in text and "只有销售经理和管理员可以导入" not in text
    assert "✅ 合同 HT-2026-0001 已起草" in text and "⏳ 签署截止：2026年12月2日" in text
    assert "1. 签约后 · ¥40,063.20 · 2026年12月2日 到期 · 未回" in text
    assert "2. 交付后 · ¥80,126.40" in text and "3. 验收后 · ¥13,354.40" in text
    assert "✅ 合同 HT-2026-0001 已签署，签署件已存档" in text and "📎 签署件：payments-signed.pdf" in text
    assert "✅ 已提交 ¥40,063.20，等财务确认" in text
    assert "bot → 财务小陈 › 💰 回款待确认 · HT-2026-0001" in text
    assert "✅ HT-2026-0001 已确认到账 ¥40,063.20，还差 ¥93,480.80。" in text
    assert "bot → 小王 › ✅ HT-2026-0001（华东科技）的回款 ¥40,063.20 已由 财务小陈 确认到账。" in text
    assert "bot → 李经理 › ✅ HT-2026-0001（华东科技）的回款" in text
    assert "📊 应收回款：共 ¥93,480.80（2 期未回齐）" in text
