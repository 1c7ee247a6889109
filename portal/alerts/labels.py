"""Filter values in words, for the subscribe and manage pages."""

from __future__ import annotations

from sqlalchemy.orm import Session

from portal.core import labels
from portal.i18n import localized


def value_label(db: Session, name: str, value: str) -> str:
    if name == "region":
        from portal.regions.models import Region

        region = db.get(Region, value)
        return localized(region, "name") if region else value
    if name == "category":
        from portal.policies.models import Category

        category = db.get(Category, value)
        return localized(category, "name") if category else value
    if name == "kind":
        return str(labels.BENEFIT_KINDS.get(value, value))
    if name == "type":
        from portal.places.taxonomy import type_label

        return type_label(value)
    return value
