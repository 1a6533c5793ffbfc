"""Settings, read once at the wiring point (bot.factory) from the environment and `.env`."""

from __future__ import annotations

import json
from typing import Annotated
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import Field, SecretStr, ValidationError, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

from domain.team.model import Language


class SettingsError(Exception):
    """One line naming the variable that is wrong; the CLI prints it and exits with code 2."""


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_file=".env", env_file_encoding="utf-8", extra="ignore")

    bot_token: SecretStr | None = None
    database_url: str = "sqlite:///data/loopbot.db"
    redis_url: str | None = None
    telegram_api_base: str | None = None
    timezone: str = "Asia/Shanghai"
    default_language: Language = Language.ZH
    bot_username: str | None = None
    log_level: str = "INFO"
    # SQL statements in the log (they carry customers' phone numbers): off unless asked for.
    sql_echo: bool = False
    throttle_per_second: float = Field(default=3.0, gt=0)
    outbox_interval_seconds: float = Field(default=3.0, gt=0)
    # The bot's messages a person gets a day before what can wait is held over to their next working day's
    # start, as one message (domain/outbox/kinds.py Budget); 0: no limit.
    daily_message_budget: int = Field(default=20, ge=0)
    sweep_interval_seconds: float = Field(default=30.0, gt=0)
    rate_global_per_second: float = Field(default=30.0, gt=0)
    rate_private_per_second: float = Field(default=1.0, gt=0)
    rate_group_per_minute: float = Field(default=20.0, gt=0)
    # At start-up, how long to keep retrying the Bot API (getMe) before giving up with one clear line.
    startup_retry_seconds: float = Field(default=60.0, ge=0)
    # The HTTP API (lead intake, /healthz, /metrics): off unless a port is set.
    http_port: int | None = Field(default=None, ge=1, le=65535)
    http_host: str = "0.0.0.0"
    # Where people outside reach the HTTP API (https://crm.example.com), for the web-form links /apikeys
    # shows; defaults to WEBHOOK_URL's site when that is set.
    public_url: str | None = None
    # Behind a reverse proxy: take the client's address from X-Forwarded-For (the web form's per-address limit).
    http_trust_proxy: bool = False
    # Intake requests one API key may make per minute (HTTP 429 beyond it).
    intake_per_minute: int = Field(default=120, ge=1)
    # Telegram webhook mode (several instances behind a load balancer): the public https URL Telegram
    # posts updates to; its path is served by the HTTP API (HTTP_PORT, 8080 when unset). Unset: polling.
    webhook_url: str | None = None
    # The X-Telegram-Bot-Api-Secret-Token Telegram sends with every update (derived from the token if unset).
    webhook_secret: SecretStr | None = None
    # E-signature callbacks (POST /api/v1/esign/<provider>/<team id>): the secret each provider signs them
    # with, as JSON: {"webhook-signed": "..."} for every team, {"webhook-signed:3": "..."} for team 3 only
    # (it wins). A provider without a secret is off (404).
    esign_secrets: Annotated[dict[str, SecretStr], NoDecode] = Field(default_factory=dict)

    @field_validator("esign_secrets", mode="before")
    @classmethod
    def _esign_secrets(cls, value: object) -> object:
        if isinstance(value, str):
            if not value.strip():
                return {}
            try:
                value = json.loads(value)
            except ValueError as exc:
                raise ValueError('must be JSON, e.g. {"webhook-signed": "a-long-random-secret"}') from exc
        return value

    def esign_secret(self, provider: str, team_id: int) -> str | None:
        """The secret `provider` signs team `team_id`'s callbacks with: the team's own, else the provider's."""
        found = self.esign_secrets.get(f"{provider}:{team_id}") or self.esign_secrets.get(provider)
        return found.get_secret_value() if found is not None and found.get_secret_value() else None

    @field_validator("http_port", mode="before")
    @classmethod
    def _http_port(cls, value: object) -> object:
        return None if isinstance(value, str) and not value.strip() else value

    @field_validator("webhook_url")
    @classmethod
    def _webhook_url(cls, value: str | None) -> str | None:
        if value is None or not value.strip():
            return None
        value = value.strip()
        try:
            parts = urlsplit(value)
        except ValueError as exc:
            raise ValueError("is not a valid URL (example: https://bot.example.com/telegram)") from exc
        if parts.scheme != "https" or not parts.hostname or parts.query or parts.fragment:
            raise ValueError("must be a plain https:// URL, which Telegram requires (example: https://bot.example.com/telegram)")
        return value

    def form_link(self, slug: str) -> str:
        """The public web form of a key: a full link when the site is known, else its path."""
        base = self.public_url
        if base is None and self.webhook_url is not None:
            parts = urlsplit(self.webhook_url)
            base = f"{parts.scheme}://{parts.netloc}"
        return f"{(base or '').rstrip('/')}/f/{slug}"

    @field_validator("webhook_secret", mode="before")
    @classmethod
    def _webhook_secret(cls, value: object) -> object:
        if isinstance(value, str):
            value = value.strip()
            if not value:
                return None
            if len(value) > 256 or not all(c.isascii() and (c.isalnum() or c in "_-") for c in value):
                raise ValueError("must be 1-256 characters of A-Z, a-z, 0-9, _ and - (Telegram's rule)")
        return value

    @field_validator("default_language", mode="before")
    @classmethod
    def _language(cls, value: object) -> object:
        if isinstance(value, str):
            low = value.strip().lower().replace("_", "-")
            if low in ("zh", "zh-cn", "zh-hans", "cn"):
                return Language.ZH
            if low in ("en", "en-us", "en-gb"):
                return Language.EN
        return value

    @field_validator("timezone")
    @classmethod
    def _timezone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise ValueError(f"unknown time zone {value!r} (example: Asia/Shanghai)") from exc
        return value

    @field_validator("bot_token", mode="before")
    @classmethod
    def _token(cls, value: object) -> object:
        if isinstance(value, str):
            value = value.strip()
            if not value:
                return None
            head, sep, tail = value.partition(":")
            if not (sep and head.isdigit() and len(tail) >= 20):
                # Deliberately no echo of the value: a token must never reach a log.
                raise ValueError("does not look like a bot token (digits:secret, from @BotFather)")
        return value

    @field_validator("telegram_api_base")
    @classmethod
    def _api_base(cls, value: str | None) -> str | None:
        if value is None or not value.strip():
            return None
        value = value.strip().rstrip("/")
        example = "(example: http://127.0.0.1:8081)"
        if not value.startswith(("http://", "https://")):
            raise ValueError(f"must start with http:// or https:// {example}")
        try:
            parts = urlsplit(value)
            parts.port  # noqa: B018 - reading it checks it (a port out of range or not a number raises)
        except ValueError as exc:
            raise ValueError(f"is not a valid URL {example}") from exc
        if not parts.hostname or parts.query or parts.fragment or parts.username or parts.password:
            raise ValueError(f"must be a plain http(s)://host[:port][/path] URL {example}")
        return value

    @field_validator("redis_url")
    @classmethod
    def _redis(cls, value: str | None) -> str | None:
        if value is None or not value.strip():
            return None
        if not value.startswith(("redis://", "rediss://", "unix://")):
            raise ValueError("must start with redis:// (example: redis://127.0.0.1:6379/0)")
        return value.strip()

    @field_validator("database_url")
    @classmethod
    def _database(cls, value: str) -> str:
        if not value.startswith(("sqlite", "postgres")):
            raise ValueError("must be a sqlite:/// or postgresql:// URL")
        return value


def load_settings(**overrides: object) -> Settings:
    try:
        return Settings(**overrides)  # type: ignore[arg-type]
    except ValidationError as exc:
        first = exc.errors()[0]
        variable = str(first["loc"][0]).upper() if first["loc"] else "settings"
        message = str(first["msg"]).removeprefix("Value error, ")
        raise SettingsError(f"Configuration error: {variable}: {message}") from None
