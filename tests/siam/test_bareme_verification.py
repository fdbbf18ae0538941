"""Staff verification: decisions on claimed bonuses, corrections with a justification, the admin pages."""

# ruff: noqa: F811 - the cast's fixtures are imported by name and requested as arguments
from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client

from accounts.models import Agent
from siam.errors import PhaseFermee, SiamError
from siam.models import Demande, MotifDeclare, StatutMotif
from siam.models.bareme import BaremeChange, BaremeCorrection, ObjetChange, RegleBareme
from siam.services.bareme import recompute_baremes
from siam.services.bareme.rules import stored_rows
from siam.services.bareme.verification import decide_claim, override_line
from tests.factories import make_teacher
from tests.siam.bareme_cast import (
    AFFICHAGE,
    DEFINITIFS,
    INSTRUCTION,
    POSTE,
    SANS_FAMILLE,
    VOEU_1,
    academies,  # noqa: F401
    family,
    inter_demande,
    totals_by_rang,
)
from tests.siam.conftest import client_for, text

pytestmark = pytest.mark.django_db


@pytest.fixture
def declared(inter: Any, teacher_a: Agent, ref: dict[str, Any], academies: dict[str, Any], at: Any) -> Demande:
    """RC claimed, not examined yet; barèmes computed during the instruction."""
    family(teacher_a, ref)
    demande = inter_demande(teacher_a, inter, academies, rc=StatutMotif.DECLARE)
    at(INSTRUCTION)
    recompute_baremes(campagne=inter)
    return demande


def test_validating_a_claim_recomputes_the_demande_and_is_kept_in_its_history(
    declared: Demande, rectorat: Agent
) -> None:
    assert totals_by_rang(declared)[1] == SANS_FAMILLE
    decide_claim(motif=MotifDeclare.objects.get(demande=declared), staff=rectorat, statut=StatutMotif.VALIDE)
    assert totals_by_rang(declared)[1] == VOEU_1
    change = BaremeChange.objects.for_object(declared).get()
    assert change.objet == ObjetChange.MOTIF and change.auteur == rectorat
    assert change.libelle == "Rapprochement de conjoints\u00a0: validé"
    assert change.avant == {"motif": "rc", "statut": "declared", "totaux": {"1": "369.0", "2": "369.0", "3": "369.0"}}
    assert change.apres["totaux"]["1"] == "1044.2"


def test_a_refusal_gives_0_and_the_reason_reaches_the_teacher(
    declared: Demande, rectorat: Agent, teacher_a: Agent, at: Any
) -> None:
    with pytest.raises(SiamError, match="motif du refus"):
        decide_claim(motif=MotifDeclare.objects.get(demande=declared), staff=rectorat, statut=StatutMotif.REFUSE)
    decide_claim(
        motif=MotifDeclare.objects.get(demande=declared),
        staff=rectorat,
        statut=StatutMotif.REFUSE,
        motif_refus="Le conjoint exerce à Clermont-Ferrand.",
    )
    assert totals_by_rang(declared)[1] == SANS_FAMILLE
    at(AFFICHAGE)
    page = text(client_for(teacher_a).get(f"/siam/demandes/{declared.pk}/bareme/"))
    assert "refusé par le rectorat" in page or "refusée" in page
    assert "Le conjoint exerce à Clermont-Ferrand." in page


def test_an_override_requires_a_justification_and_writes_nothing_without(declared: Demande, rectorat: Agent) -> None:
    with pytest.raises(SiamError, match="Justifiez la correction"):
        override_line(demande=declared, staff=rectorat, code="poste", points="400", justification="  ")
    assert not BaremeCorrection.objects.exists() and not BaremeChange.objects.exists()


def test_an_override_replaces_the_line_on_every_voeu_and_shows_in_the_teachers_history(
    declared: Demande, rectorat: Agent, teacher_a: Agent, at: Any
) -> None:
    override_line(
        demande=declared,
        staff=rectorat,
        code="poste",
        points="400,5",
        justification="Ancienneté reprise après congé parental",
    )
    # poste: 320 computed, 400,5 retained, on every voeu
    assert set(totals_by_rang(declared).values()) == {SANS_FAMILLE - POSTE + Decimal("400.5")}
    at(AFFICHAGE)
    page = text(client_for(teacher_a).get(f"/siam/demandes/{declared.pk}/bareme/"))
    assert "Modifié par le rectorat le 20 avril 2027" in page
    assert "Ancienneté reprise après congé parental" in page


def test_an_override_on_one_voeu_only(declared: Demande, rectorat: Agent) -> None:
    voeu = declared.voeux.get(rang=3)
    override_line(demande=declared, staff=rectorat, code="poste", points="400", voeu=voeu, justification="Paris")
    totals = totals_by_rang(declared)
    assert totals[3] == SANS_FAMILLE - POSTE + 400 and totals[1] == SANS_FAMILLE


def test_an_override_cannot_give_a_pending_bonus_points(declared: Demande, rectorat: Agent) -> None:
    """The RC is only declared: its line gives no points yet, and an override cannot give it any."""
    with pytest.raises(SiamError, match="ne donne de points sur aucun vœu"):
        override_line(demande=declared, staff=rectorat, code="rc", points="150.2", justification="Paris\u00a0: erreur")
    assert set(totals_by_rang(declared).values()) == {SANS_FAMILLE}


@pytest.mark.parametrize("points", ["beaucoup", "-3", "10.25", "100000"])
def test_override_points_are_checked(declared: Demande, rectorat: Agent, points: str) -> None:
    with pytest.raises(SiamError):
        override_line(demande=declared, staff=rectorat, code="poste", points=points, justification="essai")


def test_nothing_changes_once_the_baremes_are_definitifs(declared: Demande, rectorat: Agent, at: Any) -> None:
    at(DEFINITIFS)
    with pytest.raises(PhaseFermee):
        decide_claim(motif=MotifDeclare.objects.get(demande=declared), staff=rectorat, statut=StatutMotif.VALIDE)
    with pytest.raises(PhaseFermee):
        override_line(demande=declared, staff=rectorat, code="poste", points="1", justification="trop tard")
    assert MotifDeclare.objects.get(demande=declared).statut == StatutMotif.DECLARE
    assert totals_by_rang(declared)[1] == SANS_FAMILLE


# --- admin -------------------------------------------------------------------------------------------


def staff(agent: Agent) -> Client:
    return client_for(agent, staff=True)


def rules_formset(campagne: Any, rows: list[dict[str, Any]], motif: str = "") -> dict[str, Any]:
    data: dict[str, Any] = {
        "motif_changement": motif,
        "regles_bareme-TOTAL_FORMS": str(len(rows)),
        "regles_bareme-INITIAL_FORMS": str(len(rows)),
        "regles_bareme-MIN_NUM_FORMS": "0",
        "regles_bareme-MAX_NUM_FORMS": "1000",
    }
    stored = {r.code: r.pk for r in RegleBareme.objects.filter(campagne=campagne)}
    for i, row in enumerate(rows):
        prefix = f"regles_bareme-{i}-"
        data.update({
            prefix + "id": stored[row["code"]], prefix + "campagne": campagne.pk, prefix + "ordre": row["ordre"],
            prefix + "code": row["code"], prefix + "applique_a": json.dumps(row["applique_a"]),
            prefix + "params": json.dumps(row["params"]),
        })  # fmt: skip
        if row["voeu_specific"]:
            data[prefix + "voeu_specific"] = "on"
        if row["actif"]:
            data[prefix + "actif"] = "on"
    return data


def test_staff_edit_the_rules_and_an_invalid_value_is_a_french_form_error(inter: Any, rectorat: Agent) -> None:
    url = f"/admin/siam/reglesbareme/{inter.pk}/change/"
    assert staff(rectorat).get(url).status_code == 200
    rows = stored_rows(inter)
    rows[2]["params"]["points"] = "cent"
    response = staff(rectorat).post(url, rules_formset(inter, rows))
    assert response.status_code == 200
    assert "Règles du barème invalides : Composante « rc ».params.points : 'cent' n'est pas un nombre" in text(response)
    assert RegleBareme.objects.get(campagne=inter, code="rc").params["points"] == "150.2"

    rows[2]["params"]["points"] = "160.2"
    response = staff(rectorat).post(url, rules_formset(inter, rows))
    assert response.status_code == 302
    assert RegleBareme.objects.get(campagne=inter, code="rc").params["points"] == "160.2"
    assert BaremeChange.objects.get(action=ObjetChange.REGLES).auteur == rectorat


def test_once_computed_a_rules_change_needs_a_motif_in_the_admin(declared: Demande, rectorat: Agent) -> None:
    campagne = declared.campagne
    url = f"/admin/siam/reglesbareme/{campagne.pk}/change/"
    rows = stored_rows(campagne)
    rows[0]["params"]["normale_par_echelon"] = "8"
    response = staff(rectorat).post(url, rules_formset(campagne, rows))
    assert response.status_code == 200 and "indiquez le motif du changement" in text(response)
    response = staff(rectorat).post(url, rules_formset(campagne, rows, motif="Note de service rectificative"))
    assert response.status_code == 302
    assert totals_by_rang(declared)[1] == SANS_FAMILLE + 7


def test_staff_validate_a_claim_from_the_verification_page(declared: Demande, rectorat: Agent) -> None:
    motif = MotifDeclare.objects.get(demande=declared)
    url = f"/admin/siam/verificationbareme/{declared.pk}/change/"
    page = staff(rectorat).get(url)
    assert page.status_code == 200 and "Rapprochement de conjoints" in text(page)
    data = {
        "motifs-TOTAL_FORMS": "1", "motifs-INITIAL_FORMS": "1", "motifs-MIN_NUM_FORMS": "0", "motifs-MAX_NUM_FORMS": "1000",
        "motifs-0-id": motif.pk, "motifs-0-demande": declared.pk, "motifs-0-statut": "validated", "motifs-0-motif_refus": "",
        "corrections_bareme-TOTAL_FORMS": "0", "corrections_bareme-INITIAL_FORMS": "0",
        "corrections_bareme-MIN_NUM_FORMS": "0", "corrections_bareme-MAX_NUM_FORMS": "1000",
        "bareme_changes-TOTAL_FORMS": "0", "bareme_changes-INITIAL_FORMS": "0",
        "bareme_changes-MIN_NUM_FORMS": "0", "bareme_changes-MAX_NUM_FORMS": "1000",
    }  # fmt: skip
    response = staff(rectorat).post(url, data)
    assert response.status_code == 302, text(response)
    assert totals_by_rang(declared)[1] == VOEU_1
    assert BaremeChange.objects.for_object(declared).get().auteur == rectorat


def test_the_motifs_admin_records_decisions_in_the_barème_history(declared: Demande, rectorat: Agent) -> None:
    motif = MotifDeclare.objects.get(demande=declared)
    response = staff(rectorat).post(
        f"/admin/siam/motifdeclare/{motif.pk}/change/", {"statut": "validated", "motif_refus": ""}
    )
    assert response.status_code == 302
    assert totals_by_rang(declared)[1] == VOEU_1
    assert BaremeChange.objects.for_object(declared).filter(action=ObjetChange.MOTIF).count() == 1


@pytest.mark.parametrize("participants", [1, 20])
def test_the_verification_list_costs_the_same_queries_for_1_or_20_demandes(
    participants: int, inter: Any, academies: dict[str, Any], rectorat: Agent, django_assert_max_num_queries: Any
) -> None:
    for i in range(participants):
        inter_demande(make_teacher(f"P{i}", f"N{i}"), inter, academies, rc=StatutMotif.DECLARE)
    client = staff(rectorat)
    with django_assert_max_num_queries(11):
        response = client.get("/admin/siam/verificationbareme/?a_verifier=oui")
    assert response.status_code == 200


def test_drh_can_read_but_not_change(declared: Demande, drh: Agent) -> None:
    client = staff(drh)
    assert client.get("/admin/siam/verificationbareme/").status_code == 200
    assert client.get("/admin/siam/baremechange/").status_code == 200
    assert client.post(f"/admin/siam/reglesbareme/{declared.campagne_id}/change/", {}).status_code == 403


def test_the_load_defaults_action_asks_for_the_motif_then_replaces_the_rules(
    declared: Demande, rectorat: Agent
) -> None:
    campagne = declared.campagne
    RegleBareme.objects.filter(campagne=campagne, code="rqth").update(params={"points": "120"})
    client = staff(rectorat)
    selection = {"action": "charger_defauts", "_selected_action": [campagne.pk]}
    page = client.post("/admin/siam/reglesbareme/", selection)
    assert page.status_code == 200 and "Motif" in text(page)
    done = client.post("/admin/siam/reglesbareme/", {**selection, "apply": "1", "motif": "Retour à la note de service"})
    assert done.status_code == 302
    assert RegleBareme.objects.get(campagne=campagne, code="rqth").params["points"] == "100"
    assert BaremeChange.objects.get(action=ObjetChange.REGLES).motif == "Retour à la note de service"
