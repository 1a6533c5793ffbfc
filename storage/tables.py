"""Tables and the imperative mapping of the domain's dataclasses onto them.

The schema itself is created by the Alembic migrations in storage/migrations; a test checks that
the migrations and this metadata agree on both SQLite and PostgreSQL.
"""

from __future__ import annotations

from typing import Any

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
    UniqueConstraint,
    event,
    false,
    text,
)
from sqlalchemy.orm import column_property, registry

from domain.assist.model import AssistState, Question
from domain.contracts.model import (
    Contract,
    ContractStatus,
    Milestone,
    Payment,
    PaymentMethod,
    PaymentPolicy,
    PaymentState,
)
from domain.deals.model import Opportunity, Stage, StageChange
from domain.delivery.model import DeliveryItem, ItemKey, TemplateRow
from domain.followup.model import Activity, ActivityKind, ActivityOutcome
from domain.handoffs.model import Handoff, HandoffState
from domain.intake.model import ApiKey, IntakeReceipt
from domain.leads.model import Authority, Budget, Lead, LeadSource, LeadStatus, Timeline
from domain.outbox.model import Notification, NotificationState
from domain.policy.model import AssignmentPolicy, TeamPolicy
from domain.quotes.model import (
    ApprovalStep,
    Level,
    Product,
    Quote,
    QuoteLine,
    QuotePolicy,
    QuoteStatus,
    QuoteTemplate,
    StepState,
)
from domain.reminders.model import Reminder, ReminderState
from domain.renewals.model import Renewal
from domain.team.model import AuditEvent, Invite, Language, Role, Team, User
from domain.tickets.model import (
    Category,
    OwnerRule,
    Priority,
    ServicePolicy,
    Survey,
    SurveyChannel,
    Ticket,
    TicketStatus,
)
from domain.webhooks.model import DeliveryState, WebhookDelivery, WebhookEndpoint
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

# Spelled like the predicate of the partial indexes on pending rows (notifications, hand-offs), so both
# databases use them.
PENDING_SQL = "state = 'pending'"

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
    # What the notice is about (domain/outbox/kinds.py), so one whose subject moved on can be found.
    Column("subject_kind", String(24), nullable=True),
    Column("subject_id", BigInteger, nullable=True),
    Index("ix_notifications_subject", "subject_kind", "subject_id"),
    # The message it carries (its kind: while it holds, whether it may go with others) and its one-line
    # summary when it may (domain/outbox/kinds.py).
    Column("notice", String(48), nullable=True),
    Column("summary", Text, nullable=True),
    # A picture it carries, by name (domain/outbox/model.py Picture): drawn when it is sent (issue 14).
    Column("picture", String(120), nullable=True),
    Index("ix_notifications_team_notice", "team_id", "notice", "created_at"),  # reports: alerts per period
    # Held over its person's daily message budget (domain/outbox/kinds.py Budget): goes in one digest of such.
    Column("held_over", Boolean, nullable=False, server_default=false(), default=False),
    Index("ix_notifications_chat_sent", "chat_id", "sent_at"),  # a person's messages of the day (the budget)
    # The dispatcher's query: pending rows in due order. Partial index keeps it small on PostgreSQL
    # and SQLite alike once millions of rows are sent.
    Index(
        "ix_notifications_due", "next_attempt_at",
        postgresql_where=text(PENDING_SQL), sqlite_where=text(PENDING_SQL),
    ),
    # The claim's: each chat's due rows in order (its head, its queue's length, a digest's rows).
    Index(
        "ix_notifications_due_chat", "chat_id", "next_attempt_at", "id",
        postgresql_where=text(PENDING_SQL), sqlite_where=text(PENDING_SQL),
    ),
)

# The predicate of ix_notifications_due and ix_notifications_due_chat, for the queries on due rows: spelled
# out, as a bound parameter would hide from the planners that the indexes cover them (SQLite then scans the
# whole table).
NOTIFICATIONS_PENDING = text("notifications." + PENDING_SQL)

# Spelled like the predicate of the partial index, so both databases use it.
ESCALATE_SQL = "state = 'sent' AND escalate_at IS NOT NULL"
SILENCE_SQL = "silence_check_at IS NOT NULL"

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
    Column("escalate_at", UTCDateTime, nullable=True),
    Column("escalated_at", UTCDateTime, nullable=True),
    Index(
        "ix_reminders_due", "due_at",
        postgresql_where=text("state IN ('pending', 'snoozed')"), sqlite_where=text("state IN ('pending', 'snoozed')"),
    ),
    Index("ix_reminders_user_state", "user_id", "state"),
    # Follow-ups (issue 5): a deal's next steps; the escalation sweep; the morning agenda's overdue list.
    Index("ix_reminders_subject", "subject_kind", "subject_id"),
    Index(
        "ix_reminders_escalate", "escalate_at",
        postgresql_where=text(ESCALATE_SQL), sqlite_where=text(ESCALATE_SQL),
    ),
    Index("ix_reminders_team_state", "team_id", "state", "due_at"),
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

# A digest a person switched off (domain/reports/digests.py): one row per person and digest kind.
digest_optouts = Table(
    "digest_optouts", metadata,
    Column("user_id", Integer, ForeignKey("users.id"), primary_key=True),
    Column("kind", String(32), primary_key=True),
)

# --- The pipeline: leads, opportunities, hand-offs, the pool (issue 4) -----------------------------

# Spelled like the predicates of the partial indexes below, so both databases use them.
OPEN_OWNED_SQL = "stage NOT IN ('won', 'lost') AND owner_id IS NOT NULL"
IN_POOL_SQL = "owner_id IS NULL AND pooled_at IS NOT NULL"
# The breakpoint board (issue 14): open deals whose owner logged nothing since getting them; silent deals.
NO_RECORD_SQL = (
    "stage NOT IN ('won', 'lost') AND owner_id IS NOT NULL"
    " AND (last_activity_at IS NULL OR last_activity_at < COALESCE(owner_since, created_at))"
)
SILENT_SQL = "stage NOT IN ('won', 'lost') AND owner_id IS NOT NULL AND silence_level >= 1"
UNCOVERED_SQL = (
    "superseded_at IS NULL AND status IN ('draft', 'pending', 'approved', 'sent')"
    " AND json_array_length(needs) > json_array_length(covered)"
)

team_policies = Table(
    "team_policies", metadata,
    Column("id", Integer, primary_key=True),
    Column("team_id", Integer, ForeignKey("teams.id"), nullable=False, unique=True),
    Column("assignment", _enum(AssignmentPolicy, "assignment_policy"), nullable=False),
    Column("allow_self_assign", Boolean, nullable=False),
    Column("threshold", Integer, nullable=False),
    Column("weights", JSON, nullable=False),
    Column("handoff_minutes", Integer, nullable=False),
    Column("recycle_days", Integer, nullable=True),  # NULL: automatic, per stage (domain/pool/recycling.py)
    Column("pool_claim_limit", Integer, nullable=False),
    Column("cooloff_days", Integer, nullable=False),
    Column("industries", JSON, nullable=False),
    Column("lost_reasons", JSON, nullable=False),
    Column("rr_cursor", Integer, nullable=False, default=0),  # written at commit: storage/policy_repo.py
    Column("idle_days", JSON, nullable=False, server_default=text("'{}'")),
)

leads = Table(
    "leads", metadata,
    Column("id", Integer, primary_key=True),
    Column("team_id", Integer, ForeignKey("teams.id"), nullable=False),
    Column("created_by", Integer, ForeignKey("users.id"), nullable=False),
    Column("company", String(128), nullable=False),
    Column("company_key", String(128), nullable=False),
    Column("contact_name", String(64), nullable=True),
    Column("phone", String(20), nullable=True),
    Column("email", String(254), nullable=True),
    Column("source", _enum(LeadSource, "lead_source"), nullable=False),
    Column("need", Text, nullable=True),
    Column("need_voice_file_id", String(255), nullable=True),
    Column("budget", _enum(Budget, "budget"), nullable=False),
    Column("budget_note", String(64), nullable=True),
    Column("authority", _enum(Authority, "authority"), nullable=False),
    Column("timeline", _enum(Timeline, "timeline"), nullable=False),
    Column("industry", String(64), nullable=True),
    Column("region", String(64), nullable=True),
    Column("product", String(64), nullable=True),
    Column("score", Integer, nullable=True),
    Column("score_reasons", JSON, nullable=False),
    Column("status", _enum(LeadStatus, "lead_status"), nullable=False),
    Column("related_lead_id", Integer, ForeignKey("leads.id"), nullable=True),
    Column("created_at", UTCDateTime, nullable=False),
    Column("updated_at", UTCDateTime, nullable=True),
    # Dedupe looks a new lead up by each of these, across all teams.
    Index("ix_leads_phone", "phone"),
    Index("ix_leads_email", "email"),
    Index("ix_leads_company_key", "company_key"),
    Index("ix_leads_team_status", "team_id", "status"),
    # The per-person capture cap (domain/caps.py): one person's leads of the last hour.
    Index("ix_leads_created_by", "created_by", "created_at"),
    Index("ix_leads_team_created", "team_id", "created_at"),  # reports: a team's new leads in a period
    Index("ix_leads_created", "created_at"),  # reports: the whole organisation's new leads in a period
)

opportunities = Table(
    "opportunities", metadata,
    Column("id", Integer, primary_key=True),
    Column("team_id", Integer, ForeignKey("teams.id"), nullable=False),
    Column("lead_id", Integer, ForeignKey("leads.id"), nullable=False),
    Column("title", String(200), nullable=False),
    Column("owner_id", Integer, ForeignKey("users.id"), nullable=True),
    Column("stage", _enum(Stage, "stage"), nullable=False),
    Column("amount_minor", BigInteger, nullable=True),
    Column("currency", String(3), nullable=False),
    Column("expected_close", Date, nullable=True),
    Column("lost_reason", String(64), nullable=True),
    Column("lost_note", Text, nullable=True),
    Column("last_activity_at", UTCDateTime, nullable=True),
    Column("owner_since", UTCDateTime, nullable=True),
    Column("recycled_from_id", Integer, ForeignKey("users.id"), nullable=True),
    Column("recycled_at", UTCDateTime, nullable=True),
    Column("pooled_at", UTCDateTime, nullable=True),
    Column("claimed_from_pool", Boolean, nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
    Column("updated_at", UTCDateTime, nullable=True),
    Column("silence_level", Integer, nullable=False, server_default=text("0")),
    Column("silence_check_at", UTCDateTime, nullable=True),
    Column("quote_status", String(16), nullable=True),  # the latest quote's (issue 11)
    Index("ix_opportunities_lead_id", "lead_id"),
    Index("ix_opportunities_owner_stage", "owner_id", "stage"),
    Index("ix_opportunities_team_stage", "team_id", "stage"),
    Index("ix_opportunities_team_created", "team_id", "created_at"),  # reports: a period's new deals, the export
    # The recycle sweep: open, owned deals by last activity.
    Index(
        "ix_opportunities_idle", "last_activity_at",
        postgresql_where=text(OPEN_OWNED_SQL), sqlite_where=text(OPEN_OWNED_SQL),
    ),
    # /pool: a team's ownerless deals, oldest first.
    Index(
        "ix_opportunities_pool", "team_id", "pooled_at",
        postgresql_where=text(IN_POOL_SQL), sqlite_where=text(IN_POOL_SQL),
    ),
    # The silence sweep (issue 5): only deals with a check to come are in it.
    Index(
        "ix_opportunities_silence", "silence_check_at",
        postgresql_where=text(SILENCE_SQL), sqlite_where=text(SILENCE_SQL),
    ),
    # The breakpoint board's rows (issue 14): few deals each, read by team without touching the others.
    Index(
        "ix_opportunities_no_record", "team_id",
        postgresql_where=text(NO_RECORD_SQL), sqlite_where=text(NO_RECORD_SQL),
    ),
    Index("ix_opportunities_silent", "team_id", postgresql_where=text(SILENT_SQL), sqlite_where=text(SILENT_SQL)),
)

stage_changes = Table(
    "stage_changes", metadata,
    Column("id", Integer, primary_key=True),
    Column("opportunity_id", Integer, ForeignKey("opportunities.id"), nullable=False),
    Column("from_stage", _enum(Stage, "stage"), nullable=True),
    Column("to_stage", _enum(Stage, "stage"), nullable=False),
    Column("actor_id", Integer, ForeignKey("users.id"), nullable=True),
    Column("at", UTCDateTime, nullable=False),
    Column("override", Boolean, nullable=False),
    Column("note", Text, nullable=True),
    # The deal's team, copied when the move is written: the reports read a team's moves in a period
    # without joining the deals (issue 14).
    Column("team_id", Integer, ForeignKey("teams.id"), nullable=False),
    Index("ix_stage_changes_opportunity", "opportunity_id", "at"),
    Index("ix_stage_changes_at", "at"),  # reports: a period's stage moves (issue 14)
    Index("ix_stage_changes_team_at", "team_id", "at"),
)

handoffs = Table(
    "handoffs", metadata,
    Column("id", Integer, primary_key=True),
    Column("team_id", Integer, ForeignKey("teams.id"), nullable=False),
    Column("opportunity_id", Integer, ForeignKey("opportunities.id"), nullable=False),
    Column("to_user_id", Integer, ForeignKey("users.id"), nullable=False),
    Column("from_user_id", Integer, ForeignKey("users.id"), nullable=True),
    Column("requested_by", Integer, ForeignKey("users.id"), nullable=True),
    Column("requested_at", UTCDateTime, nullable=False),
    Column("deadline_at", UTCDateTime, nullable=False),
    Column("reason", Text, nullable=True),
    Column("state", _enum(HandoffState, "handoff_state"), nullable=False),
    Column("decided_at", UTCDateTime, nullable=True),
    Column("decline_reason", Text, nullable=True),
    Column("attempt", Integer, nullable=False),
    Index("ix_handoffs_opportunity", "opportunity_id"),
    # Reports: a team's hand-offs past their deadline, and accepted, in a period.
    Index("ix_handoffs_team_deadline", "team_id", "deadline_at"),
    Index("ix_handoffs_team_decided", "team_id", "decided_at"),
    Index("ix_handoffs_to_user_state", "to_user_id", "state"),
    # The deadline sweep: pending hand-offs by deadline.
    Index("ix_handoffs_due", "deadline_at", postgresql_where=text(PENDING_SQL), sqlite_where=text(PENDING_SQL)),
    # At most one hand-off waits for acceptance per opportunity, also against racing writers.
    Index(
        "uq_handoffs_pending_opportunity", "opportunity_id", unique=True,
        postgresql_where=text(PENDING_SQL), sqlite_where=text(PENDING_SQL),
    ),
)

activities = Table(
    "activities", metadata,
    Column("id", Integer, primary_key=True),
    Column("team_id", Integer, ForeignKey("teams.id"), nullable=False),
    Column("opportunity_id", Integer, ForeignKey("opportunities.id"), nullable=True),
    Column("lead_id", Integer, ForeignKey("leads.id"), nullable=True),
    Column("actor_id", Integer, ForeignKey("users.id"), nullable=False),
    Column("kind", _enum(ActivityKind, "activity_kind"), nullable=False),
    Column("note", Text, nullable=True),
    Column("at", UTCDateTime, nullable=False),
    Column("outcome", _enum(ActivityOutcome, "activity_outcome"), nullable=True),
    Column("voice_file_id", String(255), nullable=True),
    Column("needs", Text, nullable=True),
    Column("next_step", String(200), nullable=True),
    Column("next_due", UTCDateTime, nullable=True),
    Index("ix_activities_opportunity", "opportunity_id", "at"),
    Index("ix_activities_lead", "lead_id", "at"),
    Index("ix_activities_team_at", "team_id", "at"),  # reports: a team's activity in a period
    Index("ix_activities_at", "at"),  # reports: the whole organisation's activity in a period
)

# A rep's skills for the RULES assignment policy: (user, kind, value), kind region|industry|product.
rep_skills = Table(
    "rep_skills", metadata,
    Column("user_id", Integer, ForeignKey("users.id"), primary_key=True),
    Column("kind", String(16), primary_key=True),
    Column("value", String(64), primary_key=True),
)

api_keys = Table(
    "api_keys", metadata,
    Column("id", Integer, primary_key=True),
    Column("team_id", Integer, ForeignKey("teams.id"), nullable=False, index=True),
    Column("channel", String(32), nullable=False),
    Column("source", _enum(LeadSource, "lead_source"), nullable=False),
    Column("key_hash", String(64), nullable=False, unique=True),
    Column("prefix", String(16), nullable=False),
    Column("created_by", Integer, ForeignKey("users.id"), nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
    Column("form_slug", String(32), nullable=False, unique=True),
    Column("revoked_at", UTCDateTime, nullable=True),
    Column("last_used_at", UTCDateTime, nullable=True),
)

intake_receipts = Table(
    "intake_receipts", metadata,
    Column("id", Integer, primary_key=True),
    Column("api_key_id", Integer, ForeignKey("api_keys.id"), nullable=False),
    Column("idempotency_key", String(128), nullable=False),
    Column("lead_id", Integer, ForeignKey("leads.id"), nullable=False),
    Column("outcome", String(16), nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
    # A repeated request with the same key acts once, also when two arrive at the same moment.
    UniqueConstraint("api_key_id", "idempotency_key", name="uq_intake_receipts_key"),
)

webhook_endpoints = Table(
    "webhook_endpoints", metadata,
    Column("id", Integer, primary_key=True),
    Column("team_id", Integer, ForeignKey("teams.id"), nullable=False, index=True),
    Column("url", String(500), nullable=False),
    Column("events", JSON, nullable=False),
    Column("secret", String(64), nullable=False),
    Column("created_by", Integer, ForeignKey("users.id"), nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
    Column("active", Boolean, nullable=False),
    Column("failures", Integer, nullable=False),
    Column("disabled_reason", String(16), nullable=True),
)

webhook_deliveries = Table(
    "webhook_deliveries", metadata,
    Column("id", Integer, primary_key=True),
    Column("endpoint_id", Integer, ForeignKey("webhook_endpoints.id", ondelete="CASCADE"), nullable=False),
    Column("team_id", Integer, nullable=False),
    Column("event", String(48), nullable=False),
    Column("event_id", String(36), nullable=False),
    Column("payload", JSON, nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
    Column("state", _enum(DeliveryState, "webhook_delivery_state"), nullable=False),
    Column("attempts", Integer, nullable=False),
    Column("next_attempt_at", UTCDateTime, nullable=True),
    Column("last_error", Text, nullable=True),
    Column("sent_at", UTCDateTime, nullable=True),
    Column("lease_until", UTCDateTime, nullable=True),
    # The worker's query: pending deliveries in due order (partial, like the outbox's).
    Index(
        "ix_webhook_deliveries_due", "next_attempt_at",
        postgresql_where=text("state = 'pending'"), sqlite_where=text("state = 'pending'"),
    ),
    Index("ix_webhook_deliveries_endpoint", "endpoint_id"),
)

# --- Quotes: the catalog, quotes and their lines, discount approvals, templates (issue 11) ----------------

QUOTE_CHECK_SQL = "check_at IS NOT NULL"
STEP_DUE_SQL = "state = 'pending'"

products = Table(
    "products", metadata,
    Column("id", Integer, primary_key=True),
    Column("team_id", Integer, ForeignKey("teams.id"), nullable=False),
    Column("code", String(32), nullable=False),
    Column("name_zh", String(100), nullable=False),
    Column("name_en", String(100), nullable=True),
    Column("unit", String(16), nullable=False),
    Column("list_price_minor", BigInteger, nullable=False),
    Column("floor_price_minor", BigInteger, nullable=False),
    Column("cost_minor", BigInteger, nullable=False),
    Column("tax_bp", Integer, nullable=False),
    Column("currency", String(3), nullable=False),
    Column("active", Boolean, nullable=False),
    Column("category", String(32), nullable=True),
    Column("created_at", UTCDateTime, nullable=True),
    Column("updated_at", UTCDateTime, nullable=True),
    # Imports match on the code: one product per code in a team.
    Index("uq_products_team_code", "team_id", "code", unique=True),
)

quotes = Table(
    "quotes", metadata,
    Column("id", Integer, primary_key=True),
    Column("team_id", Integer, ForeignKey("teams.id"), nullable=False),
    Column("opportunity_id", Integer, ForeignKey("opportunities.id"), nullable=False),
    Column("owner_id", Integer, ForeignKey("users.id"), nullable=False),
    Column("year", Integer, nullable=False),
    Column("seq", Integer, nullable=False),
    Column("version", Integer, nullable=False),
    Column("status", _enum(QuoteStatus, "quote_status"), nullable=False),
    Column("currency", String(3), nullable=False),
    Column("discount_bp", Integer, nullable=False),
    Column("valid_until", Date, nullable=False),
    Column("reason", Text, nullable=True),
    Column("customer_reason", Text, nullable=True),
    Column("needs", JSON, nullable=False),
    Column("covered", JSON, nullable=False),
    Column("counter_bp", Integer, nullable=True),
    Column("counter_level", String(16), nullable=True),
    Column("total_minor", BigInteger, nullable=False),
    Column("parent_id", Integer, ForeignKey("quotes.id"), nullable=True),
    Column("superseded_at", UTCDateTime, nullable=True),
    Column("submitted_at", UTCDateTime, nullable=True),
    Column("decided_at", UTCDateTime, nullable=True),
    Column("sent_at", UTCDateTime, nullable=True),
    Column("created_at", UTCDateTime, nullable=False),
    Column("updated_at", UTCDateTime, nullable=True),
    Column("check_at", UTCDateTime, nullable=True),
    Column("expiry_nudged", Boolean, nullable=False),
    # Q-2026-0001-v2: one row per number and version in a team.
    Index("uq_quotes_number", "team_id", "year", "seq", "version", unique=True),
    Index("ix_quotes_opportunity", "opportunity_id", "created_at"),
    # The expiry sweep: only live quotes with a check to come are in it.
    Index("ix_quotes_check", "check_at", postgresql_where=text(QUOTE_CHECK_SQL), sqlite_where=text(QUOTE_CHECK_SQL)),
    # The breakpoint board (issue 14): live quotes that leave a need unticked; a period's submitted quotes.
    Index("ix_quotes_uncovered", "team_id", postgresql_where=text(UNCOVERED_SQL), sqlite_where=text(UNCOVERED_SQL)),
    Index("ix_quotes_team_submitted", "team_id", "submitted_at"),
)

quote_lines = Table(
    "quote_lines", metadata,
    Column("id", Integer, primary_key=True),
    Column("quote_id", Integer, ForeignKey("quotes.id"), nullable=False),
    Column("position", Integer, nullable=False),
    Column("product_id", Integer, ForeignKey("products.id"), nullable=True),
    Column("code", String(32), nullable=True),
    Column("name", String(100), nullable=False),
    Column("unit", String(16), nullable=False),
    Column("quantity", Integer, nullable=False),
    Column("unit_price_minor", BigInteger, nullable=False),
    Column("cost_minor", BigInteger, nullable=False),
    Column("floor_minor", BigInteger, nullable=False),
    Column("tax_bp", Integer, nullable=False),
    Column("discount_bp", Integer, nullable=False),
    Column("net_minor", BigInteger, nullable=False),
    Index("ix_quote_lines_quote", "quote_id", "position"),
    # Price history: a product's lines.
    Index("ix_quote_lines_product", "product_id"),
)

quote_approvals = Table(
    "quote_approvals", metadata,
    Column("id", Integer, primary_key=True),
    Column("quote_id", Integer, ForeignKey("quotes.id"), nullable=False),
    Column("team_id", Integer, ForeignKey("teams.id"), nullable=False),
    Column("step", Integer, nullable=False),
    Column("level", _enum(Level, "approval_level"), nullable=False),
    Column("state", _enum(StepState, "approval_state"), nullable=False),
    Column("requested_at", UTCDateTime, nullable=False),
    Column("due_at", UTCDateTime, nullable=True),
    Column("check_at", UTCDateTime, nullable=True),
    Column("sla_stage", Integer, nullable=False),
    Column("decided_by", Integer, ForeignKey("users.id"), nullable=True),
    Column("decided_at", UTCDateTime, nullable=True),
    Column("note", Text, nullable=True),
    Column("counter_bp", Integer, nullable=True),
    Index("ix_quote_approvals_quote", "quote_id", "step"),
    Index("ix_quote_approvals_team_state", "team_id", "state", "requested_at"),
    # The SLA sweep: pending steps by their next check.
    Index(
        "ix_quote_approvals_due", "check_at",
        postgresql_where=text(STEP_DUE_SQL), sqlite_where=text(STEP_DUE_SQL),
    ),
)

quote_templates = Table(
    "quote_templates", metadata,
    Column("id", Integer, primary_key=True),
    Column("team_id", Integer, ForeignKey("teams.id"), nullable=False),
    Column("name", String(64), nullable=False),
    Column("created_by", Integer, ForeignKey("users.id"), nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
    Column("lines", JSON, nullable=False),
    Column("discount_bp", Integer, nullable=False),
    Column("active", Boolean, nullable=False),
    Index("ix_quote_templates_team", "team_id"),
)

quote_policies = Table(
    "quote_policies", metadata,
    Column("id", Integer, primary_key=True),
    Column("team_id", Integer, ForeignKey("teams.id"), nullable=False, unique=True),
    Column("manager_from_bp", Integer, nullable=False),
    Column("admin_from_bp", Integer, nullable=False),
    Column("margin_floor_bp", Integer, nullable=False),
    Column("sla_minutes", Integer, nullable=False),
    Column("validity_days", Integer, nullable=False),
)

# --- Contracts, payment plans and payments (issue 12) ------------------------------------------------------

CONTRACT_CHECK_SQL = "check_at IS NOT NULL"

contracts = Table(
    "contracts", metadata,
    Column("id", Integer, primary_key=True),
    Column("team_id", Integer, ForeignKey("teams.id"), nullable=False),
    Column("opportunity_id", Integer, ForeignKey("opportunities.id"), nullable=False),
    Column("quote_id", Integer, ForeignKey("quotes.id"), nullable=True),
    Column("owner_id", Integer, ForeignKey("users.id"), nullable=False),
    Column("created_by", Integer, ForeignKey("users.id"), nullable=False),
    Column("year", Integer, nullable=False),
    Column("seq", Integer, nullable=False),
    Column("amount_minor", BigInteger, nullable=False),
    Column("currency", String(3), nullable=False),
    Column("status", _enum(ContractStatus, "contract_status"), nullable=False),
    Column("plan", String(16), nullable=True),
    Column("amount_reason", Text, nullable=True),
    Column("sign_by", Date, nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
    Column("updated_at", UTCDateTime, nullable=True),
    Column("sent_at", UTCDateTime, nullable=True),
    Column("signed_at", UTCDateTime, nullable=True),
    Column("signed_by", Integer, ForeignKey("users.id"), nullable=True),
    Column("document_file_id", String(255), nullable=True),
    Column("document_hash", String(64), nullable=True),
    Column("document_name", String(120), nullable=True),
    Column("provider", String(32), nullable=False),
    Column("signature_ref", String(128), nullable=True),  # an e-signature callback's envelope id
    Column("document_url", String(500), nullable=True),  # where the provider keeps the signed document
    Column("cancelled_reason", Text, nullable=True),
    Column("paid_minor", BigInteger, nullable=False),
    Column("check_at", UTCDateTime, nullable=True),
    Column("sign_stage", Integer, nullable=False),
    # HT-2026-0001: one per number in a team.
    Index("uq_contracts_number", "team_id", "year", "seq", unique=True),
    Index("ix_contracts_opportunity", "opportunity_id"),
    # The signing watch: only contracts with a check to come.
    Index(
        "ix_contracts_check", "check_at",
        postgresql_where=text(CONTRACT_CHECK_SQL), sqlite_where=text(CONTRACT_CHECK_SQL),
    ),
)

contract_milestones = Table(
    "contract_milestones", metadata,
    Column("id", Integer, primary_key=True),
    Column("contract_id", Integer, ForeignKey("contracts.id"), nullable=False),
    Column("team_id", Integer, ForeignKey("teams.id"), nullable=False),
    Column("position", Integer, nullable=False),
    Column("label", String(60), nullable=False),
    Column("amount_minor", BigInteger, nullable=False),
    Column("currency", String(3), nullable=False),
    Column("percent_bp", Integer, nullable=True),
    Column("due_on", Date, nullable=False),
    Column("paid_minor", BigInteger, nullable=False),
    Column("paid_at", UTCDateTime, nullable=True),
    Column("remind_step", Integer, nullable=False),
    Column("check_at", UTCDateTime, nullable=True),
    Column("trigger", String(16), nullable=True),
    Index("ix_contract_milestones_contract", "contract_id", "position"),
    Index("ix_contract_milestones_team_due", "team_id", "due_on"),
    # The payment reminders: only open milestones of collecting contracts have a check.
    Index(
        "ix_contract_milestones_check", "check_at",
        postgresql_where=text(CONTRACT_CHECK_SQL), sqlite_where=text(CONTRACT_CHECK_SQL),
    ),
)

payments = Table(
    "payments", metadata,
    Column("id", Integer, primary_key=True),
    Column("contract_id", Integer, ForeignKey("contracts.id"), nullable=False),
    Column("team_id", Integer, ForeignKey("teams.id"), nullable=False),
    Column("milestone_id", Integer, ForeignKey("contract_milestones.id"), nullable=True),
    Column("amount_minor", BigInteger, nullable=False),
    Column("currency", String(3), nullable=False),
    Column("paid_on", Date, nullable=False),
    Column("method", _enum(PaymentMethod, "payment_method"), nullable=False),
    Column("receipt_file_id", String(255), nullable=True),
    Column("receipt_kind", String(16), nullable=True),
    Column("reported_by", Integer, ForeignKey("users.id"), nullable=False),
    Column("reported_at", UTCDateTime, nullable=False),
    Column("state", _enum(PaymentState, "payment_state"), nullable=False),
    Column("confirmed_minor", BigInteger, nullable=True),
    Column("decided_by", Integer, ForeignKey("users.id"), nullable=True),
    Column("decided_at", UTCDateTime, nullable=True),
    Column("reject_reason", Text, nullable=True),
    Index("ix_payments_contract", "contract_id", "id"),
    Index("ix_payments_team_state", "team_id", "state"),
)

# A team's payment plan templates and reminder cadence (NULL: the built-in ones).
payment_policies = Table(
    "payment_policies", metadata,
    Column("id", Integer, primary_key=True),
    Column("team_id", Integer, ForeignKey("teams.id"), nullable=False, unique=True),
    Column("templates", JSON, nullable=True),
    Column("cadence", JSON, nullable=True),
)

# --- After-sales: service tickets, satisfaction surveys, the team's service policy (issue 13) -------------

TICKET_CHECK_SQL = "check_at IS NOT NULL"

tickets = Table(
    "tickets", metadata,
    Column("id", Integer, primary_key=True),
    Column("team_id", Integer, ForeignKey("teams.id"), nullable=False),
    Column("opportunity_id", Integer, ForeignKey("opportunities.id"), nullable=True),
    Column("company", String(100), nullable=False),
    Column("company_key", String(100), nullable=False),
    Column("contact", String(100), nullable=True),
    Column("category", _enum(Category, "ticket_category"), nullable=False),
    Column("priority", _enum(Priority, "ticket_priority"), nullable=False),
    Column("status", _enum(TicketStatus, "ticket_status"), nullable=False),
    Column("description", Text, nullable=False),
    Column("media", String(255), nullable=True),
    Column("created_by", Integer, ForeignKey("users.id"), nullable=False),
    Column("owner_id", Integer, ForeignKey("users.id"), nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
    Column("updated_at", UTCDateTime, nullable=True),
    Column("response_minutes", Integer, nullable=False),
    Column("resolve_minutes", Integer, nullable=False),
    Column("responded_at", UTCDateTime, nullable=True),
    Column("resolve_used", Integer, nullable=False),
    Column("resolve_since", UTCDateTime, nullable=True),
    Column("response_stage", Integer, nullable=False),
    Column("resolve_stage", Integer, nullable=False),
    Column("check_at", UTCDateTime, nullable=True),
    Column("resolved_at", UTCDateTime, nullable=True),
    Column("closed_at", UTCDateTime, nullable=True),
    Column("survey_id", Integer, nullable=True),
    Index("ix_tickets_team_status", "team_id", "status", "created_at"),
    Index("ix_tickets_owner_status", "owner_id", "status"),
    Index("ix_tickets_customer", "team_id", "company_key"),
    # The SLA sweep: only running tickets with a mark to come are in it.
    Index("ix_tickets_check", "check_at", postgresql_where=text(TICKET_CHECK_SQL), sqlite_where=text(TICKET_CHECK_SQL)),
)

surveys = Table(
    "surveys", metadata,
    Column("id", Integer, primary_key=True),
    Column("team_id", Integer, ForeignKey("teams.id"), nullable=False),
    Column("ticket_id", Integer, ForeignKey("tickets.id"), nullable=True),
    Column("opportunity_id", Integer, ForeignKey("opportunities.id"), nullable=True),
    Column("company", String(100), nullable=False),
    Column("company_key", String(100), nullable=False),
    Column("channel", _enum(SurveyChannel, "survey_channel"), nullable=False),
    Column("token_hash", String(64), nullable=True, unique=True),
    Column("created_by", Integer, ForeignKey("users.id"), nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
    Column("expires_at", UTCDateTime, nullable=True),
    Column("answered_at", UTCDateTime, nullable=True),
    Column("score", Integer, nullable=True),
    Column("comment", Text, nullable=True),
    Column("respondent", BigInteger, nullable=True),
    Column("follow_up_id", Integer, ForeignKey("tickets.id"), nullable=True),
    Index("ix_surveys_ticket", "ticket_id"),
    Index("ix_surveys_customer", "team_id", "company_key"),
)

service_policies = Table(
    "service_policies", metadata,
    Column("id", Integer, primary_key=True),
    Column("team_id", Integer, ForeignKey("teams.id"), nullable=False, unique=True),
    Column("owner_rule", _enum(OwnerRule, "ticket_owner_rule"), nullable=False),
    Column("service_user_id", Integer, ForeignKey("users.id"), nullable=True),
    Column("p1_response", Integer, nullable=False),
    Column("p1_resolve", Integer, nullable=False),
    Column("p2_response", Integer, nullable=False),
    Column("p2_resolve", Integer, nullable=False),
    Column("p3_response", Integer, nullable=False),
    Column("p3_resolve", Integer, nullable=False),
    Column("survey_days", Integer, nullable=False),
    Column("renewal_days", Integer, nullable=False, server_default=text("30")),
)

# --- Delivery checklists (issue 13) -----------------------------------------------------------------------

DELIVERY_CHECK_SQL = "check_at IS NOT NULL"

delivery_items = Table(
    "delivery_items", metadata,
    Column("id", Integer, primary_key=True),
    Column("team_id", Integer, ForeignKey("teams.id"), nullable=False),
    Column("opportunity_id", Integer, ForeignKey("opportunities.id"), nullable=False),
    Column("position", Integer, nullable=False),
    Column("key", _enum(ItemKey, "delivery_item_key"), nullable=False),
    Column("name", String(60), nullable=True),
    Column("owner_id", Integer, ForeignKey("users.id"), nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
    Column("due_at", UTCDateTime, nullable=False),
    Column("done_at", UTCDateTime, nullable=True),
    Column("done_by", Integer, ForeignKey("users.id"), nullable=True),
    Column("document", String(255), nullable=True),
    Column("nudge_stage", Integer, nullable=False),
    Column("check_at", UTCDateTime, nullable=True),
    UniqueConstraint("opportunity_id", "position", name="uq_delivery_items_opportunity_id_position"),
    Index("ix_delivery_items_owner", "team_id", "owner_id", "done_at"),
    # The delivery sweep: only open items with a nudge to come are in it.
    Index("ix_delivery_items_check", "check_at", postgresql_where=text(DELIVERY_CHECK_SQL),
          sqlite_where=text(DELIVERY_CHECK_SQL)),
)

delivery_templates = Table(
    "delivery_templates", metadata,
    Column("id", Integer, primary_key=True),
    Column("team_id", Integer, ForeignKey("teams.id"), nullable=False),
    Column("position", Integer, nullable=False),
    Column("key", _enum(ItemKey, "delivery_item_key"), nullable=False),
    Column("name", String(60), nullable=True),
    Column("days", Integer, nullable=False),
    Column("owner_id", Integer, ForeignKey("users.id"), nullable=True),
    UniqueConstraint("team_id", "position", name="uq_delivery_templates_team_id_position"),
)

renewals = Table(
    "renewals", metadata,
    Column("id", Integer, primary_key=True),
    Column("team_id", Integer, ForeignKey("teams.id"), nullable=False),
    Column("opportunity_id", Integer, ForeignKey("opportunities.id"), nullable=False, unique=True),
    Column("renew_on", Date, nullable=False),
    Column("nudge_at", UTCDateTime, nullable=False),
    Column("nudged_at", UTCDateTime, nullable=True),
    Column("new_opportunity_id", Integer, ForeignKey("opportunities.id"), nullable=True),
    Column("set_by", Integer, ForeignKey("users.id"), nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
    Column("updated_at", UTCDateTime, nullable=True),
    Index("ix_renewals_nudge", "nudge_at"),
)

# --- Cross-team help (issue 13): questions to a colleague -------------------------------------------------

ASSIST_CHECK_SQL = "check_at IS NOT NULL"

assist_questions = Table(
    "assist_questions", metadata,
    Column("id", Integer, primary_key=True),
    Column("team_id", Integer, ForeignKey("teams.id"), nullable=False),
    Column("asked_by", Integer, ForeignKey("users.id"), nullable=False),
    Column("helper_id", Integer, ForeignKey("users.id"), nullable=False),
    Column("ticket_id", Integer, ForeignKey("tickets.id"), nullable=True),
    Column("opportunity_id", Integer, ForeignKey("opportunities.id"), nullable=True),
    Column("company", String(100), nullable=False),
    Column("question", Text, nullable=False),
    Column("state", _enum(AssistState, "assist_state"), nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
    Column("due_at", UTCDateTime, nullable=False),
    Column("remind_at", UTCDateTime, nullable=False),
    Column("accepted_at", UTCDateTime, nullable=True),
    Column("answer", Text, nullable=True),
    Column("answered_at", UTCDateTime, nullable=True),
    Column("withdrawn_at", UTCDateTime, nullable=True),
    Column("nudge_stage", Integer, nullable=False),
    Column("check_at", UTCDateTime, nullable=True),
    Index("ix_assist_questions_helper", "team_id", "helper_id", "state"),
    Index("ix_assist_questions_ticket", "ticket_id"),
    Index("ix_assist_questions_opportunity", "opportunity_id"),
    # The assist sweep: only pending questions with a notice to come are in it.
    Index("ix_assist_questions_check", "check_at", postgresql_where=text(ASSIST_CHECK_SQL),
          sqlite_where=text(ASSIST_CHECK_SQL)),
)

# Infrastructure tables: no domain entity behind them.
processed_updates = Table(
    "processed_updates", metadata,
    Column("bot_id", BigInteger, primary_key=True),
    Column("update_id", BigInteger, primary_key=True),
    Column("at", UTCDateTime, nullable=False, index=True),
)

# Which instance runs a periodic job for now (bot/scheduler.py): a sweep runs once across instances.
scheduler_leases = Table(
    "scheduler_leases", metadata,
    Column("name", String(64), primary_key=True),
    Column("owner", String(64), nullable=False),
    Column("until", UTCDateTime, nullable=False),
)

fsm_states = Table(
    "fsm_states", metadata,
    Column("key", String(255), primary_key=True),
    Column("state", String(255), nullable=True),
    Column("data", JSON(none_as_null=True), nullable=True),
)

mapper_registry = registry(metadata=metadata)
_mapped = False


def _cursor_loaded(policy: TeamPolicy, _context: Any) -> None:
    policy.rr_cursor = policy.rr_cursor_stored  # type: ignore[attr-defined]


def _cursor_refreshed(policy: TeamPolicy, _context: Any, attrs: Any) -> None:
    if attrs is None or "rr_cursor_stored" in attrs:
        policy.rr_cursor = policy.rr_cursor_stored  # type: ignore[attr-defined]


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
    # The round robin's cursor is not an ORM attribute: every lead a team captures moves it, and as a dirty
    # attribute it was written by the first autoflush, holding the team's policy row locked for the rest of
    # the capture (two instances queued behind each other). SqlPolicies writes it just before the commit.
    mapper_registry.map_imperatively(
        TeamPolicy, team_policies, exclude_properties=["rr_cursor"],
        properties={"rr_cursor_stored": column_property(team_policies.c.rr_cursor)},
    )
    event.listen(TeamPolicy, "load", _cursor_loaded)
    event.listen(TeamPolicy, "refresh", _cursor_refreshed)
    mapper_registry.map_imperatively(Lead, leads)
    mapper_registry.map_imperatively(Opportunity, opportunities)
    mapper_registry.map_imperatively(StageChange, stage_changes)
    mapper_registry.map_imperatively(Handoff, handoffs)
    mapper_registry.map_imperatively(Activity, activities)
    mapper_registry.map_imperatively(ApiKey, api_keys)
    mapper_registry.map_imperatively(IntakeReceipt, intake_receipts)
    mapper_registry.map_imperatively(WebhookEndpoint, webhook_endpoints)
    mapper_registry.map_imperatively(WebhookDelivery, webhook_deliveries)
    mapper_registry.map_imperatively(Product, products)
    mapper_registry.map_imperatively(Quote, quotes)
    mapper_registry.map_imperatively(QuoteLine, quote_lines)
    mapper_registry.map_imperatively(ApprovalStep, quote_approvals)
    mapper_registry.map_imperatively(QuoteTemplate, quote_templates)
    mapper_registry.map_imperatively(QuotePolicy, quote_policies)
    mapper_registry.map_imperatively(Contract, contracts)
    mapper_registry.map_imperatively(Milestone, contract_milestones)
    mapper_registry.map_imperatively(Payment, payments)
    mapper_registry.map_imperatively(PaymentPolicy, payment_policies)
    mapper_registry.map_imperatively(Ticket, tickets)
    mapper_registry.map_imperatively(Survey, surveys)
    mapper_registry.map_imperatively(ServicePolicy, service_policies)
    mapper_registry.map_imperatively(DeliveryItem, delivery_items)
    mapper_registry.map_imperatively(TemplateRow, delivery_templates)
    mapper_registry.map_imperatively(Renewal, renewals)
    mapper_registry.map_imperatively(Question, assist_questions)
    _mapped = True
