## Follow-up: nudges, escalations, silence alerts, the morning agenda (domain/services/followup.py)

activity-kind-call = Call
activity-kind-visit = Visit
activity-kind-message = Message
activity-kind-email = E-mail
activity-kind-meeting = Meeting
activity-kind-note = Note

activity-outcome-reached = reached
activity-outcome-no_answer = no answer
activity-outcome-interested = interested
activity-outcome-needs_proposal = needs a proposal
activity-outcome-not_interested = not interested
activity-outcome-call_back = asked to call back
followup-outcome-none = no outcome

followup-step-none = no next step yet
followup-step-at = { $step } ({ $due })
followup-step-unnamed = follow up with the customer

followup-last = { $at } { $kind }, { $outcome }: { $note }
followup-last-bare = { $at } { $kind }, { $outcome }
followup-last-none = nothing logged yet

followup-btn-log = 📝 Log now
followup-btn-lose = ❌ Mark lost

## The next step comes due

followup-nudge =
    📞 <b>Time to follow up with { $company }</b>
    This is the next step you planned, and it's due now: { $step }
    Contact: { $contact } · Stage: { $stage }
    Last time: { $last }

    When you've been in touch, tap "Log now" to note the outcome and the next step; busy now, tap 💤 for later; if they're not buying, tap "Mark lost".
    If it's still open by the end of the next working day, your manager will be told.

followup-escalated-manager =
    🚨 <b>{ $rep } hasn't acted on a follow-up</b>
    Customer: { $company }
    Planned step: { $step } (due { $due })
    { $rep } was reminded on { $nudged } and has neither logged anything nor snoozed it since.
    Next: ask { $rep } how it's going, or open the deal and reassign it.

followup-logged-by-other =
    📝 { $actor } logged a follow-up on your deal { $company }:
    { $kind }, { $outcome }: { $note }
    Next step: { $step }
    Open the deal below to see the whole timeline.

## Silence alerts

followup-stale-owner =
    🔕 <b>{ $company } has had no follow-up for { $days ->
        [one] { $days } day
       *[other] { $days } days
    }</b>
    Your team allows at most { $limit ->
        [one] { $limit } day
       *[other] { $limit } days
    } between contacts in { $stage }; the customer may be cooling off.
    Something to try: { $try }
    When you've been in touch, tap "Log now" with the outcome and the next step, and the clock starts again.
followup-no-step-owner =
    🗓 <b>{ $company } has no next step planned</b>
    Nothing has been planned for { $days ->
        [one] { $days } day
       *[other] { $days } days
    } ({ $stage } allows at most { $limit ->
        [one] { $limit } day
       *[other] { $limit } days
    } without contact).
    Something to try: { $try }
    Tap "Log now" and pick when to follow up next as the last step; I'll remind you then.
followup-stale-manager =
    🚨 <b>{ $rep }'s deal { $company } has had no follow-up for { $days ->
        [one] { $days } day
       *[other] { $days } days
    }</b>
    { $stage } allows { $limit ->
        [one] { $limit } day
       *[other] { $limit } days
    }; this is more than twice that, and { $rep } was reminded already.
    Next: ask { $rep } what's happening, or open the deal and reassign it. /stale lists the team's silent deals.

followup-try-restate_need = check the customer's needs and pain points again, in case they've changed
followup-try-ask_decider = ask who else takes part in the decision, and aim to meet the person who signs
followup-try-share_case = send a success story from the same industry
followup-try-limited_offer = make a limited-time offer to help them decide
followup-try-confirm_payment = confirm the payment date and process with the customer's finance team
followup-try-check_delivery = ask how delivery is going and whether anything needs sorting out
followup-try-ask_feedback = check in on how they're getting on and how satisfied they are
followup-try-ask_referral = ask whether they could introduce a peer who might need the same

## The morning agenda (extends digest-agenda)

followup-agenda = { $head }{ $overdue }{ $handoffs }{ $payments }{ $delivery }{ $assist }{ $next }
followup-agenda-head = ☀️ Good morning! Your follow-ups for today:
followup-agenda-overdue =
    {""}

    ⚠️ Overdue follow-ups ({ $count }):
    { $items }
followup-agenda-handoffs =
    {""}

    📥 Deals waiting for you to accept ({ $count }):
    { $items }
followup-agenda-next =
    {""}

    After each contact, tap "Log now" on its reminder or log it from /deals; accept hand-offs in /deals.

## Errors

error-followup-not-owner = Only the deal's owner or a manager of the team can log follow-ups on it.
error-followup-accept-first = This deal is still waiting for you to accept it: tap ✅ Accept on its hand-off card first, then log the follow-up.
error-followup-closed = This deal is closed (won or lost), so nothing more can be logged on it.
error-followup-kind = Pick how you were in touch: call, visit, message, e-mail, meeting or note.
error-followup-outcome = Pick an outcome, such as "reached" or "no answer".
error-followup-note = That note is too long: { $max } characters at most. Please shorten it.
error-followup-needs = That's too long for the customer's needs: { $max } characters at most.
error-followup-step = The next step is too long: { $max } characters at most, e.g. "send the proposal by Friday".
error-followup-empty-note = A note can't be empty: send some text or a voice note.
error-followup-due-past = That time for the next step has passed. Pick a later one, e.g. tomorrow or in 3 days.
error-followup-due-far = That's too far ahead for a next step: within a year, please.
error-followup-step-date = A next step needs a time, e.g. tomorrow, in 3 days, next Monday 10:00.
error-idle-stage = Idle limits can only be set for open stages (qualified to after-sales).
error-idle-days = An idle limit must be between { $min } and { $max ->
    [one] { $max } day
   *[other] { $max } days
    }.
error-stale-role = Only a manager or an admin can see the team's silent deals.
error-search-query = Tell me what to look for, e.g. /find Acme or /find 8001

## A manager's nudge from /stale

followup-ping-owner =
    👋 <b>{ $manager } asks you to follow up on { $company }</b>
    The deal is in { $stage } and has had no follow-up logged for { $days ->
        [one] { $days } day
       *[other] { $days } days
    }.
    Get in touch with the customer, then tap "Log now" with the outcome and the next step.
error-ping-no-owner = This deal has no owner right now (or it's closed), so there's nobody to remind.
error-ping-already = You've already reminded them today; check back tomorrow.
