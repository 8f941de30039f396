"""The event log, its head (the hash chain's genesis) and the first projections.

Revision ID: 0001
Revises: (none)
Create Date: 2026-11-23
"""

import sqlalchemy as sa
from alembic import op

revision = '0001'
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    position = sa.BigInteger().with_variant(sa.Integer(), "sqlite")  # SQLite: the rowid
    op.create_table('events',
    sa.Column('position', position, autoincrement=False, nullable=False),
    sa.Column('event_id', sa.String(length=36), nullable=False),
    sa.Column('stream_id', sa.String(length=200), nullable=False),
    sa.Column('stream_type', sa.String(length=20), nullable=False),
    sa.Column('plan_id', sa.String(length=100), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('type', sa.String(length=60), nullable=False),
    sa.Column('data', sa.Text(), nullable=False),
    sa.Column('actor', sa.String(length=200), nullable=False),
    sa.Column('actor_role', sa.String(length=30), nullable=False),
    sa.Column('occurred_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('causation_id', sa.String(length=64), nullable=True),
    sa.Column('correlation_id', sa.String(length=64), nullable=True),
    sa.Column('hash', sa.String(length=64), nullable=False),
    sa.PrimaryKeyConstraint('position'),
    sa.UniqueConstraint('stream_id', 'version', name='uq_events_stream_version')
    )
    op.create_index('ix_events_plan_position', 'events', ['plan_id', 'position'], unique=False)
    head = op.create_table('log_head',
    sa.Column('id', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('position', position, nullable=False),
    sa.Column('hash', sa.String(length=64), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    op.bulk_insert(head, [{"id": 1, "position": 0, "hash": "0" * 64}])
    op.create_table('plans',
    sa.Column('plan_id', sa.String(length=100), nullable=False),
    sa.Column('definition_id', sa.String(length=64), nullable=False),
    sa.Column('definition_hash', sa.String(length=64), nullable=False),
    sa.Column('title', sa.Text(), nullable=False),
    sa.Column('shift_days', sa.Integer(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('proposal_count', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('snapshot', sa.Text(), nullable=False),
    sa.PrimaryKeyConstraint('plan_id')
    )
    op.create_table('activities',
    sa.Column('plan_id', sa.String(length=100), nullable=False),
    sa.Column('activity_id', sa.String(length=64), nullable=False),
    sa.Column('phase_id', sa.String(length=64), nullable=False),
    sa.Column('done_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('evidence', sa.Text(), nullable=True),
    sa.Column('done_by', sa.String(length=200), nullable=True),
    sa.ForeignKeyConstraint(['plan_id'], ['plans.plan_id'], ),
    sa.PrimaryKeyConstraint('plan_id', 'activity_id')
    )
    op.create_table('decisions',
    sa.Column('plan_id', sa.String(length=100), nullable=False),
    sa.Column('decision_id', sa.String(length=64), nullable=False),
    sa.Column('approved_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['plan_id'], ['plans.plan_id'], ),
    sa.PrimaryKeyConstraint('plan_id', 'decision_id')
    )
    op.create_table('members',
    sa.Column('plan_id', sa.String(length=100), nullable=False),
    sa.Column('member_id', sa.String(length=64), nullable=False),
    sa.Column('name', sa.Text(), nullable=False),
    sa.Column('group_id', sa.String(length=64), nullable=False),
    sa.ForeignKeyConstraint(['plan_id'], ['plans.plan_id'], ),
    sa.PrimaryKeyConstraint('plan_id', 'member_id')
    )
    op.create_table('phases',
    sa.Column('plan_id', sa.String(length=100), nullable=False),
    sa.Column('phase_id', sa.String(length=64), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('starts_on', sa.Date(), nullable=False),
    sa.Column('ends_on', sa.Date(), nullable=False),
    sa.Column('opened_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('closed_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['plan_id'], ['plans.plan_id'], ),
    sa.PrimaryKeyConstraint('plan_id', 'phase_id')
    )
    op.create_table('proposals',
    sa.Column('proposal_id', sa.String(length=200), nullable=False),
    sa.Column('plan_id', sa.String(length=100), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('title', sa.Text(), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('channel', sa.String(length=64), nullable=False),
    sa.Column('mesa', sa.Integer(), nullable=True),
    sa.Column('state', sa.String(length=64), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('response', sa.Text(), nullable=True),
    sa.Column('merged_into', sa.String(length=200), nullable=True),
    sa.Column('submitted_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['plan_id'], ['plans.plan_id'], ),
    sa.PrimaryKeyConstraint('proposal_id'),
    sa.UniqueConstraint('plan_id', 'number', name='uq_proposals_plan_number')
    )
    op.create_table('votes',
    sa.Column('plan_id', sa.String(length=100), nullable=False),
    sa.Column('decision_id', sa.String(length=64), nullable=False),
    sa.Column('member_id', sa.String(length=64), nullable=False),
    sa.Column('approve', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['plan_id'], ['plans.plan_id'], ),
    sa.PrimaryKeyConstraint('plan_id', 'decision_id', 'member_id')
    )


def downgrade() -> None:
    op.drop_table('votes')
    op.drop_table('proposals')
    op.drop_table('phases')
    op.drop_table('members')
    op.drop_table('decisions')
    op.drop_table('activities')
    op.drop_table('plans')
    op.drop_table('log_head')
    op.drop_index('ix_events_plan_position', table_name='events')
    op.drop_table('events')
