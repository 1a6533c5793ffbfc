## Contracts and payments (issue 12): 📑 Contract on the deal card, payment confirmation, /receivables

cmd-receivables = Receivables
webhook-event-contract-signed = contract signed
webhook-event-payment-confirmed = payment confirmed

## the contract

contract-status-draft = draft
contract-status-sent = out for signature
contract-status-signed = signed
contract-status-active = collecting
contract-status-completed = fully paid
contract-status-cancelled = cancelled
contract-btn-card = 📑 Contract
contract-btn-open = 📑 Open contract
contract-btn-deal = ↩️ Back to the deal
contract-btn-new-quote = 📑 Draft contract from quote { $number }
contract-btn-new-amount = 📑 Draft contract for { $amount }
contract-btn-plan = 🗓 Payment plan
contract-btn-send = 📤 Sent for signature
contract-btn-sign = ✍️ Upload signed copy
contract-btn-report = 💰 Report payment
contract-btn-record = 💵 Record payment
contract-btn-document = 📎 Signed copy
contract-btn-confirm-payment = ✅ Confirm { $amount }
contract-btn-amount = ✏️ Change amount
contract-ask-amount = ✏️ { $number } is { $amount } now. Type the new amount and why, e.g. 150000 customer added the mobile module (then pick the payment plan again).
contract-done-amount = ✅ { $number } is now { $amount } (in the audit trail). Please pick the payment plan again.
contract-btn-cancel = 🚫 Cancel contract
contract-deal-title = 📑 Contracts of <b>{ $deal }</b>
contract-deal-line = • { $number } · { $status } · { $amount }, { $paid } received
contract-deal-none = No contract yet.
contract-needs-quote = Once the customer accepts a quote (📄 Quote → 🤝 Accepted), you draft the contract here with one tap; without a quote, a manager drafts it for the deal's amount.
contract-head = 📑 <b>{ $company }</b> · { $deal } · owner { $owner }
contract-line = <b>{ $number }</b> · { $status } · { $amount }, { $paid } received
contract-sign-by = ⏳ To be signed by { $day }
contract-document = 📎 Signed copy: { $name } (SHA-256 { $hash }…)
contract-no-document = ⚠️ Signed, but no signed copy on file yet: please upload it.
contract-no-plan = 🗓 No payment plan yet: tap "🗓 Payment plan" and pick one.
contract-ms-line = { $n }. { $label } · { $amount } · due { $due } · { $state }
contract-ms-paid = ✅ paid
contract-ms-partial = { $paid } paid, { $left } to go
contract-ms-open = open
contract-waiting = ⏳ { $count } payment(s) ({ $amount }) waiting for finance
contract-overpaid = ⚠️ Overpaid by { $amount }; finance has been asked to check.
contract-done-opened = ✅ Contract { $number } drafted; it is to be signed within 5 working days. Next: pick the payment plan.
contract-done-plan = ✅ Payment plan set; its instalments add up to the contract's amount exactly.
contract-done-signed = ✅ Contract { $number } is signed and the signed copy is on file. Payment reminders now follow the plan.
contract-done-cancelled = 🚫 Contract { $number } cancelled.
contract-sent-in-chat = 📤 Marked as out for signature. When the customer has signed, tap "✍️ Upload signed copy" and send me the scan or a photo.
contract-plan-ask = 🗓 Payment plan for { $number } ({ $amount }): pick a template.
contract-plan-30-60-10 = 30% signing · 60% delivery · 10% acceptance
contract-plan-100 = 100% on signing
contract-plan-monthly = 3 monthly instalments
contract-label-signing = On signing
contract-label-delivery = On delivery
contract-label-acceptance = After acceptance
contract-label-month = Instalment { $n }
contract-ask-document = ✍️ Send me the signed { $number } (a PDF or a photo).
contract-expect-document = I need the signed copy here: a PDF or a photo. Tap Cancel to stop.
contract-document-caption = { $number } signed copy · SHA-256 { $hash }
contract-ask-cancel = 🚫 Cancel { $number }: why? (It goes into the audit trail.)

contract-sign-half =
    ⏳ Contract { $number } ({ $company }) is halfway to its signing deadline, { $until }.
    Once the customer signs, tap "✍️ Upload signed copy" on the contract.
contract-sign-overdue =
    ⚠️ Contract { $number } ({ $company }, owner { $rep }) passed its signing deadline, { $until }, unsigned.
    Please chase the customer; if it is off, a manager can cancel the contract.

## payments

payment-method-bank = Bank transfer
payment-method-acceptance = Bank acceptance
payment-method-alipay = Alipay
payment-method-wechat = WeChat Pay
payment-method-cash = Cash
payment-method-other = Other
payment-state-reported = waiting
payment-state-confirmed = confirmed
payment-state-rejected = rejected
payment-receipt-attached = 🧾 receipt attached
payment-btn-confirm = ✅ Confirm
payment-btn-reject = ❌ Reject
payment-btn-differs = ✏️ Amount differs
payment-btn-receipt = 🧾 Receipt
payment-btn-full = In full { $amount }
payment-btn-day-0 = Today
payment-btn-day-1 = Yesterday
payment-btn-day-2 = 2 days ago
payment-btn-save = 💾 Record it
payment-flow-head = 💰 Payment on <b>{ $number }</b>{ $direct }
payment-flow-direct = (recorded by finance)
payment-flow-milestone = Instalment: { $label }
payment-flow-amount = Amount: { $amount }
payment-flow-day = Received: { $day }
payment-flow-method = Method: { $method }
payment-ask-milestone = Which instalment is this money for?
payment-ask-amount = How much came in? { $left } is still open on it. Tap "in full", or type the amount (36883.2, 3.6万).
payment-ask-day = When did it arrive? Tap, or type the date (12-01).
payment-ask-method = How was it paid?
payment-ask-receipt = Last step: send a photo or PDF of the receipt and I'll pass it to finance.
payment-ask-save = If it all looks right, tap "💾 Record it": it is confirmed at once and the rep is told.
payment-expect-button = Please tap one of the buttons above, or Cancel to stop.
payment-expect-receipt = I need the receipt here: a photo or a PDF.
payment-done-reported = ✅ { $amount } sent to finance to confirm; I'll tell you when they do.
payment-done-confirmed = ✅ { $number }: { $amount } confirmed, { $left } still open.
payment-done-confirmed-short = ✅ Confirmed
payment-done-completed = 🎉 The contract is fully paid; the deal moves to delivery.
payment-ask-reject = ❌ Reject { $amount } on { $number }: why? (The rep gets the reason.)
payment-ask-actual = ✏️ { $number } was reported as { $amount }. How much really came in? Type the amount.
payment-done-rejected = ❌ Rejected { $amount }; the rep has the reason.
payment-receipt-caption = 🧾 Receipt · { $amount } · { $day }

payment-card =
    💰 <b>Payment to confirm</b> · { $number }
    Customer: { $company } · rep: { $rep }
    Instalment: { $milestone }
    Amount: <b>{ $amount }</b> · received { $paid_on } · { $method }
    Still open on the contract: { $outstanding } · { $receipt }
    Check the bank statement, then confirm; if the amount is off, tap "✏️ Amount differs" and type what came in.
payment-confirmed =
    ✅ { $by } confirmed { $amount } on { $number } ({ $company }).
    { $outstanding } is still open on the contract.
payment-rejected =
    ❌ { $by } rejected the { $amount } reported on { $number } ({ $company }): { $reason }
    Please check, then report it again from the contract.
payment-overpaid =
    ⚠️ { $number } ({ $company }) is overpaid by { $over }.
    Please check for a double payment or a refund.
payment-when-before = due in { $days ->
    [one] { $days } day
   *[other] { $days } days
    }
payment-when-today = due today
payment-when-overdue = { $days ->
    [one] { $days } day
   *[other] { $days } days
    } overdue
payment-due =
    ⏰ Payment reminder: { $number } ({ $company }) { $milestone }
    { $outstanding } open · due { $due } · { $when }
    When the money is in, tap "💰 Report payment" on the contract and attach the receipt.
payment-overdue =
    🔴 Payment overdue: { $number } ({ $company }, owner { $rep }) { $milestone }
    { $outstanding } open · due { $due } · { $when }
    Please chase the customer together with the owner.

payment-agenda = { $due }{ $overdue }{ $waiting }
payment-agenda-due =
    {""}

    💰 { $count } payment(s) due today:
    { $items }
payment-agenda-overdue =
    {""}

    🔴 { $count } payment(s) overdue:
    { $items }
payment-agenda-waiting =
    {""}

    ⏳ { $count } payment(s) wait for your confirmation: tap the cards, or send /receivables to open the contracts.

## /receivables

receivables-title = 📊 <b>Receivables</b>: { $total } ({ $count ->
    [one] { $count } instalment open
   *[other] { $count } instalments open
    })
receivables-title-mine = 📊 <b>My receivables</b>: { $total } ({ $count ->
    [one] { $count } instalment open
   *[other] { $count } instalments open
    })
receivables-none = Nothing is owed.
receivables-by-age = By age:
receivables-age-line = • { $age }: { $amount }
receivables-age-not_due = not due
receivables-age-1_30 = 1–30 days overdue
receivables-age-31_60 = 31–60 days overdue
receivables-age-61_90 = 61–90 days overdue
receivables-age-90_plus = over 90 days overdue
receivables-by-customer = By customer:
receivables-name-line = • { $name }: { $amount }
receivables-by-rep = By rep:
receivables-overdue = 🔴 { $count } overdue:
receivables-line = • { $number } { $company } { $amount } (due { $due }, { $days ->
    [one] { $days } day
   *[other] { $days } days
    } overdue)
receivables-other-currencies = Amounts in other currencies ({ $codes }) are left out of the totals; see the export.
receivables-btn-xlsx = 📊 Export to Excel
receivables-xlsx-caption = 📊 Receivables and payments · open { $total }
receivables-sheet-open = Receivables
receivables-sheet-payments = Payments
receivables-col-contract = Contract
receivables-col-customer = Customer
receivables-col-rep = Rep
receivables-col-milestone = Instalment
receivables-col-due = Due
receivables-col-days = Days overdue
receivables-col-age = Age
receivables-col-outstanding = Open
receivables-col-total = Total
receivables-col-amount = Reported
receivables-col-confirmed = Confirmed
receivables-col-paid_on = Received
receivables-col-method = Method
receivables-col-state = State
receivables-col-reported_by = Reported by

## errors

error-plan-sum = The instalments must add up to the contract's amount exactly; they don't, so nothing was saved.
error-plan-size = A payment plan has 1–{ $max } instalments.
error-plan-part = Every instalment needs a label and an amount (or share) above zero.
error-contract-amount = The contract's amount must be above zero.
error-contract-not-found = That contract can't be found.
error-contract-not-yours = That contract isn't yours to handle.
error-contract-role = Only reps, managers and admins draft contracts.
error-contract-needs-quote = A contract needs a quote the customer accepted; without one, a manager drafts it for the deal's amount.
error-contract-amount-role = Only a manager can change a contract's amount.
error-contract-signed-already = That contract is signed already.
error-contract-amount-reason = Changing the amount needs a reason (up to { $max } characters).
error-contract-plan-fixed = Payments were confirmed already, so the payment plan can't change.
error-contract-sent-already = That contract is already out for signature.
error-contract-no-plan = Pick the payment plan first, then send it for signature.
error-contract-cancel-role = Only a manager can cancel a contract.
error-contract-cancel-reason = Please say why (up to { $max } characters).
error-contract-has-money = Money was confirmed on this contract; it can't be cancelled.
error-contract-final = That contract is closed.
error-contract-file-kind = Please send a PDF or a photo (jpg/png).
error-contract-file-size = That file is too big (over 20 MB); please compress it.
error-payment-date = The date can't be in the future or more than a year back.
error-payment-date-unreadable = I couldn't read that date; try 12-01, 2026-12-01 or yesterday.
error-payment-amount = The amount must be above zero, to the fen at most.
error-payment-amount-unreadable = I couldn't read that amount; try 36883.2, 3.6万 or ¥36,883.20.
error-payment-not-collecting = Payments are recorded once the contract is signed.
error-payment-receipt = A payment report needs a photo or PDF of the receipt.
error-milestone-not-found = That instalment is gone; please open the contract again.
error-milestone-paid = That instalment is fully paid.
error-payment-not-found = That payment can't be found.
error-payment-confirm-role = Only finance (or an admin) of this team confirms payments.
error-payment-decided = That payment was handled already.
error-payment-reject-reason = Please say why (up to { $max } characters).
error-payment-no-receipt = That payment has no receipt.

# --- e-signature callbacks (POST /api/v1/esign/<provider>/<team>) ---
contract-signed-remote =
    ✍️ Contract { $number } ({ $company }) was signed by the customer through e-signature ({ $provider }); the record is on file.
    Payment reminders now follow the plan and the deal is in the payment stage. Open the contract below.
contract-document-esign = ✍️ E-signature: { $provider }, envelope { $ref } (SHA-256 { $hash }…)
contract-document-url = 📎 Signed document: { $url }
contract-sent-esign = 📤 Marked as sent for signature. Start the signing in your e-signature system; when the customer has signed, it reports back and the contract is marked signed here.
error-esign-unknown = No such e-signature provider, or it has no secret configured.
error-esign-signature = The callback's signature (X-Loopbot-Signature) is wrong or too old; nothing was done.
error-esign-field = The callback's field { $field } is missing or malformed.

# --- payment plan templates (/policy → 🗓 Payment templates) ---
policy-btn-plan-templates = 🗓 Payment templates
plan-templates-title = 🗓 <b>Payment plan templates</b> (offered when a contract's plan is chosen):
plan-template-line = { $n }. <b>{ $name }</b>: { $parts }
plan-template-part = { $percent }% { $trigger }{ $offset }
plan-template-trigger-signing = signing
plan-template-trigger-delivery = delivery
plan-template-trigger-acceptance = acceptance
plan-template-trigger-date = date
plan-template-days = { " " }+{ $n ->
    [one] { $n } day
   *[other] { $n } days
    }
plan-template-months = { " " }+{ $n ->
    [one] { $n } month
   *[other] { $n } months
    }
plan-templates-hint = Days count from the signing deadline. Tap "➕ New template" to add one, "🗑" to remove one you don't use.
plan-templates-btn-add = ➕ New template
plan-templates-btn-remove = 🗑 { $name }
plan-templates-added = ✅ Template "{ $name }" added; new contracts can use it for their plan.
plan-templates-removed = 🗑 Template "{ $name }" removed. Contracts already planned with it keep their plan.
plan-template-ask-name = ➕ New payment template: first its name (up to 30 characters), e.g. <code>40-50-10 split</code>
plan-template-expect-name = I need the template's name here: just type it.
plan-template-ask-parts =
    Template "{ $name }": write each instalment as "share condition", optionally "+days" or "+months" (from the signing deadline), separated by commas; the shares must add up to exactly 100%.
    Conditions: signing / delivery / acceptance / date. For example:
    <code>40% signing, 50% delivery +30 days, 10% acceptance +90 days</code>
    <code>50% date, 50% date +1 month</code>
plan-template-expect-parts = I need the instalments here, e.g. <code>40% signing, 50% delivery +30 days, 10% acceptance +90 days</code>
error-plan-template-name = A template's name is 1–{ $max } characters.
error-plan-template-name-taken = There is a template called "{ $name }" already; pick another name.
error-plan-template-part = Each share must be above 0 and at most 100%, on signing, delivery, acceptance or a date.
error-plan-template-offset = At most { $days ->
    [one] { $days } day
   *[other] { $days } days
    } or { $months ->
        [one] { $months } month
       *[other] { $months } months
    } after the start.
error-plan-template-sum = The shares add up to { $total }%; they must make exactly 100% to be saved. Fix them and send again.
error-plan-template-parts = I couldn't read "{ $item }". Write each instalment like <code>30% signing</code>, <code>60% delivery +30 days</code>, <code>50% date +1 month</code>.
error-plan-template-many = At most { $max } templates; remove one you don't use first.
error-plan-template-gone = That template is gone; open the list again.
error-plan-template-last = Keep at least one template.

# --- payment reminder cadence (/policy → ⏰ Payment reminders) ---
policy-btn-cadence = ⏰ Payment reminders
cadence-screen =
    ⏰ <b>Payment reminder cadence</b> (counted from each instalment's due date; the owner hears at the start of the team's working day):
    { $cadence }
    From { $escalate ->
        [one] { $escalate } day
       *[other] { $escalate } days
    } overdue the managers and finance hear too.
    Tap a preset, or send the days (negative is before the due date, 0 the day itself), e.g.:
    <code>{ $typed }</code>
cadence-before = { $days ->
    [one] { $days } day
   *[other] { $days } days
    } before
cadence-on-day = on the due date
cadence-after = { $days ->
    [one] { $days } day
   *[other] { $days } days
    } overdue
cadence-preset-default = Standard: 7/1 days before, on the day, 1/7/14/21/28 days late
cadence-preset-gentle = Gentle: 3 days before, on the day, 3/14/30 days late
cadence-preset-tight = Close: 7/3/1 days before, on the day, 1/3/7/14/21/28 days late
cadence-done = ✅ Payment reminders now go: { $cadence }. Open instalments go on from their next step; nothing already said is said again.
cadence-expect = I need days here, separated by spaces, e.g. <code>-7 -1 0 1 7 14 21 28</code>
error-cadence-words = I couldn't read "{ $word }". Write whole days only, separated by spaces, e.g. <code>-7 -1 0 1 7 14</code>
error-cadence-size = Between 1 and { $max } reminder days.
error-cadence-range = Each reminder day must be between { $low } and { $high } (days from the due date).
error-cadence-unchanged = That is the cadence already.

# --- the way into the contract and the payment stage ---
quote-btn-contract = 📑 Draft the contract
deal-confirm-payment-unsigned = ⚠️ This deal has no signed contract yet. Moved to payment by hand, no payment reminders start and /receivables won't show the money. Better: upload the signed copy under "📑 Contract"; once it is signed the deal moves to payment by itself.
