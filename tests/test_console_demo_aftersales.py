"""demo/aftersales.txt: in the console a deal reaches delivery and gets its checklist; the installation goes
to a colleague, the kick-off is nudged and ticked off, the overdue installation reaches the manager; the
acceptance sign-off moves the deal to after-sales and gives the rep the survey link; a P1 ticket from the
deal card breaches its SLA and reaches the manager twice; the renewal date is set in one tap; /customer
shows the customer's deals and tickets in one place."""

from __future__ import annotations

from pathlib import Path

from tests.test_console_wait import ROOT, console


async def test_the_aftersales_demo_delivers_signs_off_escalates_and_renews(tmp_path: Path) -> None:
    demo = (ROOT / "demo" / "aftersales.txt").read_text(encoding="utf-8")
    text, _ = await console(tmp_path, demo)
    assert "Traceback" not in text and "出了点问题" not in text and "cannot press" not in text
    assert "没太明白" not in text
    assert "⬜ 1. 启动会 — 小王 · 截止 11月27日 周五 21:00" in text
    assert "bot → 小李 › 📦 小王 把 华东科技 的交付事项「安装部署」交给你负责" in text
    assert "📦 交付事项 1 件：华东科技·启动会（11月27日 周五 21:00 截止）" in text
    assert "✅ 「启动会」已完成。" in text
    assert "bot → 小李 › ⏰ 华东科技 的交付事项「安装部署」今天到期" in text
    assert "bot → 李经理 › ⚠️ 华东科技 的交付事项「安装部署」已逾期" in text
    assert "?start=s_" in text and "✍️ 华东科技 已验收签字，交付完成，商机转入售后。" in text
    assert "工单 T-00001 已创建，负责人：小王" in text
    assert "bot → 李经理 › 🚨 工单 T-00001 首次响应已超时一倍" in text
    assert "bot → 小李 › 🤝 小王 向你求助：华东科技 · 工单 T-00001" in text  # cross-team help
    assert "bot → 小王 › 💬 小李 答复了你的求助" in text and "小李 💬 答复了求助 — 升级到 3.2 版驱动就好" in text
    assert "🔁 续约日期定在 2027-12-04，到期前 30 天会提醒你。" in text
    assert "💼 商机 1 个" in text and "🔴 T-00001 华东科技 · 故障 · 新建" in text
