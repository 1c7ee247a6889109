"""The policy model and its relations."""

from __future__ import annotations

from sqlalchemy import select

from portal.policies.models import Policy, PolicyGuide, PolicyStep
from portal.policies.services import get_policy, related_policies


def test_citations_are_visible_from_both_ends(session, make_policy):
    cited = make_policy("cited")
    citing = make_policy("citing")
    citing.cites.append(cited)
    session.flush()
    session.expire_all()
    assert [p.id for p in session.get(Policy, "cited").cited_by] == ["citing"]


def test_guide_and_steps_go_with_their_policy(session, make_policy):
    policy = make_policy("with-guide")
    policy.guide = PolicyGuide(address="城关区政务服务中心")
    policy.steps = [PolicyStep(position=0, title="提交申请"), PolicyStep(position=1, title="审核")]
    session.flush()
    session.delete(policy)
    session.flush()
    assert session.scalars(select(PolicyStep)).all() == []
    assert session.scalars(select(PolicyGuide)).all() == []


def test_related_policies_put_citations_before_shared_categories(session, make_policy, make_category):
    talent = make_category()
    a = make_policy("a", categories=[talent])
    b = make_policy("b")
    make_policy("c", categories=[talent])
    a.cites.append(b)
    session.flush()
    related = related_policies(session, get_policy(session, "a"))
    assert [p.id for p in related] == ["b", "c"]


def test_state_columns_refuse_values_outside_their_code_list(session, make_policy):
    import pytest
    from sqlalchemy.exc import IntegrityError

    policy = make_policy()
    session.commit()
    policy.status = "maybe"
    with pytest.raises(IntegrityError, match="ck_policies_status"):
        session.flush()
    session.rollback()


def test_every_code_has_a_translated_label():
    from portal.accounts.models import ROLES
    from portal.core import labels
    from portal.eligibility.rules import KINDS
    from portal.operators.workflow import STATES as MODERATION_STATES
    from portal.publishing.workflow import REVISION_STATES

    assert set(labels.ROLES) == set(ROLES)
    assert set(labels.BENEFIT_KINDS) == set(KINDS)
    assert set(labels.REVISION_STATES) == set(REVISION_STATES)
    assert set(MODERATION_STATES) <= set(labels.MODERATION_STATES)


def test_sqlite_commits_are_durable_unless_configured_otherwise(tmp_path):
    """FULL by default (a commit survives a power cut); SQLITE_SYNCHRONOUS names another level,
    and a value outside the list stops the start with a message naming the option."""
    import pytest
    from sqlalchemy import text

    from portal.db import make_engine

    levels = {"FULL": 2, "NORMAL": 1, "OFF": 0}
    for name, number in levels.items():
        engine = make_engine(f"sqlite:///{tmp_path / name}.db", name)
        with engine.connect() as conn:
            assert conn.scalar(text("PRAGMA synchronous")) == number
        engine.dispose()
    engine = make_engine(f"sqlite:///{tmp_path / 'default'}.db")
    with engine.connect() as conn:
        assert conn.scalar(text("PRAGMA synchronous")) == levels["FULL"]
    engine.dispose()
    with pytest.raises(ValueError, match="SQLITE_SYNCHRONOUS"):
        make_engine(f"sqlite:///{tmp_path / 'bad'}.db", "SOMETIMES")
