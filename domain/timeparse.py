"""Times as people type them in a chat, in Chinese or English, read in the team's timezone.

    2026-12-01 10:00 · 2026/12/1 · 2026年12月1日 10点 · 12-01 10:00 · 12月1日下午3点
    明天 10点 · 明天下午3点 · 后天 9:30 · 今晚8点 · 明早 · 下周一 · 周五 15:00
    tomorrow 10:00 · tomorrow 3pm · today 18:30 · next monday · friday 9am
    +3d · +2h · +30m · +1w · 3d · 3天后 · 2小时后 · 两个小时后 · 半小时后 · in 2 hours · in a week

`parse_when` never raises: anything it cannot read is a `ParsedWhen` with a problem, so the chat can
explain with examples and let the person try again.
"""

from __future__ import annotations

import enum
import re
import unicodedata
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

MAX_AHEAD = timedelta(days=5 * 366)


class Problem(enum.StrEnum):
    UNREADABLE = "unreadable"
    PAST = "past"
    TOO_FAR = "too-far"


@dataclass(frozen=True)
class ParsedWhen:
    at: datetime | None = None  # UTC, whole minutes
    problem: Problem | None = None
    # The moment that was read, also when it is in the past (to show the person what we understood).
    read_as: datetime | None = None

    @property
    def ok(self) -> bool:
        return self.at is not None


# --- normalising --------------------------------------------------------------------------------

_CN_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "俩": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_CN_NUMBER = re.compile(r"[零〇一二两俩三四五六七八九十]+")
_EN_NUMBERS = {
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12,
}


def _cn_number(token: str) -> str:
    """一 -> 1, 十五 -> 15, 二十 -> 20, 二十三 -> 23, 一二 -> 12 (digit by digit)."""
    if "十" not in token:
        return "".join(str(_CN_DIGITS[ch]) for ch in token)
    head, _, tail = token.partition("十")
    if "十" in tail or len(head) > 1 or len(tail) > 1:
        return token  # not a number we read (e.g. 十十): left as it is, so it stays unreadable
    tens = _CN_DIGITS[head] if head else 1
    ones = _CN_DIGITS[tail] if tail else 0
    return str(tens * 10 + ones)


def normalise(text: str) -> str:
    text = unicodedata.normalize("NFKC", text).lower().strip()
    # Weekday names use the same characters as numbers: 周一 stays readable as 周1, 周日 as 周7.
    text = re.sub(r"(周|星期|礼拜)(日|天)", r"\g<1>7", text)
    text = _CN_NUMBER.sub(lambda m: _cn_number(m.group(0)), text)
    text = text.replace("：", ":").replace("，", " ").replace(",", " ")
    return " ".join(text.split())


# --- relative: +3d, 3天后, in 2 hours -------------------------------------------------------------

_UNIT = {
    "m": "minutes", "min": "minutes", "mins": "minutes", "minute": "minutes", "minutes": "minutes",
    "分": "minutes", "分钟": "minutes",
    "h": "hours", "hr": "hours", "hrs": "hours", "hour": "hours", "hours": "hours",
    "小时": "hours", "个小时": "hours", "钟头": "hours", "个钟头": "hours", "个钟": "hours",
    "d": "days", "day": "days", "days": "days", "天": "days", "日": "days",
    "w": "weeks", "wk": "weeks", "week": "weeks", "weeks": "weeks",
    "周": "weeks", "个周": "weeks", "星期": "weeks", "个星期": "weeks", "礼拜": "weeks", "个礼拜": "weeks",
}
_EN_UNITS = r"(minutes?|mins?|m|hours?|hrs?|h|days?|d|weeks?|wks?|w)"
_PLUS = re.compile(r"^\+?\s*((?:\d{1,4}\s*[mhdw]\s*)+)$")
_PLUS_PART = re.compile(r"(\d{1,4})\s*([mhdw])")
_CN_REL = re.compile(r"^(\d{1,4}|半)\s*(分钟|分|个小时|小时|个钟头|钟头|个钟|天|日|个星期|星期|个礼拜|礼拜|个周|周)\s*(后|以后|之后)$")
_CN_REL_HALF = re.compile(r"^(\d{1,3})\s*个半\s*(小时|钟头)\s*(后|以后|之后)$")
_EN_REL = re.compile(rf"^in\s+(\d{{1,4}}|a|an|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|half an?)\s*{_EN_UNITS}$")
_EN_LATER = re.compile(rf"^(\d{{1,4}})\s*{_EN_UNITS}\s+(later|from now)$")


def _duration_parts(text: str) -> list[tuple[str, int]] | None:
    match = _PLUS.match(text)
    if match is not None:
        return [(_UNIT[unit], int(amount)) for amount, unit in _PLUS_PART.findall(match.group(1))]
    match = re.match(r"^(\d{1,4})\s*(分钟|分|小时|个小时|天|周|星期)$", text)
    if match is not None:
        return [(_UNIT[match.group(2)], int(match.group(1)))]
    return None


def parse_duration(text: str) -> timedelta | None:
    """`2h`, `+1d`, `1d2h`, `90m`, `3天`: a plain span, None when not one."""
    try:
        parts = _duration_parts(normalise(text))
        if parts is None:
            return None
        return sum((timedelta(**{unit: amount}) for unit, amount in parts), timedelta())
    except (ValueError, OverflowError):
        return None


def _relative(text: str) -> list[tuple[str, int]] | None:
    match = _CN_REL_HALF.match(text)
    if match:
        return [("hours", int(match.group(1))), ("minutes", 30)]
    match = _CN_REL.match(text)
    if match:
        amount, unit = match.group(1), match.group(2)
        if amount == "半":
            return [("minutes", 30)] if unit in ("小时", "个小时", "钟头", "个钟头", "个钟") else None
        return [(_UNIT[unit], int(amount))]
    match = _EN_REL.match(text)
    if match:
        word, unit = match.group(1), match.group(2)
        if word.startswith("half"):
            return [("minutes", 30)] if unit.startswith("h") else None
        amount = _EN_NUMBERS[word] if word in _EN_NUMBERS else int(word)
        return [(_UNIT[unit], amount)]
    match = _EN_LATER.match(text)
    if match:
        return [(_UNIT[match.group(2)], int(match.group(1)))]
    return _duration_parts(text)


def _apply_relative(now: datetime, tz: str, parts: list[tuple[str, int]]) -> datetime:
    here = now.astimezone(ZoneInfo(tz))
    for unit, amount in parts:
        if unit in ("days", "weeks"):
            # Calendar arithmetic on the wall clock: "3 days later" keeps the time of day across DST.
            here = here + timedelta(**{unit: amount})
        else:
            here = (here.astimezone(UTC) + timedelta(**{unit: amount})).astimezone(ZoneInfo(tz))
    return here.astimezone(UTC).replace(second=0, microsecond=0)


# --- absolute: a day and a time of day -----------------------------------------------------------

_WEEKDAYS_EN = {
    "monday": 0, "mon": 0, "tuesday": 1, "tue": 1, "tues": 1, "wednesday": 2, "wed": 2,
    "thursday": 3, "thu": 3, "thur": 3, "thurs": 3, "friday": 4, "fri": 4, "saturday": 5, "sat": 5,
    "sunday": 6, "sun": 6,
}
_FULL_DATE = re.compile(r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*[日号]?")
_MONTH_DAY = re.compile(r"(\d{1,2})\s*(?:[-/.]|月)\s*(\d{1,2})\s*[日号]?")
_DAY_WORDS = [
    ("大后天", 3), ("后天", 2), ("明天", 1), ("明日", 1), ("今天", 0), ("今日", 0),
    ("day after tomorrow", 2), ("tomorrow", 1), ("tmrw", 1), ("tmr", 1), ("today", 0), ("tonight", 0),
    ("明早", 1), ("明晚", 1), ("今早", 0), ("今晚", 0),
]
_DAY_PERIOD = {"明早": "早上", "明晚": "晚上", "今早": "早上", "今晚": "晚上", "tonight": "晚上"}
_CN_WEEKDAY = re.compile(r"(下下|下个?|这个?|本)?\s*(周|星期|礼拜)\s*([1-7])")
_EN_WEEKDAY = re.compile(r"(next|this|on)?\s*\b(" + "|".join(sorted(_WEEKDAYS_EN, key=len, reverse=True)) + r")\b")

_PERIODS = ("凌晨", "早上", "早晨", "上午", "中午", "下午", "傍晚", "晚上", "夜里", "早", "晚")
_PERIOD_RE = "|".join(_PERIODS)
_CN_TIME = re.compile(
    rf"({_PERIOD_RE})?\s*(\d{{1,2}})\s*(?:点|时)\s*(?:(半)|([13])\s*刻|(\d{{1,2}})\s*分?)?(?!\d)"
)
_CLOCK = re.compile(rf"({_PERIOD_RE})?\s*(\d{{1,2}})\s*:\s*(\d{{2}})\s*(am|pm|a\.m\.|p\.m\.)?(?!\d)")
_EN_TIME = re.compile(r"(?:\bat\s*)?\b(\d{1,2})\s*(am|pm|a\.m\.|p\.m\.)")
_WORD_TIME = {"noon": time(12, 0), "midday": time(12, 0), "midnight": time(0, 0)}
_PERIOD_ONLY = {
    "凌晨": time(6, 0), "早上": None, "早晨": None, "上午": None, "早": None,
    "中午": time(12, 0), "下午": time(14, 0), "傍晚": time(18, 0), "晚上": time(20, 0), "晚": time(20, 0),
    "夜里": time(21, 0), "morning": None, "afternoon": time(14, 0), "evening": time(20, 0),
}
_FILLER = re.compile(r"\b(at|on|the|of|this|in)\b|的|在|号|日")


@dataclass
class _Reading:
    day: date | None = None
    weekday: int | None = None
    weekday_mode: str = ""  # "" on or after today · "next" after today · "next-week" / "week-after-next"
    year_given: bool = True
    wall: time | None = None
    period: str | None = None  # 下午, pm, ... (also from 今晚 / 明早)
    next_day: bool = False  # 晚上12点 is 00:00 of the following day


def _hour_in_period(hour: int, period: str | None, chinese_bare: bool) -> int:
    if period in ("下午", "傍晚", "晚上", "晚", "夜里", "pm", "p.m."):
        if period in ("晚上", "晚", "夜里") and hour == 12:
            return 24  # 晚上12点: midnight at the end of the day
        return hour + 12 if hour < 12 else hour
    if period == "中午":
        return hour + 12 if hour < 6 else hour
    if period in ("am", "a.m.", "凌晨"):
        return 0 if hour == 12 else hour
    if chinese_bare and 1 <= hour <= 6:
        # "明天3点" in an office means 15:00; 凌晨3点 says so when the night is meant.
        return hour + 12
    return hour


def _set_wall(reading: _Reading, hour: int, minute: int) -> bool:
    if not (0 <= hour <= 24 and 0 <= minute <= 59) or (hour == 24 and minute):
        return False
    if hour == 24:
        reading.next_day, hour = True, 0
    reading.wall = time(hour, minute)
    return True


def _take_time(text: str, reading: _Reading) -> str | None:
    """Reads the time of day out of `text`; returns the rest, or None when the time is impossible."""
    match = _CLOCK.search(text)
    if match:
        period = match.group(4) or match.group(1) or reading.period
        hour = _hour_in_period(int(match.group(2)), period, chinese_bare=False)
        if not _set_wall(reading, hour, int(match.group(3))):
            return None
        return text[: match.start()] + " " + text[match.end():]
    match = _CN_TIME.search(text)
    if match:
        period = match.group(1) or reading.period
        hour = _hour_in_period(int(match.group(2)), period, chinese_bare=period is None)
        minute = 30 if match.group(3) else 15 * int(match.group(4) or 0) or int(match.group(5) or 0)
        if not _set_wall(reading, hour, minute):
            return None
        return text[: match.start()] + " " + text[match.end():]
    match = _EN_TIME.search(text)
    if match:
        if int(match.group(1)) > 12:
            return None
        if not _set_wall(reading, _hour_in_period(int(match.group(1)), match.group(2), chinese_bare=False), 0):
            return None
        return text[: match.start()] + " " + text[match.end():]
    for word, wall in _WORD_TIME.items():
        if re.search(rf"\b{word}\b", text):
            reading.wall = wall
            reading.next_day = word == "midnight"
            return text.replace(word, " ", 1)
    for word, maybe in _PERIOD_ONLY.items():
        if word in text:
            reading.wall = maybe
            return text.replace(word, " ", 1)
    if reading.period is not None:
        reading.wall = _PERIOD_ONLY.get(reading.period)
    return text


def _take_day(text: str, reading: _Reading, today: date) -> str | None:
    match = _FULL_DATE.search(text)
    if match:
        year, month, day = (int(g) for g in match.groups())
        reading.day = date(year, month, day)
        return text[: match.start()] + " " + text[match.end():]
    for word, offset in _DAY_WORDS:
        if word in text:
            reading.day = today + timedelta(days=offset)
            if word in _DAY_PERIOD:
                reading.period = _DAY_PERIOD[word]
            return text.replace(word, " ", 1)
    match = _CN_WEEKDAY.search(text)
    if match:
        prefix = match.group(1) or ""
        reading.weekday = int(match.group(3)) - 1
        reading.weekday_mode = "next-week" if prefix.startswith("下") else ""
        if prefix == "下下":
            reading.weekday_mode = "week-after-next"
        return text[: match.start()] + " " + text[match.end():]
    match = _EN_WEEKDAY.search(text)
    if match:
        reading.weekday = _WEEKDAYS_EN[match.group(2)]
        reading.weekday_mode = "next" if match.group(1) == "next" else ""
        return text[: match.start()] + " " + text[match.end():]
    match = _MONTH_DAY.search(text)
    if match:
        month, day = int(match.group(1)), int(match.group(2))
        reading.day = date(today.year, month, day)
        reading.year_given = False
        return text[: match.start()] + " " + text[match.end():]
    return text


def _resolve_weekday(reading: _Reading, today: date) -> date:
    assert reading.weekday is not None
    if reading.weekday_mode in ("next-week", "week-after-next"):
        monday = today - timedelta(days=today.weekday()) + timedelta(weeks=1)
        if reading.weekday_mode == "week-after-next":
            monday += timedelta(weeks=1)
        return monday + timedelta(days=reading.weekday)
    ahead = (reading.weekday - today.weekday()) % 7
    if reading.weekday_mode == "next" and ahead == 0:
        ahead = 7
    return today + timedelta(days=ahead)


def _absolute(text: str, now: datetime, tz: str, default_time: time) -> datetime | None:
    zone = ZoneInfo(tz)
    here = now.astimezone(zone)
    today = here.date()
    reading = _Reading()
    rest = _take_day(text, reading, today)
    if rest is None:
        return None
    rest = _take_time(rest, reading)
    if rest is None:
        return None
    if _FILLER.sub(" ", rest).strip():
        return None  # something we did not understand: better to ask than to guess
    if reading.day is None and reading.weekday is None and reading.wall is None:
        return None
    wall = reading.wall or default_time
    roll_if_past = False  # a time without a day: today while still ahead, else tomorrow
    if reading.weekday is not None:
        day = _resolve_weekday(reading, today)
    elif reading.day is not None:
        day = reading.day
    else:
        day = today
        roll_if_past = True
    if reading.next_day:
        day += timedelta(days=1)
    moment = datetime.combine(day, wall, tzinfo=zone)
    if moment <= here:
        if roll_if_past:
            moment = datetime.combine(day + timedelta(days=1), wall, tzinfo=zone)
        elif reading.weekday is not None and reading.weekday_mode == "":
            moment = datetime.combine(day + timedelta(days=7), wall, tzinfo=zone)
        elif not reading.year_given and day < today:
            moment = datetime.combine(day.replace(year=day.year + 1), wall, tzinfo=zone)
    return moment.astimezone(UTC)


def parse_when(text: str, now: datetime, tz: str, *, default_time: time = time(9, 0)) -> ParsedWhen:
    """Reads `text` as a future moment in `tz`; `now` is timezone-aware. Never raises."""
    try:
        return _parse(text, now, tz, default_time)
    except (ValueError, OverflowError, KeyError, IndexError, TypeError, ArithmeticError):
        return ParsedWhen(problem=Problem.UNREADABLE)


def _parse(text: str, now: datetime, tz: str, default_time: time) -> ParsedWhen:
    if not isinstance(text, str) or len(text) > 64:
        return ParsedWhen(problem=Problem.UNREADABLE)
    cleaned = normalise(text)
    if not cleaned:
        return ParsedWhen(problem=Problem.UNREADABLE)
    relative = _relative(cleaned)
    at: datetime | None
    if relative is not None:
        at = _apply_relative(now, tz, relative)
    else:
        at = _absolute(cleaned, now, tz, default_time)
    if at is None:
        return ParsedWhen(problem=Problem.UNREADABLE)
    if at <= now:
        return ParsedWhen(problem=Problem.PAST, read_as=at)
    if at - now > MAX_AHEAD:
        return ParsedWhen(problem=Problem.TOO_FAR, read_as=at)
    return ParsedWhen(at=at, read_as=at)


# --- a time inside a sentence: "/remind 明天下午3点 给张总回电话" -------------------------------------------

_LONGEST_WHEN = 24  # characters a time phrase at either end of a sentence may take ("2026年12月1日 下午3点 30分")
_JOINERS = re.compile(r"^(?:to|that|about)\s+|^[,，:：;；、\-–—\s]+|[,，:：;；、\-–—\s]+$", re.IGNORECASE)


@dataclass(frozen=True)
class Sentence:
    """A sentence read as a time and what to do then: `when` is what the time phrase said (a problem too,
    such as a time already past), `rest` the words before or after it."""

    when: ParsedWhen
    rest: str


def _pieces(text: str) -> list[tuple[str, str]]:
    """(time candidate, rest) pairs, longest candidates first: whole words from either end, and for a
    sentence with no space between the time and the rest (明天下午3点给张总回电话), characters."""
    pairs: list[tuple[str, str]] = []
    words = text.split()
    for count in range(min(len(words) - 1, 6), 0, -1):
        pairs.append((" ".join(words[:count]), " ".join(words[count:])))
        pairs.append((" ".join(words[-count:]), " ".join(words[:-count])))
    if not words:
        return pairs
    first, last = words[0], words[-1]
    before, after = " ".join(words[:-1]), " ".join(words[1:])
    for size in range(min(max(len(first), len(last)) - 1, _LONGEST_WHEN), 1, -1):
        if size < len(first):
            pairs.append((first[:size], f"{first[size:]} {after}"))
        if size < len(last):
            pairs.append((last[-size:], f"{before} {last[:-size]}"))
    return pairs


def split_when(text: str, now: datetime, tz: str, *, default_time: time = time(9, 0)) -> Sentence | None:
    """The time phrase at the start or the end of `text` and the rest of it, or None when neither end reads
    as a time. A phrase must say more than a bare number ("3 calls to make" is no time at 3 o'clock); a
    time already past or too far ahead is returned with its problem, so that the chat can say so. Never
    raises."""
    text = " ".join((text or "").split())
    if not text or len(text) > 512:
        return None
    whole = parse_when(text, now, tz, default_time=default_time)
    if (whole.at is not None or whole.read_as is not None) and not text.isdigit():
        return Sentence(when=whole, rest="")
    for candidate, rest in _pieces(text):
        if candidate.isdigit() or not _JOINERS.sub("", rest).strip():
            continue
        parsed = parse_when(candidate, now, tz, default_time=default_time)
        if parsed.at is not None or parsed.read_as is not None:
            cleaned = rest
            for _ in range(3):  # "tomorrow 3pm, to call John": the comma, then "to"
                cleaned = _JOINERS.sub("", cleaned).strip()
            return Sentence(when=parsed, rest=cleaned)
    return None
