"""Definitions stored in the database beside the shipped ones, content-addressed.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-01
"""

import sqlalchemy as sa
from alembic import op

revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('definitions',
    sa.Column('definition_id', sa.String(length=64), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('title', sa.Text(), nullable=False),
    sa.Column('locale', sa.String(length=8), nullable=False),
    sa.Column('yaml', sa.Text(), nullable=False),
    sa.Column('added_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('added_by', sa.String(length=200), nullable=False),
    sa.Column('added_role', sa.String(length=30), nullable=False),
    sa.PrimaryKeyConstraint('definition_id', 'version')
    )


def downgrade() -> None:
    op.drop_table('definitions')
