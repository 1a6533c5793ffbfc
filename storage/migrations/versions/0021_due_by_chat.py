"""the dispatcher's claim reads each chat's due rows in order: a partial index on pending rows by chat

Revision ID: 0021
Revises: 0020
Create Date: 2026-11-30 21:00:00
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0021'
down_revision = '0020'
branch_labels = None
depends_on = None

PENDING = "state = 'pending'"


def upgrade() -> None:
    op.create_index(
        'ix_notifications_due_chat', 'notifications', ['chat_id', 'next_attempt_at', 'id'],
        postgresql_where=sa.text(PENDING), sqlite_where=sa.text(PENDING),
    )


def downgrade() -> None:
    op.drop_index('ix_notifications_due_chat', table_name='notifications')
