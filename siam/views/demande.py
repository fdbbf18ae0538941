"""The demande: dossier data the barème uses, participation, claimed motifs, cancellation."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from dossier.models import Commune
from dossier.models.referentiel import INSEE_CODE
from siam.errors import SiamError
from siam.forms import CommuneSearchForm, MotifFamilleForm, MotifForm, VersionForm, on_version
from siam.models import Demande
from siam.motifs import NEEDS_COMMUNE, PIECES_PAR_MOTIF
from siam.selectors import agent_of, dossier_for_bareme, get_demande_for_user, get_motif_for_user, motifs_of
from siam.services.demandes import cancel_demande
from siam.services.motifs import declare_motif, withdraw_motif
from siam.views import report_error
from siam.views.demande_parts import demande_parts

COMMUNES_LIMIT = 20


def commune_search(request: HttpRequest, famille: MotifFamilleForm) -> dict[str, Any]:
    """The communes to pick from: a GET search, or the name an RC/APC declaration found ambiguous."""
    form = CommuneSearchForm(request.GET if "commune_q" in request.GET else None)
    q = form.cleaned_data["commune_q"] if form.is_valid() else famille.ambiguous()
    communes = Commune.objects.select_related("departement__academie")
    found = list(communes.search(q)[:COMMUNES_LIMIT]) if q else None
    picked = str(famille["commune"].value() or "")
    choisie = communes.search(picked).first() if INSEE_CODE.match(picked.upper()) else None
    return {
        "commune_search": form,
        "communes": found,
        "communes_limitees": len(found or ()) >= COMMUNES_LIMIT,
        "commune_choisie": choisie,
    }


def render_demande(
    request: HttpRequest,
    demande: Demande,
    *,
    motif_form: MotifForm | MotifFamilleForm | None = None,
    status: int = 200,
) -> HttpResponse:
    demande.refresh_from_db(fields=["version", "etat", "participation", "participation_raisons"])
    campagne, now = demande.campagne, timezone.now()
    motifs = motifs_of(demande)
    initial = {"version": demande.version}
    bound = on_version(motif_form, demande.version) if motif_form else None
    famille = bound if isinstance(bound, MotifFamilleForm) else None
    famille = famille or MotifFamilleForm(
        initial={**initial, "commune": request.GET.get("commune", "")[:80]}, demande=demande
    )
    context: dict[str, Any] = {
        "demande": demande,
        "campagne": campagne,
        "phase": campagne.phase_at(now),
        "saisie_ouverte": campagne.saisie_ouverte(now),
        "confirmation_ouverte": campagne.confirmation_ouverte(now),
        "annulation_ouverte": campagne.annulation_ouverte(now) and not campagne.saisie_ouverte(now),
        "dossier": dossier_for_bareme(agent_of(request)),
        "motifs": [(m, PIECES_PAR_MOTIF.get(m.motif, ())) for m in motifs],
        "nb_voeux": demande.voeux.count(),
        "nb_pieces": demande.pieces.count(),
        "motif_form": bound if isinstance(bound, MotifForm) else MotifForm(initial=initial, demande=demande),
        "famille_form": famille,
        **commune_search(request, famille),
        "version_form": VersionForm(initial=initial),
        "section": "services",
        **demande_parts(demande, "demande"),
    }
    return render(request, "siam/demande.html", context, status=status)


@require_GET
@login_required
def demande_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return render_demande(request, get_demande_for_user(request, pk))


@require_POST
@login_required
def motif_add(request: HttpRequest, pk: int) -> HttpResponse:
    demande = get_demande_for_user(request, pk)
    form_class = MotifFamilleForm if request.POST.get("motif") in NEEDS_COMMUNE else MotifForm
    form = form_class(request.POST, demande=demande)
    if not form.is_valid():
        return render_demande(request, demande, motif_form=form, status=400)
    data = form.cleaned_data
    try:
        declared = declare_motif(
            demande=demande,
            auteur=agent_of(request),
            version=data["version"],
            motif=data["motif"],
            commune=data.get("commune"),
            academie=data.get("academie"),
            annees=data["annees"],
            precision=data["precision"],
        )
    except SiamError as exc:
        report_error(request, form, exc)
        return render_demande(request, demande, motif_form=form, status=exc.status)
    messages.success(
        request,
        _("Motif déclaré\u00a0: %(motif)s. Pensez à déposer les pièces justificatives.")
        % {"motif": declared.get_motif_display()},
    )
    return redirect("siam:demande", pk=demande.pk)


@require_POST
@login_required
def motif_remove(request: HttpRequest, pk: int) -> HttpResponse:
    motif = get_motif_for_user(request, pk)
    form = VersionForm(request.POST)
    version = form.cleaned_data["version"] if form.is_valid() else None
    try:
        withdraw_motif(demande=motif.demande, auteur=agent_of(request), version=version, motif_id=motif.pk)
    except SiamError as exc:
        messages.error(request, exc.message)
        return render_demande(request, motif.demande, status=exc.status)
    messages.success(request, _("Motif retiré\u00a0: %(motif)s.") % {"motif": motif.get_motif_display()})
    return redirect("siam:demande", pk=motif.demande_id)


@require_POST
@login_required
def demande_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    demande = get_demande_for_user(request, pk)
    form = VersionForm(request.POST)
    version = form.cleaned_data["version"] if form.is_valid() else None
    try:
        cancel_demande(demande=demande, auteur=agent_of(request), version=version)
    except SiamError as exc:
        messages.error(request, exc.message)
        return render_demande(request, demande, status=exc.status)
    messages.success(request, _("Votre demande est annulée."))
    return redirect("siam:demande", pk=demande.pk)
