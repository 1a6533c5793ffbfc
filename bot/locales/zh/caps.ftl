## Per-person caps (domain/caps.py), retention, and the pool's recycling rule (domain/pool/recycling.py)

error-cap = 已经到上限了，请稍后再试。
error-cap-reminders = 你已经有 { $limit } 条待提醒的个人提醒了，这是每人的上限。先发 /reminders 取消几条用不上的，再来设新的。
error-cap-leads = 你最近一小时已经录了 { $limit } 条线索，到了每人每小时的上限。请过一会儿再保存，刚填的内容都还在。

## The pool's recycling rule on /policy

policy-recycle-auto = 自动 —— 经理收到沉默提醒后，再过 1 个工作日还没跟进就收回
policy-recycle-fixed = 沉默 { $days } 天后收回（经理收到提醒后至少再留 1 个工作日）
policy-recycle-screen =
    ♻️ 回收公海：{ $value }

    规则：商机在一个阶段里沉默到时限就提醒销售，到 2 倍时限提醒你（经理），再过 1 个工作日还没人跟进，就收回公海。
    比如「{ $stage }」：第 { $nudge } 天提醒销售，第 { $alert } 天提醒你，第 { $recycle } 天收回。

    也可以固定天数：所有阶段都至少沉默这么多天才收回，最少 { $min } 天（最长的沉默时限 { $limit } 天 × 2）。
    点按钮调整，或者直接发天数；发「自动」恢复按阶段自动回收。
policy-btn-recycle-fixed = 📌 改为固定天数（{ $days } 天起）
policy-btn-recycle-auto = 🔄 改回自动
error-recycle-too-short = 回收天数至少要 { $min } 天：最长的沉默时限是 { $limit } 天，到第 { $min } 天经理才收到提醒，得先给经理留出处理的时间。想早点回收，可以先缩短沉默时限，或者改回「自动」。
error-idle-over-recycle = 团队的回收天数固定为 { $recycle } 天，沉默时限最多只能设 { $max } 天（经理要在回收之前收到提醒）。要设得更长，先在 /policy 的「♻️ 回收天数」里改回自动或调大天数。
