"""quotes: the product catalog, quotes and their lines, discount approvals, templates, quote policies;
the deal's latest quote status

Revision ID: 0008
Revises: 0011
Create Date: 2026-12-02 09:00:00
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import storage.types


revision = '0008'
down_revision = '0011'  # after intake (0010) and webhooks (0011), merged first
branch_labels = None
depends_on = None

QUOTE_STATUSES = ('draft', 'pending', 'approved', 'sent', 'accepted', 'rejected', 'expired')
LEVELS = ('manager', 'admin')
STEP_STATES = ('waiting', 'pending', 'approved', 'rejected', 'countered', 'cancelled')


def _enum(values: tuple[str, ...], name: str) -> sa.Enum:
    return sa.Enum(*values, name=name, native_enum=False, length=16)


def upgrade() -> None:
    UTC = storage.types.UTCDateTime
    op.create_table(
        'products',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('team_id', sa.Integer(), nullable=False),
        sa.Column('code', sa.String(length=32), nullable=False),
        sa.Column('name_zh', sa.String(length=100), nullable=False),
        sa.Column('name_en', sa.String(length=100), nullable=True),
        sa.Column('unit', sa.String(length=16), nullable=False),
        sa.Column('list_price_minor', sa.BigInteger(), nullable=False),
        sa.Column('floor_price_minor', sa.BigInteger(), nullable=False),
        sa.Column('cost_minor', sa.BigInteger(), nullable=False),
        sa.Column('tax_bp', sa.Integer(), nullable=False),
        sa.Column('currency', sa.String(length=3), nullable=False),
        sa.Column('active', sa.Boolean(), nullable=False),
        sa.Column('category', sa.String(length=32), nullable=True),
        sa.Column('created_at', UTC(), nullable=True),
        sa.Column('updated_at', UTC(), nullable=True),
        sa.ForeignKeyConstraint(['team_id'], ['teams.id'], name=op.f('fk_products_team_id_teams')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_products')),
    )
    op.create_index('uq_products_team_code', 'products', ['team_id', 'code'], unique=True)

    op.create_table(
        'quotes',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('team_id', sa.Integer(), nullable=False),
        sa.Column('opportunity_id', sa.Integer(), nullable=False),
        sa.Column('owner_id', sa.Integer(), nullable=False),
        sa.Column('year', sa.Integer(), nullable=False),
        sa.Column('seq', sa.Integer(), nullable=False),
        sa.Column('version', sa.Integer(), nullable=False),
        sa.Column('status', _enum(QUOTE_STATUSES, 'quote_status'), nullable=False),
        sa.Column('currency', sa.String(length=3), nullable=False),
        sa.Column('discount_bp', sa.Integer(), nullable=False),
        sa.Column('valid_until', sa.Date(), nullable=False),
        sa.Column('reason', sa.Text(), nullable=True),
        sa.Column('customer_reason', sa.Text(), nullable=True),
        sa.Column('needs', sa.JSON(), nullable=False),
        sa.Column('covered', sa.JSON(), nullable=False),
        sa.Column('counter_bp', sa.Integer(), nullable=True),
        sa.Column('counter_level', sa.String(length=16), nullable=True),
        sa.Column('total_minor', sa.BigInteger(), nullable=False),
        sa.Column('parent_id', sa.Integer(), nullable=True),
        sa.Column('superseded_at', UTC(), nullable=True),
        sa.Column('submitted_at', UTC(), nullable=True),
        sa.Column('decided_at', UTC(), nullable=True),
        sa.Column('sent_at', UTC(), nullable=True),
        sa.Column('created_at', UTC(), nullable=False),
        sa.Column('updated_at', UTC(), nullable=True),
        sa.Column('check_at', UTC(), nullable=True),
        sa.Column('expiry_nudged', sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(['team_id'], ['teams.id'], name=op.f('fk_quotes_team_id_teams')),
        sa.ForeignKeyConstraint(['opportunity_id'], ['opportunities.id'], name=op.f('fk_quotes_opportunity_id_opportunities')),
        sa.ForeignKeyConstraint(['owner_id'], ['users.id'], name=op.f('fk_quotes_owner_id_users')),
        sa.ForeignKeyConstraint(['parent_id'], ['quotes.id'], name=op.f('fk_quotes_parent_id_quotes')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_quotes')),
    )
    op.create_index('uq_quotes_number', 'quotes', ['team_id', 'year', 'seq', 'version'], unique=True)
    op.create_index('ix_quotes_opportunity', 'quotes', ['opportunity_id', 'created_at'], unique=False)
    op.create_index('ix_quotes_check', 'quotes', ['check_at'], unique=False, postgresql_where=sa.text('check_at IS NOT NULL'), sqlite_where=sa.text('check_at IS NOT NULL'))

    op.create_table(
        'quote_lines',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('quote_id', sa.Integer(), nullable=False),
        sa.Column('position', sa.Integer(), nullable=False),
        sa.Column('product_id', sa.Integer(), nullable=True),
        sa.Column('code', sa.String(length=32), nullable=True),
        sa.Column('name', sa.String(length=100), nullable=False),
        sa.Column('unit', sa.String(length=16), nullable=False),
        sa.Column('quantity', sa.Integer(), nullable=False),
        sa.Column('unit_price_minor', sa.BigInteger(), nullable=False),
        sa.Column('cost_minor', sa.BigInteger(), nullable=False),
        sa.Column('floor_minor', sa.BigInteger(), nullable=False),
        sa.Column('tax_bp', sa.Integer(), nullable=False),
        sa.Column('discount_bp', sa.Integer(), nullable=False),
        sa.Column('net_minor', sa.BigInteger(), nullable=False),
        sa.ForeignKeyConstraint(['quote_id'], ['quotes.id'], name=op.f('fk_quote_lines_quote_id_quotes')),
        sa.ForeignKeyConstraint(['product_id'], ['products.id'], name=op.f('fk_quote_lines_product_id_products')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_quote_lines')),
    )
    op.create_index('ix_quote_lines_quote', 'quote_lines', ['quote_id', 'position'], unique=False)
    op.create_index('ix_quote_lines_product', 'quote_lines', ['product_id'], unique=False)

    op.create_table(
        'quote_approvals',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('quote_id', sa.Integer(), nullable=False),
        sa.Column('team_id', sa.Integer(), nullable=False),
        sa.Column('step', sa.Integer(), nullable=False),
        sa.Column('level', _enum(LEVELS, 'approval_level'), nullable=False),
        sa.Column('state', _enum(STEP_STATES, 'approval_state'), nullable=False),
        sa.Column('requested_at', UTC(), nullable=False),
        sa.Column('due_at', UTC(), nullable=True),
        sa.Column('check_at', UTC(), nullable=True),
        sa.Column('sla_stage', sa.Integer(), nullable=False),
        sa.Column('decided_by', sa.Integer(), nullable=True),
        sa.Column('decided_at', UTC(), nullable=True),
        sa.Column('note', sa.Text(), nullable=True),
        sa.Column('counter_bp', sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(['quote_id'], ['quotes.id'], name=op.f('fk_quote_approvals_quote_id_quotes')),
        sa.ForeignKeyConstraint(['team_id'], ['teams.id'], name=op.f('fk_quote_approvals_team_id_teams')),
        sa.ForeignKeyConstraint(['decided_by'], ['users.id'], name=op.f('fk_quote_approvals_decided_by_users')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_quote_approvals')),
    )
    op.create_index('ix_quote_approvals_quote', 'quote_approvals', ['quote_id', 'step'], unique=False)
    op.create_index('ix_quote_approvals_team_state', 'quote_approvals', ['team_id', 'state', 'requested_at'], unique=False)
    op.create_index('ix_quote_approvals_due', 'quote_approvals', ['check_at'], unique=False, postgresql_where=sa.text("state = 'pending'"), sqlite_where=sa.text("state = 'pending'"))

    op.create_table(
        'quote_templates',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('team_id', sa.Integer(), nullable=False),
        sa.Column('name', sa.String(length=64), nullable=False),
        sa.Column('created_by', sa.Integer(), nullable=False),
        sa.Column('created_at', UTC(), nullable=False),
        sa.Column('lines', sa.JSON(), nullable=False),
        sa.Column('discount_bp', sa.Integer(), nullable=False),
        sa.Column('active', sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(['team_id'], ['teams.id'], name=op.f('fk_quote_templates_team_id_teams')),
        sa.ForeignKeyConstraint(['created_by'], ['users.id'], name=op.f('fk_quote_templates_created_by_users')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_quote_templates')),
    )
    op.create_index('ix_quote_templates_team', 'quote_templates', ['team_id'], unique=False)

    op.create_table(
        'quote_policies',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('team_id', sa.Integer(), nullable=False),
        sa.Column('manager_from_bp', sa.Integer(), nullable=False),
        sa.Column('admin_from_bp', sa.Integer(), nullable=False),
        sa.Column('margin_floor_bp', sa.Integer(), nullable=False),
        sa.Column('sla_minutes', sa.Integer(), nullable=False),
        sa.Column('validity_days', sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(['team_id'], ['teams.id'], name=op.f('fk_quote_policies_team_id_teams')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_quote_policies')),
        sa.UniqueConstraint('team_id', name=op.f('uq_quote_policies_team_id')),
    )

    with op.batch_alter_table('opportunities', schema=None) as batch_op:
        batch_op.add_column(sa.Column('quote_status', sa.String(length=16), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('opportunities', schema=None) as batch_op:
        batch_op.drop_column('quote_status')
    op.drop_table('quote_policies')
    op.drop_index('ix_quote_templates_team', table_name='quote_templates')
    op.drop_table('quote_templates')
    op.drop_index('ix_quote_approvals_due', table_name='quote_approvals')
    op.drop_index('ix_quote_approvals_team_state', table_name='quote_approvals')
    op.drop_index('ix_quote_approvals_quote', table_name='quote_approvals')
    op.drop_table('quote_approvals')
    op.drop_index('ix_quote_lines_product', table_name='quote_lines')
    op.drop_index('ix_quote_lines_quote', table_name='quote_lines')
    op.drop_table('quote_lines')
    op.drop_index('ix_quotes_check', table_name='quotes')
    op.drop_index('ix_quotes_opportunity', table_name='quotes')
    op.drop_index('uq_quotes_number', table_name='quotes')
    op.drop_table('quotes')
    op.drop_index('uq_products_team_code', table_name='products')
    op.drop_table('products')
