"""notifications: the message a row carries (its kind's rule of validity, its family) and its one-line summary

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-03 09:00:00
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op


revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Rows queued before this revision carry no message key (NULL): they hold always and go alone.
    with op.batch_alter_table('notifications', schema=None) as batch_op:
        batch_op.add_column(sa.Column('notice', sa.String(length=48), nullable=True))
        batch_op.add_column(sa.Column('summary', sa.Text(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('notifications', schema=None) as batch_op:
        batch_op.drop_column('summary')
        batch_op.drop_column('notice')
