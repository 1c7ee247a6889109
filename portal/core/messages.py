"""The words for every UserError code the shared infrastructure raises, in the visitor's language.

Areas with codes of their own keep a catalogue beside their code and pass it to `message`.
"""

from __future__ import annotations

from collections.abc import Mapping

from portal.core.problems import UserError
from portal.i18n import lazy_gettext as _l

# Workflow refusals (portal.core.states and the services built on it).
WORKFLOW = {
    "role": _l("Your role does not allow this action."),
    "own_change": _l("You cannot approve, publish or return your own change; another reviewer must."),
    "not_author": _l("Only the author can do this."),
    "others_draft": _l("Only its author or a reviewer can discard a colleague's draft."),
    "reason_required": _l("Give a reason."),
    "not_allowed": _l("This action is not possible in the current state."),
    "stale": _l("Someone else acted on this while you were reading it. Check it again."),
    "open_revision": _l("This policy already has a revision in progress."),
    "not_editable": _l("Only drafts and returned revisions can be edited."),
    "cases_fail": _l("The rules can only be published when every case passes."),
}
# Refused uploads (portal.core.files and portal.core.photos).
UPLOAD = {
    "empty": _l("The file is empty."),
    "too_large": _l("The file is larger than %(mb)s MB."),
    "damaged": _l("The file is damaged."),
    "not_allowed": _l("Only PDF, Word, Excel and image files can be attached."),
    "not_photo": _l("This file is not a photo: only JPEG, PNG, WebP or GIF images can be added."),
}
CATALOGUES = {"WorkflowError": WORKFLOW, "UploadError": UPLOAD}
FALLBACK = _l("This action is not possible.")


def message(exc: UserError, catalogue: Mapping[str, object] | None = None) -> str:
    """The user's words for `exc`: from `catalogue` when it has the code, else the shared ones."""
    for words in (catalogue or {}, CATALOGUES.get(type(exc).__name__, {})):
        if exc.code in words:
            return str(words[exc.code]) % exc.params if exc.params else str(words[exc.code])
    return str(FALLBACK)
