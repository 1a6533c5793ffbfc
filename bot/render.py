"""Renders notifications for the domain (its NoticeRenderer port): text in the reader's language, times in
the team's timezone, buttons as typed callback data. When a notice may go out is the domain's rule."""

from __future__ import annotations

import functools
import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from aiogram.filters.callback_data import CallbackData

from bot.formatting import h, when
from bot.i18n import Catalogue
from domain.outbox.model import Action, Actions, Phrase, Reader, Rendered
from domain.team.model import Language


@dataclass(frozen=True)
class ActionButton:
    label_key: str
    to_callback: Callable[[Action], CallbackData]


# Each feature registers how its actions become buttons (see handlers/*: register_action(...)).
ACTION_BUTTONS: dict[str, ActionButton] = {}


def register_action(kind: str, label_key: str, to_callback: Callable[[Action], CallbackData]) -> None:
    ACTION_BUTTONS[kind] = ActionButton(label_key, to_callback)


def format_params(
    params: Mapping[str, Any], tz: str, lang: Language, catalogue: Catalogue | None = None,
) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in params.items():
        if isinstance(value, datetime):
            out[key] = when(value, tz, lang)
        elif isinstance(value, str):
            out[key] = h(value)
        elif catalogue is not None and isinstance(value, Phrase):
            out[key] = phrase(catalogue, value, tz, lang)
        elif catalogue is not None and isinstance(value, list | tuple) and all(isinstance(v, Phrase) for v in value):
            parts = [phrase(catalogue, v, tz, lang) for v in value]
            out[key] = catalogue.get(lang, "list-separator").join(parts) if parts else catalogue.get(lang, "list-empty")
        else:
            out[key] = value
    return out


def phrase(catalogue: Catalogue, value: Phrase, tz: str, lang: Language) -> str:
    if all(isinstance(v, int | str) for v in value.params.values()):  # a score reason, a source: cached
        return _plain_phrase(catalogue, value.key, tuple(value.params.items()), lang)
    return catalogue.get(lang, value.key, **format_params(value.params, tz, lang, catalogue))


@functools.lru_cache(maxsize=4096)
def _plain_phrase(catalogue: Catalogue, key: str, params: tuple[tuple[str, int | str], ...], lang: Language) -> str:
    """A phrase whose parameters are plain numbers and words reads the same every time: the hand-off
    cards of an imported file name the same few score reasons thousands of times (bench/import.py)."""
    return catalogue.get(lang, key, **format_params(dict(params), "UTC", lang, catalogue))


def markup_json(catalogue: Catalogue, lang: Language, actions: Actions) -> str | None:
    rows = []
    for row in actions:
        buttons = []
        for action in row:
            spec = ACTION_BUTTONS[action.kind]
            buttons.append(
                # A label may show the action's `arg` (a number on a list's buttons: outbox-open-held-btn).
                {"text": catalogue.get(lang, spec.label_key, arg=action.arg), "callback_data": spec.to_callback(action).pack()}
            )
        if buttons:
            rows.append(buttons)
    return json.dumps({"inline_keyboard": rows}, ensure_ascii=False) if rows else None


class Renderer:
    """The domain's NoticeRenderer: the message in the reader's language (the bot's default for a
    group), times in the team's timezone, everything a person typed escaped, buttons as typed callback
    data. It is handed to every unit of work at the wiring point (bot/factory.py) and reads no storage."""

    def __init__(self, catalogue: Catalogue, default_language: Language, default_timezone: str) -> None:
        self.catalogue = catalogue
        self.default_language = default_language
        self.default_timezone = default_timezone

    def render(self, key: str, params: Mapping[str, Any], actions: Actions, reader: Reader) -> Rendered:
        lang = reader.language or self.default_language
        tz = reader.timezone or self.default_timezone
        text = self.catalogue.get(lang, key, **format_params(params, tz, lang, self.catalogue))
        return Rendered(text=text, reply_markup=markup_json(self.catalogue, lang, actions))
