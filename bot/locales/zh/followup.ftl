## Follow-up (深度跟进): nudges, escalations, silence alerts, the morning agenda (domain/services/followup.py)

activity-kind-call = 电话
activity-kind-visit = 拜访
activity-kind-message = 微信/消息
activity-kind-email = 邮件
activity-kind-meeting = 会议
activity-kind-note = 备注

activity-outcome-reached = 已联系上
activity-outcome-no_answer = 没接通/未回复
activity-outcome-interested = 有意向
activity-outcome-needs_proposal = 需要方案报价
activity-outcome-not_interested = 没兴趣
activity-outcome-call_back = 约了再联系
followup-outcome-none = 无结果

followup-step-none = 还没定下一步
followup-step-at = { $step }（{ $due }）
followup-step-unnamed = 跟进客户

followup-last = { $at } { $kind }·{ $outcome }：{ $note }
followup-last-bare = { $at } { $kind }·{ $outcome }
followup-last-none = 还没有跟进记录

followup-btn-log = 📝 记录跟进
followup-btn-lose = ❌ 标记丢单

## The next step comes due

followup-nudge =
    📞 <b>该跟进「{ $company }」了</b>
    这是你之前定的下一步，时间到了：{ $step }
    联系人：{ $contact } · 阶段：{ $stage }
    上次跟进：{ $last }

    跟进完点「记录跟进」记下结果和下一步；现在不方便就点 💤 换个时间；客户确定不做了就点「标记丢单」。
    下一个工作日下班前还没处理的话，会通知经理。

followup-escalated-manager =
    🚨 <b>{ $rep } 的跟进提醒还没处理</b>
    客户：「{ $company }」
    计划的下一步：{ $step }（原定 { $due }）
    { $nudged } 已经提醒过 { $rep }，到现在还没有记录跟进，也没有改期。
    下一步：问问 { $rep } 进展，或者打开商机改派给其他同事。

followup-logged-by-other =
    📝 { $actor } 在你的商机「{ $company }」上记录了一条跟进：
    { $kind }·{ $outcome }：{ $note }
    下一步：{ $step }
    点下面打开商机看看完整记录。

## Silence alerts (沉默客户 / 跟进断档)

followup-stale-owner =
    🔕 <b>「{ $company }」已经 { $days } 天没有跟进了</b>
    { $stage }阶段团队要求最多 { $limit } 天跟进一次，客户可能在慢慢变冷。
    可以试试：{ $try }
    联系完点「记录跟进」记下结果和下一步，计时就会重新开始。
followup-no-step-owner =
    🗓 <b>「{ $company }」还没有定下一步</b>
    已经 { $days } 天没有安排后续跟进（{ $stage }阶段最多 { $limit } 天不跟进）。
    可以试试：{ $try }
    点「记录跟进」，最后一步选个下次跟进的时间，到时我会提醒你。
followup-stale-manager =
    🚨 <b>{ $rep } 的商机「{ $company }」已经 { $days } 天没有跟进</b>
    { $stage }阶段团队要求最多 { $limit } 天，现在已超过两倍，之前已经提醒过 { $rep }。
    下一步：问问 { $rep } 情况，或者打开商机改派给其他同事。发 /stale 可以看全队的沉默商机。

followup-try-restate_need = 再跟客户确认一下需求和痛点，看看有没有变化
followup-try-ask_decider = 问问还有谁参与决策，争取见到拍板的人
followup-try-share_case = 发一个同行业的成功案例给客户参考
followup-try-limited_offer = 给一个限时优惠，推动客户尽快决定
followup-try-confirm_payment = 跟客户财务确认付款时间和流程
followup-try-check_delivery = 问问交付进展，有没有需要协调的问题
followup-try-ask_feedback = 回访一下使用情况和满意度
followup-try-ask_referral = 问问客户能不能介绍同行朋友

## The morning agenda (extends digest-agenda)

followup-agenda = { $head }{ $overdue }{ $handoffs }{ $payments }{ $delivery }{ $assist }{ $next }
followup-agenda-head = ☀️ 早上好！今天的跟进安排：
followup-agenda-overdue =
    {""}

    ⚠️ 逾期没跟进的 { $count } 条：
    { $items }
followup-agenda-handoffs =
    {""}

    📥 等你确认接手的 { $count } 个商机：
    { $items }
followup-agenda-next =
    {""}

    跟进完在提醒消息里点「记录跟进」，或者发 /deals 打开商机记录；接手请求在 /deals 里确认。

## Errors

error-followup-not-owner = 只有商机负责人或本团队经理可以记录跟进。
error-followup-accept-first = 这个商机还在等你接手：先在交接卡上点「✅ 接手」，再来记录跟进。
error-followup-closed = 这个商机已经关闭（赢单或丢单），不能再记录跟进了。
error-followup-kind = 请选一种跟进方式：电话、拜访、微信/消息、邮件、会议或备注。
error-followup-outcome = 请选一个跟进结果，比如「已联系上」或「没接通」。
error-followup-note = 备注太长了，最多 { $max } 个字，精简一下再发吧。
error-followup-needs = 客户需求写得太长了，最多 { $max } 个字。
error-followup-step = 下一步写得太长了，最多 { $max } 个字，比如：周五前发方案。
error-followup-empty-note = 备注不能是空的，发一段文字或者语音吧。
error-followup-due-past = 下次跟进的时间已经过去了，选一个以后的时间吧，比如：明天、3天后。
error-followup-due-far = 下次跟进的时间太远了，最多一年以内，选个近一点的吧。
error-followup-step-date = 下一步需要一个时间，比如：明天、3天后、下周一 10点。
error-idle-stage = 只能给进行中的阶段设置最长跟进间隔（商机认定到售后）。
error-idle-days = 最长跟进间隔要在 { $min } 到 { $max } 天之间。
error-stale-role = 只有销售经理或管理员可以查看全队的沉默商机。
error-search-query = 请告诉我要找什么，比如：/find 华东 或 /find 8001

## A manager's nudge from /stale

followup-ping-owner =
    👋 <b>{ $manager } 提醒你跟进「{ $company }」</b>
    这个商机在{ $stage }阶段，已经 { $days } 天没有跟进记录了。
    联系一下客户，然后点「记录跟进」记下结果和下一步。
error-ping-no-owner = 这个商机现在没有负责人（或已经关闭），没法提醒。
error-ping-already = 今天已经提醒过 TA 了，明天再看看进展。
