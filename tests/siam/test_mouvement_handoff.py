"""Publishing the inter hands its result to the intra of this académie: entrants in, leavers' demandes closed."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from accounts.models import Agent
from iprof.courrier.models import Categorie, Message
from siam.errors import PhaseFermee
from siam.models import (
    Campagne,
    CampagneKind,
    Demande,
    EtatDemande,
    Motif,
    MotifDeclare,
    Participation,
    Poste,
    StatutMotif,
    TypeVoeu,
    Voeu,
)
from siam.models.bareme import TirageDepartage
from siam.services.demandes import lock_demande
from siam.services.mouvement import run_mouvement
from siam.services.mouvement.publication import publish_run
from tests.siam.conftest import build_campagne
from tests.siam.mouvement_helpers import AFTER_CLOSING, RESULTS_OPEN, participant

pytestmark = pytest.mark.django_db


@pytest.fixture
def chain(inter: Campagne, ref: dict[str, Any], at: Any) -> dict[str, Any]:
    """Lyon and Clermont at the inter; an intra of Clermont linked to it."""
    intra = build_campagne(CampagneKind.INTRA)
    Campagne.objects.filter(pk=intra.pk).update(campagne_inter=inter)
    clermont, lyon = ref["academie"], ref["lyon_academie"]
    maths = ref["discipline"]
    Poste.objects.create(campagne=inter, discipline=maths, academie=clermont, nombre=1)
    Poste.objects.create(campagne=inter, discipline=maths, academie=lyon, nombre=1)
    TirageDepartage.objects.create(campagne=inter, seed="graine-inter")
    # Paul, tenured in Clermont, obtains Lyon; he had started an intra demande for Clermont
    paul, _paul_inter = participant(inter, "Paul", "Partant", ref["etablissement"], [(TypeVoeu.ACA, lyon, "300")])
    paul_intra = Demande.objects.create(agent=paul, campagne=intra, etat=EtatDemande.ENREGISTREE)
    Voeu.objects.create(demande=paul_intra, rang=1, type=TypeVoeu.ETB, etablissement=ref["college"])
    # Estelle, stagiaire, obtains Clermont with a validated rapprochement de conjoints and a CIMM
    estelle, estelle_inter = participant(
        inter, "Estelle", "Entrante", None, [(TypeVoeu.ACA, clermont, "200")], obligatory=True, extension="200"
    )
    MotifDeclare.objects.create(
        demande=estelle_inter,
        motif=Motif.RAPPROCHEMENT_CONJOINTS,
        academie=clermont,
        annees=2,
        statut=StatutMotif.VALIDE,
    )
    MotifDeclare.objects.create(demande=estelle_inter, motif=Motif.CIMM, statut=StatutMotif.VALIDE)
    MotifDeclare.objects.create(demande=estelle_inter, motif=Motif.RQTH, statut=StatutMotif.DECLARE)
    at(AFTER_CLOSING)
    run = run_mouvement(campagne=inter, by=None)
    at(RESULTS_OPEN)
    return {"intra": intra, "run": run, "paul": paul, "paul_intra": paul_intra, "estelle": estelle}


def test_a_teacher_who_obtains_this_academie_becomes_an_obligatory_entrant_of_its_intra(
    chain: dict[str, Any], drh: Agent
) -> None:
    done = publish_run(run=chain["run"], by=drh)
    assert (done.entrants, done.closed) == (1, 1)
    demande = Demande.objects.get(agent=chain["estelle"], campagne=chain["intra"])
    assert demande.entrant_inter and demande.participation == Participation.OBLIGATOIRE
    assert "entré(e) dans l'académie par le mouvement inter-académique" in demande.participation_raisons
    # the validated family motif is carried over, validated; the inter-only CIMM and the undecided RQTH are not
    carried = list(demande.motifs.values_list("motif", "statut", "annees"))
    assert carried == [(Motif.RAPPROCHEMENT_CONJOINTS, StatutMotif.VALIDE, 2)]


def test_a_teacher_of_this_academie_who_obtains_another_has_his_intra_demande_closed_with_a_courrier(
    chain: dict[str, Any], drh: Agent
) -> None:
    publish_run(run=chain["run"], by=drh)
    chain["paul_intra"].refresh_from_db()
    assert chain["paul_intra"].etat == EtatDemande.CLOSE_INTER
    message = Message.objects.get(recipient=chain["paul"], sujet__startswith="Votre demande de mutation intra")
    assert message.categorie == Categorie.RESULTAT
    assert "Vous avez obtenu l'académie de Lyon au mouvement inter-académique" in message.corps
    assert "Votre demande au mouvement intra-académique de CLERMONT-FERRAND est donc close" in message.corps
    # the saisie no longer lets him change it
    with pytest.raises(PhaseFermee, match="Votre demande est close"):
        lock_demande(chain["paul_intra"].pk, chain["paul_intra"].version, guard=None)


def test_publishing_the_inter_twice_changes_nothing_more(chain: dict[str, Any], drh: Agent) -> None:
    publish_run(run=chain["run"], by=drh)
    state = (
        list(Demande.objects.order_by("pk").values_list("pk", "etat", "participation", "entrant_inter")),
        list(MotifDeclare.objects.order_by("pk").values_list("pk", "demande_id", "motif", "statut")),
        Message.objects.count(),
    )
    again = publish_run(run=chain["run"], by=drh)
    assert (again.created, again.entrants, again.closed) == (0, 0, 0)
    assert state == (
        list(Demande.objects.order_by("pk").values_list("pk", "etat", "participation", "entrant_inter")),
        list(MotifDeclare.objects.order_by("pk").values_list("pk", "demande_id", "motif", "statut")),
        Message.objects.count(),
    )


def test_a_closed_intra_demande_takes_no_part_in_the_intra_run(
    chain: dict[str, Any], drh: Agent, ref: dict[str, Any], at: Any
) -> None:
    publish_run(run=chain["run"], by=drh)
    intra = chain["intra"]
    TirageDepartage.objects.create(campagne=intra, seed="graine-intra")
    Poste.objects.create(campagne=intra, discipline=ref["discipline"], etablissement=ref["college"], nombre=1)
    from siam.models.bareme import BaremeExtension

    estelle = Demande.objects.get(agent=chain["estelle"], campagne=intra)
    BaremeExtension.objects.create(demande=estelle, rang=1, total=Decimal("200"), calcule_le=estelle.creee_le)
    run = run_mouvement(campagne=intra, by=None)
    assert set(run.resultats.values_list("demande_id", flat=True)) == {estelle.pk}
