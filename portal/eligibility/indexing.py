"""How benefits appear in search: their index documents and result rows."""

from __future__ import annotations

from collections.abc import Iterator

from pypinyin import lazy_pinyin
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from portal.core.urls import DetailLinks
from portal.eligibility.models import Benefit
from portal.eligibility.services import benefit_rows
from portal.i18n import localized
from portal.regions.services import ancestry
from portal.search.backend import IndexDoc
from portal.search.registry import Regions, Row, Source, cut
from portal.search.snippets import prepare_parts
from portal.search.text import pinyin_forms


def benefit_document(benefit: Benefit, regions: Regions) -> IndexDoc:
    """The index form of a benefit: names, issuer, summary and the conditions in words."""
    d = benefit.definition
    conditions = d.get("conditions") or {}
    words = [
        f"{c.get('text', '')} {c.get('text_en', '')}"
        for c in conditions.get("all", [conditions])
        if isinstance(c, dict)
    ]
    text = "\n".join(
        [
            d.get("summary") or "",
            d.get("summary_en") or "",
            benefit.issuer or "",
            benefit.issuer_en or "",
            *words,
        ]
    )
    return IndexDoc(
        key=f"benefit:{benefit.id}",
        type="benefit",
        title=" ".join([benefit.name, benefit.name_en or "", pinyin_forms(benefit.name, whole=False)]),
        text=text,
        names=tuple(n for n in (benefit.name, benefit.name_en) if n),
        guide=True,
        regions=tuple(ancestry(regions, benefit.region_id)),
        level="",
        status="",
        sort_title=" ".join(lazy_pinyin(benefit.name)),
        snippet=_snippet_parts(d),
    )


def _snippet_parts(d: dict):
    # Benefits show the English summary first on pages in either language.
    return prepare_parts(d.get("summary_en"), "", d.get("summary"))


def _count(db: Session) -> int:
    return db.scalar(select(func.count()).select_from(Benefit)) or 0


def _documents(db: Session, regions: Regions) -> Iterator[IndexDoc]:
    for benefit in db.scalars(select(Benefit)):
        yield benefit_document(benefit, regions)


def _document(db: Session, benefit_id: str, regions: Regions) -> IndexDoc | None:
    benefit = db.get(Benefit, benefit_id)
    return benefit_document(benefit, regions) if benefit is not None else None


def _rows(db: Session, hits, text: str) -> dict[str, Row]:
    link = DetailLinks("eligibility.benefit_detail", "benefit_id")
    by_id = {h.id: h for h in hits}
    out = {}
    for b in benefit_rows(db, list(by_id)):
        d = b.definition
        out[b.id] = Row(
            id=b.id,
            type="benefit",
            title=localized(b, "name"),
            url=link(b.id),
            obj=b,
            snippet=cut(by_id[b.id], lambda d=d: _snippet_parts(d), text),
        )
    return out


SOURCE = Source(
    entity="benefit",
    model=Benefit,
    count=_count,
    documents=_documents,
    document=_document,
    rows=_rows,
    types=("benefit",),
)
