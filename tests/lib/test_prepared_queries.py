"""lib.queries.Prepared: a queryset compiled once, run with other values, gives what the ORM gives.

And the four reads every page makes (session, user, banner, unread count) go through it: a second page
compiles none of them again (issue 14: compiling is most of a query's cost in Python).
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from django.contrib.sessions.models import Session
from django.core.exceptions import ImproperlyConfigured
from django.db import connection
from django.db.models import Count
from django.db.models.sql.compiler import SQLCompiler
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts.models import Agent
from dossier.models import Dossier
from iprof.courrier.services import post_courrier
from lib.audit import log_action
from lib.audit.models import LogEntry
from lib.queries import Prepared

SAMPLE = -7_340_227_219


@contextmanager
def compilations() -> Iterator[list[str]]:
    """Every SQL the ORM compiles meanwhile (an observer on SQLCompiler.as_sql, the ORM itself runs)."""
    seen: list[str] = []
    original = SQLCompiler.as_sql

    def observed(self: SQLCompiler, *args: Any, **kwargs: Any) -> Any:
        result = original(self, *args, **kwargs)
        seen.append(result[0])
        return result

    SQLCompiler.as_sql = observed  # type: ignore[method-assign]
    try:
        yield seen
    finally:
        SQLCompiler.as_sql = original  # type: ignore[method-assign]


def test_rows_are_the_orms_rows_converters_included(teacher_a: Agent, teacher_b: Agent) -> None:
    for agent, data in ((teacher_a, {"a": [1, "é"]}), (teacher_b, {"b": None})):
        log_action(agent, "test", data=data, avant={"x": 1})
    by_object = Prepared(
        lambda pk: LogEntry.objects.filter(object_id=pk).values_list("object_id", "data", "avant").order_by("pk"),
        SAMPLE,
    )
    for agent in (teacher_a, teacher_b):  # JSON decoded as the ORM decodes it, for each value in turn
        expected = list(
            LogEntry.objects.filter(object_id=agent.pk).values_list("object_id", "data", "avant").order_by("pk")
        )
        assert by_object.rows(agent.pk) == expected
    assert by_object.rows(teacher_a.pk)[0][1] == {"a": [1, "é"]}


def test_instances_are_the_orms_instances(teacher_a: Agent, teacher_b: Agent) -> None:
    by_pk = Prepared(lambda pk: Agent.objects.filter(pk=pk), SAMPLE)
    for agent in (teacher_a, teacher_b):
        (found,) = by_pk.instances(agent.pk)
        loaded = Agent.objects.get(pk=agent.pk)
        assert [getattr(found, f.attname) for f in Agent._meta.concrete_fields] == [
            getattr(loaded, f.attname) for f in Agent._meta.concrete_fields
        ]
        assert not found._state.adding and found._state.db == "default"
    assert by_pk.instances(0) == []


def test_several_parameters_each_take_their_place(teacher_a: Agent) -> None:
    post_courrier(recipients=[teacher_a.pk], sujet="Un", corps="Bonjour.", key="prepared-1")  # type: ignore[arg-type]
    in_window = Prepared(
        lambda pk, since: LogEntry.objects.filter(object_id=pk, date__gte=since).values_list("action"),
        SAMPLE,
        datetime.datetime(1901, 2, 3, tzinfo=datetime.UTC),
    )
    log_action(teacher_a, "fenetre")
    now = timezone.now()
    assert ("fenetre",) in in_window.rows(teacher_a.pk, now - datetime.timedelta(minutes=1))
    assert in_window.rows(teacher_a.pk, now + datetime.timedelta(minutes=1)) == []


def test_the_sql_is_compiled_once_and_run_with_the_new_values(teacher_a: Agent, teacher_b: Agent) -> None:
    by_pk = Prepared(lambda pk: Agent.objects.filter(pk=pk).values_list("identifiant"), SAMPLE)
    by_pk.rows(teacher_a.pk)
    with compilations() as compiled, CaptureQueriesContext(connection) as ran:
        assert by_pk.rows(teacher_b.pk) == [(teacher_b.identifiant,)]
    assert compiled == []
    assert len(ran.captured_queries) == 1 and str(teacher_b.pk) in ran.captured_queries[0]["sql"]


def test_count_counts(teacher_a: Agent, teacher_b: Agent) -> None:
    for i in range(3):
        log_action(teacher_a, "compte", data={"i": i})
    count = Prepared(lambda pk: LogEntry.objects.filter(object_id=pk, action="compte"), SAMPLE, count=True)
    assert count.count(teacher_a.pk) == 3
    assert count.count(teacher_b.pk) == 0


def test_a_sample_the_orm_transforms_is_refused(db: None) -> None:
    contains = Prepared(lambda word: Agent.objects.filter(nom__contains=word).values_list("pk"), "\x00échantillon")
    with pytest.raises(ImproperlyConfigured, match="not all parameters"):
        contains.rows("DUPONT")


def test_select_related_objects_and_annotations_are_the_orms(teacher_a: Agent, teacher_b: Agent) -> None:
    def build(pk: int) -> Any:
        return (
            Dossier.objects.filter(agent_id=pk)
            .select_related("agent", "grade", "etablissement__commune__departement", "conjoint_commune")
            .annotate(nb_enfants=Count("enfants"))
        )

    prepared = Prepared(build, SAMPLE)
    for agent in (teacher_a, teacher_b):
        (found,) = prepared.instances(agent.pk)
        with CaptureQueriesContext(connection) as ran:  # the related rows came with the row: no query
            assert found.agent.pk and found.grade.pk and found.etablissement.commune.departement.pk
            assert found.conjoint_commune is None or found.conjoint_commune.pk
        assert ran.captured_queries == []
        loaded = build(agent.pk).get()
        for a, b in (
            (found, loaded),
            (found.agent, loaded.agent),
            (found.grade, loaded.grade),
            (found.etablissement, loaded.etablissement),
            (found.etablissement.commune, loaded.etablissement.commune),
            (found.etablissement.commune.departement, loaded.etablissement.commune.departement),
        ):
            assert type(a) is type(b) and a.pk == b.pk
            assert [getattr(a, f.attname) for f in a._meta.concrete_fields] == [
                getattr(b, f.attname) for f in b._meta.concrete_fields
            ]
        assert found.conjoint_commune == loaded.conjoint_commune  # None or the same commune
        assert found.nb_enfants == loaded.nb_enfants


def test_prefetch_related_is_refused(db: None) -> None:
    with_children = Prepared(lambda pk: Dossier.objects.filter(agent_id=pk).prefetch_related("enfants"), SAMPLE)
    with pytest.raises(ImproperlyConfigured, match="prefetch_related"):
        with_children.instances(1)


def test_a_page_compiles_none_of_the_reads_every_page_makes(client_a: Client, teacher_a: Agent) -> None:
    """Session, user, banner, unread count: SQL kept from the first page (the home page makes only those)."""
    client_a.get("/")
    with compilations() as compiled, CaptureQueriesContext(connection) as ran:
        page = client_a.get("/")
    assert page.status_code == 200 and "DUPONT Frédéric" in page.content.decode()
    assert compiled == []
    assert len(ran.captured_queries) == 4


def test_an_expired_session_row_is_nobody(client_a: Client) -> None:
    assert client_a.get("/").status_code == 200
    Session.objects.update(expire_date=timezone.now() - datetime.timedelta(seconds=1))
    assert client_a.get("/").status_code == 302


def test_a_deactivated_account_is_logged_out_at_its_next_page(client_a: Client, teacher_a: Agent) -> None:
    assert client_a.get("/").status_code == 200
    Agent.objects.filter(pk=teacher_a.pk).update(is_active=False)
    assert client_a.get("/").status_code == 302


def test_the_unread_count_follows_the_courrier_at_once(client_a: Client, teacher_a: Agent) -> None:
    assert 'title="messages non lus"' not in client_a.get("/").content.decode()
    post_courrier(recipients=[teacher_a.pk], sujet="Nouveau", corps="Bonjour.", key="prepared-unread")  # type: ignore[arg-type]
    assert 'title="messages non lus">1</span>' in client_a.get("/").content.decode()
