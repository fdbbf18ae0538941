"""Votre CV: add, edit, delete, reorder entries; contact; validation; nobody else's entries."""

from __future__ import annotations

import datetime
import html
from typing import Any

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from accounts.models import Agent
from dossier.models import CVContact, CVEntry
from tests.dossier.conftest import form_data

NOW = datetime.datetime(2026, 11, 27, 10, 0, tzinfo=datetime.UTC)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _frozen_time() -> Any:
    with time_machine.travel(NOW, tick=False):
        yield


def entry(agent: Agent, titre: str, section: str = "langue", ordre: int = 0) -> CVEntry:
    return CVEntry.objects.create(agent=agent, section=section, titre=titre, ordre=ordre)


def titles(agent: Agent, section: str = "langue") -> list[str]:
    return list(
        CVEntry.objects.filter(agent=agent, section=section).order_by("ordre", "id").values_list("titre", flat=True)
    )


# --- happy paths ------------------------------------------------------------------------


def test_cv_page_lists_every_section_and_the_entries_in_order(client_a: Client, teacher_a: Agent) -> None:
    entry(teacher_a, "Anglais C1", ordre=1)
    entry(teacher_a, "Allemand B2", ordre=0)
    body = client_a.get(reverse("dossier:cv")).content.decode()
    for label in ("Formations", "Diplômes et titres", "Activités professionnelles", "Compétences", "Langues"):
        assert f">{label}</h2>" in body
    assert ">Participation à des jurys</h2>" in body and ">Publications</h2>" in body
    assert body.index("Allemand B2") < body.index("Anglais C1")


def test_add_puts_the_entry_at_the_end_of_its_section(client_a: Client, teacher_a: Agent) -> None:
    entry(teacher_a, "Allemand B2")
    response = client_a.post(
        reverse("dossier:cv-add"),
        form_data(titre="  Anglais   C1 ", date_debut="2010-09-01", date_fin="2012-06-30"),
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("dossier:cv") + "#cv-langue"
    assert titles(teacher_a) == ["Allemand B2", "Anglais C1"]
    added = CVEntry.objects.get(titre="Anglais C1")
    assert (added.date_debut, added.date_fin) == (datetime.date(2010, 9, 1), datetime.date(2012, 6, 30))


def test_add_form_preselects_the_section_of_the_link(client_a: Client) -> None:
    body = client_a.get(reverse("dossier:cv-add") + "?section=jury").content.decode()
    assert '<option value="jury" selected>' in body


def test_edit_changes_the_entry_and_a_new_section_puts_it_last(client_a: Client, teacher_a: Agent) -> None:
    moved = entry(teacher_a, "Jury du baccalauréat", section="langue")  # the older row: first by id
    entry(teacher_a, "Jury du CAPES", section="jury")
    response = client_a.post(
        reverse("dossier:cv-edit", args=[moved.pk]), form_data(section="jury", titre="Jury du bac")
    )
    assert response.status_code == 302
    assert titles(teacher_a, "jury") == ["Jury du CAPES", "Jury du bac"]
    places = CVEntry.objects.filter(agent=teacher_a, section="jury").order_by("ordre").values_list("ordre", flat=True)
    assert list(places) == [0, 1]  # two places, not the moved entry's old place shared with the first


def test_delete_asks_then_deletes(client_a: Client, teacher_a: Agent) -> None:
    doomed = entry(teacher_a, "Espagnol A2")
    confirm = client_a.get(reverse("dossier:cv-delete", args=[doomed.pk]))
    assert "Supprimer « Espagnol A2 » ?" in html.unescape(confirm.content.decode())
    assert CVEntry.objects.filter(pk=doomed.pk).exists()
    response = client_a.post(reverse("dossier:cv-delete", args=[doomed.pk]))
    assert response.status_code == 302
    assert not CVEntry.objects.filter(pk=doomed.pk).exists()


def test_move_up_and_down_swap_neighbours_within_the_section(client_a: Client, teacher_a: Agent) -> None:
    a, _b, c = (entry(teacher_a, t, ordre=i) for i, t in enumerate(["A", "B", "C"]))
    entry(teacher_a, "Other section", section="jury")
    assert client_a.post(reverse("dossier:cv-move-up", args=[c.pk])).status_code == 302
    assert titles(teacher_a) == ["A", "C", "B"]
    client_a.post(reverse("dossier:cv-move-down", args=[a.pk]))
    assert titles(teacher_a) == ["C", "A", "B"]
    assert titles(teacher_a, "jury") == ["Other section"]


def test_moving_past_either_end_changes_nothing_and_says_so(client_a: Client, teacher_a: Agent) -> None:
    first, last = entry(teacher_a, "A", ordre=0), entry(teacher_a, "B", ordre=1)
    response = client_a.post(reverse("dossier:cv-move-up", args=[first.pk]), follow=True)
    assert "est déjà à cette extrémité" in html.unescape(response.content.decode())
    client_a.post(reverse("dossier:cv-move-down", args=[last.pk]))
    assert titles(teacher_a) == ["A", "B"]


def test_moving_repairs_duplicate_order_values(client_a: Client, teacher_a: Agent) -> None:
    *_first, c = (entry(teacher_a, t, ordre=0) for t in ["A", "B", "C"])
    client_a.post(reverse("dossier:cv-move-up", args=[c.pk]))
    assert titles(teacher_a) == ["A", "C", "B"]
    assert sorted(CVEntry.objects.filter(agent=teacher_a).values_list("ordre", flat=True)) == [0, 1, 2]


def test_contact_is_saved_and_shown(client_a: Client, teacher_a: Agent) -> None:
    response = client_a.post(
        reverse("dossier:cv-contact"), {"email": "f.dupont@ac-clermont.fr", "telephone": "04 73 99 30 00"}
    )
    assert response.status_code == 302
    contact = CVContact.objects.get(agent=teacher_a)
    assert (contact.email, contact.telephone) == ("f.dupont@ac-clermont.fr", "04 73 99 30 00")
    assert "04 73 99 30 00" in client_a.get(reverse("dossier:cv")).content.decode()


# --- validation -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("overrides", "error"),
    [
        ({"titre": ""}, "Ce champ est obligatoire."),
        ({"titre": "x" * 201}, "au plus 200 caractères"),
        ({"description": "x" * 2001}, "au plus 2000 caractères"),
        ({"section": "inconnue"}, "Sélectionnez un choix valide"),
        ({"date_debut": "2020-09-01", "date_fin": "2019-06-30"}, "La date de fin doit être postérieure ou égale"),
        ({"date_debut": "2027-01-01"}, "La date de début ne peut pas être dans le futur."),
        ({"section": "diplome", "date_fin": "2027-06-30"}, "la date ne peut pas être dans le futur"),
        ({"date_debut": "1900-01-01"}, "Cette date est trop ancienne"),
        ({"date_debut": "31/02/2020"}, "Saisissez une date valide."),
    ],
)
def test_invalid_entries_are_refused_with_a_french_message_and_nothing_is_written(
    client_a: Client, overrides: dict[str, str], error: str
) -> None:
    response = client_a.post(reverse("dossier:cv-add"), form_data(**overrides))
    assert response.status_code == 200
    assert error in html.unescape(response.content.decode())
    assert not CVEntry.objects.exists()


def test_an_activity_may_end_in_the_future(client_a: Client) -> None:
    response = client_a.post(
        reverse("dossier:cv-add"), form_data(section="activite", date_debut="2024-09-01", date_fin="2027-08-31")
    )
    assert response.status_code == 302


def test_invalid_edit_leaves_the_entry_unchanged(client_a: Client, teacher_a: Agent) -> None:
    kept = entry(teacher_a, "Anglais C1")
    response = client_a.post(
        reverse("dossier:cv-edit", args=[kept.pk]),
        form_data(titre="Changed", date_debut="2020-01-01", date_fin="2019-01-01"),
    )
    assert response.status_code == 200
    kept.refresh_from_db()
    assert kept.titre == "Anglais C1"


def test_invalid_phone_is_refused(client_a: Client, teacher_a: Agent) -> None:
    response = client_a.post(reverse("dossier:cv-contact"), {"email": "pas-une-adresse", "telephone": "abc"})
    body = html.unescape(response.content.decode())
    assert "Saisissez une adresse de courriel valide." in body
    assert "Saisissez un numéro de téléphone" in body
    assert not CVContact.objects.exists()


# --- nobody else's CV -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("method", "name"),
    [
        ("get", "dossier:cv-edit"),
        ("post", "dossier:cv-edit"),
        ("get", "dossier:cv-delete"),
        ("post", "dossier:cv-delete"),
        ("post", "dossier:cv-move-up"),
        ("post", "dossier:cv-move-down"),
    ],
)
def test_another_teachers_entry_is_404_and_untouched(
    client_b: Client, teacher_a: Agent, method: str, name: str
) -> None:
    theirs = entry(teacher_a, "Anglais C1")
    response = getattr(client_b, method)(reverse(name, args=[theirs.pk]), form_data(titre="Pirated"))
    assert response.status_code == 404
    theirs.refresh_from_db()
    assert theirs.titre == "Anglais C1"


@pytest.mark.parametrize("name", ["dossier:cv-move-up", "dossier:cv-move-down"])
def test_moves_refuse_get(client_a: Client, teacher_a: Agent, name: str) -> None:
    mine = entry(teacher_a, "Anglais C1")
    assert client_a.get(reverse(name, args=[mine.pk])).status_code == 405


def test_delete_refuses_put(client_a: Client, teacher_a: Agent) -> None:
    mine = entry(teacher_a, "Anglais C1")
    assert client_a.put(reverse("dossier:cv-delete", args=[mine.pk])).status_code == 405


@pytest.mark.parametrize(
    ("name", "with_pk"),
    [
        ("dossier:cv-add", False),
        ("dossier:cv-edit", True),
        ("dossier:cv-delete", True),
        ("dossier:cv-move-up", True),
        ("dossier:cv-contact", False),
        ("dossier:signaler", False),
    ],
)
def test_posts_without_csrf_token_are_refused(
    csrf_client_a: Client, teacher_a: Agent, name: str, with_pk: bool
) -> None:
    mine = entry(teacher_a, "Anglais C1")
    entry(teacher_a, "Allemand B2", ordre=1)
    url = reverse(name, args=[mine.pk]) if with_pk else reverse(name)
    response = csrf_client_a.post(url, form_data(titre="Changed", rubrique="carriere", message="Un long message ici."))
    assert response.status_code == 403
    assert titles(teacher_a) == ["Anglais C1", "Allemand B2"]
