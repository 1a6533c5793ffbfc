"""An e-signature provider's callback signs a contract, on SQLite and PostgreSQL: the customer's
integrator points their e-signature service at POST /api/v1/esign/webhook-signed/<team id> and signs each
callback with the secret in ESIGN_SECRETS. A signed callback signs the contract once (a repeat changes
nothing), the deal moves to the payment stage and the owner is told; a bad or stale signature is 401, an
unknown contract or another team's is 404, all as problem+json."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from datetime import timedelta
from typing import Any

import pytest
from aiohttp.test_utils import TestClient, TestServer
from sqlalchemy import func, select

from bot.config import Settings
from bot.factory import App
from bot.sandbox import Person, Sandbox
from bot.web import build_web_app
from domain.contracts import services as contracts
from domain.contracts.model import ContractStatus
from domain.contracts.plan import Template
from domain.contracts.signature import InChatSignature
from domain.deals.model import Stage
from domain.team.model import Role
from domain.webhooks.delivery import sign
from handlers.contracts.common import CAct, ContractCb
from storage.tables import audit_events
from tests.conftest import join
from tests.deal_support import deal_row, inbox, member
from tests.fakes import FakeClock
from tests.quote_support import crew, deal_with_needs, seed_catalog
from tests.test_payment_flow import accepted_quote

SECRET = "east-and-every-team-secret"
SOUTH_SECRET = "south-only-secret"
PATH = "/api/v1/esign/webhook-signed/{team}"
DIGEST = "9f2c" * 16
LABELS = {"signing": "签约后", "delivery": "交付后", "acceptance": "验收后", "month": "第{n}期"}


@pytest.fixture
def settings(db_url: str) -> Settings:
    return Settings(
        _env_file=None,  # type: ignore[call-arg]
        database_url=db_url, bot_token=None, redis_url=None, throttle_per_second=1000.0,
        esign_secrets={"webhook-signed": SECRET, "webhook-signed:2": SOUTH_SECRET},
    )


@pytest.fixture
async def client(app: App) -> AsyncIterator[TestClient[Any, Any]]:
    async with TestClient(TestServer(build_web_app(app))) as test_client:
        yield test_client


def callback(number: str = "HT-2026-0001", **changes: Any) -> bytes:
    body = {
        "status": "signed", "contract_no": number, "envelope_id": "env-8842",
        "signed_at": "2026-11-26T10:30:00+08:00", "document_url": "https://esign.example.com/env-8842.pdf",
        "document_sha256": DIGEST, "document_name": "HT-2026-0001.pdf", **changes,
    }
    return json.dumps(body, ensure_ascii=False).encode()


async def post(client: TestClient[Any, Any], clock: FakeClock, body: bytes, *, team: int = 1, secret: str = SECRET,
               age: timedelta = timedelta(0), provider: str = "webhook-signed") -> Any:
    stamp = int((clock.now() - age).timestamp())
    return await client.post(
        PATH.format(team=team).replace("webhook-signed", provider), data=body,
        headers={"Content-Type": "application/json", "X-Loopbot-Signature": sign(secret, stamp, body),
                 "Accept-Language": "zh-CN"},
    )


async def sent_contract(app: App, sandbox: Sandbox) -> tuple[Person, int, int]:
    """The rep's contract HT-2026-0001 from the accepted quote, 30/60/10, sent for signature."""
    c = await crew(app, sandbox)
    products = await seed_catalog(app, c.manager)
    deal_id = await deal_with_needs(app, c.rep)
    await accepted_quote(app, c.rep, deal_id, products[0].id or 0)
    async with app.uow() as uow:
        now = app.clock.now()
        contract = await contracts.open_contract(uow, actor=c.rep, opportunity_id=deal_id, now=now)
        assert contract.id is not None and contract.team_id == 1
        await contracts.apply_template(uow, actor=c.rep, contract_id=contract.id, template=Template.SPLIT_30_60_10,
                                       labels=LABELS, now=now)
        await contracts.send_for_signature(uow, actor=c.rep, contract_id=contract.id, provider=InChatSignature(),
                                           now=now)
        await uow.commit()
    return c.rep_p, deal_id, contract.id


async def contract_now(app: App, contract_id: int) -> Any:
    async with app.uow() as uow:
        contract = await uow.contracts.get(contract_id)
        milestones = list(await uow.contracts.milestones(contract_id))
    return contract, milestones


async def signed_audits(app: App) -> int:
    async with app.engine.connect() as conn:
        stmt = select(func.count()).select_from(audit_events).where(audit_events.c.action == "contract.signed")
        return int((await conn.execute(stmt)).scalar_one())


async def test_a_signed_callback_signs_the_contract_once(
    app: App, sandbox: Sandbox, clock: FakeClock, client: TestClient[Any, Any]
) -> None:
    rep_p, deal_id, contract_id = await sent_contract(app, sandbox)
    rep = await member(app, rep_p)
    assert (await deal_row(app, deal_id)).stage is Stage.CONTRACT

    response = await post(client, clock, callback())
    assert response.status == 200, await response.text()
    assert await response.json() == {"outcome": "signed", "contract_no": "HT-2026-0001", "status": "signed"}
    contract, milestones = await contract_now(app, contract_id)
    assert contract.status is ContractStatus.SIGNED and contract.provider == "webhook-signed"
    assert contract.signature_ref == "env-8842" and contract.document_hash == DIGEST
    assert contract.document_url == "https://esign.example.com/env-8842.pdf" and contract.document_file_id is None
    assert contract.signed_by is None  # nobody in chat signed it
    assert all(m.check_at is not None for m in milestones)  # the payment reminders run
    assert (await deal_row(app, deal_id)).stage is Stage.PAYMENT
    told = [text for text in await inbox(app, rep) if "电子签" in text]
    assert len(told) == 1 and "HT-2026-0001" in told[0] and "webhook-signed" in told[0], told
    # The contract says how it was signed and where the signed document is.
    await rep_p.press_data(ContractCb(act=CAct.SHOW, id=contract_id).pack())
    screen = rep_p.last.text
    assert "已签署" in screen and "电子签：webhook-signed，签署流程号 env-8842" in screen, screen
    assert "签署件地址：https://esign.example.com/env-8842.pdf" in screen

    # The provider repeats its callback (a retry, a second delivery): acknowledged, nothing changes.
    clock.advance(minutes=1)
    again = await post(client, clock, callback())
    assert again.status == 200
    assert (await again.json())["outcome"] == "already_signed"
    assert await signed_audits(app) == 1
    assert len([text for text in await inbox(app, rep) if "电子签" in text]) == 1

    # Another status (the provider tells of a decline, say) is acknowledged and changes nothing.
    other = await post(client, clock, callback(status="declined"))
    assert other.status == 200 and (await other.json())["outcome"] == "ignored"


async def test_a_bad_or_stale_signature_is_refused_as_problem_json(
    app: App, sandbox: Sandbox, clock: FakeClock, client: TestClient[Any, Any]
) -> None:
    _rep, _deal_id, contract_id = await sent_contract(app, sandbox)
    for response in (
        await post(client, clock, callback(), secret="guessed"),
        await post(client, clock, callback(), age=timedelta(minutes=6)),  # a replay of an old callback
        await client.post(PATH.format(team=1), data=callback(), headers={"Content-Type": "application/json"}),
    ):
        assert response.status == 401
        assert response.content_type == "application/problem+json"
        problem = await response.json()
        assert problem["status"] == 401 and problem["type"] == "/problems/esign-signature"
    # Signed right, but the body was changed on the way: the signature covers the raw body.
    body = callback()
    stamp = int(clock.now().timestamp())
    forged = await client.post(PATH.format(team=1), data=body.replace(b"env-8842", b"env-0000"),
                               headers={"X-Loopbot-Signature": sign(SECRET, stamp, body)})
    assert forged.status == 401
    contract, _ = await contract_now(app, contract_id)
    assert contract.status is ContractStatus.SENT and await signed_audits(app) == 0

    # A malformed callback, signed right: 422 naming the field.
    bad = await post(client, clock, callback(document_sha256="not-a-hash"))
    assert bad.status == 422 and bad.content_type == "application/problem+json"
    assert (await bad.json())["errors"][0]["field"] == "document_sha256"


async def test_an_unknown_contract_another_teams_or_an_unknown_provider_is_not_found(
    app: App, sandbox: Sandbox, clock: FakeClock, client: TestClient[Any, Any]
) -> None:
    _rep, _deal_id, contract_id = await sent_contract(app, sandbox)
    south = await member(app, await join(app, sandbox, "华南经理", Role.MANAGER, team="华南销售部"))
    assert south.team_id == 2

    missing = await post(client, clock, callback("HT-2026-0099"))
    assert missing.status == 404 and missing.content_type == "application/problem+json"
    assert (await missing.json())["detail"] == "找不到这份合同。"
    # Team 2's secret, team 2's path, team 1's contract number: team 2 has no such contract.
    other_team = await post(client, clock, callback(), team=2, secret=SOUTH_SECRET)
    assert other_team.status == 404
    # Team 2's secret does not sign for team 1 (team 1 has the provider's shared secret).
    assert (await post(client, clock, callback(), team=1, secret=SOUTH_SECRET)).status == 401
    # A provider nobody registered, or a team that is not a number: not found.
    assert (await post(client, clock, callback(), provider="docusign")).status == 404
    assert (await client.post("/api/v1/esign/webhook-signed/east", data=callback())).status == 404
    contract, _ = await contract_now(app, contract_id)
    assert contract.status is ContractStatus.SENT


async def test_a_provider_without_a_secret_is_off(app: App, clock: FakeClock) -> None:
    app.settings.esign_secrets.clear()
    async with TestClient(TestServer(build_web_app(app))) as off:
        response = await post(off, clock, callback())
        assert response.status == 404 and (await response.json())["type"] == "/problems/esign-unknown"


async def test_a_deal_handed_over_moves_on_in_its_new_owners_name(
    app: App, sandbox: Sandbox, clock: FakeClock, client: TestClient[Any, Any]
) -> None:
    _rep_p, deal_id, contract_id = await sent_contract(app, sandbox)
    async with app.uow() as uow:
        [new_owner] = [u for u in await uow.users.in_team(1) if u.name == "小李"]  # the crew's other rep
        deal = await uow.opportunities.get(deal_id)
        assert deal is not None
        deal.owner_id = new_owner.id
        await uow.commit()
    response = await post(client, clock, callback())
    assert response.status == 200 and (await response.json())["outcome"] == "signed"
    assert (await deal_row(app, deal_id)).stage is Stage.PAYMENT
    async with app.engine.connect() as conn:
        stmt = select(audit_events.c.actor_id).where(audit_events.c.action == "opportunity.stage")
        assert [row[0] for row in await conn.execute(stmt)][-1] == new_owner.id
    contract, _ = await contract_now(app, contract_id)
    assert contract.status is ContractStatus.SIGNED


def test_the_secrets_are_read_from_json_and_a_teams_own_wins(monkeypatch: pytest.MonkeyPatch) -> None:
    from bot.config import SettingsError, load_settings

    monkeypatch.setenv("ESIGN_SECRETS", '{"webhook-signed": "shared", "webhook-signed:3": "third"}')
    loaded = load_settings(_env_file=None, bot_token=None)
    assert loaded.esign_secret("webhook-signed", 1) == "shared" and loaded.esign_secret("webhook-signed", 3) == "third"
    assert loaded.esign_secret("docusign", 1) is None
    monkeypatch.setenv("ESIGN_SECRETS", "")
    assert load_settings(_env_file=None, bot_token=None).esign_secrets == {}
    monkeypatch.setenv("ESIGN_SECRETS", "webhook-signed=oops")
    with pytest.raises(SettingsError, match="ESIGN_SECRETS: must be JSON"):
        load_settings(_env_file=None, bot_token=None)


async def test_callbacks_are_counted_in_metrics_and_a_flood_is_told_to_wait(
    app: App, sandbox: Sandbox, clock: FakeClock, client: TestClient[Any, Any]
) -> None:
    """/metrics counts each callback by outcome; past INTAKE_PER_MINUTE callbacks a minute for one provider
    and team, the next gets 429 with Retry-After (before its signature is even checked), other teams not."""
    await sent_contract(app, sandbox)
    assert (await post(client, clock, callback())).status == 200
    assert (await post(client, clock, callback())).status == 200  # the repeat: already signed
    assert (await post(client, clock, callback(), secret="guessed")).status == 401
    text = await (await client.get("/metrics")).text()
    assert 'loopbot_esign_callbacks_total{outcome="signed"} 1.0' in text
    assert 'loopbot_esign_callbacks_total{outcome="already_signed"} 1.0' in text
    assert 'loopbot_esign_callbacks_total{outcome="unauthorized"} 1.0' in text

    for _ in range(app.settings.intake_per_minute - 3):
        await post(client, clock, callback(), secret="guessed")
    flooded = await post(client, clock, callback())
    assert flooded.status == 429 and int(flooded.headers["Retry-After"]) >= 1
    assert flooded.content_type == "application/problem+json"
    other_team = await post(client, clock, callback(), team=2, secret=SOUTH_SECRET)
    assert other_team.status == 404  # team 2 has no such contract: it was not held back by team 1's flood
    text = await (await client.get("/metrics")).text()
    assert 'loopbot_esign_callbacks_total{outcome="rate_limited"} 1.0' in text
