"""Tables and the imperative mapping of the domain's dataclasses onto them.

The schema itself is created by the Alembic migrations in storage/migrations; a test checks that
the migrations and this metadata agree on both SQLite and PostgreSQL.
"""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Column,
    Date,
    Enum,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    Time,
    text,
)
from sqlalchemy.orm import registry

from domain.model import AuditEvent, Invite, Language, Role, Team, User
from domain.notifications import Notification, NotificationState
from domain.reminders import Reminder, ReminderState
from storage.types import UTCDateTime

metadata = MetaData(
    naming_convention={
        "ix": "ix_%(column_0_label)s",
        "uq": "uq_%(table_name)s_%(column_0_name)s",
        "ck": "ck_%(table_name)s_%(constraint_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
        "pk": "pk_%(table_name)s",
    }
)


def _enum(enum_cls: type, name: str) -> Enum:
    # Stored as plain strings (no native ENUM type), so adding a value needs no migration dance.
    return Enum(
        enum_cls, name=name, native_enum=False, create_constraint=False, length=16,
        values_callable=lambda e: [m.value for m in e],
    )


teams = Table(
    "teams", metadata,
    Column("id", Integer, primary_key=True),
    Column("name", String(64), nullable=False, unique=True),
    Column("timezone", String(64), nullable=False),
    Column("work_start", Time, nullable=False),
    Column("work_end", Time, nullable=False),
    Column("work_days", String(7), nullable=False),
    Column("group_chat_id", BigInteger, nullable=True, unique=True),
    Column("created_at", UTCDateTime, nullable=True),
)

users = Table(
    "users", metadata,
    Column("id", Integer, primary_key=True),
    Column("telegram_id", BigInteger, nullable=False, unique=True),
    Column("name", String(128), nullable=False),
    Column("username", String(64), nullable=True),
    Column("role", _enum(Role, "role"), nullable=False),
    Column("team_id", Integer, ForeignKey("teams.id"), nullable=False, index=True),
    Column("language", _enum(Language, "language"), nullable=True),
    Column("active", Boolean, nullable=False),
    Column("reachable", Boolean, nullable=False),
    Column("created_at", UTCDateTime, nullable=True),
)

invites = Table(
    "invites", metadata,
    Column("id", Integer, primary_key=True),
    Column("code_hash", String(64), nullable=False, unique=True),
    Column("role", _enum(Role, "role"), nullable=False),
    Column("team_id", Integer, ForeignKey("teams.id"), nullable=False),
    Column("created_by", Integer, ForeignKey("users.id"), nullable=True),
    Column("created_at", UTCDateTime, nullable=False),
    Column("expires_at", UTCDateTime, nullable=False),
    Column("used_by", Integer, ForeignKey("users.id"), nullable=True),
    Column("used_at", UTCDateTime, nullable=True),
)

audit_events = Table(
    "audit_events", metadata,
    Column("id", Integer, primary_key=True),
    Column("at", UTCDateTime, nullable=False),
    Column("actor_id", Integer, nullable=True),
    Column("team_id", Integer, nullable=True, index=True),
    Column("action", String(64), nullable=False),
    Column("entity", String(32), nullable=False),
    Column("entity_id", Integer, nullable=True),
    Column("before", JSON(none_as_null=True), nullable=True),
    Column("after", JSON(none_as_null=True), nullable=True),
    Index("ix_audit_events_entity", "entity", "entity_id"),
)

notifications = Table(
    "notifications", metadata,
    Column("id", Integer, primary_key=True),
    Column("kind", String(48), nullable=False),
    Column("team_id", Integer, nullable=True),
    Column("recipient_id", Integer, ForeignKey("users.id"), nullable=True),
    Column("chat_id", BigInteger, nullable=False),
    Column("text", Text, nullable=False),
    Column("reply_markup", Text, nullable=True),
    Column("urgent", Boolean, nullable=False),
    Column("not_before", UTCDateTime, nullable=False),
    Column("dedupe_key", String(191), nullable=False, unique=True),
    Column("state", _enum(NotificationState, "notification_state"), nullable=False),
    Column("attempts", Integer, nullable=False),
    Column("next_attempt_at", UTCDateTime, nullable=False),
    Column("last_error", Text, nullable=True),
    Column("created_at", UTCDateTime, nullable=False),
    Column("sent_at", UTCDateTime, nullable=True),
    Column("message_id", BigInteger, nullable=True),
    Column("lease_owner", String(64), nullable=True),
    Column("lease_until", UTCDateTime, nullable=True),
    # The dispatcher's query: pending rows in due order. Partial index keeps it small on PostgreSQL
    # and SQLite alike once millions of rows are sent.
    Index(
        "ix_notifications_due", "next_attempt_at",
        postgresql_where=text("state = 'pending'"), sqlite_where=text("state = 'pending'"),
    ),
)

reminders = Table(
    "reminders", metadata,
    Column("id", Integer, primary_key=True),
    Column("user_id", Integer, ForeignKey("users.id"), nullable=False),
    Column("team_id", Integer, ForeignKey("teams.id"), nullable=False),
    Column("text", String(512), nullable=False),
    Column("note", Text, nullable=True),
    Column("due_at", UTCDateTime, nullable=False),
    Column("state", _enum(ReminderState, "reminder_state"), nullable=False),
    Column("explicit", Boolean, nullable=False),
    Column("subject_kind", String(32), nullable=True),
    Column("subject_id", Integer, nullable=True),
    Column("created_at", UTCDateTime, nullable=False),
    Column("sent_at", UTCDateTime, nullable=True),
    Column("done_at", UTCDateTime, nullable=True),
    Column("snoozes", Integer, nullable=False),
    Index(
        "ix_reminders_due", "due_at",
        postgresql_where=text("state IN ('pending', 'snoozed')"), sqlite_where=text("state IN ('pending', 'snoozed')"),
    ),
    Index("ix_reminders_user_state", "user_id", "state"),
)

# One row per team, digest kind and team-local day once that digest was composed: the claim that
# makes the every-minute digest job act once a day, also with several instances.
digest_runs = Table(
    "digest_runs", metadata,
    Column("team_id", Integer, ForeignKey("teams.id"), primary_key=True),
    Column("kind", String(32), primary_key=True),
    Column("local_date", Date, primary_key=True),
    Column("at", UTCDateTime, nullable=False),
)

# Infrastructure tables: no domain entity behind them.
processed_updates = Table(
    "processed_updates", metadata,
    Column("bot_id", BigInteger, primary_key=True),
    Column("update_id", BigInteger, primary_key=True),
    Column("at", UTCDateTime, nullable=False, index=True),
)

fsm_states = Table(
    "fsm_states", metadata,
    Column("key", String(255), primary_key=True),
    Column("state", String(255), nullable=True),
    Column("data", JSON(none_as_null=True), nullable=True),
)

mapper_registry = registry(metadata=metadata)
_mapped = False


def map_domain() -> None:
    """Map the domain dataclasses onto the tables once per process."""
    global _mapped
    if _mapped:
        return
    mapper_registry.map_imperatively(Team, teams)
    mapper_registry.map_imperatively(User, users)
    mapper_registry.map_imperatively(Invite, invites)
    mapper_registry.map_imperatively(AuditEvent, audit_events)
    mapper_registry.map_imperatively(Notification, notifications)
    mapper_registry.map_imperatively(Reminder, reminders)
    _mapped = True
