"""Text a person typed is escaped once, in one place: the translator escapes every parameter of an HTML
message (bot/i18n.py, bot/formatting.py), so an error naming a team called `<i>&` is a message Telegram
accepts and shows as typed. Alerts are plain text within Telegram's 200 characters (bot/alerts.py), and
button labels plain too. Flow tests on SQLite and PostgreSQL."""

from __future__ import annotations

from aiogram.methods import AnswerCallbackQuery

from bot.alerts import ALERT_LIMIT, plain_alert
from bot.factory import App
from bot.formatting import Html, h, plain
from bot.i18n import catalogue
from bot.keyboards import button
from bot.sandbox import RecordingSession, Sandbox
from domain.team.model import Language, Role
from tests.conftest import join
from tests.deal_support import member, seed_deal
from tests.fakeapi import parse_html
from tests.fakes import START

ODD = "<i>&"
GROUP = -100500


def test_every_parameter_is_escaped_once_and_html_goes_in_as_it_is() -> None:
    t = catalogue().translator(Language.ZH)
    text = t("error-group-bound-elsewhere", team=ODD)
    assert "「&lt;i&gt;&amp;」" in text and isinstance(text, Html)
    assert t("error-group-bound-elsewhere", team=h(ODD)) == text  # escaped by hand too: still once
    assert parse_html(text) == (None, "这个群已经绑定给了「<i>&」团队，请联系管理员处理。")
    nested = t("hours-set", team=t("error-group-bound-elsewhere", team=ODD), hours="9–18")
    assert "&amp;amp;" not in nested and "&lt;i&gt;&amp;" in nested
    assert t("lead-field-line", field="x", value=3) == t("lead-field-line", field="x", value="3")  # numbers as is


def test_an_html_separator_escapes_what_is_not_html_yet() -> None:
    joined = Html(" · ").join([ODD, h(ODD), Html("<b>x</b>")])
    assert joined == "&lt;i&gt;&amp; · &lt;i&gt;&amp; · <b>x</b>" and isinstance(joined, Html)
    assert plain(joined) == f"{ODD} · {ODD} · x"


def test_labels_and_alerts_are_plain_text_and_alerts_fit_in_200_characters() -> None:
    t = catalogue().translator(Language.ZH)
    assert button(t("pool-btn-claim", n=1, company=ODD), "x").text.endswith(ODD)
    assert button(ODD, "x").text == ODD  # a raw label stays as it is
    long = plain_alert("<b>" + h(ODD * 100) + "</b>")
    assert long.startswith(ODD) and long.endswith("…") and len(long.encode("utf-16-le")) // 2 <= ALERT_LIMIT
    assert plain_alert("👍" * 150).endswith("…") and len(plain_alert("👍" * 150).encode("utf-16-le")) // 2 <= 200
    assert plain_alert("短") == "短"


async def test_an_error_naming_a_team_called_odd_is_escaped(app: App, sandbox: Sandbox, session: RecordingSession) -> None:
    odd = await join(app, sandbox, "老张", Role.MANAGER, team=ODD)
    other = await join(app, sandbox, "李经理", Role.MANAGER)
    await odd.send("/bindgroup", chat_id=GROUP, chat_type="supergroup")
    bound = session.messages(GROUP)[-1].text
    assert parse_html(bound)[0] is None and ODD in parse_html(bound)[1]

    await other.send("/bindgroup", chat_id=GROUP, chat_type="supergroup")
    refusal = session.messages(GROUP)[-1].text
    assert "「&lt;i&gt;&amp;」" in refusal
    assert parse_html(refusal) == (None, f"这个群已经绑定给了「{ODD}」团队，请联系管理员处理。")
    await odd.send("/me")
    assert parse_html(odd.last.text)[0] is None and ODD in parse_html(odd.last.text)[1]


async def test_a_stale_ping_popup_is_plain_and_at_most_200_characters(app: App, sandbox: Sandbox) -> None:
    from datetime import timedelta

    from bot.sweeps import run_sweeps

    manager_p = await join(app, sandbox, "李经理", Role.MANAGER)
    owner_p = await join(app, sandbox, "小王" + "王" * 40, Role.REP)
    company = (ODD + "华东科技") * 15  # 120 characters (a company name may have 128)
    await seed_deal(app, await member(app, owner_p), company)
    app.clock.set(START + timedelta(days=4, hours=13))  # Monday 23:00 in Shanghai: silent, and after hours
    await run_sweeps(app)

    await manager_p.send("/stale")
    calls = await manager_p.press("👋 提醒")
    [answer] = [c.method for c in calls if isinstance(c.method, AnswerCallbackQuery)]
    text = answer.text or ""
    assert answer.show_alert and len(text.encode("utf-16-le")) // 2 <= ALERT_LIMIT, len(text)
    assert "现在是非工作时间" in text and ODD in text and "&lt;" not in text and "&amp;" not in text
