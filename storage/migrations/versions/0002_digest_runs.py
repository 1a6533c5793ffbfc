"""digest runs: one row per team, digest kind and local day

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-26 12:00:00
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import storage.types


revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('digest_runs',
    sa.Column('team_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=32), nullable=False),
    sa.Column('local_date', sa.Date(), nullable=False),
    sa.Column('at', storage.types.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['team_id'], ['teams.id'], name=op.f('fk_digest_runs_team_id_teams')),
    sa.PrimaryKeyConstraint('team_id', 'kind', 'local_date', name=op.f('pk_digest_runs'))
    )


def downgrade() -> None:
    op.drop_table('digest_runs')
