## Quotes (issue 11): the catalog (/products), the quote builder (/quote, 📄 报价), approvals (/approvals)

cmd-products = 产品与价目
cmd-quote = 报价单
cmd-approvals = 待我审批的报价

cmd-quotepolicy = 报价审批规则
error-quote-policy = 请按顺序输入 5 个数：经理审批线% 管理员审批线% 毛利底线% 审批时限(工作小时) 有效期(天)，例如 /quotepolicy 10 20 15 4 15
error-quote-policy-order = 经理审批线不能高于管理员审批线。
error-quote-policy-role = 只有销售经理和管理员可以修改报价审批规则。
quote-policy-rules =
    🧾 <b>报价审批规则</b>
    折扣低于 { $manager }：无需审批
    { $manager } 起：销售经理审批
    { $admin } 起，或毛利低于 { $margin }：经理审批后再由管理员审批
    有产品低于底价：至少经理审批
    每级审批时限：{ $hours } 个工作小时（超时提醒，再超时升级给管理员）
    报价有效期：{ $days } 天
quote-policy =
    { quote-policy-rules }
    修改：/quotepolicy 经理线 管理员线 毛利底线 时限小时 有效期天，例如 /quotepolicy 10 20 15 4 15
quote-policy-done = ✅ 已更新


## /policy → 🧾 报价审批 (handlers/quotes/policy.py)

policy-btn-quotes = 🧾 报价审批
quote-policy-menu-hint = 点一项修改：按钮加减，或者直接发数字。
quote-policy-btn-manager_from_bp = 👔 经理审批线
quote-policy-name-manager_from_bp = 经理审批线
quote-policy-value-manager_from_bp = 折扣 { $value } 起要经理审批
quote-policy-hint-manager_from_bp = 发一个百分比，例如 12.5
error-quote-policy-range-manager_from_bp = 经理审批线要在 { $low } 到 { $high } 之间。
quote-policy-btn-admin_from_bp = 🛡 管理员审批线
quote-policy-name-admin_from_bp = 管理员审批线
quote-policy-value-admin_from_bp = 折扣 { $value } 起要经理和管理员两级审批
quote-policy-hint-admin_from_bp = 发一个百分比，例如 25
error-quote-policy-range-admin_from_bp = 管理员审批线要在 { $low } 到 { $high } 之间。
quote-policy-btn-margin_floor_bp = 📉 毛利底线
quote-policy-name-margin_floor_bp = 毛利底线
quote-policy-value-margin_floor_bp = 毛利低于 { $value } 要两级审批
quote-policy-hint-margin_floor_bp = 发一个百分比，例如 15
error-quote-policy-range-margin_floor_bp = 毛利底线要在 { $low } 到 { $high } 之间。
quote-policy-btn-sla_minutes = ⏱ 审批时限
quote-policy-name-sla_minutes = 审批时限
quote-policy-value-sla_minutes = 每级 { $value } 个工作小时
quote-policy-hint-sla_minutes = 发小时数（可以是半小时），例如 4 或 2.5
error-quote-policy-range-sla_minutes = 审批时限要在 { $low } 到 { $high } 个工作小时之间。
quote-policy-btn-validity_days = 📅 有效期
quote-policy-name-validity_days = 有效期
quote-policy-value-validity_days = { $value } 天
quote-policy-hint-validity_days = 发天数，例如 30
error-quote-policy-range-validity_days = 有效期要在 { $low } 到 { $high } 天之间。
quote-policy-number =
    🧾 { $name }：现在是 { $value }
    点按钮加减，或者{ $hint }。
error-quote-policy-value = 这个数看不懂，请按提示发。
quote-policy-expect-number = 请直接发一个数，或者点「返回」。

## errors

error-stage-needs-quote = 进入「合同签署」前需要一份已审批（或已发出、已接受）的报价单。先用 📄 报价 做一份吧。
error-quote-role = 只有销售、经理和管理员可以做报价。
error-catalog-role = 只有销售经理和管理员可以维护产品目录。
error-template-role = 只有销售经理和管理员可以保存报价模板。
error-approval-role = 只有销售经理和管理员可以审批报价。
error-product-code = 产品编码要 1–{ $max } 个字符，只能用字母、数字和 . _ / -，例如 CRM-PRO。
error-product-name = 名称要 1–{ $max } 个字。
error-product-unit = 单位要 1–{ $max } 个字，例如：套、个、天。
error-product-category = 类别要 1–{ $max } 个字。
error-product-price = 金额看不懂，请输入例如 12800、1.28万 或 ¥12,800.00（不能是负数，最多到分）。
error-product-tax = 税率看不懂，请输入例如 13%、6 或 0.13。
error-product-active = 「启用」只能填 是/否（1/0，yes/no）。
error-product-currency = 币种要三个大写字母，例如 CNY。
error-product-floor = 底价不能高于标价。
error-product-missing = 缺少字段：{ $field }
error-product-code-taken = 编码 { $product } 已经有产品在用了。
error-product-not-found = 找不到这个产品（可能已停用）。
error-product-search-short = 请至少输入 { $min } 个字符来搜索。
error-import-too-many = 一次最多导入 { $max } 行，多出的行没有读取。
error-import-duplicate = 编码 { $code } 在第 { $first } 行已经出现过。
error-import-file = 只能导入 .csv 或 .xlsx 文件（第一行是列名）。
error-import-unreadable = 这个文件读不出来，请确认是 UTF-8 的 CSV 或 Excel .xlsx。
error-quote-not-found = 找不到这份报价单。
error-quote-not-yours = 这份报价单不是你的。
error-quote-not-draft = 这份报价单已经提交或发出，不能直接修改了。点「✏️ 修改报价」会生成新版本。
error-quote-superseded = 这份报价单已经有新版本了。
error-quote-final = 这份报价单已经有结果了，不能再改。
error-quote-not-live = 这份报价单现在不能这样标记（需要已审批或已发出、且在有效期内）。
error-quote-not-pending = 这份报价单没有在等审批。
error-quote-sent-already = 已经标记为已发送了。
error-quote-line-gone = 这一行已经不在报价单里了。
error-quote-need-gone = 这条需求已经不在了，请重新打开报价单。
error-quote-quantity = 数量要是 1 到 { $max } 之间的整数。
error-quote-discount = 折扣要在 0% 到 100% 之间，例如 12.5。
error-quote-currency = 这个产品用 { $currency } 标价，和报价单的币种不同。
error-quote-lines-full = 一份报价单最多 { $max } 行。
error-quote-free-line = 请按「名称 价格」输入，例如：实施服务 5000，或 培训 2000 x3。
error-quote-reason = 说明请写 1–{ $max } 个字。
error-quote-reject-reason = 请写一下客户拒绝的原因。
error-quote-empty = 报价单还是空的，先添加产品。
error-quote-other-customer = 只能调用同一个客户的历史报价。
error-template-not-found = 找不到这个模板。
error-template-name = 模板名称要 1–{ $max } 个字。
error-counter-gone = 这个还价已经不在了。
error-approval-not-found = 找不到这个审批。
error-approval-own = 不能审批自己的报价单。
error-approval-level = 你不能审批这一级（或这不是你团队的报价单）。
error-approval-done = 这个审批已经处理过了。
error-approval-decided-approved = 这个审批已经由 { $by } 批准了，不用再处理。
error-approval-decided-rejected = 这个审批已经由 { $by } 驳回了，不用再处理。
error-approval-decided-countered = 这个审批 { $by } 已经还过价了，不用再处理。
error-approval-decided-withdrawn = { $by } 已经撤回报价 { $number } 去修改了，改好会重新提交。
error-approval-decided-closed = 报价 { $number } 已经由 { $by } 处理了，不用再处理。
error-approval-reason = 请写一下驳回的原因。
error-approval-reason-long = 原因最多 { $max } 个字。
error-approval-counter = 还价要低于申请的折扣（{ $asked }），例如 15。

## notifications

quote-level-manager = 销售经理
quote-level-admin = 管理员
quote-why-discount = 折扣达到审批线
quote-why-margin = 毛利低于底线
quote-why-floor = 有产品低于底价
quote-needs-all-covered = 需求都已覆盖 ✅
quote-approval-card =
    🧾 <b>折扣审批</b>（{ $level }）· { $number }
    客户：{ $company } · 商机：{ $deal }
    销售：{ $rep }
    合计：{ $total } · 折扣：{ $discount }
    毛利：{ $margin_before } → { $margin_after }
    审批原因：{ $why }

    { $lines }
    （↩ 该客户上次成交单价 · ≈ 团队 90 天中位单价 · ⚠️ 低于底价）

    未覆盖的需求：
    { $uncovered }
    销售说明：{ $reason }
    ⏳ 请在 { $due } 前处理
quote-approval-reminder =
    ⏰ 报价 { $number }（{ $company }，{ $rep }）还在等你审批，已超过时限（{ $due }）。
    合计 { $total } · 折扣 { $discount }
quote-approval-escalated =
    ⚠️ <b>审批超时升级</b>：{ $waiting } 还没处理报价 { $number }。
    🧾 <b>折扣审批</b>（{ $level }）· { $number }
    客户：{ $company } · 商机：{ $deal }
    销售：{ $rep }
    合计：{ $total } · 折扣：{ $discount }
    毛利：{ $margin_before } → { $margin_after }
    审批原因：{ $why }

    { $lines }
    （↩ 该客户上次成交单价 · ≈ 团队 90 天中位单价 · ⚠️ 低于底价）

    未覆盖的需求：
    { $uncovered }
    销售说明：{ $reason }
    ⏳ 请在 { $due } 前处理
quote-approval-overdue =
    ⏰ 报价 { $number }（{ $company }，{ $rep }）超时升级后还在等审批（{ $waiting } 没处理，原定 { $due } 前）。请直接在这里批准、驳回或还价。
    合计 { $total } · 折扣 { $discount }
quote-approval-status = ℹ️ 报价 { $number }（{ $company }）：{ $where }
quote-where-reminded = 已超过审批时限，已提醒 { $approvers }。
quote-where-escalated = 仍未审批，已升级给管理员（原审批人：{ $approvers }）。
quote-where-overdue = 升级后仍未审批，已再次提醒 { $approvers }。
quote-where-next = { $approver } 已批准，现在等 { $level } 审批。
quote-approved = ✅ 报价 { $number }（{ $company }）已由 { $approver } 批准，合计 { $total }。可以生成文件发给客户了。
quote-approval-rejected = ❌ 报价 { $number }（{ $company }）被 { $approver } 驳回：{ $reason }。报价单已退回草稿，修改后可以重新提交。
quote-countered = 💬 { $approver } 对报价 { $number }（{ $company }）还价：总折扣 { $percent }（你申请的是 { $asked }）。接受的话点下面按钮，一键改好。
quote-expiring = ⏳ 报价 { $number }（{ $company }）{ $until } 到期。要跟客户确认，或者修改延期吗？
quote-expired = ⌛ 报价 { $number }（{ $company }）已过期。需要的话可以修改生成新版本。
quote-btn-approve = ✅ 批准
quote-btn-reject = ❌ 驳回
quote-btn-counter = 💬 还价
quote-btn-take-counter = ✅ 接受还价
quote-btn-open = 📄 打开报价单

## the outbound webhook event (handlers/webhooks.py lists it with the others)

webhook-event-quote-approved = 报价审批通过

## statuses

quote-status-draft = 草稿
quote-status-pending = 待审批
quote-status-approved = 已审批
quote-status-sent = 已发送
quote-status-accepted = 客户已接受
quote-status-rejected = 客户已拒绝
quote-status-expired = 已过期

## the quote screen

quote-head =
    📄 <b>{ $number }</b> · { $status }
    客户：{ $company } · 商机：{ $deal }
    负责人：{ $owner } · 有效期至：{ $until }
quote-no-lines = 还没有产品。点「➕ 添加产品」搜索产品目录。
quote-line = { $n }. { $name } × { $qty } { $unit } @ { $price } = <b>{ $net }</b>
quote-line-discount = （折扣 { $percent }）
quote-line-free = {" "}🛠
quote-line-floor = {" "}⚠️ 低于底价 { $floor }
quote-history-last = ↩ 该客户上次 { $prices }
quote-history-median = ≈ 团队 90 天中位 { $price }（{ $count } 笔）
quote-subtotal = 小计（标价）：{ $amount }
quote-discount = 折扣：-{ $amount }（{ $percent }）
quote-discount-whole = {"  "}其中整单折扣 { $percent }
quote-tax = 税额：{ $amount }
quote-total = <b>合计（含税）：{ $amount }</b>
quote-margin = 毛利：{ $amount }（{ $percent }，折前 { $before }）
quote-route = 🧾 需要审批：{ $levels }（{ $why }）
quote-route-none = 🧾 无需审批，提交即生效
quote-needs-count = 🎯 需求覆盖：{ $covered }/{ $total }
quote-needs-uncovered = {"  "}⬜ 未覆盖：{ $need }
quote-reason-line = 💬 折扣说明：{ $reason }
quote-counter-line = 💬 审批人还价：总折扣 { $percent }
quote-customer-reason = ❌ 客户拒绝原因：{ $reason }
quote-step-pending = ⏳ 等待 { $level } 审批
quote-step-approved = ✅ { $level } 已批准
quote-step-rejected = ❌ { $level } 已驳回
quote-step-countered = 💬 { $level } 已还价
quote-btn-card = 📄 报价
quote-btn-add = ➕ 添加产品
quote-btn-free = 🛠 自定义服务
quote-btn-discount = ％ 整单折扣
quote-btn-needs = 🎯 需求核对
quote-btn-reason = 💬 折扣说明
quote-btn-submit = 📤 提交
quote-btn-withdraw = ↩️ 撤回修改
quote-btn-pdf = 📄 PDF
quote-btn-xlsx = 📊 Excel
quote-btn-sent = 📨 标记已发送
quote-btn-accepted = 🤝 客户接受
quote-btn-rejected = ❌ 客户拒绝
quote-btn-revise = ✏️ 修改报价（新版本）
quote-btn-template = 💾 存为模板
quote-btn-deal-quotes = 📚 本商机报价
quote-btn-deal = 💼 返回商机
quote-btn-new = ➕ 新报价
quote-btn-from = 📋 从模板/历史方案
quote-btn-take-counter-at = ✅ 接受还价（总折扣 { $percent }）
quote-btn-type-qty = ✏️ 输入数量
quote-btn-type-discount = ✏️ 输入折扣
quote-btn-remove = 🗑 删除这一行
quote-btn-needs-done = ✅ 完成
quote-choose-deal = 给哪个商机做报价？
quote-no-deals = 你还没有进行中的商机。先用 /lead 录入，或到 /pool 认领。
quote-deal-title = 📚 { $deal } 的报价单
quote-deal-line = • { $number } · { $status } · { $total }
quote-deal-none = 还没有报价单。
quote-from-title = 从哪里开始？📋 团队模板，或 🔁 这个客户以前的报价：
quote-from-none = 还没有模板，也没有这个客户以前的报价。点「➕ 新报价」从空白开始。
quote-ask-search = 🔎 输入产品名称或编码（至少 2 个字）：
quote-search-none = 没有找到「{ $query }」。换个关键词试试。
quote-search-found = 找到 { $count } 个「{ $query }」，点一个添加：
quote-ask-qty = { $name }（{ $price } / { $unit }）要几{ $unit }？
quote-type-qty = 请输入数量（整数）：
quote-type-discount = 请输入折扣百分比，例如 12.5：
quote-ask-whole-discount = 整单折扣（在每行折扣之后再打）：现在 { $percent }
quote-line-screen = { $name }：{ $qty } { $unit }，折扣 { $percent }。改数量、折扣，或删除：
quote-ask-free = 🛠 输入自定义服务：名称 价格 [x 数量]，例如「实施服务 5000」或「培训 2000 x3」。
quote-ask-reason = 💬 给审批人的折扣说明（例如：竞品报价更低，客户承诺三年合同）：
quote-ask-reason-submit = 📤 这份报价要 { $levels } 审批。写一句折扣说明，审批人会更快批（例如：竞品报价更低，客户承诺三年合同）：
quote-btn-submit-anyway = 📤 不写了，直接提交
quote-ask-template = 💾 模板名称：
quote-ask-customer-reason = ❌ 客户为什么拒绝？（会记录下来用于丢单分析）
quote-needs-none = 这个商机还没有记录需求。跟进时在 /log 里记下需求，这里就能核对。
quote-needs-title = 🎯 这份报价覆盖了哪些需求？点一下打勾（{ $covered }/{ $total }）：
quote-free-unit = 项
quote-done-started = ✅ 已新建报价单 { $number }
quote-done-added = ✅ 已添加：{ $name } × { $qty }
quote-done-changed = ✅ 已修改
quote-done-removed = ✅ 已删除
quote-done-submitted = 📤 已提交审批，审批人会收到通知。
quote-done-approved-at-once = ✅ 无需审批，报价单已生效。可以生成 PDF / Excel 发给客户了。
quote-done-sent = 📨 已标记为已发送。
quote-done-accepted = 🤝 客户已接受！商机金额已更新为 { $total }，进入合同阶段。
quote-done-rejected = 已记录客户拒绝的原因。可以修改报价生成新版本。
quote-done-revised = ✏️ 已生成新版本 { $number }，改好后重新提交。
quote-done-withdrawn = ↩️ 已撤回审批，报价单回到草稿，改好后重新提交。
quote-done-counter-taken = ✅ 已接受还价，报价单已生效。
quote-done-template = 💾 已存为模板「{ $name }」
quote-document-caption = { $number } · { $company }

## approvals in chat

approval-done-approved = ✅ 已批准 { $number }。
approval-done-next = ✅ 已批准 { $number }，已转下一级审批。
approval-done-rejected = ❌ 已驳回 { $number }，销售会收到原因。
approval-done-countered = 💬 已还价 { $number }，等销售确认。
approval-ask-reason = ❌ 驳回 { $number } 的原因？（销售会看到）
approval-ask-counter = 💬 { $number } 申请总折扣 { $asked }，你能接受多少？
approval-btn-counter-type = ✏️ 输入百分比
approval-type-counter = 请输入你能接受的总折扣百分比（低于申请的），例如 12：
approvals-empty = 👍 没有等你审批的报价。
approvals-title = 🧾 等你审批的报价（{ $count } 份，最早的在前）：
approvals-line = { $n }. { $number } · { $company } · { $rep } · { $level } · { $total } · 提交于 { $since }

## documents

doc-title = { $team } 报价单
doc-number = 报价单号
doc-customer = 客户
doc-contact = 联系人
doc-date = 日期
doc-valid-until = 有效期至
doc-rep = 销售
doc-currency = 币种
doc-col-no = 序号
doc-col-item = 产品/服务
doc-col-qty = 数量
doc-col-price = 单价
doc-col-discount = 折扣
doc-col-tax = 税率
doc-col-amount = 金额（不含税）
doc-col-amount-number = 金额（数值）
doc-subtotal = 小计
doc-discount = 折扣
doc-net = 不含税合计
doc-tax = 税额
doc-total = 含税总计
doc-note = 本报价有效期至 { $until }。价格以人民币计，单价不含税。

## /products

products-title = 📦 <b>产品目录</b>（共 { $total } 个）
products-title-search = 📦 <b>产品目录</b> · 搜索「{ $query }」（共 { $total } 个）
products-empty = 还没有产品。点「➕ 添加产品」，或者直接发一个 CSV / Excel 文件导入。
product-line = <b>{ $code }</b> { $name } · { $price } / { $unit }
product-inactive-mark = {" "}（已停用）
product-card =
    📦 <b>{ $code }</b> · { $name }
    英文名：{ $name_en }
    单位：{ $unit }
    标价：{ $price }（不含税）
    底价：{ $floor }
    成本：{ $cost }
    税率：{ $tax } · 币种：{ $currency }
    类别：{ $category }
    状态：{ $active }
product-active-yes = ✅ 启用
product-active-no = 🚫 已停用
products-btn-add = ➕ 添加产品
products-btn-import = 📥 导入 CSV/Excel
products-btn-edit = ✏️ 编辑
products-btn-deactivate = 🚫 停用
products-btn-activate = ✅ 重新启用
products-btn-open = 📦 查看产品
products-btn-save = ✅ 保存
products-btn-skip = ⏭ 跳过
products-btn-keep = ➡️ 不改
products-btn-clear = 🧹 清空
products-btn-import-confirm = ✅ 确认导入（{ $count } 个）
products-done-added = ✅ 已添加 { $code }
products-done-edited = ✅ 已保存 { $code }
products-done-activated = ✅ 已重新启用
products-done-deactivated = 🚫 已停用（已有的报价单不受影响，搜索里不再出现）
products-add-head = ➕ <b>添加产品</b>
products-edit-head = ✏️ <b>编辑产品</b>
products-ask-code = 产品编码（例如 CRM-PRO）：
products-ask-name = 产品名称（中文）：
products-ask-name-en = 英文名称（可跳过）：
products-ask-unit = 单位（点一个，或输入）：
products-ask-price = 标价（不含税，每单位），例如 12800：
products-ask-floor = 底价（低于它的报价需要审批；可跳过）：
products-ask-cost = 成本（每单位，用来算毛利）：
products-ask-tax = 税率（点一个，或输入，例如 13%）：
products-ask-category = 类别（可跳过）：
products-expect-text = 请输入文字，或点下面的按钮。
products-field-code = 编码
products-field-name_zh = 名称
products-field-name_en = 英文名
products-field-unit = 单位
products-field-price = 标价
products-field-floor = 底价
products-field-cost = 成本
products-field-tax = 税率
products-field-category = 类别
products-review =
    编码：{ $code }
    名称：{ $name }
    英文名：{ $name_en }
    单位：{ $unit }
    标价：{ $price }
    底价：{ $floor }
    成本：{ $cost }
    税率：{ $tax }
    类别：{ $category }
products-col-code = 编码
products-col-name_zh = 名称
products-col-name_en = 英文名
products-col-unit = 单位
products-col-list_price_minor = 标价
products-col-floor_price_minor = 底价
products-col-cost_minor = 成本
products-col-tax_bp = 税率
products-col-currency = 币种
products-col-active = 启用
products-col-category = 类别
products-import-help =
    📥 直接把 CSV 或 Excel（.xlsx）文件发给我，第一行是列名：
    编码 code、名称 name_zh、单位 unit、标价 list_price、成本 cost（必填），
    英文名称 name_en、底价 floor_price、税率 tax_rate、币种 currency、启用 active、类别 category（可选）。
    我会先给你看预览（新增、修改、每行的错误），确认后才写入；同一个文件导入两次不会重复。
products-import-not-allowed = 收到文件了，不过只有销售经理和管理员可以导入产品目录。
products-import-missing = ❌ 文件第一行缺少这些列：{ $columns }。发 /products 点「📥 导入」看列的说明。
products-import-preview = 📥 <b>导入预览</b>：新增 { $new } · 修改 { $changed } · 不变 { $same } · 错误 { $errors }
products-import-new = ➕ 第 { $row } 行 { $code } { $name } · { $price }
products-import-changed = ✏️ 第 { $row } 行 { $code }：{ $fields }
products-import-error = ❌ 第 { $row } 行：{ $problem }
products-import-more-errors = ……还有 { $count } 行有错误
products-import-confirm-hint = 有错误的行不会导入。确认后才写入。
products-import-nothing = 没有要写入的内容。
products-import-done = ✅ 导入完成：新增 { $added } 个，修改 { $changed } 个。
