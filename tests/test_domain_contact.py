"""Contact validation, company keys and quick capture: what a rep typing on a phone would notice."""

from __future__ import annotations

import re
import unicodedata

import phonenumbers
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from domain.errors import InvalidInput
from domain.leads.contact import (
    REQUIRED_FIELDS,
    QuickCapture,
    company_key,
    normalise_email,
    normalise_phone,
    parse_quick_capture,
)
from domain.leads.model import Authority, Budget, LeadSource, Timeline

# --- phone -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "typed",
    ["13800138000", "138-0013-8000", "+86 138 0013 8000", "(+86)138 0013 8000", "008613800138000",
     "+86-138-0013-8000", "１３８００１３８０００", " 138 0013 8000 ", "tel:+8613800138000"],
)  # fmt: skip
def test_chinese_mobiles_typed_any_way_become_one_e164(typed: str) -> None:
    assert normalise_phone(typed) == "+8613800138000"


@pytest.mark.parametrize(
    ("typed", "e164"),
    [("+44 20 7946 0958", "+442079460958"), ("+1 (650) 253-0000", "+16502530000"), ("010-6552 9988", "+861065529988")],
)
def test_international_and_landline_numbers(typed: str, e164: str) -> None:
    assert normalise_phone(typed) == e164


def test_default_region_reads_numbers_without_country_code() -> None:
    assert normalise_phone("020 7946 0958", default_region="GB") == "+442079460958"
    assert normalise_phone("(650) 253-0000", default_region="us") == "+16502530000"


@pytest.mark.parametrize("typed", ["", "   ", "12345", "1380013800", "138001380001", "11111111111", "phone", "+86", "1" * 80])
def test_wrong_phone_is_refused_with_an_example(typed: str) -> None:
    with pytest.raises(InvalidInput) as error:
        normalise_phone(typed)
    assert error.value.code == "error-phone"
    assert error.value.params["example"] == "13800138000"


def test_example_follows_the_region() -> None:
    with pytest.raises(InvalidInput) as error:
        normalise_phone("12", default_region="GB")
    assert str(error.value.params["example"]).startswith("+44")


@settings(max_examples=150, deadline=None)
@given(st.text(max_size=40))
def test_phone_either_normalises_to_e164_or_says_error_phone(raw: str) -> None:
    try:
        result = normalise_phone(raw)
    except InvalidInput as error:
        assert error.code == "error-phone"
    else:
        assert re.fullmatch(r"\+[1-9]\d{6,14}", result)
        assert normalise_phone(result) == result


# --- e-mail ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "clean"),
    [("Li.Si@Acme.CN", "li.si@acme.cn"), (" zhang+crm@mail.example.com ", "zhang+crm@mail.example.com"),
     ("<sales@acme.com>", "sales@acme.com"), ("mailto:a@b.io", "a@b.io"), ("ｌｉｓｉ＠ａｃｍｅ．ｃｎ", "lisi@acme.cn")],
)  # fmt: skip
def test_emails_are_trimmed_and_lower_cased(typed: str, clean: str) -> None:
    assert normalise_email(typed) == clean


@pytest.mark.parametrize(
    "typed",
    ["", "lisi", "lisi@", "@acme.cn", "lisi@acme", "li si@acme.cn", "lisi@@acme.cn", "lisi@acme..cn", "lisi@-acme.cn",
     "lisi@acme.c", ".lisi@acme.cn", "lisi.@acme.cn", "a" * 65 + "@acme.cn", "lisi@acme.cn extra"],
)  # fmt: skip
def test_wrong_email_is_refused_with_an_example(typed: str) -> None:
    with pytest.raises(InvalidInput) as error:
        normalise_email(typed)
    assert error.value.code == "error-email"
    assert error.value.params["example"] == "name@company.com"


# --- company key -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name",
    ["华东科技", "华东科技有限公司", "华东科技股份有限公司", "华东科技有限责任公司", "华东 科技", "华东科技（上海）有限公司",
     "华东科技集团", "华东科技集团有限公司", " 华东科技有限公司。"],
)  # fmt: skip
def test_chinese_company_names_compare_without_legal_form(name: str) -> None:
    assert company_key(name) == "华东科技"


def test_descriptive_words_stay_part_of_the_name() -> None:
    assert company_key("华东科技有限公司") != company_key("华东有限公司")
    assert company_key("Acme Tech Ltd") == "acmetech"


def test_a_branch_is_not_its_head_office() -> None:
    assert company_key("华东科技北京分公司") != company_key("华东科技有限公司")


@pytest.mark.parametrize(
    "name",
    ["Acme", "ACME Inc.", "Acme, Inc", "Acme Co., Ltd.", "acme ltd", "Acme LLC", "Acme GmbH", "Acme Corp.",
     "ＡＣＭＥ", "  Acme  (UK)  Limited ", "Acme Group"],
)  # fmt: skip
def test_latin_company_names_compare_without_legal_form(name: str) -> None:
    assert company_key(name) == "acme"


def test_a_name_that_is_only_a_legal_form_keeps_it_and_blank_gives_empty() -> None:
    assert company_key("Company") == "company"
    assert company_key("有限公司") == "有限公司"
    assert company_key("  ..  ") == ""


@settings(max_examples=150, deadline=None)
@given(st.text(max_size=60))
def test_company_key_is_stable_and_insensitive_to_case_and_spacing(name: str) -> None:
    key = company_key(name)
    assert company_key(key) == key or key == ""  # idempotent once normalised
    assert company_key(name.upper()) == company_key(name.lower()) or not name.isascii()
    assert company_key(f"  {name}  ") == key
    assert not any(ch.isspace() for ch in key)


# --- quick capture ---------------------------------------------------------------------------


def test_quick_capture_chinese_example_from_the_issue() -> None:
    got = parse_quick_capture("张三 13800138000 华东科技 官网 预算50万 下月上线")
    assert (got.contact_name, got.phone, got.company) == ("张三", "+8613800138000", "华东科技")
    assert got.source is LeadSource.WEBSITE
    assert (got.budget, got.budget_note) == (Budget.KNOWN, "50万")
    assert got.timeline is Timeline.THIS_QUARTER
    assert got.need is None  # "下月上线" says when (the timeline), not what: no need
    assert got.missing == []


def test_quick_capture_english_example_from_the_issue() -> None:
    got = parse_quick_capture("John Smith +44 20 7946 0958 Acme web budget 50k")
    assert (got.contact_name, got.phone, got.company) == ("John Smith", "+442079460958", "Acme")
    assert got.source is LeadSource.WEBSITE
    assert (got.budget, got.budget_note) == (Budget.KNOWN, "50k")
    assert got.missing == []


def test_quick_capture_email_group_event_rough_budget_this_quarter() -> None:
    got = parse_quick_capture("李四 lisi@acme.cn 某某集团 展会 预算约30万 本季度")
    assert (got.contact_name, got.email, got.company, got.phone) == ("李四", "lisi@acme.cn", "某某集团", None)
    assert got.source is LeadSource.EVENT
    assert (got.budget, got.budget_note) == (Budget.ROUGH, "30万")
    assert got.timeline is Timeline.THIS_QUARTER
    assert got.missing == []


def test_quick_capture_without_spaces_still_finds_the_parts() -> None:
    got = parse_quick_capture("张三13800138000华东科技官网预算50万本月")
    assert (got.contact_name, got.phone, got.company) == ("张三", "+8613800138000", "华东科技")
    assert (got.source, got.budget, got.timeline) == (LeadSource.WEBSITE, Budget.KNOWN, Timeline.THIS_MONTH)


@pytest.mark.parametrize(
    ("word", "source"),
    [("官网", LeadSource.WEBSITE), ("网站", LeadSource.WEBSITE), ("website", LeadSource.WEBSITE),
     ("展会", LeadSource.EVENT), ("活动", LeadSource.EVENT), ("Event", LeadSource.EVENT),
     ("转介绍", LeadSource.REFERRAL), ("推荐", LeadSource.REFERRAL), ("referral", LeadSource.REFERRAL),
     ("陌拜", LeadSource.COLD_CALL), ("电话", LeadSource.COLD_CALL), ("cold", LeadSource.COLD_CALL),
     ("广告", LeadSource.ADVERTISING), ("ad", LeadSource.ADVERTISING),
     ("渠道", LeadSource.PARTNER), ("合作伙伴", LeadSource.PARTNER), ("partner", LeadSource.PARTNER)],
)  # fmt: skip
def test_source_words(word: str, source: LeadSource) -> None:
    got = parse_quick_capture(f"王五 13900139000 华南贸易 {word}")
    assert got.source is source
    assert got.company == "华南贸易" and got.contact_name == "王五"


def test_a_phone_label_is_not_a_cold_call() -> None:
    got = parse_quick_capture("王五 电话：13900139000 华南贸易 展会")
    assert got.phone == "+8613900139000" and got.source is LeadSource.EVENT


def test_latin_source_words_match_whole_words_only() -> None:
    assert parse_quick_capture("Adam Lee Adidas").source is None


@pytest.mark.parametrize(
    ("words", "timeline"),
    [("本月", Timeline.THIS_MONTH), ("这个月", Timeline.THIS_MONTH), ("this month", Timeline.THIS_MONTH),
     ("下月", Timeline.THIS_QUARTER), ("下个月底", Timeline.THIS_QUARTER), ("本季度", Timeline.THIS_QUARTER),
     ("this quarter", Timeline.THIS_QUARTER), ("next month", Timeline.THIS_QUARTER),
     ("明年", Timeline.LATER), ("later", Timeline.LATER), ("下季度", Timeline.LATER), ("", Timeline.UNKNOWN)],
)  # fmt: skip
def test_timeline_words(words: str, timeline: Timeline) -> None:
    assert parse_quick_capture(f"张三 13800138000 华东科技 {words}").timeline is timeline


@pytest.mark.parametrize(
    ("words", "authority"),
    [("老板", Authority.DECISION_MAKER), ("总经理", Authority.DECISION_MAKER), ("负责人", Authority.DECISION_MAKER),
     ("CEO", Authority.DECISION_MAKER), ("decision maker", Authority.DECISION_MAKER),
     ("对接人", Authority.INFLUENCER), ("", Authority.NONE)],
)  # fmt: skip
def test_decision_maker_hints(words: str, authority: Authority) -> None:
    got = parse_quick_capture(f"张三 {words} 13800138000 华东科技")
    assert got.authority is authority
    assert got.contact_name == "张三"


def test_role_glued_to_the_name_leaves_the_name() -> None:
    got = parse_quick_capture("总经理张三 13800138000 华东科技")
    assert got.contact_name == "张三" and got.authority is Authority.DECISION_MAKER
    assert parse_quick_capture("王经理 13800138000 华东科技").contact_name == "王经理"


@pytest.mark.parametrize(
    ("words", "budget", "note"),
    [("预算50万", Budget.KNOWN, "50万"), ("预算：50万元", Budget.KNOWN, "50万元"), ("budget 50k", Budget.KNOWN, "50k"),
     ("budget $20,000", Budget.KNOWN, "$20,000"), ("预算约30万", Budget.ROUGH, "30万"),
     ("预算30万左右", Budget.ROUGH, "30万"), ("大概预算100万", Budget.ROUGH, "100万"),
     ("budget ~50k", Budget.ROUGH, "50k"), ("rough budget", Budget.ROUGH, None), ("", Budget.UNKNOWN, None)],
)  # fmt: skip
def test_budget(words: str, budget: Budget, note: str | None) -> None:
    got = parse_quick_capture(f"张三 13800138000 华东科技 {words}")
    assert (got.budget, got.budget_note) == (budget, note)
    assert got.phone == "+8613800138000"


def test_a_budget_amount_is_never_taken_for_a_phone() -> None:
    got = parse_quick_capture("张三 华东科技 预算13800138000")
    assert got.phone is None and "phone_or_email" in got.missing


def test_what_is_missing_is_listed_in_a_fixed_order() -> None:
    assert parse_quick_capture("").missing == list(REQUIRED_FIELDS)
    got = parse_quick_capture("张三 华东科技")
    assert got.missing == ["phone_or_email", "source"]
    assert parse_quick_capture("13800138000").missing == ["contact_name", "company", "source"]


def test_an_invalid_number_is_left_out_not_guessed() -> None:
    got = parse_quick_capture("张三 1380013800 华东科技 官网")
    assert got.phone is None and "phone_or_email" in got.missing


def test_to_draft_fills_lead_draft_fields() -> None:
    draft = parse_quick_capture("张三 13800138000 华东科技 官网 预算50万 下月上线").to_draft()
    assert (draft.company, draft.contact_name, draft.phone) == ("华东科技", "张三", "+8613800138000")
    assert (draft.source, draft.budget, draft.budget_note) == (LeadSource.WEBSITE, Budget.KNOWN, "50万")
    assert QuickCapture().to_draft().source is LeadSource.OTHER


FRAGMENTS = st.sampled_from(
    ["张三", "John", "Smith", "13800138000", "+44 20 7946 0958", "138-0013-8000", "华东科技", "有限公司", "官网",
     "web", "预算", "50万", "budget", "50k", "约", "本月", "下月", "老板", "CEO", "lisi@acme.cn", "@", "+", "-",
     "电话", "：", "0", "86", "1380013800", "Ltd", "集团", "  ", "\n", "\u200b", "（", "）"],
)  # fmt: skip
MESSAGES = st.one_of(
    st.text(max_size=120),
    st.lists(st.one_of(FRAGMENTS, st.text(max_size=6)), max_size=12).map(" ".join),
    st.lists(FRAGMENTS, max_size=12).map("".join),
)


def _digits(text: str) -> str:
    return "".join(ch for ch in unicodedata.normalize("NFKC", text) if ch.isdigit() and ch.isascii())


@settings(max_examples=300, deadline=None)
@given(MESSAGES)
def test_quick_capture_never_raises_and_never_invents_a_phone_or_email(text: str) -> None:
    got = parse_quick_capture(text)
    assert isinstance(got, QuickCapture)
    assert set(got.missing) <= set(REQUIRED_FIELDS)
    if got.phone is not None:
        assert normalise_phone(got.phone) == got.phone
        national = phonenumbers.national_significant_number(phonenumbers.parse(got.phone))
        assert national in _digits(text)
    if got.phone is None and got.email is None:
        assert "phone_or_email" in got.missing
    if got.email is not None:
        assert got.email in unicodedata.normalize("NFKC", text).lower()
    if got.budget_note is not None:
        assert got.budget is not Budget.UNKNOWN
