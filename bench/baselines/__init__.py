"""Minimal WSGI apps served beside the portal by bench/pages.py, as ceilings for the same server."""
