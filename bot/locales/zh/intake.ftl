## /apikeys and the HTTP intake API

cmd-apikeys = 线索接入密钥（官网表单等）
apikeys-empty = 🔑 还没有接入密钥。
    给官网表单、展会扫码这类渠道建一个密钥，客户留的信息会直接变成线索，按团队规则分配，不用再手工录。
apikeys-title = 🔑 接入密钥（{ $count } 个在用）
apikeys-line = • <b>{ $channel }</b>（来源：{ $source }）<code>{ $prefix }…</code> · 最近使用：{ $used }
apikeys-never-used = 还没用过
apikeys-hint = 接口说明见 README 的「从官网和其他渠道接入线索」。密钥泄露了就吊销，再建一个新的。
apikeys-btn-new = ➕ 新建密钥
apikeys-btn-revoke = 🗑 吊销「{ $channel }」
apikeys-btn-confirm-revoke = 确认吊销
apikeys-btn-back-to-list = 🔑 返回密钥列表
apikeys-ask-channel = 这个密钥给哪个渠道用？直接发渠道名，比如「官网表单」「展会扫码」（最多 { $max } 个字）。
    线索卡片上会显示这个名字。
apikeys-expect-channel = 请直接发渠道名称，比如「官网表单」。
apikeys-ask-source = 「{ $channel }」来的线索，来源记成哪一类？
apikeys-created = ✅ 「{ $channel }」的密钥建好了（来源：{ $source }）：

    <code>{ $secret }</code>

    ⚠️ 密钥只显示这一次，请马上复制给负责网站的同事，然后删掉这条消息。
    用法：请求头带 <code>Authorization: Bearer 密钥</code>，POST 到 <code>/api/v1/leads</code>。
apikeys-confirm-revoke = 确定吊销「{ $channel }」的密钥 <code>{ $prefix }…</code> 吗？
    吊销后用它提交的线索会被拒收，已经进来的线索不受影响。
apikeys-revoked = 🗑 「{ $channel }」的密钥已吊销。
apikeys-gone = 这个密钥已经吊销了。
error-apikey-role = 只有销售经理和管理员可以管理接入密钥。
error-apikey-channel = 渠道名称要 1 到 { $max } 个字。
error-apikey-too-many = 一个团队最多 { $limit } 个在用的密钥，先吊销用不上的再建。
error-apikey-not-found = 找不到这个密钥。
error-apikey-revoked = 「{ $channel }」的密钥已经吊销过了。
error-apikey-rejected = 密钥不对或已被吊销。
error-apikey-owner-gone = 建这个密钥的经理已经不在团队里了，请团队经理在 /apikeys 里重新建一个。
error-intake-unknown-field = 不认识的字段「{ $field }」。
error-intake-choice = 「{ $field }」只能是这些值之一：{ $allowed }。
error-intake-idempotency-key = Idempotency-Key 要 1 到 { $max } 个可见字符。
error-intake-body = 请求体要是一个 JSON 对象。
error-intake-type = 「{ $field }」的类型不对，应该是文本。
error-intake-missing = 缺少必填字段「{ $field }」。
error-intake-too-many = 请求太频繁了，请 { $seconds } 秒后再试。
error-intake-busy = 服务正忙，请稍后重试（同一个 Idempotency-Key 重试不会重复录入）。
form-title = 联系我们
form-intro = 留下您的联系方式和需求，我们的顾问会尽快与您联系。
form-field-company = 公司名称 *
form-field-contact_name = 您的称呼
form-field-phone = 手机号
form-field-email = 邮箱
form-field-need = 想了解什么 / 您的需求
form-submit = 提交
form-thanks = 提交成功，谢谢！我们的顾问会尽快与您联系。
form-gone = 这个表单已经停用了。
apikeys-form-link = 网页表单：{ $link }
intake-nurtured =
    🌱「{ $channel }」来了一条新线索：{ $company }（{ $contact }），评分 { $score }/10（{ $reasons }），没到分配线，先放进了培育池。
    需求：{ $need }
    下一步：打个电话问清预算和时间，发 /find { $company } 找到它补充信息，分数够了就会自动分配。
