## Importing leads from a file (handlers/imports.py, domain/intake/imports.py)

import-not-allowed = 收到文件了。这是一份线索名单，只有销售经理和管理员可以导入；请把文件转给你的经理。
error-import-leads-role = 只有销售经理和管理员可以导入线索。
import-preview-title = 📥 <b>导入线索预览</b>：{ $file }
import-preview-counts = 共 { $total } 行：🆕 新线索 { $new } · 🔁 重复 { $duplicates } · ❌ 有问题 { $invalid }
import-missing = ❌ 还找不到这些列：{ $columns }。点「✏️ 调整列」告诉我哪一列是。
import-too-many = ⚠️ 一次最多导入 { $max } 行，后面的 { $skipped } 行没有读取，请拆成几个文件再发。
import-mapping-title = <b>列的对应</b>（不对就点「✏️ 调整列」）：
import-mapping-line = { $field } ← { $column }
import-mapping-source-all = 来源 ← 全部记为「{ $source }」
import-first-rows = <b>前几行新线索</b>：
import-row = 第 { $row } 行 { $company } · { $contact } · { $reach } · { $source }
import-duplicates-title = <b>🔁 重复，不导入（{ $count } 行）</b>：
import-invalid-title = <b>❌ 有问题，不导入（{ $count } 行）</b>：
import-problem = 第 { $row } 行：{ $problem }
import-more = ……还有 { $count } 行，导入后会整理成 Excel 发给你
import-confirm-hint = 点「✅ 导入」才会写入。新线索会照常评分、按团队规则分配；每位销售只收到一条汇总消息。
import-nothing-new = 没有可以导入的新线索，什么都不会写入。
import-btn-confirm = ✅ 导入 { $count } 条新线索
import-btn-fields = ✏️ 调整列
import-btn-source = 📍 来源：{ $source }
import-source-column = 按文件里的来源列
import-fields-title = 要调整哪一项对应的列？（字母是表格里的列）
import-btn-field = { $field }：{ $column }
import-field-title = 「{ $field }」在哪一列？
import-btn-no-column = 🚫 不导入这一项
import-sources-title = 这批线索的来源怎么记？可以按文件里的来源列，也可以整批记成同一个来源：
import-progress = ⏳ 正在导入「{ $file }」：{ $done } / { $total } 行{ $eta }
    导入期间可以先做别的，完成后这条消息会变成结果。
import-eta = ，大约还要 { $seconds } 秒
import-done =
    ✅ <b>导入完成</b>：{ $file }
    新线索 { $imported } 条：分给销售 { $handoff } 条 · 进公海 { $pool } 条 · 进入培育 { $nurture } 条
import-done-reps = 分配给：{ $reps }。每人会收到一条汇总消息，点开就能逐个接手。
import-done-rep = { $rep } { $count } 条
import-done-left-out = 没导入的：重复 { $duplicates } 行 · 有问题 { $invalid } 行，原因都在下面的 Excel 里，改好后可以再发一次（已导入的不会重复）。
import-done-all-in = 每一行都导入了。
import-errors-caption = 📎 这 { $count } 行没有导入，每行都写了原因。改好后把这个文件直接发给我就能再导入。
import-errors-sheet = 未导入
import-errors-col-row = 原文件行号
import-errors-col-result = 结果
import-errors-col-reason = 原因
import-errors-duplicate = 重复
import-errors-invalid = 有问题
import-dup-known = { $on }和已有线索「{ $company }」（#{ $id }）相同
import-dup-in-file = { $on }和第 { $first } 行相同
import-on-phone = 电话
import-on-email = 邮箱
import-on-company = 公司名称
import-field-company = 公司
import-field-contact_name = 联系人
import-field-phone = 电话
import-field-email = 邮箱
import-field-source = 来源
import-field-need = 需求
import-field-budget = 预算
import-field-timeline = 时间
import-field-authority = 决策人
import-field-industry = 行业
import-field-region = 地区
import-field-product = 产品
import-field-phone_or_email = 电话或邮箱

## The cards of imported leads (domain/outbox/kinds.py HANDOFF_CARD_IMPORTED, Family.IMPORTED)

handoff-card-imported =
    📥 <b>{ $by } 导入了一条新线索，请你接手</b>
    客户：{ $company }（联系人：{ $contact }）
    来源：{ $source }
    评分：{ $score }/10（{ $reasons }）
    需求：{ $need }

    请在 <b>{ $deadline }</b> 前确认（{ $minutes } 个工作分钟）。
    点「接手」就由你负责跟进；不方便就点「婉拒」并说明原因，我会马上转给下一位同事。
outbox-digest-imported =
    📥 <b>有 { $count } 条导入的新线索分给了你</b>，等你确认接手。
    点下面的按钮打开「等我接手」的商机，逐个点开接手或婉拒；超时没确认会转给下一位同事。
outbox-line-imported = { $company } · { $contact } · { $score }/10 · 请在 { $deadline } 前确认
outbox-digest-btn-imported = ⏳ 等我接手的商机
