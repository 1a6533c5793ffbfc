"""intake from outside the chat: API keys per channel, idempotency receipts

Revision ID: 0010
Revises: 0007
Create Date: 2026-12-01 10:00:00
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import storage.types

revision = '0010'
down_revision = '0007'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'api_keys',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('team_id', sa.Integer(), nullable=False),
        sa.Column('channel', sa.String(length=32), nullable=False),
        sa.Column('source', sa.Enum('website', 'event', 'referral', 'cold_call', 'advertising', 'partner', 'other',
                                    name='lead_source', native_enum=False, create_constraint=False, length=16),
                  nullable=False),
        sa.Column('key_hash', sa.String(length=64), nullable=False),
        sa.Column('prefix', sa.String(length=16), nullable=False),
        sa.Column('created_by', sa.Integer(), nullable=False),
        sa.Column('created_at', storage.types.UTCDateTime(), nullable=False),
        sa.Column('form_slug', sa.String(length=32), nullable=False),
        sa.Column('revoked_at', storage.types.UTCDateTime(), nullable=True),
        sa.Column('last_used_at', storage.types.UTCDateTime(), nullable=True),
        sa.ForeignKeyConstraint(['created_by'], ['users.id'], name=op.f('fk_api_keys_created_by_users')),
        sa.ForeignKeyConstraint(['team_id'], ['teams.id'], name=op.f('fk_api_keys_team_id_teams')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_api_keys')),
        sa.UniqueConstraint('key_hash', name=op.f('uq_api_keys_key_hash')),
        sa.UniqueConstraint('form_slug', name=op.f('uq_api_keys_form_slug')),
    )
    op.create_index(op.f('ix_api_keys_team_id'), 'api_keys', ['team_id'], unique=False)
    op.create_table(
        'intake_receipts',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('api_key_id', sa.Integer(), nullable=False),
        sa.Column('idempotency_key', sa.String(length=128), nullable=False),
        sa.Column('lead_id', sa.Integer(), nullable=False),
        sa.Column('outcome', sa.String(length=16), nullable=False),
        sa.Column('created_at', storage.types.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(['api_key_id'], ['api_keys.id'], name=op.f('fk_intake_receipts_api_key_id_api_keys')),
        sa.ForeignKeyConstraint(['lead_id'], ['leads.id'], name=op.f('fk_intake_receipts_lead_id_leads')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_intake_receipts')),
        sa.UniqueConstraint('api_key_id', 'idempotency_key', name='uq_intake_receipts_key'),
    )


def downgrade() -> None:
    op.drop_table('intake_receipts')
    op.drop_index(op.f('ix_api_keys_team_id'), table_name='api_keys')
    op.drop_table('api_keys')
