"""Quick capture's rules as a table (domain/leads/contact.py): one line as reps type it, in Chinese and in
English, the parts in any order, separated by spaces or ，、；：| , with full-width digits, labelled
("客户：…；联系人：…") or not, and what each line is read as. The need is only ever a need: a timeline
phrase ("本月上线", "下周见面", "go live next month") is the timeline and nothing else, and a phone number
is never a name."""

from __future__ import annotations

from typing import Any

import pytest

from domain.leads.contact import parse_quick_capture, read_as_lead
from domain.leads.scoring import need_is_clear, score_lead
from domain.policy.model import TeamPolicy

# text, company, contact, phone, source, need, timeline, (budget, note), extra (email, authority)
ROWS: list[tuple[Any, ...]] = [
    # The README's demo: the timeline phrase is not a need.
    ("张三 13800138000 华东科技 官网 预算50万 本月上线",
     "华东科技", "张三", "+8613800138000", "website", None, "this_month", ("known", "50万"), {}),
    ("张三 13800138000 华东科技 官网 预算50万 本月上线 要一套CRM管销售线索",
     "华东科技", "张三", "+8613800138000", "website", "要一套CRM管销售线索", "this_month", ("known", "50万"), {}),
    ("张三 13800138000 华东科技 官网 预算50万 下月上线",
     "华东科技", "张三", "+8613800138000", "website", None, "this_quarter", ("known", "50万"), {}),
    ("华东科技，张总，13800138000，官网来的，预算50万，想要一套CRM，本月上线",
     "华东科技", "张总", "+8613800138000", "website", "想要一套CRM", "this_month", ("known", "50万"), {}),
    ("客户：华东科技；联系人：张三；电话：13800138000；来源：展会；需求：仓储管理系统；预算：约30万；时间：下个月",
     "华东科技", "张三", "+8613800138000", "event", "仓储管理系统", "this_quarter", ("rough", "30万"), {}),
    ("郑女士 zheng@xihu.cn 西湖医药 官网 需求：替换旧的OA 预算：10万 时间：本月",
     "西湖医药", "郑女士", None, "website", "替换旧的OA", "this_month", ("known", "10万"), {"email": "zheng@xihu.cn"}),
    ("华东科技 张三 13800138000 官网 本月上线 需求：销售线索管理",
     "华东科技", "张三", "+8613800138000", "website", "销售线索管理", "this_month", ("unknown", None), {}),
    ("李四 lisi@acme.cn 西湖软件有限公司 转介绍 预算约30万 本季度",
     "西湖软件有限公司", "李四", None, "referral", None, "this_quarter", ("rough", "30万"), {"email": "lisi@acme.cn"}),
    ("王五 １３９００１３９０００ 钱塘物流 展会 预算２０万 下月",
     "钱塘物流", "王五", "+8613900139000", "event", None, "this_quarter", ("known", "20万"), {}),
    ("华东科技 ＋８６ １３８ ００１３ ８０００ 张三 展会",
     "华东科技", "张三", "+8613800138000", "event", None, "unknown", ("unknown", None), {}),
    ("13800138000 张三 华东科技 官网",
     "华东科技", "张三", "+8613800138000", "website", None, "unknown", ("unknown", None), {}),
    ("华东科技 张三 13800138000 官网 需要ERP",
     "华东科技", "张三", "+8613800138000", "website", "需要ERP", "unknown", ("unknown", None), {}),
    ("张三、13800138000、华东科技、官网、预算50万",
     "华东科技", "张三", "+8613800138000", "website", None, "unknown", ("known", "50万"), {}),
    ("张三：13800138000，华东科技；官网",
     "华东科技", "张三", "+8613800138000", "website", None, "unknown", ("unknown", None), {}),
    ("张三13800138000华东科技官网预算50万本月上线",
     "华东科技", "张三", "+8613800138000", "website", None, "this_month", ("known", "50万"), {}),
    ("刘女士 0571-88886666 宁波港务集团 合作伙伴 预算100万 下季度",
     "宁波港务集团", "刘女士", "+8657188886666", "partner", None, "later", ("known", "100万"), {}),
    ("陈先生，手机：13912345678，苏州电子，展会，想了解MES系统，预算30万左右，月底前定",
     "苏州电子", "陈先生", "+8613912345678", "event", "想了解MES系统", "this_month", ("rough", "30万"), {}),
    ("赵六 13700137000 江南制造 老板 展会 预算50万 尽快",
     "江南制造", "赵六", "+8613700137000", "event", None, "this_month", ("known", "50万"), {"authority": "yes"}),
    ("孙芳 13900000031 华北宏远科技 合作伙伴 预算51万 本月上线 能拍板 销售团队要管线索",
     "华北宏远科技", "孙芳", "+8613900000031", "partner", "销售团队要管线索", "this_month", ("known", "51万"),
     {"authority": "yes"}),
    ("张三 138 0013 8000 华东科技 官网 下个月签合同",
     "华东科技", "张三", "+8613800138000", "website", None, "this_quarter", ("unknown", None), {}),
    ("王总 +86 139-0013-9000 杭州某某医院 广告 明年 采购影像系统",
     "杭州某某医院", "王总", "+8613900139000", "advertising", "影像系统", "later", ("unknown", None), {}),
    ("张三 采购 13800138000 华东科技 展会",
     "华东科技", "张三", "+8613800138000", "event", None, "unknown", ("unknown", None), {"authority": "influencer"}),
    ("周经理 13600136000 无锡纺织 陌拜 预算没定 下周见面",
     "无锡纺织", "周经理", "+8613600136000", "cold_call", None, "this_month", ("unknown", None), {}),
    ("吴总，13500135000；常州机械：转介绍、预算大概80万、下个月底前上线",
     "常州机械", "吴总", "+8613500135000", "referral", None, "this_quarter", ("rough", "80万"), {}),
    # Phone numbers typed where the name goes are the phone, never the name.
    ("13800138000 13900139000 华东科技 官网",
     "华东科技", None, "+8613800138000", "website", None, "unknown", ("unknown", None), {}),
    ("联系人：13800138000；公司：华东科技；来源：官网",
     "华东科技", None, "+8613800138000", "website", None, "unknown", ("unknown", None), {}),
    ("name: 13912345678, company: Globex Inc, source: website",
     "Globex Inc", None, "+8613912345678", "website", None, "unknown", ("unknown", None), {}),
    # English.
    ("John Smith, +44 20 7946 0958, Acme Ltd, website, budget 50k, this month",
     "Acme Ltd", "John Smith", "+442079460958", "website", None, "this_month", ("known", "50k"), {}),
    ("Acme Corp - Jane Doe - jane@acme.com - referral - needs CRM for 20 sales reps - next quarter",
     "Acme Corp", "Jane Doe", None, "referral", "needs CRM for 20 sales reps", "later", ("unknown", None),
     {"email": "jane@acme.com"}),
    ("Jane Doe jane@initech.com Initech event budget 30k asap",
     "Initech", "Jane Doe", None, "event", None, "this_month", ("known", "30k"), {"email": "jane@initech.com"}),
    ("Mike Chen mike.chen@globex.com Globex Corporation partner budget about 100k next month",
     "Globex Corporation", "Mike Chen", None, "partner", None, "this_quarter", ("rough", "100k"),
     {"email": "mike.chen@globex.com"}),
    ("Li Lei 13800138000 Hanmeilei Tech website budget 20w this quarter",
     "Hanmeilei Tech", "Li Lei", "+8613800138000", "website", None, "this_quarter", ("known", "20w"), {}),
    ("Tom Lee | tom@globex.io | Globex Inc | cold call | budget 5k | later",
     "Globex Inc", "Tom Lee", None, "cold_call", None, "later", ("known", "5k"), {"email": "tom@globex.io"}),
    ("Tom Lee tom@globex.io Globex Inc website budget TBD next week",
     "Globex Inc", "Tom Lee", None, "website", None, "this_month", ("unknown", None), {"email": "tom@globex.io"}),
    ("Globex Inc, Tom Lee, 138 0013 8000, referred by a partner, go live next month",
     "Globex Inc", "Tom Lee", "+8613800138000", "referral", None, "this_quarter", ("unknown", None), {}),
    # The need as it was written, small words and all; a legal form ends the company's name without a comma.
    ("John Smith +1 415 555 0100 Acme Corp wants a CRM for a team of 20 website",
     "Acme Corp", "John Smith", "+14155550100", "website", "wants a CRM for a team of 20", "unknown",
     ("unknown", None), {}),
    ("Jane Doe jane@beta.io Beta Inc referral needs a new ERP system",
     "Beta Inc", "Jane Doe", None, "referral", "needs a new ERP system", "unknown", ("unknown", None),
     {"email": "jane@beta.io"}),
    ("Contact: Anna Müller; Company: Berliner Logistik GmbH; Phone: +49 30 901820; Need: fleet tracking for 40 "
     "trucks; Source: trade show; Timeline: end of the month",
     "Berliner Logistik GmbH", "Anna Müller", "+4930901820", "event", "fleet tracking for 40 trucks", "this_month",
     ("unknown", None), {}),
]  # fmt: skip


@pytest.mark.parametrize(
    ("text", "company", "contact", "phone", "source", "need", "timeline", "budget", "extra"), ROWS, ids=range(len(ROWS))
)
def test_a_line_as_reps_type_it(
    text: str, company: str, contact: str | None, phone: str | None, source: str, need: str | None, timeline: str,
    budget: tuple[str, str | None], extra: dict[str, str],
) -> None:
    got = parse_quick_capture(text)
    read = {
        "company": got.company, "contact": got.contact_name, "phone": got.phone, "source": got.source,
        "need": got.need, "timeline": got.timeline.value, "budget": (got.budget.value, got.budget_note),
        "email": got.email, "authority": got.authority.value,
    }
    wanted = {
        "company": company, "contact": contact, "phone": phone, "source": source, "need": need, "timeline": timeline,
        "budget": budget, "email": None, "authority": "no", **extra,
    }
    assert read == wanted


def test_the_table_covers_what_it_says() -> None:
    assert len(ROWS) >= 30
    texts = " ".join(row[0] for row in ROWS)
    for mark in ("，", "、", "；", "：", "|", "１", "＋"):
        assert mark in texts, mark
    assert any(row[0].isascii() for row in ROWS) and sum(1 for row in ROWS if row[2] is None) >= 3


@pytest.mark.parametrize(
    "need", ["本月上线", "下月上线", "下周见面", "月底前定", "尽快", "go live next month", "by end of the month", "需要本月上线"]
)
def test_a_timeline_phrase_is_not_a_clear_need(need: str) -> None:
    assert not need_is_clear(need)


def test_a_real_need_stays_clear_beside_its_timeline() -> None:
    assert need_is_clear("本月上线一套销售管理系统") and need_is_clear("go live next month with fleet tracking")


def test_the_readme_demo_scores_what_the_readme_says_and_the_bare_timeline_scores_no_need() -> None:
    policy = TeamPolicy(team_id=1)
    bare = parse_quick_capture("张三 13800138000 华东科技 官网 预算50万 本月上线").to_draft()
    assert score_lead(bare, policy).reasons == {"budget": 2, "timeline": 2, "engagement": 1}  # no "need +1"
    demo = parse_quick_capture("张三 13800138000 华东科技 官网 预算50万 本月上线 要一套CRM管销售线索").to_draft()
    score = score_lead(demo, policy)
    assert (score.total, score.qualified) == (6, True)
    assert score.reasons == {"need": 1, "budget": 2, "timeline": 2, "engagement": 1}


def test_a_line_that_is_only_phone_numbers_and_a_company_is_not_a_lead_said_in_passing() -> None:
    assert read_as_lead("13800138000 13900139000 华东科技 官网") is None  # nobody to talk to: not a lead
