"""The dossier's history is written by the dossier service, whoever calls it: here plain Python, as the shell."""

from __future__ import annotations

import datetime

import pytest

from accounts.models import Agent
from dossier.models import Dossier, DossierChange, Enfant
from dossier.services.dossiers import save_dossier, save_rows

pytestmark = pytest.mark.django_db


def entries(dossier: Dossier) -> list[tuple[str, str, str, str, str]]:
    rows = DossierChange.objects.for_object(dossier).select_related("auteur").order_by("pk")
    return [(c.libelle, str(c.avant), str(c.apres), c.motif, str(c.auteur)) for c in rows]


def test_a_change_made_from_the_shell_is_in_the_dossier_history(teacher_a: Agent, rectorat: Agent) -> None:
    dossier = Dossier.objects.get(agent=teacher_a)
    dossier.echelon = 8
    dossier.telephone = "04 73 00 00 00"
    n = save_dossier(dossier=dossier, auteur=rectorat, motif="Arrêté d'avancement du 10 mars 2027")
    assert n == 2
    assert sorted(entries(dossier)) == [
        ("téléphone", "", "04 73 00 00 00", "Arrêté d'avancement du 10 mars 2027", str(rectorat)),
        ("échelon", "7", "8", "Arrêté d'avancement du 10 mars 2027", str(rectorat)),
    ]
    assert Dossier.objects.get(pk=dossier.pk).echelon == 8


def test_saving_an_unchanged_dossier_writes_no_history(teacher_a: Agent, rectorat: Agent) -> None:
    dossier = Dossier.objects.get(agent=teacher_a)
    assert save_dossier(dossier=dossier, auteur=rectorat, motif="Relecture") == 0
    assert entries(dossier) == []


def test_rows_added_changed_and_deleted_from_the_shell_are_in_the_history(teacher_a: Agent, rectorat: Agent) -> None:
    dossier = Dossier.objects.get(agent=teacher_a)
    old = Enfant.objects.create(dossier=dossier, prenom="Léa", date_naissance=datetime.date(2015, 4, 2))
    gone = Enfant.objects.create(dossier=dossier, prenom="Tom", date_naissance=datetime.date(2012, 1, 9))
    old.prenom = "Léane"
    new = Enfant(dossier=dossier, prenom="Zoé", date_naissance=datetime.date(2024, 6, 1))
    save_rows(dossier=dossier, auteur=rectorat, motif="Livret de famille", added=[new], changed=[(old, ["prenom"])],
              deleted=[gone])  # fmt: skip
    assert sorted((libelle, avant, apres) for libelle, avant, apres, _m, _a in entries(dossier)) == [
        ("ajout — enfant", "", "Zoé (01/06/2024)"),
        ("enfant — prénom", "Léa", "Léane"),
        ("suppression — enfant", "Tom (09/01/2012)", ""),
    ]
    assert sorted(Enfant.objects.filter(dossier=dossier).values_list("prenom", flat=True)) == ["Léane", "Zoé"]
