"""Indexes for ListUsers and versions for the lists kept since (kit.data_versions)

Revision ID: 0013
Revises: 0012
"""
from alembic import op
import sqlalchemy as sa


revision = '0013'
down_revision = '0012'
branch_labels = None
depends_on = None

TABLES = ('invites', 'deployments', 'deployment_worker_queues', 'deployment_environment_variables',
          'deployment_counts', 'clusters', 'cluster_node_pools', 'deploys', 'alerts', 'alert_channels',
          'notification_channels')


def upgrade() -> None:
    op.create_index('ix_role_bindings_members', 'role_bindings',
                    ['organization_id', 'subject_type', 'scope_type', 'subject_id'])
    op.create_index(op.f('ix_users_status'), 'users', ['status'])
    op.create_index(op.f('ix_invites_organization_id_expires_at'), 'invites', ['organization_id', 'expires_at'])
    versions = sa.table('data_versions', sa.column('name', sa.String), sa.column('version', sa.BigInteger))
    op.bulk_insert(versions, [{'name': name, 'version': 0} for name in TABLES])


def downgrade() -> None:
    versions = sa.table('data_versions', sa.column('name', sa.String))
    op.execute(versions.delete().where(versions.c.name.in_(TABLES)))
    op.drop_index(op.f('ix_invites_organization_id_expires_at'), table_name='invites')
    op.drop_index(op.f('ix_users_status'), table_name='users')
    op.drop_index('ix_role_bindings_members', table_name='role_bindings')
