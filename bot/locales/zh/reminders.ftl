## Reminders: /remind, /reminders, the nudge and the morning agenda

cmd-remind = 设个提醒
cmd-reminders = 我的提醒

remind-ask-when =
    ⏰ 什么时候提醒你？
    点下面的按钮，或者直接发时间，比如：
    明天 10点 · 明天下午3点 · 后天 9:30 · 3天后 · 2小时后 · 12-01 10:00
remind-ask-when-for =
    ⏰ 什么时候提醒你「{ $text }」？
    点下面的按钮，或者直接发时间，比如：
    明天 10点 · 明天下午3点 · 后天 9:30 · 3天后 · 2小时后 · 12-01 10:00
remind-btn-in-1h = 1小时后
remind-btn-tomorrow = 明天 { $time }
remind-btn-in-3d = 3天后
remind-btn-next-monday = 下周一 { $time }
remind-bad-time =
    没看懂「{ $input }」这个时间 🤔 可以这样写：
    明天 10点 · 明天下午3点 · 后天 9:30
    3天后 · 2小时后 · +3d · +2h
    2026-12-01 10:00 · 12-01 10:00
remind-past-time = { $when } 已经过去了，换个以后的时间吧，比如：明天 10点、2小时后。
remind-too-far = 时间太远了，最多只能设 5 年以内的提醒，换个近一点的吧。
remind-expect-time = 直接发个时间给我（比如：明天 10点），或者点上面的按钮。
remind-ask-what =
    ⏰ 提醒时间：{ $when }
    要提醒你做什么？直接发给我，比如：给华东科技回电话
remind-expect-text = 直接发文字告诉我要提醒什么，或者点「返回」「取消」。
remind-saved =
    ✅ 好了，{ $when } 提醒你：
    { $text }
    发 /reminders 可以查看或取消。

error-reminder-text = 提醒内容要 1 到 { $max } 个字，请重新发一下：
error-reminder-past = 这个时间已经过去了，请重新选一个时间。
error-reminder-not-found = 找不到这条提醒了，可能已经删掉了。
error-reminder-not-yours = 这不是你的提醒，不能帮别人操作哦。
error-reminder-handled = 这条提醒已经处理过了，不用再点 👌

reminder-nudge = ⏰ 提醒：{ $text }
reminder-btn-done = ✅ 搞定了
reminder-btn-snooze-1h = 💤 1小时后
reminder-btn-snooze-tomorrow = 💤 明天再说
reminder-btn-snooze-3d = 💤 3天后
reminder-done = ✅ 已完成，辛苦啦！
reminder-snoozed = 💤 好的，{ $when } 再提醒你。

reminders-empty = 你现在没有待提醒的事项。发 /remind 设一个吧。
reminders-title = ⏰ 你的提醒（共 { $count } 条）：
reminders-line = { $n }. { $when } — { $text }
reminders-hint = 点下面的编号可以取消对应的提醒。
reminders-btn-cancel = ✖️ { $n }
reminders-cancelled = 已取消：{ $text }
reminders-page = 第 { $page }/{ $pages } 页

digest-agenda =
    ☀️ 早上好！今天还有 { $count } 条提醒：
    { $items }

error-working-hours = 工作时间格式不对：开始要早于结束，至少要有一个工作日。
