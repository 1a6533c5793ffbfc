## After-sales (issue 13): service tickets (/ticket, /tickets) and satisfaction surveys

cmd-ticket = 新建售后工单
cmd-tickets = 售后工单列表
cmd-customer = 客户卡片（商机、报价、工单、评分）

ticket-category-fault = 故障
ticket-category-question = 咨询
ticket-category-complaint = 投诉
ticket-category-change = 变更需求
ticket-priority-p1 = P1 紧急
ticket-priority-p2 = P2 较急
ticket-priority-p3 = P3 一般
ticket-priority-any = 全部优先级
ticket-priority-any-short = 全部
ticket-status-new = 新建
ticket-status-in_progress = 处理中
ticket-status-waiting = 等待客户
ticket-status-resolved = 已解决
ticket-status-closed = 已关闭
ticket-scope-mine = 我的
ticket-scope-team = 团队
ticket-filter-open = 未解决
ticket-filter-waiting = 等待客户
ticket-filter-risk = ⚠️ 快超时
ticket-filter-done = 已解决
ticket-filter-all = 全部
ticket-late-100 = 已超时
ticket-late-200 = 已超时一倍，仍未处理

## /ticket
ticket-new-head = 🛠 <b>新建售后工单</b> · { $company }
ticket-new-head-empty = 🛠 <b>新建售后工单</b>
ticket-said-description = 问题：{ $description }
ticket-btn-keep = 不改，继续 ➡️
ticket-ask-customer = 是哪个客户的问题？点下面的客户，或者直接发客户名称。
ticket-expect-customer = 请点一个客户，或者发客户名称（文字）。
ticket-ask-category = 问题属于哪一类？
ticket-ask-priority =
    有多急？
    P1 紧急：1 个工作小时内响应，1 个工作日内解决
    P2 较急：4 个工作小时内响应，3 个工作日内解决
    P3 一般：1 个工作日内响应，7 个工作日内解决
ticket-ask-description = 说一下客户遇到的问题：可以打字、发照片（配文字说明）或者发语音。
ticket-expect-description = 请发文字、照片或语音来描述问题。
ticket-description-photo = （见照片）
ticket-description-voice = （见语音）
ticket-created = ✅ 工单 { $number } 已创建，负责人：{ $owner }。时限已开始按工作时间计算。

## the list and the card
ticket-list-head = 🛠 <b>售后工单</b> · { $scope } · { $what } · { $priority }
ticket-list-empty = 这里没有工单。用 /ticket 新建一个。
ticket-line = { $icon } { $number } { $company } · { $category } · { $status }
ticket-card-head = { $icon } <b>{ $number }</b> · { $company } · { $priority } · { $category }
ticket-card-status = 状态：{ $status } · 负责人：{ $owner } · 提交人：{ $opener }
ticket-card-contact = 联系人：{ $contact }
ticket-card-description = 问题：{ $text }
ticket-card-media-photo = 📎 附照片
ticket-card-media-voice = 📎 附语音
ticket-card-response-due = ⏱ 首次响应截止：{ $due }
ticket-card-resolve-due = ⏱ 解决截止：{ $due }
ticket-card-paused = ⏸ 等待客户中，计时暂停（还剩 { $left } 工作时间）
ticket-card-late = 🚨 已超过时限
ticket-card-at-risk = ⚠️ 时限快到了
ticket-card-scores = ⭐ 满意度：{ $scores }
ticket-card-history = <b>处理记录</b>
ticket-duration = { $hours } 小时 { $minutes } 分
ticket-history-ticket-created = 创建了工单
ticket-history-ticket-started = 开始处理
ticket-history-ticket-waiting = 转为等待客户
ticket-history-ticket-resumed = 客户已回复，继续处理
ticket-history-ticket-resolved = 标记已解决
ticket-history-ticket-closed = 关闭了工单
ticket-history-ticket-reopened = 重新打开
ticket-history-ticket-sla-response-2 = ⏰ 首次响应超时，已告知经理
ticket-history-ticket-sla-response-3 = ⏰ 首次响应超时一倍，再次告知经理
ticket-history-ticket-sla-resolve-2 = ⏰ 解决超时，已告知经理
ticket-history-ticket-sla-resolve-3 = ⏰ 解决超时一倍，再次告知经理
ticket-history-survey-answered = ⭐ 客户评价
ticket-history-survey-phone = ☎️ 电话回访评分
ticket-btn-start = ▶️ 开始处理
ticket-btn-wait = ⏸ 等待客户
ticket-btn-resume = ▶️ 客户已回复
ticket-btn-resolve = ✅ 已解决
ticket-btn-close = 🔒 关闭
ticket-btn-reopen = ↩️ 重新打开
ticket-btn-link = 🔗 满意度链接
ticket-btn-phone = ☎️ 电话评分
ticket-btn-refresh = 🔄 刷新
ticket-btn-list = 🛠 工单列表
ticket-btn-open = 查看工单
ticket-btn-follow = 🛠 开跟进工单
ticket-done-start = ▶️ { $number } 开始处理，首次响应已记录。
ticket-done-wait = ⏸ { $number } 等待客户回复，解决时限暂停计时。
ticket-done-resume = ▶️ { $number } 继续处理，解决时限接着计时。
ticket-done-resolve = ✅ { $number } 已解决。
ticket-done-close = 🔒 { $number } 已关闭。
ticket-done-reopen = ↩️ { $number } 已重新打开。
ticket-ask-phone-score = ☎️ 客户在电话里给了几分？（1 分最差，5 分最好）
ticket-phone-recorded = ☎️ 已记录电话评分：{ $score }/5
ticket-follow-up-opened = 🛠 已开跟进工单，负责人会收到通知。
ticket-survey-link =
    🔗 请把下面的链接转发给客户，请他给这次服务打个分：
    { $link }
    链接 { $days } 天内有效，只能用一次。客户也可以在电话里告诉你分数，点 ☎️ 电话评分 记下来。

## notices
ticket-assigned =
    🛠 新售后工单 <b>{ $number }</b> 交给你处理
    客户：{ $company } · { $priority } · { $category }
    提交人：{ $opener }
    请尽快联系客户，点「开始处理」记录首次响应。
ticket-response-due =
    ⏰ 工单 <b>{ $number }</b>（{ $company } · { $priority } · { $category }）还没有响应
    首次响应截止：{ $due }
    联系客户后点「开始处理」，避免超时。
ticket-resolve-due =
    ⏰ 工单 <b>{ $number }</b>（{ $company } · { $priority } · { $category }）快到解决时限了
    解决截止：{ $due }
    解决后点「已解决」；如果在等客户回复，点「等待客户」暂停计时。
ticket-response-late =
    🚨 工单 <b>{ $number }</b> 首次响应{ $late }
    客户：{ $company } · { $priority } · { $category }
    负责人：{ $owner } · 截止：{ $due }
    请跟进一下负责人或者改派。
ticket-resolve-late =
    🚨 工单 <b>{ $number }</b> 解决{ $late }
    客户：{ $company } · { $priority } · { $category }
    负责人：{ $owner } · 截止：{ $due }
    请跟进一下负责人或者改派。
ticket-resolved-owner =
    ✅ 你的工单 <b>{ $number }</b>（{ $company } · { $priority } · { $category }）已由 { $by } 标记解决。
    打开工单点「🔗 满意度链接」，转发给客户请他评价。
survey-low-score =
    😟 客户满意度低：<b>{ $score }/5</b>（{ $channel }）
    客户：{ $company } · 工单：{ $number } · 负责人：{ $owner }
    客户说：{ $comment }
    建议尽快回访；点「开跟进工单」一键跟进。
survey-no-comment = （没有留言）
survey-channel-link = 客户在线评价
survey-channel-phone = 电话回访

## the customer's side
survey-welcome =
    您好！感谢您对我们的信任 🙏
    关于「{ $company }」最近的这次服务，您满意吗？请点星级打分（1 分最差，5 分最好）。
survey-ask-score = 请点星级打分（1 分最差，5 分最好）。
survey-ask-comment = 您打了 { $score } 分，谢谢！还有什么想对我们说的吗？直接发文字就行；不想写，点「提交」即可。
survey-ask-comment-low = 您打了 { $score } 分，很抱歉让您失望了。能说说哪里做得不好吗？直接发文字就行，我们的经理会亲自跟进；不想写，点「提交」即可。
survey-btn-send = ✅ 提交
survey-btn-rescore = ✏️ 改分数
survey-thanks = 🙏 已收到您的评价（{ $score }/5），非常感谢！这个链接已经用过了，不需要再做别的。
survey-expect-score = 请点上面的星级按钮打分。这里只能用来给服务打分哦。
survey-expect-comment = 请直接发文字留言，或者点「提交」。这里只能用来给服务打分哦。

## errors
error-ticket-description = 请描述一下客户遇到的问题。
error-ticket-description-long = 描述太长了，最多 { $max } 个字。
error-ticket-company = 客户名称要 1–{ $max } 个字。
error-ticket-note-long = 备注最多 { $max } 个字。
error-ticket-not-found = 找不到这个工单。
error-ticket-not-yours = 这个工单不是你负责的。
error-ticket-role = 你没有权限处理售后工单。
error-ticket-team-role = 只有销售经理和管理员可以看全团队的工单。
error-ticket-moved = 这个工单的状态已经变了，刷新看看最新情况。
error-ticket-in_progress-not-now = 这个工单现在不能改成处理中，刷新看看最新情况。
error-ticket-reopen-late = 工单解决超过 { $days } 天就不能重新打开了，请新建一个工单。
error-survey-score = 分数要在 1 到 5 之间。
error-survey-comment-long = 留言太长了，最多 { $max } 个字。
error-survey-not-resolved = 工单解决之后才能请客户评价。
error-survey-member = 这是发给客户的评价链接，请直接转发给客户，自己不用点开。
error-survey-link = 这个评价链接无效。请向联系您的销售要一个新的链接。
error-survey-used = 这个评价链接已经用过了，感谢您的反馈！
error-survey-expired = 这个评价链接已过期。请向联系您的销售要一个新的链接。
error-survey-follow-up-role = 只有销售经理和管理员可以开跟进工单。
error-survey-follow-up-done = 跟进工单已经开过了。

webhook-event-ticket-created = 新售后工单
webhook-event-ticket-resolved = 工单已解决

# --- wire-ups: the deal card's ticket button, the after-sales rules in /policy
ticket-btn-deal = 🛠 工单
policy-btn-service = 🛠 售后规则
policy-service-card =
    🛠 <b>售后规则</b>
    新工单给谁：{ $rule }
    售后专员：{ $person }
    时限（工作时间，首次响应 / 解决）：
    P1 紧急：{ $p1 }
    P2 一般：{ $p2 }
    P3 不急：{ $p3 }
    满意度链接有效期：{ $days } 天
    续约提醒：到期前 { $renewal } 天
policy-service-sla = { $response } 小时 / { $resolve } 小时
policy-service-nobody = 未指定
policy-service-rule-deal_owner = 商机负责人（没有商机时给售后专员）
policy-service-rule-service = 一律给售后专员
policy-btn-service-rule-deal_owner = 🔀 改为：给商机负责人
policy-btn-service-rule-service = 🔀 改为：一律给售后专员
policy-btn-service-person = 🧑‍🔧 售后专员
policy-btn-service-nobody = 不指定
policy-service-choose-person = 谁来当售后专员？按“一律给售后专员”时，新工单都给 TA；没有商机的工单也给 TA。
policy-btn-service-p1_response = P1 响应
policy-btn-service-p2_response = P2 响应
policy-btn-service-p3_response = P3 响应
policy-btn-service-p1_resolve = P1 解决
policy-btn-service-p2_resolve = P2 解决
policy-btn-service-p3_resolve = P3 解决
policy-btn-service-survey_days = 🔗 链接有效期
policy-service-name-p1_response = P1 首次响应时限
policy-service-name-p2_response = P2 首次响应时限
policy-service-name-p3_response = P3 首次响应时限
policy-service-name-p1_resolve = P1 解决时限
policy-service-name-p2_resolve = P2 解决时限
policy-service-name-p3_resolve = P3 解决时限
policy-service-name-survey_days = 满意度链接有效期
policy-service-unit-hours = { $value } 个工作小时
policy-service-unit-days = { $value } 天
error-service-person = 这个人不在你们团队，或者已经停用了，换一个吧。
error-service-person-needed = 要“一律给售后专员”，得先指定一位售后专员。
error-service-sla = 时限要在 { $min } 到 { $max } 个工作小时之间。
error-service-sla-order = { $priority } 的首次响应时限不能比解决时限还长。
error-service-survey-days = 链接有效期要在 { $min } 到 { $max } 天之间。

# --- delivery checklists (交付清单)
delivery-item-kickoff = 启动会
delivery-item-install = 安装部署
delivery-item-training = 培训
delivery-item-acceptance = 验收签字
delivery-item-custom = 交付事项
delivery-head = 📦 <b>交付清单</b> · { $company }
delivery-line = { $mark } { $n }. { $name } — { $owner } · { $state } { $due }
delivery-state-done = 完成于
delivery-state-due = 截止
delivery-hint = 点事项可以标记完成或换负责人；客户验收签字后，商机自动转入售后。
delivery-signed = ✍️ 客户已验收签字，交付完成，商机已转入售后。
delivery-item-card =
    📦 { $company } · <b>{ $name }</b>
    负责人：{ $owner }
    { $state } { $due }
delivery-item-done = 已完成（{ $at }）· 截止
delivery-item-document = 📎 已附验收单
delivery-btn-card = 📦 交付清单
delivery-btn-open = 📦 打开交付清单
delivery-btn-deal = ⬅️ 返回商机
delivery-btn-back = ⬅️ 返回清单
delivery-btn-done = ✅ 完成
delivery-btn-sign = ✍️ 验收签字
delivery-btn-owner = 👤 换负责人
delivery-btn-link = 🔗 满意度链接
delivery-btn-no-document = 没有验收单，直接签收
delivery-ask-owner = 「{ $name }」交给谁负责？TA 会收到通知，到期前会被提醒。
delivery-ask-document = ✍️ <b>{ $company }</b> 验收签字：把签好字的验收单拍照或发文件过来；没有纸面单据就点下面的按钮。
delivery-expect-document = 请发验收单的照片或文件，或者点“没有验收单，直接签收”。
delivery-done-item = ✅ 「{ $name }」已完成。
delivery-done-signed = ✍️ { $company } 已验收签字，交付完成，商机转入售后。
delivery-survey-link =
    🔗 交付完成了，把下面的链接转发给客户，请他给这次交付打个分：
    { $link }
    链接 { $days } 天内有效，只能用一次。
delivery-agenda =
    {""}

    📦 交付事项 { $count } 件：{ $items }
delivery-agenda-line = { $company }·{ $item }（{ $due } 截止{ $late }）
delivery-agenda-late = ，已逾期
delivery-item-assigned =
    📦 { $by } 把 { $company } 的交付事项「{ $item }」交给你负责，截止 { $due }。
    做完后在交付清单里点“完成”。
delivery-item-due =
    ⏰ { $company } 的交付事项「{ $item }」今天到期（{ $due }）。
    做完后打开交付清单点“完成”；做不完请先跟客户和经理说一声。
delivery-item-overdue =
    ⚠️ { $company } 的交付事项「{ $item }」已逾期（截止 { $due }），负责人：{ $owner }。
    请跟进一下，看看卡在哪里。
delivery-accepted-owner =
    ✍️ { $by } 已为 { $company } 办理验收签字，交付完成，商机转入售后。
    点下面的按钮拿满意度链接，转发给客户打分。
error-delivery-none = 这个商机还没有交付清单（商机进入交付阶段时自动生成）。
error-delivery-not-yours = 这份交付清单不归你管。
error-delivery-sign-instead = 验收要点“验收签字”，可以附上验收单。
error-delivery-done-already = 这件事已经完成了。
error-delivery-owner = 这个人不在你们团队，或者已经停用了。
error-delivery-owner-same = 本来就是 TA 负责的。
error-delivery-not-acceptance = 这一项不是验收签字。
error-delivery-sign-role = 验收签字要商机负责人或经理来办。
error-delivery-signed-already = 已经验收签字过了。
error-delivery-not-signed = 客户还没验收签字，先办验收。
error-delivery-template-role = 只有经理能改交付清单模板。
error-delivery-template = 交付清单要有 1 到 { $max } 项，而且正好有一项验收签字。
error-delivery-item-name = 事项名称不能为空，最多 { $max } 个字。
error-delivery-days = 截止天数要在 0 到 { $max } 个工作日之间。
policy-btn-service-renewal_days = 🔁 续约提醒
policy-service-name-renewal_days = 续约提前提醒天数
error-service-renewal-days = 续约提醒要提前 { $min } 到 { $max } 天。

# --- the second sale (二次销售)
renewal-btn-card = 🔁 续约/复购
renewal-btn-year = 📅 一年后
renewal-btn-reopen = ➕ 新建续约商机
renewal-none = 还没设续约日期。
renewal-now = 现在的续约日期：{ $on }。
renewal-ask =
    🔁 <b>{ $company }</b> 的续约/复购日期
    { $now }
    点“一年后”，或者直接发日期，比如 2027-11-26。到期前 { $days } 天会提醒负责人。
renewal-expect = 请发一个日期，比如 2027-11-26，或者点“一年后”。
renewal-done = 🔁 续约日期定在 { $on }，到期前 { $days } 天会提醒你。
renewal-opened = ➕ 已为老客户新建续约商机（来源：老客户），关联原商机。
renewal-due =
    🔁 { $company } 的续约/复购日期是 { $on }，还有 { $days } 天。
    现在联系客户正合适：点下面的按钮一键新建续约商机。
error-renewal-date = 日期格式不对，请发像 2027-11-26 这样的日期。
error-renewal-date-range = 续约日期要在今天之后、{ $years } 年以内。
error-renewal-not-won = 赢单或进入售后的商机才能设续约日期。
error-renewal-not-yours = 只有商机负责人或经理能设续约。
error-renewal-unchanged = 续约日期本来就是这天。
error-renewal-opened = 这个续约已经新建过商机了。
error-renewal-none = 没找到这个续约。

# --- the customer card (客户卡片)
customer-ask = 发 /customer 加客户名称、联系人或电话，比如 /customer 华东科技
customer-head = 👥 <b>{ $company }</b> 客户卡片
customer-deals = {""}
    💼 商机 { $count } 个：
customer-quotes = {""}
    📄 报价 { $count } 份：
customer-tickets = {""}
    🛠 售后工单 { $count } 张：
customer-no-scores = {""}
    ⭐ 还没有满意度评分。
customer-scores = {""}
    ⭐ 满意度平均 { $average } 分（{ $scores }）
customer-contracts = {""}
    💰 合同 { $count } 份，待收合计 { $outstanding }：
customer-no-contracts = {""}
    💰 还没有合同。
customer-contract-line = { $number } · { $status } · 合同 { $amount } · 已回款 { $paid } · 待收 { $outstanding }
customer-contract-next = {""}
    {"  "}下一笔：{ $position }. { $label } { $amount }，{ $due } 到期
error-customer-none = 没找到这个客户，换个名称、联系人或电话试试。

## Cross-team help (跨部门协作): a question to a colleague

assist-btn-ask = 🤝 求助同事
assist-btn-open = 🔎 查看求助
assist-btn-accept = ✋ 接受
assist-btn-answer = ✍️ 答复
assist-btn-withdraw = ↩️ 撤回求助
assist-about-ticket = 工单 { $number }
assist-about-deal = 商机「{ $deal }」
assist-deadline-2h = 2 个工作小时
assist-deadline-today = 今天下班前
assist-deadline-tomorrow = 明天下班前
assist-deadline-3d = 3 个工作日
assist-new-head = 🤝 求助同事 · { $company }
assist-new-helper = 请教：{ $helper }
assist-new-question = 问题：{ $question }
assist-ask-helper = 想请哪位同事帮忙？点名字，或者直接打名字找。
assist-ask-question = 把问题写清楚发过来（客户的情况、你想知道什么）：
assist-ask-deadline = 最晚什么时候要答复？（按工作时间算）
assist-ask-answer = 直接把你的答复发过来，会转给提问的同事，并记在工单或商机上。
assist-expect-helper = 点一位同事的名字，或者打出名字。
assist-expect-question = 请用文字写下问题。
assist-expect-deadline = 点一个答复期限。
assist-expect-answer = 请用文字写下你的答复。
assist-sent = ✅ 已发给 { $helper }，要求 { $due } 前答复。到期前会提醒 TA，超时会告诉你。
assist-answered-note = ✅ 答复已发给 { $asker }，也记到了记录里。
assist-accepted-note = ✋ 已接受，{ $asker } 会收到通知。想好了点「答复」。
assist-withdrawn-note = ↩️ 求助已撤回，已告诉对方不用再答复。
assist-card-head = 🤝 求助 · { $company } · { $about }
assist-card-people = 提问：{ $asker } → 请教：{ $helper }
assist-card-question = 问题：{ $question }
assist-card-due = 答复期限：{ $due }
assist-state-asked = 状态：等待对方接受或答复
assist-state-accepted = 状态：对方已接受，等待答复
assist-state-answered = 状态：已答复
assist-state-withdrawn = 状态：已撤回
assist-card-answer = 💬 答复（{ $at }）：{ $answer }
assist-card-waiting = 🤝 等 { $helper } 答复求助（{ $due } 前）
assist-btn-waiting = 🤝 问{ $helper }的
assist-card-subject-closed = 这个工单或商机已经关闭，不用再答复了。
assist-asked =
    🤝 { $asker } 向你求助：{ $company } · { $about }
    问题：{ $question }
    请在 { $due } 前答复。可以先点「接受」让 TA 知道你在看，想好了点「答复」。
assist-accepted =
    ✋ { $helper } 接受了你的求助（{ $company } · { $about }）
    问题：{ $question }
    答复来了会第一时间转给你。
assist-answered =
    💬 { $helper } 答复了你的求助（{ $company } · { $about }）
    问题：{ $question }
    答复：{ $answer }
    已记到记录里，可以接着跟客户沟通了。
assist-withdrawn =
    ↩️ { $asker } 撤回了求助（{ $company } · { $about }）
    问题：{ $question }
    不用再答复了，谢谢！
assist-due =
    ⏰ { $asker } 的求助快到期了（{ $company } · { $about }）
    问题：{ $question }
    请在 { $due } 前答复。
assist-overdue =
    ⚠️ 你问 { $helper } 的问题已超过答复期限（{ $due }）
    { $company } · { $about }
    问题：{ $question }
    可以直接找 TA 沟通，或者撤回后问别的同事。
assist-agenda =
    {""}

    🤝 同事的求助 { $count } 个：{ $items }
assist-agenda-line = { $company }·{ $asker } 问（{ $due } 前答复{ $late }）
ticket-history-assist-asked = 🤝 向同事求助
ticket-history-assist-answered = 💬 答复了求助
error-assist-question = 问题不能为空，请写清楚要问什么。
error-assist-question-long = 问题太长了，最多 { $max } 个字。
error-assist-answer = 答复不能为空。
error-assist-answer-long = 答复太长了，最多 { $max } 个字。
error-assist-helper = 只能请本团队在职的同事帮忙。
error-assist-helper-self = 不能向自己求助，请选一位同事。
error-assist-not-yours = 只有负责人或经理可以这样操作。
error-assist-subject-closed = 这个工单或商机已经关闭，不用再求助了。
error-assist-not-found = 没找到这个求助。
error-assist-not-asked = 这个求助不是问你的。
error-assist-withdrawn = 对方已经撤回了这个求助，不用再答复了。
error-assist-answered-already = 这个求助已经答复过了。
error-assist-accepted-already = 你已经接受过了，想好了点「答复」。
error-assist-closed-already = 这个求助已经答复或撤回了。
error-assist-no-helpers = 团队里还没有其他同事可以求助。
error-assist-helper-unknown = 团队里没找到「{ $name }」，换个写法再试试，或者点下面的名字。
error-assist-helper-several = 有几位同事都对得上：{ $names }。名字打全一点再发一次。

## The delivery checklist template (/policy → 📦 交付清单模板)

checklist-tpl-btn-policy = 📦 交付清单模板
checklist-tpl-head = 📦 交付清单模板（商机进入交付时按它生成清单）
checklist-tpl-line = { $n }. { $name } · 第 { $days } 个工作日到期 · 负责人：{ $owner }
checklist-tpl-hint = 点一项可以上移、下移、换负责人或删除；已经开始的交付清单不受影响。
checklist-tpl-owner-deal = 商机负责人
checklist-tpl-btn-add = ➕ 添加事项
checklist-tpl-btn-up = ⬆️ 上移
checklist-tpl-btn-down = ⬇️ 下移
checklist-tpl-btn-owner = 👤 负责人
checklist-tpl-btn-remove = 🗑 删除
checklist-tpl-moved = ✅ 顺序已调整。
checklist-tpl-removed = ✅ 已删除这一项。
checklist-tpl-owner-set = ✅ 负责人已更新。
checklist-tpl-added = ✅ 已添加，新的交付清单会带上这一项。
checklist-tpl-days = 第 { $days } 个工作日
checklist-tpl-new-head = ➕ 添加交付事项
checklist-tpl-new-name = 事项：{ $name }
checklist-tpl-ask-name = 事项叫什么？（比如：数据迁移）
checklist-tpl-ask-days = 交付开始后第几个工作日到期？点一个，或者直接输入数字。
checklist-tpl-ask-owner = 这一项默认谁负责？
checklist-tpl-expect-name = 请用文字写下事项名称。
checklist-tpl-expect-days = 点一个天数，或者输入 0 到 120 之间的数字。
checklist-tpl-expect-owner = 点一个负责人。
error-delivery-template-stale = 模板刚刚改过了，这是最新的样子，请再点一次。
error-delivery-template-edge = 已经到头了，不能再移动。
error-delivery-template-keep-acceptance = 验收签字是交付的最后一步，不能删除。
