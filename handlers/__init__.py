"""Telegram conversation flows, one Router per feature; the catch-all comes last."""

from __future__ import annotations

from aiogram import Router

from bot.routing import combined
from handlers import (
    apikeys,
    assist,
    deadletters,
    deals,
    fallback,
    group,
    handoff,
    held_over,
    hours,
    imports,
    invite,
    leads,
    policy,
    pool,
    products,
    profile,
    reminders,
    report,
    start,
    team,
    webhooks,
)
from handlers.contracts import payments as contract_payments
from handlers.contracts import plan_templates as contract_plan_templates
from handlers.contracts import receivables as contract_receivables
from handlers.contracts import screens as contract_screens
from handlers.followup import find as followup_find
from handlers.followup import log as followup_log
from handlers.followup import nudges as followup_nudges
from handlers.followup import stale as followup_stale
from handlers.quotes import approvals as quote_approvals
from handlers.quotes import builder as quote_builder
from handlers.quotes import policy as quote_policy
from handlers.tickets import checklist_template as ticket_checklist_template
from handlers.tickets import customer as ticket_customer
from handlers.tickets import delivery as ticket_delivery
from handlers.tickets import desk as ticket_desk
from handlers.tickets import renewal as ticket_renewal
from handlers.tickets import survey as ticket_survey


def routers() -> list[Router]:
    """A fresh Router for one Dispatcher with every feature's handlers, feature after feature in this order
    (the catch-all last)."""
    ordered = [
        start,
        ticket_survey,  # a customer answering a survey: only its own state and buttons, before anything else
        group,  # before profile: /help in a group is the group's own
        profile,
        invite,
        team,
        reminders,
        hours,
        deadletters,
        held_over,
        handoff,
        deals,
        pool,
        policy,
        apikeys,
        webhooks,
        leads,
        followup_nudges,
        followup_log,
        followup_stale,
        followup_find,
        imports,
        contract_screens,  # before products: a document sent while a contract waits for it is the signed scan
        contract_payments,
        contract_receivables,
        contract_plan_templates,
        ticket_delivery,  # before products: a signed acceptance form sent as a file is not a catalogue import
        products,
        quote_builder,
        quote_approvals,
        quote_policy,
        report,
        ticket_desk,
        ticket_renewal,
        ticket_customer,
        ticket_checklist_template,
        assist,
        fallback,  # always last
    ]
    return [combined("loop", [module.routes for module in ordered])]
