"""The one journal (lib.audit): who, when, what and why on an object, each app reading its own actions."""

from __future__ import annotations

import datetime

import time_machine
from django.contrib.auth.models import AnonymousUser

from accounts.models import Agent
from dossier.models import Dossier, DossierChange
from lib.audit import log_action
from lib.audit.models import LogEntry
from siam.models.bareme import BaremeChange, ObjetChange

NOON = datetime.datetime(2027, 1, 12, 11, 0, tzinfo=datetime.UTC)


def test_an_entry_keeps_who_when_what_and_why_on_its_object(rectorat: Agent, teacher_a: Agent) -> None:
    dossier = Dossier.objects.get(pk=teacher_a.pk)
    with time_machine.travel(NOON, tick=False):
        dossier.log_action(
            DossierChange.ACTION, auteur=rectorat, libelle="échelon", avant="6", apres="7", motif="Arrêté"
        )
    entry = LogEntry.objects.for_object(dossier).get()
    assert (entry.auteur, entry.date, entry.libelle, entry.avant, entry.apres, entry.motif) == (
        rectorat, NOON, "échelon", "6", "7", "Arrêté"
    )  # fmt: skip
    assert entry.content_object == dossier


def test_an_object_history_holds_only_its_own_entries(rectorat: Agent, teacher_a: Agent, teacher_b: Agent) -> None:
    mine, other = Dossier.objects.get(pk=teacher_a.pk), Dossier.objects.get(pk=teacher_b.pk)
    log_action(mine, DossierChange.ACTION, auteur=rectorat, libelle="échelon")
    log_action(other, DossierChange.ACTION, auteur=rectorat, libelle="grade")
    log_action(teacher_a, "securite.login", auteur=teacher_a)  # same pk, another kind of object
    assert [e.libelle for e in mine.logentries()] == ["échelon"]


def test_each_app_reads_only_its_own_actions(rectorat: Agent, teacher_a: Agent) -> None:
    dossier = Dossier.objects.get(pk=teacher_a.pk)
    log_action(dossier, DossierChange.ACTION, auteur=rectorat, libelle="échelon")
    log_action(dossier, ObjetChange.CORRECTION, auteur=rectorat, libelle="ligne corrigée")
    assert [c.libelle for c in DossierChange.objects.all()] == ["échelon"]
    assert [c.libelle for c in BaremeChange.objects.all()] == ["ligne corrigée"]
    assert LogEntry.objects.count() == 2


def test_an_anonymous_user_is_kept_as_nobody(teacher_a: Agent) -> None:
    entry = log_action(teacher_a, "securite.login_failed", auteur=AnonymousUser(), data={"identifiant": "fdupont"})
    assert entry.auteur is None and entry.info("identifiant") == "fdupont"
