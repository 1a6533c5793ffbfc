"""The deal flows' handlers (/deals, /assign, /pool, the hand-off card) see the domain's ports, never
storage, and ask no role question of their own; their buttons are typed and fit Telegram's 64 bytes."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from aiogram import F

from handlers.handoff import HandoffAct, HandoffCb
from handlers.pipeline_ui import DealAct, DealCb, DealScope, PoolAct, PoolCb

ROOT = Path(__file__).resolve().parent.parent
DEAL_HANDLERS = ("deals", "pool", "handoff", "pipeline_ui")


@pytest.mark.parametrize("module", DEAL_HANDLERS)
def test_the_deal_handlers_import_no_storage(module: str) -> None:
    tree = ast.parse((ROOT / "handlers" / f"{module}.py").read_text(encoding="utf-8"))
    imported = [a.name for node in ast.walk(tree) if isinstance(node, ast.Import) for a in node.names]
    imported += [node.module for node in ast.walk(tree) if isinstance(node, ast.ImportFrom) and node.module]
    assert [name for name in imported if name.split(".")[0] == "storage"] == []


@pytest.mark.parametrize("module", DEAL_HANDLERS)
def test_the_deal_handlers_ask_no_role_question_themselves(module: str) -> None:
    """Who may do what is the domain's (domain/permissions.py and the deal card's actions)."""
    tree = ast.parse((ROOT / "handlers" / f"{module}.py").read_text(encoding="utf-8"))
    asked = [
        ast.unparse(node) for node in ast.walk(tree)
        if isinstance(node, ast.Attribute)
        and (node.attr == "is_manager_or_admin" or (isinstance(node.value, ast.Name) and node.value.id == "Role"))
    ]
    assert asked == []


def test_every_button_fits_in_64_bytes_even_with_large_ids() -> None:
    big = 2**31 - 1
    for act in DealAct:
        data = DealCb(
            act=act, id=big, scope=DealScope.CAPTURED, stage=8, wait=True, stale=True, page=999, frm=8, to=8, rep=big,
            arg="customer",
        )
        assert len(data.pack().encode()) <= 64, act
    for pool_act in PoolAct:
        assert len(PoolCb(act=pool_act, id=big, page=999).pack().encode()) <= 64
    for handoff_act in HandoffAct:
        assert len(HandoffCb(act=handoff_act, id=big, reason="unfamiliar").pack().encode()) <= 64


def test_buttons_sent_before_the_enums_still_work() -> None:
    """The wire values did not change: a button already in someone's chat still means the same."""
    assert DealCb.unpack("dl:re:5:0:-1:0:0:0:-1:-1:0:").act is DealAct.REASSIGN
    assert DealCb.unpack("dl:tl:5:1:-1:0:0:0:-1:-1:0:2").act is DealAct.TIMELINE
    # The list's scope was a bool "team": 0 and 1 still mean mine and the team's.
    assert [DealCb.unpack(f"dl:list:0:{n}:-1:0:0:0:-1:-1:0:").scope for n in (0, 1, 2)] == list(DealScope)
    assert PoolCb.unpack("pool:claim:7:0").act is PoolAct.CLAIM
    assert HandoffCb.unpack("ho:other:3:").act is HandoffAct.OTHER_REASON
    assert DealCb(act=DealAct.ADVANCE_CONFIRMED, id=5).pack() == "dl:adv_ok:5:0:-1:0:0:0:-1:-1:0:"


def test_the_values_other_flows_use_still_build_and_match() -> None:
    """handlers/followup*.py and handlers/leads.py build deal buttons from the values and filter on them."""
    built = DealCb(act="log", id=5)
    assert built.act is DealAct.LOG
    assert (F.act == "log").resolve(built) and (F.act == "tl").resolve(DealCb(act=DealAct.TIMELINE))
    assert (F.act.in_({"adv", "skip_to"})).resolve(DealCb(act=DealAct.SKIP_TO))
    with pytest.raises(ValueError):
        DealCb(act="nonsense")
