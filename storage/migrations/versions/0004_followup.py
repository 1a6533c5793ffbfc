"""follow-up: activity outcomes and next steps, the silence watch, idle limits, follow-up escalation

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-27 09:00:00
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import storage.types


revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None

OUTCOMES = ('reached', 'no_answer', 'interested', 'needs_proposal', 'not_interested', 'call_back')


def upgrade() -> None:
    with op.batch_alter_table('activities', schema=None) as batch_op:
        batch_op.add_column(sa.Column('outcome', sa.Enum(*OUTCOMES, name='activity_outcome', native_enum=False, length=16), nullable=True))
        batch_op.add_column(sa.Column('voice_file_id', sa.String(length=255), nullable=True))
        batch_op.add_column(sa.Column('needs', sa.Text(), nullable=True))
        batch_op.add_column(sa.Column('next_step', sa.String(length=200), nullable=True))
        batch_op.add_column(sa.Column('next_due', storage.types.UTCDateTime(), nullable=True))

    with op.batch_alter_table('opportunities', schema=None) as batch_op:
        batch_op.add_column(sa.Column('silence_level', sa.Integer(), server_default=sa.text('0'), nullable=False))
        batch_op.add_column(sa.Column('silence_check_at', storage.types.UTCDateTime(), nullable=True))
        batch_op.create_index('ix_opportunities_silence', ['silence_check_at'], unique=False, postgresql_where=sa.text('silence_check_at IS NOT NULL'), sqlite_where=sa.text('silence_check_at IS NOT NULL'))
    # Deals open and owned before this revision: the silence sweep looks at each once and schedules it.
    op.execute(
        "UPDATE opportunities SET silence_check_at = created_at "
        "WHERE stage NOT IN ('won', 'lost') AND owner_id IS NOT NULL"
    )

    with op.batch_alter_table('team_policies', schema=None) as batch_op:
        batch_op.add_column(sa.Column('idle_days', sa.JSON(), server_default=sa.text("'{}'"), nullable=False))

    with op.batch_alter_table('reminders', schema=None) as batch_op:
        batch_op.add_column(sa.Column('escalate_at', storage.types.UTCDateTime(), nullable=True))
        batch_op.add_column(sa.Column('escalated_at', storage.types.UTCDateTime(), nullable=True))
        batch_op.create_index('ix_reminders_subject', ['subject_kind', 'subject_id'], unique=False)
        batch_op.create_index('ix_reminders_escalate', ['escalate_at'], unique=False, postgresql_where=sa.text("state = 'sent' AND escalate_at IS NOT NULL"), sqlite_where=sa.text("state = 'sent' AND escalate_at IS NOT NULL"))
        batch_op.create_index('ix_reminders_team_state', ['team_id', 'state', 'due_at'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('reminders', schema=None) as batch_op:
        batch_op.drop_index('ix_reminders_team_state')
        batch_op.drop_index('ix_reminders_escalate')
        batch_op.drop_index('ix_reminders_subject')
        batch_op.drop_column('escalated_at')
        batch_op.drop_column('escalate_at')
    with op.batch_alter_table('team_policies', schema=None) as batch_op:
        batch_op.drop_column('idle_days')
    with op.batch_alter_table('opportunities', schema=None) as batch_op:
        batch_op.drop_index('ix_opportunities_silence')
        batch_op.drop_column('silence_check_at')
        batch_op.drop_column('silence_level')
    with op.batch_alter_table('activities', schema=None) as batch_op:
        batch_op.drop_column('next_due')
        batch_op.drop_column('next_step')
        batch_op.drop_column('needs')
        batch_op.drop_column('voice_file_id')
        batch_op.drop_column('outcome')
