"""Forged button presses (bot/callbacks.py): every number a button carries is bounded where it is declared,
so a press with a huge or negative id, page, stage or round, or an hour of 25, gets the usual "this button
has expired" alert, never the error apology (before, ~11 handlers raised OverflowError on such ids, and
/hours raised ValueError). The test walks every CallbackData the bot registers, every action of each, and
every number field. On SQLite and PostgreSQL."""

from __future__ import annotations

import enum
import itertools
import types
import typing
from typing import Any

from aiogram.filters.callback_data import CallbackData
from aiogram.methods import AnswerCallbackQuery
from annotated_types import Ge, Le

import handlers
from bot.callbacks import MAX_ID, small_number
from bot.factory import App
from bot.i18n import catalogue
from bot.sandbox import Sandbox
from domain.team.model import Language, Role
from tests.conftest import join
from tests.deal_support import member, seed_deal

HUGE, NEGATIVE, PAST_INT32 = 10**20, -(10**20), MAX_ID + 1


def factories() -> list[type[CallbackData]]:
    """Every CallbackData class of the bot's own modules (tests declare probes of their own)."""
    handlers.routers()  # every handler module imported
    found: list[type[CallbackData]] = []
    queue = list(CallbackData.__subclasses__())
    while queue:
        cls = queue.pop()
        queue.extend(cls.__subclasses__())
        if cls.__module__.split(".")[0] in ("bot", "handlers"):
            found.append(cls)
    return sorted(found, key=lambda c: c.__prefix__)


def enum_of(annotation: Any) -> type[enum.Enum] | None:
    candidates = typing.get_args(annotation) if isinstance(annotation, types.UnionType) else (annotation,)
    return next((c for c in candidates if isinstance(c, type) and issubclass(c, enum.Enum)), None)


def number_fields(cls: type[CallbackData]) -> list[str]:
    return [name for name, info in cls.model_fields.items() if info.annotation is int]


def valid_values(cls: type[CallbackData]) -> dict[str, Any]:
    """Some value every field accepts (the default where there is one)."""
    values: dict[str, Any] = {}
    for name, info in cls.model_fields.items():
        kind = enum_of(info.annotation)
        if not info.is_required():
            values[name] = info.default
        elif kind is not None:
            values[name] = next(iter(kind))
        elif info.annotation is int:
            values[name] = 1
        else:
            values[name] = {"start": "0900", "end": "1800", "days": "01234"}.get(name, "x")
    return values


def forged(cls: type[CallbackData], values: dict[str, Any], field: str, raw: str) -> str:
    """The packed data of `values` with one field's text replaced, as a tampered client would send it."""
    parts = cls(**values).pack().split(cls.__separator__)
    parts[1 + list(cls.model_fields).index(field)] = raw
    return cls.__separator__.join(parts)


def presses() -> list[tuple[type[CallbackData], str]]:
    """For each factory and each value of its first choice field (the action), every number field forged:
    huge, negative and just past the database's ids in turn."""
    found = []
    raws = itertools.cycle((HUGE, NEGATIVE, PAST_INT32))
    for cls in factories():
        actions: list[Any] = [None]
        action_field = next((n for n, i in cls.model_fields.items() if enum_of(i.annotation)), None)
        if action_field is not None:
            kind = enum_of(cls.model_fields[action_field].annotation)
            assert kind is not None
            actions = list(kind)
        for action in actions:
            values = valid_values(cls) | ({action_field: action} if action_field else {})
            for field in number_fields(cls):
                found.append((cls, forged(cls, values, field, str(next(raws)))))
    hours = next(cls for cls in factories() if cls.__prefix__ == "hrs")
    for field, raw in (("start", "2500"), ("end", "2460"), ("start", "9999"), ("days", "9"), ("days", "0178")):
        found.append((hours, forged(hours, valid_values(hours), field, raw)))
    return found


def test_every_number_a_button_carries_is_bounded_where_it_is_declared() -> None:
    assert len(factories()) >= 12
    for cls in factories():
        for name in number_fields(cls):
            metadata = cls.model_fields[name].metadata
            low = next((m.ge for m in metadata if isinstance(m, Ge)), None)
            high = next((m.le for m in metadata if isinstance(m, Le)), None)
            assert low is not None and high is not None and high <= MAX_ID, (
                f"{cls.__name__}.{name}: use a bounded type from bot/callbacks.py"
            )


def test_a_number_in_a_free_text_field_is_read_with_the_same_bounds() -> None:
    assert small_number("3") == 3 and small_number("0") == 0
    for text in ("", "-1", "²", "３", "1e3", " 1", "9" * 30, "10000"):
        assert small_number(text) is None, text
    assert small_number("120", high=200) == 120 and small_number("201", high=200) is None


async def test_a_forged_press_with_a_huge_or_negative_number_is_an_expired_button(app: App, sandbox: Sandbox) -> None:
    person = await join(app, sandbox, "小王", Role.ADMIN)  # an admin may press every kind of button
    await seed_deal(app, await member(app, person), "华东科技")
    expired = catalogue().get(Language.ZH, "stale-button")
    walked: set[str] = set()
    for cls, data in presses():
        calls = await person.press_data(data)
        answers = [c.method for c in calls if isinstance(c.method, AnswerCallbackQuery)]
        assert [a.text for a in answers] == [expired] and answers[0].show_alert, (data, answers)
        walked.add(cls.__prefix__)
    assert {"dl", "pool", "inv", "dead", "pol", "ho", "lgl", "lgv", "stl", "fu", "team", "hrs", "rmd"} <= walked


async def test_a_forged_timeline_page_or_lost_reason_in_a_text_field_is_an_expired_button(
    app: App, sandbox: Sandbox
) -> None:
    from handlers.pipeline_ui import DealAct, DealCb

    wang_p = await join(app, sandbox, "小王", Role.REP)
    deal_id = await seed_deal(app, await member(app, wang_p), "华东科技")
    expired = catalogue().get(Language.ZH, "stale-button")
    for arg in ("9" * 30, "²"):
        calls = await wang_p.press_data(DealCb(act=DealAct.TIMELINE, id=deal_id, arg=arg).pack())
        assert [c.method.text for c in calls if isinstance(c.method, AnswerCallbackQuery)] == [expired], arg
