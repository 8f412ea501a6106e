"""test-double controls: the server clock, armed faults, seeded id blocks; a cluster's failure reason

Revision ID: 0010
Revises: 0009
"""
from alembic import op
import sqlalchemy as sa
import astroplane.kit.db


revision = '0010'
down_revision = '0009'
branch_labels = None
depends_on = None


def upgrade() -> None:
    state = op.create_table(
        'controls_state',
        sa.Column('id', sa.Integer(), autoincrement=False, nullable=False),
        sa.Column('clock_offset_us', sa.BigInteger(), nullable=False),
        sa.Column('clock_frozen_at', astroplane.kit.db.UTCDateTime(), nullable=True),
        sa.Column('faults_version', sa.BigInteger(), nullable=False),
        sa.Column('id_blocks_taken', sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_controls_state')),
    )
    op.bulk_insert(state, [{'id': 1, 'clock_offset_us': 0, 'faults_version': 0, 'id_blocks_taken': 0}])
    op.create_table(
        'controls_faults',
        sa.Column('organization_id', sa.String(length=25), nullable=False),
        sa.Column('operation_id', sa.String(length=128), nullable=False),
        sa.Column('kind', sa.String(length=16), nullable=False),
        sa.Column('status_code', sa.Integer(), nullable=True),
        sa.Column('message', sa.Text(), nullable=True),
        sa.Column('latency_ms', sa.Integer(), nullable=True),
        sa.Column('remaining', sa.Integer(), nullable=True),
        sa.Column('fraction', sa.Float(), nullable=True),
        sa.Column('seen', sa.Integer(), nullable=False),
        sa.Column('injected', sa.Integer(), nullable=False),
        sa.Column('created_at', astroplane.kit.db.UTCDateTime(), nullable=False),
        sa.Column('id', sa.String(length=25), nullable=False),
        sa.ForeignKeyConstraint(['organization_id'], ['organizations.id'],
                                name=op.f('fk_controls_faults_organization_id_organizations'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_controls_faults')),
    )
    with op.batch_alter_table('controls_faults', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_controls_faults_organization_id'), ['organization_id'], unique=False)
    with op.batch_alter_table('clusters', schema=None) as batch_op:
        batch_op.add_column(sa.Column('status_reason', sa.Text(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('clusters', schema=None) as batch_op:
        batch_op.drop_column('status_reason')
    with op.batch_alter_table('controls_faults', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_controls_faults_organization_id'))
    op.drop_table('controls_faults')
    op.drop_table('controls_state')
