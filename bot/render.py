"""Renders an OutboxMessage into a Notification row: text in the recipient's language, times in the
team's timezone, buttons as typed callback data, and the not-before time after working hours."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from aiogram.filters.callback_data import CallbackData

from bot.formatting import h, when
from bot.i18n import Catalogue
from domain.clock import Clock
from domain.outbox.model import Action, Notification, OutboxMessage, Phrase
from domain.team.model import Language, Team
from domain.worktime import next_working_moment
from storage.uow import SqlUnitOfWork


@dataclass(frozen=True)
class ActionButton:
    label_key: str
    to_callback: Callable[[Action], CallbackData]


# Each feature registers how its actions become buttons (see handlers/*: register_action(...)).
ACTION_BUTTONS: dict[str, ActionButton] = {}


def register_action(kind: str, label_key: str, to_callback: Callable[[Action], CallbackData]) -> None:
    ACTION_BUTTONS[kind] = ActionButton(label_key, to_callback)


def format_params(
    params: dict[str, Any], team: Team | None, lang: Language, fallback_tz: str, catalogue: Catalogue | None = None,
) -> dict[str, Any]:
    tz = team.timezone if team else fallback_tz
    out: dict[str, Any] = {}
    for key, value in params.items():
        if isinstance(value, datetime):
            out[key] = when(value, tz, lang)
        elif isinstance(value, str):
            out[key] = h(value)
        elif catalogue is not None and isinstance(value, Phrase):
            out[key] = phrase(catalogue, value, team, lang, fallback_tz)
        elif catalogue is not None and isinstance(value, list | tuple) and all(isinstance(v, Phrase) for v in value):
            parts = [phrase(catalogue, v, team, lang, fallback_tz) for v in value]
            out[key] = catalogue.get(lang, "list-separator").join(parts) if parts else catalogue.get(lang, "list-empty")
        else:
            out[key] = value
    return out


def phrase(catalogue: Catalogue, value: Phrase, team: Team | None, lang: Language, fallback_tz: str) -> str:
    return catalogue.get(lang, value.key, **format_params(value.params, team, lang, fallback_tz, catalogue))


def markup_json(catalogue: Catalogue, lang: Language, actions: tuple[tuple[Action, ...], ...]) -> str | None:
    rows = []
    for row in actions:
        buttons = []
        for action in row:
            spec = ACTION_BUTTONS[action.kind]
            buttons.append(
                {"text": catalogue.get(lang, spec.label_key), "callback_data": spec.to_callback(action).pack()}
            )
        if buttons:
            rows.append(buttons)
    return json.dumps({"inline_keyboard": rows}, ensure_ascii=False) if rows else None


class Renderer:
    def __init__(self, catalogue: Catalogue, clock: Clock, default_language: Language, default_timezone: str) -> None:
        self.catalogue = catalogue
        self.clock = clock
        self.default_language = default_language
        self.default_timezone = default_timezone

    async def __call__(self, message: OutboxMessage, uow: SqlUnitOfWork) -> Notification | None:
        now = self.clock.now()
        team: Team | None = await uow.teams.get(message.team_id) if message.team_id else None
        if message.recipient_id is not None:
            user = await uow.users.get(message.recipient_id)
            if user is None or not user.active:
                return None
            chat_id = user.telegram_id
            lang = user.language or self.default_language
            if team is None:
                team = await uow.teams.get(user.team_id)
        elif message.chat_id is not None:
            chat_id = message.chat_id
            lang = self.default_language
        else:
            raise ValueError("an outbox message needs a recipient or a chat")
        params = format_params(message.params, team, lang, self.default_timezone, self.catalogue)
        text = self.catalogue.get(lang, message.key, **params)
        not_before = message.not_before or now
        if not message.urgent and not message.explicit_time and team is not None:
            not_before = next_working_moment(not_before, team)
        return Notification(
            chat_id=chat_id, text=text, dedupe_key=message.dedupe_key, created_at=now, not_before=not_before,
            next_attempt_at=not_before, kind=message.kind or message.key, recipient_id=message.recipient_id,
            team_id=message.team_id or (team.id if team else None),
            reply_markup=markup_json(self.catalogue, lang, message.actions), urgent=message.urgent,
        )
