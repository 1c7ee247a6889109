"""The home page: search box, latest policies, categories and the entry points."""
