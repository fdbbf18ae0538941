"""The correspondant's inbox: search (accents ignored, NUMEN, identifiant), non lu, discipline, paging."""

from __future__ import annotations

import html
import re
from typing import Any

import pytest

from accounts.models import Agent
from dossier.models import Discipline, Dossier
from iprof.courrier.models import CorrespondantGestion
from iprof.courrier.services import mark_read, start_conversation
from tests.factories import make_teacher
from tests.siam.conftest import client_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def inbox(rectorat: Agent, correspondant: CorrespondantGestion) -> dict[str, Any]:
    philo = Discipline.objects.create(code="L0100", libelle="Philosophie")
    helene = make_teacher("Hélène", "Lefèvre", numen="12E3456789ABC")
    Dossier.objects.filter(agent=helene).update(discipline=philo)
    start_conversation(agent=helene, sujet="Mon échelon", corps="Bonjour")
    for i in range(24):
        conversation = start_conversation(agent=make_teacher("Agent", f"Boite{i:02d}"), sujet=f"Objet {i}", corps="x")
        if i % 2:
            mark_read(messages=conversation.messages.all())
    return {"philo": philo, "helene": helene}


def subjects(staff: Any, **params: Any) -> list[str]:
    response = staff.get("/courrier/gestion/", params)
    assert response.status_code == 200
    return re.findall(r'/courrier/gestion/\d+/">([^<]+)</a>', html.unescape(response.content.decode()))


def test_search_finds_a_teacher_without_accents_or_by_numen(inbox: dict[str, Any], rectorat: Agent) -> None:
    staff = client_for(rectorat, staff=True)
    assert subjects(staff, q="lefevre") == ["Mon échelon"]
    assert subjects(staff, q="HELENE") == ["Mon échelon"]
    assert subjects(staff, q="12E3456789ABC") == ["Mon échelon"]
    assert subjects(staff, q=inbox["helene"].identifiant) == ["Mon échelon"]
    assert subjects(staff, q="Personne") == []


def test_filters_non_lu_and_discipline_then_pages_of_twenty(inbox: dict[str, Any], rectorat: Agent) -> None:
    staff = client_for(rectorat, staff=True)
    assert len(subjects(staff, non_lu="on")) == 13  # Hélène's and the 12 even ones
    assert subjects(staff, discipline=inbox["philo"].pk) == ["Mon échelon"]
    assert len(subjects(staff)) == 20 and len(subjects(staff, page=2)) == 5
    links = staff.get("/courrier/gestion/", {"q": "agent"}).content.decode()
    assert "q=agent&amp;page=2" in links  # the pages keep the filters
    assert len(subjects(staff, q="agent", page=2)) == 4  # 24 « Agent Boite.. »
    assert len(subjects(staff, discipline="not-a-number")) == 20  # an invalid filter is ignored


def test_a_teacher_may_not_open_the_inbox(inbox: dict[str, Any], teacher_a: Agent) -> None:
    assert client_for(teacher_a).get("/courrier/gestion/", {"q": "x"}).status_code == 403
