"""The HTTP API, on aiohttp (already under aiogram): lead intake from channels outside the chat,
/healthz and /metrics. `python -m bot run` serves it when HTTP_PORT is set.

POST /api/v1/leads   Authorization: Bearer <key from /apikeys> (or X-Api-Key), JSON body of the lead's
                     facts (domain/leads/capture.py checks them, as for a rep's capture); optional
                     Idempotency-Key. 201 a new lead, 200 a known one (the submission became a note on it).
POST /api/v1/esign/<provider>/<team id>   an e-signature provider's status callback, signed by it
                     (domain/contracts/providers.py): 200 {"outcome": "signed" | "already_signed" |
                     "ignored"}; a repeated callback records once.
GET  /healthz        200 when the database answers and the scheduler ticks; 503 otherwise. JSON.
GET  /metrics        Prometheus text format (bot/metrics.py).

Errors are RFC 9457 problem details (application/problem+json), in the caller's language
(Accept-Language: zh → 简体中文, else English), naming the field at fault.
"""

from __future__ import annotations

import hashlib
import html
import json
import logging
import secrets
import time
from collections import deque
from collections.abc import Hashable, Mapping
from typing import Any
from urllib.parse import urlsplit

from aiogram.webhook.aiohttp_server import SimpleRequestHandler
from aiohttp import web
from pydantic import BaseModel, ConfigDict, ValidationError
from sqlalchemy import text as sql_text
from sqlalchemy.exc import IntegrityError

from bot.app import App
from bot.config import Settings
from domain.contracts import services as contracts
from domain.contracts.providers import PROVIDERS
from domain.errors import AlreadyDone, DomainError, NotFound
from domain.intake import services as intake
from domain.team.model import Language
from storage.health import outbox_health

log = logging.getLogger(__name__)

PROBLEM = "application/problem+json"
DEFAULT_WEBHOOK_PORT = 8080
MAX_BODY = 64 * 1024
APP_KEY: web.AppKey[App] = web.AppKey("app", App)


class LeadIn(BaseModel):
    """The request body: the lead's facts as text (the capture spec reads and checks each)."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    company: str
    contact_name: str | None = None
    phone: str | None = None
    email: str | None = None
    need: str | None = None
    budget: str | None = None
    budget_note: str | None = None
    authority: str | None = None
    timeline: str | None = None
    industry: str | None = None
    region: str | None = None
    product: str | None = None


class RateLimiter:
    """At most `per_minute` requests per key (an API key's id, a client's address) in any 60 seconds
    (sliding window, in this process)."""

    MAX_TRACKED = 10_000

    def __init__(self, per_minute: int) -> None:
        self.per_minute = per_minute
        self._seen: dict[Hashable, deque[float]] = {}

    def wait_for(self, key: Hashable, now: float | None = None) -> float:
        """0 when the request may go on (and it is counted); else the seconds until it may."""
        at = time.monotonic() if now is None else now
        seen = self._seen.get(key)
        if seen is None:
            if len(self._seen) >= self.MAX_TRACKED:
                self._forget_idle(at)
            seen = self._seen[key] = deque()
        while seen and seen[0] <= at - 60.0:
            seen.popleft()
        if len(seen) >= self.per_minute:
            return max(0.001, seen[0] + 60.0 - at)
        seen.append(at)
        return 0.0

    def _forget_idle(self, at: float) -> None:
        for key in [k for k, seen in self._seen.items() if not seen or seen[-1] <= at - 60.0]:
            del self._seen[key]


LIMITER_KEY: web.AppKey[RateLimiter] = web.AppKey("limiter", RateLimiter)
FORM_LIMITER_KEY: web.AppKey[RateLimiter] = web.AppKey("form_limiter", RateLimiter)
ESIGN_LIMITER_KEY: web.AppKey[RateLimiter] = web.AppKey("esign_limiter", RateLimiter)
STARTED_KEY: web.AppKey[float] = web.AppKey("started", float)
WEBHOOK_KEY: web.AppKey[SimpleRequestHandler] = web.AppKey("webhook", SimpleRequestHandler)


def language_of(request: web.Request) -> Language:
    accept = request.headers.get("Accept-Language", "").strip().lower()
    return Language.ZH if accept.startswith("zh") else Language.EN


def problem(
    request: web.Request, status: int, code: str, *, field: str | None = None, headers: dict[str, str] | None = None,
    params: Mapping[str, object] | None = None,
) -> web.Response:
    app = request.app[APP_KEY]
    detail = app.catalogue.get(language_of(request), code, **dict(params or {}))
    body: dict[str, Any] = {
        "type": f"/problems/{code.removeprefix('error-')}",
        "title": _TITLES.get(status, "Error"),
        "status": status,
        "detail": detail,
    }
    if field is not None:
        body["errors"] = [{"field": field, "detail": detail}]
    return web.Response(
        status=status, text=json.dumps(body, ensure_ascii=False), content_type=PROBLEM, charset="utf-8",
        headers=headers,
    )


_TITLES = {
    400: "Bad Request", 401: "Unauthorized", 404: "Not Found", 409: "Conflict", 413: "Payload Too Large",
    415: "Unsupported Media Type",
    422: "Unprocessable Content", 429: "Too Many Requests", 503: "Service Unavailable",
}


def presented_key(request: web.Request) -> str | None:
    auth = request.headers.get("Authorization", "")
    scheme, _, token = auth.partition(" ")
    if scheme.lower() == "bearer" and token.strip():
        return token.strip()
    return request.headers.get("X-Api-Key") or None


async def post_lead(request: web.Request) -> web.Response:
    app = request.app[APP_KEY]
    metrics = app.metrics
    # The key first: nobody learns anything about the body's rules without one.
    async with app.uow() as uow:
        try:
            key = await intake.authenticate(uow, presented_key(request))
        except DomainError as exc:
            metrics.intake.labels("unauthorized").inc()
            return problem(request, 401, exc.code, headers={"WWW-Authenticate": 'Bearer realm="loopbot"'})
    assert key.id is not None
    wait = request.app[LIMITER_KEY].wait_for(key.id)
    if wait > 0:
        metrics.intake.labels("rate_limited").inc()
        seconds = max(1, int(wait + 0.999))
        return problem(request, 429, "error-intake-too-many", params={"seconds": seconds}, headers={"Retry-After": str(seconds)})
    if request.content_length is not None and request.content_length > MAX_BODY:
        metrics.intake.labels("invalid").inc()
        return problem(request, 413, "error-intake-body")
    if request.content_type != "application/json":
        metrics.intake.labels("invalid").inc()
        return problem(request, 415, "error-intake-body")
    try:
        raw = await request.content.read(MAX_BODY + 1)
        if len(raw) > MAX_BODY:
            return problem(request, 413, "error-intake-body")
        payload = json.loads(raw.decode("utf-8"))
    except (ValueError, UnicodeDecodeError):
        metrics.intake.labels("invalid").inc()
        return problem(request, 400, "error-intake-body")
    if not isinstance(payload, dict):
        metrics.intake.labels("invalid").inc()
        return problem(request, 400, "error-intake-body")
    try:
        body = LeadIn.model_validate(payload)
        idempotency_key = intake.valid_idempotency_key(request.headers.get("Idempotency-Key"))
        draft = intake.read_submission(body.model_dump(exclude_none=True))
    except ValidationError as exc:
        metrics.intake.labels("invalid").inc()
        return _validation_problem(request, exc)
    except intake.FieldRejected as exc:
        metrics.intake.labels("invalid").inc()
        return problem(request, 422, exc.code, field=exc.at, params=exc.params)
    for attempt in (1, 2):
        try:
            async with app.uow() as uow:
                key_now = await intake.authenticate(uow, presented_key(request))
                result = await intake.capture_via_key(
                    uow, key=key_now, draft=draft, idempotency_key=idempotency_key, now=app.clock.now()
                )
                await uow.commit()
            break
        except IntegrityError:
            # Two requests with one Idempotency-Key at once: the other won; the retry replays its answer.
            if attempt == 2 or idempotency_key is None:
                log.exception("intake: could not record a lead")
                metrics.intake.labels("error").inc()
                return problem(request, 503, "error-intake-busy")
        except intake.FieldRejected as exc:
            metrics.intake.labels("invalid").inc()
            return problem(request, 422, exc.code, field=exc.at, params=exc.params)
        except DomainError as exc:
            metrics.intake.labels("refused").inc()
            status = 401 if isinstance(exc, intake.KeyRejected) else 422
            return problem(request, status, exc.code, params=exc.params)
    metrics.intake.labels("replayed" if result.replayed else result.outcome).inc()
    status = 200 if result.outcome == "duplicate" else 201
    headers = {"Idempotent-Replayed": "true"} if result.replayed else None
    return web.json_response(
        {"lead_id": result.lead.id, "deal_id": result.opportunity_id, "outcome": result.outcome},
        status=status, headers=headers,
    )


async def post_esign(request: web.Request) -> web.Response:
    """An e-signature provider says a contract was signed. Checked in this order, each telling nothing
    about the next: the provider is known and has a secret (404), the provider and team are within
    INTAKE_PER_MINUTE callbacks a minute (429), the request carries its valid, recent signature over the
    raw body (401), the body reads (400/422), the contract is the team's (404). Each outcome is counted
    in /metrics (loopbot_esign_callbacks)."""
    outcome, response = await _esign(request)
    request.app[APP_KEY].metrics.esign.labels(outcome).inc()
    return response


async def _esign(request: web.Request) -> tuple[str, web.Response]:
    app = request.app[APP_KEY]
    name = request.match_info["provider"]
    provider = PROVIDERS.get(name)
    team_text = request.match_info["team"]
    team_id = int(team_text) if team_text.isdigit() and len(team_text) < 10 else None
    secret = app.settings.esign_secret(name, team_id) if provider is not None and team_id is not None else None
    if provider is None or team_id is None or secret is None:
        return "unknown", problem(request, 404, "error-esign-unknown")
    wait = request.app[ESIGN_LIMITER_KEY].wait_for((name, team_id))
    if wait > 0:
        seconds = max(1, int(wait + 0.999))
        return "rate_limited", problem(
            request, 429, "error-intake-too-many", params={"seconds": seconds}, headers={"Retry-After": str(seconds)}
        )
    if request.content_length is not None and request.content_length > MAX_BODY:
        return "invalid", problem(request, 413, "error-intake-body")
    raw = await request.content.read(MAX_BODY + 1)
    if len(raw) > MAX_BODY:
        return "invalid", problem(request, 413, "error-intake-body")
    now = app.clock.now()
    if not provider.verify(request.headers, raw, secret, now):
        return "unauthorized", problem(request, 401, "error-esign-signature")
    try:
        payload = json.loads(raw.decode("utf-8"))
    except (ValueError, UnicodeDecodeError):
        return "invalid", problem(request, 400, "error-intake-body")
    if not isinstance(payload, dict):
        return "invalid", problem(request, 400, "error-intake-body")
    try:
        event = provider.signed(payload)
    except DomainError as exc:
        return "invalid", problem(request, 422, exc.code, field=str(exc.params.get("field") or "body"), params=exc.params)
    if event is None:
        return "ignored", web.json_response({"outcome": "ignored"})
    try:
        async with app.uow() as uow:
            done = await contracts.record_provider_signature(uow, team_id=team_id, event=event, now=now)
            await uow.commit()
    except NotFound as exc:
        return "not_found", problem(request, 404, exc.code)
    except AlreadyDone as exc:
        return "conflict", problem(request, 409, exc.code, params=exc.params)
    except DomainError as exc:
        return "refused", problem(request, 422, exc.code, params=exc.params)
    except IntegrityError:  # the same callback twice at once: the other one recorded it
        return "busy", problem(request, 503, "error-intake-busy", headers={"Retry-After": "1"})
    outcome = "signed" if done.recorded else "already_signed"
    return outcome, web.json_response({
        "outcome": outcome, "contract_no": done.contract.number,
        "status": done.contract.status.value,
    })


def _validation_problem(request: web.Request, exc: ValidationError) -> web.Response:
    first = exc.errors()[0]
    field = ".".join(str(part) for part in first.get("loc", ())) or "body"
    kind = first.get("type", "")
    if kind == "missing":
        return problem(request, 422, "error-intake-missing", field=field)
    if kind == "extra_forbidden":
        return problem(request, 422, "error-intake-unknown-field", field=field)
    return problem(request, 422, "error-intake-type", field=field)


async def healthz(request: web.Request) -> web.Response:
    app = request.app[APP_KEY]
    now = app.clock.now()
    body: dict[str, Any] = {"status": "ok"}
    healthy = True
    try:
        async with app.engine.connect() as conn:
            await conn.execute(sql_text("SELECT 1"))
            health = await outbox_health(conn, now)
        body["database"] = "ok"
        body["outbox_backlog"] = health.backlog
        body["outbox_oldest_due_seconds"] = health.oldest_due_seconds
        body["dead_letters"] = health.dead
    except Exception as exc:  # the database is down or unreachable: say so, don't crash the probe
        log.warning("healthz: database check failed: %s", type(exc).__name__)
        body["database"] = "unreachable"
        healthy = False
    ticks = app.metrics.last_run
    if app.periodic:
        expected = max(job.seconds for job in app.periodic) * 3 + 10
        last = max(ticks.values()) if ticks else None
        ago = (now - last).total_seconds() if last is not None else None
        body["scheduler_last_run_seconds_ago"] = None if ago is None else round(max(0.0, ago), 1)
        started = request.app.get(STARTED_KEY)
        young = started is not None and time.monotonic() - started < expected
        if (ago is None and not young) or (ago is not None and ago > expected):
            body["scheduler"] = "stalled"
            healthy = False
        else:
            body["scheduler"] = "ok"
    if not healthy:
        body["status"] = "unhealthy"
    return web.json_response(body, status=200 if healthy else 503)


async def metrics_view(request: web.Request) -> web.Response:
    app = request.app[APP_KEY]
    try:
        async with app.engine.connect() as conn:
            health = await outbox_health(conn, app.clock.now())
        app.metrics.backlog.set(health.backlog)
        app.metrics.oldest_due.set(health.oldest_due_seconds)
        app.metrics.dead_letters.set(health.dead)
    except Exception as exc:
        log.warning("metrics: outbox figures unavailable: %s", type(exc).__name__)
    return web.Response(body=app.metrics.text(), headers={"Content-Type": "text/plain; version=0.0.4; charset=utf-8"})


def webhook_secret(settings: Settings) -> str:
    """What Telegram sends in X-Telegram-Bot-Api-Secret-Token: WEBHOOK_SECRET, or one derived from the bot
    token, the same in every instance."""
    if settings.webhook_secret is not None:
        return settings.webhook_secret.get_secret_value()
    token = settings.bot_token.get_secret_value() if settings.bot_token is not None else ""
    return hashlib.sha256(f"loopbot-webhook:{token}".encode()).hexdigest()


def webhook_path(settings: Settings) -> str | None:
    if settings.webhook_url is None:
        return None
    return urlsplit(settings.webhook_url).path or "/"


# --- the public web form: /f/<slug> -------------------------------------------------------------------

FORM_FIELDS = ("company", "contact_name", "phone", "email", "need")
FORM_PER_IP_PER_MINUTE = 5
HONEYPOT = "website"  # hidden from people; a bot that fills it is thanked and nothing is recorded


def client_address(request: web.Request) -> str:
    app = request.app[APP_KEY]
    if app.settings.http_trust_proxy:
        forwarded = request.headers.get("X-Forwarded-For", "").split(",")[0].strip()
        if forwarded:
            return forwarded
    return request.remote or "?"


def form_page(
    request: web.Request, *, values: Mapping[str, str] | None = None, problem_field: str = "", problem_text: str = "",
    done: bool = False, status: int = 200,
) -> web.Response:
    app = request.app[APP_KEY]
    lang = language_of(request)

    def t(key: str, **params: object) -> str:
        return html.escape(app.catalogue.get(lang, key, **params), quote=True)

    head = (
        '<!doctype html><html><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width,initial-scale=1">'
        f"<title>{t('form-title')}</title>"
        "<style>body{font-family:system-ui,sans-serif;max-width:28rem;margin:1rem auto;padding:0 1rem}"
        "label{display:block;margin-top:.8rem}input,textarea{width:100%;font-size:1rem;padding:.4rem;box-sizing:border-box}"
        "button{margin-top:1rem;font-size:1rem;padding:.6rem 1.2rem}.err{color:#b00}.hp{position:absolute;left:-9999px}"
        "</style></head><body>"
    )
    if done:
        return web.Response(
            status=status, text=f"{head}<h1>{t('form-title')}</h1><p>{t('form-thanks')}</p></body></html>",
            content_type="text/html", charset="utf-8",
        )
    values = values or {}
    nonce = values.get("nonce") or secrets.token_urlsafe(12)
    parts = [head, f"<h1>{t('form-title')}</h1><p>{t('form-intro')}</p>"]
    if problem_text and not problem_field:
        parts.append(f'<p class="err">{html.escape(problem_text)}</p>')
    parts.append('<form method="post">')
    for name in FORM_FIELDS:
        label = t(f"form-field-{name}")
        value = html.escape(values.get(name, ""), quote=True)
        required = " required" if name == "company" else ""
        if name == "need":
            control = f'<textarea name="need" rows="4" maxlength="2000">{value}</textarea>'
        else:
            kind = {"phone": "tel", "email": "email"}.get(name, "text")
            control = f'<input type="{kind}" name="{name}" value="{value}" maxlength="128"{required}>'
        error = f'<span class="err">{html.escape(problem_text)}</span>' if name == problem_field else ""
        parts.append(f"<label>{label}{control}{error}</label>")
    parts.append(
        f'<label class="hp" aria-hidden="true">Website<input name="{HONEYPOT}" tabindex="-1" autocomplete="off"></label>'
        f'<input type="hidden" name="nonce" value="{html.escape(nonce, quote=True)}">'
        f"<button type=\"submit\">{t('form-submit')}</button></form></body></html>"
    )
    return web.Response(status=status, text="".join(parts), content_type="text/html", charset="utf-8")


async def get_form(request: web.Request) -> web.Response:
    app = request.app[APP_KEY]
    async with app.uow() as uow:
        try:
            await intake.form_key(uow, request.match_info["slug"])
        except DomainError:
            return web.Response(status=404, text=app.catalogue.get(language_of(request), "form-gone"))
    return form_page(request)


async def post_form(request: web.Request) -> web.Response:
    app = request.app[APP_KEY]
    metrics = app.metrics
    slug = request.match_info["slug"]
    async with app.uow() as uow:
        try:
            key = await intake.form_key(uow, slug)
        except DomainError:
            return web.Response(status=404, text=app.catalogue.get(language_of(request), "form-gone"))
    assert key.id is not None
    lang = language_of(request)
    wait = max(request.app[FORM_LIMITER_KEY].wait_for(client_address(request)), request.app[LIMITER_KEY].wait_for(key.id))
    if wait > 0:
        metrics.intake.labels("rate_limited").inc()
        seconds = max(1, int(wait + 0.999))
        return form_page(
            request, problem_text=app.catalogue.get(lang, "error-intake-too-many", seconds=seconds), status=429,
        )
    form = await request.post()
    values = {name: str(form.get(name, "")) for name in (*FORM_FIELDS, "nonce")}
    if str(form.get(HONEYPOT, "")).strip():
        metrics.intake.labels("honeypot").inc()
        return form_page(request, done=True)
    try:
        draft = intake.read_submission({name: values[name] for name in FORM_FIELDS if values[name].strip()})
        nonce = intake.valid_idempotency_key(values["nonce"] or None)
        async with app.uow() as uow:
            key_now = await intake.form_key(uow, slug)
            result = await intake.capture_via_key(uow, key=key_now, draft=draft, idempotency_key=nonce, now=app.clock.now())
            await uow.commit()
    except intake.FieldRejected as exc:
        metrics.intake.labels("invalid").inc()
        field = exc.at if exc.at in FORM_FIELDS else ""
        text = app.catalogue.get(lang, exc.code, **exc.params)
        return form_page(request, values=values, problem_field=field, problem_text=text, status=422)
    except IntegrityError:  # the same form sent twice at once: the other one recorded it
        return form_page(request, done=True)
    except DomainError as exc:
        metrics.intake.labels("refused").inc()
        return form_page(request, values=values, problem_text=app.catalogue.get(lang, exc.code, **exc.params), status=422)
    metrics.intake.labels("replayed" if result.replayed else result.outcome).inc()
    return form_page(request, done=True)


def build_web_app(app: App) -> web.Application:
    web_app = web.Application(client_max_size=max(MAX_BODY, 1024 * 1024))
    web_app[APP_KEY] = app
    web_app[LIMITER_KEY] = RateLimiter(app.settings.intake_per_minute)
    web_app[ESIGN_LIMITER_KEY] = RateLimiter(app.settings.intake_per_minute)  # per provider and team
    web_app[STARTED_KEY] = time.monotonic()
    web_app.router.add_post("/api/v1/leads", post_lead)
    web_app.router.add_post("/api/v1/esign/{provider}/{team}", post_esign)
    web_app.router.add_get("/healthz", healthz)
    web_app.router.add_get("/metrics", metrics_view)
    web_app[FORM_LIMITER_KEY] = RateLimiter(FORM_PER_IP_PER_MINUTE)
    web_app.router.add_get("/f/{slug}", get_form)
    web_app.router.add_post("/f/{slug}", post_form)
    path = webhook_path(app.settings)
    if path is not None:
        # Telegram's updates: a request without the right secret token gets 401 and does nothing.
        # Answered at once and handled in the background (Telegram does not wait); a redelivered
        # update acts once (the dedupe in the unit of work).
        handler = SimpleRequestHandler(
            dispatcher=app.dp, bot=app.bot, secret_token=webhook_secret(app.settings), handle_in_background=True
        )
        handler.register(web_app, path=path)
        web_app[WEBHOOK_KEY] = handler
    return web_app


async def start_web(app: App) -> web.AppRunner | None:
    """Serve the HTTP API when HTTP_PORT is set; the runner to clean up, or None."""
    port = app.settings.http_port
    if port is None and app.settings.webhook_url is not None:
        port = DEFAULT_WEBHOOK_PORT
    if port is None:
        return None
    runner = web.AppRunner(build_web_app(app), access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, app.settings.http_host, port)
    await site.start()
    log.info("HTTP API on %s:%s (POST /api/v1/leads, POST /api/v1/esign/..., GET /healthz, GET /metrics)", app.settings.http_host, port)
    return runner


__all__ = ["LeadIn", "RateLimiter", "build_web_app", "start_web"]
