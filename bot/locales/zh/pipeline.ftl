## Pipeline services: hand-off cards, announcements, alerts, recycling (domain/services/leads.py, deals.py)

list-separator = {"，"}
list-empty = 无

stage-qualified = 商机认定
stage-following_up = 深度跟进
stage-proposal = 方案报价
stage-contract = 合同签署
stage-payment = 回款
stage-delivery = 交付
stage-after_sales = 售后
stage-won = 赢单
stage-lost = 丢单

source-website = 官网
source-event = 展会活动
source-referral = 转介绍
source-cold_call = 陌拜电话
source-advertising = 广告
source-partner = 合作伙伴
source-existing = 老客户
source-other = 其他

score-reason-need = 需求明确 +{ $points }
score-reason-authority = 决策人 +{ $points }
score-reason-budget = 预算 +{ $points }
score-reason-timeline = 时间表 +{ $points }
score-reason-industry = 行业匹配 +{ $points }
score-reason-engagement = 主动来询 +{ $points }

pipeline-need-voice = 🎤 语音留言（接手后可在商机里收听）

## The hand-off card and its buttons

handoff-card =
    📥 <b>新商机请你接手</b>
    客户：{ $company }（联系人：{ $contact }）
    来源：{ $source }
    评分：{ $score }/10（{ $reasons }）
    需求：{ $need }

    请在 <b>{ $deadline }</b> 前确认（{ $minutes } 个工作分钟）。
    点「接手」就由你负责跟进；不方便就点「婉拒」并说明原因，我会马上转给下一位同事。
    超时未确认会通知经理，并自动转给下一位同事。
handoff-card-reassigned =
    📥 <b>{ $by } 把一个商机改派给你</b>
    原因：{ $reason }
    客户：{ $company }（联系人：{ $contact }）
    来源：{ $source }
    评分：{ $score }/10（{ $reasons }）
    需求：{ $need }

    请在 <b>{ $deadline }</b> 前确认（{ $minutes } 个工作分钟）。
    点「接手」就由你负责跟进；不方便就点「婉拒」并说明原因。
handoff-btn-accept = ✅ 接手
handoff-btn-decline = 🙅 婉拒

decline-reason-busy = 手上客户太多，忙不过来
decline-reason-territory = 不在我负责的区域/行业
decline-reason-conflict = 与我现有客户有冲突
decline-reason-unfamiliar = 不熟悉这类产品/需求
handoff-btn-other-reason = ✍️ 其他原因（自己写）

handoff-accepted-done =
    ✅ 好的，「{ $company }」现在由你负责。
    下一步：发 /deals 打开这个商机，尽快联系客户，把跟进情况记下来。
handoff-decline-ask =
    🙅 婉拒「{ $company }」需要说明原因，经理会看到。
    请选一个原因，或者点「其他原因」自己写：
handoff-decline-type = ✍️ 请直接发一句话说明为什么不接「{ $company }」：
handoff-decline-expect-text = 请发一句文字说明婉拒原因，或者点「取消」放弃婉拒。
handoff-decline-cancelled = 好的，没有婉拒。商机卡片上的「接手」按钮在截止时间前仍然有效。
handoff-declined-done =
    👌 已婉拒「{ $company }」，原因已转告经理。
    系统会按团队规则把它转给下一位同事，你不用再处理了。

## Who else hears about a hand-off

pipeline-group-assigned = 📣 新商机「{ $company }」（{ $score }/10）已分配给 { $assignee }，等待确认，截止 { $deadline }。
pipeline-group-accepted = 🤝 { $assignee } 已接手商机「{ $company }」，开始跟进。
pipeline-group-won = 🎉 恭喜 { $owner } 赢单「{ $company }」！大家一起点个赞 👍
pipeline-group-claimed = 🙋 { $rep } 从公海领取了「{ $company }」。
handoff-accepted-notice =
    ✅ { $assignee } 已接手「{ $company }」，之后由 TA 负责跟进。
    不需要你再做什么；想看进展可以发 /deals。
handoff-taken-over =
    🔁 「{ $company }」已由 { $assignee } 接手，你不再是这个商机的负责人。
    如需交接资料，请直接联系 TA。
handoff-reassigned-old =
    🔁 { $manager } 把「{ $company }」改派给了 { $assignee }，原因：{ $reason }。
    { $owner ->
        [yes] 在 { $assignee } 确认接手之前，你仍然是负责人，请继续跟进。
       *[other] 你之前收到的接手请求已取消，不用再处理了。
    }

pipeline-pool-manager =
    🌊 新商机「{ $company }」（{ $score }/10：{ $reasons }）进入了公海，目前没有负责人。
    原因：{ $why }
    下一步：发 /pool 查看，或在 /deals 里用「改派」指定一位销售。
pool-why-manual = 团队设置的是经理手动分配
pool-why-nobody = 现在没有可分配的销售（都不在线或都已排除）
pool-why-declined = 所有可分配的销售都婉拒了
pool-why-expired = 所有可分配的销售都没有按时确认

handoff-next-rep = 已自动转给 { $name }，等待 TA 确认。
handoff-next-kept = 没有其他可分配的销售，商机仍由原负责人 { $name } 跟进。
handoff-next-pool = 没有其他可分配的销售，商机已进入公海，请发 /pool 查看或用「改派」指定一位销售。

handoff-declined-manager =
    🙅 { $assignee } 婉拒了「{ $company }」。
    原因：{ $reason }
    { $outcome }
handoff-expired-manager =
    ⏰ { $assignee } 没有在 { $deadline } 前确认接手「{ $company }」（{ $score }/10）。
    { $outcome }
    如需跟进，可以在 /deals 里打开商机手动改派。
handoff-expired-assignee =
    ⏰ 「{ $company }」的接手截止时间 { $deadline } 已过，已转给其他同事，也通知了经理。
    以后收到接手请求，请尽量在截止前点「接手」或「婉拒」。

## Recycling, notes, stage changes

recycle-old-owner =
    ♻️ 「{ $company }」已经 { $days } 天没有跟进记录，按团队规则回收到了公海。
    { $cooloff } 天内你不能再从公海领取它。以后记得及时记录跟进情况哦。
recycle-manager =
    ♻️ { $owner } 的商机「{ $company }」{ $days } 天没有跟进，已回收到公海。
    下一步：发 /pool 查看，或在 /deals 里改派给其他销售。
pipeline-note-added =
    📝 { $actor } 给「{ $company }」加了一条备注：
    { $note }
    你是负责人，请看一下是否需要跟进（发 /deals 打开商机）。
pipeline-stage-changed =
    📌 { $actor } 把「{ $company }」从「{ $from_stage }」改到了「{ $stage }」。
    你仍是负责人，发 /deals 可以查看详情。

## Errors of the pipeline services

error-lead-role = 只有销售、销售经理和管理员可以录入线索。
error-lead-company = 请填写公司名称（1 到 { $max } 个字）。
error-lead-too-long = { $field ->
        [need] 需求描述
        [contact_name] 联系人姓名
        [budget_note] 预算备注
        [industry] 行业
        [region] 区域
        [product] 产品
       *[other] 这一项
    }太长了，最多 { $max } 个字，请精简一下再发。
error-lead-field = { $field ->
        [source] 来源
        [budget] 预算
        [authority] 决策人
        [timeline] 时间表
       *[other] 这一项
    }的选项不对，请用按钮选择。
error-lead-contact-phone = 联系人的称呼不能是电话号码，电话请填在电话里。
error-lead-reach = 手机号和邮箱至少要填一个，方便联系客户。
error-lead-not-found = 找不到这条线索了，可能已经被处理。
error-lead-not-yours = 这条线索不是你录入或负责的，不能修改。
error-lead-duplicate = 团队里已经有相同手机号、邮箱或公司的记录。请先查看已有记录：可以在那条记录上加备注，或者确认这是一个新的线索后再保存。
error-note-text = 备注要 1 到 { $max } 个字，请重新发一下。
error-note-kind = 只能给线索或商机加备注。
error-deal-not-found = 没找到这个商机，可能已经被删除或合并。
error-deal-not-yours = 这个商机不是你负责的，不能查看或操作。
error-deal-read-only = 这个商机是你录入的，你只能查看进展，跟进和推进由负责人来做。
error-deals-scope = 销售只能查看自己的商机；查看全团队的商机需要经理权限。
error-lost-note = 丢单说明最多 { $max } 个字，请精简一下。
error-handoff-not-found = 找不到这个接手请求了。
error-handoff-not-yours = 这个接手请求不是发给你的，不能替别人操作。
error-handoff-done = 这个接手请求已经处理过了（已接手、已婉拒、已超时或已改派），不用再点 👌
error-decline-reason = 婉拒需要说明原因，请选一个原因或写一句话。
error-decline-reason-long = 原因最多 { $max } 个字，请精简一下。
error-reassign-role = 只有销售经理或管理员可以改派商机。
error-reassign-reason = 改派需要说明原因，两位销售都会看到。
error-reassign-target = 只能改派给本团队在职的销售。
error-reassign-same = 这个商机已经是（或正在等）这位销售接手了。
error-pool-reps-only = 只有销售可以从公海领取商机；经理请用「改派」指定负责人。
error-pool-taken = 手慢了一步，这个商机已经被领走了（或已不在公海）。看看公海里的其他商机吧。
error-pool-limit = 你从公海领取、还在跟进中的商机已经有 { $limit } 个了，先把手上的推进一下再来领吧。
error-pool-cooloff = 这个商机刚因为没有跟进被回收，{ $days } 天内你不能再领取它。
error-policy-role = 只有本团队的销售经理或管理员可以修改团队规则。
error-policy-field = 不认识的设置项：{ $field }。
error-policy-value = 「{ $field ->
        [threshold] 评分门槛
        [handoff_minutes] 接手时限（工作分钟）
        [recycle_days] 回收天数
        [pool_claim_limit] 公海领取上限
        [cooloff_days] 冷却天数
        [assignment] 分配方式
        [allow_self_assign] 允许自留
        [weights] 评分权重
        [industries] 行业列表
        [lost_reasons] 丢单原因列表
        [need] 需求权重
        [authority] 决策人权重
        [budget] 预算权重
        [timeline] 时间表权重
        [industry] 行业权重
        [engagement] 主动来询权重
       *[other] { $field }
    }」的值不对，请按提示重新设置。
error-policy-range = 「{ $field ->
        [threshold] 评分门槛
        [handoff_minutes] 接手时限（工作分钟）
        [recycle_days] 回收天数
        [pool_claim_limit] 公海领取上限
        [cooloff_days] 冷却天数
        [assignment] 分配方式
        [allow_self_assign] 允许自留
        [weights] 评分权重
        [industries] 行业列表
        [lost_reasons] 丢单原因列表
        [need] 需求权重
        [authority] 决策人权重
        [budget] 预算权重
        [timeline] 时间表权重
        [industry] 行业权重
        [engagement] 主动来询权重
       *[other] { $field }
    }」要在 { $min } 到 { $max } 之间，请重新输入。
error-policy-list = 「{ $field ->
        [threshold] 评分门槛
        [handoff_minutes] 接手时限（工作分钟）
        [recycle_days] 回收天数
        [pool_claim_limit] 公海领取上限
        [cooloff_days] 冷却天数
        [assignment] 分配方式
        [allow_self_assign] 允许自留
        [weights] 评分权重
        [industries] 行业列表
        [lost_reasons] 丢单原因列表
        [need] 需求权重
        [authority] 决策人权重
        [budget] 预算权重
        [timeline] 时间表权重
        [industry] 行业权重
        [engagement] 主动来询权重
       *[other] { $field }
    }」至少要有 1 项，最多 { $max } 项。
error-policy-unchanged = 这个设置本来就是这样，没有变化。
error-skills-not-rep = 只能给销售设置区域/行业/产品专长。
error-skills-kind = 专长类型只能是区域、行业或产品。
error-skills-values = 每项专长最多 64 个字，最多 { $max } 项，请检查后重新发。
