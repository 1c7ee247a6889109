"""Between the listing form and revision data: filling the form, reading it back, storing uploads."""

from __future__ import annotations

from typing import Any

from flask import current_app, request
from flask_login import current_user
from sqlalchemy.orm import Session

from portal.core import files, photos
from portal.core.messages import message
from portal.i18n import gettext as _
from portal.i18n import localized
from portal.operators.forms import ListingForm
from portal.places import taxonomy
from portal.places.models import TYPES
from portal.regions.services import all_regions

TEXT_FIELDS = (
    "name",
    "name_en",
    "description",
    "description_en",
    "address",
    "recognition",
    "desk_price",
    "opening_hours",
    "contact_name",
    "phone",
    "email",
    "website",
)
NUMBER_FIELDS = ("lat", "lon", "recognition_year", "capacity", "desks_free", "offices_free")


class EditError(Exception):
    """An upload or limit problem on one field of the listing form."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field
        self.message = message


def listing_form(db: Session, data: dict[str, Any], token: str, fill: bool = False) -> ListingForm:
    """The editor with its choices, filled from `data` when first shown (or when `fill`)."""
    form = ListingForm()
    types = taxonomy.type_labels()
    form.type.choices = [(t, types.get(t, t)) for t in TYPES]
    form.region_id.choices = [(r.id, localized(r, "name")) for r in all_regions(db)]
    form.services.choices = list(taxonomy.services().items())
    form.industries.choices = list(taxonomy.industries().items())
    form.remove_photos.choices = [
        (pid, _("Photo %(n)s", n=i)) for i, pid in enumerate(data.get("photos") or [], 1)
    ]
    if fill or request.method == "GET":
        for name in (*TEXT_FIELDS, *NUMBER_FIELDS, "type", "region_id", "level", "services", "industries"):
            value = data.get(name)
            getattr(form, name).raw_data = []  # numbers render what was typed unless cleared
            getattr(form, name).data = (
                value if value is not None else ([] if name in ("services", "industries") else None)
            )
        form.level.data = data.get("level") or ""
        form.status.data = (
            data.get("status") if data.get("status") in ("planned", "active", "closed") else "active"
        )
        form.token.data = token
    return form


def form_data(db: Session, form: ListingForm, previous: dict[str, Any]) -> dict[str, Any]:
    """Revision data from a valid form, storing new photos and certificate; raises EditError."""
    cfg = current_app.config
    # One-line fields lose line breaks and runs of spaces (they end up in email subjects too).
    data: dict[str, Any] = {
        name: (" ".join((getattr(form, name).data or "").split()) or None) for name in TEXT_FIELDS
    }
    data.update({name: getattr(form, name).data for name in NUMBER_FIELDS})
    data.update(
        type=form.type.data,
        status=form.status.data,
        region_id=form.region_id.data,
        level=form.level.data or None,
        services=form.services.data or [],
        industries=form.industries.data or [],
        description=form.description.data.strip(),
    )
    data["geo_precision"] = (
        (
            "exact"
            if previous.get("lat") != data["lat"] or previous.get("lon") != data["lon"]
            else previous.get("geo_precision")
        )
        if data["lat"] is not None
        else None
    )
    remove = set(form.remove_photos.data or [])
    kept = [pid for pid in previous.get("photos") or [] if pid not in remove]
    uploads = [u for u in form.photos.data or [] if getattr(u, "filename", "")]
    if len(kept) + len(uploads) > photos.MAX_PHOTOS:
        raise EditError("photos", _("At most %(n)s photos: remove some first.", n=photos.MAX_PHOTOS))
    for upload in uploads:
        try:
            record = photos.store_photo(
                db,
                cfg["UPLOAD_DIR"],
                upload.read(cfg["MAX_PHOTO_BYTES"] + 1),
                upload.filename,
                cfg["MAX_PHOTO_BYTES"],
                cfg["PHOTO_MAX_SIDE"],
                current_user.id,
            )
        except files.UploadError as exc:
            raise EditError("photos", message(exc)) from exc
        kept.append(record.id)
    data["photos"] = kept
    data["certificate_file_id"] = previous.get("certificate_file_id")
    certificate = form.certificate.data
    if getattr(certificate, "filename", ""):
        try:
            record = files.store(
                db,
                cfg["UPLOAD_DIR"],
                certificate.read(cfg["MAX_UPLOAD_BYTES"] + 1),
                certificate.filename,
                cfg["MAX_UPLOAD_BYTES"],
                current_user.id,
            )
        except files.UploadError as exc:
            raise EditError("certificate", message(exc)) from exc
        data["certificate_file_id"] = record.id
    return data


def location_message(problem: str) -> str:
    return {
        "pair": _("Give both latitude and longitude, or neither."),
        "china": _("These coordinates are outside China. Check that latitude and longitude are not swapped."),
        "region": _("These coordinates are far from the region chosen. Check the pin or the region."),
    }[problem]
