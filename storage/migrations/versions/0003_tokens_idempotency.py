"""API tokens (hashes only) and idempotency keys with their first answers.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-23
"""

import sqlalchemy as sa
from alembic import op

revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade() -> None:
    utc_time = sa.DateTime(timezone=True)
    op.create_table('tokens',
    sa.Column('token_id', sa.String(length=32), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('role', sa.String(length=20), nullable=False),
    sa.Column('member_id', sa.String(length=64), nullable=True),
    sa.Column('secret_hash', sa.String(length=64), nullable=False),
    sa.Column('created_at', utc_time, nullable=False),
    sa.Column('revoked_at', utc_time, nullable=True),
    sa.PrimaryKeyConstraint('token_id')
    )
    op.create_table('idempotency',
    sa.Column('identity', sa.String(length=32), nullable=False),
    sa.Column('key', sa.String(length=200), nullable=False),
    sa.Column('request', sa.String(length=64), nullable=False),
    sa.Column('request_id', sa.String(length=64), nullable=False),
    sa.Column('status', sa.String(length=12), nullable=False),
    sa.Column('response_status', sa.Integer(), nullable=True),
    sa.Column('response_body', sa.Text(), nullable=True),
    sa.Column('created_at', utc_time, nullable=False),
    sa.PrimaryKeyConstraint('identity', 'key')
    )


def downgrade() -> None:
    op.drop_table('idempotency')
    op.drop_table('tokens')
