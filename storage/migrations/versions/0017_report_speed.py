"""reports: stage moves carry their deal's team (backfilled), so a team's moves in a period are read
without joining the deals; indexes for the whole organisation's period; notifications may carry a
picture drawn when they are sent (issue 14)

Revision ID: 0017
Revises: 0016
Create Date: 2026-11-30 09:30:00
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

NO_RECORD_SQL = (
    "stage NOT IN ('won', 'lost') AND owner_id IS NOT NULL"
    " AND (last_activity_at IS NULL OR last_activity_at < COALESCE(owner_since, created_at))"
)
SILENT_SQL = "stage NOT IN ('won', 'lost') AND owner_id IS NOT NULL AND silence_level >= 1"
UNCOVERED_SQL = (
    "superseded_at IS NULL AND status IN ('draft', 'pending', 'approved', 'sent')"
    " AND json_array_length(needs) > json_array_length(covered)"
)

revision = '0017'
down_revision = '0016'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('stage_changes') as batch:
        batch.add_column(sa.Column('team_id', sa.Integer(), nullable=True))
    op.execute(
        'UPDATE stage_changes SET team_id = '
        '(SELECT opportunities.team_id FROM opportunities WHERE opportunities.id = stage_changes.opportunity_id)'
    )
    with op.batch_alter_table('stage_changes') as batch:
        batch.alter_column('team_id', existing_type=sa.Integer(), nullable=False)
        batch.create_foreign_key(op.f('fk_stage_changes_team_id_teams'), 'teams', ['team_id'], ['id'])
    op.create_index('ix_stage_changes_team_at', 'stage_changes', ['team_id', 'at'])
    # The whole organisation's period, without a team to lead the index.
    op.create_index('ix_activities_at', 'activities', ['at'])
    op.create_index('ix_leads_created', 'leads', ['created_at'])
    # The breakpoint board's rows: a team's few deals without touching the others.
    for name, table, where in (
        ('ix_opportunities_no_record', 'opportunities', NO_RECORD_SQL),
        ('ix_opportunities_silent', 'opportunities', SILENT_SQL),
        ('ix_quotes_uncovered', 'quotes', UNCOVERED_SQL),
    ):
        op.create_index(name, table, ['team_id'], postgresql_where=sa.text(where), sqlite_where=sa.text(where))
    op.create_index('ix_quotes_team_submitted', 'quotes', ['team_id', 'submitted_at'])
    with op.batch_alter_table('notifications') as batch:
        batch.add_column(sa.Column('picture', sa.String(length=120), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('notifications') as batch:
        batch.drop_column('picture')
    op.drop_index('ix_quotes_team_submitted', table_name='quotes')
    op.drop_index('ix_quotes_uncovered', table_name='quotes')
    op.drop_index('ix_opportunities_silent', table_name='opportunities')
    op.drop_index('ix_opportunities_no_record', table_name='opportunities')
    op.drop_index('ix_leads_created', table_name='leads')
    op.drop_index('ix_activities_at', table_name='activities')
    op.drop_index('ix_stage_changes_team_at', table_name='stage_changes')
    with op.batch_alter_table('stage_changes') as batch:
        batch.drop_constraint(op.f('fk_stage_changes_team_id_teams'), type_='foreignkey')
        batch.drop_column('team_id')
