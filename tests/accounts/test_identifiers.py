from __future__ import annotations

import threading

import pytest
from django.db import connection

from accounts.identifiers import base_identifier, first_free
from accounts.models import Agent


@pytest.mark.parametrize(
    ("prenom", "nom", "expected"),
    [
        ("Frédéric", "Dupont", "fdupont"),
        ("Frédéric", "DUPONT", "fdupont"),
        ("Élodie", "D'Artagnan", "edartagnan"),
        ("Jean-Pierre", "Le Goff", "jlegoff"),
        ("Œdipe", "Cœurdevey", "ocoeurdevey"),
        ("Ægidius", "Lætitia", "alaetitia"),
        ("Çédric", "Garçon", "cgarcon"),
        ("Anne", "de la Fontaine", "adelafontaine"),
        ("Ève", "Müller-Schmidt", "emullerschmidt"),
        ("  Luc ", " N’Diaye ", "lndiaye"),
    ],
)
def test_base_identifier_folds_accents_ligatures_and_punctuation(prenom: str, nom: str, expected: str) -> None:
    assert base_identifier(prenom, nom) == expected


@pytest.mark.parametrize(("prenom", "nom"), [("", "Dupont"), ("Luc", "--"), ("123", "Dupont")])
def test_base_identifier_refuses_names_without_letters(prenom: str, nom: str) -> None:
    with pytest.raises(ValueError, match="au moins une lettre"):
        base_identifier(prenom, nom)


@pytest.mark.parametrize(
    ("taken", "expected"),
    [(set(), "fdupont"), ({"fdupont"}, "fdupont1"), ({"fdupont", "fdupont1"}, "fdupont2"), ({"fdupont1"}, "fdupont")],
)
def test_first_free_takes_the_first_unused_number(taken: set[str], expected: str) -> None:
    assert first_free("fdupont", taken) == expected


@pytest.mark.django_db
def test_homonyms_get_numbered_identifiers() -> None:
    ids = [Agent.objects.create_user(nom="Dupont", prenom=p).identifiant for p in ("Frédéric", "François", "Fanny")]
    assert ids == ["fdupont", "fdupont1", "fdupont2"]


@pytest.mark.django_db
def test_identifier_of_another_family_name_is_not_counted_as_homonym() -> None:
    Agent.objects.create_user(nom="Dupontel", prenom="Fabien")
    assert Agent.objects.create_user(nom="Dupont", prenom="Frédéric").identifiant == "fdupont"


@pytest.mark.django_db(transaction=True)
def test_concurrent_homonyms_never_share_an_identifier() -> None:
    barrier = threading.Barrier(6)
    errors: list[BaseException] = []

    def create(i: int) -> None:
        try:
            barrier.wait()
            Agent.objects.create_user(nom="Dupont", prenom=f"Fred{i}")
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=create, args=(i,)) for i in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    ids = sorted(Agent.objects.values_list("identifiant", flat=True))
    assert ids == ["fdupont", "fdupont1", "fdupont2", "fdupont3", "fdupont4", "fdupont5"]


@pytest.mark.django_db
def test_admin_creation_assigns_the_identifier(client, django_user_model) -> None:
    from tests.factories import enrol_totp

    admin = django_user_model.objects.create_superuser("admin", "x-very-long-password-1")
    enrol_totp(admin)
    client.force_login(admin)
    response = client.post(
        "/admin/accounts/agent/add/",
        {"civilite": "M", "nom": "Le Goff", "nom_famille": "", "prenom": "Jean-Pierre", "numen": "", "email": ""},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    agent = Agent.objects.get(nom="Le Goff")
    assert agent.identifiant == "jlegoff"
    assert not agent.has_usable_password()
