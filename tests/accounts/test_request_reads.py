"""The reads every page makes (session, user, banner, unread count) are queries compiled once (lib.prepared).

A second page compiles none of them again (issue 14: compiling is most of a query's Python), and each still
reads the database at every request: an expired session, a deactivated account, a new message are seen at once.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.db import connection
from django.db.models.sql.compiler import SQLCompiler
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts.models import Agent, AgentSession
from iprof.courrier.services import post_courrier


@contextmanager
def compilations() -> Iterator[list[str]]:
    """Every SQL the ORM compiles meanwhile (an observer on SQLCompiler.as_sql; the ORM itself runs)."""
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


def test_a_page_compiles_none_of_the_reads_every_page_makes(client_a: Client, teacher_a: Agent) -> None:
    """Session with its agent, banner, unread count: the home page makes only those, compiled at the first page."""
    client_a.get("/")
    with compilations() as compiled, CaptureQueriesContext(connection) as ran:
        page = client_a.get("/")
    assert page.status_code == 200 and "DUPONT Frédéric" in page.content.decode()
    assert compiled == []
    assert len(ran.captured_queries) == 3


def test_an_expired_session_row_is_nobody(client_a: Client) -> None:
    assert client_a.get("/").status_code == 200
    AgentSession.objects.update(expire_date=timezone.now() - datetime.timedelta(seconds=1))
    assert client_a.get("/").status_code == 302


def test_a_deactivated_account_is_logged_out_at_its_next_page(client_a: Client, teacher_a: Agent) -> None:
    assert client_a.get("/").status_code == 200
    Agent.objects.filter(pk=teacher_a.pk).update(is_active=False)
    assert client_a.get("/").status_code == 302


def test_the_unread_count_follows_the_courrier_at_once(client_a: Client, client_b: Client, teacher_a: Agent) -> None:
    assert 'title="messages non lus"' not in client_a.get("/").content.decode()
    for i in range(2):
        post_courrier(recipients=[teacher_a.pk], sujet=f"Nouveau {i}", corps="Bonjour.", key=f"reads-{i}")  # type: ignore[arg-type]
    assert 'title="messages non lus">2</span>' in client_a.get("/").content.decode()
    assert 'title="messages non lus"' not in client_b.get("/").content.decode()  # hers are not his


def test_a_demande_address_with_a_huge_number_is_404(client_a: Client) -> None:
    assert client_a.get(f"/siam/demandes/{10**25}/voeux/").status_code == 404
