## Reminders: /remind, /reminders, the nudge and the morning agenda

cmd-remind = Set a reminder
cmd-reminders = My reminders

remind-ask-when =
    ⏰ When should I remind you?
    Tap a button or type a time, for example:
    tomorrow 10:00 · tomorrow 3pm · friday 9am · in 2 hours · +3d · 12-01 10:00
remind-ask-when-for =
    ⏰ When should I remind you to "{ $text }"?
    Tap a button or type a time, for example:
    tomorrow 10:00 · tomorrow 3pm · friday 9am · in 2 hours · +3d · 12-01 10:00
remind-btn-in-1h = In 1 hour
remind-btn-tomorrow = Tomorrow { $time }
remind-btn-in-3d = In 3 days
remind-btn-next-monday = Next Mon { $time }
remind-bad-time =
    Sorry, I couldn't read "{ $input }" as a time 🤔 Try one of these:
    tomorrow 10:00 · tomorrow 3pm · friday 9am
    in 2 hours · in 3 days · +2h · +3d
    2026-12-01 10:00 · 12-01 10:00
remind-past-time = { $when } has already passed. Pick a later time, e.g. tomorrow 10:00 or in 2 hours.
remind-too-far = That's too far ahead: reminders can be at most 5 years out. Pick a nearer time.
remind-expect-time = Type a time (e.g. tomorrow 10:00) or tap one of the buttons above.
remind-ask-what =
    ⏰ Reminder on { $when }
    What should I remind you about? Just type it, e.g.: Call back East China Tech
remind-expect-text = Just type what I should remind you about, or tap Back or Cancel.
remind-saved =
    ✅ Got it. I'll remind you on { $when }:
    { $text }
    Send /reminders to see or cancel your reminders.

error-reminder-text = A reminder needs 1 to { $max } characters. Please type it again:
error-reminder-past = That time has already passed. Please pick a new time.
error-reminder-not-found = I can't find that reminder any more; it may have been removed.
error-reminder-not-yours = That's not your reminder, so you can't change it.
error-reminder-handled = That reminder has already been taken care of 👌

reminder-nudge = ⏰ Reminder: { $text }
reminder-btn-done = ✅ Done
reminder-btn-snooze-1h = 💤 1 hour
reminder-btn-snooze-tomorrow = 💤 Tomorrow
reminder-btn-snooze-3d = 💤 3 days
reminder-done = ✅ Marked as done. Nice work!
reminder-snoozed = 💤 OK, I'll remind you again on { $when }.

reminders-empty = You have no upcoming reminders. Send /remind to set one.
reminders-title = ⏰ Your reminders ({ $count }):
reminders-line = { $n }. { $when } — { $text }
reminders-hint = Tap a number below to cancel that reminder.
reminders-btn-cancel = ✖️ { $n }
reminders-cancelled = Cancelled: { $text }
reminders-page = Page { $page } of { $pages }

digest-agenda =
    ☀️ Good morning! { $count ->
        [one] One reminder
       *[other] { $count } reminders
    } for today:
    { $items }

error-working-hours = Those working hours don't work: the start must be before the end, with at least one working day.
