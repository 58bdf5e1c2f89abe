"""Server-rendered pages of the bot's web apps: templates, static files and the reader's language.

A web app is a package holding ``templates/`` and ``static/`` beside its code (the sandbox's
chat is :mod:`sandbox.web`). :class:`Pages` renders the app's Jinja templates with the bot's
catalogs in the language the reader chose (``?lang=kk``, then remembered in a cookie), and
:func:`static_files` serves the app's static files, so several apps can sit side by side in
one Starlette application, each under a prefix of its own.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import jinja2
from markupsafe import Markup
from starlette.requests import Request
from starlette.responses import Response
from starlette.staticfiles import StaticFiles
from starlette.templating import Jinja2Templates

from bot.i18n.catalog import LANGUAGES, Catalog, Translator

LANGUAGE_COOKIE = "eskertu_lang"
LANGUAGE_PARAM = "lang"
# A year: the reader's choice outlives a restart of the sandbox or the bot.
COOKIE_SECONDS = 365 * 24 * 3600


def language_of(request: Request, default: str) -> str:
    """The language the reader asked for in the address, or chose before, or ``default``."""
    for asked in (request.query_params.get(LANGUAGE_PARAM), request.cookies.get(LANGUAGE_COOKIE)):
        if asked in LANGUAGES:
            return str(asked)
    return default


class Pages:
    """The templates of one web app, rendered with the catalogs in the reader's language."""

    def __init__(self, package: str, catalog: Catalog, default_language: str) -> None:
        environment = jinja2.Environment(
            loader=jinja2.PackageLoader(package, "templates"),
            autoescape=jinja2.select_autoescape(("html",)),
            undefined=jinja2.StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
        )
        self._templates = Jinja2Templates(env=environment)
        self._catalog = catalog
        self._default = default_language

    def translator(self, request: Request) -> Translator:
        return self._catalog.for_language(language_of(request, self._default))

    def render(
        self,
        request: Request,
        name: str,
        context: Mapping[str, Any],
        *,
        language: str | None = None,
        status_code: int = 200,
    ) -> Response:
        """The page ``name`` with ``context``, plus ``tr`` (catalog text) and the languages.

        Catalog text is already HTML with its values escaped, so ``tr`` marks it safe.
        ``language`` overrides the reader's choice in the address, for pages that know
        their reader.
        """
        tr = self._catalog.for_language(language) if language else self.translator(request)

        def text(key: str, /, **values: object) -> Markup:
            return Markup(tr(key, **values))

        languages = {code: self._catalog.plain(code, "language.self") for code in LANGUAGES}
        page = {**context, "tr": text, "language": tr.language, "languages": languages}
        response = self._templates.TemplateResponse(request, name, page, status_code=status_code)
        if request.query_params.get(LANGUAGE_PARAM) == tr.language:
            response.set_cookie(
                LANGUAGE_COOKIE, tr.language, max_age=COOKIE_SECONDS, samesite="strict"
            )
        return response


def static_files(package: str) -> StaticFiles:
    """The ``static/`` files of a web app's package, for ``Mount("/static", ...)``."""
    return StaticFiles(packages=[(package, "static")])
