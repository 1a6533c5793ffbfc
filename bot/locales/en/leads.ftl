## Leads: /lead, a shared contact card, quick capture, dedupe and the saved lead's card

cmd-lead = Capture a lead

lead-not-allowed = Capturing leads is for sales reps, sales managers and admins; your role can't use it.
lead-progress = 📋 New lead · step { $step } of { $total }
lead-current = Currently: { $value }

lead-ask-company = 🏢 What's the customer's company called?
lead-ask-contact = 👤 Who's the contact person? (e.g. John Smith, Ms Li)
lead-ask-phone =
    📞 What's their phone number?
    Just send the number, e.g. 13800138000, or with the country code: +44 20 7946 0958
    You can also share their contact card with me.
lead-ask-email = 📧 What's their email? e.g. john@example.com
lead-ask-email-required = 📧 Without a phone number we need an email, e.g. john@example.com
lead-ask-source = 📍 Where did this lead come from?
lead-ask-need = 📝 What does the customer need? Type it or just send a voice note.
lead-ask-budget = 💰 What about budget?
lead-ask-authority = 🧑‍💼 Is your contact the decision maker?
lead-ask-timeline = ⏱ When do they want to start?
lead-ask-industry = 🏭 Which industry are they in?

lead-btn-skip = Skip ⏭
lead-btn-next = Keep, next ➡️

lead-budget-known = Known
lead-budget-rough = Rough idea
lead-budget-unknown = Unknown

lead-budget-with-note = { $budget } ({ $note })

lead-authority-yes = Yes, decides
lead-authority-influencer = Influencer
lead-authority-no = No

lead-timeline-this_month = This month
lead-timeline-this_quarter = This quarter
lead-timeline-later = Later
lead-timeline-unknown = Not sure

lead-field-company = Company
lead-field-contact = Contact
lead-field-phone = Phone
lead-field-email = Email
lead-field-source = Source
lead-field-need = Need
lead-field-budget = Budget
lead-field-authority = Decision maker
lead-field-timeline = Timeline
lead-field-industry = Industry

lead-field-line = { $field }: { $value }
lead-empty = —
lead-voice-need = 🎤 voice note
lead-summary-title = 📋 <b>New lead, please check:</b>
lead-summary-missing = ⚠️ Still missing: { $fields }
lead-summary-hint = All good? Tap Save. To change something, tap that field.
lead-btn-confirm = ✅ Save
lead-btn-keep-myself-off = ⬜ I'll follow up myself
lead-btn-keep-myself-on = ☑️ I'll follow up myself
lead-btn-edit = ✏️ { $field }

lead-contact-card = 📇 Got the contact card: { $name } { $phone }
lead-quick-parsed = 👀 Here's what I picked up from your message:
lead-quick-ask = A few things are missing; fill them in and it's ready to save.

lead-bad-company = The company name should be 1 to 100 characters and not start with /. e.g. Acme Ltd
lead-bad-company-length = The company name should be 1 to { $max } characters and not start with /. e.g. Acme Ltd
lead-bad-contact = The contact's name should be 1 to 64 characters, e.g. John Smith
lead-bad-contact-phone = That's a phone number, not a name 🤔 What's the contact's name? e.g. John Smith, or tap Skip.
lead-contact-was-phone = 📞 { $phone } is saved as the phone. What's the contact's name? e.g. John Smith, or tap Skip.
lead-bad-phone =
    "{ $input }" doesn't look like a phone number 🤔
    Send a mobile number like 13800138000, or include the country code: +44 20 7946 0958
lead-bad-email =
    "{ $input }" doesn't look like an email address 🤔
    Send it like this: john@example.com
lead-bad-need = Please keep the need to { $max } characters at most.
lead-need-phone-or-email = We need a phone number or an email. Please send an email, e.g. john@example.com

lead-expect-company = Please type the customer's company name, e.g. Acme.
lead-expect-contact = Please type the contact's name, e.g. John Smith, or tap Skip.
lead-expect-phone = Please type the phone number, e.g. 13800138000, or share a contact card; tap Skip if there isn't one.
lead-expect-email = Please type the email address, e.g. john@example.com.
lead-expect-need = Please type what the customer needs or send a voice note; tap Skip if you don't know yet.
lead-expect-buttons = Just tap one of the buttons below, or Back / Cancel.
lead-expect-summary = Tap Save below, or the field you want to change.
lead-expect-note = Please type the note you want to add, or tap Back / Cancel.

lead-dup-title = ⚠️ Hold on, this customer seems to be on record already:
lead-dup-deal =
    { $n }. <b>{ $company }</b> (deal #{ $id }, { $matched })
       Owner: { $owner } · Stage: { $stage } · Last activity: { $last }
lead-dup-lead =
    { $n }. <b>{ $company }</b> (lead #{ $id }, { $matched })
       Captured by: { $creator } · Status: { $status } · Last activity: { $last }
lead-dup-other-team = { $n }. Exists, owned by team "{ $team }" ({ $matched })
lead-dup-hint = What would you like to do? The new lead hasn't been saved.
lead-dup-waiting = waiting for a colleague to accept
lead-status-new = new
lead-status-nurture = nurturing
lead-status-qualified = waiting for an owner
lead-status-converted = became a deal
lead-dup-matched-phone = same phone
lead-dup-matched-email = same email
lead-dup-matched-company = same company
lead-dup-no-owner = nobody (in the pool)
lead-dup-never = none yet
lead-dup-btn-note = 📝 Add a note to { $n }
lead-dup-btn-continue = ➡️ Continue { $n }
lead-dup-btn-new = ➕ Still a new lead at this company
lead-dup-yours-deal = "{ $company }" is your own deal (#{ $id }); just carry on there, /deals will find it. The new lead was not saved.
lead-dup-yours-lead = "{ $company }" is a lead you captured (#{ $id }), still being nurtured; add a note to it when you learn more. The new lead was not saved.
lead-dup-not-yours = You don't own this record, so you can't continue there; you can add a note to it.

lead-note-ask = 📝 What would you like to add to "{ $company }"? Just type it:
lead-note-saved = ✅ Note added to "{ $company }". The new lead was not saved as a duplicate.
lead-bad-note = A note should be 1 to { $max } characters; please send it again:

lead-saved = ✅ Lead saved: <b>{ $company }</b> (#{ $id })
lead-score = Score { $score }/10: { $reasons }
lead-score-plain = Score { $score }/10
lead-related = 🔗 Linked to the existing record at this company.

lead-outcome-nurture = 🌱 Not enough points yet: it goes to nurture. Add information later and it will be re-scored.
lead-outcome-handoff = 👉 Assigned to { $name }, waiting for them to accept.
lead-outcome-handoff-later = 🌙 Outside working hours: { $name } will get it at { $at } when work starts.
lead-outcome-owned = 💪 It's yours to follow up.
lead-outcome-pool = 🌊 It's in the public pool; the manager has been told.

lead-already-handled = This lead has already been taken care of, no need to tap again 👌
