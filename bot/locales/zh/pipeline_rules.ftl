## Lead details and stage rules (domain/contact.py, domain/stages.py)

error-phone = 手机号好像不对，请检查一下，例如 { $example } 或 +86 138 0013 8000（国外号码请带上国家区号）。
error-email = 邮箱格式好像不对，请检查一下，例如 { $example }。
error-stage-skip = 商机阶段要一步一步推进，不能跳过。确实需要跳过的话，请找销售经理操作。
error-stage-won-early = 签了合同之后才能标记赢单。如果情况特殊，请找销售经理确认。
error-stage-closed = 这个商机已经关闭，不能再改阶段了。丢单的商机可以由销售经理重新打开。
error-stage-finance = 回款需要财务确认到账后，商机才能进入交付阶段。
error-stage-not-owner = 只有这个商机的负责人或销售经理可以修改阶段。
error-lost-reason = 请选择一个丢单原因。
