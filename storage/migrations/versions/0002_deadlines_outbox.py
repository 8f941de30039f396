"""Deadlines (every dated moment of a plan) and the outbox (messages to send).

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-23
"""

import sqlalchemy as sa
from alembic import op

revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade() -> None:
    utc_time = sa.DateTime(timezone=True)
    op.create_table('deadlines',
    sa.Column('deadline_id', sa.String(length=300), nullable=False),
    sa.Column('plan_id', sa.String(length=100), nullable=False),
    sa.Column('phase_id', sa.String(length=64), nullable=False),
    sa.Column('kind', sa.String(length=10), nullable=False),
    sa.Column('days', sa.Integer(), nullable=True),
    sa.Column('due_at', utc_time, nullable=False),
    sa.Column('status', sa.String(length=12), nullable=False),
    sa.Column('fired_at', utc_time, nullable=True),
    sa.Column('fired_by', sa.String(length=200), nullable=True),
    sa.Column('outcome', sa.String(length=60), nullable=True),
    sa.ForeignKeyConstraint(['plan_id'], ['plans.plan_id']),
    sa.PrimaryKeyConstraint('deadline_id')
    )
    op.create_index('ix_deadlines_status_due', 'deadlines', ['status', 'due_at'])
    op.create_index('ix_deadlines_plan_phase', 'deadlines', ['plan_id', 'phase_id'])
    position = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
    op.create_table('outbox',
    sa.Column('message_id', sa.String(length=120), nullable=False),
    sa.Column('plan_id', sa.String(length=100), nullable=False),
    sa.Column('position', position, nullable=False),
    sa.Column('topic', sa.String(length=60), nullable=False),
    sa.Column('channel', sa.String(length=20), nullable=False),
    sa.Column('recipient', sa.Text(), nullable=False),
    sa.Column('data', sa.Text(), nullable=False),
    sa.Column('created_at', utc_time, nullable=False),
    sa.Column('status', sa.String(length=12), nullable=False),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('next_attempt_at', utc_time, nullable=False),
    sa.Column('claimed_until', utc_time, nullable=True),
    sa.Column('delivered_at', utc_time, nullable=True),
    sa.Column('last_error', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['plan_id'], ['plans.plan_id']),
    sa.PrimaryKeyConstraint('message_id')
    )
    op.create_index('ix_outbox_status_next', 'outbox', ['status', 'next_attempt_at'])


def downgrade() -> None:
    op.drop_index('ix_outbox_status_next', table_name='outbox')
    op.drop_table('outbox')
    op.drop_index('ix_deadlines_plan_phase', table_name='deadlines')
    op.drop_index('ix_deadlines_status_due', table_name='deadlines')
    op.drop_table('deadlines')
