"""Contacts (members' and consenting proponents' emails); outbox ids and claim tokens.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-24
"""

import sqlalchemy as sa
from alembic import op

revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('contacts',
    sa.Column('plan_id', sa.String(length=100), nullable=False),
    sa.Column('kind', sa.String(length=12), nullable=False),
    sa.Column('subject', sa.String(length=120), nullable=False),
    sa.Column('email', sa.String(length=254), nullable=False),
    sa.Column('given_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['plan_id'], ['plans.plan_id'], ),
    sa.PrimaryKeyConstraint('plan_id', 'kind', 'subject')
    )
    with op.batch_alter_table('outbox') as batch:
        batch.alter_column('message_id', existing_type=sa.String(length=120),
                           type_=sa.String(length=300), existing_nullable=False)
        batch.add_column(sa.Column('claimed_by', sa.String(length=32), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('outbox') as batch:
        batch.drop_column('claimed_by')
        batch.alter_column('message_id', existing_type=sa.String(length=300),
                           type_=sa.String(length=120), existing_nullable=False)
    op.drop_table('contacts')
