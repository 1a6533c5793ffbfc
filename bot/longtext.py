"""Telegram HTML that is too long for one message, split into messages that each stand on their own.

Telegram takes at most 4096 characters per message. A long text is cut at a line break where one
falls in the second half of the part, else after a space or a punctuation mark (。，！？), else
between two characters; never inside a tag (`<a href="...">`) or an entity (`&amp;`). A tag open at
the cut is closed at the end of the part and opened again at the start of the next one, so every
part is valid HTML on its own. Lengths are counted in UTF-16 code units (as Telegram counts) on the
raw HTML, which is never shorter than the text Telegram shows, so the limit holds with room to spare.
"""

from __future__ import annotations

import html
import re

LIMIT = 4096

# Tags, entities, line breaks, other whitespace runs, words (a Chinese run ends after its punctuation);
# a stray `<` or `&` is an atom of its own.
SOFT_ENDS = "。！？；，、!?;,"
ATOM = re.compile(r"<[^<>]*>|&#?[A-Za-z0-9]{1,32};|\n|[^\S\n]+|[^<&\s。！？；，、]+[。！？；，、]?|[。！？；，、]|[<&]")
TAG = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9-]*)")


def utf16_len(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def _atoms(text: str, longest: int) -> list[str]:
    out: list[str] = []
    for match in ATOM.finditer(text):
        atom = match.group()
        if len(atom) > longest and not atom.startswith("<"):
            out.extend(atom[i : i + longest] for i in range(0, len(atom), longest))
        else:
            out.append(atom)
    return out


def _apply(stack: tuple[tuple[str, str], ...], atom: str) -> tuple[tuple[str, str], ...]:
    if not atom.startswith("<"):
        return stack
    match = TAG.match(atom)
    if match is None:
        return stack
    closing, name = match.group(1), match.group(2).lower()
    if not closing:
        return (*stack, (name, atom))
    for depth in range(len(stack) - 1, -1, -1):
        if stack[depth][0] == name:
            return stack[:depth] + stack[depth + 1 :]
    return stack


def _closers(stack: tuple[tuple[str, str], ...]) -> str:
    return "".join(f"</{name}>" for name, _ in reversed(stack))


def _openers(stack: tuple[tuple[str, str], ...]) -> str:
    return "".join(tag for _, tag in stack)


def split_html(text: str, limit: int = LIMIT) -> list[str]:
    """The text as one or more messages of at most `limit` UTF-16 code units, each valid HTML."""
    if utf16_len(text) <= limit:
        return [text]
    atoms = _atoms(text, max(1, limit // 16))
    parts: list[str] = []
    stack: tuple[tuple[str, str], ...] = ()
    i = 0
    while i < len(atoms):
        while i < len(atoms) and atoms[i].isspace():
            i += 1
        if i >= len(atoms):
            break
        opener = _openers(stack)
        start, size, current = i, utf16_len(opener), stack
        at_line: tuple[int, tuple[tuple[str, str], ...]] | None = None
        at_space: tuple[int, tuple[tuple[str, str], ...]] | None = None
        while i < len(atoms):
            following = _apply(current, atoms[i])
            grown = size + utf16_len(atoms[i])
            if grown + utf16_len(_closers(following)) > limit and i > start:
                break
            current, size = following, grown
            i += 1
            if atoms[i - 1] == "\n" and size * 2 >= limit:
                at_line = (i, current)
            elif (atoms[i - 1].isspace() or atoms[i - 1][-1] in SOFT_ENDS) and size * 2 >= limit:
                at_space = (i, current)
        if i < len(atoms):
            i, current = at_line or at_space or (i, current)
        body = "".join(atoms[start:i]).rstrip()
        if plain(body).strip():
            parts.append(opener + body + _closers(current))
        stack = current
    return parts or [text[:limit]]


def plain(text: str) -> str:
    """What a reader sees of an HTML text: tags dropped, entities decoded."""
    return html.unescape(re.sub(r"<[^<>]*>", "", text))


def preview(text: str, length: int = 60) -> str:
    """The first words of an HTML text as plain text on one line (escape it again before showing)."""
    flat = " ".join(plain(text).split())
    return flat if len(flat) <= length else flat[: length - 1].rstrip() + "…"
