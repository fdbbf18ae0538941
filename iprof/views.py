from __future__ import annotations

import sys
from typing import Any

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.contrib.messages.storage.cookie import CookieStorage
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from iprof.middleware import standalone_error_page
from lib.procedures import services_for
from siam.views.voeux import LAST_CHANGE


@require_GET
@login_required
def home(request: HttpRequest) -> HttpResponse:
    return render(request, "iprof/home.html")


@require_GET
def sante(request: HttpRequest) -> HttpResponse:
    """Liveness probe for the load balancer; also the framework's floor in `make bench`."""
    return HttpResponse("ok", content_type="text/plain")


@require_GET
@login_required
def services(request: HttpRequest) -> HttpResponse:
    entries = services_for(request.user)  # type: ignore[arg-type]
    return render(request, "iprof/services.html", {"entries": entries, "section": "services"})


def server_error(request: HttpRequest) -> HttpResponse:
    """A database outage met outside a view (e.g. loading the session) is still a clean 503."""
    from django.db import InterfaceError, OperationalError

    error = sys.exc_info()[1]
    return standalone_error_page(503 if isinstance(error, OperationalError | InterfaceError) else 500)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    return render(request, "403_csrf.html", status=403)


def _site(**extra: Any) -> dict[str, Any]:
    """The académie's own values (settings) that the State-site pages quote."""
    names = ["EDITEUR", "EDITEUR_ADRESSE", "EDITEUR_TELEPHONE", "DIRECTEUR_PUBLICATION", "HEBERGEUR"]
    names += ["HEBERGEUR_ADRESSE", "DPO_EMAIL", "DPO_ADRESSE"]
    return {"site": {name.lower(): getattr(settings, f"IPROF_{name}") for name in names}, **extra}


@require_GET
def accessibilite(request: HttpRequest) -> HttpResponse:
    return render(request, "iprof/legal/accessibilite.html", _site())


@require_GET
def mentions_legales(request: HttpRequest) -> HttpResponse:
    return render(request, "iprof/legal/mentions_legales.html", _site())


@require_GET
def donnees_personnelles(request: HttpRequest) -> HttpResponse:
    retention_minutes = settings.SESSION_IDLE_TIMEOUT // 60
    return render(request, "iprof/legal/donnees_personnelles.html", _site(idle_minutes=retention_minutes))


@require_GET
def cookies(request: HttpRequest) -> HttpResponse:
    context = _site(
        session_cookie=settings.SESSION_COOKIE_NAME,
        csrf_cookie=settings.CSRF_COOKIE_NAME,
        messages_cookie=CookieStorage.cookie_name,  # first tier of the default message storage
        undo_cookie=LAST_CHANGE,
        session_hours=settings.SESSION_ABSOLUTE_TIMEOUT // 3600,
        idle_minutes=settings.SESSION_IDLE_TIMEOUT // 60,
    )
    return render(request, "iprof/legal/cookies.html", context)


@require_GET
def plan_du_site(request: HttpRequest) -> HttpResponse:
    return render(request, "iprof/legal/plan_du_site.html", _site())
