## Lead details (domain/contact.py)

error-phone = That phone number doesn't look right. Please check it, e.g. { $example } or +86 138 0013 8000 (include the country code for numbers outside China).
error-email = That email address doesn't look right. Please check it, e.g. { $example }.
