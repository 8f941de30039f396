"""Declared trigger fields and public supports on proposals.

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-30
"""

import sqlalchemy as sa
from alembic import op

revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('proposals') as batch:
        batch.add_column(sa.Column('fields', sa.Text(), nullable=True))
        batch.add_column(sa.Column('supports', sa.Integer(), nullable=False,
                                   server_default='0'))
    op.create_table('supports',
    sa.Column('proposal_id', sa.String(length=200), nullable=False),
    sa.Column('supporter', sa.String(length=64), nullable=False),
    sa.Column('supported_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['proposal_id'], ['proposals.proposal_id'], ),
    sa.PrimaryKeyConstraint('proposal_id', 'supporter')
    )


def downgrade() -> None:
    op.drop_table('supports')
    with op.batch_alter_table('proposals') as batch:
        batch.drop_column('supports')
        batch.drop_column('fields')
