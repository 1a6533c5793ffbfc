## /webhooks: outbound webhooks to the team's own systems

cmd-webhooks = Connect your systems (webhooks)
webhooks-empty = 🔗 No systems connected yet.
    Add an address and your OA, finance or contract system hears of new leads, stage changes and accepted hand-offs as they happen.
webhooks-title = 🔗 Connected systems ({ $count })
webhooks-line = { $number }. <code>{ $url }</code>
    Events: { $events } · { $state }
webhooks-state-on = ✅ sending
webhooks-state-paused = ⏸ paused
webhooks-state-stopped = ⛔ stopped after repeated failures
webhooks-hint = Every delivery is signed (X-Loopbot-Signature); the README's "Connecting OA, finance and contract systems" shows how a receiver checks it.
webhooks-btn-new = ➕ Add an address
webhooks-btn-test = 🧪 Test { $number }
webhooks-btn-pause = ⏸ Pause { $number }
webhooks-btn-resume = ▶️ Resume { $number }
webhooks-btn-remove = 🗑 Remove { $number }
webhooks-btn-save = 💾 Save
webhooks-btn-confirm-remove = Yes, remove it
webhooks-btn-back-to-list = 🔗 Back to the list
webhooks-ask-url = Send the receiving address (starting with https://), e.g. <code>https://oa.example.com/hooks/crm</code>.
webhooks-expect-url = Please send an address starting with https://.
webhooks-ask-events = Events for <code>{ $url }</code>: tap the ones to send (several are fine), then Save.
webhooks-created = ✅ Added <code>{ $url }</code>. Its signing secret:

    <code>{ $secret }</code>

    ⚠️ It is shown only this once: give it to whoever runs the receiving system now, then delete this message. Tap "🧪 Test" to send a ping.
webhooks-test-queued = 🧪 A test delivery (ping) to { $url } is on its way, within seconds; failures are retried.
webhooks-paused = ⏸ Paused <code>{ $url }</code>. Events meanwhile are kept and sent when you resume.
webhooks-resumed = ▶️ Resumed <code>{ $url }</code>; what was kept goes out now.
webhooks-confirm-remove = Remove <code>{ $url }</code>? Deliveries not yet sent are dropped with it.
webhooks-removed = 🗑 Removed <code>{ $url }</code>.
webhook-event-lead-created = new lead
webhook-event-deal-stage_changed = stage change
webhook-event-handoff-accepted = hand-off accepted
webhook-event-deal-reassigned = deal reassigned
webhook-stopped =
    ⛔ The address { $url } failed { $failures } times in a row (last: { $error }), so I stopped sending to it; the events not sent are kept.
    Next: ask whoever runs that system to check the address is reachable, then /webhooks → "▶️ Resume" and what was kept goes out.
error-webhook-role = Only admins can connect outside systems.
error-webhook-url = The address must be a full URL starting with https:// (up to 500 characters).
error-webhook-events = Please tick at least one event.
error-webhook-too-many = A team can connect at most { $limit } addresses.
error-webhook-not-found = That address is gone; it may have been removed.
error-webhook-already-on = It is already sending.
error-webhook-already-off = It is already paused.
