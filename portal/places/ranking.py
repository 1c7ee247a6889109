"""Open places before planned and closed ones, whatever the order asked for.

The search backend ranks within a set; this runs the directory's query on the open places and on
the others separately and joins the two, so a planned space is never listed above an open one.
"""

from __future__ import annotations

from dataclasses import replace

from portal.places.models import STATUSES
from portal.search import services as search
from portal.search.backend import SearchQuery, SearchResult

OPEN = ("active", "unknown")  # "unknown": named by the plans as existing, status not confirmed
LATER = ("planned", "closed")
BY_COLUMN = ("title", "newest", "oldest")  # orders that score nothing


def only_open(query: SearchQuery) -> None:
    """Keep only places known to be open (the "open now" filter)."""
    chosen = query.filters.get("status") or ()
    query.filters["status"] = tuple(s for s in chosen if s == "active") if chosen else ("active",)
    if not query.filters["status"]:
        query.filters["status"] = ("-none-",)  # the visitor asked for planned places and open only


def run(query: SearchQuery) -> SearchResult:
    """The page of results asked for, open places first."""
    facets = tuple(dict.fromkeys((*query.facets, "status")))
    asked = set(query.filters.get("status") or ())
    one_group = bool(asked) and (asked <= set(OPEN) or asked <= set(LATER))
    if one_group or query.sort in BY_COLUMN:
        # The page as asked, with the totals: when every match is in one group ("open only") it is
        # the answer, and a page ordered by a column costs no more than the count alone.
        full_query = replace(query, facets=facets)
        whole = True
    else:
        # Totals and facets first, unscored (one row by title): whether the open and the other
        # places are ranked apart depends on them.
        full_query = replace(query, facets=facets, sort="title", page=1, per_page=1)
        whole = False
    full = search.run(full_query)
    synonyms = full_query.synonyms  # read once: the searches below are of the same request
    counts = full.facets.pop("status", {}) if "status" not in query.facets else full.facets["status"]
    later = sum(counts.get(s, 0) for s in LATER)
    if later == 0 or later == full.total:
        if not whole:
            full.hits = search.run(replace(query, facets=()), synonyms=synonyms).hits
        return full
    chosen = query.filters.get("status") or STATUSES

    def part(statuses: tuple[str, ...], page: int, per_page: int) -> list:
        sub = replace(
            query, filters={**query.filters, "status": statuses}, page=page, per_page=per_page, facets=()
        )
        return search.run(sub, synonyms=synonyms).hits

    start, end = (query.page - 1) * query.per_page, query.page * query.per_page
    first = full.total - later
    hits = []
    if start < first:
        hits = part(tuple(s for s in chosen if s in OPEN), query.page, query.per_page)
    if end > first:
        skip = max(0, start - first)
        need = end - max(start, first)
        hits += part(tuple(s for s in chosen if s in LATER), 1, skip + need)[skip : skip + need]
    return SearchResult(
        hits=hits, total=full.total, facets=full.facets, terms=full.terms, relaxed=full.relaxed
    )
