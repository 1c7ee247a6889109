"""Merge translations/messages.pot into both catalogs, without source locations and sorted by msgid.

Sorted entries without line numbers keep the catalogs stable: adding a message touches only its own
lines. English is the source language, so its catalog repeats each msgid as msgstr.
"""

from __future__ import annotations

from pathlib import Path

from babel.messages.pofile import read_po, write_po

TRANSLATIONS = Path(__file__).resolve().parent.parent / "translations"


def update(locale: str) -> None:
    with (TRANSLATIONS / "messages.pot").open("rb") as fh:
        template = read_po(fh)
    path = TRANSLATIONS / locale / "LC_MESSAGES" / "messages.po"
    with path.open("rb") as fh:
        catalog = read_po(fh, locale=locale)
    catalog.update(template, no_fuzzy_matching=True)
    for message in catalog:
        if locale == "en" and message.id:
            message.string = message.id
            message.flags.discard("fuzzy")
    with path.open("wb") as fh:
        write_po(fh, catalog, width=100, no_location=True, sort_output=True, ignore_obsolete=True)


def main() -> None:
    for locale in ("zh_Hans_CN", "en"):
        update(locale)


if __name__ == "__main__":
    main()
