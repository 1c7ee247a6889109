"""Helpers for event tests: a small world of regions, a place and events, without the content files."""

from __future__ import annotations

import datetime as dt

from portal import db
from portal.events.services import apply_event_data
from portal.places.models import Place
from portal.regions.models import Region

NOW = dt.datetime.now(dt.UTC).replace(tzinfo=None, microsecond=0)


def make_world(app) -> None:
    """Regions cn > gansu > lanzhou > chengguan, one place there, and a few events."""
    with app.app_context():
        session = db.session()
        for rid, name, name_en, level, parent, lat, lon in [
            ("cn", "中国", "China", "national", None, None, None),
            ("gansu", "甘肃省", "Gansu", "provincial", "cn", 36.061, 103.834),
            ("gansu-lanzhou", "兰州市", "Lanzhou", "city", "gansu", 36.061, 103.834),
            ("gansu-lanzhou-chengguan", "城关区", "Chengguan", "district", "gansu-lanzhou", 36.057, 103.841),
            ("beijing", "北京市", "Beijing", "provincial", "cn", 39.904, 116.407),
        ]:
            session.add(
                Region(id=rid, name=name, name_en=name_en, level=level, parent_id=parent, lat=lat, lon=lon)
            )
        session.flush()
        session.add(
            Place(
                id="test-space",
                type="makerspace",
                name="测试众创空间",
                name_en="Test Space",
                aliases=[],
                region_id="gansu-lanzhou-chengguan",
                industries=[],
                services=[],
                description="一个空间",
                lat=36.06,
                lon=103.84,
                geo_precision="street",
                status="active",
                address="城关区测试路1号",
                fund_stages=[],
                photos=[],
            )
        )
        session.flush()
        make_event(
            session,
            "soon-roadshow",
            title="城关项目路演",
            title_en="Chengguan roadshow",
            kind="roadshow",
            starts_at=NOW + dt.timedelta(days=3),
            ends_at=NOW + dt.timedelta(days=3, hours=3),
            place_id="test-space",
            region_id="gansu-lanzhou-chengguan",
            fee="free",
            audience=["founders"],
            registration_url="https://example.gov.cn/signup",
        )
        make_event(
            session,
            "later-training",
            title="创业培训班",
            title_en="Startup training",
            kind="training",
            starts_at=NOW + dt.timedelta(days=40),
            all_day=True,
            ends_at=NOW + dt.timedelta(days=42),
            region_id="beijing",
            fee="paid",
            audience=["students"],
        )
        make_event(
            session,
            "old-salon",
            title="往期沙龙",
            title_en="Earlier salon",
            kind="salon",
            starts_at=NOW - dt.timedelta(days=30),
            ends_at=NOW - dt.timedelta(days=30, hours=-2),
            region_id="gansu-lanzhou-chengguan",
            place_id="test-space",
        )
        make_event(
            session,
            "yearly-week",
            title="双创活动周",
            title_en="Innovation week",
            kind="innovation_week",
            recurrence="annual",
            region_id="cn",
        )
        session.commit()
        from portal.search.documents import all_documents

        app.extensions["search"].rebuild(all_documents(session))


def make_event(session, event_id: str, **fields):
    data = {
        "id": event_id,
        "title": "活动",
        "kind": "salon",
        "region_id": "cn",
        "starts_at": None,
        "ends_at": None,
        "all_day": False,
        "fee": "unknown",
        "audience": [],
        "description": "说明",
        "verified": True,
        "content_hash": "",
    }
    data.update(fields)
    event = apply_event_data(session, data)
    session.flush()
    return event
