"""Public JSON API v1 (contract in PRODUCT.md: add fields, never rename or remove)."""
