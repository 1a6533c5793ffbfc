## Importing leads from a file (handlers/imports.py, domain/intake/imports.py)

import-not-allowed = Got your file. It is a list of leads, and only managers and admins can import those; please pass it to your manager.
error-import-leads-role = Only managers and admins can import leads.
import-preview-title = 📥 <b>Lead import preview</b>: { $file }
import-preview-counts = { $total ->
    [one] { $total } row
   *[other] { $total } rows
    }: 🆕 new { $new } · 🔁 duplicates { $duplicates } · ❌ with problems { $invalid }
import-missing = ❌ I can't find these columns yet: { $columns }. Tap "✏️ Columns" and show me which one it is.
import-too-many = ⚠️ At most { $max ->
    [one] { $max } row
   *[other] { $max } rows
    } go in one import; the last { $skipped ->
        [one] { $skipped } row
       *[other] { $skipped } rows
    } were not read. Please split the file.
import-mapping-title = <b>Columns</b> (tap "✏️ Columns" if one is wrong):
import-mapping-line = { $field } ← { $column }
import-mapping-source-all = Source ← all as "{ $source }"
import-first-rows = <b>First new leads</b>:
import-row = Row { $row } { $company } · { $contact } · { $reach } · { $source }
import-duplicates-title = <b>🔁 Duplicates, not imported ({ $count ->
    [one] { $count } row
   *[other] { $count } rows
    })</b>:
import-invalid-title = <b>❌ With problems, not imported ({ $count ->
    [one] { $count } row
   *[other] { $count } rows
    })</b>:
import-problem = Row { $row }: { $problem }
import-more = …and { $count } more; you'll get them all in an Excel file after the import
import-confirm-hint = Nothing is written until you tap "✅ Import". New leads are scored and assigned by the team's rules as usual; each rep gets one summary message.
import-nothing-new = There are no new leads to import; nothing will be written.
import-btn-confirm = ✅ Import { $count ->
    [one] { $count } new lead
   *[other] { $count } new leads
    }
import-btn-fields = ✏️ Columns
import-btn-source = 📍 Source: { $source }
import-source-column = from the file's source column
import-fields-title = Which field's column should change? (letters are the sheet's columns)
import-btn-field = { $field }: { $column }
import-field-title = Which column holds "{ $field }"?
import-btn-no-column = 🚫 Don't import this field
import-sources-title = How should these leads' source be recorded? From the file's source column, or one source for the whole file:
import-progress = ⏳ Importing "{ $file }": { $done } / { $total ->
    [one] { $total } row
   *[other] { $total } rows
    }{ $eta }
    Feel free to do something else meanwhile; this message will turn into the result.
import-eta = , about { $seconds } s left
import-done =
    ✅ <b>Import finished</b>: { $file }
    { $imported ->
        [one] { $imported } new lead
       *[other] { $imported } new leads
    }: { $handoff } offered to reps · { $pool } in the pool · { $nurture } in nurture
import-done-reps = Offered to: { $reps }. Each of them gets one summary message and accepts the leads one by one.
import-done-rep = { $rep } { $count }
import-done-left-out = Not imported: { $duplicates } duplicate rows · { $invalid ->
    [one] { $invalid } row
   *[other] { $invalid } rows
    } with problems. The reasons are in the Excel file below; fix them and send it again (what is in already won't be duplicated).
import-done-all-in = Every row went in.
import-errors-caption = 📎 These { $count ->
    [one] { $count } row
   *[other] { $count } rows
    } were not imported; each has its reason. Fix them and send me this file as it is to import them.
import-errors-sheet = Not imported
import-errors-col-row = Row in your file
import-errors-col-result = Result
import-errors-col-reason = Reason
import-errors-duplicate = duplicate
import-errors-invalid = problem
import-dup-known = same { $on } as the lead "{ $company }" (#{ $id }) you already have
import-dup-in-file = same { $on } as row { $first }
import-on-phone = phone
import-on-email = e-mail
import-on-company = company name
import-field-company = Company
import-field-contact_name = Contact
import-field-phone = Phone
import-field-email = E-mail
import-field-source = Source
import-field-need = Need
import-field-budget = Budget
import-field-timeline = Timeline
import-field-authority = Decision maker
import-field-industry = Industry
import-field-region = Region
import-field-product = Product
import-field-phone_or_email = phone or e-mail

## The cards of imported leads (domain/outbox/kinds.py HANDOFF_CARD_IMPORTED, Family.IMPORTED)

handoff-card-imported =
    📥 <b>{ $by } imported a new lead for you</b>
    Customer: { $company } (contact: { $contact })
    Source: { $source }
    Score: { $score }/10 ({ $reasons })
    Need: { $need }

    Please answer by <b>{ $deadline }</b> ({ $minutes } working minutes).
    Tap Accept and it is yours to follow up; if you can't take it, tap Decline and say why, and I'll pass it to the next colleague at once.
outbox-digest-imported =
    📥 <b>{ $count ->
        [one] { $count } imported lead was offered to you</b> and waits for your answer.
       *[other] { $count } imported leads were offered to you</b> and wait for your answer.
    }
    Tap the button below to open the deals waiting for you and accept or decline each; one left unanswered moves on to the next colleague.
outbox-line-imported = { $company } · { $contact } · { $score }/10 · answer by { $deadline }
outbox-digest-btn-imported = ⏳ Deals waiting for me
