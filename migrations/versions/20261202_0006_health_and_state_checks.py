"""health probe and state checks

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-02 04:40:00
"""
from alembic import op
import sqlalchemy as sa


revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None

# State and code columns accept only their code list (the lists as of this revision).
CHECKS = {
    'eligibility_feedback': [
        ('ck_eligibility_feedback_state',
         "state IN ('new', 'resolved')"),
    ],
    'regions': [
        ('ck_regions_level',
         "level IN ('national', 'provincial', 'city', 'district')"),
    ],
    'users': [
        ('ck_users_role',
         "role IN ('editor', 'reviewer', 'admin', 'operator', 'founder')"),
    ],
    'benefit_revisions': [
        ('ck_benefit_revisions_state',
         "state IN ('draft', 'published', 'discarded')"),
    ],
    'benefits': [
        ('ck_benefits_kind',
         "kind IN ('voucher', 'guaranteed_loan', 'interest_subsidy', 'rent_subsidy', 'grant', 'tax_relief', 'talent_housing', 'equity_investment', 'risk_compensation', 'service', 'other')"),
    ],
    'place_revisions': [
        ('ck_place_revisions_kind',
         "kind IN ('new', 'edit')"),
        ('ck_place_revisions_state',
         "state IN ('pending', 'needs_info', 'approved', 'rejected', 'withdrawn')"),
    ],
    'places': [
        ('ck_places_level',
         "level IN ('national', 'provincial', 'city', 'district')"),
        ('ck_places_status',
         "status IN ('active', 'planned', 'closed', 'unknown')"),
        ('ck_places_geo_precision',
         "geo_precision IN ('exact', 'street', 'district', 'city')"),
        ('ck_places_publication_state',
         "publication_state IN ('draft', 'published', 'withdrawn')"),
    ],
    'policies': [
        ('ck_policies_date_precision',
         "date_precision IN ('day', 'month', 'year', 'unknown')"),
        ('ck_policies_status',
         "status IN ('in_force', 'expired', 'withdrawn', 'to_draft', 'proposed', 'unknown')"),
        ('ck_policies_publication_state',
         "publication_state IN ('draft', 'published', 'withdrawn')"),
        ('ck_policies_level',
         "level IN ('national', 'provincial', 'city', 'district')"),
    ],
    'policy_revisions': [
        ('ck_policy_revisions_state',
         "state IN ('draft', 'in_review', 'rejected', 'scheduled', 'published', 'discarded')"),
    ],
    'place_claims': [
        ('ck_place_claims_state',
         "state IN ('pending', 'needs_info', 'approved', 'rejected', 'withdrawn')"),
    ],
    'place_feedback': [
        ('ck_place_feedback_kind',
         "kind IN ('correction', 'problem')"),
        ('ck_place_feedback_state',
         "state IN ('open', 'handled')"),
    ],
}


def upgrade() -> None:
    op.create_table('health_probe',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('checked_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    for table, checks in CHECKS.items():
        with op.batch_alter_table(table, schema=None) as batch_op:
            for name, condition in checks:
                batch_op.create_check_constraint(name, condition)


def downgrade() -> None:
    for table, checks in CHECKS.items():
        with op.batch_alter_table(table, schema=None) as batch_op:
            for name, _condition in checks:
                batch_op.drop_constraint(name, type_='check')
    op.drop_table('health_probe')
