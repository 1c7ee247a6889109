"""Accounts: staff, space operators and founders; sign-in with a second factor for staff."""
