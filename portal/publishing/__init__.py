"""Publishing: revisions through review, the audit trail, the search outbox and stored files."""
