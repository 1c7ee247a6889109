"""The 双创 one-stop portal: application factory."""

from __future__ import annotations

import os
from pathlib import Path

from flask import Flask

from portal import db, i18n
from portal.config import ROOT, load_config
from portal.core import contentversion


def create_app(config_override: dict | None = None) -> Flask:
    """Build the portal application; `config_override` is for tests."""
    instance = Path(os.environ.get("INSTANCE_PATH", ROOT / "instance"))
    app = Flask(
        __name__,
        instance_path=str(instance),
        template_folder=str(ROOT / "templates"),
        static_folder=str(ROOT / "static"),
    )
    app.config.update(load_config(instance))
    if config_override:
        app.config.update(config_override)
    if not app.config["SECURE_COOKIES_FROM_ENV"] and (app.debug or app.testing):
        # Development and tests run over plain HTTP; everything else gets Secure cookies by default.
        app.config["SESSION_COOKIE_SECURE"] = app.config["REMEMBER_COOKIE_SECURE"] = False
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)
    if app.config["PROXY_COUNT"] > 0:
        from werkzeug.middleware.proxy_fix import ProxyFix

        count = app.config["PROXY_COUNT"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=count, x_proto=count)  # type: ignore[method-assign]
    app.json.ensure_ascii = False
    app.json.sort_keys = False

    db.init_app(app)
    contentversion.init_app(app)
    i18n.init_app(app)
    _init_search(app)
    private_blueprints = _register_blueprints(app)
    _register_cli(app)

    from portal.accounts import auth
    from portal.core import errors, security, templating
    from portal.publishing import background

    auth.init_app(app)
    background.init_app(app)
    errors.init_app(app)
    security.init_app(app)
    templating.init_app(app)
    from portal.dashboard import counting

    counting.init_app(app)
    _init_caching(app, private_blueprints)
    return app


def _init_caching(app: Flask, private_blueprints) -> None:
    from portal.core import caching
    from portal.places.signals import place_viewed
    from portal.search.signals import searched

    # Last, so that its after_request hook sees what every other one set; its before_request hook
    # goes first but for scheduled publishing.
    caching.init_app(app, private_blueprints=private_blueprints, replay=(searched, place_viewed))


def _init_search(app: Flask) -> None:
    from portal.search.backend import make_backend
    from portal.search.text import init

    # Loaded at start-up (and before fork under gunicorn --preload) so no request pays for it.
    init(Path(app.instance_path) / "jieba-cache")
    app.extensions["search"] = make_backend(app.config, app.extensions["db_engine"])
    _register_search_sources()
    from portal.search import inline

    inline.init_app(app)
    if app.config["SEARCH_INDEXER"] == "inline":
        from portal.search.indexer import drain_at_start

        drain_at_start(app)


def _register_search_sources() -> None:
    """What each area hands to search (portal/search/registry.py), in the index's build order."""
    from portal.eligibility.indexing import SOURCE as benefits
    from portal.events.indexing import SOURCE as events
    from portal.places.indexing import SOURCE as places
    from portal.policies.indexing import SOURCE as policies
    from portal.search import registry

    for source in (policies, places, benefits, events):
        registry.register(source)


def _register_blueprints(app: Flask) -> tuple:
    """Register every blueprint; return those whose pages are personal or back office."""
    from portal.accounts import bp as accounts_bp
    from portal.alerts import bp as alerts_bp
    from portal.api import bp as api_bp
    from portal.core import bp as core_bp
    from portal.dashboard import bp as dashboard_bp
    from portal.eligibility import bp as eligibility_bp
    from portal.events import api_bp as events_api_bp
    from portal.events import bp as events_bp
    from portal.events import operator_bp as event_operators_bp
    from portal.home import bp as home_bp
    from portal.opendata import bp as opendata_bp
    from portal.operators import bp as operators_bp
    from portal.operators import place_help_bp
    from portal.places import bp as places_bp
    from portal.policies import bp as policies_bp
    from portal.search import bp as search_bp
    from portal.service_points import bp as service_points_bp
    from portal.staff import bp as staff_bp
    from portal.staff import moderation_bp

    for bp in (
        core_bp,
        home_bp,
        policies_bp,
        places_bp,
        eligibility_bp,
        search_bp,
        api_bp,
        accounts_bp,
        staff_bp,
        operators_bp,
        moderation_bp,
        place_help_bp,
        events_bp,
        events_api_bp,
        event_operators_bp,
        service_points_bp,
        alerts_bp,
        opendata_bp,
        dashboard_bp,
    ):
        app.register_blueprint(bp)
    # Never cached: sign-in, the back office, operators' pages and the personal links of alerts.
    return (accounts_bp, staff_bp, operators_bp, moderation_bp, event_operators_bp, alerts_bp, dashboard_bp)


def _register_cli(app: Flask) -> None:
    from portal.cli import (
        alerts_cli,
        content_cli,
        db_cli,
        map_cli,
        publishing_cli,
        reminders_cli,
        rules_cli,
        search_cli,
        users_cli,
    )

    for group in (
        content_cli,
        db_cli,
        search_cli,
        users_cli,
        publishing_cli,
        reminders_cli,
        rules_cli,
        map_cli,
        alerts_cli,
    ):
        app.cli.add_command(group)
