"""The outbox: what must reach a person other than the one chatting, written in the same transaction
as the change that caused it, delivered later by the dispatcher (bot/outbox.py)."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from domain.team.model import Language


class NotificationState(enum.StrEnum):
    PENDING = "pending"
    SENT = "sent"
    DEAD = "dead"  # gave up after retries; admins can list and retry
    UNREACHABLE = "unreachable"  # 403 / chat not found: the person must /start the bot again
    CANCELLED = "cancelled"  # its subject moved on before it went out (last_error says why); never sent


@dataclass(frozen=True)
class Action:
    """A button in a pushed message, described without any chat framework.

    `kind` names what the button does ("reminder.done"); the bot layer turns it into typed callback
    data and a label in the recipient's language.
    """

    kind: str
    id: int = 0
    arg: str = ""


Actions = tuple[tuple[Action, ...], ...]


@dataclass(frozen=True)
class Picture:
    """A picture a pushed message carries, named, not stored: the dispatcher draws it when it sends the
    message (bot/pictures.py: a maker registered under `name` gets `args`), so the outbox keeps a short
    reference instead of the image. The message's text goes as the picture's caption."""

    name: str
    args: tuple[str, ...] = ()

    @property
    def ref(self) -> str:
        return ":".join((self.name, *self.args))

    @staticmethod
    def parse(ref: str) -> Picture:
        name, *args = ref.split(":")
        return Picture(name, tuple(args))


@dataclass(frozen=True)
class Reader:
    """Whom a message is rendered for: their language (None: the bot's default, as for a group) and the
    timezone its times are shown in (the team's; None: the bot's default)."""

    language: Language | None
    timezone: str | None


@dataclass(frozen=True)
class Rendered:
    text: str  # HTML, everything a person typed escaped
    reply_markup: str | None  # JSON of the Telegram inline keyboard


@dataclass(eq=False)
class Notification:
    chat_id: int
    text: str
    dedupe_key: str
    created_at: datetime
    not_before: datetime
    kind: str = ""
    recipient_id: int | None = None
    team_id: int | None = None
    reply_markup: str | None = None  # JSON of the Telegram inline keyboard
    urgent: bool = False
    # What the notice is about (domain/outbox/kinds.py Subject), so one whose subject moved on can be found.
    subject_kind: str | None = None
    subject_id: int | None = None
    # The message it carries (the kind's message key: domain/outbox/kinds.py Kind.of_notice), which says
    # while it holds and whether it may go with others as one message; and then its one-line summary.
    notice: str | None = None
    summary: str | None = None
    picture: str | None = None  # a Picture's ref: drawn when the message is sent, which then goes as its caption
    held_over: bool = False  # held over its person's daily budget: goes in one digest of such (kinds.py Budget)
    state: NotificationState = NotificationState.PENDING
    attempts: int = 0
    next_attempt_at: datetime | None = None
    last_error: str | None = None
    sent_at: datetime | None = None
    message_id: int | None = None
    lease_owner: str | None = None
    lease_until: datetime | None = None
    id: int | None = None


@dataclass(frozen=True)
class Cancelled:
    """A queued notice cancelled because its subject moved on before it went out."""

    id: int
    notice: str | None
    recipient_id: int | None


@dataclass(frozen=True)
class HeldNotice:
    """A notice its person opens from the digest of those held over their daily budget."""

    id: int
    recipient_id: int | None
    text: str
    reply_markup: str | None
    held_over: bool
    holds: bool  # its kind's rule still holds: it still says something true and useful


@dataclass(frozen=True)
class DeadLetter:
    """A read model: one dead-lettered notification as an admin sees it in /deadletters."""

    id: int
    chat_id: int
    kind: str
    attempts: int
    failed_at: datetime
    last_error: str | None
    text: str
    recipient_id: int | None = None
    recipient_name: str | None = None
    team_name: str | None = None


@dataclass(frozen=True)
class Phrase:
    """A message parameter that is itself a catalogue message ("stage-proposal", "source-website"),
    rendered in the recipient's language. A list or tuple of phrases is rendered as one joined list."""

    key: str
    params: dict[str, Any] = field(default_factory=dict)
