## Lead details (domain/contact.py)

error-phone = 手机号好像不对，请检查一下，例如 { $example } 或 +86 138 0013 8000（国外号码请带上国家区号）。
error-email = 邮箱格式好像不对，请检查一下，例如 { $example }。
