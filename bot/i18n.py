"""The zh-CN / en message catalogue (Project Fluent files under bot/locales/<lang>/*.ftl).

A message is HTML, and so is what `get` (and every translator) returns, as `Html`. Each parameter is
escaped on the way in (bot/formatting.py `escape_params`): a team called `<i>&` reads as `<i>&`, in an
error as anywhere, and Telegram never sees a broken tag. A parameter that is Html already (a translated
phrase, a value `h` escaped, a piece a handler built of those) goes in as it is."""

from __future__ import annotations

import logging
from collections.abc import Callable
from functools import cache
from pathlib import Path
from typing import Any

from fluent.runtime import FluentBundle
from fluent.syntax import FluentParser

from bot.formatting import Html, escape_params
from domain.team.model import Language

LOCALES = Path(__file__).parent / "locales"
BCP47 = {Language.ZH: "zh-CN", Language.EN: "en-US"}
log = logging.getLogger(__name__)

Translate = Callable[..., str]  # returns Html (see Catalogue.get)

# What a formatted text is kept by: the language, the key and each parameter's name, type and value. Only
# parameters whose text Fluent derives from their type and value alone (strings, Html, whole numbers):
# two equal datetimes in different time zones, say, are the same dict key but read differently.
_KEPT_TYPES = (str, int)
_KEEP_AT_MOST = 4096


class Catalogue:
    def __init__(self, root: Path = LOCALES) -> None:
        self.bundles: dict[Language, FluentBundle] = {}
        self.keys: dict[Language, set[str]] = {}
        for lang in Language:
            bundle = FluentBundle([BCP47[lang]], use_isolating=False)
            keys: set[str] = set()
            for path in sorted((root / lang.value).glob("*.ftl")):
                # Without source positions (FluentResource keeps one per node): 3 MB less held for good.
                resource = FluentParser(with_spans=False).parse(path.read_text(encoding="utf-8"))
                keys.update(
                    entry.id.name for entry in resource.body if hasattr(entry, "id") and hasattr(entry.id, "name")
                )
                bundle.add_resource(resource)
            self.bundles[lang] = bundle
            self.keys[lang] = keys
        # Texts formatted before: a lead's capture and hand-off format ~65 texts, most of them the same
        # every time (labels, buttons), and Fluent's formatting was ~4% of the lead's CPU.
        self._formatted: dict[tuple[Any, ...], Html] = {}

    def get(self, lang: Language, key: str, **params: Any) -> Html:
        if all(isinstance(value, _KEPT_TYPES) for value in params.values()):
            kept = (lang, key, *((name, type(value), value) for name, value in params.items()))
            text = self._formatted.get(kept)
            if text is None:
                text, ok = self._format(lang, key, params)
                if ok:
                    if len(self._formatted) >= _KEEP_AT_MOST:
                        self._formatted.clear()
                    self._formatted[kept] = text
            return text
        return self._format(lang, key, params)[0]

    def _format(self, lang: Language, key: str, params: dict[str, Any]) -> tuple[Html, bool]:
        """The text, and whether it came out whole (found, formatted without errors)."""
        bundle = self.bundles[lang]
        if not bundle.has_message(key):
            fallback = self.bundles[Language.ZH if lang is Language.EN else Language.EN]
            if not fallback.has_message(key):
                log.error("missing message %s", key)
                return Html(key), False
            bundle = fallback
        message = bundle.get_message(key)
        if message.value is None:
            return Html(key), False
        text, errors = bundle.format_pattern(message.value, escape_params(params))
        for error in errors:
            log.warning("message %s: %s", key, error)
        return Html(text), not errors

    def translator(self, lang: Language) -> Translate:
        def t(key: str, **params: Any) -> Html:
            return self.get(lang, key, **params)

        return t


@cache
def catalogue() -> Catalogue:
    return Catalogue()
