## Quotes (issue 11): the catalog (/products), the quote builder (/quote, 📄 Quote), approvals (/approvals)

cmd-products = Products and prices
cmd-quote = Quotes
cmd-approvals = Quotes waiting for my approval

cmd-quotepolicy = Quote approval rules
error-quote-policy = Type 5 numbers in this order: manager tier % admin tier % margin floor % SLA (working hours) validity (days), e.g. /quotepolicy 10 20 15 4 15
error-quote-policy-order = The manager's tier cannot be above the admin's.
error-quote-policy-role = Only managers and admins change the quote approval rules.
quote-policy-rules =
    🧾 <b>Quote approval rules</b>
    Discount under { $manager }: no approval
    From { $manager }: the manager approves
    From { $admin }, or a margin under { $margin }: the manager, then an admin
    A line under its floor price: at least the manager
    Each level decides within { $hours } working hours (then a reminder, then the admins)
    A quote is valid { $days ->
        [one] { $days } day
       *[other] { $days } days
    }
quote-policy =
    { quote-policy-rules }
    Change: /quotepolicy manager admin margin hours days, e.g. /quotepolicy 10 20 15 4 15
quote-policy-done = ✅ Updated


## /policy → 🧾 报价审批 (handlers/quotes/policy.py)

policy-btn-quotes = 🧾 Quote approvals
quote-policy-menu-hint = Tap one to change it: -/+ buttons, or send the number.
quote-policy-btn-manager_from_bp = 👔 Manager's tier
quote-policy-name-manager_from_bp = The manager's tier
quote-policy-value-manager_from_bp = from { $value } off the manager approves
quote-policy-hint-manager_from_bp = send a percentage, e.g. 12.5
error-quote-policy-range-manager_from_bp = The manager's tier must be between { $low } and { $high }.
quote-policy-btn-admin_from_bp = 🛡 Admin's tier
quote-policy-name-admin_from_bp = The admin's tier
quote-policy-value-admin_from_bp = from { $value } off the manager, then an admin
quote-policy-hint-admin_from_bp = send a percentage, e.g. 25
error-quote-policy-range-admin_from_bp = The admin's tier must be between { $low } and { $high }.
quote-policy-btn-margin_floor_bp = 📉 Margin floor
quote-policy-name-margin_floor_bp = The margin floor
quote-policy-value-margin_floor_bp = a margin under { $value } needs both levels
quote-policy-hint-margin_floor_bp = send a percentage, e.g. 15
error-quote-policy-range-margin_floor_bp = The margin floor must be between { $low } and { $high }.
quote-policy-btn-sla_minutes = ⏱ Approval time limit
quote-policy-name-sla_minutes = The approval time limit
quote-policy-value-sla_minutes = { $value } working hours per level
quote-policy-hint-sla_minutes = send hours (half hours too), e.g. 4 or 2.5
error-quote-policy-range-sla_minutes = The approval time limit must be between { $low } and { $high } working hours.
quote-policy-btn-validity_days = 📅 Validity
quote-policy-name-validity_days = The validity
quote-policy-value-validity_days = { $value ->
    [one] { $value } day
   *[other] { $value } days
    }
quote-policy-hint-validity_days = send a number of days, e.g. 30
error-quote-policy-range-validity_days = The validity must be between { $low } and { $high ->
    [one] { $high } day
   *[other] { $high } days
    }.
quote-policy-number =
    🧾 { $name }: now { $value }
    Tap -/+, or { $hint }.
error-quote-policy-value = I could not read that number; please send it as the hint says.
quote-policy-expect-number = Just send a number, or tap Back.

## errors

error-stage-needs-quote = A deal enters the contract stage with an approved (or sent, or accepted) quote. Make one with 📄 Quote first.
error-quote-role = Only reps, managers and admins make quotes.
error-catalog-role = Only managers and admins maintain the product catalog.
error-template-role = Only managers and admins save quote templates.
error-approval-role = Only managers and admins approve quotes.
error-product-code = A product code has 1–{ $max } characters: letters, digits and . _ / -, e.g. CRM-PRO.
error-product-name = A name has 1–{ $max } characters.
error-product-unit = A unit has 1–{ $max } characters, e.g. set, piece, day.
error-product-category = A category has 1–{ $max } characters.
error-product-price = That amount is unclear: type e.g. 12800, 1.28万 or ¥12,800.00 (not negative, to the cent).
error-product-tax = That tax rate is unclear: type e.g. 13%, 6 or 0.13.
error-product-active = "Active" is yes or no (1/0, 是/否).
error-product-currency = A currency is three capital letters, e.g. CNY.
error-product-floor = The floor price cannot be above the list price.
error-product-missing = Missing field: { $field }
error-product-code-taken = Another product already has the code { $product }.
error-product-not-found = That product is not there (it may be inactive).
error-product-search-short = Type at least { $min } characters to search.
error-import-too-many = At most { $max ->
    [one] { $max } row
   *[other] { $max } rows
    } are imported at once; the rest were not read.
error-import-duplicate = The code { $code } already appeared on row { $first }.
error-import-file = Only .csv or .xlsx files are imported (the first row names the columns).
error-import-unreadable = This file cannot be read: send a UTF-8 CSV or an Excel .xlsx.
error-quote-not-found = That quote is not there.
error-quote-not-yours = That quote is not yours.
error-quote-not-draft = This quote was submitted or sent and cannot be changed directly. "✏️ Revise" makes a new version.
error-quote-superseded = This quote has a newer version.
error-quote-final = This quote has its outcome and cannot change.
error-quote-not-live = The quote cannot be marked so now (it must be approved or sent, and still valid).
error-quote-not-pending = This quote is not waiting for approval.
error-quote-sent-already = It is marked as sent already.
error-quote-line-gone = That line is no longer on the quote.
error-quote-need-gone = That need is no longer there: open the quote again.
error-quote-quantity = A quantity is a whole number from 1 to { $max }.
error-quote-discount = A discount is between 0% and 100%, e.g. 12.5.
error-quote-currency = This product is priced in { $currency }, not the quote's currency.
error-quote-lines-full = A quote has at most { $max ->
    [one] { $max } line
   *[other] { $max } lines
    }.
error-quote-free-line = Type "name price", e.g. Implementation 5000, or Training 2000 x3.
error-quote-reason = Write 1–{ $max } characters.
error-quote-reject-reason = Please say why the customer rejected it.
error-quote-empty = The quote is empty: add a product first.
error-quote-other-customer = Only quotes to the same customer can be reused.
error-template-not-found = That template is not there.
error-template-name = A template name has 1–{ $max } characters.
error-counter-gone = That counter-offer is no longer there.
error-approval-not-found = That approval is not there.
error-approval-own = You cannot approve your own quote.
error-approval-level = You cannot decide this level (or it is another team's quote).
error-approval-done = This approval was already decided.
error-approval-decided-approved = { $by } already approved this; nothing more to do.
error-approval-decided-rejected = { $by } already rejected this; nothing more to do.
error-approval-decided-countered = { $by } already made a counter-offer on this; nothing more to do.
error-approval-decided-withdrawn = { $by } took quote { $number } back to change it; it will come back when resubmitted.
error-approval-decided-closed = Quote { $number } was already settled by { $by }; nothing more to do.
error-approval-reason = Please give a reason for rejecting.
error-approval-reason-long = A reason has at most { $max } characters.
error-approval-counter = A counter-offer is below the discount asked ({ $asked }), e.g. 15.

## notifications

quote-level-manager = manager
quote-level-admin = admin
quote-why-discount = discount over the tier
quote-why-margin = margin under the floor
quote-why-floor = a line under its floor price
quote-needs-all-covered = every need covered ✅
quote-approval-card =
    🧾 <b>Discount approval</b> ({ $level }) · { $number }
    Customer: { $company } · deal: { $deal }
    Rep: { $rep }
    Total: { $total } · discount: { $discount }
    Margin: { $margin_before } → { $margin_after }
    Needs approval for: { $why }

    { $lines }
    (↩ this customer's last unit price · ≈ the team's 90-day median · ⚠️ under the floor price)

    Needs not covered:
    { $uncovered }
    Rep's reason: { $reason }
    ⏳ Please decide by { $due }
quote-approval-reminder =
    ⏰ Quote { $number } ({ $company }, { $rep }) still waits for your approval; it is past its deadline ({ $due }).
    Total { $total } · discount { $discount }
quote-approval-escalated =
    ⚠️ <b>Approval escalated</b>: { $waiting } has not decided quote { $number }.
    🧾 <b>Discount approval</b> ({ $level }) · { $number }
    Customer: { $company } · deal: { $deal }
    Rep: { $rep }
    Total: { $total } · discount: { $discount }
    Margin: { $margin_before } → { $margin_after }
    Needs approval for: { $why }

    { $lines }
    (↩ this customer's last unit price · ≈ the team's 90-day median · ⚠️ under the floor price)

    Needs not covered:
    { $uncovered }
    Rep's reason: { $reason }
    ⏳ Please decide by { $due }
quote-approval-overdue =
    ⏰ Quote { $number } ({ $company }, { $rep }) was escalated and still waits for a decision ({ $waiting } did not decide; it was due { $due }). Approve, reject or counter right here.
    Total { $total } · discount { $discount }
quote-approval-status = ℹ️ Quote { $number } ({ $company }): { $where }
quote-where-reminded = past the approval deadline; { $approvers } reminded.
quote-where-escalated = still not decided; escalated to the admins (approvers: { $approvers }).
quote-where-overdue = still not decided after the escalation; { $approvers } reminded again.
quote-where-next = approved by { $approver }; now waiting for the { $level }.
quote-approved = ✅ Quote { $number } ({ $company }) approved by { $approver }, total { $total }. You can send the documents to the customer.
quote-approval-rejected = ❌ Quote { $number } ({ $company }) was rejected by { $approver }: { $reason }. It is a draft again: change it and submit it again.
quote-countered = 💬 { $approver } counter-offers on quote { $number } ({ $company }): { $percent } off in all (you asked { $asked }). Tap below to take it.
quote-expiring = ⏳ Quote { $number } ({ $company }) expires on { $until }. Check with the customer, or revise it to extend it?
quote-expired = ⌛ Quote { $number } ({ $company }) has expired. Revise it for a new version if needed.
quote-btn-approve = ✅ Approve
quote-btn-reject = ❌ Reject
quote-btn-counter = 💬 Counter-offer
quote-btn-take-counter = ✅ Take the offer
quote-btn-open = 📄 Open the quote

## the outbound webhook event (handlers/webhooks.py lists it with the others)

webhook-event-quote-approved = quote approved

## statuses

quote-status-draft = draft
quote-status-pending = pending approval
quote-status-approved = approved
quote-status-sent = sent
quote-status-accepted = accepted
quote-status-rejected = rejected
quote-status-expired = expired

## the quote screen

quote-head =
    📄 <b>{ $number }</b> · { $status }
    Customer: { $company } · deal: { $deal }
    Owner: { $owner } · valid until { $until }
quote-no-lines = No products yet. Tap "➕ Add a product" to search the catalog.
quote-line = { $n }. { $name } × { $qty } { $unit } @ { $price } = <b>{ $net }</b>
quote-line-discount = {" "}({ $percent } off)
quote-line-free = {" "}🛠
quote-line-floor = {" "}⚠️ under the floor price { $floor }
quote-history-last = ↩ this customer last { $prices }
quote-history-median = ≈ team 90-day median { $price } ({ $count ->
    [one] { $count } line
   *[other] { $count } lines
    })
quote-subtotal = Subtotal (list prices): { $amount }
quote-discount = Discount: -{ $amount } ({ $percent })
quote-discount-whole = {"  "}of which { $percent } on the whole quote
quote-tax = Tax: { $amount }
quote-total = <b>Total (with tax): { $amount }</b>
quote-margin = Gross margin: { $amount } ({ $percent }; { $before } before discounts)
quote-route = 🧾 Approval needed: { $levels } ({ $why })
quote-route-none = 🧾 No approval needed: submitting approves it
quote-needs-count = 🎯 Needs covered: { $covered }/{ $total }
quote-needs-uncovered = {"  "}⬜ not covered: { $need }
quote-reason-line = 💬 Reason for the discount: { $reason }
quote-counter-line = 💬 Counter-offer: { $percent } off in all
quote-customer-reason = ❌ The customer's reason: { $reason }
quote-step-pending = ⏳ waiting for the { $level }
quote-step-approved = ✅ approved by the { $level }
quote-step-rejected = ❌ rejected by the { $level }
quote-step-countered = 💬 counter-offer by the { $level }
quote-btn-card = 📄 Quote
quote-btn-add = ➕ Add a product
quote-btn-free = 🛠 Service line
quote-btn-discount = ％ Whole-quote discount
quote-btn-needs = 🎯 Needs check
quote-btn-reason = 💬 Reason
quote-btn-submit = 📤 Submit
quote-btn-withdraw = ↩️ Withdraw to change
quote-btn-pdf = 📄 PDF
quote-btn-xlsx = 📊 Excel
quote-btn-sent = 📨 Mark sent
quote-btn-accepted = 🤝 Customer accepted
quote-btn-rejected = ❌ Customer rejected
quote-btn-revise = ✏️ Revise (new version)
quote-btn-template = 💾 Save as template
quote-btn-deal-quotes = 📚 The deal's quotes
quote-btn-deal = 💼 Back to the deal
quote-btn-new = ➕ New quote
quote-btn-from = 📋 From a template / earlier quote
quote-btn-take-counter-at = ✅ Take the offer ({ $percent } off)
quote-btn-type-qty = ✏️ Type a quantity
quote-btn-type-discount = ✏️ Type a discount
quote-btn-remove = 🗑 Remove this line
quote-btn-needs-done = ✅ Done
quote-choose-deal = Which deal is the quote for?
quote-no-deals = You have no open deals. Capture one with /lead or claim one in /pool.
quote-deal-title = 📚 Quotes of { $deal }
quote-deal-line = • { $number } · { $status } · { $total }
quote-deal-none = No quotes yet.
quote-from-title = Start from 📋 a team template or 🔁 an earlier quote to this customer:
quote-from-none = No templates and no earlier quotes to this customer yet. Tap "➕ New quote" to start empty.
quote-ask-search = 🔎 Type a product name or code (2 characters at least):
quote-search-none = Nothing found for "{ $query }". Try other words.
quote-search-found = { $count } found for "{ $query }": tap one to add it.
quote-ask-qty = { $name } ({ $price } per { $unit }): how many?
quote-type-qty = Type the quantity (a whole number):
quote-type-discount = Type the discount in percent, e.g. 12.5:
quote-ask-whole-discount = A discount on the whole quote (after each line's own): now { $percent }
quote-line-screen = { $name }: { $qty } { $unit }, { $percent } off. Change the quantity or the discount, or remove it:
quote-ask-free = 🛠 Type a service line: name price [x quantity], e.g. "Implementation 5000" or "Training 2000 x3".
quote-ask-reason = 💬 Your reason for the discount, for the approvers (e.g. a competitor is cheaper; a three-year contract):
quote-ask-reason-submit = 📤 This quote needs approval ({ $levels }). One line on why the discount helps them decide faster (e.g. a competitor quoted lower, a three-year contract):
quote-btn-submit-anyway = 📤 Submit without it
quote-ask-template = 💾 The template's name:
quote-ask-customer-reason = ❌ Why did the customer reject it? (kept for the lost-reason analysis)
quote-needs-none = No needs are recorded on this deal yet. Note them in /log and check them here.
quote-needs-title = 🎯 Which needs does this quote cover? Tap to tick ({ $covered }/{ $total }):
quote-free-unit = item
quote-done-started = ✅ New quote { $number }
quote-done-added = ✅ Added: { $name } × { $qty }
quote-done-changed = ✅ Changed
quote-done-removed = ✅ Removed
quote-done-submitted = 📤 Submitted for approval; the approvers are notified.
quote-done-approved-at-once = ✅ No approval needed: the quote is approved. Make the PDF / Excel for the customer.
quote-done-sent = 📨 Marked as sent.
quote-done-accepted = 🤝 Accepted! The deal's amount is now { $total } and it is in the contract stage.
quote-done-rejected = The customer's reason is kept. Revise the quote for a new version.
quote-done-revised = ✏️ New version { $number }: change it and submit it again.
quote-done-withdrawn = ↩️ Withdrawn from approval: the quote is a draft again; submit it when it is ready.
quote-done-counter-taken = ✅ Offer taken: the quote is approved.
quote-done-template = 💾 Saved as the template "{ $name }"
quote-document-caption = { $number } · { $company }

## approvals in chat

approval-done-approved = ✅ { $number } approved.
approval-done-next = ✅ { $number } approved; it goes on to the next level.
approval-done-rejected = ❌ { $number } rejected; the rep gets your reason.
approval-done-countered = 💬 Counter-offer on { $number } sent; waiting for the rep.
approval-ask-reason = ❌ Why reject { $number }? (the rep reads it)
approval-ask-counter = 💬 { $number } asks for { $asked } off in all. What would you accept?
approval-btn-counter-type = ✏️ Type a percentage
approval-type-counter = Type the total discount you would accept (below the one asked), e.g. 12:
approvals-empty = 👍 No quotes wait for your approval.
approvals-title = 🧾 Quotes waiting for your approval ({ $count }, oldest first):
approvals-line = { $n }. { $number } · { $company } · { $rep } · { $level } · { $total } · since { $since }

## documents

doc-title = { $team } — Quotation
doc-number = Quote no.
doc-customer = Customer
doc-contact = Contact
doc-date = Date
doc-valid-until = Valid until
doc-rep = Sales rep
doc-currency = Currency
doc-col-no = No.
doc-col-item = Item
doc-col-qty = Qty
doc-col-price = Unit price
doc-col-discount = Discount
doc-col-tax = Tax
doc-col-amount = Amount (excl. tax)
doc-col-amount-number = Amount (number)
doc-subtotal = Subtotal
doc-discount = Discount
doc-net = Net
doc-tax = Tax
doc-total = Total incl. tax
doc-note = This quotation is valid until { $until }. Unit prices exclude tax.

## /products

products-title = 📦 <b>Catalog</b> ({ $total } products)
products-title-search = 📦 <b>Catalog</b> · search "{ $query }" ({ $total })
products-empty = No products yet. Tap "➕ Add a product", or send a CSV / Excel file to import.
product-line = <b>{ $code }</b> { $name } · { $price } / { $unit }
product-inactive-mark = {" "}(inactive)
product-card =
    📦 <b>{ $code }</b> · { $name }
    English name: { $name_en }
    Unit: { $unit }
    List price: { $price } (excl. tax)
    Floor price: { $floor }
    Cost: { $cost }
    Tax: { $tax } · currency: { $currency }
    Category: { $category }
    Status: { $active }
product-active-yes = ✅ active
product-active-no = 🚫 inactive
products-btn-add = ➕ Add a product
products-btn-import = 📥 Import CSV/Excel
products-btn-edit = ✏️ Edit
products-btn-deactivate = 🚫 Deactivate
products-btn-activate = ✅ Re-activate
products-btn-open = 📦 Open the product
products-btn-save = ✅ Save
products-btn-skip = ⏭ Skip
products-btn-keep = ➡️ Keep
products-btn-clear = 🧹 Clear
products-btn-import-confirm = ✅ Import ({ $count })
products-done-added = ✅ { $code } added
products-done-edited = ✅ { $code } saved
products-done-activated = ✅ Re-activated
products-done-deactivated = 🚫 Deactivated (quotes that have it keep it; search no longer shows it)
products-add-head = ➕ <b>Add a product</b>
products-edit-head = ✏️ <b>Edit a product</b>
products-ask-code = Product code (e.g. CRM-PRO):
products-ask-name = Name (Chinese):
products-ask-name-en = English name (or skip):
products-ask-unit = Unit (tap one, or type it):
products-ask-price = List price per unit, excluding tax, e.g. 12800:
products-ask-floor = Floor price (quotes under it need approval; or skip):
products-ask-cost = Cost per unit (for the margin):
products-ask-tax = Tax rate (tap one, or type it, e.g. 13%):
products-ask-category = Category (or skip):
products-expect-text = Type it, or tap a button below.
products-field-code = Code
products-field-name_zh = Name
products-field-name_en = English
products-field-unit = Unit
products-field-price = Price
products-field-floor = Floor
products-field-cost = Cost
products-field-tax = Tax
products-field-category = Category
products-review =
    Code: { $code }
    Name: { $name }
    English name: { $name_en }
    Unit: { $unit }
    List price: { $price }
    Floor price: { $floor }
    Cost: { $cost }
    Tax: { $tax }
    Category: { $category }
products-col-code = code
products-col-name_zh = name
products-col-name_en = English name
products-col-unit = unit
products-col-list_price_minor = list price
products-col-floor_price_minor = floor price
products-col-cost_minor = cost
products-col-tax_bp = tax rate
products-col-currency = currency
products-col-active = active
products-col-category = category
products-import-help =
    📥 Send me a CSV or Excel (.xlsx) file whose first row names the columns:
    code, name_zh, unit, list_price, cost (required),
    name_en, floor_price, tax_rate, currency, active, category (optional; Chinese column names work too).
    You get a preview first (new, changed, each bad row); nothing is written until you confirm, and the same file twice changes nothing.
products-import-not-allowed = Got the file, but only managers and admins import into the catalog.
products-import-missing = ❌ The first row lacks these columns: { $columns }. /products → "📥 Import" explains the columns.
products-import-preview = 📥 <b>Import preview</b>: new { $new } · changed { $changed } · unchanged { $same } · errors { $errors }
products-import-new = ➕ row { $row } { $code } { $name } · { $price }
products-import-changed = ✏️ row { $row } { $code }: { $fields }
products-import-error = ❌ row { $row }: { $problem }
products-import-more-errors = … { $count ->
    [one] { $count } more row has errors
   *[other] { $count } more rows have errors
    }
products-import-confirm-hint = Rows with errors are not imported. Nothing is written until you confirm.
products-import-nothing = Nothing to write.
products-import-done = ✅ Imported: { $added } added, { $changed } changed.
