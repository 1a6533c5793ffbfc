"""User text as the domain keeps it: white space folded, empty is None."""

from __future__ import annotations

MAX_SHORT = 64  # a name, a label, a list item


def one_line(value: str | None) -> str | None:
    """The text with every run of white space folded to one space; None when nothing is left."""
    if value is None:
        return None
    text = " ".join(str(value).split())
    return text or None
