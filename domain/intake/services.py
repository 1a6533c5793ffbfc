"""Leads from outside the chat. A team's manager makes an API key per channel (/apikeys); a request
carrying the key brings a lead in through the same capture spec, dedupe, scoring and routing as a rep's
quick capture. A repeated request with the same Idempotency-Key acts once."""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Mapping, Sequence
from dataclasses import replace
from datetime import datetime, timedelta
from typing import Any, Final

from domain.audit import record
from domain.errors import AlreadyDone, DomainError, InvalidInput, NotFound
from domain.handoffs.offering import reasons_param
from domain.intake.model import ApiKey, IntakeReceipt, IntakeResult
from domain.leads import capture
from domain.leads.contact import company_key as make_company_key
from domain.leads.model import CaptureOutcome, Lead, LeadDraft, LeadSource
from domain.leads.services import add_note, capture_for_channel
from domain.outbox.kinds import Kind
from domain.outbox.notify import Notice, tell_user
from domain.permissions import Ability, require
from domain.ports import UnitOfWork
from domain.team.model import Role, User
from domain.text import one_line

KEY_PREFIX: Final = "lk_"
SHOWN_PREFIX: Final = 10  # how much of a key /apikeys shows, e.g. "lk_Ab12Cd3"
MAX_CHANNEL: Final = 32
MAX_ACTIVE_KEYS: Final = 20
MAX_IDEMPOTENCY_KEY: Final = 128
MAX_PRESENTED_KEY: Final = 200
# What a form may send: every fact of the capture spec but the ones the channel decides (its source) or
# that only a chat can carry (a voice message).
FORM_FACTS: Final = tuple(name for name in capture.EDITABLE if name not in {"source", "need_voice_file_id"})


# /apikeys shows when a key was last used, to the minute: the key's row is written at most once a minute,
# not on every POST (every lead through one key would otherwise queue behind that row's lock).
LAST_USED_STEP = timedelta(minutes=1)


class KeyRejected(DomainError):
    """No key, an unknown or revoked key, or a key whose manager has left the team."""

    code = "error-apikey-rejected"


class FieldRejected(InvalidInput):
    """One field of a submission is wrong: `at` names it, the code and params say why."""

    def __init__(self, at: str, code: str, **params: object) -> None:
        super().__init__(code, **params)
        self.at = at


def hash_key(plain: str) -> str:
    return hashlib.sha256(plain.encode()).hexdigest()


# --- keys ------------------------------------------------------------------------------------------


async def issue_key(
    uow: UnitOfWork, *, actor: User, channel: str, source: LeadSource, now: datetime
) -> tuple[ApiKey, str]:
    """A new key for one channel of the actor's team; the key itself is returned once, only its hash kept."""
    require(actor, Ability.MANAGE_INTEGRATIONS, "error-apikey-role")
    assert actor.id is not None
    name = one_line(channel)
    if not name or len(name) > MAX_CHANNEL:
        raise InvalidInput("error-apikey-channel", max=MAX_CHANNEL)
    if len(await uow.api_keys.of_team(actor.team_id)) >= MAX_ACTIVE_KEYS:
        raise InvalidInput("error-apikey-too-many", limit=MAX_ACTIVE_KEYS)
    plain = KEY_PREFIX + secrets.token_urlsafe(32)
    key = await uow.api_keys.add(
        ApiKey(
            team_id=actor.team_id, channel=name, source=source, key_hash=hash_key(plain),
            prefix=plain[:SHOWN_PREFIX], created_by=actor.id, created_at=now, form_slug=secrets.token_urlsafe(12),
        )
    )
    await record(
        uow, now=now, action="apikey.created", entity="api_key", entity_id=key.id, actor_id=actor.id,
        team_id=actor.team_id, after={"channel": name, "source": source.value, "prefix": key.prefix},
    )
    return key, plain


async def team_keys(uow: UnitOfWork, *, actor: User) -> Sequence[ApiKey]:
    require(actor, Ability.MANAGE_INTEGRATIONS, "error-apikey-role")
    return await uow.api_keys.of_team(actor.team_id)


async def revoke_key(uow: UnitOfWork, *, actor: User, key_id: int, now: datetime) -> ApiKey:
    """Revoke a key of the actor's team (an admin: any team). A second press finds it revoked."""
    require(actor, Ability.MANAGE_INTEGRATIONS, "error-apikey-role")
    key = await uow.api_keys.get(key_id)
    if key is None or (key.team_id != actor.team_id and actor.role is not Role.ADMIN):
        raise NotFound("error-apikey-not-found")
    if not key.active:
        raise AlreadyDone("error-apikey-revoked", channel=key.channel)
    key.revoked_at = now
    await record(
        uow, now=now, action="apikey.revoked", entity="api_key", entity_id=key.id, actor_id=actor.id,
        team_id=key.team_id, after={"channel": key.channel, "prefix": key.prefix},
    )
    return key


async def authenticate(uow: UnitOfWork, presented: str | None) -> ApiKey:
    if not presented or len(presented) > MAX_PRESENTED_KEY or not presented.startswith(KEY_PREFIX):
        raise KeyRejected()
    key = await uow.api_keys.by_hash(hash_key(presented))
    if key is None or not key.active:
        raise KeyRejected()
    creator = await uow.users.get(key.created_by)
    if creator is None or not creator.active or creator.team_id != key.team_id:
        raise KeyRejected("error-apikey-owner-gone")
    return key


async def form_key(uow: UnitOfWork, slug: str) -> ApiKey:
    """The key behind a public web form's address; KeyRejected when there is none or it was revoked."""
    if not slug or len(slug) > 32:
        raise KeyRejected()
    key = await uow.api_keys.by_form_slug(slug)
    if key is None or not key.active:
        raise KeyRejected()
    creator = await uow.users.get(key.created_by)
    if creator is None or not creator.active or creator.team_id != key.team_id:
        raise KeyRejected("error-apikey-owner-gone")
    return key


# --- submissions -----------------------------------------------------------------------------------


def read_submission(values: Mapping[str, Any]) -> LeadDraft:
    """The facts a form sent, each checked by the capture spec; the first wrong one raises FieldRejected
    naming it. Nothing the spec does not know is accepted."""
    cleaned: dict[str, Any] = {}
    for name, value in values.items():
        if name not in FORM_FACTS:
            raise FieldRejected(name, "error-intake-unknown-field", field=name)
        if value is None:
            continue
        try:
            cleaned[name] = capture.clean(name, value)
        except InvalidInput as exc:
            if exc.code == "error-lead-field":  # a choice the spec does not know: say which it knows
                raise FieldRejected(
                    name, "error-intake-choice", field=name, allowed=", ".join(capture.FACT[name].choices)
                ) from exc
            raise FieldRejected(name, exc.code, **exc.params) from exc
    if not cleaned.get("company"):
        raise FieldRejected("company", "error-lead-company", max=capture.MAX_COMPANY)
    if not cleaned.get("phone") and not cleaned.get("email"):
        raise FieldRejected("phone", "error-lead-reach")
    return capture.draft_from(cleaned)


def valid_idempotency_key(value: str | None) -> str | None:
    if value is None:
        return None
    text = value.strip()
    if not text or len(text) > MAX_IDEMPOTENCY_KEY or not text.isprintable():
        raise FieldRejected("Idempotency-Key", "error-intake-idempotency-key", max=MAX_IDEMPOTENCY_KEY)
    return text


def _resubmission_note(channel: str, draft: LeadDraft) -> str:
    parts = [p for p in (draft.contact_name, draft.phone, draft.email) if p]
    head = f"[{channel}] " + " · ".join(parts) if parts else f"[{channel}]"
    return f"{head}\n{draft.need}" if draft.need else head


async def capture_via_key(
    uow: UnitOfWork, *, key: ApiKey, draft: LeadDraft, idempotency_key: str | None, now: datetime
) -> IntakeResult:
    """A lead through a channel. A known lead of the same team (same phone, e-mail or company) is not
    duplicated: the submission becomes a note on it, and whoever holds it hears of it."""
    assert key.id is not None
    if idempotency_key is not None:
        receipt = await uow.intake_receipts.get(key.id, idempotency_key)
        if receipt is not None:
            return await _replay(uow, receipt)
    creator = await uow.users.get(key.created_by)
    team = await uow.teams.get(key.team_id)
    if creator is None or team is None or not creator.active:
        raise KeyRejected("error-apikey-owner-gone")
    draft = replace(draft, source=key.source)
    phone = capture.clean("phone", draft.phone)
    email = capture.clean("email", draft.email)
    company_key = make_company_key(capture.clean("company", draft.company))
    known = [
        lead for lead in await uow.leads.matching(phone=phone, email=email, company_key=company_key or None, limit=20)
        if lead.team_id == key.team_id
    ]
    result: IntakeResult
    if known:
        lead = known[0]
        assert lead.id is not None
        await add_note(
            uow, actor=creator, kind="lead", record_id=lead.id, note=_resubmission_note(key.channel, draft)[:2000],
            now=now,
        )
        found = await uow.opportunities.for_leads([lead.id])
        result = IntakeResult(lead=lead, outcome="duplicate", opportunity_id=found[0].id if found else None)
    else:
        captured = await capture_for_channel(uow, creator=creator, team=team, draft=draft, now=now, channel=key.channel)
        opportunity_id = captured.opportunity.id if captured.opportunity is not None else None
        result = IntakeResult(lead=captured.lead, outcome=captured.outcome.value, opportunity_id=opportunity_id)
        if captured.outcome is CaptureOutcome.NURTURE:
            # Nobody typed this lead in, so nobody would know it is there: the channel's manager hears.
            await _tell_nurtured(uow, key, captured.lead, now)
    if key.last_used_at is None or now - key.last_used_at >= LAST_USED_STEP:
        key.last_used_at = now
    if idempotency_key is not None:
        assert result.lead.id is not None
        await uow.intake_receipts.add(
            IntakeReceipt(
                api_key_id=key.id, idempotency_key=idempotency_key, lead_id=result.lead.id, outcome=result.outcome,
                created_at=now,
            )
        )
    return result


async def _tell_nurtured(uow: UnitOfWork, key: ApiKey, lead: Lead, now: datetime) -> None:
    assert lead.id is not None
    params = {
        "channel": key.channel, "company": lead.company, "contact": lead.contact_name or "—",
        "score": lead.score or 0, "reasons": reasons_param(lead), "need": (lead.need or "—")[:200],
    }
    await tell_user(uow, key.created_by, Notice(Kind.INTAKE_NURTURED, lead.id, params), team_id=key.team_id, now=now)


async def _replay(uow: UnitOfWork, receipt: IntakeReceipt) -> IntakeResult:
    lead: Lead | None = await uow.leads.get(receipt.lead_id)
    if lead is None:
        raise NotFound("error-lead-not-found")
    found = await uow.opportunities.for_leads([receipt.lead_id])
    return IntakeResult(
        lead=lead, outcome=receipt.outcome, opportunity_id=found[0].id if found else None, replayed=True
    )
