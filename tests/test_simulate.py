"""The simulated team (bench/simulate.py) on a short run: the real Dispatcher, sweeps and outbox, a fake
clock, a team of a manager and eight reps with their habits. Every breakpoint the simulation covers must
occur at least once, reach its person (the message recorded by the fake Bot API), and no open deal may
sit without an owner, a pending hand-off or the pool."""

from __future__ import annotations

from bench.simulate import parse_args, simulate


async def test_a_short_simulated_run_alerts_every_breakpoint_and_leaves_nothing_ownerless() -> None:
    # Nine days: long enough for a rep's leave (from the third day) to send a quiet deal back to the pool.
    args = parse_args(["--days", "9", "--leads", "24", "--seed", "2", "--step", "30", "--no-control"])
    text, figures = await simulate(args)

    simulated = [row for row in figures["rows"] if row.occurred is not None]
    assert {row.name for row in simulated} >= {
        "unassigned lead (deal in the pool)", "hand-off not accepted", "no follow-up record", "silent deal",
        "next step due (follow-up nudge)",
    }, text
    for row in simulated:
        assert row.occurred >= 1, f"{row.name} never happened in the run, so nothing was checked\n{text}"
        assert row.alerted == row.occurred, f"{row.name}: {row.occurred - row.alerted} never alerted\n{text}"
    assert figures["ownerless"] == 0, text
    assert not figures["problems"], text
    assert figures["main"]["accepted"] > 0 and figures["main"]["with_followup"] > 0, text
