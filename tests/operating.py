"""Helpers for operator tests: a small directory, verified operators, mail and form round trips."""

from __future__ import annotations

import email
import io
import re
from pathlib import Path

from PIL import Image

from portal import db
from portal.core.clock import utcnow
from portal.operators import registration
from portal.operators.models import OperatorProfile, PlaceClaim
from portal.places.models import Place
from portal.regions.models import Region
from portal.search.indexer import rebuild
from tests.conftest import make_app
from tests.pages import parse
from tests.staffing import make_user

REGIONS = [
    ("cn", None, "national", "中国", "China", 35.0, 105.0),
    ("gansu", "cn", "provincial", "甘肃省", "Gansu", 36.06, 103.83),
    ("gansu-lanzhou", "gansu", "city", "兰州市", "Lanzhou", 36.06, 103.83),
    ("gansu-lanzhou-chengguan", "gansu-lanzhou", "district", "城关区", "Chengguan District", 36.057, 103.826),
]


def operator_app(tmp_path, **config):
    """A fresh portal with four regions, two places, a reviewer and an index."""
    settings = dict(
        WTF_CSRF_ENABLED=False,
        UPLOAD_DIR=tmp_path / "uploads",
        MAIL_OUTBOX=tmp_path / "outbox",
        MAX_UPLOAD_BYTES=200_000,
        MAX_PHOTO_BYTES=300_000,
        PHOTO_MAX_SIDE=400,
        MODERATION_EMAIL="moderation@example.gov.cn",
    )
    app = make_app(tmp_path, **{**settings, **config})
    with app.app_context():
        session = db.session()
        for i, (rid, parent, level, name, name_en, lat, lon) in enumerate(REGIONS):
            session.add(
                Region(
                    id=rid,
                    parent_id=parent,
                    level=level,
                    name=name,
                    name_en=name_en,
                    lat=lat,
                    lon=lon,
                    position=i,
                )
            )
        session.flush()
        add_place(session, "chengguan-maker", "城关创客空间", "Chengguan Maker Space")
        add_place(session, "lanzhou-hub", "兰州创业孵化器", "Lanzhou Start-up Hub", type_="incubator")
        session.commit()
        rebuild(session, app.extensions["search"])
    make_user(app, "reviewer@example.gov.cn", "reviewer")
    return app


def add_place(session, pid, name, name_en, type_="makerspace", **kw) -> Place:
    fields = dict(
        id=pid,
        type=type_,
        name=name,
        name_en=name_en,
        aliases=[],
        region_id="gansu-lanzhou-chengguan",
        industries=[],
        services=[],
        fund_stages=[],
        photos=[],
        description=f"{name}为创业者提供工位。",
        address="城关区张掖路1号",
        lat=36.06,
        lon=103.83,
        geo_precision="street",
        status="active",
        capacity=100,
        desks_free=3,
        verified=False,
        content_hash="seed",
        source_ref="S4 L1",
        updated_at=utcnow(),
    )
    fields.update(kw)
    place = Place(**fields)
    session.add(place)
    return place


def make_operator(app, email_: str, operates: tuple[str, ...] = ()) -> int:
    """A verified operator, already approved for the listings in `operates`."""
    with app.app_context():
        session = db.session()
        user = registration.sign_up(
            session, email_, "correct horse battery staple", "测试运营公司", "王经理", "0931-1234567"
        )
        session.get(OperatorProfile, user.id).email_verified_at = utcnow()
        for pid in operates:
            session.add(PlaceClaim(place_id=pid, user_id=user.id, state="approved", note=""))
        session.commit()
        return user.id


def mails(app) -> list[email.message.Message]:
    folder = Path(app.config["MAIL_OUTBOX"])
    return (
        [
            email.message_from_bytes(p.read_bytes(), policy=email.policy.default)
            for p in sorted(folder.glob("*.eml"))
        ]
        if folder.exists()
        else []
    )


def links_in(message) -> list[str]:
    return re.findall(r"https?://\S+", message.get_content())


def form_values(html: str, form_index: int = -1) -> dict:
    """What a browser would send for a form as shown: text, selects, checked boxes, textareas."""
    doc = parse(html)
    form = doc.find_all("form")[form_index]
    values: dict = {}
    for el in form.iter():
        name = el.attrs.get("name")
        if not name:
            continue
        if el.tag == "input" and el.attrs.get("type") in ("checkbox", "radio"):
            if "checked" in el.attrs:
                values.setdefault(name, []).append(el.attrs.get("value", "on"))
        elif el.tag == "input" and el.attrs.get("type") not in ("file", "submit"):
            values[name] = el.attrs.get("value", "")
        elif el.tag == "textarea":
            values[name] = el.text
        elif el.tag == "select":
            chosen = [o.attrs.get("value", "") for o in el.find_all("option") if "selected" in o.attrs]
            values[name] = chosen[0] if chosen else el.find("option").attrs.get("value", "")
    return values


def jpeg_with_gps(size=(1200, 800)) -> bytes:
    """A JPEG carrying EXIF with a camera model and GPS position, as phones write them."""
    image = Image.new("RGB", size, (200, 80, 40))
    exif = Image.Exif()
    exif[0x0110] = "TestPhone 12"  # camera model
    exif[0x8825] = {1: "N", 2: (36.0, 3.0, 25.0), 3: "E", 4: (103.0, 49.0, 30.0)}  # GPS
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif)
    return out.getvalue()
