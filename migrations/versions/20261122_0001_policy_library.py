"""policy library

Revision ID: 0001
Revises: 
Create Date: 2026-11-22 02:44:27.800714
"""
from alembic import op
import sqlalchemy as sa


revision = '0001'
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('categories',
    sa.Column('id', sa.String(length=60), nullable=False),
    sa.Column('name', sa.String(length=80), nullable=False),
    sa.Column('name_en', sa.String(length=120), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_table('regions',
    sa.Column('id', sa.String(length=80), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('name_en', sa.String(length=160), nullable=False),
    sa.Column('level', sa.String(length=20), nullable=False),
    sa.Column('parent_id', sa.String(length=80), nullable=True),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['parent_id'], ['regions.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('regions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_regions_parent_id'), ['parent_id'], unique=False)

    op.create_table('policies',
    sa.Column('id', sa.String(length=80), nullable=False),
    sa.Column('title', sa.String(length=300), nullable=False),
    sa.Column('title_en', sa.String(length=400), nullable=True),
    sa.Column('doc_number', sa.String(length=120), nullable=True),
    sa.Column('issuer', sa.String(length=300), nullable=True),
    sa.Column('issuer_en', sa.String(length=400), nullable=True),
    sa.Column('level', sa.String(length=20), nullable=False),
    sa.Column('region_id', sa.String(length=80), nullable=False),
    sa.Column('issued_on', sa.Date(), nullable=True),
    sa.Column('date_precision', sa.String(length=10), nullable=False),
    sa.Column('effective_from', sa.Date(), nullable=True),
    sa.Column('effective_to', sa.Date(), nullable=True),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('summary', sa.Text(), nullable=False),
    sa.Column('summary_en', sa.Text(), nullable=True),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('full_text', sa.Boolean(), nullable=False),
    sa.Column('source_kind', sa.String(length=20), nullable=False),
    sa.Column('source_ref', sa.String(length=300), nullable=True),
    sa.Column('source_url', sa.String(length=500), nullable=True),
    sa.Column('source_note', sa.Text(), nullable=True),
    sa.Column('verified', sa.Boolean(), nullable=False),
    sa.Column('content_hash', sa.String(length=64), nullable=False),
    sa.Column('created_at', sa.DateTime(), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.Column('updated_at', sa.DateTime(), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.ForeignKeyConstraint(['region_id'], ['regions.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('policies', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_policies_issued_on'), ['issued_on'], unique=False)
        batch_op.create_index(batch_op.f('ix_policies_level'), ['level'], unique=False)
        batch_op.create_index(batch_op.f('ix_policies_region_id'), ['region_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_policies_status'), ['status'], unique=False)

    op.create_table('policy_attachments',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('policy_id', sa.String(length=80), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=300), nullable=False),
    sa.Column('note', sa.Text(), nullable=True),
    sa.Column('url', sa.String(length=500), nullable=True),
    sa.ForeignKeyConstraint(['policy_id'], ['policies.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('policy_attachments', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_policy_attachments_policy_id'), ['policy_id'], unique=False)

    op.create_table('policy_categories',
    sa.Column('policy_id', sa.String(length=80), nullable=False),
    sa.Column('category_id', sa.String(length=60), nullable=False),
    sa.ForeignKeyConstraint(['category_id'], ['categories.id'], ),
    sa.ForeignKeyConstraint(['policy_id'], ['policies.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('policy_id', 'category_id')
    )
    op.create_table('policy_citations',
    sa.Column('policy_id', sa.String(length=80), nullable=False),
    sa.Column('cited_id', sa.String(length=80), nullable=False),
    sa.ForeignKeyConstraint(['cited_id'], ['policies.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['policy_id'], ['policies.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('policy_id', 'cited_id')
    )
    op.create_table('policy_guides',
    sa.Column('policy_id', sa.String(length=80), nullable=False),
    sa.Column('beneficiaries', sa.Text(), nullable=True),
    sa.Column('conditions', sa.Text(), nullable=True),
    sa.Column('time_limit', sa.Text(), nullable=True),
    sa.Column('address', sa.Text(), nullable=True),
    sa.Column('phone', sa.String(length=120), nullable=True),
    sa.Column('online_url', sa.String(length=500), nullable=True),
    sa.Column('source', sa.String(length=300), nullable=True),
    sa.ForeignKeyConstraint(['policy_id'], ['policies.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('policy_id')
    )
    op.create_table('policy_steps',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('policy_id', sa.String(length=80), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('detail', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['policy_id'], ['policies.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('policy_steps', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_policy_steps_policy_id'), ['policy_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('policy_steps', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_policy_steps_policy_id'))

    op.drop_table('policy_steps')
    op.drop_table('policy_guides')
    op.drop_table('policy_citations')
    op.drop_table('policy_categories')
    with op.batch_alter_table('policy_attachments', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_policy_attachments_policy_id'))

    op.drop_table('policy_attachments')
    with op.batch_alter_table('policies', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_policies_status'))
        batch_op.drop_index(batch_op.f('ix_policies_region_id'))
        batch_op.drop_index(batch_op.f('ix_policies_level'))
        batch_op.drop_index(batch_op.f('ix_policies_issued_on'))

    op.drop_table('policies')
    with op.batch_alter_table('regions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_regions_parent_id'))

    op.drop_table('regions')
    op.drop_table('categories')
