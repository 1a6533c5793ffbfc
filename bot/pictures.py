"""Pictures that pushed messages carry (domain/outbox/model.py `Picture`): the outbox row keeps only the
picture's name and arguments; the dispatcher draws it when the message goes out (bot/outbox.py) and sends
it as a photo, the message's text as its caption and its buttons under it. A feature registers how its
pictures are drawn (handlers/report.py: the weekly review's funnel chart).

Drawing at send time keeps image bytes out of the outbox table, and a notice that waits (working hours,
a retry) shows the numbers as they are when it is read."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from bot.i18n import Translate
from domain.outbox.model import Picture
from domain.ports import UnitOfWork
from domain.team.model import Language


@dataclass(frozen=True)
class Drawn:
    png: bytes
    filename: str


@dataclass(frozen=True)
class Easel:
    """What a picture maker gets besides the picture: a unit of work to read with, the moment, who will
    see it (the recipient's id, None for a group), the translators and the bot's default language (for
    a recipient without one); and `memo`, kept for one delivery run, where a maker may keep what it drew
    for the next recipient of the same picture."""

    new_uow: Callable[[], UnitOfWork]
    now: datetime
    recipient_id: int | None
    translator: Callable[[Language], Translate]
    default_language: Language
    memo: dict[Any, Any] = field(default_factory=dict)


PictureMaker = Callable[[Easel, Picture], Awaitable[Drawn]]
PICTURES: dict[str, PictureMaker] = {}


def register_picture(name: str, maker: PictureMaker) -> None:
    PICTURES[name] = maker


async def draw(easel: Easel, ref: str) -> Drawn:
    """The picture `ref` names, drawn now; LookupError for a name nobody registered."""
    picture = Picture.parse(ref)
    maker = PICTURES.get(picture.name)
    if maker is None:
        raise LookupError(f"no picture maker for {picture.name!r}")
    return await maker(easel, picture)
