"""authz epoch: one counter that invalidates cached principals

Revision ID: 0003
Revises: 0002
"""
from alembic import op
import sqlalchemy as sa

revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade() -> None:
    table = op.create_table(
        'authz_epoch',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('epoch', sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_authz_epoch')),
    )
    op.bulk_insert(table, [{'id': 1, 'epoch': 0}])


def downgrade() -> None:
    op.drop_table('authz_epoch')
