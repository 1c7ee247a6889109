"""Eligibility: benefits and their rules as data, the pure engine, the wizard and the rules check."""
