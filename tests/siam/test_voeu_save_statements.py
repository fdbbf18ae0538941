"""The vœu save writes its rows by fixed statements: they must name every column of their tables."""

from __future__ import annotations

import datetime
from typing import Any

from django.utils import timezone

from accounts.models import Agent
from siam.models import Demande, DemandeVersion, Voeu
from siam.services import demandes, voeux
from tests.siam.conftest import add, client_for


def columns(model: Any) -> set[str]:
    return {field.column for field in model._meta.concrete_fields if not field.primary_key}


def test_the_insert_of_a_new_voeu_names_every_column_of_the_voeu_table() -> None:
    assert set(voeux._VOEU_COLUMNS) == columns(Voeu)
    assert all(f'"{column}"' in voeux._INSERT_VOEU for column in columns(Voeu))


def test_the_insert_of_a_history_row_names_every_column_of_the_version_table() -> None:
    assert all(f'"{column}"' in demandes._INSERT_VERSION for column in columns(DemandeVersion))


def test_an_added_voeu_and_its_history_row_are_what_the_orm_reads_back(demande_a: Demande, teacher_a: Agent) -> None:
    client = client_for(teacher_a)
    before = timezone.now()
    response = add(client, demande_a, "ETB", "0631018P", filtre="TOUT")
    assert response.status_code == 302
    voeu = Voeu.objects.select_related("etablissement").get(demande=demande_a)
    assert response["Location"].endswith(f"?ajout={voeu.pk}#voeu-{voeu.pk}")
    assert voeu.etablissement is not None
    assert (voeu.rang, voeu.type, voeu.filtre, voeu.etablissement.uai) == (1, "ETB", "TOUT", "0631018P")
    assert (voeu.commune_id, voeu.groupement_id, voeu.departement_id, voeu.academie_id) == (None, None, None, None)
    history = DemandeVersion.objects.get(demande=demande_a)
    assert (history.version, history.auteur_id) == (1, teacher_a.pk)
    assert history.action == "Ajout du vœu n° 1\u00a0: Collège Albert-Camus — Clermont-Ferrand (0631018P)"
    assert before <= history.date <= timezone.now() + datetime.timedelta(seconds=1)
    assert history.contenu["voeux"][0]["code"] == "0631018P"
