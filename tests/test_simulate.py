"""The simulated team (bench/simulate.py) on a short run: the real Dispatcher, sweeps and outbox, a fake
clock, a team of a manager, an admin, finance and eight reps with their habits, customers who ask for
discounts, sign late, pay late and call with problems. Every breakpoint the simulation covers must occur
at least once, reach its person (the message recorded by the fake Bot API), and no open deal may sit
without an owner, a pending hand-off or the pool."""

from __future__ import annotations

from bench.simulate import parse_args, simulate

FIRST_FLOORS = {
    "unassigned lead (deal in the pool)", "hand-off not accepted", "no follow-up record", "silent deal",
    "next step due (follow-up nudge)",
}
LATER_FLOORS = {
    "slow quote approval", "contract unsigned at half time", "slow contract (signing deadline passed)",
    "payment falling due (reminder)", "payment overdue", "after-sales ticket near its SLA (75%)",
    "after-sales ticket over SLA",
}


async def test_a_short_simulated_run_alerts_every_breakpoint_and_leaves_nothing_ownerless() -> None:
    # Two weeks and a bit: long enough for a rep's leave (from the fourth day) to send a quiet deal back to
    # the pool, and for a quote asked for on the first day to become a contract signed late and a payment
    # gone overdue; the book at the start (deals at 方案报价, customers in after-sales) feeds those floors.
    args = parse_args([
        "--days", "16", "--leads", "16", "--accounts", "14", "--pipeline", "10", "--seed", "2", "--step", "30",
        "--no-control", "--budget", "5",
    ])
    text, figures = await simulate(args)

    rows = {row.name: row for row in figures["rows"]}
    assert set(rows) >= FIRST_FLOORS | LATER_FLOORS, text
    assert not [row.name for row in rows.values() if row.occurred is None], f"a row not simulated\n{text}"
    for row in rows.values():
        assert row.occurred >= 1, f"{row.name} never happened in the run, so nothing was checked\n{text}"
        # alerted, or held over its person's budget and done before the morning it would have gone
        assert row.alerted + row.held == row.occurred, f"{row.name}: never alerted\n{text}"
    assert figures["ownerless"] == 0, text
    budget = figures["budget"]
    # A tight budget (5 a day), so that it bites in a short run: what could wait is held over, never sent
    # over it, and every breakpoint above was still alerted.
    assert budget["per_day"] == 5 and budget["held_over"] > 0, text
    assert budget["over"] == 0, f"messages that could wait went over the budget\n{text}"
    assert not figures["problems"], text
    main = figures["main"]
    assert main["accepted"] > 0 and main["with_followup"] > 0, text
    assert main["quotes_accepted"] > 0 and main["signed"] > 0 and main["collected"] > 0, text
    assert main["tickets"] > 0 and main["answered"] > 0, text
