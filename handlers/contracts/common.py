"""What the contract and payment screens share: callback data, statuses, a contract drawn as text."""

from __future__ import annotations

import enum
from collections.abc import Sequence

from aiogram.filters.callback_data import CallbackData

from bot.callbacks import Id
from bot.formatting import h, money
from bot.i18n import Translate
from domain.contracts.model import Contract, ContractStatus, Milestone, Payment, PaymentState
from domain.money import Money
from domain.team.model import Language
from handlers.pipeline_ui import day_text


class CAct(enum.StrEnum):
    """What a contract button does. Short values, never changed once sent."""

    DEAL = "deal"  # the deal's contracts (id: the deal)
    NEW = "new"  # open a contract on the deal (id: the deal)
    SHOW = "show"  # a contract (id: the contract)
    PLAN = "plan"  # the plan templates (id: the contract)
    PLAN_AT = "pt"  # apply one (arg: the template)
    SEND = "send"  # sent for signature
    SIGN = "sign"  # asks for the signed document
    DOC = "doc"  # send me the signed document again
    CANCEL = "cx"  # a manager cancels it (asks why)
    AMOUNT = "amt"  # a manager changes an unsigned contract's amount (asks the amount and why)
    REPORT = "pay"  # the rep reports a payment: pick the milestone
    RECORD = "rec"  # finance records a payment directly: pick the milestone


class ContractCb(CallbackData, prefix="ct"):
    act: CAct
    id: Id = 0
    arg: str = ""


class PAct(enum.StrEnum):
    MILESTONE = "ms"  # a milestone picked (id: the milestone)
    FULL = "full"  # the milestone's outstanding amount
    TYPE_AMOUNT = "amt"  # type the amount
    DAY = "day"  # arg: days ago (0 today)
    TYPE_DAY = "tday"  # type the date
    METHOD = "mth"  # arg: the method
    SAVE = "save"  # finance: record it
    BACK = "back"  # arg: the step to go back to
    CONFIRM = "ok"  # finance: confirm (id: the payment)
    REJECT = "no"  # finance: reject, with a reason
    DIFFERS = "diff"  # finance: the amount that came in differs (typed)
    RECEIPT = "rcpt"  # show the receipt (id: the payment)


class PayCb(CallbackData, prefix="py"):
    act: PAct
    id: Id = 0
    arg: str = ""


class RAct(enum.StrEnum):
    SHOW = "show"
    XLSX = "xlsx"


class ReceivablesCb(CallbackData, prefix="rv"):
    act: RAct


# A deal with such a contract may enter the payment stage without a word of warning (handlers/deals.py).
SIGNED_CONTRACT = frozenset({ContractStatus.SIGNED, ContractStatus.ACTIVE, ContractStatus.COMPLETED})

STATUS_ICONS = {
    ContractStatus.DRAFT: "📝", ContractStatus.SENT: "📤", ContractStatus.SIGNED: "✍️", ContractStatus.ACTIVE: "💰",
    ContractStatus.COMPLETED: "✅", ContractStatus.CANCELLED: "🚫",
}


def status_text(t: Translate, status: ContractStatus) -> str:
    return f"{STATUS_ICONS[status]} {t(f'contract-status-{status.value}')}"


def milestone_line(t: Translate, lang: Language, milestone: Milestone) -> str:
    if milestone.settled:
        state = t("contract-ms-paid")
    elif milestone.paid_minor:
        state = t("contract-ms-partial", paid=money(Money(milestone.paid_minor, milestone.currency)),
                  left=money(milestone.outstanding))
    else:
        state = t("contract-ms-open")
    return t("contract-ms-line", n=milestone.position, label=h(milestone.label), amount=money(milestone.amount),
             due=day_text(milestone.due_on, lang), state=state)


def contract_lines(
    t: Translate, lang: Language, contract: Contract, milestones: Sequence[Milestone], payments: Sequence[Payment],
) -> list[str]:
    """The contract's state in a few lines: the deal card and the contract screen both show them."""
    lines = [t("contract-line", number=contract.number, status=status_text(t, contract.status),
               amount=money(contract.amount), paid=money(contract.paid))]
    if contract.status in (ContractStatus.DRAFT, ContractStatus.SENT):
        lines.append(t("contract-sign-by", day=day_text(contract.sign_by, lang)))
    if contract.document_file_id:
        lines.append(t("contract-document", name=h(contract.document_name or "📎"), hash=contract.document_hash[:12]
                       if contract.document_hash else "—"))
    elif contract.provider != "chat" and contract.document_hash:  # an e-signature provider's callback
        lines.append(t("contract-document-esign", provider=h(contract.provider), ref=h(contract.signature_ref or "—"),
                       hash=contract.document_hash[:12]))
        if contract.document_url:
            lines.append(t("contract-document-url", url=h(contract.document_url)))
    elif contract.status in (ContractStatus.SIGNED, ContractStatus.ACTIVE, ContractStatus.COMPLETED):
        lines.append(t("contract-no-document"))
    if milestones:
        lines.extend(milestone_line(t, lang, m) for m in milestones)
    elif contract.status not in (ContractStatus.CANCELLED,):
        lines.append(t("contract-no-plan"))
    waiting = [p for p in payments if p.state is PaymentState.REPORTED]
    if waiting:
        lines.append(t("contract-waiting", count=len(waiting),
                       amount=money(Money(sum(p.amount_minor for p in waiting), contract.currency))))
    if contract.overpaid.minor:
        lines.append(t("contract-overpaid", amount=money(contract.overpaid)))
    return lines
