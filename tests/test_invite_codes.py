"""Invite codes and the other deep links that share /start: an invite whose random code happened to start
like a survey link ("s_…", about one in 4,096) was answered "这个评价链接无效" instead of letting the person
join (seen in a full suite run)."""

from __future__ import annotations

import pytest

from domain.team import onboarding
from domain.tickets import surveys


def test_the_survey_links_prefix_is_one_an_invite_code_never_takes() -> None:
    assert surveys.LINK_PREFIX in onboarding.OTHER_LINKS


def test_an_invite_code_drawn_like_a_survey_link_is_drawn_again(monkeypatch: pytest.MonkeyPatch) -> None:
    drawn = iter(["s_" + "a" * 40, "s_" + "b" * 40, "Xy" + "c" * 40])
    monkeypatch.setattr(onboarding.secrets, "token_urlsafe", lambda _n: next(drawn))
    code = onboarding.new_invite_code()
    assert code == ("Xy" + "c" * 40)[: onboarding.INVITE_CODE_LENGTH]
    assert not code.startswith(surveys.LINK_PREFIX)
