"""Telegram conversation flows, one Router per feature; the catch-all comes last."""

from __future__ import annotations

from aiogram import Router

from handlers import (
    deadletters,
    deals,
    fallback,
    followup,
    followup_find,
    followup_log,
    followup_stale,
    group,
    handoff,
    hours,
    invite,
    leads,
    policy,
    pool,
    profile,
    reminders,
    start,
    team,
)


def routers() -> list[Router]:
    """The feature routers, detached from any Dispatcher built earlier in this process (tests and
    benchmarks build several apps; aiogram lets a router have one parent at a time)."""
    ordered = [
        start.router,
        profile.router,
        invite.router,
        team.router,
        group.router,
        reminders.router,
        hours.router,
        deadletters.router,
        handoff.router,
        deals.router,
        pool.router,
        policy.router,
        leads.router,
        followup.router,
        followup_log.router,
        followup_stale.router,
        followup_find.router,
        fallback.router,  # always last
    ]
    for router in ordered:
        parent = router.parent_router
        if parent is not None:
            parent.sub_routers.remove(router)
            router._parent_router = None
    return ordered
