"""The capture spec (domain/leads/capture.py): one set of limits and checks for a lead's facts, which
the chat flow and the capture service both use; the lead-detection heuristic and contact cards."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from domain.errors import InvalidInput
from domain.leads import capture
from domain.leads import services as lead_service
from domain.leads.contact import parse_quick_capture, phone_from_card, read_as_lead
from domain.leads.model import Budget, LeadDraft, LeadSource, Timeline
from domain.team.model import Role, User

NOW = datetime(2026, 11, 26, 2, 0, tzinfo=UTC)


def rep(role: Role = Role.REP) -> User:
    return User(telegram_id=1, name="小王", role=role, team_id=1, id=7)


def test_the_service_and_the_chat_share_one_set_of_limits() -> None:
    assert (capture.MAX_COMPANY, capture.MAX_NEED) == (128, 2000)
    assert lead_service.MAX_COMPANY == capture.MAX_COMPANY and lead_service.MAX_NEED == capture.MAX_NEED
    assert lead_service.EDITABLE == capture.EDITABLE
    assert capture.parse_company("  华东  科技 ") == "华东 科技"
    assert capture.parse_company("x" * 128) == "x" * 128
    with pytest.raises(InvalidInput) as error:
        capture.parse_company("x" * 129)
    assert error.value.code == "error-lead-company" and error.value.params["max"] == 128
    assert capture.parse_need(" 多行\n需求 ") == "多行\n需求"  # the rep's own words keep their lines
    assert capture.parse_need("y" * 2000) == "y" * 2000
    with pytest.raises(InvalidInput) as error:
        capture.parse_need("y" * 2001)
    assert error.value.params == {"field": "need", "max": 2000}


def test_the_service_refuses_what_the_spec_refuses() -> None:
    draft = LeadDraft(company="x" * 129, phone="13800138000")
    with pytest.raises(InvalidInput) as error:
        lead_service._lead_from_draft(draft, rep(), NOW)
    assert error.value.code == "error-lead-company"
    lead = lead_service._lead_from_draft(LeadDraft(company="x" * 128, phone="138 0013 8000"), rep(), NOW)
    assert lead.phone == "+8613800138000" and lead.company_key == "x" * 128
    with pytest.raises(InvalidInput) as error:
        lead_service._lead_from_draft(LeadDraft(company="华东科技"), rep(), NOW)
    assert error.value.code == "error-lead-reach"


@pytest.mark.parametrize(
    ("name", "value", "code"),
    [("source", "fax", "error-lead-field"), ("contact_name", "张" * 65, "error-lead-too-long"),
     ("phone", "12345", "error-phone"), ("email", "zhang@", "error-email"), ("colour", "red", "error-lead-field")],
)  # fmt: skip
def test_each_fact_is_checked_by_its_own_parser(name: str, value: str, code: str) -> None:
    with pytest.raises(InvalidInput) as error:
        capture.clean(name, value)
    assert error.value.code == code


def test_what_a_capture_still_needs() -> None:
    assert capture.missing({}) == ["company", capture.REACH]
    assert capture.missing({"company": "华东科技", "email": "a@b.cn"}) == []
    assert capture.missing({"phone": "+8613800138000"}) == ["company"]


def test_who_may_keep_the_lead_they_capture() -> None:
    from domain.policy.model import TeamPolicy

    policy = TeamPolicy(team_id=1, allow_self_assign=True)
    assert capture.may_keep(rep(), policy) and not capture.may_keep(rep(Role.MANAGER), policy)


def test_a_quick_capture_becomes_plain_values_and_a_draft() -> None:
    values = capture.quick_values(parse_quick_capture("张三 13800138000 华东科技 官网 预算50万 下月上线"))
    assert values["company"] == "华东科技" and values["source"] == "website" and values["budget"] == "known"
    assert values["authority"] is None  # not said: not answered (the draft's default is not an answer)
    draft = capture.draft_from(values)
    assert draft.source is LeadSource.WEBSITE and draft.budget is Budget.KNOWN and draft.timeline is Timeline.THIS_QUARTER
    assert capture.draft_from({"source": "nonsense"}).source is LeadSource.OTHER


@pytest.mark.parametrize(
    "text",
    ["好的，明天联系", "李经理 你好 我的手机 13800138000", "张总 13900139000 明天 下午 开会", "13800138000 是谁的电话？",
     "/lead 张三 13800138000 华东科技 官网", "张三 13800138000 华东科技 官网 " + "很长" * 200],
)  # fmt: skip
def test_ordinary_chat_does_not_read_as_a_lead(text: str) -> None:
    assert read_as_lead(text) is None


def test_a_lead_typed_in_a_hurry_reads_as_one_and_comes_with_its_reading() -> None:
    found = read_as_lead("张三 13800138000 华东科技 官网 预算50万 下月上线")
    assert found is not None and found.company == "华东科技" and found.phone == "+8613800138000"
    acme = read_as_lead("John Smith +44 20 7946 0958 Acme budget 50k")
    assert acme is not None and acme.contact_name == "John Smith" and acme.budget_note == "50k"


@pytest.mark.parametrize(
    ("raw", "e164"),
    [("8613912345678", "+8613912345678"), ("13912345678", "+8613912345678"), ("+44 20 7946 0958", "+442079460958"),
     ("12345", None), ("", None)],
)  # fmt: skip
def test_a_contact_cards_number(raw: str, e164: str | None) -> None:
    assert phone_from_card(raw) == e164
