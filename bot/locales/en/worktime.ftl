## Working hours: /hours

cmd-hours = Working hours
hours-show =
    🕘 Working hours of { $team }: { $hours } ({ $timezone })
    Non-urgent messages the bot sends on its own arrive only in these hours; reminders you set for a time arrive on time.
hours-change-hint = To change them, tap a common setting below or send: /hours 09:00-18:00 mon-fri
hours-set = ✅ Updated: { $team } now works { $hours }.
hours-bad =
    Sorry, I couldn't read those working hours 🤔 Try:
    /hours 09:00-18:00 mon-fri
    /hours 9-21 mon-sat
    /hours 8:30-17:30 weekdays
hours-every-day = every day
error-hours-role = Only a sales manager or admin can change the working hours.
error-hours-unchanged = The working hours are already set like that; nothing changed.
