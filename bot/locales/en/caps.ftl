## Per-person caps (domain/caps.py), retention, and the pool's recycling rule (domain/pool/recycling.py)

error-cap = That's the limit for now. Please try again a little later.
error-cap-reminders = You already have { $limit } personal reminders waiting, which is the most one person can have. Cancel a few you no longer need in /reminders, then set this one.
error-cap-leads = You've captured { $limit } leads in the last hour, which is the most one person can capture per hour. Save it again in a little while; everything you entered is still here.

## The pool's recycling rule on /policy

policy-recycle-auto = automatic, one working day after the manager's silence alert if still nobody followed up
policy-recycle-fixed = after { $days ->
    [one] { $days } day
   *[other] { $days } days
    } of silence (and at least one working day after the manager's alert)
policy-recycle-screen =
    ♻️ Back to the pool: { $value }

    The rule: when a deal has been silent for its stage's limit, its rep is nudged; at twice the limit you (the manager) are alerted; one working day later, if still nobody followed up, it goes back to the pool.
    For example, { $stage }: the rep on day { $nudge }, you on day { $alert }, back to the pool on day { $recycle }.

    You can also set a number of days: no deal in any stage goes back before that much silence. It must be at least { $min ->
        [one] { $min } day
       *[other] { $min } days
    } (twice the longest silence limit, { $limit ->
        [one] { $limit } day
       *[other] { $limit } days
    }).
    Tap the buttons, or send a number of days; send "auto" to go back to the automatic rule.
policy-btn-recycle-fixed = 📌 Set days (from { $days })
policy-btn-recycle-auto = 🔄 Back to automatic
error-recycle-too-short = Recycle days must be at least { $min }: the longest silence limit is { $limit ->
    [one] { $limit } day
   *[other] { $limit } days
    }, so managers are alerted only on day { $min } and need time to act first. To recycle sooner, shorten the silence limits, or go back to automatic.
error-idle-over-recycle = Your team recycles deals after a fixed { $recycle ->
    [one] { $recycle } day
   *[other] { $recycle } days
    }, so a silence limit can be at most { $max ->
        [one] { $max } day
       *[other] { $max } days
    } (managers must hear of a silent deal before it is recycled). For a longer limit, first set ♻️ Recycle days in /policy to automatic or to more days.
