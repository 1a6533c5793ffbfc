## After-sales (issue 13): service tickets (/ticket, /tickets) and satisfaction surveys

cmd-ticket = New service ticket
cmd-customer = Customer card (deals, quotes, tickets, scores)
cmd-tickets = Service tickets

ticket-category-fault = Fault
ticket-category-question = Question
ticket-category-complaint = Complaint
ticket-category-change = Change request
ticket-priority-p1 = P1 urgent
ticket-priority-p2 = P2 high
ticket-priority-p3 = P3 normal
ticket-priority-any = any priority
ticket-priority-any-short = All
ticket-status-new = New
ticket-status-in_progress = In progress
ticket-status-waiting = Waiting for customer
ticket-status-resolved = Resolved
ticket-status-closed = Closed
ticket-scope-mine = Mine
ticket-scope-team = Team
ticket-filter-open = Open
ticket-filter-waiting = Waiting
ticket-filter-risk = ⚠️ At risk
ticket-filter-done = Resolved
ticket-filter-all = All
ticket-late-100 = is overdue
ticket-late-200 = is overdue twice over, still not handled

## /ticket
ticket-new-head = 🛠 <b>New service ticket</b> · { $company }
ticket-new-head-empty = 🛠 <b>New service ticket</b>
ticket-said-description = Problem: { $description }
ticket-btn-keep = Keep it ➡️
ticket-ask-customer = Which customer is it? Tap one below or send the customer's name.
ticket-expect-customer = Tap a customer, or send the customer's name as text.
ticket-ask-category = What kind of issue is it?
ticket-ask-priority =
    How urgent is it?
    P1 urgent: answer within 1 working hour, resolve within 1 working day
    P2 high: answer within 4 working hours, resolve within 3 working days
    P3 normal: answer within 1 working day, resolve within 7 working days
ticket-ask-description = Describe the customer's problem: type it, send a photo (with a caption) or a voice note.
ticket-expect-description = Please send text, a photo or a voice note describing the problem.
ticket-description-photo = (see the photo)
ticket-description-voice = (see the voice note)
ticket-created = ✅ Ticket { $number } created, owner: { $owner }. Its time limits now run in working time.

## the list and the card
ticket-list-head = 🛠 <b>Service tickets</b> · { $scope } · { $what } · { $priority }
ticket-list-empty = No tickets here. Open one with /ticket.
ticket-line = { $icon } { $number } { $company } · { $category } · { $status }
ticket-card-head = { $icon } <b>{ $number }</b> · { $company } · { $priority } · { $category }
ticket-card-status = Status: { $status } · Owner: { $owner } · Opened by: { $opener }
ticket-card-contact = Contact: { $contact }
ticket-card-description = Problem: { $text }
ticket-card-media-photo = 📎 Photo attached
ticket-card-media-voice = 📎 Voice note attached
ticket-card-response-due = ⏱ First response due: { $due }
ticket-card-resolve-due = ⏱ Resolution due: { $due }
ticket-card-paused = ⏸ Waiting for the customer, the clock is paused ({ $left } of working time left)
ticket-card-late = 🚨 Past its time limit
ticket-card-at-risk = ⚠️ Its time limit is close
ticket-card-scores = ⭐ Satisfaction: { $scores }
ticket-card-history = <b>History</b>
ticket-duration = { $hours } h { $minutes } min
ticket-history-ticket-created = opened the ticket
ticket-history-ticket-started = started work
ticket-history-ticket-waiting = set it to waiting for the customer
ticket-history-ticket-resumed = customer answered, work goes on
ticket-history-ticket-resolved = marked it resolved
ticket-history-ticket-closed = closed it
ticket-history-ticket-reopened = reopened it
ticket-history-ticket-sla-response-2 = ⏰ first response overdue, manager told
ticket-history-ticket-sla-response-3 = ⏰ first response overdue twice over, manager told again
ticket-history-ticket-sla-resolve-2 = ⏰ resolution overdue, manager told
ticket-history-ticket-sla-resolve-3 = ⏰ resolution overdue twice over, manager told again
ticket-history-survey-answered = ⭐ customer's rating
ticket-history-survey-phone = ☎️ score given on the phone
ticket-btn-start = ▶️ Start
ticket-btn-wait = ⏸ Wait for customer
ticket-btn-resume = ▶️ Customer answered
ticket-btn-resolve = ✅ Resolved
ticket-btn-close = 🔒 Close
ticket-btn-reopen = ↩️ Reopen
ticket-btn-link = 🔗 Survey link
ticket-btn-phone = ☎️ Phone score
ticket-btn-refresh = 🔄 Refresh
ticket-btn-list = 🛠 Tickets
ticket-btn-open = Open ticket
ticket-btn-follow = 🛠 Open follow-up
ticket-done-start = ▶️ { $number } in progress, first response recorded.
ticket-done-wait = ⏸ { $number } waits for the customer; the resolution clock is paused.
ticket-done-resume = ▶️ { $number } back in progress; the resolution clock runs on.
ticket-done-resolve = ✅ { $number } resolved.
ticket-done-close = 🔒 { $number } closed.
ticket-done-reopen = ↩️ { $number } reopened.
ticket-ask-phone-score = ☎️ What score did the customer give on the phone? (1 worst, 5 best)
ticket-phone-recorded = ☎️ Phone score recorded: { $score }/5
ticket-follow-up-opened = 🛠 Follow-up ticket opened; its owner has been told.
ticket-survey-link =
    🔗 Forward this link to the customer and ask them to rate the service:
    { $link }
    It is valid for { $days ->
        [one] { $days } day
       *[other] { $days } days
    } and works once. If the customer tells you a score on the phone, tap ☎️ Phone score.

## notices
ticket-assigned =
    🛠 New service ticket <b>{ $number }</b> for you
    Customer: { $company } · { $priority } · { $category }
    Opened by: { $opener }
    Contact the customer soon and tap "Start" to record the first response.
ticket-response-due =
    ⏰ Ticket <b>{ $number }</b> ({ $company } · { $priority } · { $category }) has no response yet
    First response due: { $due }
    Contact the customer and tap "Start" before it is late.
ticket-resolve-due =
    ⏰ Ticket <b>{ $number }</b> ({ $company } · { $priority } · { $category }) is close to its resolution limit
    Resolution due: { $due }
    Tap "Resolved" once it is fixed; if you are waiting for the customer, tap "Wait for customer" to pause the clock.
ticket-response-late =
    🚨 Ticket <b>{ $number }</b>: first response { $late }
    Customer: { $company } · { $priority } · { $category }
    Owner: { $owner } · Due: { $due }
    Please check with the owner or reassign it.
ticket-resolve-late =
    🚨 Ticket <b>{ $number }</b>: resolution { $late }
    Customer: { $company } · { $priority } · { $category }
    Owner: { $owner } · Due: { $due }
    Please check with the owner or reassign it.
ticket-resolved-owner =
    ✅ Your ticket <b>{ $number }</b> ({ $company } · { $priority } · { $category }) was marked resolved by { $by }.
    Open it and tap "🔗 Survey link" to ask the customer for a rating.
survey-low-score =
    😟 Low satisfaction: <b>{ $score }/5</b> ({ $channel })
    Customer: { $company } · Ticket: { $number } · Owner: { $owner }
    The customer said: { $comment }
    Call them back soon; tap "Open follow-up" to track it.
survey-no-comment = (no comment)
survey-channel-link = rated online
survey-channel-phone = phone call

## the customer's side
survey-welcome =
    Hello, and thank you for your trust 🙏
    How satisfied are you with our recent service for "{ $company }"? Tap a score (1 worst, 5 best).
survey-ask-score = Tap a score (1 worst, 5 best).
survey-ask-comment = You gave { $score }, thank you! Anything you would like to tell us? Just type it; or tap "Send" to finish.
survey-ask-comment-low = You gave { $score }; we are sorry we let you down. Could you tell us what went wrong? Just type it and our manager will follow up personally; or tap "Send" to finish.
survey-btn-send = ✅ Send
survey-btn-rescore = ✏️ Change score
survey-thanks = 🙏 Thank you, we have your rating ({ $score }/5)! The link has been used; there is nothing else to do.
survey-expect-score = Please tap one of the scores above. This chat is only for rating our service.
survey-expect-comment = Please type your comment, or tap "Send". This chat is only for rating our service.

## errors
error-ticket-description = Please describe the customer's problem.
error-ticket-description-long = The description is too long: { $max } characters at most.
error-ticket-company = The customer's name takes 1–{ $max } characters.
error-ticket-note-long = A note takes { $max } characters at most.
error-ticket-not-found = This ticket cannot be found.
error-ticket-not-yours = This ticket is not yours.
error-ticket-role = You may not work on service tickets.
error-ticket-team-role = Only managers and admins see the whole team's tickets.
error-ticket-moved = This ticket has moved on meanwhile; refresh to see where it stands.
error-ticket-in_progress-not-now = This ticket cannot go back to in progress now; refresh to see where it stands.
error-ticket-reopen-late = A ticket resolved more than { $days ->
    [one] { $days } day
   *[other] { $days } days
    } ago cannot be reopened; please open a new one.
error-survey-score = A score is from 1 to 5.
error-survey-comment-long = The comment is too long: { $max } characters at most.
error-survey-not-resolved = Ask the customer for a rating once the ticket is resolved.
error-survey-member = This rating link is for your customer: forward it to them, no need to open it yourself.
error-survey-link = This rating link is not valid. Please ask your sales contact for a new one.
error-survey-used = This rating link has been used already. Thank you for your feedback!
error-survey-expired = This rating link has expired. Please ask your sales contact for a new one.
error-survey-follow-up-role = Only managers and admins open follow-up tickets.
error-survey-follow-up-done = The follow-up ticket is open already.

webhook-event-ticket-created = New service ticket
webhook-event-ticket-resolved = Ticket resolved

# --- wire-ups: the deal card's ticket button, the after-sales rules in /policy
ticket-btn-deal = 🛠 Ticket
policy-btn-service = 🛠 After-sales
policy-service-card =
    🛠 <b>After-sales rules</b>
    New tickets go to: { $rule }
    Service person: { $person }
    Limits (working time, first response / resolution):
    P1 urgent: { $p1 }
    P2 normal: { $p2 }
    P3 low: { $p3 }
    Survey links stay valid for { $days ->
        [one] { $days } day
       *[other] { $days } days
    }
    Renewal nudge: { $renewal ->
        [one] { $renewal } day
       *[other] { $renewal } days
    } before
policy-service-sla = { $response } h / { $resolve } h
policy-service-nobody = not set
policy-service-rule-deal_owner = the deal's owner (the service person when there is no deal)
policy-service-rule-service = always the service person
policy-btn-service-rule-deal_owner = 🔀 Switch to: deal owner
policy-btn-service-rule-service = 🔀 Switch to: service person
policy-btn-service-person = 🧑‍🔧 Service person
policy-btn-service-nobody = Nobody
policy-service-choose-person = Who is your service person? With "always the service person" every new ticket goes to them; tickets without a deal go to them too.
policy-btn-service-p1_response = P1 response
policy-btn-service-p2_response = P2 response
policy-btn-service-p3_response = P3 response
policy-btn-service-p1_resolve = P1 resolve
policy-btn-service-p2_resolve = P2 resolve
policy-btn-service-p3_resolve = P3 resolve
policy-btn-service-survey_days = 🔗 Link validity
policy-service-name-p1_response = P1 first-response limit
policy-service-name-p2_response = P2 first-response limit
policy-service-name-p3_response = P3 first-response limit
policy-service-name-p1_resolve = P1 resolution limit
policy-service-name-p2_resolve = P2 resolution limit
policy-service-name-p3_resolve = P3 resolution limit
policy-service-name-survey_days = Survey link validity
policy-service-unit-hours = { $value } working hours
policy-service-unit-days = { $value ->
    [one] { $value } day
   *[other] { $value } days
    }
error-service-person = That person is not an active member of your team; pick someone else.
error-service-person-needed = To send every ticket to the service person, pick a service person first.
error-service-sla = A limit must be between { $min } and { $max } working hours.
error-service-sla-order = The { $priority } first-response limit cannot be longer than its resolution limit.
error-service-survey-days = A link must stay valid between { $min } and { $max ->
    [one] { $max } day
   *[other] { $max } days
    }.

# --- delivery checklists
delivery-item-kickoff = Kick-off call
delivery-item-install = Installation
delivery-item-training = Training
delivery-item-acceptance = Acceptance sign-off
delivery-item-custom = Delivery item
delivery-head = 📦 <b>Delivery checklist</b> · { $company }
delivery-line = { $mark } { $n }. { $name } — { $owner } · { $state } { $due }
delivery-state-done = done
delivery-state-due = due
delivery-hint = Tap an item to tick it off or hand it to a colleague; once the customer signs the acceptance, the deal moves on to after-sales.
delivery-signed = ✍️ The customer signed the acceptance: delivery is done and the deal is in after-sales.
delivery-item-card =
    📦 { $company } · <b>{ $name }</b>
    Owner: { $owner }
    { $state } { $due }
delivery-item-done = Done ({ $at }) · due
delivery-item-document = 📎 Signed acceptance attached
delivery-btn-card = 📦 Delivery
delivery-btn-open = 📦 Open the checklist
delivery-btn-deal = ⬅️ Back to the deal
delivery-btn-back = ⬅️ Back to the checklist
delivery-btn-done = ✅ Done
delivery-btn-sign = ✍️ Sign off acceptance
delivery-btn-owner = 👤 Change owner
delivery-btn-link = 🔗 Survey link
delivery-btn-no-document = No paper form: sign off
delivery-ask-owner = Who should own “{ $name }”? They are told now and nudged when it is due.
delivery-ask-document = ✍️ <b>{ $company }</b> acceptance: send a photo or a file of the signed form, or tap the button if there is no paper form.
delivery-expect-document = Please send a photo or a file of the signed form, or tap “No paper form: sign off”.
delivery-done-item = ✅ “{ $name }” is done.
delivery-done-signed = ✍️ { $company } signed the acceptance: delivery is done and the deal is in after-sales.
delivery-survey-link =
    🔗 Delivery is done. Forward this link to the customer and ask them to rate it:
    { $link }
    It is valid for { $days ->
        [one] { $days } day
       *[other] { $days } days
    } and works once.
delivery-agenda =
    {""}

    📦 { $count ->
        [one] { $count } delivery item
       *[other] { $count } delivery items
    }: { $items }
delivery-agenda-line = { $company } · { $item } (due { $due }{ $late })
delivery-agenda-late = , overdue
delivery-item-assigned =
    📦 { $by } gave you the delivery item “{ $item }” for { $company }, due { $due }.
    Tick it off in the checklist when it is done.
delivery-item-due =
    ⏰ The delivery item “{ $item }” for { $company } is due today ({ $due }).
    Tick it off in the checklist when it is done; if it slips, tell the customer and your manager first.
delivery-item-overdue =
    ⚠️ The delivery item “{ $item }” for { $company } is overdue (due { $due }); owner: { $owner }.
    Please check where it is stuck.
delivery-accepted-owner =
    ✍️ { $by } signed off the acceptance for { $company }: delivery is done and the deal is in after-sales.
    Tap below for the survey link to forward to the customer.
error-delivery-none = This deal has no delivery checklist yet (it opens when the deal reaches delivery).
error-delivery-not-yours = This checklist is not yours to work.
error-delivery-sign-instead = Acceptance is signed with “Sign off acceptance”, with the signed form if there is one.
error-delivery-done-already = That item is done already.
error-delivery-owner = That person is not an active member of your team.
error-delivery-owner-same = They own it already.
error-delivery-not-acceptance = This item is not the acceptance sign-off.
error-delivery-sign-role = The deal's owner or a manager signs off the acceptance.
error-delivery-signed-already = The acceptance is signed already.
error-delivery-not-signed = The customer has not signed the acceptance yet.
error-delivery-template-role = Only a manager changes the checklist template.
error-delivery-template = A checklist has 1 to { $max } items, exactly one of them the acceptance sign-off.
error-delivery-item-name = An item needs a name of at most { $max } characters.
error-delivery-days = An item is due within 0 to { $max } working days.
policy-btn-service-renewal_days = 🔁 Renewal nudge
policy-service-name-renewal_days = Days before a renewal to nudge
error-service-renewal-days = The renewal nudge comes { $min } to { $max ->
    [one] { $max } day
   *[other] { $max } days
    } before.

# --- the second sale
renewal-btn-card = 🔁 Renewal
renewal-btn-year = 📅 In a year
renewal-btn-reopen = ➕ Open the renewal deal
renewal-none = No renewal date yet.
renewal-now = Renewal date now: { $on }.
renewal-ask =
    🔁 Renewal or repurchase date for <b>{ $company }</b>
    { $now }
    Tap “In a year”, or send a date such as 2027-11-26. The owner is nudged { $days ->
        [one] { $days } day
       *[other] { $days } days
    } before.
renewal-expect = Please send a date such as 2027-11-26, or tap “In a year”.
renewal-done = 🔁 Renewal date set to { $on }; you will be nudged { $days ->
    [one] { $days } day
   *[other] { $days } days
    } before.
renewal-opened = ➕ A renewal deal is open for this existing customer (source: existing customer), linked to the old deal.
renewal-due =
    🔁 { $company } is up for renewal or repurchase on { $on }, in { $days ->
        [one] { $days } day
       *[other] { $days } days
    }.
    A good time to call them: tap below to open the renewal deal in one tap.
error-renewal-date = That is not a date; please send one like 2027-11-26.
error-renewal-date-range = A renewal date lies after today and within { $years } years.
error-renewal-not-won = Only a won deal (or one in after-sales) gets a renewal date.
error-renewal-not-yours = Only the deal's owner or a manager sets its renewal.
error-renewal-unchanged = That is the renewal date already.
error-renewal-opened = A deal was opened from this renewal already.
error-renewal-none = That renewal was not found.

# --- the customer card
customer-ask = Send /customer with a company, contact or phone, e.g. /customer Acme
customer-head = 👥 <b>{ $company }</b> customer card
customer-deals = {""}
    💼 { $count ->
        [one] { $count } deal
       *[other] { $count } deals
    }:
customer-quotes = {""}
    📄 { $count ->
        [one] { $count } quote
       *[other] { $count } quotes
    }:
customer-tickets = {""}
    🛠 { $count ->
        [one] { $count } service ticket
       *[other] { $count } service tickets
    }:
customer-no-scores = {""}
    ⭐ No satisfaction scores yet.
customer-scores = {""}
    ⭐ Satisfaction { $average } on average ({ $scores })
customer-contracts = {""}
    💰 { $count ->
        [one] { $count } contract
       *[other] { $count } contracts
    }, { $outstanding } outstanding in all:
customer-no-contracts = {""}
    💰 No contracts yet.
customer-contract-line = { $number } · { $status } · contract { $amount } · paid { $paid } · outstanding { $outstanding }
customer-contract-next = {""}
    {"  "}Next: { $position }. { $label } { $amount }, due { $due }
error-customer-none = No such customer; try another company name, contact or phone.

## Cross-team help: a question to a colleague

assist-btn-ask = 🤝 Ask a colleague
assist-btn-open = 🔎 Open question
assist-btn-accept = ✋ Accept
assist-btn-answer = ✍️ Answer
assist-btn-withdraw = ↩️ Withdraw
assist-about-ticket = ticket { $number }
assist-about-deal = deal “{ $deal }”
assist-deadline-2h = 2 working hours
assist-deadline-today = Today
assist-deadline-tomorrow = Tomorrow
assist-deadline-3d = 3 working days
assist-new-head = 🤝 Ask a colleague · { $company }
assist-new-helper = Asking: { $helper }
assist-new-question = Question: { $question }
assist-ask-helper = Whom do you want to ask? Tap a name, or type one to find anyone in the team.
assist-ask-question = Type the question (the customer's situation, what you need to know):
assist-ask-deadline = By when do you need the answer? (working time)
assist-ask-answer = Type your answer: it goes to your colleague and onto the ticket or deal.
assist-expect-helper = Tap a colleague's name, or type it.
assist-expect-question = Please type the question as text.
assist-expect-deadline = Tap one of the deadlines.
assist-expect-answer = Please type your answer as text.
assist-sent = ✅ Sent to { $helper }, answer due { $due }. They get a reminder before it; you hear if it runs late.
assist-answered-note = ✅ Your answer went to { $asker } and is on the record.
assist-accepted-note = ✋ Accepted; { $asker } has been told. Tap Answer when you have it.
assist-withdrawn-note = ↩️ Question withdrawn; your colleague has been told not to answer.
assist-card-head = 🤝 Question · { $company } · { $about }
assist-card-people = From { $asker } to { $helper }
assist-card-question = Question: { $question }
assist-card-due = Answer due: { $due }
assist-state-asked = Status: waiting to be accepted or answered
assist-state-accepted = Status: accepted, waiting for the answer
assist-state-answered = Status: answered
assist-state-withdrawn = Status: withdrawn
assist-card-answer = 💬 Answer ({ $at }): { $answer }
assist-card-waiting = 🤝 Waiting for { $helper }'s answer (by { $due })
assist-btn-waiting = 🤝 To { $helper }
assist-card-subject-closed = The ticket or deal is closed: no answer is needed any more.
assist-asked =
    🤝 { $asker } needs your help: { $company } · { $about }
    Question: { $question }
    Please answer by { $due }. Tap Accept to let them know you are on it, then Answer.
assist-accepted =
    ✋ { $helper } accepted your question ({ $company } · { $about })
    Question: { $question }
    You will get the answer as soon as it comes.
assist-answered =
    💬 { $helper } answered your question ({ $company } · { $about })
    Question: { $question }
    Answer: { $answer }
    It is on the record; you can get back to the customer.
assist-withdrawn =
    ↩️ { $asker } withdrew their question ({ $company } · { $about })
    Question: { $question }
    No answer needed — thank you!
assist-due =
    ⏰ { $asker }'s question is nearly due ({ $company } · { $about })
    Question: { $question }
    Please answer by { $due }.
assist-overdue =
    ⚠️ Your question to { $helper } is past its deadline ({ $due })
    { $company } · { $about }
    Question: { $question }
    Talk to them directly, or withdraw it and ask someone else.
assist-agenda =
    {""}

    🤝 { $count ->
        [one] { $count } question from colleagues
       *[other] { $count } questions from colleagues
    }: { $items }
assist-agenda-line = { $company } · from { $asker } (due { $due }{ $late })
ticket-history-assist-asked = 🤝 asked a colleague
ticket-history-assist-answered = 💬 answered a colleague's question
error-assist-question = The question is empty: type what you want to ask.
error-assist-question-long = The question is too long: { $max } characters at most.
error-assist-answer = The answer is empty.
error-assist-answer-long = The answer is too long: { $max } characters at most.
error-assist-helper = You can only ask an active member of your team.
error-assist-helper-self = You cannot ask yourself: pick a colleague.
error-assist-not-yours = Only the owner or a manager can do that.
error-assist-subject-closed = The ticket or deal is closed: no need to ask any more.
error-assist-not-found = That question was not found.
error-assist-not-asked = That question was not asked of you.
error-assist-withdrawn = Your colleague withdrew that question: no answer needed.
error-assist-answered-already = That question has been answered already.
error-assist-accepted-already = You accepted it already; tap Answer when you have it.
error-assist-closed-already = That question was answered or withdrawn already.
error-assist-no-helpers = There is nobody else in your team to ask yet.
error-assist-helper-unknown = Nobody called “{ $name }” in your team. Try another spelling, or tap a name below.
error-assist-helper-several = Several colleagues match: { $names }. Type more of the name.

## The delivery checklist template (/policy → 📦 Checklist template)

checklist-tpl-btn-policy = 📦 Checklist template
checklist-tpl-head = 📦 Delivery checklist template (a deal entering delivery gets its checklist from it)
checklist-tpl-line = { $n }. { $name } · due on working day { $days } · owner: { $owner }
checklist-tpl-hint = Tap a line to move it up or down, change its owner or remove it; checklists already started stay as they are.
checklist-tpl-owner-deal = the deal's owner
checklist-tpl-btn-add = ➕ Add a line
checklist-tpl-btn-up = ⬆️ Up
checklist-tpl-btn-down = ⬇️ Down
checklist-tpl-btn-owner = 👤 Owner
checklist-tpl-btn-remove = 🗑 Remove
checklist-tpl-moved = ✅ Moved.
checklist-tpl-removed = ✅ Line removed.
checklist-tpl-owner-set = ✅ Owner changed.
checklist-tpl-added = ✅ Added: new checklists will have it.
checklist-tpl-days = working day { $days }
checklist-tpl-new-head = ➕ New checklist line
checklist-tpl-new-name = Line: { $name }
checklist-tpl-ask-name = What is it called? (e.g. Data migration)
checklist-tpl-ask-days = Due on which working day after delivery starts? Tap one or type a number.
checklist-tpl-ask-owner = Who owns it by default?
checklist-tpl-expect-name = Please type the line's name.
checklist-tpl-expect-days = Tap a day or type a number from 0 to 120.
checklist-tpl-expect-owner = Tap an owner.
error-delivery-template-stale = The template has just changed; here it is as it stands now, please tap again.
error-delivery-template-edge = It is already at the end: it cannot move further.
error-delivery-template-keep-acceptance = The acceptance sign-off closes delivery: it cannot be removed.
