"""cross-team help: questions to a colleague from a ticket or a deal, with their own deadline (issue 13)

Revision ID: 0018
Revises: 0016
Create Date: 2026-11-30 10:00:00
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import storage.types

revision = '0018'
down_revision = '0017'
branch_labels = None
depends_on = None

STATES = ('asked', 'accepted', 'answered', 'withdrawn')


def upgrade() -> None:
    UTC = storage.types.UTCDateTime
    op.create_table(
        'assist_questions',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('team_id', sa.Integer(), nullable=False),
        sa.Column('asked_by', sa.Integer(), nullable=False),
        sa.Column('helper_id', sa.Integer(), nullable=False),
        sa.Column('ticket_id', sa.Integer(), nullable=True),
        sa.Column('opportunity_id', sa.Integer(), nullable=True),
        sa.Column('company', sa.String(length=100), nullable=False),
        sa.Column('question', sa.Text(), nullable=False),
        sa.Column('state', sa.Enum(*STATES, name='assist_state', native_enum=False, length=16), nullable=False),
        sa.Column('created_at', UTC(), nullable=False),
        sa.Column('due_at', UTC(), nullable=False),
        sa.Column('remind_at', UTC(), nullable=False),
        sa.Column('accepted_at', UTC(), nullable=True),
        sa.Column('answer', sa.Text(), nullable=True),
        sa.Column('answered_at', UTC(), nullable=True),
        sa.Column('withdrawn_at', UTC(), nullable=True),
        sa.Column('nudge_stage', sa.Integer(), nullable=False),
        sa.Column('check_at', UTC(), nullable=True),
        sa.ForeignKeyConstraint(['team_id'], ['teams.id'], name=op.f('fk_assist_questions_team_id_teams')),
        sa.ForeignKeyConstraint(['asked_by'], ['users.id'], name=op.f('fk_assist_questions_asked_by_users')),
        sa.ForeignKeyConstraint(['helper_id'], ['users.id'], name=op.f('fk_assist_questions_helper_id_users')),
        sa.ForeignKeyConstraint(['ticket_id'], ['tickets.id'], name=op.f('fk_assist_questions_ticket_id_tickets')),
        sa.ForeignKeyConstraint(['opportunity_id'], ['opportunities.id'],
                                name=op.f('fk_assist_questions_opportunity_id_opportunities')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_assist_questions')),
    )
    op.create_index('ix_assist_questions_helper', 'assist_questions', ['team_id', 'helper_id', 'state'], unique=False)
    op.create_index('ix_assist_questions_ticket', 'assist_questions', ['ticket_id'], unique=False)
    op.create_index('ix_assist_questions_opportunity', 'assist_questions', ['opportunity_id'], unique=False)
    op.create_index('ix_assist_questions_check', 'assist_questions', ['check_at'], unique=False,
                    postgresql_where=sa.text('check_at IS NOT NULL'), sqlite_where=sa.text('check_at IS NOT NULL'))


def downgrade() -> None:
    op.drop_index('ix_assist_questions_check', table_name='assist_questions')
    op.drop_index('ix_assist_questions_opportunity', table_name='assist_questions')
    op.drop_index('ix_assist_questions_ticket', table_name='assist_questions')
    op.drop_index('ix_assist_questions_helper', table_name='assist_questions')
    op.drop_table('assist_questions')
