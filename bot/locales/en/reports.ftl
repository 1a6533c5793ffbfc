## Reports (issue 14): /report, the review of a period

cmd-report = Review: funnel, cycle times, breakpoints
error-report-role = Only reps, managers and admins can see the review.
error-report-period-backwards = The last day can't come before the first.
error-report-period-too-long = At most 366 days at a time.
error-report-period-custom-needs-days = Give the first and last day, e.g. /report 2026-11-01 2026-11-15
report-pick = 📊 Which period shall we review?
report-period-this_week = This week
report-period-last_week = Last week
report-period-this_month = This month
report-period-last_30_days = Last 30 days
report-btn-custom = 📅 Custom
report-btn-org = 🌐 Whole company
report-btn-team = 👥 My team
report-custom-hint = Custom days: send /report FIRST LAST, e.g. /report 2026-11-01 2026-11-15 or /report 11-01 11-15
report-closed-menu = OK. Send /report whenever you need it.
report-whole-org = Whole company
report-title = 📊 <b>{ $team } · review { $period }</b>
report-title-mine = 📊 <b>My review · { $period }</b>
report-day = { $d }/{ $m }
report-span = { $d1 }/{ $m1 }–{ $d2 }/{ $m2 }
report-leads = New leads { $leads }, won so far { $won } (lead → won { $rate })
report-closed = Won { $won } for { $amount } · lost { $lost } · win rate { $rate }
report-funnel = <b>🔻 Funnel</b> (entered → moved on)
report-funnel-line = { $stage }: { $entered } → { $converted } ({ $rate })
report-cycle = <b>⏱ Cycle times</b> (median / 90th percentile)
report-times = { $median } / { $p90 } ({ $n })
report-none = none yet
report-cycle-first = Lead → first follow-up: { $times }
report-cycle-no-followup = , { $n } not followed up yet
report-cycle-handoff = Assigned → accepted: { $times }
report-cycle-quote = Quote submitted → approved: { $times }
report-cycle-stage = In “{ $stage }”: { $times }
report-dur-minutes = { $n } min
report-dur-hours = { $n } h
report-dur-days = { $n } d
report-board = <b>🚧 Breakpoints</b> (now · new this period)
report-bp-line = { $mark } { $label }: { $now } · { $period }{ $alerts }
report-bp-alerts = {" "}(alerted { $alerted }, escalated { $escalated })
report-bp-holders = held by: { $who }
report-bp-oldest = oldest since { $since }
report-bp-unassigned = Nobody on it (pool)
report-bp-no_record = Deals with no follow-up logged
report-bp-uncovered_needs = Quotes missing a need
report-bp-slow_approvals = Quote approvals past the SLA
report-bp-slow_contracts = Contracts not signed by their deadline
report-bp-overdue_payments = Payments overdue
report-bp-late_tickets = Tickets over SLA or with no owner
report-bp-late_handoffs = Hand-offs not accepted in time
report-bp-silent = Silent deals
report-lost = <b>💔 Lost { $n }</b>
report-lost-line = { $reason }: { $n } for { $amount }
report-lost-no-reason = no reason given
report-lost-stages = Lost at: { $stages }
report-rejections = Quotes the customer rejected: { $reasons }
report-by-source = <b>🎯 Win rate by source</b>
report-by-rep = <b>🏅 Win rate by rep</b>
report-win-line = { $name }: { $rate } ({ $won }/{ $closed })
report-activity = <b>📞 Follow-up activity</b>
report-activity-line = { $name }: { $n } in all, { $per_week } a week ({ $kinds })
report-activity-timely = ; next steps on time { $on_time }, late { $late } ({ $rate } on time)
report-chart-title = { $team } · { $period }
report-chart-funnel = Sales funnel
report-chart-entered = Entered
report-chart-converted = Moved on
report-chart-times = Days in each stage
report-chart-median = Median
report-chart-p90 = 90th percentile
report-chart-days = days
report-chart-empty = No deal left a stage in this period

## Report digests (the outbox): the manager's morning digest, the Monday review, a rep's own week

report-digest-daily =
    ☀️ <b>Team morning digest</b>
    New leads yesterday: { $leads }
    Hand-offs waiting to be accepted: { $handoffs_waiting }
    Quotes waiting for approval: { $approvals_waiting }
    Breakpoints now: { $breakpoints }
    👉 Tap below to see the lists and act on them.
report-digest-weekly =
    📊 <b>Last week's review { $period }</b>
    New leads { $leads } ({ $leads_change } on the week before)
    Won { $won } ({ $won_change }) for { $amount }
    Win rate { $rate } ({ $rate_change } points)
    Breakpoints now: { $breakpoints }
    👉 The picture is last week's funnel and time per stage; tap “Last week” for the full numbers and who holds each breakpoint.
report-digest-rep =
    📊 <b>Your last week { $period }</b>
    New leads { $leads } ({ $leads_change } on the week before), won { $won } ({ $won_change }) for { $amount }
    Win rate { $rate } ({ $rate_change } points)
    Follow-ups { $touches }; next steps on time { $on_time }, late { $late }
    Waiting for you: { $breakpoints }
    👉 Tap “Last week” for the details.
report-digest-bp = { $label } { $n }
report-digest-bp-none = none 👍
report-btn-last-week = 📊 Last week
report-btn-mute = 🔕 Stop these
report-btn-digests = 🔔 Digests
report-digests = 🔔 <b>Digests</b>: tap to switch on / off.
report-digest-on = ✅ { $name }
report-digest-off = 🔕 { $name } (off)
report-digest-name-report_daily = Team morning digest (each working day)
report-digest-name-report_weekly = Monday review
report-digest-name-report_rep = My week (Mondays)
report-muted = “{ $name }” is off. To get it again: /report → 🔔 Digests.
error-report-digest = That digest isn't one of yours.

## The XLSX export

report-btn-export = 📥 Export Excel
report-export-start = 📥 Exporting { $period }: { $total ->
    [one] { $total } row
   *[other] { $total } rows
    }…
report-export-progress = 📥 Exporting { $period }: { $done } / { $total ->
    [one] { $total } row
   *[other] { $total } rows
    }…
report-export-done = ✅ Exported { $period }: { $total ->
    [one] { $total } row
   *[other] { $total } rows
    } (deals { $deals }, follow-ups { $activities }, quotes { $quotes }). The file is below, ready to forward.
report-export-empty = No deals, follow-ups or quotes to export in this period.
report-sheet-deals = Deals
report-sheet-activities = Follow-ups
report-sheet-quotes = Quotes
report-col-id = No.
report-col-company = Customer
report-col-title = Deal
report-col-owner = Owner
report-col-stage = Stage
report-col-amount = Amount (CNY)
report-col-source = Source
report-col-created = Created
report-col-lost_reason = Lost reason
report-col-last_activity = Last follow-up
report-col-at = When
report-col-rep = Rep
report-col-kind = How
report-col-outcome = Outcome
report-col-note = Note
report-col-next_step = Next step
report-col-next_due = Next step due
report-col-number = Quote no.
report-col-status = Status
report-col-total = Total (CNY)
report-col-discount = Discount
report-col-submitted = Submitted
report-col-decided = Decided
