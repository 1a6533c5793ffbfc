"""The signature provider this issue ships: the signature is recorded in chat. The rep sends the signed
scan (the customer's signed PDF or photo) to the bot; its Telegram file id and sha256 are the record.
Nothing is sent anywhere, and nothing pretends to be an e-signature service.

A provider that reports by HTTP callback (e签宝, 法大大, DocuSign…, or our own signed `webhook-signed`
format) is registered in domain/contracts/providers.py; bot/web.py receives its callbacks and
domain/contracts/services.py `record_provider_signature` records them by the same step as a scan sent in chat."""

from __future__ import annotations

from datetime import datetime

from domain.contracts.model import Contract
from domain.contracts.ports import SignatureEvent, SignatureRequest

IN_CHAT = "chat"


class InChatSignature:
    name = IN_CHAT

    async def send(self, contract: Contract, *, now: datetime) -> SignatureRequest:
        return SignatureRequest(provider=self.name, reference=None, instructions="contract-sent-in-chat")

    def signed(self, callback: dict[str, object]) -> SignatureEvent | None:
        """The chat's own "callback": the file the rep sent, as the handler read it."""
        try:
            contract_id = int(str(callback["contract_id"]))
            file_id, file_hash = str(callback["file_id"]), str(callback["file_hash"])
        except (KeyError, ValueError):
            return None
        if not file_id or len(file_hash) != 64:
            return None
        name = callback.get("file_name")
        return SignatureEvent(self.name, contract_id, file_id, file_hash, str(name) if name else None)
