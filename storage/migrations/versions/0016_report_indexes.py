"""reports: indexes for the period ranges the reports aggregate over; the digests people switched off
(issue 14)

Revision ID: 0016
Revises: 0008 (TEMPORARY: the lead re-chains it to 0015 at merge)
Create Date: 2026-11-30 08:00:00
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0016'
down_revision = '0015'
branch_labels = None
depends_on = None

INDEXES = (
    ('ix_stage_changes_at', 'stage_changes', ['at']),
    ('ix_activities_team_at', 'activities', ['team_id', 'at']),
    ('ix_leads_team_created', 'leads', ['team_id', 'created_at']),
    ('ix_handoffs_team_deadline', 'handoffs', ['team_id', 'deadline_at']),
    ('ix_handoffs_team_decided', 'handoffs', ['team_id', 'decided_at']),
    ('ix_notifications_team_notice', 'notifications', ['team_id', 'notice', 'created_at']),
    ('ix_opportunities_team_created', 'opportunities', ['team_id', 'created_at']),
)


def upgrade() -> None:
    for name, table, columns in INDEXES:
        op.create_index(name, table, columns)
    op.create_table(
        'digest_optouts',
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('kind', sa.String(length=32), nullable=False),
        sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_digest_optouts_user_id_users')),
        sa.PrimaryKeyConstraint('user_id', 'kind', name=op.f('pk_digest_optouts')),
    )


def downgrade() -> None:
    op.drop_table('digest_optouts')
    for name, table, _ in reversed(INDEXES):
        op.drop_index(name, table_name=table)
