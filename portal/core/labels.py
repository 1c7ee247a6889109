"""Display names for coded values (levels, statuses, types), translatable."""

from __future__ import annotations

from portal.i18n import lazy_gettext as _l
from portal.i18n import lazy_pgettext

LEVELS = {
    "national": _l("National"),
    "provincial": _l("Provincial"),
    "city": _l("City"),
    "district": _l("District"),
}
STATUSES = {
    "in_force": _l("In force"),
    "expired": _l("Expired"),
    "withdrawn": _l("Withdrawn"),
    "to_draft": _l("To be drafted"),
    "proposed": _l("Proposed"),
    "unknown": _l("Status not confirmed"),
}
TYPES = {
    "policy": _l("Policy"),
    "benefit": _l("Benefit"),
}
FACET_NAMES = {
    "type": _l("Type"),
    "region": _l("Region"),
    "level": _l("Level"),
    "category": _l("Category"),
    "year": _l("Year issued"),
    "status": _l("Status"),
    "industry": _l("Industry"),
    "service": _l("Services"),
    "desks": _l("Desks"),
}
SORTS = {
    "relevance": _l("Best match"),
    "newest": _l("Newest first"),
    "oldest": _l("Oldest first"),
    "title": _l("Title"),
}
DATE_PRECISIONS = {"day": _l("Day"), "month": _l("Month"), "year": _l("Year"), "unknown": _l("Unknown")}
# Where a policy's text comes from.
SOURCE_KINDS = {"public": _l("Published document"), "seed": _l("Seed plan text")}
PRECISION_NOTE = {
    "year": _l("year only"),
    "month": _l("month only"),
}
REVISION_STATES = {
    "draft": _l("Draft"),
    "in_review": _l("In review"),
    "rejected": _l("Returned to author"),
    "scheduled": _l("Scheduled"),
    "published": _l("Published"),
    "discarded": _l("Discarded"),
}
PUBLICATION_STATES = {
    "draft": _l("Never published"),
    "published": _l("Published"),
    "withdrawn": _l("Taken off the site"),
}
ROLES = {
    "editor": _l("Editor"),
    "reviewer": _l("Reviewer"),
    "admin": _l("Administrator"),
    "operator": _l("Space operator"),
    "founder": _l("Founder"),
}
ACTIONS = {
    "submit": _l("Send for review"),
    "recall": _l("Take back to draft"),
    "approve": _l("Approve and publish"),
    "reject": _l("Return to the author"),
    "unschedule": _l("Cancel the scheduled publication"),
    "discard": _l("Discard this draft"),
    "withdraw": _l("Withdraw from the public site"),
    "republish": _l("Publish again"),
    "approve_alone": _l("Publish alone, with a reason"),
}
FREE_DESKS = _l("Has free desks")
PLACE_SORTS = {
    "relevance": _l("Best match"),
    "title": _l("By name"),
    "distance": _l("Distance"),
}
GEO_PRECISION = {
    "exact": _l("exact location"),
    "street": _l("approximate: street or campus"),
    "district": _l("approximate: centre of the district"),
    "city": _l("approximate: centre of the city"),
}
PLACE_STATUSES = {
    "active": _l("Open"),
    "planned": _l("Planned"),
    "closed": _l("Closed"),
    "unknown": _l("Status not confirmed"),
}
FUND_TYPES = {
    "guidance": _l("Government guidance fund"),
    "angel": _l("Angel fund"),
    "venture": _l("Venture capital"),
    "industry": _l("Industry fund"),
    "other": _l("Other fund"),
}
STAGES = {
    "idea_seed": _l("Idea and seed"),
    "startup": _l("Start-up"),
    "growth": _l("Growth"),
    "scale_up": _l("Scale-up"),
    "mature": _l("Mature and listing"),
}
BENEFIT_KINDS = {
    "voucher": _l("Innovation voucher"),
    "guaranteed_loan": _l("Guaranteed start-up loan"),
    "interest_subsidy": _l("Interest subsidy"),
    "rent_subsidy": _l("Rent and operating subsidy"),
    "grant": _l("Grant or award"),
    "tax_relief": _l("Tax relief"),
    "talent_housing": _l("Talent housing and settling-in support"),
    "equity_investment": _l("Equity investment"),
    "risk_compensation": _l("Loan risk compensation"),
    "service": _l("Free service or facilitation"),
    "other": _l("Other support"),
}
ELIGIBILITY = {
    "eligible": _l("You can probably get this"),
    "needs_info": _l("We need more answers"),
    "ineligible": _l("You cannot get this now"),
}
CRITERION = {True: _l("Met"), False: _l("Not met"), None: _l("Not answered yet")}
MODERATION_STATES = {
    "pending": _l("Waiting for staff"),
    "needs_info": _l("Staff asked for more information"),
    "approved": _l("Approved"),
    "rejected": _l("Not approved"),
    "withdrawn": _l("Withdrawn"),
    "unverified": _l("Email address not confirmed"),
    "verified": _l("Email address confirmed"),
    "open": _l("Open"),
    "handled": _l("Handled"),
    "reminded": _l("Reminder sent"),
}
MODERATION_ACTIONS = {
    "submit": _l("Sent to staff"),
    "edit": _l("Edited while waiting"),
    "approve": _l("Approve"),
    "reject": _l("Reject"),
    "ask": _l("Ask for more information"),
    "answer": _l("Answer"),
    "withdraw": _l("Withdraw"),
    "confirm_listing": _l("Confirmed as current"),
    "confirm_reminder": _l("Reminder sent"),
    "feedback_correction": _l("Correction suggested"),
    "feedback_problem": _l("Problem reported"),
    "feedback_handled": _l("Feedback handled"),
}
FEEDBACK_KINDS = {
    "correction": _l("Correction suggested"),
    "problem": _l("Problem reported"),
}

# Kinds of place: the one list (the places table's CHECK constraint, the content files' checks, facets
# and every label come from it). A context of their own: "Fund" or "Event" elsewhere name sections.
PLACE_TYPES = {
    "makerspace": lazy_pgettext("place type", "Maker space"),
    "incubator": lazy_pgettext("place type", "Incubator"),
    "accelerator": lazy_pgettext("place type", "Accelerator"),
    "park": lazy_pgettext("place type", "Industrial park"),
    "science_park": lazy_pgettext("place type", "University science park or innovation centre"),
    "fund": lazy_pgettext("place type", "Fund"),
    "investor": lazy_pgettext("place type", "Investor"),
    "platform": lazy_pgettext("place type", "Public service platform"),
    "event": lazy_pgettext("place type", "Event"),
    "service_point": lazy_pgettext("place type", "Government service point"),
}
