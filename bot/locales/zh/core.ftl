## Common

btn-back = ⬅️ 返回
btn-cancel = ✖️ 取消
btn-prev = ⬅️ 上一页
btn-next = 下一页 ➡️
cancelled = 已取消，什么都没改。需要时再发命令就行。
nothing-to-cancel = 现在没有进行中的操作。
stale-button = 这个按钮已经过期了，请重新发一次命令。
stale-flow = 这一步已经失效了，请重新开始。
expect-button = 请点上面的按钮选择，或者点「取消」退出。
throttled = 操作有点快，稍等一下再点哦。
fallback-unknown = 没太明白你的意思 🤔 发 /help 看看我能做什么。

role-admin = 管理员
role-manager = 销售经理
role-rep = 销售
role-finance = 财务

## Access

refuse-unknown = 你好！这是团队内部的销售助手，需要邀请才能使用。请找你的销售经理或管理员要一个邀请链接，点开就能加入。
refuse-inactive = 你的账号已被停用。如有疑问，请联系你的销售经理。
refuse-how-to-join = 请找你的销售经理或管理员重新发一个邀请链接。

## Errors

error-domain = 操作没有完成，请再试一次。
error-not-found = 没找到这条记录，可能已经被删除了。
error-forbidden = 你没有权限做这个操作。
error-invalid-input = 输入的内容不太对，请检查后再试。
error-already-done = 这个操作已经处理过了，不用再点。
error-internal = 抱歉，出了点问题，我们已经记录下来（错误编号 { $error_id }）。请稍后再试，如果一直不行，把编号发给管理员。
error-timezone = 不认识的时区「{ $value }」，请用类似 Asia/Shanghai 的写法。
error-team-name = 团队名称需要 1 到 64 个字，不能以 / 开头。请重新输入：
error-invite-role = 你不能邀请「{ $role }」这个角色。
error-invite-not-allowed = 只有销售经理和管理员可以发邀请。
error-other-team = 这是其他团队的数据，你没有权限查看或操作。
error-already-registered = 你已经是团队成员了，不需要再用邀请链接。发 /help 看看能做什么。
error-invite-unknown = 这个邀请链接无效。
error-invite-used = 这个邀请链接已经被使用过了（每个链接只能用一次）。
error-invite-expired = 这个邀请链接已经过期了。
error-cannot-manage-member = 你不能更改这位成员的状态。
error-member-already-active = 这位成员已经是启用状态了。
error-member-already-inactive = 这位成员已经停用了。
error-bindgroup-role = 只有销售经理或管理员可以绑定团队群。
error-group-already-bound = 这个群已经是本团队的通知群了。
error-group-bound-elsewhere = 这个群已经绑定给了「{ $team }」团队，请联系管理员处理。

## Commands menu

cmd-start = 开始使用
cmd-help = 我能做什么
cmd-me = 我的资料
cmd-lang = 切换语言
cmd-invite = 邀请成员
cmd-team = 团队成员
cmd-bindgroup = 绑定团队群（在群里发）
cmd-cancel = 取消当前操作

## Start, help, profile

start-welcome = 欢迎加入「{ $team }」，{ $name }！你的角色是：{ $role }。
start-you-can = 你可以这样用我：
help-stranger = 这是团队内部的销售助手，需要邀请链接才能加入。可用命令：
help-title = 你的角色是「{ $role }」，可用命令：
help-footer = 随时发 /cancel 可以退出当前操作。常用功能也可以直接点聊天框下面的菜单按钮。
me-card =
    👤 <b>{ $name }</b>
    角色：{ $role }
    团队：{ $team }（时区 { $timezone }）
    语言：{ $language }
    加入时间：{ $joined }
    团队群：{ $group }
me-group-bound = 已绑定
me-group-none = 还没绑定（经理在群里发 /bindgroup 即可）
lang-choose = 请选择语言 / Choose your language:
lang-set = 好的，以后用{ $language }和你交流。
lang-set-stranger = 好的。加入团队后，你的语言设置会保存在资料里。

## Invite

invite-choose-role = 要邀请什么角色的成员？
invite-choose-team = 邀请「{ $role }」加入哪个团队？
invite-new-team = ➕ 新建团队
invite-enter-team-name = 请输入新团队的名称（比如：华东销售部）：
invite-expect-team-name = 请直接输入团队名称，或者点「返回」「取消」。
invite-ready =
    ✅ 邀请链接已生成
    角色：{ $role }
    团队：{ $team }

    { $link }

    把链接发给对方，点开就能加入。链接只能用一次，{ $expires } 前有效。

## Team

team-choose = 查看哪个团队？
team-title = 👥 <b>{ $team }</b>：{ $active } 人在岗，共 { $total } 人
team-page = 第 { $page }/{ $pages } 页
team-hint = 点成员名字可以查看或停用。
team-status-active = 在岗
team-status-inactive = 已停用
team-unreachable = ⚠️ 收不到消息
team-member-card =
    👤 <b>{ $name }</b>
    角色：{ $role }
    状态：{ $status }
    Telegram：{ $username }
    加入时间：{ $joined }
team-member-unreachable = ⚠️ 机器人发不出消息给 TA（可能屏蔽了机器人），请提醒 TA 重新打开机器人。
team-btn-deactivate = ⏸ 停用
team-btn-reactivate = ▶️ 重新启用
team-confirm-deactivate = 确定要停用 { $name } 吗？停用后 TA 将不能再使用机器人，数据会保留。
team-confirm-reactivate = 确定要重新启用 { $name } 吗？
team-btn-confirm-deactivate = 确定停用
team-btn-confirm-reactivate = 确定启用
team-done-deactivated = 已停用 { $name }。
team-done-reactivated = 已重新启用 { $name }。

## Group

bindgroup-in-private = 请把我拉进团队群，然后在群里发 /bindgroup。
bindgroup-stranger = 只有本团队的销售经理或管理员才能绑定团队群。
bindgroup-done = 📣 本群已绑定为「{ $team }」团队的通知群（由 { $name } 绑定）。线索交接、成交喜报等消息会发到这里。

## Main menu (the keyboard under the chat; each button stands for a command)

menu-placeholder = 发消息，或者点下面的按钮
menu-lead = ➕ 录线索
menu-deals = 💼 我的商机
menu-log = 📞 记跟进
menu-remind = ⏰ 设提醒
menu-pool = 🌊 公海
menu-find = 🔎 搜索
menu-stale = 🔕 沉默商机
menu-team = 👥 团队
menu-help = ❓ 帮助
error-not-a-number = 请发一个整数，比如 30。
