"""after-sales: service tickets with their SLA clocks, satisfaction surveys, the teams' service policies

Revision ID: 0015
Revises: 0008
Create Date: 2026-12-04 09:00:00
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import storage.types

revision = '0015'
down_revision = '0012'  # after contracts (0012); 0013 and 0014 were never needed
branch_labels = None
depends_on = None

CATEGORIES = ('fault', 'question', 'complaint', 'change')
PRIORITIES = ('p1', 'p2', 'p3')
STATUSES = ('new', 'in_progress', 'waiting', 'resolved', 'closed')
CHANNELS = ('link', 'phone')
OWNER_RULES = ('deal_owner', 'service')
ITEM_KEYS = ('kickoff', 'install', 'training', 'acceptance', 'custom')


def _enum(values: tuple[str, ...], name: str) -> sa.Enum:
    return sa.Enum(*values, name=name, native_enum=False, length=16)


def upgrade() -> None:
    UTC = storage.types.UTCDateTime
    op.create_table(
        'tickets',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('team_id', sa.Integer(), nullable=False),
        sa.Column('opportunity_id', sa.Integer(), nullable=True),
        sa.Column('company', sa.String(length=100), nullable=False),
        sa.Column('company_key', sa.String(length=100), nullable=False),
        sa.Column('contact', sa.String(length=100), nullable=True),
        sa.Column('category', _enum(CATEGORIES, 'ticket_category'), nullable=False),
        sa.Column('priority', _enum(PRIORITIES, 'ticket_priority'), nullable=False),
        sa.Column('status', _enum(STATUSES, 'ticket_status'), nullable=False),
        sa.Column('description', sa.Text(), nullable=False),
        sa.Column('media', sa.String(length=255), nullable=True),
        sa.Column('created_by', sa.Integer(), nullable=False),
        sa.Column('owner_id', sa.Integer(), nullable=False),
        sa.Column('created_at', UTC(), nullable=False),
        sa.Column('updated_at', UTC(), nullable=True),
        sa.Column('response_minutes', sa.Integer(), nullable=False),
        sa.Column('resolve_minutes', sa.Integer(), nullable=False),
        sa.Column('responded_at', UTC(), nullable=True),
        sa.Column('resolve_used', sa.Integer(), nullable=False),
        sa.Column('resolve_since', UTC(), nullable=True),
        sa.Column('response_stage', sa.Integer(), nullable=False),
        sa.Column('resolve_stage', sa.Integer(), nullable=False),
        sa.Column('check_at', UTC(), nullable=True),
        sa.Column('resolved_at', UTC(), nullable=True),
        sa.Column('closed_at', UTC(), nullable=True),
        sa.Column('survey_id', sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(['team_id'], ['teams.id'], name=op.f('fk_tickets_team_id_teams')),
        sa.ForeignKeyConstraint(['opportunity_id'], ['opportunities.id'], name=op.f('fk_tickets_opportunity_id_opportunities')),
        sa.ForeignKeyConstraint(['created_by'], ['users.id'], name=op.f('fk_tickets_created_by_users')),
        sa.ForeignKeyConstraint(['owner_id'], ['users.id'], name=op.f('fk_tickets_owner_id_users')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_tickets')),
    )
    op.create_index('ix_tickets_team_status', 'tickets', ['team_id', 'status', 'created_at'], unique=False)
    op.create_index('ix_tickets_owner_status', 'tickets', ['owner_id', 'status'], unique=False)
    op.create_index('ix_tickets_customer', 'tickets', ['team_id', 'company_key'], unique=False)
    op.create_index('ix_tickets_check', 'tickets', ['check_at'], unique=False,
                    postgresql_where=sa.text('check_at IS NOT NULL'), sqlite_where=sa.text('check_at IS NOT NULL'))

    op.create_table(
        'surveys',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('team_id', sa.Integer(), nullable=False),
        sa.Column('ticket_id', sa.Integer(), nullable=True),
        sa.Column('opportunity_id', sa.Integer(), nullable=True),
        sa.Column('company', sa.String(length=100), nullable=False),
        sa.Column('company_key', sa.String(length=100), nullable=False),
        sa.Column('channel', _enum(CHANNELS, 'survey_channel'), nullable=False),
        sa.Column('token_hash', sa.String(length=64), nullable=True),
        sa.Column('created_by', sa.Integer(), nullable=False),
        sa.Column('created_at', UTC(), nullable=False),
        sa.Column('expires_at', UTC(), nullable=True),
        sa.Column('answered_at', UTC(), nullable=True),
        sa.Column('score', sa.Integer(), nullable=True),
        sa.Column('comment', sa.Text(), nullable=True),
        sa.Column('respondent', sa.BigInteger(), nullable=True),
        sa.Column('follow_up_id', sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(['team_id'], ['teams.id'], name=op.f('fk_surveys_team_id_teams')),
        sa.ForeignKeyConstraint(['ticket_id'], ['tickets.id'], name=op.f('fk_surveys_ticket_id_tickets')),
        sa.ForeignKeyConstraint(['opportunity_id'], ['opportunities.id'], name=op.f('fk_surveys_opportunity_id_opportunities')),
        sa.ForeignKeyConstraint(['created_by'], ['users.id'], name=op.f('fk_surveys_created_by_users')),
        sa.ForeignKeyConstraint(['follow_up_id'], ['tickets.id'], name=op.f('fk_surveys_follow_up_id_tickets')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_surveys')),
        sa.UniqueConstraint('token_hash', name=op.f('uq_surveys_token_hash')),
    )
    op.create_index('ix_surveys_ticket', 'surveys', ['ticket_id'], unique=False)
    op.create_index('ix_surveys_customer', 'surveys', ['team_id', 'company_key'], unique=False)

    op.create_table(
        'service_policies',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('team_id', sa.Integer(), nullable=False),
        sa.Column('owner_rule', _enum(OWNER_RULES, 'ticket_owner_rule'), nullable=False),
        sa.Column('service_user_id', sa.Integer(), nullable=True),
        sa.Column('p1_response', sa.Integer(), nullable=False),
        sa.Column('p1_resolve', sa.Integer(), nullable=False),
        sa.Column('p2_response', sa.Integer(), nullable=False),
        sa.Column('p2_resolve', sa.Integer(), nullable=False),
        sa.Column('p3_response', sa.Integer(), nullable=False),
        sa.Column('p3_resolve', sa.Integer(), nullable=False),
        sa.Column('survey_days', sa.Integer(), nullable=False),
        sa.Column('renewal_days', sa.Integer(), server_default=sa.text('30'), nullable=False),
        sa.ForeignKeyConstraint(['team_id'], ['teams.id'], name=op.f('fk_service_policies_team_id_teams')),
        sa.ForeignKeyConstraint(['service_user_id'], ['users.id'], name=op.f('fk_service_policies_service_user_id_users')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_service_policies')),
        sa.UniqueConstraint('team_id', name=op.f('uq_service_policies_team_id')),
    )

    op.create_table(
        'delivery_items',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('team_id', sa.Integer(), nullable=False),
        sa.Column('opportunity_id', sa.Integer(), nullable=False),
        sa.Column('position', sa.Integer(), nullable=False),
        sa.Column('key', _enum(ITEM_KEYS, 'delivery_item_key'), nullable=False),
        sa.Column('name', sa.String(length=60), nullable=True),
        sa.Column('owner_id', sa.Integer(), nullable=False),
        sa.Column('created_at', UTC(), nullable=False),
        sa.Column('due_at', UTC(), nullable=False),
        sa.Column('done_at', UTC(), nullable=True),
        sa.Column('done_by', sa.Integer(), nullable=True),
        sa.Column('document', sa.String(length=255), nullable=True),
        sa.Column('nudge_stage', sa.Integer(), nullable=False),
        sa.Column('check_at', UTC(), nullable=True),
        sa.ForeignKeyConstraint(['team_id'], ['teams.id'], name=op.f('fk_delivery_items_team_id_teams')),
        sa.ForeignKeyConstraint(['opportunity_id'], ['opportunities.id'],
                                name=op.f('fk_delivery_items_opportunity_id_opportunities')),
        sa.ForeignKeyConstraint(['owner_id'], ['users.id'], name=op.f('fk_delivery_items_owner_id_users')),
        sa.ForeignKeyConstraint(['done_by'], ['users.id'], name=op.f('fk_delivery_items_done_by_users')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_delivery_items')),
        sa.UniqueConstraint('opportunity_id', 'position', name='uq_delivery_items_opportunity_id_position'),
    )
    op.create_index('ix_delivery_items_owner', 'delivery_items', ['team_id', 'owner_id', 'done_at'], unique=False)
    op.create_index('ix_delivery_items_check', 'delivery_items', ['check_at'], unique=False,
                    postgresql_where=sa.text('check_at IS NOT NULL'), sqlite_where=sa.text('check_at IS NOT NULL'))

    op.create_table(
        'delivery_templates',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('team_id', sa.Integer(), nullable=False),
        sa.Column('position', sa.Integer(), nullable=False),
        sa.Column('key', _enum(ITEM_KEYS, 'delivery_item_key'), nullable=False),
        sa.Column('name', sa.String(length=60), nullable=True),
        sa.Column('days', sa.Integer(), nullable=False),
        sa.Column('owner_id', sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(['team_id'], ['teams.id'], name=op.f('fk_delivery_templates_team_id_teams')),
        sa.ForeignKeyConstraint(['owner_id'], ['users.id'], name=op.f('fk_delivery_templates_owner_id_users')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_delivery_templates')),
        sa.UniqueConstraint('team_id', 'position', name='uq_delivery_templates_team_id_position'),
    )

    op.create_table(
        'renewals',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('team_id', sa.Integer(), nullable=False),
        sa.Column('opportunity_id', sa.Integer(), nullable=False),
        sa.Column('renew_on', sa.Date(), nullable=False),
        sa.Column('nudge_at', UTC(), nullable=False),
        sa.Column('nudged_at', UTC(), nullable=True),
        sa.Column('new_opportunity_id', sa.Integer(), nullable=True),
        sa.Column('set_by', sa.Integer(), nullable=False),
        sa.Column('created_at', UTC(), nullable=False),
        sa.Column('updated_at', UTC(), nullable=True),
        sa.ForeignKeyConstraint(['team_id'], ['teams.id'], name=op.f('fk_renewals_team_id_teams')),
        sa.ForeignKeyConstraint(['opportunity_id'], ['opportunities.id'],
                                name=op.f('fk_renewals_opportunity_id_opportunities')),
        sa.ForeignKeyConstraint(['new_opportunity_id'], ['opportunities.id'],
                                name=op.f('fk_renewals_new_opportunity_id_opportunities')),
        sa.ForeignKeyConstraint(['set_by'], ['users.id'], name=op.f('fk_renewals_set_by_users')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_renewals')),
        sa.UniqueConstraint('opportunity_id', name=op.f('uq_renewals_opportunity_id')),
    )
    op.create_index('ix_renewals_nudge', 'renewals', ['nudge_at'], unique=False)


def downgrade() -> None:
    op.drop_index('ix_renewals_nudge', table_name='renewals')
    op.drop_table('renewals')
    op.drop_table('delivery_templates')
    op.drop_index('ix_delivery_items_check', table_name='delivery_items')
    op.drop_index('ix_delivery_items_owner', table_name='delivery_items')
    op.drop_table('delivery_items')
    op.drop_table('service_policies')
    op.drop_index('ix_surveys_customer', table_name='surveys')
    op.drop_index('ix_surveys_ticket', table_name='surveys')
    op.drop_table('surveys')
    op.drop_index('ix_tickets_check', table_name='tickets')
    op.drop_index('ix_tickets_customer', table_name='tickets')
    op.drop_index('ix_tickets_owner_status', table_name='tickets')
    op.drop_index('ix_tickets_team_status', table_name='tickets')
    op.drop_table('tickets')
