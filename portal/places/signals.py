"""Signals other areas subscribe to, so places need not know who listens."""

from __future__ import annotations

from blinker import Namespace

_signals = Namespace()
# Sent on every public view of a place's page: session, place_id, from_map.
place_viewed = _signals.signal("place-viewed")
