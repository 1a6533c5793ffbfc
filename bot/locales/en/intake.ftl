## /apikeys and the HTTP intake API

cmd-apikeys = Lead intake keys (website form …)
apikeys-empty = 🔑 No intake keys yet.
    Make one for a channel such as your website's form or an event scanner: what customers leave there becomes a lead, assigned by your team's rules, with nobody typing it in.
apikeys-title = 🔑 Intake keys ({ $count } in use)
apikeys-line = • <b>{ $channel }</b> (source: { $source }) <code>{ $prefix }…</code> · last used: { $used }
apikeys-never-used = not yet
apikeys-hint = The README's "Leads from your website and other channels" explains the API. If a key leaks, revoke it and make a new one.
apikeys-btn-new = ➕ New key
apikeys-btn-revoke = 🗑 Revoke "{ $channel }"
apikeys-btn-confirm-revoke = Yes, revoke it
apikeys-btn-back-to-list = 🔑 Back to the keys
apikeys-ask-channel = Which channel is this key for? Send its name, e.g. "Website form" or "Expo scanner" (up to { $max } characters).
    Lead cards will show this name.
apikeys-expect-channel = Please send the channel's name, e.g. "Website form".
apikeys-ask-source = Leads from "{ $channel }": which source should they be recorded under?
apikeys-created = ✅ The key for "{ $channel }" is ready (source: { $source }):

    <code>{ $secret }</code>

    ⚠️ It is shown only this once: copy it to whoever runs the website now, then delete this message.
    Use: send <code>Authorization: Bearer KEY</code> and POST to <code>/api/v1/leads</code>.
apikeys-confirm-revoke = Revoke the key <code>{ $prefix }…</code> of "{ $channel }"?
    Leads sent with it will be refused from now on; leads already in stay as they are.
apikeys-revoked = 🗑 The key of "{ $channel }" is revoked.
apikeys-gone = That key has already been revoked.
error-apikey-role = Only managers and admins can manage intake keys.
error-apikey-channel = The channel's name should be 1 to { $max } characters.
error-apikey-too-many = A team can have at most { $limit } keys in use. Revoke one you no longer need first.
error-apikey-not-found = That key doesn't exist.
error-apikey-revoked = The key of "{ $channel }" was already revoked.
error-apikey-rejected = The key is wrong or has been revoked.
error-apikey-owner-gone = The manager who made this key is no longer in the team; a manager can make a new one in /apikeys.
error-intake-unknown-field = Unknown field "{ $field }".
error-intake-choice = "{ $field }" must be one of: { $allowed }.
error-intake-idempotency-key = The Idempotency-Key must be 1 to { $max } printable characters.
error-intake-body = The request body must be a JSON object.
error-intake-type = "{ $field }" has the wrong type: it should be text.
error-intake-missing = The required field "{ $field }" is missing.
error-intake-too-many = Too many requests; try again in { $seconds } seconds.
error-intake-busy = The service is busy; please retry (retrying with the same Idempotency-Key never records the lead twice).
form-title = Contact us
form-intro = Leave your details and what you need, and one of our consultants will be in touch soon.
form-field-company = Company *
form-field-contact_name = Your name
form-field-phone = Mobile
form-field-email = E-mail
form-field-need = What are you looking for?
form-submit = Send
form-thanks = Thank you, we've got it! One of our consultants will be in touch soon.
form-gone = This form is no longer in use.
apikeys-form-link = Web form: { $link }
intake-nurtured =
    🌱 A new lead came in through "{ $channel }": { $company } ({ $contact }), scored { $score }/10 ({ $reasons }), below the line for assignment, so it is in nurture for now.
    Need: { $need }
    Next: call to ask about budget and timing, then find it with /find { $company } and add what you learn; once it scores enough it is assigned.
