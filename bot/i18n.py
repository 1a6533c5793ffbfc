"""The zh-CN / en message catalogue (Project Fluent files under bot/locales/<lang>/*.ftl)."""

from __future__ import annotations

import logging
from collections.abc import Callable
from functools import cache
from pathlib import Path
from typing import Any

from fluent.runtime import FluentBundle, FluentResource

from domain.team.model import Language

LOCALES = Path(__file__).parent / "locales"
BCP47 = {Language.ZH: "zh-CN", Language.EN: "en-US"}
log = logging.getLogger(__name__)

Translate = Callable[..., str]


class Catalogue:
    def __init__(self, root: Path = LOCALES) -> None:
        self.bundles: dict[Language, FluentBundle] = {}
        self.keys: dict[Language, set[str]] = {}
        for lang in Language:
            bundle = FluentBundle([BCP47[lang]], use_isolating=False)
            keys: set[str] = set()
            for path in sorted((root / lang.value).glob("*.ftl")):
                resource = FluentResource(path.read_text(encoding="utf-8"))
                keys.update(
                    entry.id.name for entry in resource.body if hasattr(entry, "id") and hasattr(entry.id, "name")
                )
                bundle.add_resource(resource)
            self.bundles[lang] = bundle
            self.keys[lang] = keys

    def get(self, lang: Language, key: str, **params: Any) -> str:
        bundle = self.bundles[lang]
        if not bundle.has_message(key):
            fallback = self.bundles[Language.ZH if lang is Language.EN else Language.EN]
            if not fallback.has_message(key):
                log.error("missing message %s", key)
                return key
            bundle = fallback
        message = bundle.get_message(key)
        if message.value is None:
            return key
        text, errors = bundle.format_pattern(message.value, params)
        for error in errors:
            log.warning("message %s: %s", key, error)
        return str(text)

    def translator(self, lang: Language) -> Translate:
        def t(key: str, **params: Any) -> str:
            return self.get(lang, key, **params)

        return t


@cache
def catalogue() -> Catalogue:
    return Catalogue()
