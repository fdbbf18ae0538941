"""Published barres of a campagne: a page every logged-in agent reads, and its CSV."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from siam.selectors import get_campagne
from siam.services.barres import barres_csv as render_csv
from siam.services.barres import barres_of


@require_GET
@login_required
def barres(request: HttpRequest, slug: str) -> HttpResponse:
    campagne = get_campagne(slug)
    context = {"campagne": campagne, "barres": barres_of(campagne), "section": "services"}
    return render(request, "siam/barres/barres.html", context)


@require_GET
@login_required
def barres_csv(request: HttpRequest, slug: str) -> HttpResponse:
    campagne = get_campagne(slug)
    found = barres_of(campagne)
    if found is None:
        raise Http404
    response = HttpResponse(render_csv(found).encode("utf-8-sig"), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="barres-{campagne.slug}.csv"'
    return response
