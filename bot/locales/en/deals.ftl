## Deals: /deals (list, filters, card, stage moves, lost, reassign), /assign, /pool, /policy

cmd-deals = My deals
cmd-pool = Public pool (deals to claim)
cmd-assign = Assign or hand over a deal
cmd-policy = Team pipeline rules

btn-open-deal = 📂 Open deal
btn-claim = 🙋 Claim

deal-lost-price = Price
deal-lost-competitor = Lost to a competitor
deal-lost-no_budget = No budget
deal-lost-no_decision = No decision
deal-lost-timing = Bad timing
deal-lost-other = Other

deal-amount-none = no amount yet
deal-close-none = not set
deal-owner-pool = nobody (in the pool)
deal-owner-waiting = waiting for { $name } to accept
deal-owner-none = nobody yet

## /deals list

deals-title-mine = 📋 <b>My deals</b> ({ $total } in all)
deals-title-team = 📋 <b>Team deals</b> ({ $total } in all)
deals-title-captured = 📥 <b>Deals I brought in</b> ({ $total } in all)
deals-captured-hint = Leads you captured that colleagues follow up: open one to see how it goes (read-only).
deals-filtered-by = Filter: { $filters }
deals-page = Page { $page }/{ $pages }
deals-line = { $n }. { $name } — { $stage } · { $amount }
deals-line-owner = {" · "}{ $owner }
deals-line-touched = {" · "}last touched { $at }
deals-line-waiting = {" · "}⏳ waiting for acceptance
deals-empty = No deals yet. Send /lead to capture a lead, or claim one from the /pool.
deals-empty-filtered = No deals match this filter. Tap "Clear filters" to see them all.
deals-filter-waiting = waiting for acceptance
deals-filter-stale = stale
deals-btn-stage = 🔎 By stage
deals-btn-waiting = ⏳ Waiting
deals-btn-stale = 💤 Stale
deals-btn-mine = 👤 Mine
deals-btn-team = 👥 Team
deals-btn-captured = 📥 I brought in
deals-btn-clear = 🧹 Clear filters
deals-choose-stage = Show deals in which stage?
deals-stage-all = All stages

## The deal card

deal-card =
    💼 <b>{ $title }</b>
    Company: { $company }
    Contact: { $contact }
    Amount: { $amount }
    Expected close: { $close }
    Owner: { $owner }
    Stage: { $stage }
    Score: { $score }
deal-score = { $score }/10 ({ $reasons })
deal-score-none = not scored yet
deal-lost-line = ❌ Lost: { $reason }
deal-lost-note = Note: { $note }
deal-waiting-line = ⏳ Waiting for { $name } to accept (by { $deadline })
deal-waiting-someone = the new owner
deal-history-title = 📜 Stage history:
deal-history-line = • { $at } { $actor }: { $start } → { $end }
deal-history-created = new
deal-history-system = system
deal-history-override = {" "}(manager skipped stages)
deal-read-only = 👀 You brought this lead in: follow its progress here; its owner does the follow-up and the moves.

deal-btn-advance = ➡️ Move to "{ $stage }"
deal-btn-skip = ⏭ Skip stages
deal-btn-win = 🎉 Won
deal-btn-lose = ❌ Mark lost
deal-btn-reassign = 🔁 Reassign
deal-btn-back-list = ⬅️ Back to list

## Stage moves

deal-confirm-advance = Move "{ $title }" from "{ $start }" to "{ $end }"?
deal-btn-confirm-advance = ✅ Yes, move it
deal-skip-choose =
    ⏭ Skip stages (managers only)
    "{ $title }" is in "{ $stage }". Move it straight to which stage?
deal-confirm-skip = Move "{ $title }" from "{ $start }" straight to "{ $end }"? The stages between are skipped and this is recorded as a manager's override.
deal-btn-confirm-skip = ✅ Yes, skip
deal-done-moved = ✅ Now in "{ $stage }".
deal-done-won = 🎉 Congratulations on the win! The team group will hear about it.
deal-error-moved = This deal is already in "{ $stage }", so that button is out of date. Please open the deal again.

## Mark lost

deal-lose-choose-reason = Why was "{ $title }" lost? Pick a reason:
deal-lose-expect-reason = Please pick a reason with the buttons above first (choose "Other" if none fits; you can explain in the next step).
deal-lose-enter-note =
    Reason: { $reason }
    Anything to add? Type a short note, or tap Skip.
deal-lose-expect-note = Please type a note, or tap Skip.
deal-btn-skip-note = Skip ⏭
deal-confirm-lose =
    Mark this deal as lost?
    Reason: { $reason }
    Note: { $note }
deal-btn-confirm-lose = ✅ Yes, mark lost
deal-done-lost = ❌ Marked as lost; the reason is on record.

## Reassign (card button and /assign)

deal-reassign-choose-rep = 🔁 Who should take over "{ $title }"? Current owner: { $owner }
deal-reassign-no-reps = Your team has no reps to hand this to yet. Invite one with /invite.
deal-reassign-choose-reason = Hand it to { $name } because…
deal-reassign-reason-workload = Balancing workload
deal-reassign-reason-skills = Better fit for the region / industry
deal-reassign-reason-leave = Owner on leave or leaving
deal-reassign-reason-customer = The customer asked
deal-reassign-reason-own = ✏️ Type a reason
deal-reassign-enter-reason = Type the reason for the hand-over (one line is fine):
deal-reassign-expect-reason = Please type the reason as text, or tap Back or Cancel.
deal-done-reassigned = 🔁 Handed to { $name }; both reps are being told.
assign-choose-deal = 🔁 Which deal should change hands? ({ $total } in the team)
assign-empty = Your team has no deals yet.

## /pool

pool-title = 🌊 <b>Public pool</b>: { $total ->
    [one] { $total } deal
   *[other] { $total } deals
    } to claim
pool-page = Page { $page }/{ $pages }
pool-hint = Tap a button below to claim a deal; it becomes yours to follow up.
pool-empty = The pool is empty right now 👍
pool-line = { $n }. { $name } — { $stage } · { $amount }
pool-line-since = {" · "}in the pool since { $at }
pool-btn-claim = 🙋 Claim { $n }. { $company }
pool-done-claimed = ✅ Claimed! { $name } is yours to follow up now.

## /policy

policy-card =
    ⚙️ Pipeline rules of <b>{ $team }</b>
    Assignment: { $assignment }
    Reps may keep leads they captured: { $self_assign }
    Qualification threshold: { $threshold } of 10
    Time to accept a hand-off: { $handoff } working minutes
    Back to the pool: { $recycle }
    Pool claims per rep: { $limit }
    Cool-off: { $cooloff ->
        [one] { $cooloff } day
       *[other] { $cooloff } days
    } before re-claiming a recycled deal
policy-yes = yes
policy-no = no
policy-assignment-round_robin = Round robin
policy-assignment-least_loaded = Least loaded
policy-assignment-rules = By region / industry / product
policy-assignment-manual = Manager assigns by hand
policy-btn-assignment = 🔀 Assignment
policy-btn-self-on = ☑️ Keep own leads: yes
policy-btn-self-off = ⬜ Keep own leads: no
policy-btn-threshold = 🎯 Threshold
policy-btn-handoff_minutes = ⏱ Hand-off time
policy-btn-recycle_days = ♻️ Recycle days
policy-btn-pool_claim_limit = 🙋 Claim limit
policy-btn-cooloff_days = 🧊 Cool-off
policy-btn-skills = 🧑‍💼 Rep skills
policy-choose-assignment = How should new leads be assigned?
policy-done = ✅ Saved.
policy-number =
    { $name }: now { $value }
    Use the buttons, or just send a number.
policy-name-threshold = Qualification threshold
policy-name-handoff_minutes = Time to accept a hand-off
policy-name-recycle_days = Recycle days
policy-name-pool_claim_limit = Pool claims per rep
policy-name-cooloff_days = Cool-off
policy-value-threshold = { $value } points
policy-value-handoff_minutes = { $value } working minutes
policy-value-recycle_days = { $value ->
    [one] { $value } day
   *[other] { $value } days
    }
policy-value-pool_claim_limit = { $value } per rep
policy-value-cooloff_days = { $value ->
    [one] { $value } day
   *[other] { $value } days
    }
policy-error-not-a-number = { $name } needs a whole number, like 30. Please send it again:
policy-expect-number = Please send a number, or tap Back.
policy-skill-region = Regions
policy-skill-industry = Industries
policy-skill-product = Products
policy-skills-title = 🧑‍💼 <b>Rep skills</b> (used when assigning by region / industry / product)
policy-skills-line = • { $name }: { $skills }
policy-skills-no-reps = Your team has no reps yet.
policy-skill-entry = { $kind }: { $values }
policy-rep-skills = 🧑‍💼 Skills of <b>{ $name }</b>:
policy-btn-edit-skill = ✏️ { $kind }
policy-enter-skills =
    { $kind } of { $name }: send them separated by commas, e.g. { $example }
    Send "none" to clear them.
policy-example-region = East China, South China
policy-example-industry = Manufacturing, Retail
policy-example-product = CRM, Data platform
policy-expect-skills = Please type them as text, separated by commas, or tap Back.
policy-btn-idle = ⏳ Idle limits
policy-btn-weights = ⚖️ Score weights
policy-idle-title = ⏳ <b>Idle limits</b>: how many days a deal may go without a logged follow-up in each stage before it counts as idle and you and the rep are told
policy-idle-line = • { $stage }: { $days ->
    [one] { $days } day
   *[other] { $days } days
    }
policy-idle-stage =
    Idle limit of { $stage }: now { $days ->
        [one] { $days } day
       *[other] { $days } days
    }
    Use the buttons, or just send a number of days (1–365).
policy-idle-not-a-number = The idle limit of { $stage } needs a whole number of days, like 7. Please send it again:
policy-weights-title = ⚖️ <b>Score weights</b>: points a lead earns for each factor (the total is capped at 10; at the threshold it becomes a deal)
policy-weight-line = • { $factor }: { $weight } points
policy-weight =
    Weight of { $factor }: now { $weight } points
    Use −/+; the change applies to leads captured or re-scored from now on.
policy-weight-need = Clear need
policy-weight-authority = Decision maker
policy-weight-budget = Budget
policy-weight-timeline = Timeline
policy-weight-industry = Industry fit
policy-weight-engagement = Came in warm
pool-line-score = {" · "}score { $score }/10
pool-line-recycled = {" · "}♻️ recycled

## A command's words as a search of the person's deals (handlers/deal_search.py)
deal-search-found = 🔎 "{ $query }": { $count ->
    [one] { $count } deal
   *[other] { $count } deals
    } found, tap one:
deal-search-none = No deal matches "{ $query }". Try part of a company name, a contact, or the last 4 digits of a phone.
