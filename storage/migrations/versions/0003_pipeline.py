"""pipeline: team policies, leads, opportunities, stage history, hand-offs, activities, rep skills

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-26 12:30:00
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import storage.types


revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('team_policies',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('team_id', sa.Integer(), nullable=False),
    sa.Column('assignment', sa.Enum('round_robin', 'least_loaded', 'rules', 'manual', name='assignment_policy', native_enum=False, length=16), nullable=False),
    sa.Column('allow_self_assign', sa.Boolean(), nullable=False),
    sa.Column('threshold', sa.Integer(), nullable=False),
    sa.Column('weights', sa.JSON(), nullable=False),
    sa.Column('handoff_minutes', sa.Integer(), nullable=False),
    sa.Column('recycle_days', sa.Integer(), nullable=False),
    sa.Column('pool_claim_limit', sa.Integer(), nullable=False),
    sa.Column('cooloff_days', sa.Integer(), nullable=False),
    sa.Column('industries', sa.JSON(), nullable=False),
    sa.Column('lost_reasons', sa.JSON(), nullable=False),
    sa.Column('rr_cursor', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['team_id'], ['teams.id'], name=op.f('fk_team_policies_team_id_teams')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_team_policies')),
    sa.UniqueConstraint('team_id', name=op.f('uq_team_policies_team_id'))
    )
    op.create_table('leads',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('team_id', sa.Integer(), nullable=False),
    sa.Column('created_by', sa.Integer(), nullable=False),
    sa.Column('company', sa.String(length=128), nullable=False),
    sa.Column('company_key', sa.String(length=128), nullable=False),
    sa.Column('contact_name', sa.String(length=64), nullable=True),
    sa.Column('phone', sa.String(length=20), nullable=True),
    sa.Column('email', sa.String(length=254), nullable=True),
    sa.Column('source', sa.Enum('website', 'event', 'referral', 'cold_call', 'advertising', 'partner', 'other', name='lead_source', native_enum=False, length=16), nullable=False),
    sa.Column('need', sa.Text(), nullable=True),
    sa.Column('need_voice_file_id', sa.String(length=255), nullable=True),
    sa.Column('budget', sa.Enum('known', 'rough', 'unknown', name='budget', native_enum=False, length=16), nullable=False),
    sa.Column('budget_note', sa.String(length=64), nullable=True),
    sa.Column('authority', sa.Enum('yes', 'influencer', 'no', name='authority', native_enum=False, length=16), nullable=False),
    sa.Column('timeline', sa.Enum('this_month', 'this_quarter', 'later', 'unknown', name='timeline', native_enum=False, length=16), nullable=False),
    sa.Column('industry', sa.String(length=64), nullable=True),
    sa.Column('region', sa.String(length=64), nullable=True),
    sa.Column('product', sa.String(length=64), nullable=True),
    sa.Column('score', sa.Integer(), nullable=True),
    sa.Column('score_reasons', sa.JSON(), nullable=False),
    sa.Column('status', sa.Enum('new', 'nurture', 'qualified', 'converted', name='lead_status', native_enum=False, length=16), nullable=False),
    sa.Column('related_lead_id', sa.Integer(), nullable=True),
    sa.Column('created_at', storage.types.UTCDateTime(), nullable=False),
    sa.Column('updated_at', storage.types.UTCDateTime(), nullable=True),
    sa.ForeignKeyConstraint(['created_by'], ['users.id'], name=op.f('fk_leads_created_by_users')),
    sa.ForeignKeyConstraint(['related_lead_id'], ['leads.id'], name=op.f('fk_leads_related_lead_id_leads')),
    sa.ForeignKeyConstraint(['team_id'], ['teams.id'], name=op.f('fk_leads_team_id_teams')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_leads'))
    )
    with op.batch_alter_table('leads', schema=None) as batch_op:
        batch_op.create_index('ix_leads_company_key', ['company_key'], unique=False)
        batch_op.create_index('ix_leads_email', ['email'], unique=False)
        batch_op.create_index('ix_leads_phone', ['phone'], unique=False)
        batch_op.create_index('ix_leads_team_status', ['team_id', 'status'], unique=False)

    op.create_table('rep_skills',
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('value', sa.String(length=64), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_rep_skills_user_id_users')),
    sa.PrimaryKeyConstraint('user_id', 'kind', 'value', name=op.f('pk_rep_skills'))
    )
    op.create_table('opportunities',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('team_id', sa.Integer(), nullable=False),
    sa.Column('lead_id', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('owner_id', sa.Integer(), nullable=True),
    sa.Column('stage', sa.Enum('qualified', 'following_up', 'proposal', 'contract', 'payment', 'delivery', 'after_sales', 'won', 'lost', name='stage', native_enum=False, length=16), nullable=False),
    sa.Column('amount_minor', sa.BigInteger(), nullable=True),
    sa.Column('currency', sa.String(length=3), nullable=False),
    sa.Column('expected_close', sa.Date(), nullable=True),
    sa.Column('lost_reason', sa.String(length=64), nullable=True),
    sa.Column('lost_note', sa.Text(), nullable=True),
    sa.Column('last_activity_at', storage.types.UTCDateTime(), nullable=True),
    sa.Column('owner_since', storage.types.UTCDateTime(), nullable=True),
    sa.Column('recycled_from_id', sa.Integer(), nullable=True),
    sa.Column('recycled_at', storage.types.UTCDateTime(), nullable=True),
    sa.Column('pooled_at', storage.types.UTCDateTime(), nullable=True),
    sa.Column('claimed_from_pool', sa.Boolean(), nullable=False),
    sa.Column('created_at', storage.types.UTCDateTime(), nullable=False),
    sa.Column('updated_at', storage.types.UTCDateTime(), nullable=True),
    sa.ForeignKeyConstraint(['lead_id'], ['leads.id'], name=op.f('fk_opportunities_lead_id_leads')),
    sa.ForeignKeyConstraint(['owner_id'], ['users.id'], name=op.f('fk_opportunities_owner_id_users')),
    sa.ForeignKeyConstraint(['recycled_from_id'], ['users.id'], name=op.f('fk_opportunities_recycled_from_id_users')),
    sa.ForeignKeyConstraint(['team_id'], ['teams.id'], name=op.f('fk_opportunities_team_id_teams')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_opportunities'))
    )
    with op.batch_alter_table('opportunities', schema=None) as batch_op:
        batch_op.create_index('ix_opportunities_idle', ['last_activity_at'], unique=False, postgresql_where=sa.text("stage NOT IN ('won', 'lost') AND owner_id IS NOT NULL"), sqlite_where=sa.text("stage NOT IN ('won', 'lost') AND owner_id IS NOT NULL"))
        batch_op.create_index('ix_opportunities_lead_id', ['lead_id'], unique=False)
        batch_op.create_index('ix_opportunities_owner_stage', ['owner_id', 'stage'], unique=False)
        batch_op.create_index('ix_opportunities_pool', ['team_id', 'pooled_at'], unique=False, postgresql_where=sa.text('owner_id IS NULL AND pooled_at IS NOT NULL'), sqlite_where=sa.text('owner_id IS NULL AND pooled_at IS NOT NULL'))
        batch_op.create_index('ix_opportunities_team_stage', ['team_id', 'stage'], unique=False)

    op.create_table('activities',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('team_id', sa.Integer(), nullable=False),
    sa.Column('opportunity_id', sa.Integer(), nullable=True),
    sa.Column('lead_id', sa.Integer(), nullable=True),
    sa.Column('actor_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.Enum('note', name='activity_kind', native_enum=False, length=16), nullable=False),
    sa.Column('note', sa.Text(), nullable=True),
    sa.Column('at', storage.types.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['actor_id'], ['users.id'], name=op.f('fk_activities_actor_id_users')),
    sa.ForeignKeyConstraint(['lead_id'], ['leads.id'], name=op.f('fk_activities_lead_id_leads')),
    sa.ForeignKeyConstraint(['opportunity_id'], ['opportunities.id'], name=op.f('fk_activities_opportunity_id_opportunities')),
    sa.ForeignKeyConstraint(['team_id'], ['teams.id'], name=op.f('fk_activities_team_id_teams')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_activities'))
    )
    with op.batch_alter_table('activities', schema=None) as batch_op:
        batch_op.create_index('ix_activities_lead', ['lead_id', 'at'], unique=False)
        batch_op.create_index('ix_activities_opportunity', ['opportunity_id', 'at'], unique=False)

    op.create_table('handoffs',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('team_id', sa.Integer(), nullable=False),
    sa.Column('opportunity_id', sa.Integer(), nullable=False),
    sa.Column('to_user_id', sa.Integer(), nullable=False),
    sa.Column('from_user_id', sa.Integer(), nullable=True),
    sa.Column('requested_by', sa.Integer(), nullable=True),
    sa.Column('requested_at', storage.types.UTCDateTime(), nullable=False),
    sa.Column('deadline_at', storage.types.UTCDateTime(), nullable=False),
    sa.Column('reason', sa.Text(), nullable=True),
    sa.Column('state', sa.Enum('pending', 'accepted', 'declined', 'expired', 'cancelled', name='handoff_state', native_enum=False, length=16), nullable=False),
    sa.Column('decided_at', storage.types.UTCDateTime(), nullable=True),
    sa.Column('decline_reason', sa.Text(), nullable=True),
    sa.Column('attempt', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['from_user_id'], ['users.id'], name=op.f('fk_handoffs_from_user_id_users')),
    sa.ForeignKeyConstraint(['opportunity_id'], ['opportunities.id'], name=op.f('fk_handoffs_opportunity_id_opportunities')),
    sa.ForeignKeyConstraint(['requested_by'], ['users.id'], name=op.f('fk_handoffs_requested_by_users')),
    sa.ForeignKeyConstraint(['team_id'], ['teams.id'], name=op.f('fk_handoffs_team_id_teams')),
    sa.ForeignKeyConstraint(['to_user_id'], ['users.id'], name=op.f('fk_handoffs_to_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_handoffs'))
    )
    with op.batch_alter_table('handoffs', schema=None) as batch_op:
        batch_op.create_index('ix_handoffs_due', ['deadline_at'], unique=False, postgresql_where=sa.text("state = 'pending'"), sqlite_where=sa.text("state = 'pending'"))
        batch_op.create_index('ix_handoffs_opportunity', ['opportunity_id'], unique=False)
        batch_op.create_index('ix_handoffs_to_user_state', ['to_user_id', 'state'], unique=False)
        batch_op.create_index('uq_handoffs_pending_opportunity', ['opportunity_id'], unique=True, postgresql_where=sa.text("state = 'pending'"), sqlite_where=sa.text("state = 'pending'"))

    op.create_table('stage_changes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('opportunity_id', sa.Integer(), nullable=False),
    sa.Column('from_stage', sa.Enum('qualified', 'following_up', 'proposal', 'contract', 'payment', 'delivery', 'after_sales', 'won', 'lost', name='stage', native_enum=False, length=16), nullable=True),
    sa.Column('to_stage', sa.Enum('qualified', 'following_up', 'proposal', 'contract', 'payment', 'delivery', 'after_sales', 'won', 'lost', name='stage', native_enum=False, length=16), nullable=False),
    sa.Column('actor_id', sa.Integer(), nullable=True),
    sa.Column('at', storage.types.UTCDateTime(), nullable=False),
    sa.Column('override', sa.Boolean(), nullable=False),
    sa.Column('note', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['actor_id'], ['users.id'], name=op.f('fk_stage_changes_actor_id_users')),
    sa.ForeignKeyConstraint(['opportunity_id'], ['opportunities.id'], name=op.f('fk_stage_changes_opportunity_id_opportunities')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_stage_changes'))
    )
    with op.batch_alter_table('stage_changes', schema=None) as batch_op:
        batch_op.create_index('ix_stage_changes_opportunity', ['opportunity_id', 'at'], unique=False)



def downgrade() -> None:
    # Indexes go with their tables.
    for table in ('stage_changes', 'handoffs', 'activities', 'opportunities', 'rep_skills', 'leads', 'team_policies'):
        op.drop_table(table)
