"""Regions: province -> city -> district, used to place policies and spaces."""
