"""Postes à profil (SPEA): the posts a teacher may apply to, his applications, the form, the withdrawal.

Avis: a candidate reads the avis given on his own application once it is decided, never before
(they are preparatory documents until the recteur decides, communicable to the person concerned
afterwards); nobody else's application, and so nobody else's avis, is ever reachable (404).
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from dossier.models import Dossier
from siam.errors import SiamError
from siam.models import CandidatureSpea, Poste
from siam.selectors import agent_of
from siam.services.pieces import taille_fr
from siam.services.spea import (
    cv_snapshot,
    max_lettre_bytes,
    postes_spea,
    submit_candidature,
    withdraw_candidature,
)
from siam.views import report_error

STAFF_SPEA_PERMISSION = "siam.view_candidaturespea"


class CandidatureForm(forms.Form):
    lettre = forms.FileField(label=gettext_lazy("Lettre de motivation"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["lettre"].help_text = _("Un fichier PDF de %(max)s au plus.") % {
            "max": taille_fr(max_lettre_bytes())
        }


def get_poste_spea_for_user(request: HttpRequest, pk: int) -> Poste:
    """A profiled post of a published campagne in the teacher's discipline; any other post is a 404."""
    discipline = Dossier.objects.filter(agent=agent_of(request)).values("discipline")[:1]
    queryset = Poste.objects.for_list().select_related("campagne")
    return get_object_or_404(queryset, pk=pk, profile=True, campagne__publiee=True, discipline__in=discipline)


def get_candidature_for_user(request: HttpRequest, pk: int, *, staff: bool = False) -> CandidatureSpea:
    queryset = CandidatureSpea.objects.select_related("poste__discipline", "poste__etablissement", "campagne")
    if not (staff and request.user.has_perm(STAFF_SPEA_PERMISSION)):
        queryset = queryset.for_agent(agent_of(request))
    return get_object_or_404(queryset, pk=pk)


@require_GET
@login_required
def spea(request: HttpRequest) -> HttpResponse:
    agent = agent_of(request)
    candidatures = CandidatureSpea.objects.for_agent(agent).select_related(
        "poste__discipline", "poste__etablissement__commune", "campagne"
    )
    active = {c.poste_id for c in candidatures if c.etat != "retiree"}
    context = {"postes": postes_spea(agent), "candidatures": candidatures, "active": active, "section": "services"}
    return render(request, "siam/spea/index.html", context)


def render_form(request: HttpRequest, poste: Poste, form: CandidatureForm, status: int = 200) -> HttpResponse:
    context = {"poste": poste, "campagne": poste.campagne, "form": form, "cv": cv_snapshot(agent_of(request))}
    return render(request, "siam/spea/candidater.html", context | {"section": "services"}, status=status)


@require_http_methods(["GET", "POST"])
@login_required
def candidater(request: HttpRequest, pk: int) -> HttpResponse:
    poste = get_poste_spea_for_user(request, pk)
    if request.method == "GET":
        return render_form(request, poste, CandidatureForm())
    form = CandidatureForm(request.POST, request.FILES)
    if not form.is_valid():
        return render_form(request, poste, form, status=400)
    try:
        candidature = submit_candidature(agent=agent_of(request), poste=poste, lettre=form.cleaned_data["lettre"])
    except SiamError as exc:
        report_error(request, form, exc)
        return render_form(request, poste, form, status=exc.status)
    messages.success(request, _("Candidature déposée sur le poste %(poste)s.") % {"poste": poste})
    return redirect("siam:spea-candidature", pk=candidature.pk)


@require_GET
@login_required
def candidature(request: HttpRequest, pk: int) -> HttpResponse:
    found = get_candidature_for_user(request, pk)
    context = {"c": found, "campagne": found.campagne, "section": "services"}
    return render(request, "siam/spea/candidature.html", context)


@require_GET
@login_required
def lettre(request: HttpRequest, pk: int) -> FileResponse:
    found = get_candidature_for_user(request, pk, staff=True)
    response = FileResponse(
        found.lettre.open("rb"), as_attachment=True, filename=found.lettre_nom, content_type="application/pdf"
    )
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


@require_POST
@login_required
def retirer(request: HttpRequest, pk: int) -> HttpResponse:
    found = get_candidature_for_user(request, pk)
    try:
        withdraw_candidature(candidature=found)
    except SiamError as exc:
        messages.error(request, exc.message)
        return redirect("siam:spea-candidature", pk=found.pk)
    messages.success(request, _("Candidature retirée\u00a0: %(poste)s.") % {"poste": found.poste})
    return redirect("siam:spea")
