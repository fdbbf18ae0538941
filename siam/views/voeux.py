"""Entering voeux: add by code or by search, remove, move up and down. Works without JavaScript."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from siam.errors import SiamError
from siam.forms import MoveForm, VersionForm, VoeuCodeForm, VoeuSearchForm, filtre_allowed, on_version
from siam.models import Demande, TypeFiltre, Voeu
from siam.search import LIMIT, search_cibles
from siam.selectors import agent_of, dossier_for_bareme, get_demande_for_user, get_voeu_for_user, motifs_of, voeux_of
from siam.services.bareme.facts import warnings_by_voeu
from siam.services.voeux import add_voeu, move_voeu, remove_voeu


@dataclass(frozen=True)
class VoeuRow:
    voeu: Voeu
    warnings: tuple[str, ...]
    first: bool
    last: bool
    nouveau: bool


def voeu_rows(request: HttpRequest, demande: Demande) -> list[VoeuRow]:
    """The list in order, each voeu with the bonuses its type or filter loses (DOMAIN.md §2)."""
    voeux = voeux_of(demande)
    warnings = warnings_by_voeu(demande.campagne, dossier_for_bareme(agent_of(request)), motifs_of(demande), voeux)
    nouveau = request.GET.get("ajout", "")
    last = len(voeux) - 1
    return [VoeuRow(v, warnings.get(v.pk, ()), i == 0, i == last, str(v.pk) == nouveau) for i, v in enumerate(voeux)]


def render_voeux(
    request: HttpRequest, demande: Demande, *, code_form: VoeuCodeForm | None = None, status: int = 200
) -> HttpResponse:
    demande.refresh_from_db(fields=["version", "etat"])
    campagne, now = demande.campagne, timezone.now()
    rows = voeu_rows(request, demande)
    search = VoeuSearchForm(request.GET if "q" in request.GET else None, campagne=campagne, auto_id="recherche_%s")
    resultats = (
        search_cibles(campagne, search.cleaned_data["type"], search.cleaned_data["q"]) if search.is_valid() else None
    )
    context: dict[str, Any] = {
        "demande": demande,
        "campagne": campagne,
        "rows": rows,
        "phase": campagne.phase_at(now),
        "saisie_ouverte": campagne.saisie_ouverte(now),
        "complet": len(rows) >= campagne.max_voeux,
        "code_form": on_version(code_form, demande.version)
        if code_form
        else VoeuCodeForm(initial={"version": demande.version}, campagne=campagne),
        "search_form": search,
        "resultats": resultats,
        "resultats_limites": resultats is not None and len(resultats) >= LIMIT,
        "filtres": TypeFiltre.choices if filtre_allowed(campagne) else None,
        "section": "services",
    }
    return render(request, "siam/voeux.html", context, status=status)


@require_GET
@login_required
def voeux(request: HttpRequest, pk: int) -> HttpResponse:
    return render_voeux(request, get_demande_for_user(request, pk))


@require_POST
@login_required
def voeu_add(request: HttpRequest, pk: int) -> HttpResponse:
    demande = get_demande_for_user(request, pk)
    form = VoeuCodeForm(request.POST, campagne=demande.campagne)
    if not form.is_valid():
        return render_voeux(request, demande, code_form=form, status=400)
    data = form.cleaned_data
    try:
        voeu = add_voeu(
            demande=demande,
            auteur=agent_of(request),
            version=data["version"],
            voeu_type=data["type"],
            code=data["code"],
            filtre=data["filtre"],
        )
    except SiamError as exc:
        if exc.field not in form.fields:  # phase, conflict, maximum: about the list, not the typed code
            messages.error(request, exc.message)
            return render_voeux(request, demande, status=exc.status)
        form.add_error(exc.field, exc.message)
        return render_voeux(request, demande, code_form=form, status=exc.status)
    messages.success(request, _("Voeu n° %(rang)s ajouté : %(voeu)s.") % {"rang": voeu.rang, "voeu": voeu.cible})
    return redirect(f"{reverse('siam:voeux', args=[demande.pk])}?ajout={voeu.pk}#voeu-{voeu.pk}")


@require_POST
@login_required
def voeu_remove(request: HttpRequest, pk: int) -> HttpResponse:
    voeu = get_voeu_for_user(request, pk)
    form = VersionForm(request.POST)
    version = form.cleaned_data["version"] if form.is_valid() else None
    try:
        remove_voeu(demande=voeu.demande, auteur=agent_of(request), version=version, voeu_id=voeu.pk)
    except SiamError as exc:
        messages.error(request, exc.message)
        return render_voeux(request, voeu.demande, status=exc.status)
    messages.success(request, _("Voeu n° %(rang)s supprimé : %(voeu)s.") % {"rang": voeu.rang, "voeu": voeu.cible})
    return redirect("siam:voeux", pk=voeu.demande_id)


@require_POST
@login_required
def voeu_move(request: HttpRequest, pk: int) -> HttpResponse:
    voeu = get_voeu_for_user(request, pk)
    form = MoveForm(request.POST)
    valid = form.is_valid()
    version, direction = (form.cleaned_data["version"], form.cleaned_data["direction"]) if valid else (None, "up")
    try:
        moved = move_voeu(
            demande=voeu.demande,
            auteur=agent_of(request),
            version=version,
            voeu_id=voeu.pk,
            direction=direction,
        )
    except SiamError as exc:
        messages.error(request, exc.message)
        return render_voeux(request, voeu.demande, status=exc.status)
    messages.success(request, _("Voeu placé en n° %(rang)s : %(voeu)s.") % {"rang": moved.rang, "voeu": voeu.cible})
    return redirect(f"{reverse('siam:voeux', args=[voeu.demande_id])}?focus={direction}#voeu-{voeu.pk}")
