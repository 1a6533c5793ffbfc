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
from fluent.syntax import ast as FTL

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


class _ParsedWhenAsked(dict[str, Any]):
    """A FluentBundle's messages as their source text, each parsed the first time the bundle compiles it.

    The bundle compiles a message once and keeps the compiled form, so a parsed message is not kept here:
    the syntax trees of all 3,700 messages (1,851 in each language) held ~4 MB for good, although a running bot
    formats a few hundred of them."""

    def __init__(self, sources: dict[str, str]) -> None:
        super().__init__()
        self.sources = sources

    def __missing__(self, key: str) -> Any:
        return FluentParser(with_spans=False).parse_entry(self.sources[key])

    def __contains__(self, key: object) -> bool:
        return key in self.sources


class Catalogue:
    def __init__(self, root: Path = LOCALES) -> None:
        self.bundles: dict[Language, FluentBundle] = {}
        for lang in Language:
            bundle = FluentBundle([BCP47[lang]], use_isolating=False)
            messages: dict[str, str] = {}
            for path in sorted((root / lang.value).glob("*.ftl")):
                source = path.read_text(encoding="utf-8")
                # Junk (a syntax error) and comments are skipped, and the first of a repeated id is the one
                # kept, as FluentBundle.add_resource does.
                for entry in FluentParser().parse(source).body:
                    if isinstance(entry, FTL.Term):  # none today; a term is small: kept parsed
                        bundle.add_resource(FTL.Resource([entry]))
                    elif isinstance(entry, FTL.Message) and entry.id.name not in messages:
                        assert entry.span is not None
                        messages[entry.id.name] = source[entry.span.start : entry.span.end]
            # fluent.runtime 0.4 (pinned) looks messages up in `_messages` (has_message, and compiling one).
            bundle._messages = _ParsedWhenAsked(messages)
            self.bundles[lang] = bundle
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
