"""The two phases as one chain: inter saisie → run → publication → the entrant's obligatory intra demande
→ intra saisie → intra run → publication → the result in his courrier. And the reproduction of the cut
chain: fdupont obtains Lyon at the inter, his intra demande for Clermont is closed with a courrier."""

from __future__ import annotations

from typing import Any

import pytest

from accounts.models import Agent
from dossier.models import Dossier, Position
from iprof.courrier.models import Categorie, Message
from siam.models import (
    Campagne,
    CampagneKind,
    CapaciteAccueil,
    Demande,
    EtatDemande,
    Participation,
    Poste,
    TypeVoeu,
    Voeu,
)
from siam.services.bareme import recompute_baremes
from siam.services.bareme.departage import draw_seed
from siam.services.demandes import start_demande
from siam.services.mouvement import run_mouvement
from siam.services.mouvement.publication import publish_run
from tests.factories import make_teacher
from tests.siam.conftest import CONFIRMATION, add, build_campagne, client_for, paris, text
from tests.siam.mouvement_helpers import RESULTS_OPEN

pytestmark = pytest.mark.django_db

# The intra of Clermont opens once the inter results are out (CALENDRIER ends on 20 June 2027).
INTRA_CALENDRIER = {
    "saisie_debut": paris(2027, 6, 22, 12),
    "saisie_fin": paris(2027, 7, 5, 12),
    "confirmation_debut": paris(2027, 7, 6, 8),
    "retour_pieces_fin": paris(2027, 7, 8, 12),
    "bareme_affichage_debut": paris(2027, 7, 9, 8),
    "bareme_affichage_fin": paris(2027, 7, 12, 12),
    "baremes_definitifs": paris(2027, 7, 13, 8),
    "annulation_fin": paris(2027, 7, 14, 12),
    "resultats": paris(2027, 7, 20, 8),
}


def inter_voeu(agent: Agent, inter: Campagne, code: str) -> Demande:
    """The teacher opens his inter demande and adds one académie through the saisie page."""
    demande = start_demande(agent=agent, campagne=inter)
    response = add(client_for(agent), demande, TypeVoeu.ACA, code)
    assert response.status_code == 302, text(response)
    assert Voeu.objects.filter(demande=demande, academie__code=code).exists()
    return demande


def compute_and_publish(campagne: Campagne, *, closed: Any, results: Any, at: Any, drh: Agent) -> None:
    at(closed)
    recompute_baremes(campagne=campagne)
    draw_seed(campagne=campagne, staff=None)
    run = run_mouvement(campagne=campagne, by=None)
    assert run.verdict_ok, run.violations
    at(results)
    publish_run(run=run, by=drh)


def test_from_the_inter_saisie_to_the_intra_result_in_the_courrier(
    inter: Campagne, ref: dict[str, Any], at: Any, drh: Agent
) -> None:
    intra = build_campagne(CampagneKind.INTRA, **INTRA_CALENDRIER)
    Campagne.objects.filter(pk=intra.pk).update(campagne_inter=inter)
    lyon, clermont, maths = ref["lyon_academie"], ref["academie"], ref["discipline"]
    CapaciteAccueil.objects.create(campagne=inter, academie=clermont, discipline=maths, places=1)
    CapaciteAccueil.objects.create(campagne=inter, academie=lyon, discipline=maths, places=1)
    # Estelle, stagiaire in Lyon, must participate and asks for Clermont
    estelle = make_teacher("Estelle", "Entrante")
    Dossier.objects.filter(agent=estelle).update(position=Position.STAGIAIRE, etablissement=ref["lycee_lyon"])
    inter_demande = inter_voeu(estelle, inter, "CLERMONT")
    assert inter_demande.participation == Participation.OBLIGATOIRE

    compute_and_publish(inter, closed=CONFIRMATION, results=RESULTS_OPEN, at=at, drh=drh)
    assert "Vous avez obtenu votre vœu n° 1\u00a0: Clermont-Ferrand" in Message.objects.get(recipient=estelle).corps

    # the intra saisie opens: SIAM shows her obligatory demande, as an entrant
    at(paris(2027, 6, 25, 10))
    intra_demande = Demande.objects.get(agent=estelle, campagne=intra)
    client = client_for(estelle)
    page = text(client.get(f"/siam/demandes/{intra_demande.pk}/"))
    assert "obligatoire" in page and "entré(e) dans l'académie par le mouvement inter-académique" in page
    assert "la procédure d'extension s'applique" in page
    response = add(client, intra_demande, TypeVoeu.ETB, ref["college"].uai)
    assert response.status_code == 302, text(response)

    Poste.objects.create(campagne=intra, discipline=maths, etablissement=ref["college"], nombre=1)
    compute_and_publish(intra, closed=paris(2027, 7, 6, 10), results=paris(2027, 7, 21, 10), at=at, drh=drh)
    result = Message.objects.get(recipient=estelle, sujet__contains=intra.libelle)
    assert result.categorie == Categorie.RESULTAT
    assert "Vous avez obtenu votre vœu n° 1\u00a0: Collège Albert-Camus" in result.corps


def test_fdupont_obtains_lyon_at_the_inter_and_his_intra_demande_for_clermont_is_closed_with_a_courrier(
    inter: Campagne, ref: dict[str, Any], at: Any, drh: Agent
) -> None:
    # both saisies are open at once, as in the demo
    intra = build_campagne(CampagneKind.INTRA)
    Campagne.objects.filter(pk=intra.pk).update(campagne_inter=inter)
    fdupont = make_teacher("Frédéric", "Dupont")  # titulaire at Lycée Blaise-Pascal, Clermont-Ferrand
    CapaciteAccueil.objects.create(
        campagne=inter, academie=ref["lyon_academie"], discipline=ref["discipline"], places=1
    )
    inter_voeu(fdupont, inter, "LYON")
    intra_demande = start_demande(agent=fdupont, campagne=intra)
    assert add(client_for(fdupont), intra_demande, TypeVoeu.ETB, ref["college"].uai).status_code == 302

    compute_and_publish(inter, closed=CONFIRMATION, results=RESULTS_OPEN, at=at, drh=drh)

    intra_demande.refresh_from_db()
    assert intra_demande.etat == EtatDemande.CLOSE_INTER
    closed = Message.objects.get(recipient=fdupont, sujet__startswith="Votre demande de mutation intra")
    assert "Vous avez obtenu l'académie de Lyon au mouvement inter-académique" in closed.corps
    # his page says so, and the saisie refuses any change
    client = client_for(fdupont)
    page = text(client.get(f"/siam/demandes/{intra_demande.pk}/"))
    assert "close — autre académie obtenue au mouvement inter" in page
