"""The dashboard's routes: the page, and the fragments its script fetches with initData.

``GET /`` is the page's frame, the same for everyone and showing nothing of the plan. Its
script reads Telegram's initData (``Telegram.WebApp.initData``, or the ``tgWebAppData`` of
the address's fragment, where Telegram and the sandbox put it) and sends it as
``Authorization: tma <initData>`` to:

- ``GET /view``: the matrix, the overdue list, the discipline and the timeline;
- ``GET /tasks/{number}``: a task's card with its history.

Data that does not prove who sent it (missing, forged, altered, expired) is answered 401
with a line that shows nothing; someone the plan does not know, 403. Nothing here writes,
and neither initData nor the token is logged or repeated.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from typing import Any

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Mount, Route

from bot.export.discipline_text import period_text
from bot.i18n.catalog import Catalog
from bot.services import Services
from bot.settings import DASHBOARD_PREFIX
from bot.web import init_data
from bot.web.dashboard import views
from bot.web.pages import Pages, static_files
from bot.wording import long_date, refusal_text
from scheduler.participants import LanguagePrefs
from scheduler.refusals import Refusal
from scheduler.usecases.core import Core
from scheduler.usecases.dashboard import TIMELINE_DAYS, dashboard, dashboard_task

log = logging.getLogger("eskertu.dashboard")

PACKAGE = "bot.web.dashboard"
# Where the webhook listener, the polling mode's own listener and the sandbox serve it.
DASHBOARD_PATH = DASHBOARD_PREFIX
SCHEME = "tma"
# The fragments are someone's view of the plan: never kept by a cache on the way.
PRIVATE = {
    "Cache-Control": "no-store",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
}
# The page runs its own script and Telegram's only, and talks to its own server only. The
# cells' colours are inline style attributes, hence 'unsafe-inline' for styles alone.
PAGE_POLICY = (
    "default-src 'self'; script-src 'self' https://telegram.org; "
    "style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; "
    "object-src 'none'; base-uri 'none'; form-action 'none'"
)


class DashboardWeb:
    def __init__(
        self, core: Core, catalog: Catalog, default_language: str, token: Callable[[], str]
    ) -> None:
        self.core = core
        self.catalog = catalog
        self.default = default_language
        self.pages = Pages(PACKAGE, catalog, default_language)
        self._token = token

    def _user(self, request: Request) -> init_data.WebAppUser | None:
        scheme, _, raw = request.headers.get("authorization", "").partition(" ")
        if scheme.lower() != SCHEME:
            return None
        try:
            return init_data.verify(raw.strip(), self._token(), self.core.clock.now())
        except init_data.InvalidInitData as refused:
            # The reason only: the data itself would let anyone reading the log act as the user.
            log.info("dashboard: initData refused (%s)", refused.problem)
            return None

    def _fragment(
        self,
        request: Request,
        name: str,
        context: Mapping[str, Any],
        *,
        language: str,
        status_code: int = 200,
    ) -> Response:
        response = self.pages.render(
            request, name, context, language=language, status_code=status_code
        )
        response.headers.update(PRIVATE)
        return response

    def _unauthorised(self, request: Request) -> Response:
        response = self._fragment(
            request,
            "refused.html",
            {"key": "dashboard.unauthorised"},
            language=self.default,
            status_code=401,
        )
        response.headers["WWW-Authenticate"] = SCHEME
        return response

    def _refused(self, request: Request, refusal: Refusal, language: str) -> Response:
        tr = self.catalog.for_language(language)
        text = refusal_text(tr, refusal, plain=True, plan=self.core.runtime.plan)
        return self._fragment(
            request, "refused.html", {"text": text}, language=language, status_code=403
        )

    def _language(self, prefs: LanguagePrefs) -> str:
        return prefs.resolve(self.default)

    async def page(self, request: Request) -> Response:
        response = self.pages.render(request, "dashboard.html", {})
        response.headers.update(PRIVATE)
        response.headers["Content-Security-Policy"] = PAGE_POLICY
        return response

    async def overview(self, request: Request) -> Response:
        user = self._user(request)
        if user is None:
            return self._unauthorised(request)
        answer = await dashboard(self.core, user.id, telegram_language=user.language_code)
        language, board = self._language(answer.prefs), answer.result
        if isinstance(board, Refusal):
            return self._refused(request, board, language)
        tr, plan = self.catalog.for_language(language), self.core.runtime.plan
        context = {
            "as_of": long_date(board.report.today, language),
            "matrix": views.matrix_view(board, plan, tr),
            "legend": views.legend(tr),
            "late": views.late_view(board, plan, tr),
            "discipline": views.discipline_view(board.discipline, plan, tr),
            "period": period_text(board.report.period, tr),
            "timeline": views.timeline_view(board, plan, tr),
            "days": TIMELINE_DAYS,
            "scope": board.scope,
        }
        return self._fragment(request, "overview.html", context, language=language)

    async def task(self, request: Request) -> Response:
        user = self._user(request)
        if user is None:
            return self._unauthorised(request)
        number = int(request.path_params["number"])
        answer = await dashboard_task(
            self.core, user.id, number, telegram_language=user.language_code
        )
        language, view = self._language(answer.prefs), answer.result
        if isinstance(view, Refusal):
            return self._refused(request, view, language)
        tr, plan = self.catalog.for_language(language), self.core.runtime.plan
        context = {"task": views.task_view(view, plan, tr), "legend": views.legend(tr)}
        return self._fragment(request, "task.html", context, language=language)


def create_dashboard_app(
    core: Core, catalog: Catalog, default_language: str, token: Callable[[], str]
) -> Starlette:
    """The dashboard's pages over ``core``; ``token`` gives the bot token initData is signed
    with."""
    web = DashboardWeb(core, catalog, default_language, token)
    routes = [
        Route("/", web.page, methods=["GET"]),
        Route("/view", web.overview, methods=["GET"]),
        Route("/tasks/{number:int}", web.task, methods=["GET"]),
        Mount("/static", static_files(PACKAGE), name="static"),
    ]
    return Starlette(routes=routes)


def dashboard_of(svc: Services) -> Starlette:
    """The dashboard of the bot ``svc`` serves, signed with its token."""
    settings = svc.settings
    return create_dashboard_app(
        svc.core, svc.catalog, settings.default_language, settings.require_token
    )
