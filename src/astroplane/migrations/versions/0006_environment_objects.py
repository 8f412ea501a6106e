"""environment objects and their deployment links

Revision ID: 0006
Revises: 0005
"""
from alembic import op
import sqlalchemy as sa
import astroplane.kit.crypto
import astroplane.kit.db

revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('environment_objects',
    sa.Column('organization_id', sa.String(length=25), nullable=False),
    sa.Column('workspace_id', sa.String(length=25), nullable=False),
    sa.Column('deployment_id', sa.String(length=25), nullable=True),
    sa.Column('scope', sa.String(length=16), nullable=False),
    sa.Column('scope_entity_id', sa.String(length=25), nullable=False),
    sa.Column('object_type', sa.String(length=32), nullable=False),
    sa.Column('object_key', sa.String(length=256), nullable=False),
    sa.Column('description', sa.Text(), nullable=True),
    sa.Column('is_secret', sa.Boolean(), nullable=False),
    sa.Column('auto_link_deployments', sa.Boolean(), nullable=False),
    sa.Column('payload', astroplane.kit.crypto.EncryptedText(), nullable=False),
    sa.Column('id', sa.String(length=25), nullable=False),
    sa.Column('created_at', astroplane.kit.db.UTCDateTime(), nullable=False),
    sa.Column('updated_at', astroplane.kit.db.UTCDateTime(), nullable=False),
    sa.Column('created_by_type', sa.String(length=16), nullable=True),
    sa.Column('created_by_id', sa.String(length=25), nullable=True),
    sa.Column('updated_by_type', sa.String(length=16), nullable=True),
    sa.Column('updated_by_id', sa.String(length=25), nullable=True),
    sa.ForeignKeyConstraint(['deployment_id'], ['deployments.id'], name=op.f('fk_environment_objects_deployment_id_deployments'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['organization_id'], ['organizations.id'], name=op.f('fk_environment_objects_organization_id_organizations'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['workspace_id'], ['workspaces.id'], name=op.f('fk_environment_objects_workspace_id_workspaces'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_environment_objects')),
    sa.UniqueConstraint('scope', 'scope_entity_id', 'object_type', 'object_key', name='uq_environment_objects_scope_key')
    )
    with op.batch_alter_table('environment_objects', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_environment_objects_deployment_id'), ['deployment_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_environment_objects_organization_id'), ['organization_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_environment_objects_workspace_id'), ['workspace_id'], unique=False)

    op.create_table('environment_object_links',
    sa.Column('object_id', sa.String(length=25), nullable=False),
    sa.Column('deployment_id', sa.String(length=25), nullable=False),
    sa.Column('kind', sa.String(length=8), nullable=False),
    sa.Column('overrides', astroplane.kit.crypto.EncryptedText(), nullable=True),
    sa.Column('created_at', astroplane.kit.db.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['deployment_id'], ['deployments.id'], name=op.f('fk_environment_object_links_deployment_id_deployments'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['object_id'], ['environment_objects.id'], name=op.f('fk_environment_object_links_object_id_environment_objects'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('object_id', 'deployment_id', name=op.f('pk_environment_object_links'))
    )
    with op.batch_alter_table('environment_object_links', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_environment_object_links_deployment_id'), ['deployment_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('environment_object_links', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_environment_object_links_deployment_id'))

    op.drop_table('environment_object_links')
    with op.batch_alter_table('environment_objects', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_environment_objects_workspace_id'))
        batch_op.drop_index(batch_op.f('ix_environment_objects_organization_id'))
        batch_op.drop_index(batch_op.f('ix_environment_objects_deployment_id'))

    op.drop_table('environment_objects')
