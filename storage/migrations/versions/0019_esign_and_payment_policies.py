"""contracts: e-signature callbacks (envelope id, document URL) and the team's payment policy (plan
templates, reminder cadence) (issue 12)

Revision ID: 0019
Revises: 0016 (TEMPORARY: the lead re-chains it at merge)
Create Date: 2026-11-30 10:00:00
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0019'
down_revision = '0018'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('contracts') as batch:
        batch.add_column(sa.Column('signature_ref', sa.String(length=128), nullable=True))
        batch.add_column(sa.Column('document_url', sa.String(length=500), nullable=True))
    op.create_table(
        'payment_policies',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('team_id', sa.Integer(), nullable=False),
        sa.Column('templates', sa.JSON(), nullable=True),
        sa.Column('cadence', sa.JSON(), nullable=True),
        sa.ForeignKeyConstraint(['team_id'], ['teams.id'], name=op.f('fk_payment_policies_team_id_teams')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_payment_policies')),
        sa.UniqueConstraint('team_id', name=op.f('uq_payment_policies_team_id')),
    )


def downgrade() -> None:
    op.drop_table('payment_policies')
    with op.batch_alter_table('contracts') as batch:
        batch.drop_column('document_url')
        batch.drop_column('signature_ref')
