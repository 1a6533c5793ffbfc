"""contracts and payments: contracts, their payment plans (milestones) and payments

Revision ID: 0012
Revises: 0008
Create Date: 2026-12-03 09:00:00
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import storage.types


revision = '0012'
down_revision = '0008'
branch_labels = None
depends_on = None

CONTRACT_STATUSES = ('draft', 'sent', 'signed', 'active', 'completed', 'cancelled')
PAYMENT_METHODS = ('bank', 'acceptance', 'alipay', 'wechat', 'cash', 'other')
PAYMENT_STATES = ('reported', 'confirmed', 'rejected')


def _enum(values: tuple[str, ...], name: str) -> sa.Enum:
    return sa.Enum(*values, name=name, native_enum=False, length=16)


def upgrade() -> None:
    UTC = storage.types.UTCDateTime
    op.create_table(
        'contracts',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('team_id', sa.Integer(), nullable=False),
        sa.Column('opportunity_id', sa.Integer(), nullable=False),
        sa.Column('quote_id', sa.Integer(), nullable=True),
        sa.Column('owner_id', sa.Integer(), nullable=False),
        sa.Column('created_by', sa.Integer(), nullable=False),
        sa.Column('year', sa.Integer(), nullable=False),
        sa.Column('seq', sa.Integer(), nullable=False),
        sa.Column('amount_minor', sa.BigInteger(), nullable=False),
        sa.Column('currency', sa.String(length=3), nullable=False),
        sa.Column('status', _enum(CONTRACT_STATUSES, 'contract_status'), nullable=False),
        sa.Column('plan', sa.String(length=16), nullable=True),
        sa.Column('amount_reason', sa.Text(), nullable=True),
        sa.Column('sign_by', sa.Date(), nullable=False),
        sa.Column('created_at', UTC(), nullable=False),
        sa.Column('updated_at', UTC(), nullable=True),
        sa.Column('sent_at', UTC(), nullable=True),
        sa.Column('signed_at', UTC(), nullable=True),
        sa.Column('signed_by', sa.Integer(), nullable=True),
        sa.Column('document_file_id', sa.String(length=255), nullable=True),
        sa.Column('document_hash', sa.String(length=64), nullable=True),
        sa.Column('document_name', sa.String(length=120), nullable=True),
        sa.Column('provider', sa.String(length=32), nullable=False),
        sa.Column('cancelled_reason', sa.Text(), nullable=True),
        sa.Column('paid_minor', sa.BigInteger(), nullable=False),
        sa.Column('check_at', UTC(), nullable=True),
        sa.Column('sign_stage', sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(['team_id'], ['teams.id'], name=op.f('fk_contracts_team_id_teams')),
        sa.ForeignKeyConstraint(['opportunity_id'], ['opportunities.id'], name=op.f('fk_contracts_opportunity_id_opportunities')),
        sa.ForeignKeyConstraint(['quote_id'], ['quotes.id'], name=op.f('fk_contracts_quote_id_quotes')),
        sa.ForeignKeyConstraint(['owner_id'], ['users.id'], name=op.f('fk_contracts_owner_id_users')),
        sa.ForeignKeyConstraint(['created_by'], ['users.id'], name=op.f('fk_contracts_created_by_users')),
        sa.ForeignKeyConstraint(['signed_by'], ['users.id'], name=op.f('fk_contracts_signed_by_users')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_contracts')),
    )
    op.create_index('uq_contracts_number', 'contracts', ['team_id', 'year', 'seq'], unique=True)
    op.create_index('ix_contracts_opportunity', 'contracts', ['opportunity_id'], unique=False)
    op.create_index('ix_contracts_check', 'contracts', ['check_at'], unique=False, postgresql_where=sa.text('check_at IS NOT NULL'), sqlite_where=sa.text('check_at IS NOT NULL'))

    op.create_table(
        'contract_milestones',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('contract_id', sa.Integer(), nullable=False),
        sa.Column('team_id', sa.Integer(), nullable=False),
        sa.Column('position', sa.Integer(), nullable=False),
        sa.Column('label', sa.String(length=60), nullable=False),
        sa.Column('amount_minor', sa.BigInteger(), nullable=False),
        sa.Column('currency', sa.String(length=3), nullable=False),
        sa.Column('percent_bp', sa.Integer(), nullable=True),
        sa.Column('due_on', sa.Date(), nullable=False),
        sa.Column('paid_minor', sa.BigInteger(), nullable=False),
        sa.Column('paid_at', UTC(), nullable=True),
        sa.Column('remind_step', sa.Integer(), nullable=False),
        sa.Column('check_at', UTC(), nullable=True),
        sa.Column('trigger', sa.String(length=16), nullable=True),
        sa.ForeignKeyConstraint(['contract_id'], ['contracts.id'], name=op.f('fk_contract_milestones_contract_id_contracts')),
        sa.ForeignKeyConstraint(['team_id'], ['teams.id'], name=op.f('fk_contract_milestones_team_id_teams')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_contract_milestones')),
    )
    op.create_index('ix_contract_milestones_contract', 'contract_milestones', ['contract_id', 'position'], unique=False)
    op.create_index('ix_contract_milestones_team_due', 'contract_milestones', ['team_id', 'due_on'], unique=False)
    op.create_index('ix_contract_milestones_check', 'contract_milestones', ['check_at'], unique=False, postgresql_where=sa.text('check_at IS NOT NULL'), sqlite_where=sa.text('check_at IS NOT NULL'))

    op.create_table(
        'payments',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('contract_id', sa.Integer(), nullable=False),
        sa.Column('team_id', sa.Integer(), nullable=False),
        sa.Column('milestone_id', sa.Integer(), nullable=True),
        sa.Column('amount_minor', sa.BigInteger(), nullable=False),
        sa.Column('currency', sa.String(length=3), nullable=False),
        sa.Column('paid_on', sa.Date(), nullable=False),
        sa.Column('method', _enum(PAYMENT_METHODS, 'payment_method'), nullable=False),
        sa.Column('receipt_file_id', sa.String(length=255), nullable=True),
        sa.Column('receipt_kind', sa.String(length=16), nullable=True),
        sa.Column('reported_by', sa.Integer(), nullable=False),
        sa.Column('reported_at', UTC(), nullable=False),
        sa.Column('state', _enum(PAYMENT_STATES, 'payment_state'), nullable=False),
        sa.Column('confirmed_minor', sa.BigInteger(), nullable=True),
        sa.Column('decided_by', sa.Integer(), nullable=True),
        sa.Column('decided_at', UTC(), nullable=True),
        sa.Column('reject_reason', sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(['contract_id'], ['contracts.id'], name=op.f('fk_payments_contract_id_contracts')),
        sa.ForeignKeyConstraint(['team_id'], ['teams.id'], name=op.f('fk_payments_team_id_teams')),
        sa.ForeignKeyConstraint(['milestone_id'], ['contract_milestones.id'], name=op.f('fk_payments_milestone_id_contract_milestones')),
        sa.ForeignKeyConstraint(['reported_by'], ['users.id'], name=op.f('fk_payments_reported_by_users')),
        sa.ForeignKeyConstraint(['decided_by'], ['users.id'], name=op.f('fk_payments_decided_by_users')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_payments')),
    )
    op.create_index('ix_payments_contract', 'payments', ['contract_id', 'id'], unique=False)
    op.create_index('ix_payments_team_state', 'payments', ['team_id', 'state'], unique=False)


def downgrade() -> None:
    op.drop_index('ix_payments_team_state', table_name='payments')
    op.drop_index('ix_payments_contract', table_name='payments')
    op.drop_table('payments')
    op.drop_index('ix_contract_milestones_check', table_name='contract_milestones')
    op.drop_index('ix_contract_milestones_team_due', table_name='contract_milestones')
    op.drop_index('ix_contract_milestones_contract', table_name='contract_milestones')
    op.drop_table('contract_milestones')
    op.drop_index('ix_contracts_check', table_name='contracts')
    op.drop_index('ix_contracts_opportunity', table_name='contracts')
    op.drop_index('uq_contracts_number', table_name='contracts')
    op.drop_table('contracts')
