"""Operator, moderation and public feedback forms. Labels name the fields in every message."""

from __future__ import annotations

import re

from flask_wtf import FlaskForm
from flask_wtf.file import FileField, MultipleFileField
from wtforms import (
    EmailField,
    FloatField,
    HiddenField,
    IntegerField,
    PasswordField,
    RadioField,
    SelectField,
    StringField,
    TextAreaField,
    URLField,
)
from wtforms.validators import (
    URL,
    DataRequired,
    EqualTo,
    Length,
    NumberRange,
    Optional,
    Regexp,
    ValidationError,
)

from portal.accounts.forms import EMAIL, not_common
from portal.accounts.services import MIN_PASSWORD
from portal.core import labels
from portal.core.forms import MultiCheckboxField
from portal.i18n import lazy_gettext as _l

PHONE = Regexp(r"^[0-9+()\- ,、/转]*$", message=_l("Use digits, spaces, +, - and parentheses only."))
# Anything that looks like markup: descriptions are plain text, shown as typed.
MARKUP = re.compile(r"<\s*/?\s*[a-zA-Z!?]|&#?\w+;|javascript:", re.IGNORECASE)


class Range(NumberRange):
    """NumberRange that stays quiet when the value could not be read (that error is enough)."""

    def __call__(self, form, field) -> None:
        if field.data is not None:
            super().__call__(form, field)


def plain_text(form, field) -> None:
    """Refuse HTML and scripts rather than guess what was meant."""
    if field.data and MARKUP.search(field.data):
        raise ValidationError(_l("Use plain text: HTML tags and scripts are not allowed."))


class WholeNumberField(IntegerField):
    """An integer field whose parse error is ours (translated)."""

    def process_formdata(self, valuelist):
        if valuelist and valuelist[0].strip():
            try:
                self.data = int(valuelist[0].strip())
            except ValueError as exc:
                self.data = None
                raise ValueError(_l("Enter a whole number.")) from exc
        else:
            self.data = None


class CoordinateField(FloatField):
    """A decimal degree; a comma is accepted as decimal mark."""

    def process_formdata(self, valuelist):
        if valuelist and valuelist[0].strip():
            try:
                self.data = float(valuelist[0].strip().replace("，", ".").replace(",", "."))
            except ValueError as exc:
                self.data = None
                raise ValueError(_l("Enter a number in decimal degrees, e.g. 36.0611.")) from exc
        else:
            self.data = None


class SignupForm(FlaskForm):
    organisation = StringField(
        _l("Organisation"),
        [DataRequired(), Length(max=200), plain_text],
        description=_l("The company or body that runs the space."),
    )
    contact_name = StringField(_l("Contact person"), [DataRequired(), Length(max=120), plain_text])
    phone = StringField(_l("Phone"), [DataRequired(), Length(max=40), PHONE])
    email = EmailField(
        _l("Email address"),
        [DataRequired(), EMAIL, Length(max=254)],
        description=_l("We send a link to this address to check it."),
    )
    password = PasswordField(
        _l("Password"),
        [DataRequired(), Length(min=MIN_PASSWORD, max=200), not_common],
        description=_l("At least 12 characters."),
    )
    confirm = PasswordField(
        _l("Repeat the password"),
        [DataRequired(), EqualTo("password", message=_l("The passwords do not match."))],
    )


class ClaimForm(FlaskForm):
    evidence = FileField(
        _l("Evidence"),
        description=_l(
            "A 备案 or 认定 document, business licence or lease naming your organisation: PDF or image."
        ),
    )
    note = TextAreaField(
        _l("Note for the staff"),
        [Optional(), Length(max=2000), plain_text],
        description=_l("Your role in the organisation, and anything that helps us check."),
    )


def _level_choices():
    return [("", _l("Not recognised"))] + [(k, v) for k, v in labels.LEVELS.items()]


STATUS_CHOICES = ("planned", "active", "closed")


class ListingForm(FlaskForm):
    token = HiddenField()
    type = SelectField(_l("Type of place"), choices=[])
    status = SelectField(
        _l("Operating status"),
        choices=[(s, labels.PLACE_STATUSES[s]) for s in STATUS_CHOICES],
        description=_l("A closed space stays in the directory as a record."),
    )
    name = StringField(_l("Name in Chinese"), [DataRequired(), Length(max=200), plain_text])
    name_en = StringField(_l("Name in English"), [Optional(), Length(max=300), plain_text])
    description = TextAreaField(_l("Description in Chinese"), [DataRequired(), Length(max=4000), plain_text])
    description_en = TextAreaField(_l("Description in English"), [Optional(), Length(max=8000), plain_text])
    region_id = SelectField(_l("Region"), choices=[])
    address = StringField(_l("Address"), [Optional(), Length(max=300), plain_text])
    lat = CoordinateField(
        _l("Latitude"),
        [Optional(), Range(min=-90, max=90, message=_l("Latitude must be between -90 and 90."))],
        description=_l("WGS-84 decimal degrees, e.g. 36.0611."),
    )
    lon = CoordinateField(
        _l("Longitude"),
        [Optional(), Range(min=-180, max=180, message=_l("Longitude must be between -180 and 180."))],
        description=_l("WGS-84 decimal degrees, e.g. 103.8343."),
    )
    level = SelectField(_l("Recognition level"), choices=_level_choices())
    recognition = StringField(
        _l("Recognition title"),
        [Optional(), Length(max=200), plain_text],
        description=_l("As on the certificate, e.g. 国家级众创空间."),
    )
    recognition_year = WholeNumberField(
        _l("Year recognised"),
        [Optional(), Range(min=1980, max=2100, message=_l("Give a year between 1980 and 2100."))],
    )
    certificate = FileField(_l("Recognition certificate"), description=_l("PDF or image, at most 10 MB."))
    services = MultiCheckboxField(_l("Services"), choices=[])
    industries = MultiCheckboxField(_l("Focus industries"), choices=[])
    capacity = WholeNumberField(
        _l("Capacity (desks and seats)"),
        [Optional(), Range(min=0, max=100_000, message=_l("Give a number from 0 to 100000."))],
    )
    desks_free = WholeNumberField(
        _l("Desks free now"),
        [Optional(), Range(min=0, max=100_000, message=_l("Give a number from 0 to 100000."))],
    )
    offices_free = WholeNumberField(
        _l("Offices free now"),
        [Optional(), Range(min=0, max=10_000, message=_l("Give a number from 0 to 10000."))],
    )
    desk_price = StringField(
        _l("Price of a desk or office"),
        [Optional(), Length(max=120), plain_text],
        description=_l("e.g. 免费入驻 or 300元/工位/月."),
    )
    opening_hours = StringField(_l("Opening hours"), [Optional(), Length(max=200), plain_text])
    contact_name = StringField(_l("Contact person"), [Optional(), Length(max=120), plain_text])
    phone = StringField(_l("Phone"), [Optional(), Length(max=120), PHONE])
    email = EmailField(_l("Email address"), [Optional(), EMAIL, Length(max=254)])
    website = URLField(
        _l("Website"),
        [Optional(), Length(max=300), URL(message=_l("Give a full address starting with https://"))],
    )
    photos = MultipleFileField(
        _l("Add photos"),
        description=_l(
            "JPEG, PNG or WebP, at most 8 MB each and 10 photos in all. "
            "Location and camera details are removed."
        ),
    )
    remove_photos = MultiCheckboxField(_l("Remove photos"), choices=[])

    def validate_desks_free(self, field) -> None:
        if field.data is not None and self.capacity.data is not None and field.data > self.capacity.data:
            raise ValidationError(_l("Cannot be more than the capacity."))

    def validate_website(self, field) -> None:
        if field.data and not field.errors and not field.data.startswith(("https://", "http://")):
            raise ValidationError(_l("Give a full address starting with https://"))


class ReasonForm(FlaskForm):
    reason = TextAreaField(_l("Reason"), [Optional(), Length(max=4000), plain_text])


class AnswerForm(FlaskForm):
    reason = TextAreaField(_l("Your answer"), [DataRequired(), Length(max=4000), plain_text])
    evidence = FileField(_l("Further evidence (optional)"), description=_l("PDF or image, at most 10 MB."))


class FeedbackForm(FlaskForm):
    kind = RadioField(
        _l("What is it about?"),
        choices=[
            ("correction", _l("Something on the page is wrong or out of date")),
            ("problem", _l("A problem with the place itself")),
        ],
        default="correction",
    )
    body = TextAreaField(_l("What should we know?"), [DataRequired(), Length(min=5, max=4000), plain_text])
    contact = EmailField(
        _l("Your email address (optional)"),
        [Optional(), EMAIL, Length(max=254)],
        description=_l("Only if you would like an answer. It is not shown on the site."),
    )


# Names of the listing fields in the staff diff and the operator's view of a change.
FIELD_LABELS = {
    "type": _l("Type of place"),
    "status": _l("Operating status"),
    "name": _l("Name in Chinese"),
    "name_en": _l("Name in English"),
    "description": _l("Description in Chinese"),
    "description_en": _l("Description in English"),
    "region_id": _l("Region"),
    "address": _l("Address"),
    "lat": _l("Latitude"),
    "lon": _l("Longitude"),
    "geo_precision": _l("Precision of the location"),
    "level": _l("Recognition level"),
    "recognition": _l("Recognition title"),
    "recognition_year": _l("Year recognised"),
    "certificate_file_id": _l("Recognition certificate"),
    "services": _l("Services"),
    "industries": _l("Focus industries"),
    "capacity": _l("Capacity (desks and seats)"),
    "desks_free": _l("Desks free now"),
    "offices_free": _l("Offices free now"),
    "desk_price": _l("Price of a desk or office"),
    "opening_hours": _l("Opening hours"),
    "contact_name": _l("Contact person"),
    "phone": _l("Phone"),
    "email": _l("Email address"),
    "website": _l("Website"),
    "photos": _l("Photos"),
}
