## Outbox: people and groups the bot can no longer reach (bot/outbox.py, domain/services/delivery.py)

outbox-user-unreachable =
    ⚠️ 消息发不到 { $name }（{ $role ->
        [admin] 管理员
        [manager] 销售经理
        [finance] 财务
       *[rep] 销售
    }）那里了：TA 可能屏蔽了机器人，或者一直没打开过机器人。
    现在交接、审批、跟进提醒这些消息 TA 都收不到。
    请尽快联系 TA，让 TA 打开机器人点「开始」（或者发 /start），之后的新消息就能正常收到了。
outbox-group-unreachable =
    ⚠️ 机器人在「{ $team }」的团队群里发不了消息了（可能被移出了群，或者群已经解散），已自动解除绑定。
    重新绑定之前，交接通知和成交喜报不会再发到群里。
    处理方法：把机器人重新拉进群，然后在群里发 /bindgroup。

## Dead letters: /deadletters (handlers/deadletters.py)

cmd-deadletters = 发送失败的消息
deadletters-title = 📮 <b>发送失败的消息</b>：共 { $total } 条（最新的在前）
deadletters-page = 第 { $page }/{ $pages } 页
deadletters-empty = ✅ 没有发送失败的消息。所有通知要么已经送达，要么还在正常排队。
deadletters-line =
    <b>#{ $id }</b> → { $recipient } · { $when }
    原因：{ $reason }（试了 { $attempts } 次）
    「{ $preview }」
deadletters-to-group = 「{ $team }」团队群
deadletters-to-chat = 会话 { $chat }
deadletters-hint = 点「🔁 #编号」重发这一条，或点「全部重发」。
deadletters-btn-retry = 🔁 #{ $id }
deadletters-btn-retry-all = 🔁 全部重发
deadletters-confirm-all = 确定把 { $total } 条发送失败的消息全部重新发送吗？
deadletters-btn-confirm-all = 确定全部重发
deadletters-retried = ✅ #{ $id } 已重新排队，马上就发。
deadletters-retried-all = ✅ 已把 { $count } 条消息重新排队，马上就发。
deadletters-already-retried = 这条消息已经重新排队（或者已经处理过了），不用再点。
deadletters-none-left = 现在没有需要重发的消息了。
error-deadletters-admin = 只有管理员可以查看和重发发送失败的消息。
deadletters-reason-server = Telegram 服务器出错
deadletters-reason-network = 网络连不上 Telegram
deadletters-reason-timeout = 请求超时
deadletters-reason-rejected = Telegram 拒收了这条消息
deadletters-reason-unexpected = 未知错误

## Several alerts at once: one message listing them (domain/outbox/kinds.py Family, bot/outbox.py)

outbox-digest-stale =
    🚨 <b>{ $count } 条停滞提醒</b>：这些商机很久没人跟进，或者跟进提醒没人处理。
    点下面的按钮打开 /stale，逐个提醒负责人或改派：
outbox-digest-pool =
    🌊 <b>{ $count } 个商机进入了公海</b>，目前都没有负责人。
    点下面的按钮打开 /pool，或在 /deals 里改派给销售：
outbox-digest-handoffs =
    🙅 <b>{ $count } 个接手请求没有被接受</b>（婉拒或超时），已按团队规则转给下一位或放进公海。
    点下面的按钮查看团队里还在等确认的商机：
outbox-digest-more = …还有 { $count } 条，点下面的按钮查看全部。
outbox-line-silent = { $company } · { $rep } · { $days } 天没有跟进（{ $stage }最多 { $limit } 天）
outbox-line-escalated = { $company } · { $rep } · 提醒过的「{ $step }」还没处理（原定 { $due }）
outbox-line-pooled = { $company }（{ $score }/10）· { $why }
outbox-line-recycled = { $company } · { $owner } { $days } 天没有跟进，已回收
outbox-line-declined = { $company } · { $assignee } 婉拒：{ $reason }
outbox-line-expired = { $company } · { $assignee } 没有在 { $deadline } 前确认
outbox-digest-btn-stale = 📋 查看停滞商机
outbox-digest-btn-pool = 🌊 打开公海
outbox-digest-btn-handoffs = ⏳ 查看待接手的商机

## A person's daily message budget: what could wait, in one message (domain/outbox/kinds.py Budget)

outbox-digest-held-over =
    📬 <b>攒下来的 { $count } 条提醒</b>
    上个工作日给你发的消息已经不少了，这几条不太急，就没有一条条发，现在一起给你（已经处理掉的不在里面）。
    点编号打开那一条，直接在里面处理：
outbox-open-held-btn = { $arg }
outbox-held-moved-on = 这条已经处理过了，或者情况有变，不用再管了。
outbox-held-not-yours = 这个按钮已经失效了。
