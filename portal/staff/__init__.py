"""The back office: staff home with queues, the policy editor, review, audit log and users."""
