"""English is the source language of our messages: its catalog repeats each msgid as msgstr.

Run after `pybabel update` (make extract-messages does) so the en catalog stays complete.
"""

from __future__ import annotations

from pathlib import Path

from babel.messages.pofile import read_po, write_po

PATH = Path(__file__).resolve().parent.parent / "translations" / "en" / "LC_MESSAGES" / "messages.po"


def main() -> None:
    with PATH.open("rb") as fh:
        catalog = read_po(fh, locale="en")
    for message in catalog:
        if not message.id:
            continue
        message.string = message.id
        message.flags.discard("fuzzy")
    with PATH.open("wb") as fh:
        write_po(fh, catalog, width=100)


if __name__ == "__main__":
    main()
