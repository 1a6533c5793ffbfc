## Outbox: people and groups the bot can no longer reach (bot/outbox.py, domain/services/delivery.py)

outbox-user-unreachable =
    ⚠️ Messages can't reach { $name } ({ $role ->
        [admin] Admin
        [manager] Sales manager
        [finance] Finance
       *[rep] Sales rep
    }) any more: they may have blocked the bot or never opened it.
    Until this is fixed they won't get hand-offs, approvals or follow-up reminders.
    Please get in touch with them and ask them to open the bot and tap Start (or send /start); new messages will reach them again after that.
outbox-group-unreachable =
    ⚠️ The bot can no longer post in the team group of { $team } (it may have been removed, or the group was deleted), so the group has been unbound.
    Until it is bound again, hand-offs and win announcements won't be posted there.
    To fix it: add the bot to the group again, then send /bindgroup in the group.

## Dead letters: /deadletters (handlers/deadletters.py)

cmd-deadletters = Undelivered messages
deadletters-title = 📮 <b>Undelivered messages</b>: { $total } (newest first)
deadletters-page = Page { $page } of { $pages }
deadletters-empty = ✅ No undelivered messages. Every notification was delivered or is waiting its turn.
deadletters-line =
    <b>#{ $id }</b> → { $recipient } · { $when }
    Reason: { $reason } ({ $attempts ->
        [one] 1 attempt
       *[other] { $attempts } attempts
    })
    "{ $preview }"
deadletters-to-group = team group of { $team }
deadletters-to-chat = chat { $chat }
deadletters-hint = Tap "🔁 #number" to send that one again, or "Retry all".
deadletters-btn-retry = 🔁 #{ $id }
deadletters-btn-retry-all = 🔁 Retry all
deadletters-confirm-all = Send all { $total } undelivered messages again?
deadletters-btn-confirm-all = Yes, retry all
deadletters-retried = ✅ #{ $id } is queued again and goes out right away.
deadletters-retried-all = ✅ { $count ->
    [one] { $count } message is queued again and goes out right away.
   *[other] { $count } messages are queued again and go out right away.
    }
deadletters-already-retried = That message is already queued again (or was dealt with), no need to tap again.
deadletters-none-left = There's nothing left to retry.
error-deadletters-admin = Only admins can see and retry undelivered messages.
deadletters-reason-server = Telegram server error
deadletters-reason-network = couldn't connect to Telegram
deadletters-reason-timeout = request timed out
deadletters-reason-rejected = Telegram refused this message
deadletters-reason-unexpected = unexpected error

## Several alerts at once: one message listing them (domain/outbox/kinds.py Family, bot/outbox.py)

outbox-digest-stale =
    🚨 <b>{ $count } stale-deal alerts</b>: these deals have gone quiet, or their follow-up nudges were not acted on.
    Tap below to open /stale and nudge the owners or reassign:
outbox-digest-pool =
    🌊 <b>{ $count ->
        [one] { $count } deal
       *[other] { $count } deals
    } went to the pool</b> and have no owner.
    Tap below to open /pool, or reassign them to a rep from /deals:
outbox-digest-handoffs =
    🙅 <b>{ $count } hand-offs were not accepted</b> (declined or not in time) and moved on by the team's rules.
    Tap below to see the team's deals still waiting for someone to accept:
outbox-digest-more = …and { $count } more: tap below to see them all.
outbox-line-silent = { $company } · { $rep } · no follow-up for { $days ->
    [one] { $days } day
   *[other] { $days } days
    } ({ $stage } allows { $limit })
outbox-line-escalated = { $company } · { $rep } · the nudge "{ $step }" (due { $due }) not acted on
outbox-line-pooled = { $company } ({ $score }/10) · { $why }
outbox-line-recycled = { $company } · { $owner }, no follow-up for { $days ->
    [one] { $days } day
   *[other] { $days } days
    }, recycled
outbox-line-declined = { $company } · { $assignee } declined: { $reason }
outbox-line-expired = { $company } · { $assignee } did not accept by { $deadline }
outbox-digest-btn-stale = 📋 Stale deals
outbox-digest-btn-pool = 🌊 Open the pool
outbox-digest-btn-handoffs = ⏳ Deals waiting

## A person's daily message budget: what could wait, in one message (domain/outbox/kinds.py Budget)

outbox-digest-held-over =
    📬 <b>{ $count ->
        [one] { $count } reminder saved up
       *[other] { $count } reminders saved up
    } for you</b>
    You'd already had plenty of messages from me on your last working day, so these less urgent ones waited until now (anything already dealt with is left out).
    Tap a number to open that one and act on it:
outbox-open-held-btn = { $arg }
outbox-held-moved-on = That one has been dealt with or has moved on: nothing to do.
outbox-held-not-yours = This button has expired.
