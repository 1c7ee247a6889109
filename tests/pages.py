"""A small HTML tree and the structural checks every page must pass."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from html.parser import HTMLParser

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


@dataclass
class Element:
    tag: str
    attrs: dict[str, str]
    parent: Element | None = None
    children: list[Element] = field(default_factory=list)
    text_parts: list[str] = field(default_factory=list)

    @property
    def text(self) -> str:
        return "".join(self.text_parts + [c.text for c in self.children]).strip()

    def iter(self):
        yield self
        for child in self.children:
            yield from child.iter()

    def find_all(self, tag: str | None = None, **attrs) -> list[Element]:
        return [
            e
            for e in self.iter()
            if (tag is None or e.tag == tag)
            and all(e.attrs.get(k.rstrip("_")) == v for k, v in attrs.items())
        ]

    def find(self, tag: str | None = None, **attrs) -> Element | None:
        found = self.find_all(tag, **attrs)
        return found[0] if found else None


class _Builder(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Element("#root", {})
        self.current = self.root

    def handle_starttag(self, tag, attrs):
        el = Element(tag, {k: (v or "") for k, v in attrs}, parent=self.current)
        self.current.children.append(el)
        if tag not in VOID:
            self.current = el

    def handle_startendtag(self, tag, attrs):
        self.current.children.append(Element(tag, {k: (v or "") for k, v in attrs}, parent=self.current))

    def handle_endtag(self, tag):
        node = self.current
        while node is not None and node.tag != tag:
            node = node.parent
        if node is not None and node.parent is not None:
            self.current = node.parent

    def handle_data(self, data):
        self.current.text_parts.append(data)


def parse(html: str) -> Element:
    builder = _Builder()
    builder.feed(html)
    return builder.root


def check_page(html: str, lang: str | None = None) -> Element:
    """Assert the structure every page needs (WCAG basics); return the tree for more checks."""
    doc = parse(html)
    html_el = doc.find("html")
    assert html_el is not None, "no <html> element"
    assert html_el.attrs.get("lang"), "<html> has no lang"
    if lang:
        assert html_el.attrs["lang"] == lang, f"<html lang> is {html_el.attrs['lang']}, expected {lang}"
    title = doc.find("title")
    assert title is not None and title.text, "page has no <title>"
    h1s = doc.find_all("h1")
    assert len(h1s) == 1, f"expected one <h1>, found {len(h1s)}"
    assert h1s[0].text, "<h1> is empty"
    assert doc.find("main") is not None, "no <main> landmark"
    ids = Counter(e.attrs["id"] for e in doc.iter() if "id" in e.attrs)
    duplicates = [i for i, n in ids.items() if n > 1]
    assert not duplicates, f"duplicate ids: {duplicates}"
    labelled = {e.attrs.get("for") for e in doc.find_all("label")}
    for control in doc.iter():
        if control.tag not in {"input", "select", "textarea"}:
            continue
        if control.attrs.get("type") in {"hidden", "submit", "button"}:
            continue
        has_label = control.attrs.get("id") in labelled or control.attrs.get("aria-label")
        has_label = has_label or _inside_label(control)
        assert has_label, f"form control without a label: {control.tag} {control.attrs}"
    for fieldset in doc.find_all("fieldset"):
        assert fieldset.find("legend") is not None, "fieldset without a legend"
    for img in doc.find_all("img"):
        assert "alt" in img.attrs, f"image without alt: {img.attrs}"
    for link in doc.find_all("a"):
        assert link.text or link.attrs.get("aria-label"), f"link without text: {link.attrs}"
    return doc


def _inside_label(el: Element) -> bool:
    node = el.parent
    while node is not None:
        if node.tag == "label":
            return True
        node = node.parent
    return False
