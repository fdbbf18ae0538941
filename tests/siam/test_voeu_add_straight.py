"""The add of a vœu goes straight to the version bump, scoped to the asker's demande, without reading the demande
first (siam.views.voeux._added_straight). Whatever that attempt cannot finish is answered as before, from the
demande read: these tests hold the answers that must not change, and prove the attempt changed nothing."""

from __future__ import annotations

from typing import Any

from accounts.models import Agent
from siam.models import Campagne, Demande, DemandeVersion, EtatDemande, Voeu
from tests.siam.conftest import client_for, text


def _state(demande: Demande) -> tuple[Any, ...]:
    demande.refresh_from_db()
    voeux = list(Voeu.objects.filter(demande=demande).values_list("rang", "type", "commune_id", "academie_id"))
    return demande.version, demande.modifiee_le, voeux, DemandeVersion.objects.filter(demande=demande).count()


def _post(client: Any, demande: Demande, **data: Any) -> Any:
    return client.post(f"/siam/demandes/{demande.pk}/voeux/ajouter/", {"filtre": "TOUT", **data})


def test_another_teachers_demande_is_a_404_and_is_left_as_it_was(
    demande_a: Demande, teacher_b: Agent, demande_b: Demande
) -> None:
    before = _state(demande_a)
    # B sends exactly what A's page would send: the right version, a valid vœu
    response = _post(client_for(teacher_b), demande_a, type="COM", code="63113", version=demande_a.version)
    assert response.status_code == 404
    assert _state(demande_a) == before
    assert not Voeu.objects.filter(demande=demande_b).exists()


def test_a_type_the_campagne_does_not_open_is_the_form_s_error(inter: Campagne, teacher_a: Agent) -> None:
    demande = Demande.objects.create(agent=teacher_a, campagne=inter)  # the inter opens académies only
    before = _state(demande)
    response = _post(client_for(teacher_a), demande, type="COM", code="63113", version=0)
    assert response.status_code == 400
    assert "Sélectionnez un choix valide" in text(response)
    assert _state(demande) == before


def test_another_tab_s_change_is_the_conflict_and_changes_nothing(demande_a: Demande, teacher_a: Agent) -> None:
    client = client_for(teacher_a)
    assert _post(client, demande_a, type="COM", code="63113", version=0).status_code == 302
    before = _state(demande_a)
    response = _post(client, demande_a, type="COM", code="63300", version=0)  # the page read before the first add
    assert response.status_code == 409
    assert "modifiée dans un autre onglet" in text(response)
    assert _state(demande_a) == before


def test_a_closed_demande_says_why(demande_a: Demande, teacher_a: Agent) -> None:
    Demande.objects.filter(pk=demande_a.pk).update(etat=EtatDemande.CLOSE_INTER)
    before = _state(demande_a)
    response = _post(client_for(teacher_a), demande_a, type="COM", code="63113", version=0)
    assert response.status_code == 403
    assert "Votre demande est close" in text(response)
    assert "modifiée dans un autre onglet" not in text(response)
    assert _state(demande_a) == before


def test_a_refused_voeu_keeps_its_field_error(demande_a: Demande, teacher_a: Agent) -> None:
    before = _state(demande_a)
    response = _post(client_for(teacher_a), demande_a, type="COM", code="69123", version=0)  # Lyon: another académie
    assert response.status_code == 400
    assert "n'appartient pas à l'académie de" in text(response)
    assert response.context["code_form"].errors["code"]
    assert _state(demande_a) == before


def test_the_straight_add_lands_where_the_full_one_does(demande_a: Demande, teacher_a: Agent) -> None:
    response = _post(client_for(teacher_a), demande_a, type="COM", code="63113", version=0)
    voeu = Voeu.objects.get(demande=demande_a)
    assert response.status_code == 302
    assert response["Location"] == f"/siam/demandes/{demande_a.pk}/voeux/?ajout={voeu.pk}#voeu-{voeu.pk}"
    demande_a.refresh_from_db()
    assert (voeu.rang, demande_a.version) == (1, 1)
    assert DemandeVersion.objects.get(demande=demande_a).version == 1
