from __future__ import annotations

import logging
import time
from collections.abc import Callable

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.core.exceptions import BadRequest, PermissionDenied, SuspiciousOperation
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _

logger = logging.getLogger("django.request")
security_logger = logging.getLogger("django.security")

STARTED = "iprof_session_started"
SEEN = "iprof_session_seen"
# Refresh the idle clock at most once a minute: one session write per minute, not per request.
SEEN_GRANULARITY = 60


class SessionExpiryMiddleware:
    """30 minutes idle (sliding) and 12 hours in all, whatever the cookie says."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated:
            now = int(time.time())
            session = request.session
            started = session.get(STARTED)
            seen = session.get(SEEN)
            if started is None or seen is None:
                session[STARTED] = session[SEEN] = now
            elif now - seen > settings.SESSION_IDLE_TIMEOUT or now - started > settings.SESSION_ABSOLUTE_TIMEOUT:
                logout(request)
                messages.warning(request, _("Votre session a expiré. Veuillez vous reconnecter."))
            elif now - seen >= SEEN_GRANULARITY:
                session[SEEN] = now
        return self.get_response(request)


class NoStoreForAuthenticatedMiddleware:
    """Pages are personal: never kept by the browser, so Back after logout shows no dossier.

    Static files are answered by WhiteNoise before this point and stay cacheable.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        add_never_cache_headers(response)
        response["Cache-Control"] = "no-store, no-cache, must-revalidate, private, max-age=0"
        return response


class DatabaseUnavailableMiddleware:
    """A lost database connection is a clean 503 page, never a 500 — and nothing half-written.

    Django's connection health checks reconnect on the next request once PostgreSQL is back.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        from django.db import InterfaceError, OperationalError

        if not isinstance(exception, OperationalError | InterfaceError):
            return None
        return standalone_error_page(503)


class PortalErrorPagesMiddleware:
    """Every error status is a French page of the portal, with the way back — DEBUG on or off.

    Without it, `make run` (DEBUG=1) shows Django's technical 404 to a teacher opening a page
    that is not theirs, and `require_POST` answers a GET with an empty 405. Tracebacks under
    DEBUG still reach the console log; the test client still raises a view's unhandled error
    (DEBUG is off there, so the 500 goes through handler500 and Django's signal as usual).
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if isinstance(response, HttpResponseNotAllowed) and not response.content:
            page = error_page(request, 405)
            page["Allow"] = response["Allow"]
            return page
        if settings.DEBUG and response.status_code == 404 and request.resolver_match is None:
            return error_page(request, 404)  # no URL matched: Django's debug page lists the URLconf
        return response

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if isinstance(exception, Http404):
            return error_page(request, 404)
        if isinstance(exception, PermissionDenied):
            return error_page(request, 403)
        if isinstance(exception, BadRequest | SuspiciousOperation):
            security_logger.warning("%s: %s", type(exception).__name__, exception)
            return error_page(request, 400)
        if settings.DEBUG:
            logger.error("Erreur interne sur %s", request.path, exc_info=exception)
            return error_page(request, 500)
        return None


def error_page(request: HttpRequest, status: int) -> HttpResponse:
    # 500 and 503 are self-contained: they must render even when the database or a context processor fails.
    if status in (500, 503):
        return standalone_error_page(status)
    return render(request, f"{status}.html", status=status)


def standalone_error_page(status: int) -> HttpResponse:
    context = {"IPROF_SUPPORT_EMAIL": settings.IPROF_SUPPORT_EMAIL, "IPROF_SUPPORT_PHONE": settings.IPROF_SUPPORT_PHONE}
    response = HttpResponse(render_to_string(f"{status}.html", context), status=status)
    if status == 503:
        response["Retry-After"] = "10"
    return response


def _taille_fr(size: int) -> str:
    value, unit = (size / 1024 / 1024, "Mo") if size >= 1024 * 1024 else (size / 1024, "Ko")
    return f"{value:.1f}".rstrip("0").rstrip(".").replace(".", ",") + f"\u00a0{unit}"


class RequestBodyLimitMiddleware:
    """Bodies over REQUEST_BODY_MAX_SIZE are refused with a 413 before a byte of them is read.

    First in MIDDLEWARE: no session, no CSRF check, no form parsing has read the body yet. The declared
    Content-Length is what Django reads at most (a body sent without one, chunked, is read as empty by
    Django's WSGI request), so checking it bounds every body. The reverse proxy refuses earlier still
    (README, « Déploiement »).
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        limit = settings.REQUEST_BODY_MAX_SIZE
        try:
            declared = int(request.headers.get("content-length") or 0)
        except ValueError:
            declared = 0  # Django reads such a body as empty
        if declared > limit:
            body = render_to_string("413.html", {"max": _taille_fr(limit)})
            response = HttpResponse(body, status=413)
            response["Connection"] = "close"  # the unread body must not be taken for the next request
            return response
        return self.get_response(request)
