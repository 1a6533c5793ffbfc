## Follow-up in chat: /log, the deal timeline, /find, /stale (handlers/followup_*.py)

cmd-log = Log a call or visit
cmd-stale = Silent and overdue deals (managers)
cmd-find = Search customers and deals

## /log

log-btn-card = 📞 Log follow-up
log-head = 📞 <b>Log follow-up</b> · { $deal }
log-ask-kind = How did you get in touch?
log-ask-outcome = How did it go?
log-ask-when =
    When is the next follow-up? Tap a time and it's saved; I'll remind you then.
    Or type it, e.g. fri 10am, 3 Dec, in 3 days.
    To add a note (text or voice), the customer's needs or what the next step is, tap those buttons first.
log-ask-when-lost =
    If they're not interested, tap "No next step" to save, then you can mark the deal lost.
    Still worth a try? Pick when to follow up, or type it, e.g. next monday 10am.
log-ask-date =
    Which day for the next follow-up? Just type it, for example:
    tomorrow 10am · fri · next monday 3pm · 12-03 · in 3 days
log-ask-note = What did you talk about? Send some text, or just a voice note.
log-ask-needs = What needs or pain points did the customer mention? E.g. approvals on mobile, budget under 200k.
log-ask-step = What's the next step? E.g. send the proposal, meet the boss, ship samples.

log-btn-when-tomorrow = Tomorrow
log-btn-when-3d = In 3 days
log-btn-when-week = Next week
log-btn-pick-date = 📅 Pick a date
log-btn-no-step = 🚫 No next step
log-btn-note = 📝 Note
log-btn-note-edit = 📝 Change note
log-btn-needs = 💡 Needs
log-btn-needs-edit = 💡 Change needs
log-btn-step = ✏️ Next step
log-btn-step-edit = ✏️ Change next step
log-btn-skip = Skip ⏭
log-btn-clear = 🗑 Clear
log-btn-all-deals = 📋 All my deals

log-said-note = Note: { $note }
log-said-voice = 🎤 Voice note attached
log-said-needs = Needs: { $needs }
log-said-step = Next step: { $step }

log-choose-deal = 📞 <b>Which deal is this about?</b> ({ $total } in all)
log-choose-hint = Tap a deal, or type a few letters to search, e.g. a company name or the last 4 digits of a phone.
log-no-deals = You have no open deals yet. Send /lead to capture a lead, or /pool to claim one from the pool.
log-search-found = 🔎 "{ $query }": { $count ->
    [one] { $count } deal
   *[other] { $count } deals
    } found, tap one to log:
log-search-none = No deal matches "{ $query }". Try part of a company name, a contact, or the last 4 digits of a phone.
log-search-note = 📝 The rest is kept as the note: { $note }

log-expect-deal = Please tap a deal above, or type a few letters to search.
log-expect-kind = Please tap how you got in touch: call, visit, message, e-mail or meeting.
log-expect-outcome = Please tap how it went, e.g. "reached" or "no answer".
log-expect-note = Send the note as text or a voice note, or tap "Skip".
log-expect-needs = Type the customer's needs, or tap "Skip".
log-expect-step = Type the next step, e.g. send the proposal, or tap "Skip".
log-expect-date = Tap a time, or type a date, e.g. tomorrow 10am, fri, 12-03.
log-date-unreadable =
    I couldn't read "{ $input }" as a date 🤔 Try:
    tomorrow 10am · fri · next monday 3pm · 12-03 · in 3 days
log-date-past = { $when } has already passed; pick a later time, e.g. tomorrow 10am or next monday.

log-stale = This button has expired (that follow-up was saved or cancelled). Send /log to start again.
log-already-open = You're already logging this deal; just carry on.

log-saved = ✅ <b>Follow-up logged</b> · { $deal }
    { $what }
log-saved-next = 🗓 Next follow-up: { $when } · { $step }; I'll remind you.
log-saved-next-other = 🗓 Next follow-up: { $when } · { $step }; I'll remind { $owner }.
log-saved-completed = The earlier follow-up reminder on this deal is marked done.
log-hint-lost = Not interested? You can mark the deal lost now, with a reason for the review.
log-hint-advance = They want a proposal: you can move the deal on to "{ $stage }".
log-hint-plan = ⚠️ No next step yet: a deal without a next follow-up is soon flagged as dropped, so plan one soon.

## The deal timeline

timeline-btn = 🕘 Timeline
timeline-btn-back = ⬅️ Back to the deal
timeline-btn-voice = 🎤 Play #{ $n }
timeline-title = 🕘 <b>Timeline</b> · { $deal } ({ $total } in all)
timeline-empty = Nothing logged yet. After talking to the customer, tap "Log follow-up".
timeline-line = { $n }. { $at } · { $who } · { $icon } { $what }
timeline-note = {"   "}Note: { $note }
timeline-voice = {"   "}🎤 Voice note
timeline-needs = {"   "}Needs: { $needs }
timeline-next = {"   "}Next step: { $step } ({ $when })

## /find

find-ask = What are you looking for? Send part of a company name, a contact or a phone number, e.g. acme, Smith, 8001.
find-expect-words = Please type what to look for, e.g. acme or 8001.
find-found = 🔎 "{ $query }": { $count ->
    [one] { $count } deal
   *[other] { $count } deals
    } found:
find-line = { $n }. { $deal } · { $stage }
find-matched = {"   "}{ $where }: { $text }
find-kind-customer = Company
find-kind-contact = Contact
find-kind-opportunity = Deal
find-kind-note = Follow-up note
find-more = Only the { $count } most recently active are shown; a more specific word narrows it down.
find-none =
    No deal matches "{ $query }".
    Try part of a company name (华东 finds 华东科技), a contact's name, or a few digits in a row from a phone number (e.g. 8001).

## /stale

stale-report-title = 🔕 <b>Silent and overdue deals</b> ({ $total } in all, { $reps } reps)
stale-report-rep = 👤 <b>{ $rep }</b> ({ $count })
stale-report-line = { $n }. { $deal } · { $stage } — { $silence }
stale-report-silent = no follow-up for { $days ->
    [one] { $days } day
   *[other] { $days } days
    } (limit { $limit })
stale-report-quiet = no follow-up for { $days ->
    [one] { $days } day
   *[other] { $days } days
    }
stale-report-overdue = ⏰ follow-up due { $since } not acted on
stale-report-no-step = 🗓 no next step
stale-report-hint = Tap a deal to open it, "Remind" to nudge its owner, or "Reassign" to hand it to someone else.
stale-btn-ping = 👋 Remind
stale-pinged = Reminded { $owner } to follow up on { $company }.
stale-pinged-later = It is outside working hours; { $owner } will be reminded about { $company } at { $at }.
stale-report-empty = 👍 No silent or overdue deals in the team. Nicely done!
