"""A notice that carries a picture (domain/outbox/model.py Picture): the dispatcher draws it when it sends
and the phone gets a photo with the text as its caption and the buttons under it; a text too long for a
caption follows the photo; a picture that cannot be drawn leaves the text to go alone; and the notice is
still sent once (its dedupe key), like any other."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import select

from bot.factory import App
from bot.outbox import outbox_of
from bot.pictures import Drawn, Easel, register_picture
from bot.sandbox import Person, Sandbox
from domain.outbox.kinds import Kind
from domain.outbox.model import Action, Phrase, Picture
from domain.outbox.notify import Notice, tell_user
from domain.reports.digests import OPEN_LAST_WEEK
from domain.team.model import Role
from storage.tables import notifications
from tests.conftest import join
from tests.fakes import FakeClock

MONDAY_10 = datetime(2026, 11, 30, 2, 0, tzinfo=UTC)  # 10:00 in Shanghai
PNG = b"\x89PNG\r\n\x1a\n" + b"0" * 64
drawn_for: list[tuple[int | None, str]] = []


async def square(easel: Easel, picture: Picture) -> Drawn:
    drawn_for.append((easel.recipient_id, easel.translator(easel.default_language)("report-chart-days")))
    return Drawn(PNG, f"square-{picture.args[0]}.png")


async def broken(easel: Easel, picture: Picture) -> Drawn:
    raise RuntimeError("the font went missing")


register_picture("test-square", square)
register_picture("test-broken", broken)


async def queue_review(app: App, person: Person, picture: Picture, amount: str = "¥1.00", day: str = "2026-11-30") -> None:
    async with app.uow() as uow:
        user = await uow.users.by_telegram_id(person.telegram_id)
        assert user is not None and user.id is not None
        await tell_user(uow, user.id, Notice(
            Kind.REPORT_WEEKLY, about=user.team_id, refs={"day": day}, actions=((Action(OPEN_LAST_WEEK),),),
            params={
                "period": Phrase("report-span", {"m1": 11, "d1": 23, "m2": 11, "d2": 29}), "amount": amount,
                "leads": 3, "leads_change": "+1", "won": 1, "won_change": "+0", "rate": "50%", "rate_change": "+10",
                "breakpoints": [Phrase("report-digest-bp-none")],
            },
            picture=picture,
        ), team_id=user.team_id, now=app.clock.now())
        await uow.commit()


async def test_the_review_arrives_as_a_photo_with_its_caption_and_buttons_once(
    app: App, sandbox: Sandbox, clock: FakeClock
) -> None:
    clock.set(MONDAY_10)
    lily = await join(app, sandbox, "lily", Role.MANAGER)
    await queue_review(app, lily, Picture("test-square", ("7",)))
    await queue_review(app, lily, Picture("test-square", ("7",)))  # the same notice again: deduplicated
    await outbox_of(app).run_once()
    [photo] = lily.photos()
    assert photo.photo == PNG and photo is lily.last
    assert "上周复盘 11月23日–11月29日" in photo.text and "新线索 3 条（比前一周 +1）" in photo.text
    assert [b[0] for b in photo.buttons] == ["📊 上周复盘"]
    assert drawn_for[-1][1] == "天"  # drawn for her, in her language
    async with app.engine.connect() as conn:
        states = (await conn.execute(select(notifications.c.state, notifications.c.picture))).all()
    assert [(str(state), picture) for state, picture in states] == [("sent", "test-square:7")]


async def test_a_text_too_long_for_a_caption_follows_the_photo(app: App, sandbox: Sandbox, clock: FakeClock) -> None:
    clock.set(MONDAY_10)
    lily = await join(app, sandbox, "lily", Role.MANAGER)
    await queue_review(app, lily, Picture("test-square", ("8",)), amount="¥" + "9" * 1200)
    await outbox_of(app).run_once()
    [photo] = lily.photos()
    assert photo.text == "" and photo.photo == PNG
    assert lily.last.photo is None and "9" * 1200 in lily.last.text and lily.last.buttons  # the text, with its buttons
    await outbox_of(app).run_once()
    assert len(lily.photos()) == 1  # not drawn and sent again


async def test_a_picture_that_cannot_be_drawn_leaves_the_text_to_go_alone(
    app: App, sandbox: Sandbox, clock: FakeClock
) -> None:
    clock.set(MONDAY_10)
    lily = await join(app, sandbox, "lily", Role.MANAGER)
    await queue_review(app, lily, Picture("test-broken"))
    await queue_review(app, lily, Picture("no-such-picture"), day="2026-12-07")
    await outbox_of(app).run_once()
    assert lily.photos() == []
    texts = [sent.text for sent in lily.chat() if "上周复盘" in sent.text]
    assert len(texts) == 2 and all(sent.photo is None for sent in lily.chat())
