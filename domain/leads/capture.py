"""What capturing a lead asks for and accepts, once: each fact's limits, whether it is required, how a
typed answer is read and checked. The chat's /lead flow, the capture service (domain/leads/services.py)
and, later, the HTTP intake all read and check a lead's facts here, so they can never disagree.

Every parser takes what a person typed (or what a form sent) and returns the fact in its stored form,
or raises InvalidInput with a message code; None means "not given" for an optional fact.
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Mapping
from dataclasses import dataclass, fields
from typing import Any, Final

from domain.errors import InvalidInput
from domain.leads.contact import QuickCapture, looks_like_phone, normalise_email, normalise_phone
from domain.leads.model import Authority, Budget, LeadDraft, LeadSource, Timeline
from domain.permissions import may_keep_own_lead
from domain.policy.model import TeamPolicy
from domain.team.model import User
from domain.text import MAX_SHORT, one_line

MAX_COMPANY: Final = 128
MAX_NAME: Final = 64
MAX_NEED: Final = 2000
MAX_NOTE: Final = 2000  # a note added to an existing lead or deal instead of a duplicate
MAX_FILE_ID: Final = 255
REACH: Final = "phone_or_email"  # the one requirement that two facts meet together


def parse_company(value: Any) -> str:
    text = one_line(value)
    if not text or len(text) > MAX_COMPANY:
        raise InvalidInput("error-lead-company", max=MAX_COMPANY)
    return text


def _short(field: str, limit: int) -> Callable[[Any], str | None]:
    def parse(value: Any) -> str | None:
        text = one_line(value)
        if text is not None and len(text) > limit:
            raise InvalidInput("error-lead-too-long", field=field, max=limit)
        return text

    return parse


def parse_contact_name(value: Any) -> str | None:
    """A person's name; a phone number is not one ("13800138000" typed where the name was asked, or a
    contact card saved without a name)."""
    text = _short("contact_name", MAX_NAME)(value)
    if text is not None and looks_like_phone(text):
        raise InvalidInput("error-lead-contact-phone")
    return text


def parse_need(value: Any) -> str | None:
    """The need keeps its line breaks (it is the rep's own words); only the ends are trimmed."""
    if value is None:
        return None
    text = str(value).strip()
    if len(text) > MAX_NEED:
        raise InvalidInput("error-lead-too-long", field="need", max=MAX_NEED)
    return text or None


def parse_phone(value: Any) -> str | None:
    return normalise_phone(str(value)) if one_line(value) else None


def parse_email(value: Any) -> str | None:
    return normalise_email(str(value)) if one_line(value) else None


def _choice(kind: type[enum.StrEnum], field: str) -> Callable[[Any], Any]:
    def parse(value: Any) -> Any:
        try:
            return kind(value)
        except ValueError as exc:
            raise InvalidInput("error-lead-field", field=field) from exc

    return parse


@dataclass(frozen=True)
class Fact:
    """One fact of a lead: the LeadDraft field, whether a capture needs it, its limit, its parser, and
    its choices when it is picked from a list."""

    name: str
    parse: Callable[[Any], Any]
    required: bool = False
    limit: int | None = None
    choices: tuple[str, ...] = ()


def _choices(kind: type[enum.StrEnum]) -> tuple[str, ...]:
    return tuple(member.value for member in kind)


FACTS: Final[tuple[Fact, ...]] = (
    Fact("company", parse_company, required=True, limit=MAX_COMPANY),
    Fact("contact_name", parse_contact_name, limit=MAX_NAME),
    Fact("phone", parse_phone),  # phone or email: see REACH
    Fact("email", parse_email),
    Fact("source", _choice(LeadSource, "source"), choices=_choices(LeadSource)),
    Fact("need", parse_need, limit=MAX_NEED),
    Fact("need_voice_file_id", _short("need_voice_file_id", MAX_FILE_ID), limit=MAX_FILE_ID),
    Fact("budget", _choice(Budget, "budget"), choices=_choices(Budget)),
    Fact("budget_note", _short("budget_note", MAX_SHORT), limit=MAX_SHORT),
    Fact("authority", _choice(Authority, "authority"), choices=_choices(Authority)),
    Fact("timeline", _choice(Timeline, "timeline"), choices=_choices(Timeline)),
    Fact("industry", _short("industry", MAX_SHORT), limit=MAX_SHORT),
    Fact("region", _short("region", MAX_SHORT), limit=MAX_SHORT),
    Fact("product", _short("product", MAX_SHORT), limit=MAX_SHORT),
)
FACT: Final[dict[str, Fact]] = {fact.name: fact for fact in FACTS}
EDITABLE: Final = tuple(FACT)  # the facts a person may change after capture, too


def clean(name: str, value: Any) -> Any:
    """One fact, checked and in its stored form."""
    fact = FACT.get(name)
    if fact is None:
        raise InvalidInput("error-lead-field", field=name)
    return fact.parse(value)


def require_reach(phone: str | None, email: str | None) -> None:
    if not phone and not email:
        raise InvalidInput("error-lead-reach")


def missing(values: Mapping[str, Any]) -> list[str]:
    """What a capture still needs before it can be saved, in order: "company", then REACH."""
    found = [fact.name for fact in FACTS if fact.required and not values.get(fact.name)]
    if not values.get("phone") and not values.get("email"):
        found.append(REACH)
    return found


def may_keep(user: User, policy: TeamPolicy) -> bool:
    """Self-assignment on capture: see permissions.may_keep_own_lead."""
    return may_keep_own_lead(user, policy)


# --- drafts as plain values: what a chat flow keeps between messages, or a form sends ------------------


def draft_values() -> dict[str, Any]:
    """An empty draft: None for every fact not answered yet."""
    return {f.name: None for f in fields(LeadDraft)} | {"company": "", "keep_myself": False}


def plain(value: Any) -> Any:
    if isinstance(value, enum.Enum):
        return value.value
    if value is None or isinstance(value, str | bool | int):
        return value
    return str(value)


def quick_values(parsed: QuickCapture) -> dict[str, Any]:
    """The facts a quick-capture message gave, as plain values; what it did not say stays unanswered
    (a default is not an answer)."""
    values = draft_values()
    defaults = {f.name: f.default for f in fields(QuickCapture)}
    for name in values:
        value = getattr(parsed, name, None)
        if value is not None and value != "" and value != defaults.get(name):
            values[name] = plain(value)
    return values


def _lenient(kind: type[enum.StrEnum], raw: Any, default: Any) -> Any:
    try:
        return kind(raw) if raw is not None else default
    except ValueError:
        return default


def draft_from(values: Mapping[str, Any]) -> LeadDraft:
    """A LeadDraft from plain values; the service checks each fact again when it saves."""

    def text(name: str) -> str | None:
        value = values.get(name)
        return str(value) if value else None

    return LeadDraft(
        company=str(values.get("company") or ""),
        contact_name=text("contact_name"),
        phone=text("phone"),
        email=text("email"),
        source=_lenient(LeadSource, values.get("source"), LeadSource.OTHER),
        need=text("need"),
        need_voice_file_id=text("need_voice_file_id"),
        budget=_lenient(Budget, values.get("budget"), Budget.UNKNOWN),
        budget_note=text("budget_note"),
        authority=_lenient(Authority, values.get("authority"), Authority.NONE),
        timeline=_lenient(Timeline, values.get("timeline"), Timeline.UNKNOWN),
        industry=text("industry"),
        region=text("region"),
        product=text("product"),
        keep_myself=bool(values.get("keep_myself")),
    )
