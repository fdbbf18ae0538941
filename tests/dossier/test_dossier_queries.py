"""The dossier, CV and perspectives pages run a fixed number of queries, whatever the length of the histories."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
import time_machine
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import Agent
from tests.dossier.conftest import add_cv_entries, add_histories

MAX_QUERIES = {
    # session, user, the dossier with its five histories in one row, courrier badge
    # (the banner is the dossier's own grade and discipline: no query)
    "dossier:dossier": 4,
    # session, user, entries, contact, courrier badge, banner
    "dossier:cv": 6,
    # session, user, dossier, grades + durations + conditions of the corps, affectations, history, courrier badge, banner
    "dossier:perspectives": 10,
}

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _frozen_time() -> Any:
    with time_machine.travel(datetime.datetime(2026, 11, 27, 10, 0, tzinfo=datetime.UTC), tick=False):
        yield


def count(client: Client, name: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(reverse(name)).status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize("name", list(MAX_QUERIES))
def test_query_count_does_not_grow_with_the_histories(
    client_a: Client, teacher_a: Agent, grid: Any, django_assert_max_num_queries: Any, name: str
) -> None:
    client_a.get(reverse(name))  # warm-up: the first request of a session also touches the session row
    short = count(client_a, name)
    add_histories(teacher_a, echelons=40, affectations=30, rows=25)
    add_cv_entries(teacher_a, 30)
    with django_assert_max_num_queries(MAX_QUERIES[name]):
        response = client_a.get(reverse(name))
    assert response.status_code == 200
    assert count(client_a, name) == short


def test_long_histories_are_all_shown(client_a: Client, teacher_a: Agent, grid: Any) -> None:
    add_histories(teacher_a, echelons=40, affectations=30, rows=25)
    add_cv_entries(teacher_a, 30)
    dossier = client_a.get(reverse("dossier:dossier")).content.decode()
    assert dossier.count('<tr><td class="iprof-nowrap">') >= 40 + 30
    cv = client_a.get(reverse("dossier:cv")).content.decode()
    assert cv.count('data-testid="cv-entry"') == 30
