## Deals: /deals (list, filters, card, stage moves, lost, reassign), /assign, /pool, /policy

cmd-deals = 我的商机
cmd-pool = 公海（待认领商机）
cmd-assign = 分配/转交商机
cmd-policy = 团队销售规则

btn-open-deal = 📂 查看商机
btn-claim = 🙋 认领

deal-lost-price = 价格没谈拢
deal-lost-competitor = 输给竞品
deal-lost-no_budget = 客户没预算
deal-lost-no_decision = 客户迟迟不决策
deal-lost-timing = 时机不对
deal-lost-other = 其他原因

deal-amount-none = 金额未填
deal-close-none = 未定
deal-owner-pool = 暂无（在公海）
deal-owner-waiting = 待 { $name } 确认
deal-owner-none = 暂无

## /deals list

deals-title-mine = 📋 <b>我的商机</b>（共 { $total } 个）
deals-title-team = 📋 <b>团队商机</b>（共 { $total } 个）
deals-title-captured = 📥 <b>我录入的商机</b>（共 { $total } 个）
deals-captured-hint = 这些线索是你录入、由同事跟进的，可以打开查看进展（只读）。
deals-filtered-by = 筛选：{ $filters }
deals-page = 第 { $page }/{ $pages } 页
deals-line = { $n }. { $name } — { $stage } · { $amount }
deals-line-owner = {" · "}{ $owner }
deals-line-touched = {" · "}最近跟进 { $at }
deals-line-waiting = {" · "}⏳ 待接手
deals-empty = 还没有商机。发 /lead 录入线索，或者去 /pool 公海认领一个。
deals-empty-filtered = 没有符合筛选条件的商机，可以点「清除筛选」看看全部。
deals-filter-waiting = 待接手
deals-filter-stale = 停滞
deals-btn-stage = 🔎 按阶段
deals-btn-waiting = ⏳ 待接手
deals-btn-stale = 💤 停滞
deals-btn-mine = 👤 我的
deals-btn-team = 👥 团队
deals-btn-captured = 📥 我录入的
deals-btn-clear = 🧹 清除筛选
deals-choose-stage = 看哪个阶段的商机？
deals-stage-all = 全部阶段

## The deal card

deal-card =
    💼 <b>{ $title }</b>
    公司：{ $company }
    联系人：{ $contact }
    金额：{ $amount }
    预计成交：{ $close }
    负责人：{ $owner }
    阶段：{ $stage }
    评分：{ $score }
deal-score = { $score }/10（{ $reasons }）
deal-score-none = 还没评分
deal-lost-line = ❌ 丢单原因：{ $reason }
deal-lost-note = 说明：{ $note }
deal-waiting-line = ⏳ 等待 { $name } 确认接手（截止 { $deadline }）
deal-waiting-someone = 新负责人
deal-history-title = 📜 阶段记录：
deal-history-line = • { $at } { $actor }：{ $start } → { $end }
deal-history-created = 新建
deal-history-system = 系统
deal-history-override = （经理跳过阶段）
deal-read-only = 👀 这条线索是你录入的，你可以在这里看进展；跟进和推进由负责人来做。

deal-btn-advance = ➡️ 推进到「{ $stage }」
deal-btn-skip = ⏭ 跳过阶段
deal-btn-win = 🎉 赢单
deal-btn-lose = ❌ 标记丢单
deal-btn-reassign = 🔁 转给别人
deal-btn-back-list = ⬅️ 返回列表

## Stage moves

deal-confirm-advance = 确定把「{ $title }」从「{ $start }」推进到「{ $end }」吗？
deal-btn-confirm-advance = ✅ 确认推进
deal-skip-choose =
    ⏭ 跳过阶段（经理权限）
    「{ $title }」现在在「{ $stage }」，直接移到哪个阶段？
deal-confirm-skip = 确定把「{ $title }」从「{ $start }」直接移到「{ $end }」吗？中间的阶段会被跳过，并记为经理操作。
deal-btn-confirm-skip = ✅ 确认跳过
deal-done-moved = ✅ 已进入「{ $stage }」阶段。
deal-done-won = 🎉 恭喜赢单！团队群里会发喜报。
deal-error-moved = 这个商机已经在「{ $stage }」阶段了，这个按钮过期了。请重新打开商机。

## Mark lost

deal-lose-choose-reason = 「{ $title }」为什么丢单？请选一个原因：
deal-lose-expect-reason = 请先点上面的按钮选一个丢单原因（没有合适的就选「其他原因」，下一步可以写说明）。
deal-lose-enter-note =
    丢单原因：{ $reason }
    还想补充一句吗？直接发文字说明，或者点「跳过」。
deal-lose-expect-note = 请发一段文字说明，或者点「跳过」。
deal-btn-skip-note = 跳过 ⏭
deal-confirm-lose =
    确定标记为丢单吗？
    原因：{ $reason }
    说明：{ $note }
deal-btn-confirm-lose = ✅ 确认丢单
deal-done-lost = ❌ 已标记为丢单，原因已记录。

## Reassign (card button and /assign)

deal-reassign-choose-rep = 🔁 把「{ $title }」转给谁？现在的负责人：{ $owner }
deal-reassign-no-reps = 团队里还没有可以接手的销售。先用 /invite 邀请销售加入吧。
deal-reassign-choose-reason = 转给 { $name }，原因是？
deal-reassign-reason-workload = 平衡工作量
deal-reassign-reason-skills = 更熟悉这个区域/行业
deal-reassign-reason-leave = 原负责人休假/离职
deal-reassign-reason-customer = 客户要求换人
deal-reassign-reason-own = ✏️ 自己写原因
deal-reassign-enter-reason = 请直接发转交原因（一句话就行）：
deal-reassign-expect-reason = 请发一句文字说明转交原因，或者点「返回」「取消」。
deal-done-reassigned = 🔁 已转给 { $name }，两位销售都会收到通知。
assign-choose-deal = 🔁 转交哪个商机？（团队共 { $total } 个）
assign-empty = 团队里还没有商机。

## /pool

pool-title = 🌊 <b>公海</b>：{ $total } 个商机待认领
pool-page = 第 { $page }/{ $pages } 页
pool-hint = 点下面的按钮就能认领，认领后归你跟进。
pool-empty = 公海里现在没有待认领的商机 👍
pool-line = { $n }. { $name } — { $stage } · { $amount }
pool-line-since = {" · "}{ $at } 进入公海
pool-btn-claim = 🙋 认领 { $n }. { $company }
pool-done-claimed = ✅ 认领成功！{ $name } 现在归你跟进了。

## /policy

policy-card =
    ⚙️ <b>{ $team }</b> 的销售规则
    分配方式：{ $assignment }
    允许销售自己跟进自己录的线索：{ $self_assign }
    商机门槛：{ $threshold } 分（满分 10）
    接手时限：{ $handoff } 个工作分钟
    回收公海：{ $recycle }
    公海认领上限：每人 { $limit } 个
    冷却期：被收回后 { $cooloff } 天内不能再认领
policy-yes = 允许
policy-no = 不允许
policy-assignment-round_robin = 轮流分配
policy-assignment-least_loaded = 谁手上少给谁
policy-assignment-rules = 按区域/行业/产品匹配
policy-assignment-manual = 经理手动分配
policy-btn-assignment = 🔀 分配方式
policy-btn-self-on = ☑️ 自己跟进：允许
policy-btn-self-off = ⬜ 自己跟进：不允许
policy-btn-threshold = 🎯 商机门槛
policy-btn-handoff_minutes = ⏱ 接手时限
policy-btn-recycle_days = ♻️ 回收天数
policy-btn-pool_claim_limit = 🙋 认领上限
policy-btn-cooloff_days = 🧊 冷却期
policy-btn-skills = 🧑‍💼 销售技能
policy-choose-assignment = 新线索怎么分配给销售？
policy-done = ✅ 已保存。
policy-number =
    { $name }：现在是 { $value }
    点按钮加减，或者直接发一个数字。
policy-name-threshold = 商机门槛
policy-name-handoff_minutes = 接手时限
policy-name-recycle_days = 回收天数
policy-name-pool_claim_limit = 公海认领上限
policy-name-cooloff_days = 冷却期
policy-value-threshold = { $value } 分
policy-value-handoff_minutes = { $value } 个工作分钟
policy-value-recycle_days = { $value } 天
policy-value-pool_claim_limit = 每人 { $value } 个
policy-value-cooloff_days = { $value } 天
policy-error-not-a-number = { $name }要发一个整数，比如 30。请重新发：
policy-expect-number = 请直接发一个数字，或者点「返回」。
policy-skill-region = 区域
policy-skill-industry = 行业
policy-skill-product = 产品
policy-skills-title = 🧑‍💼 <b>销售专长</b>（按区域/行业/产品分配时用）
policy-skills-line = • { $name }：{ $skills }
policy-skills-no-reps = 团队里还没有销售。
policy-skill-entry = { $kind }：{ $values }
policy-rep-skills = 🧑‍💼 <b>{ $name }</b> 的专长：
policy-btn-edit-skill = ✏️ { $kind }
policy-enter-skills =
    请发 { $name } 负责的{ $kind }，多个用逗号隔开，比如：{ $example }
    发「无」可以清空。
policy-example-region = 华东，华南
policy-example-industry = 制造，零售
policy-example-product = CRM，数据平台
policy-expect-skills = 请直接发文字，多个用逗号隔开；或者点「返回」。
policy-btn-idle = ⏳ 沉默时限
policy-btn-weights = ⚖️ 评分权重
policy-idle-title = ⏳ <b>沉默时限</b>：商机在各阶段最多几天没有跟进记录，超过就算沉默，提醒销售和你
policy-idle-line = • { $stage }：{ $days } 天
policy-idle-stage =
    「{ $stage }」阶段的沉默时限：现在是 { $days } 天
    点按钮加减，或者直接发一个天数（1–365）。
policy-idle-not-a-number = 「{ $stage }」的沉默时限要发一个整数天数，比如 7。请重新发：
policy-weights-title = ⚖️ <b>评分权重</b>：线索每满足一项加几分（总分封顶 10 分，达到商机门槛才算商机）
policy-weight-line = • { $factor }：{ $weight } 分
policy-weight =
    「{ $factor }」的权重：现在是 { $weight } 分
    点 −/+ 调整，改完只影响之后录入或重新评分的线索。
policy-weight-need = 需求明确
policy-weight-authority = 决策人
policy-weight-budget = 预算
policy-weight-timeline = 时间表
policy-weight-industry = 行业匹配
policy-weight-engagement = 主动来询
pool-line-score = {" · "}{ $score }/10 分
pool-line-recycled = {" · "}♻️ 回收

## A command's words as a search of the person's deals (handlers/deal_search.py)
deal-search-found = 🔎 「{ $query }」找到 { $count } 个商机，点一个：
deal-search-none = 没找到和「{ $query }」相关的商机，换个词试试（公司名的一部分、联系人或手机号后 4 位）。
