"""A request that changes nothing never writes the session row; the idle clock slides at most once a minute."""

from __future__ import annotations

import time

import pytest
import time_machine
from django.contrib.sessions.backends.base import UpdateError
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from accounts.models import Agent, AgentSession
from accounts.sessions import SessionStore

# The pages a teacher reloads most on closing day.
PAGES = ["/", "/dossier/", "/siam/", "/courrier/"]


def session_writes(client: Client, path: str) -> list[str]:
    """The statements writing the session table while the page is served (the page must be a 200)."""
    with CaptureQueriesContext(connection) as captured:
        assert client.get(path).status_code == 200
    return [
        q["sql"]
        for q in captured.captured_queries
        if q["sql"].startswith(("UPDATE", "INSERT")) and "accounts_agentsession" in q["sql"]
    ]


def _logged_in(password: str) -> Client:
    client = Client()
    assert client.post("/compte/login/", {"login": "fdupont", "password": password}).status_code == 302
    return client


def test_pages_read_within_a_minute_write_no_session_row(teacher_a: Agent, password: str) -> None:
    with time_machine.travel("2027-03-01 08:00 +0000", tick=False) as traveller:
        client = _logged_in(password)
        client.get("/")  # the first page after the login stamps the clocks
        for path in PAGES:
            traveller.shift(10)
            assert session_writes(client, path) == [], path


def test_the_idle_clock_is_refreshed_once_a_minute_has_passed(teacher_a: Agent, password: str) -> None:
    with time_machine.travel("2027-03-01 08:00 +0000", tick=False) as traveller:
        client = _logged_in(password)
        client.get("/")
        traveller.shift(59)
        assert session_writes(client, "/") == []
        traveller.shift(2)
        assert len(session_writes(client, "/")) == 1  # 61 s after the stamp: one write, the new stamp
        traveller.shift(30)
        assert session_writes(client, "/") == []


@pytest.mark.django_db(transaction=True)  # as in production: autocommit, no test transaction around the request
def test_a_session_write_is_one_statement_and_keeps_the_data(teacher_a: Agent, password: str) -> None:
    """Writing an existing session is one UPDATE, without BEGIN and COMMIT around it (issue 14)."""
    with time_machine.travel("2027-03-01 08:00 +0000", tick=False) as traveller:
        client = _logged_in(password)
        client.get("/")
        traveller.shift(61)
        with CaptureQueriesContext(connection) as captured:
            assert client.get("/").status_code == 200
        statements = [q["sql"].split()[0] for q in captured.captured_queries]
        assert statements.count("UPDATE") == 1 and "BEGIN" not in statements and "COMMIT" not in statements
        session = AgentSession.objects.get(session_key=client.cookies["sessionid"].value)
        assert session.get_decoded()["iprof_session_seen"] == int(time.time())  # the new stamp was written
        assert client.get("/").status_code == 200  # still logged in


@pytest.mark.django_db(transaction=True)
def test_a_session_deleted_meanwhile_is_not_written_back(teacher_a: Agent, password: str) -> None:
    """A logout in another tab deletes the row: the request that wanted to write it does not bring it back."""
    with time_machine.travel("2027-03-01 08:00 +0000", tick=False) as traveller:
        client = _logged_in(password)
        client.get("/")
        traveller.shift(61)
        key = client.cookies["sessionid"].value
        store = SessionStore(key)
        assert store["iprof_session_seen"]  # read before the row goes
        AgentSession.objects.filter(session_key=key).delete()
        store["iprof_session_seen"] = int(time.time())
        with pytest.raises(UpdateError):
            store.save()
        assert not AgentSession.objects.filter(session_key=key).exists()
