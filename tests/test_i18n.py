"""Both catalogs translate every message the code and templates use."""

from __future__ import annotations

from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

from portal.config import ROOT

METHOD_MAP = [("portal/**.py", "python"), ("templates/**.html", "jinja2"), ("templates/**.xml", "jinja2")]
OPTIONS = {"templates/**.html": {"trimmed": "true"}, "templates/**.xml": {"trimmed": "true"}}


def _source_messages() -> set[str]:
    found = set()
    for _file, _line, message, _comments, _context in extract_from_dir(
        str(ROOT),
        METHOD_MAP,
        OPTIONS,
        keywords={
            "_": None,
            "gettext": None,
            "ngettext": (1, 2),
            "_l": None,
            "lazy_gettext": None,
            "N_": None,
        },
    ):
        found.add(message[0] if isinstance(message, tuple) else message)
    return found


@pytest.mark.parametrize("locale", ["zh_Hans_CN", "en"])
def test_catalog_is_complete(locale):
    path = Path(ROOT, "translations", locale, "LC_MESSAGES", "messages.po")
    with path.open("rb") as fh:
        catalog = read_po(fh)
    missing, untranslated = [], []
    for msgid in sorted(_source_messages()):
        message = catalog.get(msgid)
        if message is None:
            missing.append(msgid)
            continue
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        if not all(strings) or message.fuzzy:
            untranslated.append(msgid)
    assert not missing, f"{locale}: not in catalog (run make extract-messages): {missing}"
    assert not untranslated, f"{locale}: untranslated or fuzzy: {untranslated}"
