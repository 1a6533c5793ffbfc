"""Times as reps type them, read in the team's timezone; anything else is a clean "can't read"."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from domain.timeparse import ParsedWhen, Problem, parse_duration, parse_when, split_when

SHANGHAI = "Asia/Shanghai"
NOW = datetime(2026, 11, 26, 2, 0, tzinfo=UTC)  # Thursday 10:00 in Shanghai


def local(text: str, tz: str = SHANGHAI, now: datetime = NOW) -> str:
    parsed = parse_when(text, now, tz)
    assert parsed.at is not None, (text, parsed)
    return parsed.at.astimezone(ZoneInfo(tz)).strftime("%a %Y-%m-%d %H:%M")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2026-12-01 10:00", "Tue 2026-12-01 10:00"),
        ("2026/12/1 9:05", "Tue 2026-12-01 09:05"),
        ("2026年12月1日 10点", "Tue 2026-12-01 10:00"),
        ("2026-12-01", "Tue 2026-12-01 09:00"),
        ("12-01 10:00", "Tue 2026-12-01 10:00"),
        ("12月1日下午3点", "Tue 2026-12-01 15:00"),
        ("十二月一日 十点半", "Tue 2026-12-01 10:30"),
        ("明天 10点", "Fri 2026-11-27 10:00"),
        ("明天10点", "Fri 2026-11-27 10:00"),
        ("明天下午3点", "Fri 2026-11-27 15:00"),
        ("明天3点", "Fri 2026-11-27 15:00"),  # office hours: 3 o'clock is the afternoon
        ("凌晨3点", "Fri 2026-11-27 03:00"),  # ...unless the night is said
        ("明天十点一刻", "Fri 2026-11-27 10:15"),
        ("明天 10点45分", "Fri 2026-11-27 10:45"),
        ("后天 9:30", "Sat 2026-11-28 09:30"),
        ("大后天", "Sun 2026-11-29 09:00"),
        ("今晚8点", "Thu 2026-11-26 20:00"),
        ("明早", "Fri 2026-11-27 09:00"),
        ("明天晚上12点", "Sat 2026-11-28 00:00"),
        ("下午3点", "Thu 2026-11-26 15:00"),
        ("9点", "Fri 2026-11-27 09:00"),  # already past today: tomorrow
        ("10:30", "Thu 2026-11-26 10:30"),
        ("下周一", "Mon 2026-11-30 09:00"),
        ("下周一 10点", "Mon 2026-11-30 10:00"),
        ("下周五", "Fri 2026-12-04 09:00"),  # Friday of next week, not tomorrow
        ("周五 15:00", "Fri 2026-11-27 15:00"),
        ("周四 9点", "Thu 2026-12-03 09:00"),  # today's 9:00 is gone: next Thursday
        ("星期天 晚上", "Sun 2026-11-29 20:00"),
        ("tomorrow 10:00", "Fri 2026-11-27 10:00"),
        ("Tomorrow at 10:00", "Fri 2026-11-27 10:00"),
        ("tomorrow 3pm", "Fri 2026-11-27 15:00"),
        ("tomorrow morning", "Fri 2026-11-27 09:00"),
        ("today 10:30pm", "Thu 2026-11-26 22:30"),
        ("friday 9am", "Fri 2026-11-27 09:00"),
        ("next monday", "Mon 2026-11-30 09:00"),
        ("next thursday", "Thu 2026-12-03 09:00"),
        ("+3d", "Sun 2026-11-29 10:00"),
        ("+2h", "Thu 2026-11-26 12:00"),
        ("+90m", "Thu 2026-11-26 11:30"),
        ("+1d2h", "Fri 2026-11-27 12:00"),
        ("3d", "Sun 2026-11-29 10:00"),
        ("3天后", "Sun 2026-11-29 10:00"),
        ("三天后", "Sun 2026-11-29 10:00"),
        ("2小时后", "Thu 2026-11-26 12:00"),
        ("两个小时后", "Thu 2026-11-26 12:00"),
        ("半小时后", "Thu 2026-11-26 10:30"),
        ("一个半小时后", "Thu 2026-11-26 11:30"),
        ("30分钟后", "Thu 2026-11-26 10:30"),
        ("一周后", "Thu 2026-12-03 10:00"),
        ("in 2 hours", "Thu 2026-11-26 12:00"),
        ("in a week", "Thu 2026-12-03 10:00"),
        ("in half an hour", "Thu 2026-11-26 10:30"),
        ("3 hours later", "Thu 2026-11-26 13:00"),
        ("＋２ｈ", "Thu 2026-11-26 12:00"),  # a full-width keyboard
        ("明天 10：30", "Fri 2026-11-27 10:30"),
    ],
)
def test_reads_what_reps_type(text: str, expected: str) -> None:
    assert local(text) == expected


def test_a_month_and_day_already_gone_this_year_means_next_year() -> None:
    assert local("3-15 10:00") == "Mon 2027-03-15 10:00"


def test_times_are_read_in_the_teams_timezone() -> None:
    berlin = parse_when("tomorrow 10:00", NOW, "Europe/Berlin")
    assert berlin.at == datetime(2026, 11, 27, 9, 0, tzinfo=UTC)
    shanghai = parse_when("tomorrow 10:00", NOW, SHANGHAI)
    assert shanghai.at == datetime(2026, 11, 27, 2, 0, tzinfo=UTC)


def test_days_later_keeps_the_wall_clock_across_a_dst_change() -> None:
    # Berlin leaves summer time on 25 October 2026: "+3d" at 10:00 on the 24th is 10:00 on the 27th.
    now = datetime(2026, 10, 24, 8, 0, tzinfo=UTC)
    assert local("+3d", "Europe/Berlin", now) == "Tue 2026-10-27 10:00"
    assert local("+24h", "Europe/Berlin", now) == "Sun 2026-10-25 09:00"


def test_relative_times_are_whole_minutes() -> None:
    parsed = parse_when("in 1 hour", NOW + timedelta(seconds=42, microseconds=7), SHANGHAI)
    assert parsed.at == datetime(2026, 11, 26, 3, 0, tzinfo=UTC)


def test_a_date_without_time_takes_the_teams_start_of_day() -> None:
    parsed = parse_when("明天", NOW, SHANGHAI, default_time=time(8, 30))
    assert parsed.at == datetime(2026, 11, 27, 0, 30, tzinfo=UTC)


@pytest.mark.parametrize("text", ["今天 9点", "2025-01-01 10:00", "+0m", "today 8am"])
def test_the_past_is_reported_with_what_was_read(text: str) -> None:
    parsed = parse_when(text, NOW, SHANGHAI)
    assert parsed.problem is Problem.PAST and parsed.at is None and parsed.read_as is not None
    assert parsed.read_as <= NOW


def test_too_far_ahead_is_reported() -> None:
    assert parse_when("2040-01-01 10:00", NOW, SHANGHAI).problem is Problem.TOO_FAR


@pytest.mark.parametrize(
    "text",
    [
        "", "   ", "abc", "明天 25点", "2026-02-30 10:00", "2月30日", "13-45 10:00", "10:75", "+",
        "+99999d", "明天 10点 给客户打电话", "yesterday", "十十点", "in 5 fortnights", "13pm", "下周八",
        "2026-12-01 10:00:00:00", "x" * 500,
    ],
)
def test_what_cannot_be_read_is_a_clean_problem(text: str) -> None:
    parsed = parse_when(text, NOW, SHANGHAI)
    assert parsed == ParsedWhen(problem=Problem.UNREADABLE)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    text=st.one_of(
        st.text(max_size=40),
        st.text(alphabet="0123456789:-/.+年月日号点分半天周后小时明今后下午晚上早凌晨一二两三十 dhmwinpa", max_size=24),
    ),
    offset=st.integers(min_value=-10**6, max_value=10**6),
    tz=st.sampled_from([SHANGHAI, "Europe/Berlin", "America/New_York", "Pacific/Kiritimati", "UTC"]),
)
def test_parsing_never_raises_and_only_ever_answers_the_future(text: str, offset: int, tz: str) -> None:
    now = NOW + timedelta(minutes=offset)
    parsed = parse_when(text, now, tz)
    assert isinstance(parsed, ParsedWhen)
    assert (parsed.at is None) == (parsed.problem is not None)
    if parsed.at is not None:
        assert parsed.at > now and parsed.at.tzinfo is not None
        assert parsed.at.second == 0 and parsed.at.microsecond == 0


@settings(max_examples=200, deadline=None)
@given(minutes=st.integers(min_value=1, max_value=3 * 365 * 24 * 60), tz=st.sampled_from([SHANGHAI, "Europe/Berlin"]))
def test_a_written_out_future_time_reads_back_to_the_same_minute(minutes: int, tz: str) -> None:
    at = (NOW + timedelta(minutes=minutes)).astimezone(ZoneInfo(tz))
    parsed = parse_when(at.strftime("%Y-%m-%d %H:%M"), NOW, tz)
    if at.fold or at.dst() != (at + timedelta(hours=1)).dst():
        return  # the repeated hour of a DST change is ambiguous as wall-clock text
    assert parsed.at == at.astimezone(UTC)


def test_durations_for_the_console() -> None:
    assert parse_duration("2h") == timedelta(hours=2)
    assert parse_duration("1d2h") == timedelta(days=1, hours=2)
    assert parse_duration("+30m") == timedelta(minutes=30)
    assert parse_duration("3天") == timedelta(days=3)
    assert parse_duration("soon") is None
    assert parse_duration("") is None


# --- a time at either end of a sentence (`/remind 明天下午3点 给张总回电话`) ----------------------------------


@pytest.mark.parametrize(
    ("text", "expected", "rest"),
    [
        ("明天下午3点 给张总回电话", "Fri 2026-11-27 15:00", "给张总回电话"),
        ("明天下午3点给张总回电话", "Fri 2026-11-27 15:00", "给张总回电话"),  # no space: read by characters
        ("给张总回电话 明天下午3点", "Fri 2026-11-27 15:00", "给张总回电话"),
        ("给张总回电话明天下午3点", "Fri 2026-11-27 15:00", "给张总回电话"),
        ("3天后跟进西湖软件", "Sun 2026-11-29 10:00", "跟进西湖软件"),
        ("周五 15:00 拜访华东科技", "Fri 2026-11-27 15:00", "拜访华东科技"),
        ("12-05 10:00 签合同", "Sat 2026-12-05 10:00", "签合同"),
        ("+2h 回邮件", "Thu 2026-11-26 12:00", "回邮件"),
        ("call John tomorrow 3pm", "Fri 2026-11-27 15:00", "call John"),
        ("tomorrow 3pm, to call John", "Fri 2026-11-27 15:00", "call John"),
        ("in 2 hours check the quote", "Thu 2026-11-26 12:00", "check the quote"),
        ("friday 9am demo for Acme", "Fri 2026-11-27 09:00", "demo for Acme"),
        ("明天", "Fri 2026-11-27 09:00", ""),  # the time alone
    ],
)
def test_a_time_at_either_end_of_a_sentence_is_read_and_the_rest_kept(text: str, expected: str, rest: str) -> None:
    sentence = split_when(text, NOW, SHANGHAI)
    assert sentence is not None and sentence.when.at is not None, text
    assert sentence.when.at.astimezone(ZoneInfo(SHANGHAI)).strftime("%a %Y-%m-%d %H:%M") == expected
    assert sentence.rest == rest


@pytest.mark.parametrize("text", ["给张总回电话", "call John", "3 calls to make", "3", "", "   "])
def test_a_sentence_with_no_time_at_either_end_is_none(text: str) -> None:
    assert split_when(text, NOW, SHANGHAI) is None


def test_a_past_time_in_a_sentence_comes_back_with_its_problem() -> None:
    sentence = split_when("今天上午9点 开周会", NOW, SHANGHAI)
    assert sentence is not None and sentence.when.at is None and sentence.when.problem is Problem.PAST
    assert sentence.rest == "开周会"


@given(st.text(max_size=200))
@settings(max_examples=200, suppress_health_check=[HealthCheck.too_slow])
def test_split_when_never_raises(text: str) -> None:
    sentence = split_when(text, NOW, SHANGHAI)
    assert sentence is None or isinstance(sentence.when, ParsedWhen)
