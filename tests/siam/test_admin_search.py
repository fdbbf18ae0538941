"""Staff find a teacher by NUMEN, identifiant, nom without minding accents, or établissement.

The __unaccent search fields use PostgreSQL unaccent (dossier 0003), applied to the term as well (bilateral).
"""

from __future__ import annotations

from typing import Any

import pytest

from accounts.models import Agent
from siam.models import Campagne, Demande
from tests.factories import make_teacher
from tests.siam.conftest import client_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def cast(intra: Campagne) -> dict[str, Agent]:
    people = {
        "helene": make_teacher("Hélène", "Lefèvre", numen="12E3456789ABC"),
        "heloise": make_teacher("Héloïse", "Œuvray"),
        "marc": make_teacher("Marc", "Durand", numen="99X0000000XYZ"),
    }
    for agent in people.values():
        Demande.objects.create(agent=agent, campagne=intra)
    return people


def found(staff: Any, url: str, q: str) -> set[str]:
    response = staff.get(url, {"q": q})
    assert response.status_code == 200
    return {str(getattr(row, "agent", row).nom) for row in response.context["cl"].result_list}


@pytest.mark.parametrize(
    ("q", "noms"),
    [
        ("lefevre", {"Lefèvre"}),
        ("LEFÈVRE", {"Lefèvre"}),
        ("helene", {"Lefèvre"}),
        ("Hél", {"Lefèvre", "Œuvray"}),
        ("oeuvray", {"Œuvray"}),
        ("12E3456789ABC", {"Lefèvre"}),
        ("12E3456789AB", set()),  # NUMEN and identifiant are matched whole
    ],
)
def test_demandes_and_agents_are_found_without_minding_accents(
    cast: dict[str, Agent], rectorat: Agent, q: str, noms: set[str]
) -> None:
    staff = client_for(rectorat, staff=True)
    assert found(staff, "/admin/siam/demande/", q) == noms
    assert found(staff, "/admin/accounts/agent/", q) == noms


def test_a_demande_is_found_by_identifiant_and_by_etablissement(cast: dict[str, Agent], rectorat: Agent) -> None:
    staff = client_for(rectorat, staff=True)
    assert found(staff, "/admin/siam/demande/", cast["marc"].identifiant) == {"Durand"}
    etablissement = cast["marc"].dossier.etablissement
    assert etablissement is not None
    uai = etablissement.uai
    assert found(staff, "/admin/siam/demande/", uai) == {"Lefèvre", "Œuvray", "Durand"}
    assert found(staff, "/admin/siam/demande/", "0000000X") == set()
