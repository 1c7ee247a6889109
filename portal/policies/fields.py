"""A policy's fields, named once for the loader, the public record, revisions, the diff and the staff form.

Pure: names only. The labels staff read are in `portal.publishing.readable`.
"""

from __future__ import annotations

# The document: title, issuer, level, region, dates and status.
DOCUMENT = (
    "title",
    "title_en",
    "doc_number",
    "issuer",
    "issuer_en",
    "level",
    "region_id",
    "issued_on",
    "date_precision",
    "effective_from",
    "effective_to",
    "status",
)
TEXTS = ("summary", "summary_en", "body")
# Where it comes from and how far it was checked.
SOURCE = ("source_kind", "source_ref", "source_url", "source_note", "verified", "full_text")
DATE_FIELDS = ("issued_on", "effective_from", "effective_to")

# Columns of the policy row that a content file or a published revision sets.
SCALAR_FIELDS = (*DOCUMENT, *TEXTS, *SOURCE, "content_hash")
# Everything a revision can change, in the order the review page lists the changes.
REVISION_FIELDS = (*DOCUMENT, "categories", *TEXTS, "guide", "steps", "attachments", "cites", *SOURCE)
# The staff form's fields named like the column (dates are typed apart; the hash is computed).
FORM_FIELDS = tuple(f for f in SCALAR_FIELDS if f not in DATE_FIELDS and f != "content_hash")
# Texts the staff form leaves blank for "not known": stored as NULL, not as "".
OPTIONAL_TEXTS = (
    "title_en",
    "doc_number",
    "issuer",
    "issuer_en",
    "summary_en",
    "source_ref",
    "source_url",
    "source_note",
)

# The application guide (申兑指南): what a founder reads, then where the guide comes from.
GUIDE_TEXTS = ("beneficiaries", "conditions", "time_limit", "address", "phone", "online_url")
GUIDE_FIELDS = (*GUIDE_TEXTS, "source")
