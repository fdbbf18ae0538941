from __future__ import annotations

import sys

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from lib.procedures import services_for


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
    from django.template.loader import render_to_string

    error = sys.exc_info()[1]
    if isinstance(error, OperationalError | InterfaceError):
        response = HttpResponse(render_to_string("503.html"), status=503)
        response["Retry-After"] = "10"
        return response
    return HttpResponse(render_to_string("500.html"), status=500)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    return render(request, "403_csrf.html", status=403)
