"""Signals other areas subscribe to, so the search page need not know who counts its use."""

from __future__ import annotations

from blinker import Namespace

_signals = Namespace()
# Sent once per search on the site-wide search page: session, text, results, page.
searched = _signals.signal("searched")
