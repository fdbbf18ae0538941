"""The teacher's barème: each voeu's lines and their reasons, the history, a request for correction; the tie-break rules."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from siam.errors import SiamError
from siam.forms_bareme import ContestationForm
from siam.models import Demande, EtatDemande, Phase
from siam.models.bareme import Contestation, TirageDepartage
from siam.selectors import get_campagne, get_demande_for_user
from siam.services.bareme.contestation import open_contestation
from siam.services.bareme.departage import CRITERES, tiebreak_number
from siam.services.bareme.display import bareme_page
from siam.views import report_error
from siam.views.demande_parts import demande_parts

STAFF_CONTESTATIONS_PERMISSION = "siam.view_contestation"


def get_contestation_for_user(request: HttpRequest, pk: int) -> Contestation:
    """The teacher who asked, or staff who examine contestations; a 404 for anybody else."""
    queryset = Contestation.objects.select_related("demande")
    if not request.user.has_perm(STAFF_CONTESTATIONS_PERMISSION):
        queryset = queryset.for_agent(request.user)
    return get_object_or_404(queryset, pk=pk)


def render_bareme(
    request: HttpRequest, demande: Demande, *, form: ContestationForm | None = None, status: int = 200
) -> HttpResponse:
    campagne, now = demande.campagne, timezone.now()
    phase = campagne.phase_at(now)
    context: dict[str, Any] = {
        "demande": demande,
        "campagne": campagne,
        "phase": phase,
        "saisie_ouverte": campagne.saisie_ouverte(now),
        "page": bareme_page(demande, now),
        "contestation_possible": phase == Phase.AFFICHAGE_BAREMES and demande.etat != EtatDemande.ANNULEE,
        "form": form or ContestationForm(demande=demande),
        "section": "services",
        **demande_parts(demande, "bareme"),
    }
    return render(request, "siam/bareme/bareme.html", context, status=status)


@require_GET
@login_required
def bareme(request: HttpRequest, pk: int) -> HttpResponse:
    return render_bareme(request, get_demande_for_user(request, pk))


@require_POST
@login_required
def contestation_add(request: HttpRequest, pk: int) -> HttpResponse:
    demande = get_demande_for_user(request, pk)
    form = ContestationForm(request.POST, request.FILES, demande=demande)
    if not form.is_valid():
        return render_bareme(request, demande, form=form, status=400)
    data = form.cleaned_data
    try:
        open_contestation(demande=demande, motif=data["motif"], voeu=data["voeu"], fichier=data["fichier"])
    except SiamError as exc:
        report_error(request, form, exc)
        return render_bareme(request, demande, form=form, status=exc.status)
    messages.success(
        request, _("Votre demande de correction est envoyée au rectorat. La réponse arrivera dans votre courrier.")
    )
    return redirect("siam:bareme", pk=demande.pk)


@require_GET
@login_required
def contestation_piece(request: HttpRequest, pk: int) -> FileResponse:
    contestation = get_contestation_for_user(request, pk)
    if not contestation.piece:
        raise Http404
    response = FileResponse(
        contestation.piece.open("rb"),
        as_attachment=True,
        filename=contestation.piece_nom,
        content_type=contestation.piece_type,
    )
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


@require_GET
@login_required
def departage(request: HttpRequest, slug: str) -> HttpResponse:
    """« Comment sont départagées les égalités de barème »: the criteria, the formula, the seed once drawn."""
    campagne = get_campagne(slug)
    tirage = TirageDepartage.objects.filter(campagne=campagne).first()
    demande = Demande.objects.filter(campagne=campagne, agent=request.user).first()  # type: ignore[misc]
    numero = tiebreak_number(tirage.seed, demande.pk) if tirage and demande else None
    context = {
        "campagne": campagne,
        "tirage": tirage,
        "demande": demande,
        "numero": numero,
        "criteres": CRITERES,
        "section": "services",
    }
    return render(request, "siam/bareme/departage.html", context)
