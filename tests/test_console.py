"""The console sandbox: a file of lines piped into `python -m bot console` is a runnable demo."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

DEMO = """\
!invite admin 华东销售部
/start $code
/invite
#2
#1
@lily
/start $code
/me
@admin
/team
!group /bindgroup
@stranger
hello
"""


def test_piped_demo_plays_admin_manager_and_stranger(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("BOT_", "DATABASE_", "REDIS_"))}
    env.update(PYTHONPATH=str(ROOT), DATABASE_URL=f"sqlite:///{tmp_path / 'demo.db'}")
    result = subprocess.run(
        [sys.executable, "-m", "bot", "console"], input=DEMO, capture_output=True, text=True, env=env,
        cwd=tmp_path, timeout=300,
    )
    out = result.stdout
    assert result.returncode == 0, result.stderr
    assert "欢迎加入「华东销售部」，admin！你的角色是：管理员" in out
    assert "[1] 管理员  [2] 销售经理  [3] 销售\n    [4] 财务\n    [5] ✖️ 取消" in out
    assert "https://t.me/loop_sandbox_bot?start=" in out
    assert "欢迎加入「华东销售部」，lily！你的角色是：销售经理" in out
    assert "角色：销售经理" in out  # lily's /me
    assert "华东销售部：2 人在岗，共 2 人" in out
    assert "bot → team group › 📣 本群已绑定为「华东销售部」团队的通知群" in out
    assert "需要邀请才能使用" in out  # the stranger
    assert "Traceback" not in result.stderr


def test_demo_file_in_the_repo_runs(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("BOT_", "DATABASE_", "REDIS_"))}
    env.update(PYTHONPATH=str(ROOT), DATABASE_URL=f"sqlite:///{tmp_path / 'demo.db'}")
    with open(ROOT / "demo" / "onboarding.txt", encoding="utf-8") as demo:
        result = subprocess.run(
            [sys.executable, "-m", "bot", "console"], stdin=demo, capture_output=True, text=True, env=env,
            cwd=tmp_path, timeout=300,
        )
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stdout + result.stderr
    assert "出了点问题" not in result.stdout and "cannot press" not in result.stdout
    assert "已停用 xiaowang" in result.stdout and "deactivated" in result.stdout
