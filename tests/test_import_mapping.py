"""Reading a leads file (domain/intake/imports.py), without a database: which column is which fact, from
headers as Chinese and English spreadsheets write them; which files are leads at all (the products import
takes the others); how a row's cells become a lead's facts, and why a bad row is refused."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from domain.errors import InvalidInput
from domain.intake.imports import (
    guess_mapping,
    is_leads_header,
    read_budget,
    read_file,
    read_row,
    read_source,
    read_timeline,
    sort_rows,
)
from domain.leads.model import Authority, Budget, LeadSource, Timeline

TODAY = date(2026, 11, 26)

# header -> the facts it should fill (column letters by position)
GUESSES: list[tuple[list[str], dict[str, int]]] = [
    (["姓名", "电话", "公司", "来源", "需求", "预算", "时间"],
     {"contact_name": 0, "phone": 1, "company": 2, "source": 3, "need": 4, "budget": 5, "timeline": 6}),
    (["联系人", "手机", "客户名称", "邮箱"], {"contact_name": 0, "phone": 1, "company": 2, "email": 3}),
    # "联系人电话" is a phone (the last word says what it is); "客户姓名" a name; 必填 marks and spaces ignored
    (["客户姓名", "联系人电话", "公司名称（必填）", " 备 注 "],
     {"contact_name": 0, "phone": 1, "company": 2, "need": 3}),
    (["Company Name", "Contact", "Mobile", "E-mail", "Lead Source", "Notes", "Budget", "Timeline", "Job Title"],
     {"company": 0, "contact_name": 1, "phone": 2, "email": 3, "source": 4, "need": 5, "budget": 6, "timeline": 7,
      "authority": 8}),
    (["customer", "name", "phone number", "industry", "city", "product"],
     {"company": 0, "contact_name": 1, "phone": 2, "industry": 3, "region": 4, "product": 5}),
    # each fact from one column (the first), each column one fact
    (["电话", "手机", "公司"], {"phone": 0, "company": 2}),
    (["序号", "展位号", "公司", "手机号码", "意向产品"], {"company": 2, "phone": 3, "product": 4}),
    (["emails sent", "company"], {"company": 1}),  # an English name is a whole word
]


@pytest.mark.parametrize(("header", "expected"), GUESSES, ids=[",".join(h) for h, _ in GUESSES])
def test_the_mapping_is_guessed_from_chinese_and_english_headers(header: list[str], expected: dict[str, int]) -> None:
    assert guess_mapping(header) == expected


def test_a_leads_file_is_told_from_a_products_file() -> None:
    assert is_leads_header(["姓名", "手机", "公司"])
    assert is_leads_header(["公司", "联系人"])
    assert is_leads_header(["Email"])
    assert not is_leads_header(["编码", "名称", "单位", "标价", "底价", "成本", "税率"])  # the products import's
    assert not is_leads_header(["code", "name", "unit", "list_price", "cost", "tax_rate", "name_en"])
    assert not is_leads_header([])


def test_cells_are_read_as_a_rep_would_say_them() -> None:
    assert read_source("官网") is LeadSource.WEBSITE and read_source("Trade show") is LeadSource.EVENT
    assert read_source("partner") is LeadSource.PARTNER and read_source("路过") is None
    assert read_budget("50万") == (Budget.KNOWN, "50万")
    assert read_budget("约30万") == (Budget.ROUGH, "30万")
    assert read_budget("未定") == (Budget.UNKNOWN, None)
    assert read_timeline("本月上线", TODAY) is Timeline.THIS_MONTH
    assert read_timeline("下个月", TODAY) is Timeline.THIS_QUARTER
    assert read_timeline(datetime(2026, 12, 15), TODAY) is Timeline.THIS_QUARTER  # a date cell of Excel
    assert read_timeline(date(2027, 6, 1), TODAY) is Timeline.LATER
    assert read_timeline(date(2026, 11, 30), TODAY) is Timeline.THIS_MONTH


def test_a_row_becomes_checked_facts() -> None:
    values = read_row({
        "company": " 华东科技有限公司 ", "contact_name": "张总", "phone": 13800138000.0, "source": "展会",
        "budget": "50万", "timeline": "本月上线", "authority": "是", "need": "CRM",
    }, source=None, today=TODAY)
    assert values["phone"] == "+8613800138000" and values["company"] == "华东科技有限公司"
    assert values["source"] == "event" and values["budget"] == "known" and values["timeline"] == "this_month"
    assert values["authority"] == Authority.DECISION_MAKER.value
    # a source picked for the whole file wins over the column; nothing in the column: other
    assert read_row({"company": "A", "phone": "13800138000", "source": "展会"}, source=LeadSource.WEBSITE,
                    today=TODAY)["source"] == "website"
    assert read_row({"company": "A", "email": "A@B.CN"}, source=None, today=TODAY)["source"] == "other"


@pytest.mark.parametrize(("cells", "code"), [
    ({"company": "", "phone": "13800138000"}, "error-lead-company"),
    ({"company": "A"}, "error-lead-reach"),
    ({"company": "A", "phone": "12345"}, "error-phone"),
    ({"company": "A", "email": "not-an-email"}, "error-email"),
    ({"company": "A", "phone": "13800138000", "contact_name": "13900139000"}, "error-lead-contact-phone"),
    ({"company": "x" * 200, "phone": "13800138000"}, "error-lead-company"),
])
def test_a_bad_row_says_why(cells: dict[str, str], code: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        read_row(cells, source=None, today=TODAY)
    assert caught.value.code == code


def test_rows_are_numbered_as_the_sheet_numbers_them_and_duplicates_in_the_file_found() -> None:
    rows = [
        ["公司", "电话", "邮箱"],
        ["甲科技", "13800138001", ""],
        [None, None, None],  # blank: skipped, still counted in the numbering
        ["乙科技", "bad", ""],
        ["甲科技有限公司", "13800138009", ""],  # the same company as row 2 (legal form ignored)
        ["丙科技", "", "a@b.cn"],
        ["丁科技", "", "A@B.cn"],  # the same e-mail as row 6
    ]
    good, bad, skipped = read_file(rows, guess_mapping(rows[0]), source=None, today=TODAY)
    assert [(p.row, p.code) for p in bad] == [(4, "error-phone")] and skipped == 0
    new, duplicates = sort_rows(good, {})
    assert [row.row for row in new] == [2, 6]
    assert [(d.row, d.params) for d in duplicates] == [(5, {"on": "company", "first": 2}), (7, {"on": "email", "first": 6})]
