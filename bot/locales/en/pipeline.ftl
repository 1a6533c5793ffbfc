## Pipeline services: hand-off cards, announcements, alerts, recycling (domain/services/leads.py, deals.py)

list-separator = {", "}
list-empty = none

stage-qualified = Qualified
stage-following_up = Following up
stage-proposal = Proposal / quote
stage-contract = Contract
stage-payment = Payment
stage-delivery = Delivery
stage-after_sales = After-sales
stage-won = Won
stage-lost = Lost

source-website = Website
source-event = Event
source-referral = Referral
source-cold_call = Cold call
source-advertising = Advertising
source-partner = Partner
source-existing = Existing customer
source-other = Other

score-reason-need = clear need +{ $points }
score-reason-authority = decision maker +{ $points }
score-reason-budget = budget +{ $points }
score-reason-timeline = timeline +{ $points }
score-reason-industry = industry fit +{ $points }
score-reason-engagement = came in warm +{ $points }

pipeline-need-voice = 🎤 voice note (you can listen to it once you accept)

## The hand-off card and its buttons

handoff-card =
    📥 <b>A new opportunity for you</b>
    Customer: { $company } (contact: { $contact })
    Source: { $source }
    Score: { $score }/10 ({ $reasons })
    Need: { $need }

    Please answer by <b>{ $deadline }</b> ({ $minutes } working minutes).
    Tap Accept and it is yours to follow up; if you can't take it, tap Decline and say why, and I'll pass it to the next colleague at once.
    If nobody answers by then, your manager is told and it moves on to the next colleague.
handoff-card-reassigned =
    📥 <b>{ $by } reassigned an opportunity to you</b>
    Reason: { $reason }
    Customer: { $company } (contact: { $contact })
    Source: { $source }
    Score: { $score }/10 ({ $reasons })
    Need: { $need }

    Please answer by <b>{ $deadline }</b> ({ $minutes } working minutes).
    Tap Accept and it is yours to follow up; if you can't take it, tap Decline and say why.
handoff-btn-accept = ✅ Accept
handoff-btn-decline = 🙅 Decline

decline-reason-busy = Too many customers right now
decline-reason-territory = Not my region or industry
decline-reason-conflict = Conflicts with a customer of mine
decline-reason-unfamiliar = I don't know this product or need well
handoff-btn-other-reason = ✍️ Another reason (type it)

handoff-accepted-done =
    ✅ Done: { $company } is yours now.
    Next: send /deals to open it, contact the customer soon and log how it went.
handoff-decline-ask =
    🙅 Declining { $company } needs a reason; your manager will see it.
    Pick one, or tap "Another reason" to type your own:
handoff-decline-type = ✍️ Send one line saying why you can't take { $company }:
handoff-decline-expect-text = Please send the reason as text, or tap Cancel to keep the hand-off open.
handoff-decline-cancelled = OK, not declined. The Accept button on the card still works until the deadline.
handoff-declined-done =
    👌 Declined { $company }; your manager has your reason.
    It goes to the next colleague by the team's rules; nothing more to do for you.

## Who else hears about a hand-off

pipeline-group-assigned = 📣 New opportunity { $company } ({ $score }/10) assigned to { $assignee }, waiting for acceptance until { $deadline }.
pipeline-group-accepted = 🤝 { $assignee } accepted { $company } and is following it up.
pipeline-group-won = 🎉 { $owner } won { $company }! Congratulations 👍
pipeline-group-claimed = 🙋 { $rep } claimed { $company } from the pool.
handoff-accepted-notice =
    ✅ { $assignee } accepted { $company } and follows it up from now on.
    Nothing to do for you; send /deals to see how it goes.
handoff-taken-over =
    🔁 { $assignee } has taken over { $company }; you are no longer its owner.
    Please hand over anything they need directly.
handoff-reassigned-old =
    🔁 { $manager } reassigned { $company } to { $assignee }. Reason: { $reason }.
    { $owner ->
        [yes] You stay the owner until { $assignee } accepts, so please keep following it up.
       *[other] The hand-off you were asked to accept is cancelled; nothing to do for you.
    }

pipeline-pool-manager =
    🌊 New opportunity { $company } ({ $score }/10: { $reasons }) went to the pool and has no owner.
    Why: { $why }
    Next: send /pool to see it, or reassign it to a rep from /deals.
pool-why-manual = the team assigns by hand (manual policy)
pool-why-nobody = no rep can take it right now (none reachable or all excluded)
pool-why-declined = every available rep declined it
pool-why-expired = no available rep accepted it in time

handoff-next-rep = It went on to { $name }, who now has to accept it.
handoff-next-kept = Nobody else is available, so it stays with its owner { $name }.
handoff-next-pool = Nobody else is available, so it went to the pool: send /pool, or reassign it to a rep.

handoff-declined-manager =
    🙅 { $assignee } declined { $company }.
    Reason: { $reason }
    { $outcome }
handoff-expired-manager =
    ⏰ { $assignee } did not accept { $company } ({ $score }/10) by { $deadline }.
    { $outcome }
    To step in, open it from /deals and reassign it.
handoff-expired-assignee =
    ⏰ The deadline to accept { $company } ({ $deadline }) has passed; it went to a colleague and your manager was told.
    Next time, please tap Accept or Decline before the deadline.

## Recycling, notes, stage changes

recycle-old-owner =
    ♻️ { $company } had no follow-up for { $days ->
        [one] { $days } day
       *[other] { $days } days
    }, so by the team's rules it went back to the pool.
    You can't claim it again for { $cooloff ->
        [one] { $cooloff } day
       *[other] { $cooloff } days
    }. Remember to log your follow-ups.
recycle-manager =
    ♻️ { $owner }'s opportunity { $company } had no follow-up for { $days ->
        [one] { $days } day
       *[other] { $days } days
    } and went back to the pool.
    Next: send /pool to see it, or reassign it from /deals.
pipeline-note-added =
    📝 { $actor } added a note to { $company }:
    { $note }
    You own it: see whether it needs follow-up (send /deals to open it).
pipeline-stage-changed =
    📌 { $actor } moved { $company } from { $from_stage } to { $stage }.
    You are still the owner; send /deals for details.

## Errors of the pipeline services

error-lead-role = Only reps, managers and admins can capture leads.
error-lead-company = Please give the company name (1 to { $max } characters).
error-lead-too-long = { $field ->
        [need] The need
        [contact_name] The contact name
        [budget_note] The budget note
        [industry] The industry
        [region] The region
        [product] The product
       *[other] This field
    } is too long: at most { $max } characters, please shorten it.
error-lead-field = { $field ->
        [source] The source
        [budget] The budget
        [authority] The decision maker
        [timeline] The timeline
       *[other] This field
    } has an unknown value; please use the buttons.
error-lead-contact-phone = The contact's name can't be a phone number; the number goes in the phone.
error-lead-reach = Please give a phone number or an e-mail (at least one), so the customer can be reached.
error-lead-not-found = That lead can't be found any more.
error-lead-not-yours = You didn't capture this lead and don't own it, so you can't change it.
error-lead-duplicate = Your team already has a record with this phone, e-mail or company. Look at it first: add a note there, or confirm that this is a new lead before saving.
error-note-text = A note needs 1 to { $max } characters; please send it again.
error-note-kind = Notes go on a lead or an opportunity.
error-deal-not-found = That opportunity can't be found; it may have been removed or merged.
error-deal-not-yours = This opportunity isn't yours, so you can't open or change it.
error-deal-read-only = You brought this deal in, so you can follow its progress but not act on it; its owner does that.
error-deals-scope = Reps see their own opportunities; the whole team's list is for managers.
error-lost-note = The lost note can be at most { $max } characters; please shorten it.
error-handoff-not-found = That hand-off request can't be found.
error-handoff-not-yours = This hand-off was sent to someone else; you can't answer it for them.
error-handoff-done = This hand-off has already been handled (accepted, declined, expired or reassigned); no need to tap again 👌
error-decline-reason = Declining needs a reason: pick one or write a line.
error-decline-reason-long = The reason can be at most { $max } characters; please shorten it.
error-reassign-role = Only managers and admins can reassign opportunities.
error-reassign-reason = Reassigning needs a reason; both reps will see it.
error-reassign-target = You can only reassign to an active rep of the same team.
error-reassign-same = This opportunity is already with (or waiting for) that rep.
error-pool-reps-only = Only reps claim from the pool; managers reassign instead.
error-pool-taken = Someone was a moment faster: this one is taken (or no longer in the pool). Have a look at the others.
error-pool-limit = You already have { $limit } open opportunities claimed from the pool; move those forward before claiming more.
error-pool-cooloff = This one was just recycled from you for lack of follow-up; you can't claim it for { $days ->
    [one] { $days } day
   *[other] { $days } days
    }.
error-policy-role = Only a manager of this team or an admin can change the team's rules.
error-policy-field = Unknown setting: { $field }.
error-policy-value = The value for { $field ->
        [threshold] the score threshold
        [handoff_minutes] the hand-off time (working minutes)
        [recycle_days] the recycle days
        [pool_claim_limit] the pool claim limit
        [cooloff_days] the cool-off days
        [assignment] the assignment policy
        [allow_self_assign] self-assignment
        [weights] the score weights
        [industries] the industry list
        [lost_reasons] the lost reasons
        [need] the need weight
        [authority] the decision-maker weight
        [budget] the budget weight
        [timeline] the timeline weight
        [industry] the industry weight
        [engagement] the engagement weight
       *[other] { $field }
    } isn't valid; please set it again.
error-policy-range = { $field ->
        [threshold] The score threshold
        [handoff_minutes] The hand-off time (working minutes)
        [recycle_days] The recycle days
        [pool_claim_limit] The pool claim limit
        [cooloff_days] The cool-off days
        [assignment] The assignment policy
        [allow_self_assign] Self-assignment
        [weights] The score weights
        [industries] The industry list
        [lost_reasons] The lost reasons
        [need] The need weight
        [authority] The decision-maker weight
        [budget] The budget weight
        [timeline] The timeline weight
        [industry] The industry weight
        [engagement] The engagement weight
       *[other] { $field }
    } must be between { $min } and { $max }; please enter it again.
error-policy-list = { $field ->
        [threshold] The score threshold
        [handoff_minutes] The hand-off time (working minutes)
        [recycle_days] The recycle days
        [pool_claim_limit] The pool claim limit
        [cooloff_days] The cool-off days
        [assignment] The assignment policy
        [allow_self_assign] Self-assignment
        [weights] The score weights
        [industries] The industry list
        [lost_reasons] The lost reasons
        [need] The need weight
        [authority] The decision-maker weight
        [budget] The budget weight
        [timeline] The timeline weight
        [industry] The industry weight
        [engagement] The engagement weight
       *[other] { $field }
    } needs at least 1 and at most { $max } entries.
error-policy-unchanged = That setting already has this value; nothing changed.
error-skills-not-rep = Region, industry and product skills are set for reps only.
error-skills-kind = A skill is a region, an industry or a product.
error-skills-values = Each skill can be at most 64 characters, and at most { $max } of them; please check and send again.
