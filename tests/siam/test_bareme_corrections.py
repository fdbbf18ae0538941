"""Staff corrections go through the calculator: a fact or one line's points, never a line where the rule gives none.

teacher_a's inter demande (bareme_cast): RC validated towards Lyon (vœu 1), Grenoble (vœu 2) is next to it,
Paris (vœu 3) is neither: on Paris the RC, its children and its years of separation give nothing.
"""

# ruff: noqa: F811 - the cast's fixtures are imported by name and requested as arguments
from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from accounts.models import Agent
from siam.errors import SiamError
from siam.models import Demande, StatutMotif
from siam.models.bareme import BaremeChange, BaremeCorrection, BaremeLigne, BaremeVoeu, ObjetChange
from siam.services.bareme import recompute_baremes
from siam.services.bareme.contestation import CorrectionDemandee, answer_contestation, open_contestation
from siam.services.bareme.verification import correct_fact, override_line, remove_override
from tests.siam.bareme_cast import (
    AFFICHAGE,
    ENFANTS,
    RC,
    SANS_FAMILLE,
    VOEU_1,
    academies,  # noqa: F401
    dossier_rc,  # noqa: F401
    family,
    inter_demande,
    totals_by_rang,
)
from tests.siam.conftest import client_for

pytestmark = pytest.mark.django_db

# The default paliers of the years of separation: 2 years 325, 3 years 475.
TROIS_ANS = Decimal(475)


@pytest.fixture
def affiche(dossier_rc: Demande, at: Any) -> Demande:
    at(AFFICHAGE)
    recompute_baremes(campagne=dossier_rc.campagne)
    return dossier_rc


def lines_of(demande: Demande, rang: int) -> dict[str, BaremeLigne]:
    stored = BaremeVoeu.objects.get(voeu__demande=demande, voeu__rang=rang)
    by_id = BaremeLigne.objects.in_bulk(stored.lignes)
    return {by_id[i].code: by_id[i] for i in stored.lignes}


def test_an_accepted_separation_correction_adds_nothing_on_a_voeu_where_the_rc_does_not_apply(
    affiche: Demande, rectorat: Agent
) -> None:
    """The issue's reproduction: « Années de séparation = 475, tous les vœux » gave 475 on a vœu without RC."""
    contestation = open_contestation(demande=affiche, motif="Trois années de séparation, pas deux.")
    answer_contestation(
        contestation=contestation, staff=rectorat, accepte=True, reponse="Trois années justifiées.",
        correction=CorrectionDemandee("separation", "475"),
    )  # fmt: skip
    totals = totals_by_rang(affiche)
    assert totals == {1: VOEU_1 + 150, 2: VOEU_1 + 150, 3: SANS_FAMILLE}
    paris = lines_of(affiche, 3)
    assert paris["rc"].etat == "not_applicable" and paris["separation"].points == 0
    assert "475" not in paris["separation"].phrase
    assert lines_of(affiche, 1)["separation"].points == TROIS_ANS


def test_an_accepted_correction_is_one_entry_of_the_history_with_who_when_and_why(
    affiche: Demande, rectorat: Agent, teacher_a: Agent
) -> None:
    contestation = open_contestation(demande=affiche, motif="Trois années de séparation, pas deux.")
    answer_contestation(
        contestation=contestation, staff=rectorat, accepte=True, reponse="Trois années justifiées.",
        correction=CorrectionDemandee("separation", "475"),
    )  # fmt: skip
    change = BaremeChange.objects.for_object(affiche).get()
    assert change.objet == ObjetChange.CONTESTATION and change.auteur == rectorat
    assert change.motif == "Trois années justifiées."
    assert "Années de séparation" in change.libelle and "475" in change.libelle
    assert change.avant["totaux"]["1"] == "1044.2" and change.apres["totaux"]["1"] == "1194.2"
    page = client_for(teacher_a).get(f"/siam/demandes/{affiche.pk}/bareme/").content.decode()
    assert page.count('data-testid="changement"') == 1 and page.count("Modifié par le rectorat le") == 1
    # the history entry, the answer under the request, and the corrected line of voeux 1 and 2 (not Paris)
    assert page.count("Trois années justifiées.") == 4


def test_a_corrected_fact_recomputes_every_voeu_by_the_rules(affiche: Demande, rectorat: Agent) -> None:
    correct_fact(
        demande=affiche, staff=rectorat, fait="annees_separation", valeur="3", justification="Trois années justifiées."
    )
    assert totals_by_rang(affiche) == {1: VOEU_1 + 150, 2: VOEU_1 + 150, 3: SANS_FAMILLE}
    correction = BaremeCorrection.objects.get(demande=affiche)
    assert (correction.fait, correction.valeur_avant, correction.valeur, correction.auteur) == (
        "annees_separation", 2, 3, rectorat,
    )  # fmt: skip
    change = BaremeChange.objects.for_object(affiche).get()
    assert change.avant["valeur"] == 2 and change.apres["valeur"] == 3
    assert change.libelle.startswith("Donnée corrigée, « années de séparation »\u00a0: 2 → 3")


def test_a_child_added_by_staff_counts_only_on_the_rc_voeux(affiche: Demande, rectorat: Agent) -> None:
    correct_fact(demande=affiche, staff=rectorat, fait="enfants", valeur="3", justification="Naissance en juin.")
    assert totals_by_rang(affiche) == {1: VOEU_1 + 100, 2: VOEU_1 + 100, 3: SANS_FAMILLE}
    assert "enfants" not in lines_of(affiche, 3) or lines_of(affiche, 3)["enfants"].points == 0


def test_a_fact_correction_with_the_value_already_retained_is_refused(affiche: Demande, rectorat: Agent) -> None:
    with pytest.raises(SiamError, match="déjà 2"):
        correct_fact(demande=affiche, staff=rectorat, fait="annees_separation", valeur="2", justification="Rien.")
    assert not BaremeCorrection.objects.exists() and not BaremeChange.objects.exists()


@pytest.mark.parametrize(("valeur", "message"), [("trois", "nombre entier"), ("-1", "de 0 à 99"), ("500", "de 0 à 99")])
def test_a_fact_value_is_checked(affiche: Demande, rectorat: Agent, valeur: str, message: str) -> None:
    with pytest.raises(SiamError, match=message):
        correct_fact(demande=affiche, staff=rectorat, fait="enfants", valeur=valeur, justification="Essai.")
    assert not BaremeCorrection.objects.exists() and totals_by_rang(affiche)[1] == VOEU_1


def test_an_override_on_a_voeu_where_the_rule_gives_nothing_is_refused(affiche: Demande, rectorat: Agent) -> None:
    paris = affiche.voeux.get(rang=3)
    with pytest.raises(SiamError, match="ne donne pas de points sur le vœu n° 3"):
        override_line(demande=affiche, staff=rectorat, code="rc", points="150.2", voeu=paris, justification="Erreur")
    assert not BaremeCorrection.objects.exists() and not BaremeChange.objects.exists()
    assert totals_by_rang(affiche)[3] == SANS_FAMILLE


def test_an_override_of_every_voeu_changes_only_the_voeux_where_the_rule_applies(
    affiche: Demande, rectorat: Agent
) -> None:
    override_line(demande=affiche, staff=rectorat, code="rc", points="200", justification="Barème académique.")
    gain = Decimal(200) - RC
    assert totals_by_rang(affiche) == {1: VOEU_1 + gain, 2: VOEU_1 + gain, 3: SANS_FAMILLE}
    assert lines_of(affiche, 1)["rc"].etat == "corrected" and lines_of(affiche, 3)["rc"].etat == "not_applicable"


def test_withdrawing_a_correction_puts_back_the_rule_and_is_recorded_once(affiche: Demande, rectorat: Agent) -> None:
    correction = correct_fact(
        demande=affiche, staff=rectorat, fait="annees_separation", valeur="3", justification="Trois ans."
    )
    remove_override(correction=correction, staff=rectorat, justification="Pièce non probante.")
    assert totals_by_rang(affiche)[1] == VOEU_1
    assert BaremeChange.objects.for_object(affiche).count() == 2
    assert BaremeChange.objects.for_object(affiche).filter(motif="Pièce non probante.").count() == 1


def test_a_line_override_stays_off_a_voeu_once_a_later_decision_voids_its_rule(
    inter: Any, teacher_a: Agent, ref: dict[str, Any], academies: dict[str, Any], rectorat: Agent, at: Any
) -> None:
    """Refusing the RC after an override of its line: the override gives nothing any more."""
    from siam.models import MotifDeclare
    from siam.services.bareme.verification import decide_claim

    family(teacher_a, ref)
    demande = inter_demande(teacher_a, inter, academies, rc=StatutMotif.VALIDE)
    at(AFFICHAGE)
    recompute_baremes(campagne=inter)
    override_line(demande=demande, staff=rectorat, code="enfants", points="300", justification="Trois enfants.")
    assert totals_by_rang(demande)[1] == VOEU_1 - ENFANTS + 300
    motif = MotifDeclare.objects.get(demande=demande)
    decide_claim(motif=motif, staff=rectorat, statut=StatutMotif.REFUSE, motif_refus="Pas de pièce.")
    assert set(totals_by_rang(demande).values()) == {SANS_FAMILLE}


# --- admin -------------------------------------------------------------------------------------------


def test_staff_accept_a_request_with_a_corrected_fact_from_the_admin(affiche: Demande, rectorat: Agent) -> None:
    contestation = open_contestation(demande=affiche, motif="Trois années de séparation, pas deux.")
    client = client_for(rectorat, staff=True)
    url = f"/admin/siam/contestation/{contestation.pk}/change/"
    both = client.post(url, {"decision": "acceptee", "reponse": "Oui.", "correction_fait": "annees_separation",
                             "correction_valeur": "3", "correction_code": "separation", "correction_points": "475"})  # fmt: skip
    assert both.status_code == 200 and "pas les deux à la fois" in both.content.decode()
    assert not BaremeChange.objects.exists()
    response = client.post(url, {"decision": "acceptee", "reponse": "Trois années justifiées.",
                                 "correction_fait": "annees_separation", "correction_valeur": "3"})  # fmt: skip
    assert response.status_code == 302
    assert totals_by_rang(affiche) == {1: VOEU_1 + 150, 2: VOEU_1 + 150, 3: SANS_FAMILLE}
    assert BaremeChange.objects.for_object(affiche).count() == 1


def test_the_verification_page_corrects_a_fact_and_refuses_a_line_where_its_rule_gives_nothing(
    affiche: Demande, rectorat: Agent
) -> None:
    client = client_for(rectorat, staff=True)
    url = f"/admin/siam/verificationbareme/{affiche.pk}/change/"
    management = {
        "motifs-TOTAL_FORMS": "1", "motifs-INITIAL_FORMS": "1", "motifs-MIN_NUM_FORMS": "0",
        "motifs-MAX_NUM_FORMS": "1000", "motifs-0-id": str(affiche.motifs.get().pk), "motifs-0-demande": str(affiche.pk),
        "motifs-0-statut": "validated", "motifs-0-motif_refus": "",
        "corrections_bareme-TOTAL_FORMS": "1", "corrections_bareme-INITIAL_FORMS": "0",
        "corrections_bareme-MIN_NUM_FORMS": "0", "corrections_bareme-MAX_NUM_FORMS": "1000",
        "bareme_changes-TOTAL_FORMS": "0", "bareme_changes-INITIAL_FORMS": "0",
        "bareme_changes-MIN_NUM_FORMS": "0", "bareme_changes-MAX_NUM_FORMS": "1000",
    }  # fmt: skip
    paris = affiche.voeux.get(rang=3)
    line = {"corrections_bareme-0-code": "separation", "corrections_bareme-0-points": "475",
            "corrections_bareme-0-voeu": str(paris.pk), "corrections_bareme-0-justification": "Trois ans."}  # fmt: skip
    refused = client.post(url, {**management, **line}, follow=True)
    assert "ne donne pas de points sur le vœu n° 3" in refused.content.decode()
    assert not BaremeCorrection.objects.exists() and totals_by_rang(affiche)[3] == SANS_FAMILLE
    fact = {"corrections_bareme-0-fait": "annees_separation", "corrections_bareme-0-valeur": "3",
            "corrections_bareme-0-justification": "Trois ans."}  # fmt: skip
    assert client.post(url, {**management, **fact}).status_code == 302
    assert totals_by_rang(affiche) == {1: VOEU_1 + 150, 2: VOEU_1 + 150, 3: SANS_FAMILLE}
