"""Commitments: their rows, milestones and links; proposals' outcome; implementers' agency.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-02
"""

import sqlalchemy as sa
from alembic import op

revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('plans') as batch:
        batch.add_column(sa.Column('commitment_count', sa.Integer(), nullable=False,
                                   server_default='0'))
    with op.batch_alter_table('proposals') as batch:
        batch.add_column(sa.Column('outcome', sa.String(length=64), nullable=True))
    with op.batch_alter_table('tokens') as batch:
        batch.add_column(sa.Column('agency', sa.String(length=200), nullable=True))
    op.create_table('commitments',
    sa.Column('commitment_id', sa.String(length=200), nullable=False),
    sa.Column('plan_id', sa.String(length=100), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('state', sa.String(length=64), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('title', sa.Text(), nullable=False),
    sa.Column('lead_agency', sa.String(length=200), nullable=False),
    sa.Column('drafted_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('approved_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('completion', sa.String(length=20), nullable=True),
    sa.Column('opened_government', sa.String(length=20), nullable=True),
    sa.Column('snapshot', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['plan_id'], ['plans.plan_id'], ),
    sa.PrimaryKeyConstraint('commitment_id'),
    sa.UniqueConstraint('plan_id', 'number', name='uq_commitments_plan_number')
    )
    op.create_table('commitment_milestones',
    sa.Column('commitment_id', sa.String(length=200), nullable=False),
    sa.Column('milestone_id', sa.String(length=16), nullable=False),
    sa.Column('plan_id', sa.String(length=100), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('output', sa.Text(), nullable=False),
    sa.Column('starts', sa.Date(), nullable=False),
    sa.Column('due', sa.Date(), nullable=False),
    sa.Column('responsible', sa.Text(), nullable=False),
    sa.Column('done_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('overdue_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('reports', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['commitment_id'], ['commitments.commitment_id'], ),
    sa.PrimaryKeyConstraint('commitment_id', 'milestone_id')
    )
    op.create_table('commitment_links',
    sa.Column('commitment_id', sa.String(length=200), nullable=False),
    sa.Column('proposal_id', sa.String(length=200), nullable=False),
    sa.Column('plan_id', sa.String(length=100), nullable=False),
    sa.Column('linked_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['commitment_id'], ['commitments.commitment_id'], ),
    sa.PrimaryKeyConstraint('commitment_id', 'proposal_id')
    )
    op.create_index('ix_commitment_links_proposal', 'commitment_links', ['proposal_id'],
                    unique=False)


def downgrade() -> None:
    op.drop_index('ix_commitment_links_proposal', table_name='commitment_links')
    op.drop_table('commitment_links')
    op.drop_table('commitment_milestones')
    op.drop_table('commitments')
    # ALTER TABLE ... DROP COLUMN (SQLite 3.35+): a batch would recreate plans, which
    # other tables' foreign keys refer to, and SQLite refuses to drop it.
    op.drop_column('tokens', 'agency')
    op.drop_column('proposals', 'outcome')
    op.drop_column('plans', 'commitment_count')
