"""Back-office forms. Labels name the fields in messages; every field says what it expects."""

from __future__ import annotations

import re

from flask_wtf import FlaskForm
from flask_wtf.file import MultipleFileField
from wtforms import (
    BooleanField,
    DateField,
    DateTimeLocalField,
    SelectField,
    StringField,
    TextAreaField,
    URLField,
)
from wtforms.validators import URL, DataRequired, Length, Optional, Regexp, ValidationError

from portal.core import labels, lengths
from portal.core.forms import MultiCheckboxField
from portal.i18n import lazy_gettext as _l
from portal.policies.models import LEVELS, STATUSES, Policy, PolicyGuide

SLUG_RE = r"^[a-z0-9][a-z0-9-]{0,79}$"


class PolicyForm(FlaskForm):
    id = StringField(
        _l("Identifier"),
        [
            DataRequired(),
            Regexp(SLUG_RE, message=_l("Use lowercase letters, digits and hyphens, at most 80 characters.")),
        ],
        description=_l("Part of the permanent link, e.g. chengguan-rent-subsidy. Cannot change later."),
    )
    title = StringField(_l("Title"), [DataRequired(), Length(max=300)])
    title_en = StringField(_l("Title in English"), [Optional(), Length(max=400)])
    doc_number = StringField(_l("Document number (文号)"), [Optional(), Length(max=120)])
    issuer = StringField(_l("Issuing office"), [Optional(), Length(max=300)])
    issuer_en = StringField(_l("Issuing office in English"), [Optional(), Length(max=400)])
    level = SelectField(_l("Level"), choices=[(v, labels.LEVELS[v]) for v in LEVELS])
    region_id = SelectField(_l("Region"), choices=[])
    issued_on = DateField(_l("Issued on"), [Optional()])
    date_precision = SelectField(
        _l("Precision of the issue date"),
        choices=list(labels.DATE_PRECISIONS.items()),
    )
    effective_from = DateField(_l("In force from"), [Optional()])
    effective_to = DateField(_l("In force until"), [Optional()])
    status = SelectField(_l("Status"), choices=[(v, labels.STATUSES[v]) for v in STATUSES])
    categories = MultiCheckboxField(_l("Categories"), choices=[])
    summary = TextAreaField(_l("Summary"), [DataRequired(), Length(max=4000)])
    summary_en = TextAreaField(_l("Summary in English"), [Optional(), Length(max=8000)])
    body = TextAreaField(_l("Text (Markdown)"), [Optional(), Length(max=500_000)])
    full_text = BooleanField(_l("The text above is the document's full text"))
    beneficiaries = TextAreaField(_l("Who can benefit (惠及对象)"), [Optional(), Length(max=4000)])
    conditions = TextAreaField(_l("Conditions (申报条件)"), [Optional(), Length(max=4000)])
    time_limit = StringField(_l("Time to payment (兑现时限)"), [Optional(), Length(max=4000)])
    address = StringField(_l("Where to apply (受理地址)"), [Optional(), Length(max=4000)])
    phone = StringField(
        _l("Enquiries phone (咨询电话)"),
        [
            Optional(),
            Length(max=120),
            Regexp(r"^[0-9+()\- ,、/转]*$", message=_l("Use digits, spaces, +, - and parentheses only.")),
        ],
    )
    online_url = URLField(
        _l("Apply online at"),
        [
            Optional(),
            lengths.fits(PolicyGuide.online_url),
            URL(message=_l("Give a full address starting with https://")),
        ],
    )
    guide_source = StringField(_l("Source of the guide"), [Optional(), Length(max=300)])
    steps = TextAreaField(
        _l("Steps (办事流程)"),
        [Optional(), Length(max=20_000)],
        description=_l("One step per line: title | detail"),
    )
    cites = StringField(
        _l("Related policies"),
        [Optional(), Length(max=2000)],
        description=_l("Identifiers of policies this one cites, separated by commas."),
    )
    source_kind = SelectField(_l("Source"), choices=list(labels.SOURCE_KINDS.items()))
    source_ref = StringField(_l("Source reference"), [Optional(), Length(max=300)])
    source_url = URLField(
        _l("Address of the official publication"),
        [
            Optional(),
            lengths.fits(Policy.source_url),
            URL(message=_l("Give a full address starting with https://")),
        ],
    )
    source_note = TextAreaField(_l("Source note"), [Optional(), Length(max=4000)])
    verified = BooleanField(_l("Every field has been checked against the official publication"))
    uploads = MultipleFileField(
        _l("Add attachments"), description=_l("PDF, Word, Excel or images, at most 10 MB each.")
    )
    remove_attachments = MultiCheckboxField(_l("Remove attachments"), choices=[])

    def validate_effective_to(self, field) -> None:
        if field.data and self.effective_from.data and field.data < self.effective_from.data:
            raise ValidationError(_l("Must not be before the date it comes into force."))

    def validate_steps(self, field) -> None:
        for number, line in enumerate((field.data or "").splitlines(), start=1):
            if line.strip() and len(line.split("|", 1)[0].strip()) > 200:
                raise ValidationError(_l("Step %(n)s: the title is longer than 200 characters.", n=number))

    def validate_source_ref(self, field) -> None:
        if not (field.data or self.source_url.data or self.source_note.data):
            raise ValidationError(_l("Say where the policy comes from: a reference, address or note."))


def parse_steps(text: str) -> list[dict]:
    steps = []
    for line in (text or "").splitlines():
        if line.strip():
            title, _, detail = line.partition("|")
            steps.append({"title": title.strip(), "detail": detail.strip() or None})
    return steps


def parse_ids(text: str) -> list[str]:
    return [v for v in re.split(r"[\s,，、]+", text or "") if v]


class ActionForm(FlaskForm):
    reason = TextAreaField(
        _l("Reason"),
        [Optional(), Length(max=4000)],
        description=_l("Required when you return a change or withdraw a policy."),
    )
    publish_at = DateTimeLocalField(
        _l("Publish at (optional)"),
        [Optional()],
        format="%Y-%m-%dT%H:%M",
        description=_l("Leave empty to publish as soon as you approve."),
    )


class AuditFilterForm(FlaskForm):
    class Meta:
        csrf = False  # a GET filter changes nothing

    entity = StringField(_l("Identifier of a policy, benefit, listing or user"), [Optional(), Length(max=80)])
    action = SelectField(_l("Action"), choices=[], validate_choice=False)


class SynonymForm(FlaskForm):
    word = StringField(
        _l("Everyday word"),
        [DataRequired(), Length(max=80)],
        description=_l("What founders type, e.g. 房租."),
    )
    terms = TextAreaField(
        _l("Official terms"),
        [DataRequired(), Length(max=1000)],
        description=_l("The words the texts use, one per line or separated by commas."),
    )
    reason = TextAreaField(
        _l("Reason or source"),
        [DataRequired(), Length(max=2000)],
        description=_l("Why the words mean the same, or the official text that says so."),
    )
    test_query = StringField(
        _l("Test query"),
        [DataRequired(), Length(max=200)],
        description=_l("A search that must find the expected result once approved."),
    )
    test_expect = StringField(
        _l("Expected result"),
        [DataRequired(), Length(max=120)],
        description=_l("type:id of the policy, benefit or place it must find."),
    )
