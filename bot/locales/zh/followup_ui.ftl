## Follow-up in chat: /log, the deal timeline, /find, /stale (handlers/followup_*.py)

cmd-log = 记录跟进
cmd-stale = 沉默/逾期商机（经理）
cmd-find = 搜索客户和商机

## /log

log-btn-card = 📞 记录跟进
log-head = 📞 <b>记录跟进</b> · { $deal }
log-ask-kind = 这次是怎么联系客户的？
log-ask-outcome = 结果怎么样？
log-ask-when =
    下次什么时候跟进？点一个时间就保存好了，到时我会提醒你。
    也可以直接打字，比如：周五 10点、12月3日、3天后。
    要补充备注（文字或语音）、客户需求或下一步做什么，先点下面对应的按钮。
log-ask-when-lost =
    客户没兴趣的话，点「不定下一步」保存，接着可以直接标记丢单。
    还想再争取一下，就选个下次跟进的时间，或者直接打字，比如：下周一 10点。
log-ask-date =
    下次跟进定在哪天？直接打字告诉我，比如：
    明天 10点 · 周五 · 下周一 15:00 · 12月3日 · 3天后
log-ask-note = 这次聊了什么？发一段文字，或者直接发条语音。
log-ask-needs = 客户提到了哪些需求或痛点？打字告诉我，比如：想要手机端审批，预算 20 万以内。
log-ask-step = 下一步打算做什么？比如：发方案、约老板见面、寄样品。

log-btn-when-tomorrow = 明天
log-btn-when-3d = 3天后
log-btn-when-week = 下周
log-btn-pick-date = 📅 选个日期
log-btn-no-step = 🚫 不定下一步
log-btn-note = 📝 备注
log-btn-note-edit = 📝 改备注
log-btn-needs = 💡 客户需求
log-btn-needs-edit = 💡 改需求
log-btn-step = ✏️ 下一步做什么
log-btn-step-edit = ✏️ 改下一步
log-btn-skip = 跳过 ⏭
log-btn-clear = 🗑 清空
log-btn-all-deals = 📋 我的全部商机

log-said-note = 备注：{ $note }
log-said-voice = 🎤 已附语音备注
log-said-needs = 客户需求：{ $needs }
log-said-step = 下一步：{ $step }

log-choose-deal = 📞 <b>记录哪个商机的跟进？</b>（共 { $total } 个）
log-choose-hint = 点一个商机；也可以直接打几个字搜索，比如「华东」或者手机号后 4 位。
log-no-deals = 你手上还没有进行中的商机。发 /lead 录一条线索，或者发 /pool 去公海认领。
log-search-found = 🔎 「{ $query }」找到 { $count } 个商机，点一个开始记录：
log-search-none = 没找到和「{ $query }」相关的商机。换个词试试：公司名的一部分（比如「华东」）、联系人，或者手机号后 4 位。
log-search-note = 📝 后面的话先记为跟进备注：{ $note }

log-expect-deal = 请点上面的商机，或者打几个字搜索。
log-expect-kind = 请点按钮选一种联系方式：电话、拜访、微信/消息、邮件或会议。
log-expect-outcome = 请点按钮选一个结果，比如「已联系上」或「没接通」。
log-expect-note = 备注请发文字或语音；不写就点「跳过」。
log-expect-needs = 客户需求请打字告诉我；不写就点「跳过」。
log-expect-step = 下一步请打字告诉我，比如：发方案；不写就点「跳过」。
log-expect-date = 请点一个时间，或者打字告诉我日期，比如：明天 10点、周五、12月3日。
log-date-unreadable =
    没看懂「{ $input }」是哪天 🤔 可以这样写：
    明天 10点 · 周五 · 下周一 15:00 · 12月3日 · 3天后
log-date-past = { $when } 已经过去了，选一个以后的时间吧，比如：明天 10点、下周一。

log-stale = 这个按钮已经过期了（这条跟进已经记好或已取消）。需要的话重新发 /log。
log-already-open = 已经在记录这个商机的跟进了，接着选就行。

log-saved = ✅ <b>跟进已记录</b> · { $deal }
    { $what }
log-saved-next = 🗓 下次跟进：{ $when } · { $step }，到时提醒你。
log-saved-next-other = 🗓 下次跟进：{ $when } · { $step }，到时提醒 { $owner }。
log-saved-completed = 之前这个商机的跟进提醒已经自动标记完成。
log-hint-lost = 客户没兴趣的话，可以直接标记丢单，记下原因方便复盘。
log-hint-advance = 客户要方案了，可以把商机推进到「{ $stage }」。
log-hint-plan = ⚠️ 还没定下一步：没有下次跟进时间的商机很快会被标记为「跟进断档」，记得尽快安排。

## The deal timeline

timeline-btn = 🕘 跟进记录
timeline-btn-back = ⬅️ 返回商机
timeline-btn-voice = 🎤 听第 { $n } 条
timeline-title = 🕘 <b>跟进记录</b> · { $deal }（共 { $total } 条）
timeline-empty = 还没有跟进记录。联系完客户点「记录跟进」记一笔吧。
timeline-line = { $n }. { $at } · { $who } · { $icon } { $what }
timeline-note = {"   "}备注：{ $note }
timeline-voice = {"   "}🎤 语音备注
timeline-needs = {"   "}客户需求：{ $needs }
timeline-next = {"   "}下一步：{ $step }（{ $when }）

## /find

find-ask = 要找什么？发公司名、联系人或手机号的一部分，比如：华东、张总、8001。
find-expect-words = 请打字告诉我要找什么，比如：华东 或 8001。
find-found = 🔎 「{ $query }」找到 { $count } 个商机：
find-line = { $n }. { $deal } · { $stage }
find-matched = {"   "}{ $where }：{ $text }
find-kind-customer = 公司
find-kind-contact = 联系人
find-kind-opportunity = 商机
find-kind-note = 跟进记录
find-more = 只显示最近有动静的 { $count } 个，词再具体一点会更准。
find-none =
    没找到和「{ $query }」相关的商机。
    可以试试：公司名的一部分（比如「华东」能找到华东科技）、联系人名字，或者手机号里连续的几位数字（比如 8001）。

## /stale

stale-report-title = 🔕 <b>沉默和逾期的商机</b>（共 { $total } 个，涉及 { $reps } 位销售）
stale-report-rep = 👤 <b>{ $rep }</b>（{ $count } 个）
stale-report-line = { $n }. { $deal } · { $stage } — { $silence }
stale-report-silent = 已经 { $days } 天没跟进（要求 { $limit } 天内）
stale-report-quiet = { $days } 天没跟进
stale-report-overdue = ⏰ { $since } 的跟进提醒还没处理
stale-report-no-step = 🗓 没定下一步
stale-report-hint = 点商机打开详情，点「提醒」催一下负责人，或者点「转给别人」改派。
stale-btn-ping = 👋 提醒
stale-pinged = 已提醒 { $owner }，TA 会收到跟进「{ $company }」的消息。
stale-pinged-later = 现在是非工作时间，{ $at } 会提醒 { $owner } 跟进「{ $company }」。
stale-report-empty = 👍 全队没有沉默或逾期的商机，大家跟得很紧！
