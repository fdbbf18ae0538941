"""Vœux on where one already is are refused by the add service, in French, and nothing is written."""

from __future__ import annotations

from typing import Any

import pytest

from accounts.models import Agent
from dossier.models import Dossier, Position
from siam.errors import VoeuInvalide
from siam.models import Campagne, Demande, DemandeVersion, Voeu
from siam.services.voeux import add_voeu
from tests.siam.conftest import add, client_for, text

pytestmark = pytest.mark.django_db


def nothing_written(demande: Demande) -> bool:
    demande.refresh_from_db(fields=["version"])
    return demande.version == 0 and not Voeu.objects.filter(demande=demande).exists()


def test_a_titulaire_asking_for_his_own_academie_at_the_inter_is_refused(
    inter: Campagne, teacher_a: Agent, ref: Any
) -> None:
    demande = Demande.objects.create(agent=teacher_a, campagne=inter)
    client = client_for(teacher_a)
    response = add(client, demande, "ACA", "CLERMONT")
    assert response.status_code == 400
    assert (
        "« Clermont-Ferrand » est votre académie actuelle : en tant que titulaire, vous n'avez pas à la demander. "
        "Si vous n'obtenez aucun de vos vœux, vous restez dans votre académie." in text(response)
    )
    assert nothing_written(demande)
    assert add(client, demande, "ACA", "LYON").status_code == 302  # another académie is fine


def test_a_stagiaire_may_ask_for_the_academie_of_his_stage(inter: Campagne, teacher_a: Agent, ref: Any) -> None:
    Dossier.objects.filter(agent=teacher_a).update(position=Position.STAGIAIRE, academie_stage=ref["academie"])
    demande = Demande.objects.create(agent=teacher_a, campagne=inter)
    voeu = add_voeu(demande=demande, auteur=teacher_a, version=0, voeu_type="ACA", code="CLERMONT")
    assert voeu.academie == ref["academie"]


def test_his_own_etablissement_at_the_intra_is_refused_under_the_code(demande_a: Demande, teacher_a: Agent) -> None:
    response = add(client_for(teacher_a), demande_a, "ETB", "0630018C")
    assert response.status_code == 400
    page = text(response)
    assert "« Lycée Blaise-Pascal — Clermont-Ferrand (0630018C) » est votre établissement actuel" in page
    assert "vous conservez votre poste" in page
    assert 'value="0630018C"' in page  # the typed code is kept in the form
    assert nothing_written(demande_a)
    assert not DemandeVersion.objects.filter(demande=demande_a).exists()


def test_the_zone_de_remplacement_one_holds_is_refused(demande_a: Demande, teacher_a: Agent, ref: Any) -> None:
    Dossier.objects.filter(agent=teacher_a).update(etablissement=None, zone_remplacement=ref["zr"])
    with pytest.raises(VoeuInvalide, match="« ZR063CLF — Clermont-Ferrand » est votre zone de remplacement actuelle"):
        add_voeu(demande=demande_a, auteur=teacher_a, version=0, voeu_type="ZRE", code="ZR063CLF")
    assert nothing_written(demande_a)
    # his commune, his département stay open: only the post itself is pointless
    add_voeu(demande=demande_a, auteur=teacher_a, version=0, voeu_type="COM", code="63113")


def test_a_type_the_campagne_does_not_open_is_refused_under_the_type(demande_a: Demande, teacher_a: Agent) -> None:
    Campagne.objects.filter(pk=demande_a.campagne_id).update(types_voeux=["ETB", "COM"])
    response = add(client_for(teacher_a), demande_a, "DPT", "063")
    # the form only offers the open types: the forged one is refused by the form, before the service
    assert response.status_code == 400 and "Sélectionnez un choix valide. DPT n’en fait pas partie." in text(response)
    with pytest.raises(VoeuInvalide, match="Les vœux de type « département » ne sont pas ouverts pour cette campagne"):
        add_voeu(demande=demande_a, auteur=teacher_a, version=0, voeu_type="DPT", code="063")
    assert nothing_written(demande_a)
