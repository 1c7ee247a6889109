"""The kinds of office a founder deals with; a benefit's `apply.office` names one (pure, no imports)."""

KINDS = ("government_service", "hr", "tax", "science", "ip", "market")
