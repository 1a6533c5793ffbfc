## /webhooks: outbound webhooks to the team's own systems

cmd-webhooks = 对接外部系统（Webhook）
webhooks-empty = 🔗 还没有对接外部系统。
    加一个地址，OA、财务或合同系统就能实时收到线索、阶段变化、交接确认这些事件。
webhooks-title = 🔗 对接的系统（{ $count } 个）
webhooks-line = { $number }. <code>{ $url }</code>
    事件：{ $events } · { $state }
webhooks-state-on = ✅ 推送中
webhooks-state-paused = ⏸ 已暂停
webhooks-state-stopped = ⛔ 连续失败，已自动停用
webhooks-hint = 每次推送都带签名（X-Loopbot-Signature），接收方怎么验签见 README 的「对接 OA / 财务 / 合同系统」。
webhooks-btn-new = ➕ 添加地址
webhooks-btn-test = 🧪 测试 { $number }
webhooks-btn-pause = ⏸ 暂停 { $number }
webhooks-btn-resume = ▶️ 恢复 { $number }
webhooks-btn-remove = 🗑 删除 { $number }
webhooks-btn-save = 💾 保存
webhooks-btn-confirm-remove = 确认删除
webhooks-btn-back-to-list = 🔗 返回列表
webhooks-ask-url = 请发接收地址（https:// 开头），比如 <code>https://oa.example.com/hooks/crm</code>。
webhooks-expect-url = 请直接发一个 https:// 开头的网址。
webhooks-ask-events = 推送到 <code>{ $url }</code> 的事件：点选要推的（可以多选），选好后点「保存」。
webhooks-created = ✅ 已添加 <code>{ $url }</code>。签名密钥：

    <code>{ $secret }</code>

    ⚠️ 密钥只显示这一次，请马上交给对接的同事，然后删掉这条消息。可以点「🧪 测试」发一条 ping 试试。
webhooks-test-queued = 🧪 已给 { $url } 发了一条测试推送（ping），几秒内送达；失败会自动重试。
webhooks-paused = ⏸ 已暂停 <code>{ $url }</code>。暂停期间的事件会先存着，恢复后补发。
webhooks-resumed = ▶️ 已恢复 <code>{ $url }</code>，存着的事件马上补发。
webhooks-confirm-remove = 确定删除 <code>{ $url }</code> 吗？还没送出的推送会一起丢弃。
webhooks-removed = 🗑 已删除 <code>{ $url }</code>。
webhook-event-lead-created = 新线索
webhook-event-deal-stage_changed = 阶段变化
webhook-event-handoff-accepted = 接手确认
webhook-event-deal-reassigned = 商机改派
webhook-stopped =
    ⛔ 对接地址 { $url } 已经连续 { $failures } 次推送失败（最近一次：{ $error }），我先把它停用了，没推出去的事件都还存着。
    下一步：请对方系统的同事检查地址能不能访问，修好后发 /webhooks 点「▶️ 恢复」，存着的事件会补发。
error-webhook-role = 只有管理员可以管理外部系统对接。
error-webhook-url = 地址要以 https:// 开头，而且是完整的网址（不超过 500 个字符）。
error-webhook-events = 请至少选一个事件。
error-webhook-too-many = 一个团队最多对接 { $limit } 个地址。
error-webhook-not-found = 找不到这个对接地址了，可能已经删除。
error-webhook-already-on = 它已经在推送了。
error-webhook-already-off = 它已经暂停了。
