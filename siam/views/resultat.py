"""The teacher's mouvement result and its explanation, once the DRH has published it."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.text import capfirst
from django.views.decorators.http import require_GET

from siam.bareme.text import format_decimal
from siam.models import Demande, EtatDemande, Poste, Voeu
from siam.models.mouvement import SCORE_SCALE, MouvementResultat, RaisonEchec
from siam.selectors import get_campagne
from siam.services.mouvement.publication import poste_label, result_text


@dataclass(frozen=True)
class Ligne:
    """One row of the why-not table."""

    rang: int
    voeu: str
    bareme: str
    barre: str | None
    raison: str
    postes: int
    poste_barre: str | None  # for a large voeu: the post whose barre is shown


def points(score: int | None) -> str | None:
    return None if score is None else format_decimal(Decimal(score) / SCORE_SCALE)


def get_resultat_for_user(request: HttpRequest, slug: str) -> tuple[Demande, MouvementResultat | None]:
    """The asker's demande and its published result (None before publication); 404 for a non-participant."""
    campagne = get_campagne(slug)
    demande = (
        Demande.objects.for_agent(request.user)  # type: ignore[arg-type]
        .filter(campagne=campagne)
        .exclude(etat=EtatDemande.ANNULEE)
        .select_related("campagne")
        .first()
    )
    if demande is None:
        raise Http404
    resultat = (
        MouvementResultat.objects.published()
        .filter(demande=demande)
        .with_postes()
        .select_related("run__campagne", "demande")
        .first()
    )
    if resultat is None and campagne.mouvement_runs.published().exists():
        raise Http404  # published without them: they were not a participant of that run
    return demande, resultat


def explanation(resultat: MouvementResultat) -> list[Ligne]:
    voeux = {v.rang: v for v in Voeu.objects.filter(demande_id=resultat.demande_id).with_targets()}
    barre_ids = [row[5] for row in resultat.why_not if row[5] is not None and row[4] > 1]
    postes = {p.pk: p for p in Poste.objects.filter(pk__in=barre_ids).for_list()}
    lignes = []
    for rang, score, barre, raison, covered, poste_id in resultat.why_not:
        voeu = voeux.get(rang)
        poste = postes.get(poste_id)
        lignes.append(
            Ligne(
                rang=rang,
                voeu=f"{capfirst(voeu.get_type_display())} — {voeu.cible}" if voeu else "—",
                bareme=points(score) or "—",
                barre=points(barre),
                raison=str(RaisonEchec(raison).label),
                postes=covered,
                poste_barre=poste_label(poste) if poste else None,
            )
        )
    return lignes


@require_GET
@login_required
def resultat(request: HttpRequest, slug: str) -> HttpResponse:
    demande, found = get_resultat_for_user(request, slug)
    context: dict[str, Any] = {"campagne": demande.campagne, "demande": demande, "section": "services"}
    if found is None:
        return render(request, "siam/resultat/attente.html", context)
    exchange = found.run.published_exchange and found.poste_echange_id is not None
    obtenu = found.voeu_rang_echange if exchange else None if found.kept else found.voeu_rang
    lignes = explanation(found)
    context.update(
        resultat=found,
        phrase=result_text(found, exchange=found.run.published_exchange, obligatory=demande.est_obligatoire),
        obtenu=obtenu,
        bareme_obtenu=None if exchange else points(found.score),
        # after exchanges the barres are still those of the mouvement: only the voeux above the new one matter
        lignes=[ligne for ligne in lignes if obtenu is None or ligne.rang < obtenu] if exchange else lignes,
        apres_echanges=exchange,
    )
    return render(request, "siam/resultat/resultat.html", context)
