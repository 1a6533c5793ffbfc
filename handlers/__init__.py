"""Telegram conversation flows, one Router per feature; the catch-all comes last."""

from __future__ import annotations

from aiogram import Router

from handlers import (
    apikeys,
    deadletters,
    deals,
    fallback,
    group,
    handoff,
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
from handlers.contracts import receivables as contract_receivables
from handlers.contracts import screens as contract_screens
from handlers.followup import find as followup_find
from handlers.followup import log as followup_log
from handlers.followup import nudges as followup_nudges
from handlers.followup import stale as followup_stale
from handlers.quotes import approvals as quote_approvals
from handlers.quotes import builder as quote_builder
from handlers.quotes import policy as quote_policy


def routers() -> list[Router]:
    """A fresh Router per feature, in order (the catch-all last), for one Dispatcher."""
    ordered = [
        start,
        group,  # before profile: /help in a group is the group's own
        profile,
        invite,
        team,
        reminders,
        hours,
        deadletters,
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
        products,
        quote_builder,
        quote_approvals,
        quote_policy,
        report,
        fallback,  # always last
    ]
    return [module.routes.router() for module in ordered]
