## Contracts and payments (issue 12): 📑 合同 on the deal card, 回款确认, /receivables

cmd-receivables = 应收回款
webhook-event-contract-signed = 合同签署
webhook-event-payment-confirmed = 回款确认

## the contract

contract-status-draft = 草稿
contract-status-sent = 待签署
contract-status-signed = 已签署
contract-status-active = 回款中
contract-status-completed = 已回齐
contract-status-cancelled = 已作废
contract-btn-card = 📑 合同
contract-btn-open = 📑 打开合同
contract-btn-deal = ↩️ 回到商机
contract-btn-new-quote = 📑 按报价 { $number } 起草合同
contract-btn-new-amount = 📑 按商机金额 { $amount } 起草合同
contract-btn-plan = 🗓 回款计划
contract-btn-send = 📤 已发客户签署
contract-btn-sign = ✍️ 上传签署件
contract-btn-report = 💰 报回款
contract-btn-record = 💵 登记到账
contract-btn-document = 📎 签署件
contract-btn-confirm-payment = ✅ 确认到账 { $amount }
contract-btn-amount = ✏️ 改金额
contract-ask-amount = ✏️ { $number } 现在是 { $amount }。请输入新金额和原因，例如：150000 客户追加移动端模块（改完要重新选回款计划）。
contract-done-amount = ✅ { $number } 金额已改为 { $amount }，已记入审计。请重新选回款计划。
contract-btn-cancel = 🚫 作废合同
contract-deal-title = 📑 <b>{ $deal }</b> 的合同
contract-deal-line = • { $number } · { $status } · 合同额 { $amount } · 已回 { $paid }
contract-deal-none = 还没有合同。
contract-needs-quote = 客户接受报价（📄 报价 → 🤝 客户接受）后，就能在这里一键起草合同；没有报价的，请销售经理按商机金额起草。
contract-head = 📑 <b>{ $company }</b> · { $deal } · 负责人 { $owner }
contract-line = <b>{ $number }</b> · { $status } · 合同额 { $amount } · 已回 { $paid }
contract-sign-by = ⏳ 签署截止：{ $day }
contract-document = 📎 签署件：{ $name }（SHA-256 { $hash }…）
contract-no-document = ⚠️ 合同已签署但还没有签署件，请上传。
contract-no-plan = 🗓 还没有回款计划：点「🗓 回款计划」选一个。
contract-ms-line = { $n }. { $label } · { $amount } · { $due } 到期 · { $state }
contract-ms-paid = ✅ 已回
contract-ms-partial = 已回 { $paid }，还差 { $left }
contract-ms-open = 未回
contract-waiting = ⏳ { $count } 笔回款（共 { $amount }）等财务确认
contract-overpaid = ⚠️ 多收了 { $amount }，已提醒财务核对。
contract-done-opened = ✅ 合同 { $number } 已起草，签署期限 5 个工作日。下一步：选回款计划。
contract-done-plan = ✅ 回款计划已定，各期金额加起来正好等于合同额。
contract-done-signed = ✅ 合同 { $number } 已签署，签署件已存档。回款提醒已开始按计划盯着。
contract-done-cancelled = 🚫 合同 { $number } 已作废。
contract-sent-in-chat = 📤 已标记为待签署。客户签好后，点「✍️ 上传签署件」把扫描件或照片发给我。
contract-plan-ask = 🗓 { $number } 的回款计划（合同额 { $amount }）选一个模板：
contract-plan-30-60-10 = 30% 签约 · 60% 交付 · 10% 验收
contract-plan-100 = 签约后一次付清 100%
contract-plan-monthly = 按月 3 期
contract-label-signing = 签约后
contract-label-delivery = 交付后
contract-label-acceptance = 验收后
contract-label-month = 第{ $n }期
contract-ask-document = ✍️ 请把客户签好字的 { $number }（PDF 或照片）直接发给我。
contract-expect-document = 这里需要签署件：请发 PDF 或照片。不想传了就点「取消」。
contract-document-caption = { $number } 签署件 · SHA-256 { $hash }
contract-ask-cancel = 🚫 作废 { $number }：请输入原因（会记入审计记录）。

contract-sign-half =
    ⏳ 合同 { $number }（{ $company }）签署时间已过半，截止 { $until }。
    客户签好后，在合同里点「✍️ 上传签署件」。
contract-sign-overdue =
    ⚠️ 合同 { $number }（{ $company }，负责人 { $rep }）已过签署截止日 { $until }，还没签。
    请跟进客户；如果不签了，销售经理可以在合同里作废。

## payments

payment-method-bank = 银行转账
payment-method-acceptance = 承兑汇票
payment-method-alipay = 支付宝
payment-method-wechat = 微信
payment-method-cash = 现金
payment-method-other = 其他
payment-state-reported = 待确认
payment-state-confirmed = 已确认
payment-state-rejected = 已驳回
payment-receipt-attached = 🧾 回单已附
payment-btn-confirm = ✅ 确认到账
payment-btn-reject = ❌ 驳回
payment-btn-differs = ✏️ 金额不符
payment-btn-receipt = 🧾 看回单
payment-btn-full = 全额 { $amount }
payment-btn-day-0 = 今天
payment-btn-day-1 = 昨天
payment-btn-day-2 = 前天
payment-btn-save = 💾 确认登记
payment-flow-head = 💰 <b>{ $number }</b> 回款{ $direct }
payment-flow-direct = （财务直接登记）
payment-flow-milestone = 期次：{ $label }
payment-flow-amount = 金额：{ $amount }
payment-flow-day = 到账日：{ $day }
payment-flow-method = 方式：{ $method }
payment-ask-milestone = 这笔钱是哪一期的？
payment-ask-amount = 收到多少？这一期还差 { $left }。点全额，或直接输入金额（如 36883.2、3.6万）。
payment-ask-day = 哪天到账的？点一下，或输入日期（如 12-01）。
payment-ask-method = 怎么付的？
payment-ask-receipt = 最后一步：请发回单照片或 PDF，我交给财务确认。
payment-ask-save = 核对无误就点「💾 确认登记」，会直接记为已确认，并告诉销售。
payment-expect-button = 请点上面的按钮选一个；不报了就点「取消」。
payment-expect-receipt = 这里需要回单：请发照片或 PDF。
payment-done-reported = ✅ 已提交 { $amount }，等财务确认；确认后我会告诉你。
payment-done-confirmed = ✅ { $number } 已确认到账 { $amount }，还差 { $left }。
payment-done-confirmed-short = ✅ 已确认
payment-done-completed = 🎉 合同款已全部回齐，商机进入交付阶段。
payment-ask-reject = ❌ 驳回 { $number } 的 { $amount }：请输入原因（销售会收到）。
payment-ask-actual = ✏️ { $number } 报的是 { $amount }，实际到账多少？请输入金额。
payment-done-rejected = ❌ 已驳回 { $amount }，已告诉销售原因。
payment-receipt-caption = 🧾 回单 · { $amount } · { $day }

payment-card =
    💰 <b>回款待确认</b> · { $number }
    客户：{ $company } · 销售：{ $rep }
    期次：{ $milestone }
    金额：<b>{ $amount }</b> · 到账日 { $paid_on } · { $method }
    合同未回：{ $outstanding } · { $receipt }
    请核对银行流水后确认；金额不对点「✏️ 金额不符」输入实际金额。
payment-confirmed =
    ✅ { $number }（{ $company }）的回款 { $amount } 已由 { $by } 确认到账。
    合同还差 { $outstanding }。
payment-rejected =
    ❌ { $number }（{ $company }）报的回款 { $amount } 被 { $by } 驳回：{ $reason }
    请核对后在合同里重新报回款。
payment-overpaid =
    ⚠️ { $number }（{ $company }）多收了 { $over }，超过合同额。
    请核对是否重复付款或需要退款。
payment-when-before = 还有 { $days } 天到期
payment-when-today = 今天到期
payment-when-overdue = 已逾期 { $days } 天
payment-due =
    ⏰ 回款提醒：{ $number }（{ $company }）{ $milestone }
    未回 { $outstanding } · { $due } 到期 · { $when }
    收到款后在合同里点「💰 报回款」并附回单。
payment-overdue =
    🔴 回款逾期：{ $number }（{ $company }，负责人 { $rep }）{ $milestone }
    未回 { $outstanding } · { $due } 到期 · { $when }
    请和负责人一起跟进客户。

payment-agenda = { $due }{ $overdue }{ $waiting }
payment-agenda-due =
    {""}

    💰 今天到期的回款 { $count } 笔：
    { $items }
payment-agenda-overdue =
    {""}

    🔴 逾期未回的款 { $count } 笔：
    { $items }
payment-agenda-waiting =
    {""}

    ⏳ 有 { $count } 笔回款等你确认：在确认卡片上点，或发 /receivables 打开合同。

## /receivables

receivables-title = 📊 <b>应收回款</b>：共 { $total }（{ $count } 期未回齐）
receivables-title-mine = 📊 <b>我的应收</b>：共 { $total }（{ $count } 期未回齐）
receivables-none = 没有未回的款项。
receivables-by-age = 按账龄：
receivables-age-line = • { $age }：{ $amount }
receivables-age-not_due = 未到期
receivables-age-1_30 = 逾期 1–30 天
receivables-age-31_60 = 逾期 31–60 天
receivables-age-61_90 = 逾期 61–90 天
receivables-age-90_plus = 逾期 90 天以上
receivables-by-customer = 按客户：
receivables-name-line = • { $name }：{ $amount }
receivables-by-rep = 按销售：
receivables-overdue = 🔴 逾期 { $count } 期：
receivables-line = • { $number } { $company } { $amount }（{ $due } 到期，逾期 { $days } 天）
receivables-other-currencies = 另有外币款项（{ $codes }）未计入合计，见导出表。
receivables-btn-xlsx = 📊 导出 Excel
receivables-xlsx-caption = 📊 应收回款与回款记录 · 未回合计 { $total }
receivables-sheet-open = 应收
receivables-sheet-payments = 回款记录
receivables-col-contract = 合同号
receivables-col-customer = 客户
receivables-col-rep = 销售
receivables-col-milestone = 期次
receivables-col-due = 到期日
receivables-col-days = 逾期天数
receivables-col-age = 账龄
receivables-col-outstanding = 未回金额
receivables-col-total = 合计
receivables-col-amount = 报的金额
receivables-col-confirmed = 确认金额
receivables-col-paid_on = 到账日
receivables-col-method = 方式
receivables-col-state = 状态
receivables-col-reported_by = 报的人

## errors

error-plan-sum = 各期金额加起来要正好等于合同额，现在对不上，没有保存。
error-plan-size = 回款计划要有 1–{ $max } 期。
error-plan-part = 每一期都要有说明和大于 0 的金额（或比例）。
error-contract-amount = 合同金额要大于 0。
error-contract-not-found = 找不到这份合同。
error-contract-not-yours = 这份合同不归你管。
error-contract-role = 只有销售、经理和管理员可以起草合同。
error-contract-needs-quote = 需要客户接受的报价才能起草合同；没有报价的，请销售经理按商机金额起草。
error-contract-amount-role = 只有销售经理可以改合同金额。
error-contract-signed-already = 这份合同已经签署了。
error-contract-amount-reason = 改金额要写原因（最多 { $max } 字）。
error-contract-plan-fixed = 已经有回款确认了，回款计划不能再改。
error-contract-sent-already = 这份合同已经发出签署了。
error-contract-no-plan = 先选回款计划，再发签署。
error-contract-cancel-role = 只有销售经理可以作废合同。
error-contract-cancel-reason = 请写作废原因（最多 { $max } 字）。
error-contract-has-money = 这份合同已经有确认的回款，不能作废。
error-contract-final = 这份合同已经结束了。
error-contract-file-kind = 请发 PDF 或照片（jpg/png）。
error-contract-file-size = 文件太大了（超过 20MB），请压缩后再发。
error-payment-date = 到账日不能是将来，也不能早于一年前。
error-payment-date-unreadable = 没看懂这个日期，请这样写：12-01、2026-12-01 或 昨天。
error-payment-amount = 金额要大于 0，最多到分。
error-payment-amount-unreadable = 没看懂这个金额，请这样写：36883.2、3.6万 或 ¥36,883.20。
error-payment-not-collecting = 合同签署后才能登记回款。
error-payment-receipt = 报回款需要附回单照片或 PDF。
error-milestone-not-found = 找不到这一期了，请重新打开合同。
error-milestone-paid = 这一期已经回齐了。
error-payment-not-found = 找不到这笔回款。
error-payment-confirm-role = 只有本团队的财务（或管理员）可以确认回款。
error-payment-decided = 这笔回款已经处理过了。
error-payment-reject-reason = 请写驳回原因（最多 { $max } 字）。
error-payment-no-receipt = 这笔回款没有回单。

# --- e-signature callbacks (POST /api/v1/esign/<provider>/<team>) ---
contract-signed-remote =
    ✍️ 合同 { $number }（{ $company }）客户已通过电子签（{ $provider }）签署完成，签署记录已存档。
    回款提醒已开始按计划盯着，商机进入回款阶段。点下面打开合同看看。
contract-document-esign = ✍️ 电子签：{ $provider }，签署流程号 { $ref }（SHA-256 { $hash }…）
contract-document-url = 📎 签署件地址：{ $url }
contract-sent-esign = 📤 已标记为待签署。请在你们的电子签系统里发起签署；客户签完，系统回调过来，合同会自动变成已签署。
error-esign-unknown = 没有这个电子签服务，或者它还没配置密钥。
error-esign-signature = 回调签名不对或已过期（X-Loopbot-Signature），没有处理。
error-esign-field = 回调内容的字段 { $field } 缺失或格式不对。

# --- payment plan templates (/policy → 🗓 回款模板) ---
policy-btn-plan-templates = 🗓 回款模板
plan-templates-title = 🗓 <b>回款模板</b>（起草合同选回款计划时可选）：
plan-template-line = { $n }. <b>{ $name }</b>：{ $parts }
plan-template-part = { $percent }% { $trigger }{ $offset }
plan-template-trigger-signing = 签约
plan-template-trigger-delivery = 交付
plan-template-trigger-acceptance = 验收
plan-template-trigger-date = 日期
plan-template-days = +{ $n }天
plan-template-months = +{ $n }个月
plan-templates-hint = 天数从签署截止日算起。点「➕ 新建模板」加一个，点「🗑」删掉不用的。
plan-templates-btn-add = ➕ 新建模板
plan-templates-btn-remove = 🗑 { $name }
plan-templates-added = ✅ 已添加模板「{ $name }」，新合同选回款计划时就能用了。
plan-templates-removed = 🗑 已删除模板「{ $name }」。已经用它排好的合同不受影响。
plan-template-ask-name = ➕ 新建回款模板：先给它起个名字（最多 30 字），例如：<code>4-5-1 分期</code>
plan-template-expect-name = 这里需要模板名字，直接打字发给我。
plan-template-ask-parts =
    模板「{ $name }」：每期写「比例 条件」，可加「+天数」或「+月数」（从签署截止日算），用逗号隔开，比例加起来要正好 100%。
    条件：签约 / 交付 / 验收 / 日期。例如：
    <code>40% 签约, 50% 交付+30天, 10% 验收+90天</code>
    <code>50% 日期, 50% 日期+1个月</code>
plan-template-expect-parts = 这里需要各期比例，例如：<code>40% 签约, 50% 交付+30天, 10% 验收+90天</code>
error-plan-template-name = 模板名字要 1–{ $max } 个字。
error-plan-template-name-taken = 已经有叫「{ $name }」的模板了，换个名字吧。
error-plan-template-part = 每一期的比例要大于 0、不超过 100%，条件是签约、交付、验收或日期。
error-plan-template-offset = 天数最多 { $days } 天，月数最多 { $months } 个月。
error-plan-template-sum = 各期比例加起来是 { $total }%，要正好 100% 才能保存。改一下再发。
error-plan-template-parts = 没看懂「{ $item }」。每期这样写：<code>30% 签约</code>、<code>60% 交付+30天</code>、<code>50% 日期+1个月</code>。
error-plan-template-many = 模板最多 { $max } 个，先删掉不用的。
error-plan-template-gone = 这个模板已经不在了，请重新打开列表。
error-plan-template-last = 至少要留一个模板。

# --- payment reminder cadence (/policy → ⏰ 回款提醒) ---
policy-btn-cadence = ⏰ 回款提醒
cadence-screen =
    ⏰ <b>回款提醒节奏</b>（按每期到期日，在团队上班时间提醒负责人）：
    { $cadence }
    逾期 { $escalate } 天起，经理和财务也会收到。
    点一个预设，或者直接发天数（负数是到期前，0 是当天），例如：
    <code>{ $typed }</code>
cadence-before = 到期前 { $days } 天
cadence-on-day = 到期当天
cadence-after = 逾期 { $days } 天
cadence-preset-default = 标准：前 7/1 天、当天、逾期 1/7/14/21/28 天
cadence-preset-gentle = 宽松：前 3 天、当天、逾期 3/14/30 天
cadence-preset-tight = 紧盯：前 7/3/1 天、当天、逾期 1/3/7/14/21/28 天
cadence-done = ✅ 回款提醒节奏已改为：{ $cadence }。还没回齐的各期从下一个提醒点接着提醒，已经提醒过的不会重复。
cadence-expect = 这里需要天数，用空格隔开，例如：<code>-7 -1 0 1 7 14 21 28</code>
error-cadence-words = 没看懂「{ $word }」。请只写整数天数，用空格隔开，例如：<code>-7 -1 0 1 7 14</code>
error-cadence-size = 提醒点要有 1–{ $max } 个。
error-cadence-range = 每个提醒点要在到期前 { $low } 天到逾期 { $high } 天之间（写成 { $low } 到 { $high }）。
error-cadence-unchanged = 节奏没有变化。

# --- the way into the contract and the payment stage ---
quote-btn-contract = 📑 起草合同
deal-confirm-payment-unsigned = ⚠️ 这单还没有已签署的合同。直接推进到回款，回款提醒不会开始，应收里也看不到这笔钱。建议先在「📑 合同」里上传签署件，合同签好后商机会自动进入回款阶段。
