## Reports (issue 14): /report, the review of a period

cmd-report = 数据复盘
error-report-role = 只有销售、经理和管理员可以看复盘数据。
error-report-period-backwards = 结束日期不能早于开始日期。
error-report-period-too-long = 一次最多看 366 天。
error-report-period-custom-needs-days = 请给出开始和结束日期，例如 /report 2026-11-01 2026-11-15
report-pick = 📊 看哪段时间的复盘？
report-period-this_week = 本周
report-period-last_week = 上周
report-period-this_month = 本月
report-period-last_30_days = 近 30 天
report-btn-custom = 📅 自定义
report-btn-org = 🌐 全公司
report-btn-team = 👥 本团队
report-custom-hint = 自定义日期：发送 /report 开始 结束，例如 /report 2026-11-01 2026-11-15 或 /report 11-01 11-15
report-closed-menu = 好的，需要时再发 /report。
report-whole-org = 全公司
report-title = 📊 <b>{ $team } · 复盘 { $period }</b>
report-title-mine = 📊 <b>我的复盘 · { $period }</b>
report-day = { $m }月{ $d }日
report-span = { $m1 }月{ $d1 }日–{ $m2 }月{ $d2 }日
report-leads = 新线索 { $leads } 条，已赢单 { $won } 条（线索→赢单 { $rate }）
report-closed = 赢单 { $won } 单 { $amount } · 丢单 { $lost } 单 · 赢率 { $rate }
report-funnel = <b>🔻 漏斗</b>（进入 → 推进到下一步）
report-funnel-line = { $stage }：{ $entered } → { $converted }（{ $rate }）
report-cycle = <b>⏱ 周期</b>（中位 / 90%）
report-times = { $median } / { $p90 }（{ $n } 个）
report-none = 暂无
report-cycle-first = 线索→首次跟进：{ $times }
report-cycle-no-followup = ，还有 { $n } 条没跟进
report-cycle-handoff = 分配→接手确认：{ $times }
report-cycle-quote = 报价提交→审批通过：{ $times }
report-cycle-stage = 停留在「{ $stage }」：{ $times }
report-dur-minutes = { $n } 分钟
report-dur-hours = { $n } 小时
report-dur-days = { $n } 天
report-board = <b>🚧 断点</b>（现在 · 本期新增）
report-bp-line = { $mark } { $label }：{ $now } · { $period }{ $alerts }
report-bp-alerts = （提醒 { $alerted }，升级 { $escalated }）
report-bp-holders = 在谁手上：{ $who }
report-bp-oldest = 最早从 { $since } 起
report-bp-unassigned = 公海无人跟进
report-bp-no_record = 商机没有跟进记录
report-bp-uncovered_needs = 方案有需求没覆盖
report-bp-slow_approvals = 报价审批超时
report-bp-slow_contracts = 合同久未签
report-bp-overdue_payments = 回款逾期
report-bp-late_tickets = 售后工单超时或没人负责
report-bp-late_handoffs = 分配超时未接手
report-bp-silent = 沉默商机
report-lost = <b>💔 丢单 { $n } 单</b>
report-lost-line = { $reason }：{ $n } 单 { $amount }
report-lost-no-reason = 未填原因
report-lost-stages = 丢在哪个阶段：{ $stages }
report-rejections = 客户拒绝报价：{ $reasons }
report-by-source = <b>🎯 赢率 · 按来源</b>
report-by-rep = <b>🏅 赢率 · 按销售</b>
report-win-line = { $name }：{ $rate }（{ $won }/{ $closed }）
report-activity = <b>📞 跟进活动</b>
report-activity-line = { $name }：{ $n } 次，每周 { $per_week } 次（{ $kinds }）
report-activity-timely = ；待办按时 { $on_time }，逾期 { $late }（按时率 { $rate }）
report-chart-title = { $team } · { $period }
report-chart-funnel = 销售漏斗
report-chart-entered = 进入
report-chart-converted = 推进到下一步
report-chart-times = 各阶段停留（天）
report-chart-median = 中位数
report-chart-p90 = 90% 分位
report-chart-days = 天
report-chart-empty = 本期没有离开某个阶段的商机

## Report digests (the outbox): the manager's morning digest, the Monday review, a rep's own week

report-digest-daily =
    ☀️ <b>团队早报</b>
    昨天新线索：{ $leads } 条
    等待接手：{ $handoffs_waiting } 个
    等待审批的报价：{ $approvals_waiting } 个
    当前断点：{ $breakpoints }
    👉 点下面的按钮看明细，逐条处理。
report-digest-weekly =
    📊 <b>上周复盘 { $period }</b>
    新线索 { $leads } 条（比前一周 { $leads_change }）
    赢单 { $won } 单（{ $won_change }），金额 { $amount }
    赢率 { $rate }（{ $rate_change } 个百分点）
    当前断点：{ $breakpoints }
    👉 图是上周的漏斗和各阶段用时；点「上周复盘」看完整数据和每个断点在谁手上。
report-digest-rep =
    📊 <b>你的上周小结 { $period }</b>
    新线索 { $leads } 条（比前一周 { $leads_change }），赢单 { $won } 单（{ $won_change }），金额 { $amount }
    赢率 { $rate }（{ $rate_change } 个百分点）
    跟进 { $touches } 次；待办按时 { $on_time }，逾期 { $late }
    需要你处理的：{ $breakpoints }
    👉 点「上周复盘」看明细。
report-digest-bp = { $label } { $n }
report-digest-bp-none = 没有 👍
report-btn-last-week = 📊 上周复盘
report-btn-mute = 🔕 不再接收
report-btn-digests = 🔔 简报设置
report-digests = 🔔 <b>简报设置</b>：点一下开 / 关。
report-digest-on = ✅ { $name }
report-digest-off = 🔕 { $name }（已关）
report-digest-name-report_daily = 团队早报（每个工作日上班时）
report-digest-name-report_weekly = 周一复盘
report-digest-name-report_rep = 我的周小结（周一）
report-muted = 已关闭「{ $name }」。想再收到，发 /report → 🔔 简报设置。
error-report-digest = 这份简报不是发给你的。

## The XLSX export

report-btn-export = 📥 导出 Excel
report-export-start = 📥 正在导出 { $period }：共 { $total } 行…
report-export-progress = 📥 正在导出 { $period }：{ $done } / { $total } 行…
report-export-done = ✅ 已导出 { $period }：{ $total } 行（商机 { $deals }，跟进 { $activities }，报价 { $quotes }）。文件在下面，可以直接转发。
report-export-empty = 这段时间没有可导出的商机、跟进或报价。
report-sheet-deals = 商机
report-sheet-activities = 跟进记录
report-sheet-quotes = 报价单
report-col-id = 编号
report-col-company = 客户
report-col-title = 商机名称
report-col-owner = 负责人
report-col-stage = 阶段
report-col-amount = 金额（元）
report-col-source = 来源
report-col-created = 创建时间
report-col-lost_reason = 丢单原因
report-col-last_activity = 最近跟进
report-col-at = 时间
report-col-rep = 销售
report-col-kind = 方式
report-col-outcome = 结果
report-col-note = 备注
report-col-next_step = 下一步
report-col-next_due = 下一步时间
report-col-number = 报价单号
report-col-status = 状态
report-col-total = 总价（元）
report-col-discount = 折扣
report-col-submitted = 提交时间
report-col-decided = 决定时间
