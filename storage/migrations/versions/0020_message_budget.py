"""notifications held over a person's daily message budget (issue 16): the mark, and the index that counts
a chat's messages of the day

Revision ID: 0020
Revises: 0019
Create Date: 2026-11-30 13:00:00
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0020'
down_revision = '0019'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('notifications') as batch:
        batch.add_column(sa.Column('held_over', sa.Boolean(), nullable=False, server_default=sa.false()))
    op.create_index('ix_notifications_chat_sent', 'notifications', ['chat_id', 'sent_at'])


def downgrade() -> None:
    op.drop_index('ix_notifications_chat_sent', table_name='notifications')
    with op.batch_alter_table('notifications') as batch:
        batch.drop_column('held_over')
