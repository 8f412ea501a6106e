"""deleted deployments leave at once; their runtime teardown is queued

Revision ID: 0011
Revises: 0010

DeleteDeployment removes the row in its own transaction (a deployment being deleted no longer holds
its workspace or cluster, as on Astro), so the pending-delete column and its index go; what the
runtime still has to stop and remove is queued in deployment_teardowns for the reconciler.
"""
from alembic import op
import sqlalchemy as sa
import astroplane.kit.db


revision = '0011'
down_revision = '0010'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'deployment_teardowns',
        sa.Column('deployment_id', sa.String(length=25), nullable=False),
        sa.Column('requested_at', astroplane.kit.db.UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint('deployment_id', name=op.f('pk_deployment_teardowns')),
    )
    # a delete that was pending under the old scheme is finished by the new one
    op.execute("INSERT INTO deployment_teardowns (deployment_id, requested_at) "
               "SELECT id, delete_requested_at FROM deployments WHERE delete_requested_at IS NOT NULL")
    # what the reconciler removed with the row (the other tables cascade)
    for table in ('deployment_log_lines', 'role_bindings'):
        op.execute(f"DELETE FROM {table} WHERE deployment_id IN "
                   "(SELECT id FROM deployments WHERE delete_requested_at IS NOT NULL)")
    op.execute("DELETE FROM deployments WHERE delete_requested_at IS NOT NULL")
    op.execute("UPDATE deployment_counts SET count = (SELECT count(*) FROM deployments "
               "WHERE deployments.organization_id = deployment_counts.organization_id)")
    with op.batch_alter_table('deployments', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_deployments_delete_requested_at'))
        batch_op.drop_column('delete_requested_at')


def downgrade() -> None:
    with op.batch_alter_table('deployments', schema=None) as batch_op:
        batch_op.add_column(sa.Column('delete_requested_at', astroplane.kit.db.UTCDateTime(), nullable=True))
        batch_op.create_index(batch_op.f('ix_deployments_delete_requested_at'), ['delete_requested_at'], unique=False)
    op.drop_table('deployment_teardowns')
