"""data_versions: a version per table whose list pages are kept (kit.data_versions)

Revision ID: 0012
Revises: 0011
"""
from alembic import op
import sqlalchemy as sa


revision = '0012'
down_revision = '0011'
branch_labels = None
depends_on = None

TABLES = ('workspaces', 'environment_objects', 'environment_object_links')


def upgrade() -> None:
    versions = op.create_table(
        'data_versions',
        sa.Column('name', sa.String(length=64), nullable=False),
        sa.Column('version', sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint('name', name=op.f('pk_data_versions')),
    )
    # 'lists': the row hot reads read the authz epoch beside (kit.data_versions.ANCHOR)
    op.bulk_insert(versions, [{'name': name, 'version': 0} for name in ('lists', *TABLES)])


def downgrade() -> None:
    op.drop_table('data_versions')
