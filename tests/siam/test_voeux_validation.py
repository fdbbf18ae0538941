"""Every vœu is checked against the reference data and the campagne before it joins the list."""

from __future__ import annotations

from typing import Any

import pytest

from accounts.models import Agent
from dossier.models import Academie
from siam.errors import ConflitVersion, VoeuInvalide
from siam.models import Campagne, Demande, Voeu
from siam.services.voeux import add_voeu
from tests.siam.conftest import add, client_for, text

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("voeu_type", "code", "filtre", "message"),
    [
        ("ETB", "0639999Z", "TOUT", "Aucun établissement ne porte le code UAI « 0639999Z »."),
        ("COM", "99999", "TOUT", "Aucune commune ne porte le code INSEE « 99999 »."),
        ("GEO", "GEO999", "TOUT", "Aucun groupement de communes ne porte le code « GEO999 »."),
        ("DPT", "099", "TOUT", "Aucun département ne porte le code « 099 »."),
        ("ZRE", "ZR999", "TOUT", "Aucune zone de remplacement ne porte le code « ZR999 »."),
        (
            "ETB",
            "0690026D",
            "TOUT",
            "« Lycée du Parc — Lyon (0690026D) » n'appartient pas à l'académie de Clermont-Ferrand.",
        ),
        ("COM", "69123", "TOUT", "n'appartient pas à l'académie de Clermont-Ferrand"),
        (
            "ETB",
            "0631018P",
            "CLG",
            "Le type d'établissement ne peut pas être restreint sur un vœu de type « établissement ».",
        ),
        ("ZRE", "ZR063CLF", "LYC", "Le type d'établissement ne peut pas être restreint"),
        ("ETB", "", "TOUT", "Saisissez le code du vœu."),
    ],
)
def test_invalid_voeu_is_refused_with_a_french_message(
    demande_a: Demande, teacher_a: Agent, ref: Any, voeu_type: str, code: str, filtre: str, message: str
) -> None:
    with pytest.raises(VoeuInvalide) as refused:
        add_voeu(demande=demande_a, auteur=teacher_a, version=0, voeu_type=voeu_type, code=code, filtre=filtre)
    assert message in refused.value.message
    assert not Voeu.objects.filter(demande=demande_a).exists()
    demande_a.refresh_from_db()
    assert demande_a.version == 0


def test_duplicate_voeu_is_refused_but_same_place_with_another_type_filter_is_allowed(
    demande_a: Demande, teacher_a: Agent, ref: Any
) -> None:
    add_voeu(demande=demande_a, auteur=teacher_a, version=0, voeu_type="COM", code="63113")
    with pytest.raises(VoeuInvalide, match=r"Ce vœu figure déjà dans votre liste \(vœu n° 1\)"):
        add_voeu(demande=demande_a, auteur=teacher_a, version=1, voeu_type="COM", code="63113")
    add_voeu(demande=demande_a, auteur=teacher_a, version=1, voeu_type="COM", code="63113", filtre="CLG")
    assert Voeu.objects.filter(demande=demande_a).count() == 2


def test_voeu_type_not_open_for_the_campagne_is_refused(inter: Campagne, teacher_a: Agent, ref: Any) -> None:
    demande = Demande.objects.create(agent=teacher_a, campagne=inter)
    with pytest.raises(
        VoeuInvalide, match="Les vœux de type « établissement » ne sont pas ouverts pour cette campagne"
    ):
        add_voeu(demande=demande, auteur=teacher_a, version=0, voeu_type="ETB", code="0631018P")
    add_voeu(demande=demande, auteur=teacher_a, version=0, voeu_type="ACA", code="lyon")
    assert Voeu.objects.get(demande=demande).academie == ref["lyon_academie"]


def test_no_more_than_the_maximum_number_of_voeux(inter: Campagne, teacher_a: Agent, ref: Any) -> None:
    demande = Demande.objects.create(agent=teacher_a, campagne=inter)
    inter.max_voeux = 2
    inter.save()
    Academie.objects.create(code="DIJON", nom="Dijon")
    Academie.objects.create(code="PARIS", nom="Paris")
    add_voeu(demande=demande, auteur=teacher_a, version=0, voeu_type="ACA", code="LYON")
    add_voeu(demande=demande, auteur=teacher_a, version=1, voeu_type="ACA", code="DIJON")
    with pytest.raises(VoeuInvalide, match=r"nombre maximal de vœux \(2\)"):
        add_voeu(demande=demande, auteur=teacher_a, version=2, voeu_type="ACA", code="PARIS")
    assert Voeu.objects.filter(demande=demande).count() == 2


def test_stale_version_is_a_conflict(demande_a: Demande, teacher_a: Agent, ref: Any) -> None:
    add_voeu(demande=demande_a, auteur=teacher_a, version=0, voeu_type="COM", code="63113")
    with pytest.raises(ConflitVersion, match="Votre liste a été modifiée dans un autre onglet"):
        add_voeu(demande=demande_a, auteur=teacher_a, version=0, voeu_type="COM", code="63300")
    assert Voeu.objects.filter(demande=demande_a).count() == 1


def test_refused_voeu_page_keeps_the_typed_code_and_says_why(demande_a: Demande, teacher_a: Agent, ref: Any) -> None:
    client = client_for(teacher_a)
    response = add(client, demande_a, "ETB", "0639999Z")
    assert response.status_code == 400
    page = text(response)
    assert "Aucun établissement ne porte le code UAI « 0639999Z »." in page
    assert 'value="0639999Z"' in page


def test_conflict_page_shows_the_current_list_and_the_message(demande_a: Demande, teacher_a: Agent, ref: Any) -> None:
    tab_1, tab_2 = client_for(teacher_a), client_for(teacher_a)
    add(tab_1, demande_a, "COM", "63113", version=0)
    response = add(tab_2, demande_a, "COM", "63300", version=0)
    assert response.status_code == 409
    page = text(response)
    assert "Votre liste a été modifiée dans un autre onglet" in page
    assert "Clermont-Ferrand" in page and 'name="version" value="1"' in page
    assert list(Voeu.objects.filter(demande=demande_a).values_list("commune__code_insee", flat=True)) == ["63113"]
