"""One way to say no (bot/errors.py): a refusal escaping a handler rolls the update back, FSM changes
included, answers in the person's language, and the update still counts as processed."""

from __future__ import annotations

from datetime import UTC, datetime

from aiogram.filters.callback_data import CallbackData
from aiogram.fsm.context import FSMContext
from aiogram.methods import AnswerCallbackQuery, SendMessage
from aiogram.types import CallbackQuery, Chat, Message, Update
from sqlalchemy import func, select

from bot.errors import refusing
from bot.factory import App
from bot.sandbox import Call, Person, Sandbox
from domain.clock import Clock
from domain.ports import UnitOfWork
from domain.team import onboarding
from domain.team.model import Role, User
from storage.tables import fsm_states, teams, users
from tests.conftest import join

PROBE_TEAM = "探针团队"


class Probe(CallbackData, prefix="probe"):
    leave_flow: bool = False


async def on_probe(
    query: CallbackQuery, callback_data: Probe, user: User, uow: UnitOfWork, state: FSMContext, clock: Clock
) -> None:
    """Writes a row and moves the flow on, then a service refuses (nobody may deactivate themselves)."""
    await state.set_state("Probing:second_step")
    await state.update_data(step=2)
    await onboarding.ensure_team(uow, name=PROBE_TEAM, timezone="Asia/Shanghai", now=clock.now())
    assert user.id is not None
    with refusing(leave_flow=callback_data.leave_flow):
        await onboarding.set_member_active(uow, actor=user, user_id=user.id, active=False, now=clock.now())


def install_probe(app: App) -> None:
    # On the Dispatcher itself: its own handlers come before every feature router (and the catch-all).
    app.dp.callback_query.register(on_probe, Probe.filter())


def press_update(sandbox: Sandbox, person: Person, data: str) -> Update:
    message = Message(message_id=1, date=datetime.now(UTC), chat=Chat(id=person.telegram_id, type="private"), text=".")
    query = CallbackQuery(
        id=str(next(sandbox.update_ids)), from_user=person.tg, chat_instance="sandbox", message=message, data=data
    )
    return Update(update_id=next(sandbox.update_ids), callback_query=query)


def alerts(calls: list[Call]) -> list[AnswerCallbackQuery]:
    return [c.method for c in calls if isinstance(c.method, AnswerCallbackQuery)]


async def count(app: App, table, *where) -> int:  # type: ignore[no-untyped-def]
    async with app.engine.connect() as conn:
        return int((await conn.execute(select(func.count()).select_from(table).where(*where))).scalar_one())


async def fsm_of(app: App, person: Person) -> tuple[str | None, dict[str, object] | None]:
    async with app.engine.connect() as conn:
        rows = (await conn.execute(select(fsm_states.c.key, fsm_states.c.state, fsm_states.c.data))).all()
    mine = [(row.state, row.data) for row in rows if f":{person.telegram_id}:" in row.key]
    return mine[0] if mine else (None, None)


async def test_a_refused_press_leaves_nothing_behind_and_is_answered_once(app: App, sandbox: Sandbox) -> None:
    install_probe(app)
    manager = await join(app, sandbox, "经理", Role.MANAGER)
    update = press_update(sandbox, manager, Probe().pack())

    first = await sandbox.feed(update)
    assert [a.text for a in alerts(first)] == ["你不能更改这位成员的状态。"]
    assert alerts(first)[0].show_alert
    assert await count(app, teams, teams.c.name == PROBE_TEAM) == 0
    assert await fsm_of(app, manager) == (None, None)

    again = await sandbox.feed(update)  # Telegram delivers it a second time
    assert again == []


async def test_a_refusal_keeps_the_open_flow_as_it_was_unless_it_leaves_it(app: App, sandbox: Sandbox) -> None:
    install_probe(app)
    admin = await join(app, sandbox, "admin", Role.ADMIN)
    await admin.send("/invite")  # a flow is open: choosing a role
    before = await fsm_of(app, admin)
    assert before[0] == "InviteFlow:choosing_role"

    await sandbox.feed(press_update(sandbox, admin, Probe().pack()))
    assert await fsm_of(app, admin) == before
    await admin.press("销售")  # the flow goes on where it was
    assert "加入哪个团队" in admin.last.text

    await sandbox.feed(press_update(sandbox, admin, Probe(leave_flow=True).pack()))
    assert await fsm_of(app, admin) == (None, None)
    assert await count(app, teams, teams.c.name == PROBE_TEAM) == 0


async def test_a_refused_message_is_answered_in_the_persons_language(app: App, sandbox: Sandbox) -> None:
    rep = await join(app, sandbox, "rep", Role.REP, language_code="en")
    calls = await rep.send("/hours 9-18")
    texts = [c.method.text for c in calls if isinstance(c.method, SendMessage)]
    assert texts == ["Only a sales manager or admin can change the working hours."]


async def test_writing_to_the_bot_makes_one_reachable_even_when_refused(app: App, sandbox: Sandbox) -> None:
    install_probe(app)
    manager = await join(app, sandbox, "经理", Role.MANAGER)
    async with app.engine.begin() as conn:
        await conn.execute(users.update().where(users.c.telegram_id == manager.telegram_id).values(reachable=False))

    calls = await sandbox.feed(press_update(sandbox, manager, Probe().pack()))
    assert alerts(calls)
    assert await count(app, users, users.c.telegram_id == manager.telegram_id, users.c.reachable.is_(True)) == 1
