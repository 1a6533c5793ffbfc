"""per-person caps and recycling per stage: leads by capturer and time; recycle_days may be NULL (automatic)

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-01 09:00:00
"""
from __future__ import annotations

import json

import sqlalchemy as sa
from alembic import op


revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None

# The stages' default idle limits when this revision was written (domain/policy/model.py).
DEFAULT_IDLE_DAYS = {
    'qualified': 2, 'following_up': 7, 'proposal': 5, 'contract': 7, 'payment': 7, 'delivery': 14, 'after_sales': 30,
}
OLD_DEFAULT_RECYCLE_DAYS = 7

policies = sa.table(
    'team_policies', sa.column('id', sa.Integer), sa.column('recycle_days', sa.Integer), sa.column('idle_days', sa.JSON),
)


def upgrade() -> None:
    with op.batch_alter_table('leads', schema=None) as batch_op:
        batch_op.create_index('ix_leads_created_by', ['created_by', 'created_at'], unique=False)
    with op.batch_alter_table('team_policies', schema=None) as batch_op:
        batch_op.alter_column('recycle_days', existing_type=sa.Integer(), nullable=True)
    # A recycle period shorter than twice a stage's idle limit recycled deals before their manager heard
    # of them (the old default, 7 days, did so in following-up): such teams go automatic, per stage.
    bind = op.get_bind()
    for row in bind.execute(sa.select(policies.c.id, policies.c.recycle_days, policies.c.idle_days)).all():
        idle = row.idle_days if not isinstance(row.idle_days, str) else json.loads(row.idle_days)
        longest = max({**DEFAULT_IDLE_DAYS, **(idle or {})}.values())
        if row.recycle_days is not None and row.recycle_days < 2 * longest:
            bind.execute(sa.update(policies).where(policies.c.id == row.id).values(recycle_days=None))


def downgrade() -> None:
    op.execute(f"UPDATE team_policies SET recycle_days = {OLD_DEFAULT_RECYCLE_DAYS} WHERE recycle_days IS NULL")
    with op.batch_alter_table('team_policies', schema=None) as batch_op:
        batch_op.alter_column('recycle_days', existing_type=sa.Integer(), nullable=False)
    with op.batch_alter_table('leads', schema=None) as batch_op:
        batch_op.drop_index('ix_leads_created_by')
