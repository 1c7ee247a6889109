"""Interface language: ?lang= first, then the remembered cookie, then the portal default."""

from __future__ import annotations

from flask import Flask, current_app, g, has_app_context, request
from flask_babel import Babel, force_locale, get_locale

LANGUAGES = {"zh": "zh_Hans_CN", "en": "en"}  # our short code -> Babel catalog folder
HTML_LANG = {"zh": "zh-Hans", "en": "en"}
COOKIE = "lang"


def current_language() -> str:
    """The short code (zh or en) chosen for this request."""
    if "lang" not in g:
        g.lang = _choose()
    return g.lang


def _choose() -> str:
    asked = request.args.get("lang") if request else None
    if asked in LANGUAGES:
        return asked
    remembered = request.cookies.get(COOKIE) if request else None
    if remembered in LANGUAGES:
        return remembered
    return current_app.config["DEFAULT_LANGUAGE"]


def localized(obj, name: str) -> str:
    """An object's field in the interface language, falling back to Chinese."""
    if current_language() == "en":
        value = getattr(obj, f"{name}_en", None)
        if value:
            return value
    return getattr(obj, name) or ""


def in_language(label, language: str) -> str:
    """A translatable label in `language` (zh or en), whatever the request's: search documents
    hold a label in both."""
    if not has_app_context():  # outside the app, gettext would answer the English msgid silently
        raise RuntimeError("in_language needs an app context")
    with force_locale(LANGUAGES[language]):
        return str(label)


def init_app(app: Flask) -> None:
    Babel(app, locale_selector=lambda: LANGUAGES[current_language()])

    @app.after_request
    def _remember_language(response):
        asked = request.args.get("lang")
        if asked in LANGUAGES and request.cookies.get(COOKIE) != asked:
            response.set_cookie(
                COOKIE,
                asked,
                max_age=365 * 24 * 3600,
                samesite="Lax",
                secure=app.config["SESSION_COOKIE_SECURE"],
                httponly=True,
            )
        return response

    # A global, not a context variable, so that imported macros can use it too.
    app.jinja_env.globals["localized"] = localized

    @app.context_processor
    def _language_context():
        lang = current_language()
        return {"lang": lang, "html_lang": HTML_LANG[lang], "babel_locale": get_locale()}
