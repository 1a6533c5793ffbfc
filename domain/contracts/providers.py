"""E-signature providers that report by HTTP callback, in one registry: POST /api/v1/esign/<name>/<team id>
(bot/web.py) looks the provider up here by <name>. Adding one (e签宝, 法大大, DocuSign…) is one class that
implements domain/contracts/ports.py CallbackProvider — `send`, `verify` (the provider's own signature
scheme over the raw body) and `signed` (its callback read into a SignatureEvent) — and one line in
PROVIDERS; its secret goes in ESIGN_SECRETS under its name.

What ships is `webhook-signed`: not an e-signature service, but a callback format defined by us, which a
customer's integrator points their e-signature service (or their own middleware in front of it) at. The
request is signed like our outbound webhooks (domain/webhooks/delivery.py): header
`X-Loopbot-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>." + raw body)>`, at most five
minutes old. The body:

    {"status": "signed", "contract_no": "HT-2026-0001", "envelope_id": "env-8842",
     "signed_at": "2026-12-01T10:30:00+08:00", "document_url": "https://esign.example.com/env-8842.pdf",
     "document_sha256": "<64 hex digits>", "document_name": "HT-2026-0001.pdf"}

Any other status ("declined", "expired", …) is acknowledged and changes nothing."""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import datetime
from typing import Final

from domain.contracts.model import Contract
from domain.contracts.ports import CallbackProvider, SignatureEvent, SignatureRequest
from domain.errors import InvalidInput
from domain.webhooks.delivery import verify as verify_signature

SIGNATURE_HEADER: Final = "X-Loopbot-Signature"
NUMBER: Final = re.compile(r"HT-(\d{4})-(\d{4,6})")
HEX64: Final = re.compile(r"[0-9a-f]{64}")
MAX_REFERENCE: Final = 128
MAX_URL: Final = 500
MAX_NAME: Final = 120


def parse_number(text: str) -> tuple[int, int] | None:
    """HT-2026-0001 -> (2026, 1)."""
    found = NUMBER.fullmatch(text.strip())
    return (int(found.group(1)), int(found.group(2))) if found else None


def _text(callback: Mapping[str, object], field: str, limit: int, *, required: bool) -> str | None:
    value = callback.get(field)
    if value is None or value == "":
        if required:
            raise InvalidInput("error-esign-field", field=field)
        return None
    if not isinstance(value, str) or len(value) > limit:
        raise InvalidInput("error-esign-field", field=field)
    return value.strip()


class WebhookSignature:
    """A signature reported by a signed callback in our own format (see the module's doc)."""

    name = "webhook-signed"

    async def send(self, contract: Contract, *, now: datetime) -> SignatureRequest:
        """Nothing to call: the integrator's system sends the envelope; the rep sends it there."""
        return SignatureRequest(provider=self.name, reference=None, instructions="contract-sent-esign")

    def verify(self, headers: Mapping[str, str], body: bytes, secret: str, now: datetime) -> bool:
        header = headers.get(SIGNATURE_HEADER)
        return bool(header) and verify_signature(secret, header or "", body, now)

    def signed(self, callback: dict[str, object]) -> SignatureEvent | None:
        status = callback.get("status")
        if not isinstance(status, str):
            raise InvalidInput("error-esign-field", field="status")
        if status.strip().lower() != "signed":
            return None
        number = _text(callback, "contract_no", 20, required=True) or ""
        if parse_number(number) is None:
            raise InvalidInput("error-esign-field", field="contract_no")
        digest = (_text(callback, "document_sha256", 64, required=True) or "").lower()
        if not HEX64.fullmatch(digest):
            raise InvalidInput("error-esign-field", field="document_sha256")
        url = _text(callback, "document_url", MAX_URL, required=False)
        if url is not None and not url.startswith("https://"):
            raise InvalidInput("error-esign-field", field="document_url")
        signed_at = None
        raw_at = _text(callback, "signed_at", 40, required=False)
        if raw_at is not None:
            try:
                signed_at = datetime.fromisoformat(raw_at.replace("Z", "+00:00"))
            except ValueError as exc:
                raise InvalidInput("error-esign-field", field="signed_at") from exc
            if signed_at.tzinfo is None:
                raise InvalidInput("error-esign-field", field="signed_at")
        return SignatureEvent(
            provider=self.name, contract_id=None, file_id=None, file_hash=digest,
            file_name=_text(callback, "document_name", MAX_NAME, required=False), number=number.strip(),
            reference=_text(callback, "envelope_id", MAX_REFERENCE, required=True), document_url=url,
            signed_at=signed_at,
        )


# The providers that may call back, by the name in their callback URL. One line per provider.
PROVIDERS: Final[dict[str, CallbackProvider]] = {
    WebhookSignature.name: WebhookSignature(),
}
