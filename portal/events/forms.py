"""The event form shared by staff and operators; labels name the fields in every message."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import HiddenField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from portal.core.forms import MultiCheckboxField
from portal.i18n import lazy_gettext as _l
from portal.operators.forms import plain_text

TIME_HINT = _l("China Standard Time, e.g. 2026-10-15 09:30; only the date (2026-10-15) for an all-day event.")
FIELD_LABELS = {
    "title": _l("Title"),
    "title_en": _l("Title in English"),
    "kind": _l("Kind of event"),
    "series_id": _l("Part of a recurring event"),
    "starts_at": _l("Starts"),
    "ends_at": _l("Ends"),
    "all_day": _l("All day"),
    "place_id": _l("Place"),
    "region_id": _l("Region"),
    "address": _l("Address"),
    "lat": _l("Latitude"),
    "lon": _l("Longitude"),
    "organiser": _l("Organiser"),
    "organiser_en": _l("Organiser in English"),
    "registration_url": _l("Registration link"),
    "fee": _l("Fee"),
    "fee_note": _l("Fee details"),
    "audience": _l("For whom"),
    "description": _l("Description"),
    "description_en": _l("Description in English"),
    "source_url": _l("Source (address of the announcement)"),
}


class EventForm(FlaskForm):
    """Every field of an event; the view fills the choices."""

    token = HiddenField()
    title = StringField(FIELD_LABELS["title"], [DataRequired(), Length(max=300), plain_text])
    title_en = StringField(FIELD_LABELS["title_en"], [Optional(), Length(max=400), plain_text])
    kind = SelectField(FIELD_LABELS["kind"], [DataRequired()], choices=[])
    series_id = SelectField(FIELD_LABELS["series_id"], choices=[], validate_choice=False)
    starts_at = StringField(FIELD_LABELS["starts_at"], [Optional(), Length(max=40)], description=TIME_HINT)
    ends_at = StringField(FIELD_LABELS["ends_at"], [Optional(), Length(max=40)], description=TIME_HINT)
    place_id = SelectField(FIELD_LABELS["place_id"], choices=[], validate_choice=False)
    region_id = SelectField(
        FIELD_LABELS["region_id"],
        choices=[],
        validate_choice=False,
        description=_l("Not needed when you choose a place."),
    )
    address = StringField(
        FIELD_LABELS["address"],
        [Optional(), Length(max=300), plain_text],
        description=_l("Room or address when it is not the place's own address."),
    )
    lat = StringField(
        FIELD_LABELS["lat"], [Optional(), Length(max=20)], description=_l("WGS-84, e.g. 36.06; optional.")
    )
    lon = StringField(
        FIELD_LABELS["lon"], [Optional(), Length(max=20)], description=_l("WGS-84, e.g. 103.84; optional.")
    )
    organiser = StringField(FIELD_LABELS["organiser"], [Optional(), Length(max=300), plain_text])
    organiser_en = StringField(FIELD_LABELS["organiser_en"], [Optional(), Length(max=400), plain_text])
    registration_url = StringField(
        FIELD_LABELS["registration_url"],
        [Optional(), Length(max=500)],
        description=_l("An address starting with https:// or http://."),
    )
    fee = SelectField(FIELD_LABELS["fee"], choices=[])
    fee_note = StringField(FIELD_LABELS["fee_note"], [Optional(), Length(max=200), plain_text])
    audience = MultiCheckboxField(FIELD_LABELS["audience"], choices=[])
    description = TextAreaField(FIELD_LABELS["description"], [DataRequired(), Length(max=4000), plain_text])
    description_en = TextAreaField(FIELD_LABELS["description_en"], [Optional(), Length(max=8000), plain_text])
    source_url = StringField(FIELD_LABELS["source_url"], [Optional(), Length(max=500)])


class ActionForm(FlaskForm):
    """A decision or an author's answer; the reason is required where the workflow says so."""

    reason = TextAreaField(_l("Reason"), [Optional(), Length(max=4000), plain_text])
