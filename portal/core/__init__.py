"""Cross-cutting web pieces: home page, errors, security headers, template helpers."""
