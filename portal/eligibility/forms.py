"""The "does a result look wrong?" form: which benefit, what looks wrong, and the answers it is about."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import HiddenField, SelectField, TextAreaField
from wtforms.validators import ValidationError

from portal.eligibility.rules import Ruleset
from portal.eligibility.wizard import loc
from portal.i18n import gettext as _
from portal.i18n import lazy_gettext as _l

MAX_FEEDBACK = 2000


def _between_1_and_max(_form, field) -> None:
    text = (field.data or "").strip()
    if not text or len(text) > MAX_FEEDBACK:
        raise ValidationError(_("Write between 1 and %(n)s characters.", n=MAX_FEEDBACK))


class ResultFeedbackForm(FlaskForm):
    answers = HiddenField()  # the results page's query string: the answers the result came from
    benefit_id = SelectField(_l("Which benefit?"), id="feedback-benefit", validate_choice=False)
    message = TextAreaField(
        _l("What looks wrong?"),
        [_between_1_and_max],
        id="feedback-message",
        description=_l("Do not write your name or contact details: we cannot reply."),
        render_kw={"rows": 4, "maxlength": MAX_FEEDBACK},
    )

    def offer(self, rules: Ruleset) -> None:
        """Every benefit of the rules, by name, after "not about one benefit"."""
        self.benefit_id.choices = [("", _("Not about one benefit"))] + [
            (b.id, loc(b.name, b.name_en)) for b in rules.benefits
        ]
