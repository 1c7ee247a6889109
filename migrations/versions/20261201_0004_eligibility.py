"""eligibility: benefits, questions, benefit revisions, result feedback

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-01 19:20:00
"""
from alembic import op
import sqlalchemy as sa


revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('benefits',
    sa.Column('id', sa.String(length=80), nullable=False),
    sa.Column('name', sa.String(length=300), nullable=False),
    sa.Column('name_en', sa.String(length=400), nullable=True),
    sa.Column('kind', sa.String(length=30), nullable=False),
    sa.Column('issuer', sa.String(length=300), nullable=True),
    sa.Column('issuer_en', sa.String(length=400), nullable=True),
    sa.Column('region_id', sa.String(length=80), nullable=False),
    sa.Column('policy_ids', sa.JSON(), nullable=False),
    sa.Column('definition', sa.JSON(), nullable=False),
    sa.Column('verified', sa.Boolean(), nullable=False),
    sa.Column('verified_on', sa.Date(), nullable=True),
    sa.Column('content_hash', sa.String(length=64), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['region_id'], ['regions.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_index('ix_benefits_kind', 'benefits', ['kind'])
    op.create_index('ix_benefits_region_id', 'benefits', ['region_id'])
    op.create_table('eligibility_questions',
    sa.Column('id', sa.String(length=60), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('definition', sa.JSON(), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_table('benefit_revisions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('benefit_id', sa.String(length=80), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('state', sa.String(length=20), nullable=False),
    sa.Column('definition', sa.JSON(), nullable=False),
    sa.Column('source_text', sa.Text(), nullable=False),
    sa.Column('case_report', sa.JSON(), nullable=False),
    sa.Column('cases_pass', sa.Boolean(), nullable=False),
    sa.Column('base_hash', sa.String(length=64), nullable=True),
    sa.Column('author_id', sa.Integer(), nullable=False),
    sa.Column('reviewer_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('decided_at', sa.DateTime(), nullable=True),
    sa.Column('lock_version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['author_id'], ['users.id'], ),
    sa.ForeignKeyConstraint(['reviewer_id'], ['users.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_index('ix_benefit_revisions_benefit_id', 'benefit_revisions', ['benefit_id'])
    op.create_index('ix_benefit_revisions_state', 'benefit_revisions', ['state'])
    op.create_table('eligibility_feedback',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('benefit_id', sa.String(length=80), nullable=True),
    sa.Column('answers', sa.Text(), nullable=False),
    sa.Column('ruleset_version', sa.String(length=40), nullable=False),
    sa.Column('status_shown', sa.String(length=20), nullable=True),
    sa.Column('message', sa.Text(), nullable=False),
    sa.Column('state', sa.String(length=20), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_index('ix_eligibility_feedback_created_at', 'eligibility_feedback', ['created_at'])
    op.create_index('ix_eligibility_feedback_benefit_id', 'eligibility_feedback', ['benefit_id'])


def downgrade() -> None:
    op.drop_table('eligibility_feedback')
    op.drop_table('benefit_revisions')
    op.drop_table('eligibility_questions')
    op.drop_table('benefits')
