"""Forms: subscribe, manage, save eligibility answers, ask for a fresh link."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, HiddenField, RadioField
from wtforms.validators import DataRequired, InputRequired, Length

from portal.accounts.forms import EMAIL
from portal.core.forms import MultiCheckboxField
from portal.i18n import lazy_gettext as _l

FREQUENCY_CHOICES = [("daily", _l("Daily")), ("weekly", _l("Weekly"))]
CHOOSE_ONE = _l("Choose how often you want the email.")


def _email_field():
    return EmailField(
        _l("Email address"), [DataRequired(message=_l("Enter your email address.")), EMAIL, Length(max=254)]
    )


class SubscribeForm(FlaskForm):
    email = _email_field()
    kinds = MultiCheckboxField(
        _l("What to hear about"),
        choices=[],
        validators=[DataRequired(message=_l("Choose at least one kind of content."))],
    )
    frequency = RadioField(
        _l("How often"), choices=FREQUENCY_CHOICES, validators=[InputRequired(message=CHOOSE_ONE)]
    )
    filters = HiddenField()  # the list page's filters, as a query string


class ManageForm(FlaskForm):
    kinds = MultiCheckboxField(
        _l("What to hear about"),
        choices=[],
        validators=[DataRequired(message=_l("Choose at least one kind of content."))],
    )
    frequency = RadioField(
        _l("How often"), choices=FREQUENCY_CHOICES, validators=[InputRequired(message=CHOOSE_ONE)]
    )


class SaveCheckForm(FlaskForm):
    email = _email_field()
    consent = BooleanField(
        _l("Keep my answers and this address to tell me when a result changes"),
        [DataRequired(message=_l("Tick the box to agree, or leave this page: nothing is kept without it."))],
    )
    answers = HiddenField()


class FreshLinkForm(FlaskForm):
    email = _email_field()
