"""Where imported proposals were made: one origin a proposal, imported once into a plan.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-02
"""

import sqlalchemy as sa
from alembic import op

revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('proposal_origins',
    sa.Column('proposal_id', sa.String(length=200), nullable=False),
    sa.Column('plan_id', sa.String(length=100), nullable=False),
    sa.Column('source', sa.String(length=20), nullable=False),
    sa.Column('host', sa.String(length=255), nullable=False),
    sa.Column('decidim_id', sa.BigInteger(), nullable=False),
    sa.Column('reference', sa.Text(), nullable=False),
    sa.Column('url', sa.Text(), nullable=False),
    sa.Column('information', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['plan_id'], ['plans.plan_id'], ),
    sa.ForeignKeyConstraint(['proposal_id'], ['proposals.proposal_id'], ),
    sa.PrimaryKeyConstraint('proposal_id'),
    sa.UniqueConstraint('plan_id', 'source', 'host', 'decidim_id',
                        name='uq_proposal_origins_key')
    )


def downgrade() -> None:
    op.drop_table('proposal_origins')
