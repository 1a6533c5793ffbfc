"""Team set-up rules, against in-memory fakes (no database, no Telegram)."""

from __future__ import annotations

from datetime import timedelta

import pytest

from domain.errors import AlreadyDone, Forbidden, InvalidInput
from domain.permissions import may_manage_member
from domain.team import onboarding
from domain.team.model import Language, Role, User
from tests.fakes import START, FakeUnitOfWork


async def team_with(uow: FakeUnitOfWork, name: str = "华东") -> int:
    team = await onboarding.ensure_team(uow, name=name, timezone="Asia/Shanghai", now=START)
    assert team.id is not None
    return team.id


async def member(uow: FakeUnitOfWork, role: Role, team_id: int, telegram_id: int) -> User:
    return await uow.users.add(User(telegram_id=telegram_id, name=f"u{telegram_id}", role=role, team_id=team_id))


async def test_code_is_a_valid_deep_link_payload_and_only_its_hash_is_stored() -> None:
    uow = FakeUnitOfWork()
    team_id = await team_with(uow)
    code, invite = await onboarding.create_invite(uow, actor=None, role=Role.ADMIN, team_id=team_id, now=START)
    assert len(code) <= 64 and all(c.isalnum() or c in "-_" for c in code)
    assert invite.code_hash != code and code not in repr(uow.invites.rows)
    assert invite.expires_at == START + timedelta(days=7)


async def test_manager_invites_reps_and_finance_into_own_team_only() -> None:
    uow = FakeUnitOfWork()
    east, south = await team_with(uow, "华东"), await team_with(uow, "华南")
    manager = await member(uow, Role.MANAGER, east, 1)
    for role in (Role.REP, Role.FINANCE):
        await onboarding.create_invite(uow, actor=manager, role=role, team_id=east, now=START)
    for role in (Role.ADMIN, Role.MANAGER):
        with pytest.raises(Forbidden):
            await onboarding.create_invite(uow, actor=manager, role=role, team_id=east, now=START)
    with pytest.raises(Forbidden):
        await onboarding.create_invite(uow, actor=manager, role=Role.REP, team_id=south, now=START)
    rep = await member(uow, Role.REP, east, 2)
    with pytest.raises(Forbidden):
        await onboarding.create_invite(uow, actor=rep, role=Role.REP, team_id=east, now=START)


async def test_redeem_checks_unknown_used_expired_and_already_registered() -> None:
    uow = FakeUnitOfWork()
    team_id = await team_with(uow)
    code, _ = await onboarding.create_invite(uow, actor=None, role=Role.REP, team_id=team_id, now=START)

    with pytest.raises(InvalidInput) as unknown:
        await onboarding.redeem_invite(uow, code="nope", telegram_id=9, name="x", username=None, language=None, now=START)
    assert unknown.value.code == "error-invite-unknown"

    user, team = await onboarding.redeem_invite(
        uow, code=code, telegram_id=10, name="小王", username="wang", language=Language.ZH, now=START
    )
    assert user.role is Role.REP and team.id == team_id and user.language is Language.ZH

    with pytest.raises(InvalidInput) as used:
        await onboarding.redeem_invite(uow, code=code, telegram_id=11, name="y", username=None, language=None, now=START)
    assert used.value.code == "error-invite-used"

    with pytest.raises(AlreadyDone):
        await onboarding.redeem_invite(uow, code=code, telegram_id=10, name="小王", username=None, language=None, now=START)

    late_code, _ = await onboarding.create_invite(uow, actor=None, role=Role.REP, team_id=team_id, now=START)
    with pytest.raises(InvalidInput) as expired:
        await onboarding.redeem_invite(
            uow, code=late_code, telegram_id=12, name="z", username=None, language=None,
            now=START + timedelta(days=7),
        )
    assert expired.value.code == "error-invite-expired"


async def test_who_may_deactivate_whom() -> None:
    uow = FakeUnitOfWork()
    east, south = await team_with(uow, "华东"), await team_with(uow, "华南")
    admin = await member(uow, Role.ADMIN, east, 1)
    manager = await member(uow, Role.MANAGER, east, 2)
    peer = await member(uow, Role.MANAGER, east, 3)
    rep = await member(uow, Role.REP, east, 4)
    outsider = await member(uow, Role.REP, south, 5)

    assert may_manage_member(manager, rep)
    assert not may_manage_member(manager, peer)
    assert not may_manage_member(manager, manager)
    assert not may_manage_member(manager, outsider)
    assert may_manage_member(admin, outsider)

    await onboarding.set_member_active(uow, actor=manager, user_id=rep.id or 0, active=False, now=START)
    assert rep.active is False
    with pytest.raises(AlreadyDone):
        await onboarding.set_member_active(uow, actor=manager, user_id=rep.id or 0, active=False, now=START)
    with pytest.raises(Forbidden):
        await onboarding.set_member_active(uow, actor=manager, user_id=outsider.id or 0, active=False, now=START)
    assert [e.action for e in uow.audit.events if e.entity == "user"] == ["user.deactivated"]


async def test_a_group_belongs_to_one_team_and_only_an_admin_moves_it() -> None:
    uow = FakeUnitOfWork()
    east, south = await team_with(uow, "华东"), await team_with(uow, "华南")
    east_manager = await member(uow, Role.MANAGER, east, 1)
    south_manager = await member(uow, Role.MANAGER, south, 2)
    south_admin = await member(uow, Role.ADMIN, south, 3)
    rep = await member(uow, Role.REP, east, 4)

    await onboarding.bind_group(uow, actor=east_manager, chat_id=-100, now=START)
    with pytest.raises(Forbidden):
        await onboarding.bind_group(uow, actor=rep, chat_id=-100, now=START)
    with pytest.raises(Forbidden) as elsewhere:
        await onboarding.bind_group(uow, actor=south_manager, chat_id=-100, now=START)
    assert elsewhere.value.params == {"team": "华东"}
    moved = await onboarding.bind_group(uow, actor=south_admin, chat_id=-100, now=START)
    assert moved.id == south and (await uow.teams.get(east)).group_chat_id is None  # type: ignore[union-attr]


def test_language_pick_prefers_profile_then_telegram_then_default() -> None:
    assert Language.pick("en", "zh-hans") is Language.EN
    assert Language.pick(None, "zh-hant") is Language.ZH
    assert Language.pick(None, "ru", default=Language.EN) is Language.EN
    assert Language.pick(None, None) is Language.ZH


async def test_team_names_are_trimmed_and_bounded() -> None:
    uow = FakeUnitOfWork()
    team = await onboarding.ensure_team(uow, name="  华东   一部 ", timezone="Asia/Shanghai", now=START)
    assert team.name == "华东 一部"
    with pytest.raises(InvalidInput):
        await onboarding.ensure_team(uow, name=" ", timezone="Asia/Shanghai", now=START)
    with pytest.raises(InvalidInput):
        await onboarding.ensure_team(uow, name="x", timezone="Mars/Olympus", now=START)
