"""Alerts without an account: email digests of new or changed content, and saved eligibility checks."""
