"""Space operators: sign-up, claims, listing revisions moderated by staff, freshness, public feedback."""
