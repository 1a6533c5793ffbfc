## Leads: /lead, a shared contact card, quick capture, dedupe and the saved lead's card

cmd-lead = 录入线索

lead-not-allowed = 录入线索是销售、销售经理和管理员的事，你的角色用不了这个功能。
lead-progress = 📋 新线索 · 第 { $step }/{ $total } 步
lead-current = 现在填的是：{ $value }

lead-ask-company = 🏢 客户公司叫什么？
lead-ask-contact = 👤 联系人怎么称呼？（比如：张总、李经理）
lead-ask-phone =
    📞 联系人电话多少？
    直接发号码就行，比如 13800138000，国外号码带区号：+44 20 7946 0958
    也可以直接把 TA 的名片分享给我。
lead-ask-email = 📧 邮箱是多少？比如 zhang@example.com
lead-ask-email-required = 📧 没留电话的话，邮箱就必须有一个，比如 zhang@example.com
lead-ask-source = 📍 这条线索是从哪来的？
lead-ask-need = 📝 客户想要什么？打字或者直接发语音都行。
lead-ask-budget = 💰 预算情况怎么样？
lead-ask-authority = 🧑‍💼 对接的人能拍板吗？
lead-ask-timeline = ⏱ 客户打算什么时候上？
lead-ask-industry = 🏭 客户是哪个行业的？

lead-btn-skip = 跳过 ⏭
lead-btn-next = 不改，下一步 ➡️

lead-budget-known = 预算明确
lead-budget-rough = 有个大概
lead-budget-unknown = 还不清楚

lead-budget-with-note = { $budget }（{ $note }）

lead-authority-yes = 能拍板
lead-authority-influencer = 能影响决策
lead-authority-no = 不能

lead-timeline-this_month = 本月
lead-timeline-this_quarter = 本季度
lead-timeline-later = 以后再说
lead-timeline-unknown = 不确定

lead-field-company = 公司
lead-field-contact = 联系人
lead-field-phone = 电话
lead-field-email = 邮箱
lead-field-source = 来源
lead-field-need = 需求
lead-field-budget = 预算
lead-field-authority = 决策人
lead-field-timeline = 时间
lead-field-industry = 行业

lead-field-line = { $field }：{ $value }
lead-empty = —
lead-voice-need = 🎤 语音
lead-summary-title = 📋 <b>新线索，确认一下：</b>
lead-summary-missing = ⚠️ 还缺：{ $fields }
lead-summary-hint = 没问题就点「确认保存」，要改哪项就点哪项。
lead-btn-confirm = ✅ 确认保存
lead-btn-keep-myself-off = ⬜ 我自己跟进
lead-btn-keep-myself-on = ☑️ 我自己跟进
lead-btn-edit = ✏️ { $field }

lead-contact-card = 📇 收到名片：{ $name } { $phone }
lead-quick-parsed = 👀 我从你的消息里整理出这些：
lead-quick-ask = 还差几项，补上就能保存。

lead-bad-company = 公司名称要 1 到 100 个字，不能以 / 开头。比如：华东科技有限公司
lead-bad-company-length = 公司名称要 1 到 { $max } 个字，不能以 / 开头。比如：华东科技有限公司
lead-bad-contact = 联系人称呼要 1 到 64 个字，比如：张总
lead-bad-contact-phone = 这是电话号码，不是称呼 🤔 联系人怎么称呼？比如：张总；不知道就点「跳过」。
lead-contact-was-phone = 📞 { $phone } 已经记为电话。联系人怎么称呼？比如：张总；不知道就点「跳过」。
lead-bad-phone =
    「{ $input }」不像是电话号码 🤔
    手机号直接发，比如 13800138000；国外号码带区号，比如 +44 20 7946 0958
lead-bad-email =
    「{ $input }」不像是邮箱地址 🤔
    请这样发：zhang@example.com
lead-bad-need = 需求描述最多 { $max } 个字，精简一下再发吧。
lead-need-phone-or-email = 电话和邮箱至少要留一个，请发个邮箱，比如 zhang@example.com

lead-expect-company = 请直接发客户公司的名称，比如：华东科技。
lead-expect-contact = 请直接发联系人的称呼，比如：张总；不知道就点「跳过」。
lead-expect-phone = 请直接发电话号码，比如 13800138000，或者分享联系人名片；没有就点「跳过」。
lead-expect-email = 请直接发邮箱地址，比如 zhang@example.com。
lead-expect-need = 请打字说说客户的需求，或者发条语音；不清楚就点「跳过」。
lead-expect-buttons = 这一步点下面的按钮选就行，或者点「返回」「取消」。
lead-expect-summary = 点下面的「确认保存」，或者点要改的那一项。
lead-expect-note = 请直接发要补充的内容（文字），或者点「返回」「取消」。

lead-dup-title = ⚠️ 先等一下，这个客户好像已经有记录了：
lead-dup-deal =
    { $n }. <b>{ $company }</b>（商机 #{ $id }，{ $matched }）
       负责人：{ $owner } · 阶段：{ $stage } · 最近跟进：{ $last }
lead-dup-lead =
    { $n }. <b>{ $company }</b>（线索 #{ $id }，{ $matched }）
       录入人：{ $creator } · 状态：{ $status } · 最近跟进：{ $last }
lead-dup-other-team = { $n }. 已存在，归属团队「{ $team }」（{ $matched }）
lead-dup-hint = 要怎么处理？新录入的这条还没有保存。
lead-dup-waiting = 等待同事确认接手
lead-status-new = 新线索
lead-status-nurture = 培育中
lead-status-qualified = 待分配
lead-status-converted = 已转商机
lead-dup-matched-phone = 电话相同
lead-dup-matched-email = 邮箱相同
lead-dup-matched-company = 公司相同
lead-dup-no-owner = 暂无（在公海）
lead-dup-never = 还没有跟进
lead-dup-btn-note = 📝 补充备注到 { $n }
lead-dup-btn-continue = ➡️ 去跟进 { $n }
lead-dup-btn-new = ➕ 仍然新建（同公司的新线索）
lead-dup-yours-deal = 「{ $company }」是你自己在跟的商机（#{ $id }），接着在那条上跟进就行，发 /deals 可以找到。新录入的这条没有保存。
lead-dup-yours-lead = 「{ $company }」是你自己录入的线索（#{ $id }），还在培育中；有新情况可以给它补充备注。新录入的这条没有保存。
lead-dup-not-yours = 这条记录不归你负责，不能直接去跟进；可以给它补充备注。

lead-note-ask = 📝 要给「{ $company }」补充什么？直接发文字：
lead-note-saved = ✅ 已补充到「{ $company }」的记录里。新录入的这条没有重复保存。
lead-bad-note = 备注要 1 到 { $max } 个字，请重新发一下：

lead-saved = ✅ 线索已保存：<b>{ $company }</b>（#{ $id }）
lead-score = 评分 { $score }/10：{ $reasons }
lead-score-plain = 评分 { $score }/10
lead-related = 🔗 已关联到同公司的已有记录。

lead-outcome-nurture = 🌱 分数不够，先放培育池，可以补充信息后重新评分。
lead-outcome-handoff = 👉 已分配给 { $name }，等待 TA 确认。
lead-outcome-handoff-later = 🌙 现在是下班时间，{ $name } 会在 { $at } 上班后收到。
lead-outcome-owned = 💪 归你跟进。
lead-outcome-pool = 🌊 进入公海，已通知经理。

lead-already-handled = 这条线索已经处理过了，不用再点 👌
