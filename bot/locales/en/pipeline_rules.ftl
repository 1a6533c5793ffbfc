## Lead details and stage rules (domain/contact.py, domain/stages.py)

error-phone = That phone number doesn't look right. Please check it, e.g. { $example } or +86 138 0013 8000 (include the country code for numbers outside China).
error-email = That email address doesn't look right. Please check it, e.g. { $example }.
error-stage-skip = Deals move one stage at a time. If a stage really has to be skipped, ask your sales manager.
error-stage-won-early = A deal can be marked as won once the contract is signed. For an exception, ask your sales manager.
error-stage-closed = This deal is closed, so its stage can't change. A sales manager can reopen a lost deal.
error-stage-finance = The deal moves to delivery once finance confirms the payment has arrived.
error-stage-not-owner = Only the deal's owner or a sales manager can change its stage.
error-lost-reason = Please choose a reason why the deal was lost.
