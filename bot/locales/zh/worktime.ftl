## Working hours: /hours

cmd-hours = 工作时间
hours-show =
    🕘 「{ $team }」的工作时间：{ $hours }（{ $timezone }）
    系统自动发的非紧急消息只在这个时间段内送达；你自己定好时间的提醒会准时到。
hours-change-hint = 要修改的话，点下面的常用设置，或者发：/hours 09:00-18:00 周一至周五
hours-set = ✅ 已更新：「{ $team }」的工作时间改为 { $hours }。
hours-bad =
    没看懂这个工作时间 🤔 可以这样写：
    /hours 09:00-18:00 周一至周五
    /hours 9-21 周一至周六
    /hours 8:30-17:30 工作日
hours-every-day = 每天
error-hours-role = 只有销售经理或管理员可以修改工作时间。
error-hours-unchanged = 工作时间本来就是这样，没有变化。
