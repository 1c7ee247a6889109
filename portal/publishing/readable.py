"""A revision's changes as staff read them: field by field in the page's language, texts word by word."""

from __future__ import annotations

from typing import Any

from portal.core import labels
from portal.i18n import gettext as _
from portal.i18n import lazy_gettext as _l
from portal.policies.fields import GUIDE_FIELDS
from portal.publishing.diff import ADDED, EQUAL, REMOVED, shorten, word_diff

# The same words as the policy form's labels; one for each of policies.fields.REVISION_FIELDS.
FIELD_LABELS = {
    "title": _l("Title"),
    "title_en": _l("Title in English"),
    "doc_number": _l("Document number (文号)"),
    "issuer": _l("Issuing office"),
    "issuer_en": _l("Issuing office in English"),
    "level": _l("Level"),
    "region_id": _l("Region"),
    "issued_on": _l("Issued on"),
    "date_precision": _l("Precision of the issue date"),
    "effective_from": _l("In force from"),
    "effective_to": _l("In force until"),
    "status": _l("Status"),
    "categories": _l("Categories"),
    "summary": _l("Summary"),
    "summary_en": _l("Summary in English"),
    "body": _l("Text (Markdown)"),
    "guide": _l("申兑指南"),
    "steps": _l("Steps (办事流程)"),
    "attachments": _l("Add attachments"),
    "cites": _l("Related policies"),
    "source_kind": _l("Source"),
    "source_ref": _l("Source reference"),
    "source_url": _l("Address of the official publication"),
    "source_note": _l("Source note"),
    "verified": _l("Every field has been checked against the official publication"),
    "full_text": _l("The text above is the document's full text"),
}
GUIDE_LABELS = {
    "beneficiaries": _l("Who can benefit (惠及对象)"),
    "conditions": _l("Conditions (申报条件)"),
    "time_limit": _l("Time to payment (兑现时限)"),
    "address": _l("Where to apply (受理地址)"),
    "phone": _l("Enquiries phone (咨询电话)"),
    "online_url": _l("Apply online at"),
    "source": _l("Source of the guide"),
}


def value_text(name: str, value: Any, names: dict[str, dict[str, str]]) -> str:
    """A field's value in words (codes as their labels, lists one item a line)."""
    if value is None or value == "" or value == []:
        return ""
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    coded = {
        "level": labels.LEVELS,
        "status": labels.STATUSES,
        "date_precision": labels.DATE_PRECISIONS,
        "source_kind": labels.SOURCE_KINDS,
    }.get(name)
    if coded is not None:
        return str(coded.get(value, value))
    if name in names and isinstance(value, str):
        return names[name].get(value, value)
    if name in ("categories", "cites"):
        return "\n".join(names.get(name, {}).get(v, v) for v in value)
    if name == "steps":
        return "\n".join(
            f"{i}. {s.get('title') or ''}" + (f" — {s['detail']}" if s.get("detail") else "")
            for i, s in enumerate(value, 1)
        )
    if name == "attachments":
        return "\n".join(a.get("title") or "" for a in value)
    return str(value)


def _row(label, before: str, after: str) -> dict[str, Any]:
    return {"label": label, "pieces": shorten(word_diff(before, after)), "before": before, "after": after}


def readable_changes(
    old: dict[str, Any] | None, new: dict[str, Any], fields: tuple[str, ...], names: dict[str, dict[str, str]]
) -> list[dict[str, Any]]:
    """One row per changed field (the guide's parts each on their own) with word-level pieces."""
    old = old or {}
    rows = []
    for name in fields:
        if name == "guide":
            before_guide, after_guide = old.get("guide") or {}, new.get("guide") or {}
            for part in GUIDE_FIELDS:
                label = GUIDE_LABELS[part]
                before, after = (
                    value_text(part, before_guide.get(part), names),
                    value_text(part, after_guide.get(part), names),
                )
                if before != after:
                    rows.append(_row(f"{FIELD_LABELS['guide']} · {label}", before, after))
            continue
        before, after = value_text(name, old.get(name), names), value_text(name, new.get(name), names)
        if before != after:
            rows.append(_row(FIELD_LABELS.get(name, name), before, after))
    return rows


def definition_changes(old: dict[str, Any] | None, new: dict[str, Any], as_text) -> list[dict[str, Any]]:
    """A benefit definition's changes key by key (the keys staff write), each compared word by word;
    `as_text` renders a value as staff typed it (YAML)."""
    old = old or {}
    rows = []
    for key in list(dict.fromkeys([*new, *old])):
        if old.get(key) != new.get(key):
            before = as_text(old[key]) if key in old else ""
            after = as_text(new[key]) if key in new else ""
            rows.append(_row(key, before, after))
    return rows


__all__ = ["ADDED", "EQUAL", "REMOVED", "definition_changes", "readable_changes", "value_text"]
