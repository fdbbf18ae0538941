"""The add of a vœu goes straight to the version bump, scoped to the asker's demande, without reading the demande
first (siam.views.voeux._added_straight). Whatever that attempt cannot finish is answered as before, from the
demande read: these tests hold the answers that must not change, and prove the attempt changed nothing."""

from __future__ import annotations

from typing import Any

import pytest
from django.http import QueryDict
from hypothesis import given, settings
from hypothesis import strategies as st

from accounts.models import Agent
from siam.forms import VoeuCodeForm, plain_voeu_code
from siam.models import Campagne, CampagneKind, Demande, DemandeVersion, EtatDemande, TypeVoeu, Voeu
from tests.properties import examples
from tests.siam.conftest import client_for, text

# --- plain_voeu_code reads what the form reads, or leaves it to the form ---------------------------------------
EVERY_TYPE = Campagne(kind=CampagneKind.INTRA, types_voeux=list(TypeVoeu.values))
FIELDS = ("version", "type", "code", "filtre", "rang")
NUL = "\x00"


def _query(data: dict[str, list[str]]) -> QueryDict:
    query = QueryDict(mutable=True)
    for key, values in data.items():
        query.setlist(key, values)
    return query


def _same_as_the_form(data: dict[str, list[str]]) -> dict[str, Any] | None:
    plain = plain_voeu_code(_query(data))
    form = VoeuCodeForm(_query(data), campagne=EVERY_TYPE)
    if plain is not None:
        assert form.is_valid(), (data, form.errors)
        assert plain == form.cleaned_data, data
    return plain


PAGE = {"version": ["3"], "type": ["COM"], "code": ["63113"], "filtre": ["TOUT"]}


@pytest.mark.parametrize(
    ("changes", "plain"),
    [
        ({}, True),  # what the page sends
        ({"code": ["0631018p"]}, True),  # typed in lower case: upper-cased, as the form does
        ({"filtre": [""]}, True),
        ({"filtre": []}, True),
        ({"rang": ["4"]}, True),  # « Annuler » after a removal
        ({"rang": ["99"]}, True),
        ({"rang": [""]}, True),
        ({"version": ["007"]}, True),
        ({"type": ["ETB", "COM"]}, True),  # a key sent twice: the last value, as the form's widgets read it
        ({"rang": ["0"]}, False),
        ({"rang": ["100"]}, False),
        ({"rang": ["-1"]}, False),
        ({"version": ["-1"]}, False),
        ({"version": ["+3"]}, False),  # valid for the form: left to it
        ({"version": ["3.0"]}, False),
        ({"version": [" 3 "]}, False),
        ({"version": ["\uff13"]}, False),  # a full-width digit
        ({"version": [""]}, False),
        ({"version": []}, False),
        ({"type": ["com"]}, False),
        ({"type": ["XXX"]}, False),
        ({"code": [" 63113 "]}, False),
        ({"code": [f"631{NUL}13"]}, False),
        ({"code": ["A" * 21]}, False),
        ({"code": ["A" * 20]}, True),
        ({"code": [""]}, False),
        ({"code": ["63-113"]}, False),
        ({"filtre": ["LYC"]}, True),
        ({"filtre": ["lyc"]}, False),
    ],
)
def test_plain_voeu_code_reads_the_page_s_submission_as_the_form_does(
    changes: dict[str, list[str]], plain: bool
) -> None:
    data = {k: v for k, v in {**PAGE, **changes}.items() if v}
    assert (_same_as_the_form(data) is not None) is plain


_TOKENS = st.sampled_from(
    ["", "0", "1", "3", "07", "99", "100", "-1", "+2", "2.0", " 5", "\uff15", "ETB", "COM", "com", "ACA", "TOUT",
     "LYC", "CLG", "63113", "0631018p", "A" * 20, "A" * 21, f"6{NUL}3", "é", "ZR063CLF"]
)  # fmt: skip
_VALUES = st.lists(st.one_of(_TOKENS, st.text(max_size=22)), min_size=0, max_size=2)


@settings(max_examples=examples(500))
@given(st.fixed_dictionaries({}, optional=dict.fromkeys(FIELDS, _VALUES)))
def test_whatever_plain_voeu_code_reads_the_form_reads_the_same(data: dict[str, list[str]]) -> None:
    _same_as_the_form({k: v for k, v in data.items() if v})


# --- the add itself -------------------------------------------------------------------------------------------


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
