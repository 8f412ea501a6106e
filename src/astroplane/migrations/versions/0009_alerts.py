"""alerts and notification channels

Revision ID: 0009
Revises: 0008
"""
from alembic import op
import sqlalchemy as sa
import astroplane.kit.crypto
import astroplane.kit.db


revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('alerts',
    sa.Column('organization_id', sa.String(length=25), nullable=False),
    sa.Column('workspace_id', sa.String(length=25), nullable=False),
    sa.Column('deployment_id', sa.String(length=25), nullable=False),
    sa.Column('name', sa.String(length=256), nullable=False),
    sa.Column('alert_type', sa.String(length=32), nullable=False),
    sa.Column('severity', sa.String(length=16), nullable=False),
    sa.Column('properties', sa.Text(), nullable=False),
    sa.Column('pattern_matches', sa.Text(), nullable=False),
    sa.Column('id', sa.String(length=25), nullable=False),
    sa.Column('created_at', astroplane.kit.db.UTCDateTime(), nullable=False),
    sa.Column('updated_at', astroplane.kit.db.UTCDateTime(), nullable=False),
    sa.Column('created_by_type', sa.String(length=16), nullable=True),
    sa.Column('created_by_id', sa.String(length=25), nullable=True),
    sa.Column('updated_by_type', sa.String(length=16), nullable=True),
    sa.Column('updated_by_id', sa.String(length=25), nullable=True),
    sa.ForeignKeyConstraint(['deployment_id'], ['deployments.id'], name=op.f('fk_alerts_deployment_id_deployments'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['organization_id'], ['organizations.id'], name=op.f('fk_alerts_organization_id_organizations'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['workspace_id'], ['workspaces.id'], name=op.f('fk_alerts_workspace_id_workspaces'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_alerts'))
    )
    with op.batch_alter_table('alerts', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_alerts_deployment_id'), ['deployment_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_alerts_organization_id'), ['organization_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_alerts_workspace_id'), ['workspace_id'], unique=False)

    op.create_table('notification_channels',
    sa.Column('organization_id', sa.String(length=25), nullable=False),
    sa.Column('workspace_id', sa.String(length=25), nullable=True),
    sa.Column('deployment_id', sa.String(length=25), nullable=True),
    sa.Column('entity_type', sa.String(length=16), nullable=False),
    sa.Column('name', sa.String(length=256), nullable=False),
    sa.Column('channel_type', sa.String(length=16), nullable=False),
    sa.Column('is_shared', sa.Boolean(), nullable=False),
    sa.Column('definition', astroplane.kit.crypto.EncryptedText(), nullable=False),
    sa.Column('id', sa.String(length=25), nullable=False),
    sa.Column('created_at', astroplane.kit.db.UTCDateTime(), nullable=False),
    sa.Column('updated_at', astroplane.kit.db.UTCDateTime(), nullable=False),
    sa.Column('created_by_type', sa.String(length=16), nullable=True),
    sa.Column('created_by_id', sa.String(length=25), nullable=True),
    sa.Column('updated_by_type', sa.String(length=16), nullable=True),
    sa.Column('updated_by_id', sa.String(length=25), nullable=True),
    sa.ForeignKeyConstraint(['deployment_id'], ['deployments.id'], name=op.f('fk_notification_channels_deployment_id_deployments'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['organization_id'], ['organizations.id'], name=op.f('fk_notification_channels_organization_id_organizations'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['workspace_id'], ['workspaces.id'], name=op.f('fk_notification_channels_workspace_id_workspaces'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_notification_channels'))
    )
    with op.batch_alter_table('notification_channels', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_notification_channels_deployment_id'), ['deployment_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_notification_channels_organization_id'), ['organization_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_notification_channels_workspace_id'), ['workspace_id'], unique=False)

    op.create_table('alert_channels',
    sa.Column('alert_id', sa.String(length=25), nullable=False),
    sa.Column('channel_id', sa.String(length=25), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['alert_id'], ['alerts.id'], name=op.f('fk_alert_channels_alert_id_alerts'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['channel_id'], ['notification_channels.id'], name=op.f('fk_alert_channels_channel_id_notification_channels'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('alert_id', 'channel_id', name=op.f('pk_alert_channels'))
    )
    with op.batch_alter_table('alert_channels', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_alert_channels_channel_id'), ['channel_id'], unique=False)

    op.create_table('alert_firings',
    sa.Column('alert_id', sa.String(length=25), nullable=False),
    sa.Column('organization_id', sa.String(length=25), nullable=False),
    sa.Column('deployment_id', sa.String(length=25), nullable=False),
    sa.Column('event_key', sa.String(length=1024), nullable=False),
    sa.Column('dag_id', sa.String(length=250), nullable=False),
    sa.Column('run_id', sa.String(length=250), nullable=True),
    sa.Column('task_id', sa.String(length=250), nullable=True),
    sa.Column('try_number', sa.Integer(), nullable=True),
    sa.Column('event_at', astroplane.kit.db.UTCDateTime(), nullable=False),
    sa.Column('fired_at', astroplane.kit.db.UTCDateTime(), nullable=False),
    sa.Column('summary', sa.Text(), nullable=False),
    sa.Column('id', sa.String(length=25), nullable=False),
    sa.ForeignKeyConstraint(['alert_id'], ['alerts.id'], name=op.f('fk_alert_firings_alert_id_alerts'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_alert_firings')),
    sa.UniqueConstraint('alert_id', 'event_key', name='uq_alert_firings_event')
    )
    with op.batch_alter_table('alert_firings', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_alert_firings_deployment_id'), ['deployment_id'], unique=False)

    op.create_table('alert_deliveries',
    sa.Column('firing_id', sa.String(length=25), nullable=False),
    sa.Column('channel_id', sa.String(length=25), nullable=False),
    sa.Column('channel_type', sa.String(length=16), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('next_attempt_at', astroplane.kit.db.UTCDateTime(), nullable=False),
    sa.Column('claimed_until', astroplane.kit.db.UTCDateTime(), nullable=True),
    sa.Column('last_error', sa.Text(), nullable=True),
    sa.Column('delivered_at', astroplane.kit.db.UTCDateTime(), nullable=True),
    sa.Column('id', sa.String(length=25), nullable=False),
    sa.ForeignKeyConstraint(['channel_id'], ['notification_channels.id'], name=op.f('fk_alert_deliveries_channel_id_notification_channels'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['firing_id'], ['alert_firings.id'], name=op.f('fk_alert_deliveries_firing_id_alert_firings'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_alert_deliveries')),
    sa.UniqueConstraint('firing_id', 'channel_id', name='uq_alert_deliveries_channel')
    )
    with op.batch_alter_table('alert_deliveries', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_alert_deliveries_channel_id'), ['channel_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_alert_deliveries_status_next_attempt_at'), ['status', 'next_attempt_at'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('alert_deliveries', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_alert_deliveries_status_next_attempt_at'))
        batch_op.drop_index(batch_op.f('ix_alert_deliveries_channel_id'))

    op.drop_table('alert_deliveries')
    with op.batch_alter_table('alert_firings', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_alert_firings_deployment_id'))

    op.drop_table('alert_firings')
    with op.batch_alter_table('alert_channels', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_alert_channels_channel_id'))

    op.drop_table('alert_channels')
    with op.batch_alter_table('notification_channels', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_notification_channels_workspace_id'))
        batch_op.drop_index(batch_op.f('ix_notification_channels_organization_id'))
        batch_op.drop_index(batch_op.f('ix_notification_channels_deployment_id'))

    op.drop_table('notification_channels')
    with op.batch_alter_table('alerts', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_alerts_workspace_id'))
        batch_op.drop_index(batch_op.f('ix_alerts_organization_id'))
        batch_op.drop_index(batch_op.f('ix_alerts_deployment_id'))

    op.drop_table('alerts')
