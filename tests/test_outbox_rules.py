"""The outbox's pure rules: backoff, what a failure does to a row, pacing, splitting long texts."""

from __future__ import annotations

import random
from datetime import timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from bot.longtext import plain, preview, split_html, utf16_len
from bot.pacing import Held, Limits, Pacer, Window, window
from domain.outbox.model import NotificationState
from domain.outbox.retry import BACKOFF_CAP, MAX_ATTEMPTS, Failure, after_failure, retry_delay
from storage.delivery_repo import ClaimedRow
from tests.fakeapi import parse_html
from tests.fakes import START


class Fixed:
    def __init__(self, value: float) -> None:
        self.value = value

    def random(self) -> float:
        return self.value


def test_backoff_doubles_with_jitter_and_is_capped() -> None:
    lows = [retry_delay(n, Fixed(0.0)).total_seconds() for n in range(1, 8)]
    highs = [retry_delay(n, Fixed(1.0)).total_seconds() for n in range(1, 8)]
    assert lows == [1, 2, 4, 8, 16, 32, 64]
    assert highs == [2, 4, 8, 16, 32, 64, 128]
    assert retry_delay(40, Fixed(1.0)) == BACKOFF_CAP
    assert retry_delay(40, Fixed(0.0)) == BACKOFF_CAP / 2
    spread = {retry_delay(5, random.Random(seed)) for seed in range(50)}
    assert len(spread) == 50 and all(timedelta(seconds=16) <= d <= timedelta(seconds=32) for d in spread)


def test_a_failure_moves_the_row_as_the_rules_say() -> None:
    rng = Fixed(0.5)
    step = after_failure(0, Failure.TRANSIENT, START, rng)
    assert (step.state, step.attempts, step.next_attempt_at) == (NotificationState.PENDING, 1, START + timedelta(seconds=1.5))
    last = after_failure(MAX_ATTEMPTS - 1, Failure.TRANSIENT, START, rng)
    assert (last.state, last.attempts) == (NotificationState.DEAD, MAX_ATTEMPTS)
    assert after_failure(3, Failure.RATE_LIMITED, START, rng).attempts == 3  # a 429 is not an attempt
    assert after_failure(0, Failure.PERMANENT, START, rng).state is NotificationState.DEAD
    assert after_failure(0, Failure.UNREACHABLE, START, rng).state is NotificationState.UNREACHABLE


def test_rates_become_sliding_windows() -> None:
    assert window(30, 1.0) == Window(30, 1.0)
    assert window(0.5, 1.0) == Window(1, 2.0)
    assert window(20, 60.0) == Window(20, 60.0)
    assert Limits().chat_window(-100) == Window(20, 60.0) and Limits().chat_window(5) == Window(1, 1.0)


def test_pacer_spaces_the_whole_bot_and_keeps_each_chat_to_its_window() -> None:
    pacer = Pacer(Limits(overall=Window(10, 1.0), private=Window(1, 1.0), group=Window(3, 60.0), safety=0.0))
    assert pacer.global_ready() == float("-inf")
    pacer.record(1, 100.0)
    assert pacer.chat_ready(1) == 101.0 and pacer.chat_ready(2) == float("-inf")
    # A little catch-up is allowed after a late wake-up, never a burst beyond the window.
    at, sent = 100.0, [100.0]
    for _ in range(30):
        at = max(at, pacer.global_ready())
        pacer.record(-1, at)
        sent.append(at)
    assert all(sum(1 for s in sent if t - 1.0 < s <= t) <= 10 for t in sent)
    assert pacer.chat_ready(-1) == sent[-3] + 60.0  # a group: three in a minute
    pacer.pause(499.0, 1)
    assert pacer.global_ready() == 500.0


def test_safety_margin_stretches_the_windows_and_widens_after_a_429() -> None:
    pacer = Pacer(Limits(private=Window(1, 1.0), safety=0.03))
    pacer.record(7, 10.0)
    assert abs(pacer.chat_ready(7) - 11.03) < 1e-9
    pacer.pause(10.0, 1)
    pacer.pause(10.2, 1)  # the same episode: widened once
    assert abs(pacer.chat_ready(7) - 11.05) < 1e-9
    pacer.record(8, 50.0)  # calm for half a minute: half of it given back
    assert abs(pacer.chat_ready(8) - 51.04) < 1e-9


def test_held_rows_go_longest_queue_first_once_their_chat_is_free() -> None:
    def row(chat_id: int, depth: int) -> ClaimedRow:
        return ClaimedRow(chat_id, chat_id, "", None, 0, None, None, START, START, depth=depth)

    held = Held()
    held.push(row(1, 2), float("-inf"), 10.0)
    held.push(row(2, 9), 10.5, 10.0)  # the deepest queue, but its chat is busy for half a second
    held.push(row(3, 5), float("-inf"), 10.0)
    assert held.next_at(10.0) == 10.0 and held.pop().chat_id == 3
    assert held.pop().chat_id == 1
    assert held.next_at(10.2) == 10.5
    assert held.next_at(10.5) == 10.5 and held.pop().chat_id == 2 and len(held) == 0


def test_short_text_is_left_alone() -> None:
    assert split_html("<b>你好</b> &amp; hi") == ["<b>你好</b> &amp; hi"]


def test_long_text_splits_on_lines_and_reopens_tags() -> None:
    lines = [f"<b>客户 {i}</b>：<i>跟进 &amp; 报价</i> <a href=\"https://example.com/{i}\">详情</a>" for i in range(400)]
    text = "<blockquote>" + "\n".join(lines) + "</blockquote>"
    parts = split_html(text)
    assert len(parts) > 1
    for part in parts:
        assert utf16_len(part) <= 4096
        error, _ = parse_html(part)
        assert error is None, (error, part[:80], part[-80:])
        assert part.startswith("<blockquote>") and part.endswith("</blockquote>")
    # Nothing lost or changed: the visible lines come back in order.
    assert [line for p in parts for line in plain(p).split("\n")] == [plain(line) for line in lines]


def test_a_line_without_breaks_is_cut_after_punctuation_or_spaces() -> None:
    text = "<b>" + "客户反馈价格偏高，希望再谈一次。" * 600 + "</b>"
    parts = split_html(text)
    assert all(utf16_len(p) <= 4096 and parse_html(p)[0] is None for p in parts)
    assert all(plain(p).endswith(("，", "。")) for p in parts[:-1])
    assert "".join(plain(p) for p in parts) == plain(text)


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.sampled_from(["", "<b>", "<i>", "<code>", '<a href="https://t.me/x?a=1&amp;b=2">']),
            st.lists(st.sampled_from([*"ab 你好，。\n😀", "&amp;", "&lt;", "&gt;", "word "]), max_size=300).map("".join),
        ),
        min_size=1, max_size=60,
    ),
    st.integers(min_value=60, max_value=600),
)
def test_any_split_is_valid_html_within_the_limit_and_loses_no_text(chunks: list[tuple[str, str]], limit: int) -> None:
    text = ""
    for tag, body in chunks:
        if tag:
            name = tag[1:].split()[0].rstrip(">")
            text += f"{tag}{body}</{name}>"
        else:
            text += body
    if not plain(text).strip():
        return
    parts = split_html(text, limit)
    for part in parts:
        assert utf16_len(part) <= limit
        assert parse_html(part)[0] is None
    # Only whitespace at the cuts may go.
    assert "".join(plain("".join(parts)).split()) == "".join(plain(text).split())


def test_preview_is_plain_and_short() -> None:
    assert preview("<b>报价单</b> &amp; 合同\n下周一" * 10, 20) == "报价单 & 合同 下周一报价单 & 合…"
