"""The directory and creator map (创客地图): spaces, incubators, parks, funds and platforms."""

from flask import Blueprint

bp = Blueprint("places", __name__)

# Imported for their routes, after `bp` exists.
from portal.places import views  # noqa: E402, F401
