"""Sign-in, second-factor and password forms."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import EmailField, PasswordField, SelectField, StringField
from wtforms.validators import DataRequired, EqualTo, Length, Regexp, ValidationError

from portal.accounts.passwords import is_common
from portal.accounts.services import MIN_PASSWORD
from portal.i18n import lazy_gettext as _l

# The address is proven by the emails we send; the form only catches obvious slips.
EMAIL = Regexp(r"^[^@\s]+@[^@\s]+\.[^@\s]+$", message=_l("Enter an email address like name@example.gov.cn."))


def not_common(form, field) -> None:
    """Refuse the passwords attackers try first (the shipped list of common passwords)."""
    if field.data and is_common(field.data):
        raise ValidationError(_l("This is one of the most common passwords. Choose another."))


class LoginForm(FlaskForm):
    email = EmailField(_l("Email address"), [DataRequired(), Length(max=254)])
    password = PasswordField(_l("Password"), [DataRequired(), Length(max=200)])


class CodeForm(FlaskForm):
    code = StringField(
        _l("Code"),
        [DataRequired(), Length(max=20)],
        description=_l("The 6-digit code from your authenticator app, or a recovery code."),
    )


class ForgotForm(FlaskForm):
    email = EmailField(_l("Email address"), [DataRequired(), EMAIL, Length(max=254)])


class ResetForm(FlaskForm):
    password = PasswordField(
        _l("New password"),
        [DataRequired(), Length(min=MIN_PASSWORD, max=200), not_common],
        description=_l("At least 12 characters."),
    )
    confirm = PasswordField(
        _l("Repeat the new password"),
        [DataRequired(), EqualTo("password", message=_l("The passwords do not match."))],
    )


class UserForm(FlaskForm):
    email = EmailField(_l("Email address"), [DataRequired(), EMAIL, Length(max=254)])
    name = StringField(_l("Name"), [Length(max=120)])
    role = SelectField(_l("Role"), choices=[])


class RoleForm(FlaskForm):
    role = SelectField(_l("Role"), choices=[])
    active = SelectField(_l("Account"), choices=[("1", _l("Active")), ("0", _l("Disabled"))])
