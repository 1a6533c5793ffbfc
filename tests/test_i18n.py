"""The zh-CN and en catalogues say the same things: same keys, same placeholders, nothing missing."""

from __future__ import annotations

import re
from pathlib import Path

from fluent.syntax import FluentParser, ast, visitor

from bot.i18n import LOCALES, catalogue
from domain.team.model import Language

ROOT = Path(__file__).resolve().parent.parent
KEY_CALL = re.compile(r"""\bt\(\s*["']([a-z0-9][a-z0-9-]*)["']""")


class Variables(visitor.Visitor):
    def __init__(self) -> None:
        super().__init__()
        self.names: set[str] = set()

    def visit_VariableReference(self, node: ast.VariableReference) -> None:
        self.names.add(node.id.name)


def messages(lang: str) -> dict[str, set[str]]:
    found: dict[str, set[str]] = {}
    for path in sorted((LOCALES / lang).glob("*.ftl")):
        resource = FluentParser().parse(path.read_text(encoding="utf-8"))
        junk = [entry for entry in resource.body if isinstance(entry, ast.Junk)]
        assert not junk, f"{path}: unparsable entries: {[j.content[:60] for j in junk]}"
        for entry in resource.body:
            if isinstance(entry, ast.Message):
                assert entry.id.name not in found, f"{path}: {entry.id.name} defined twice"
                names = Variables()
                names.visit(entry)
                found[entry.id.name] = names.names
    return found


def test_both_languages_have_the_same_keys_and_placeholders() -> None:
    zh, en = messages("zh"), messages("en")
    assert sorted(set(zh) - set(en)) == [], "missing in en"
    assert sorted(set(en) - set(zh)) == [], "missing in zh"
    different = {k: (zh[k], en[k]) for k in zh if zh[k] != en[k]}
    assert different == {}


def test_every_key_the_code_asks_for_exists() -> None:
    known = set(messages("zh"))
    asked: set[str] = set()
    for folder in ("bot", "handlers", "domain"):
        for path in (ROOT / folder).rglob("*.py"):
            text = path.read_text(encoding="utf-8")
            asked.update(KEY_CALL.findall(text))
            asked.update(re.findall(r"""\b(?:InvalidInput|Forbidden|AlreadyDone|NotFound|DomainError)\(\s*["']([a-z0-9-]+)["']""", text))
            asked.update(re.findall(r"""^\s*code = ["'](error-[a-z0-9-]+)["']""", text, flags=re.M))
    assert sorted(asked - known) == []


def test_chinese_texts_are_chinese_and_english_texts_are_not() -> None:
    cat = catalogue()
    for key in ("refuse-unknown", "cancelled", "stale-button"):
        zh_text, en_text = cat.get(Language.ZH, key), cat.get(Language.EN, key)
        assert re.search(r"[\u4e00-\u9fff]", zh_text), key
        assert not re.search(r"[\u4e00-\u9fff]", en_text), key


def test_english_counts_of_one_read_in_the_singular() -> None:
    """A payment due tomorrow is "due in 1 day", not "1 days"; the plural stays for every other count."""
    en = catalogue().translator(Language.EN)
    assert en("payment-when-before", days=1) == "due in 1 day" and en("payment-when-before", days=3) == "due in 3 days"
    assert en("payment-when-overdue", days=1) == "1 day overdue"
    assert "(1 instalment open)" in en("receivables-title", total="¥1", count=1)
    assert "1 deal to claim" in en("pool-title", total=1) and "0 deals to claim" in en("pool-title", total=0)
    assert "valid for 1 day and works once" in en("ticket-survey-link", link="x", days=1)
    # No English text says "1 <plural>" for a count it is given: every "{ $n } days" has its singular.
    plural = re.compile(r"\{ \$\w+ \} (days|deals|months|rows|quotes|contracts|lines)\b")
    for path in sorted((LOCALES / "en").glob("*.ftl")):
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            assert not plural.search(line) or line.lstrip().startswith("*[other]"), f"{path.name}:{number}: {line.strip()}"
