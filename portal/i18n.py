"""Interface language: ?lang= first, then the remembered cookie, then the portal default."""

from __future__ import annotations

from babel.support import NullTranslations
from flask import Flask, current_app, g, has_app_context, request
from flask_babel import Babel, force_locale, get_locale, get_translations
from flask_babel.speaklater import LazyString

LANGUAGES = {"zh": "zh_Hans_CN", "en": "en"}  # our short code -> Babel catalog folder
HTML_LANG = {"zh": "zh-Hans", "en": "en"}
COOKIE = "lang"


def current_language() -> str:
    """The short code (zh or en) chosen for this request."""
    try:
        return g.lang  # one context lookup: pages ask a hundred times
    except AttributeError:
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


def catalog() -> NullTranslations:
    """The translations of the current locale, found with one context lookup per string: Flask-Babel's
    own lookup costs about ten, and a page translates a few hundred strings."""
    try:
        ctx = g._flask_babel
        locale, translations = ctx.portal_catalog
    except (AttributeError, RuntimeError):  # first string of this context, or no context at all
        return _remember_catalog()
    if locale is not getattr(ctx, "babel_locale", None):  # force_locale() or refresh() changed it
        return _remember_catalog()
    return translations


def _remember_catalog() -> NullTranslations:
    translations = get_translations()  # chooses the locale if not yet done
    if g:
        ctx = g._flask_babel
        ctx.portal_catalog = (getattr(ctx, "babel_locale", None), translations)
    return translations


# The same contract as Flask-Babel's functions of these names, through `catalog()`.
def gettext(string: str, **variables) -> str:
    """`string` in the interface language, `%`-formatted with `variables` when there are any."""
    s = catalog().ugettext(string)
    return s % variables if variables else s


def ngettext(singular: str, plural: str, num: int, **variables) -> str:
    """The singular or plural form for `num` (also available as `%(num)s`)."""
    variables.setdefault("num", num)
    return catalog().ungettext(singular, plural, num) % variables


def lazy_gettext(string: str, **variables) -> LazyString:
    """`gettext` when the value is used, for labels defined at import time."""
    return LazyString(gettext, string, **variables)


def pgettext(context: str, string: str, **variables) -> str:
    """`gettext` of `string` in `context` (one English word with two meanings)."""
    s = catalog().upgettext(context, string)
    return s % variables if variables else s


def lazy_pgettext(context: str, string: str, **variables) -> LazyString:
    """`pgettext` when the value is used."""
    return LazyString(pgettext, context, string, **variables)


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
    # Jinja's own newstyle wrappers (autoescape and `%` formatting unchanged) around `catalog()`.
    app.jinja_env.install_gettext_callables(
        gettext=lambda s: catalog().ugettext(s),
        ngettext=lambda s, p, n: catalog().ungettext(s, p, n),
        newstyle=True,
        pgettext=lambda c, s: catalog().upgettext(c, s),
        npgettext=lambda c, s, p, n: catalog().unpgettext(c, s, p, n),
    )
    # `_` is the same function: Jinja's alias would look `gettext` up in the context on every call.
    app.jinja_env.globals["_"] = app.jinja_env.globals["gettext"]

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
