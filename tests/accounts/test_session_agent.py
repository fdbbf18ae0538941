"""Who is logged in is read with the session row, its agent joined (accounts.AgentSession), with every check Django
makes on the user of a session: backend, session hash (and its fallback secrets), active account, and the row's
agent column agreeing with the session's data."""

from __future__ import annotations

import datetime

import pytest
from asgiref.sync import async_to_sync
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.backends.base import UpdateError
from django.contrib.sessions.backends.db import SessionStore as DjangoSessionStore
from django.contrib.sessions.middleware import SessionMiddleware
from django.contrib.sessions.models import Session
from django.core.management import call_command
from django.db import connection
from django.http import HttpRequest, HttpResponse
from django.test import Client, RequestFactory, override_settings
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts.middleware import AuthenticationMiddleware
from accounts.models import Agent, AgentSession
from accounts.sessions import SessionStore, copy_django_sessions

BACKEND = "accounts.backends.AuthenticationBackend"


def is_logged_in(client: Client) -> bool:
    response = client.get("/")
    assert response.status_code in {200, 302}, response.status_code
    if response.status_code == 302:
        assert response["Location"].startswith("/compte/login/")
    return response.status_code == 200


def key_of(client: Client) -> str:
    return client.cookies["sessionid"].value


def test_a_logged_in_page_reads_the_agent_in_the_session_query(client_a: Client, teacher_a: Agent) -> None:
    client_a.get("/")
    with CaptureQueriesContext(connection) as ran:
        assert client_a.get("/").status_code == 200
    agent_reads = [q["sql"] for q in ran.captured_queries if 'FROM "accounts_agent"' in q["sql"]]
    assert agent_reads == []  # no query of the agent alone
    (session_read,) = [q["sql"] for q in ran.captured_queries if "accounts_agentsession" in q["sql"]]
    assert 'JOIN "accounts_agent"' in session_read


def test_the_session_row_names_the_agent_logged_in(client_a: Client, teacher_a: Agent) -> None:
    assert AgentSession.objects.get(session_key=key_of(client_a)).agent_id == teacher_a.pk


def test_a_session_whose_agent_column_disagrees_with_its_data_is_nobody(
    client_a: Client, teacher_a: Agent, teacher_b: Agent
) -> None:
    """Neither the agent of the data (read again) nor the agent of the column, even with its session hash."""
    assert is_logged_in(client_a)
    key = key_of(client_a)
    AgentSession.objects.filter(session_key=key).update(agent=teacher_b)
    assert not is_logged_in(client_a)
    forged = Client()
    forged.force_login(teacher_a)
    store = SessionStore(key_of(forged))
    store[HASH_SESSION_KEY] = teacher_b.get_session_auth_hash()
    store.save()
    AgentSession.objects.filter(session_key=key_of(forged)).update(agent=teacher_b)
    page = forged.get("/")
    assert page.status_code == 302 and "Françoise" not in page.content.decode()
    AgentSession.objects.filter(session_key=key_of(forged)).update(agent=None)
    assert not is_logged_in(forged)


def test_a_session_naming_another_backend_is_nobody(client_a: Client) -> None:
    store = SessionStore(key_of(client_a))
    store[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"  # a real backend, not in the settings
    store.save()
    assert not is_logged_in(client_a)


def test_a_session_without_its_hash_is_nobody_and_flushed(client_a: Client) -> None:
    key = key_of(client_a)
    store = SessionStore(key)
    del store[HASH_SESSION_KEY]
    store.save()
    assert not is_logged_in(client_a)
    assert not AgentSession.objects.filter(session_key=key).exists()


def test_a_session_hashed_with_a_fallback_secret_is_kept_under_a_new_key(teacher_a: Agent) -> None:
    with override_settings(SECRET_KEY="l'ancienne clé secrète, assez longue pour Django " * 2):
        client = Client()
        client.force_login(teacher_a)
        old_key = key_of(client)
    with override_settings(
        SECRET_KEY="la nouvelle clé secrète, assez longue pour Django " * 2,
        SECRET_KEY_FALLBACKS=["l'ancienne clé secrète, assez longue pour Django " * 2],
    ):
        assert is_logged_in(client)
        assert key_of(client) != old_key  # cycle_key on a fallback match
        assert AgentSession.objects.get(session_key=key_of(client)).agent_id == teacher_a.pk
        assert not AgentSession.objects.filter(session_key=old_key).exists()
        assert is_logged_in(client)
        key = key_of(client)
        store = SessionStore(key)
        store[HASH_SESSION_KEY] = "0" * 64  # neither the secret nor a fallback hashes to it: flushed
        store.save()
        assert not is_logged_in(client)
        assert not AgentSession.objects.filter(session_key=key).exists()


def test_a_deleted_agent_is_logged_out_everywhere(client_a: Client, teacher_a: Agent) -> None:
    other = Client()
    other.force_login(teacher_a)
    assert is_logged_in(client_a) and is_logged_in(other)
    teacher_a.delete()
    assert not AgentSession.objects.exists()
    assert not is_logged_in(client_a) and not is_logged_in(other)


def test_logout_deletes_the_row_and_login_writes_the_agent(client: Client, teacher_a: Agent, password: str) -> None:
    assert client.post("/compte/login/", {"login": "fdupont", "password": password}).status_code == 302
    key = key_of(client)
    assert AgentSession.objects.get(session_key=key).agent_id == teacher_a.pk
    assert client.post("/compte/deconnexion/").status_code == 302
    assert not AgentSession.objects.filter(session_key=key).exists()
    assert not AgentSession.objects.filter(agent=teacher_a).exists()


def test_clearsessions_deletes_the_expired_rows_only(client_a: Client, teacher_a: Agent) -> None:
    expired = SessionStore()
    expired["x"] = 1
    expired.set_expiry(-1)
    expired.save()
    assert AgentSession.objects.count() == 2
    call_command("clearsessions")
    assert list(AgentSession.objects.values_list("session_key", flat=True)) == [key_of(client_a)]
    assert is_logged_in(client_a)


def test_the_sessions_of_django_session_are_moved_and_stay_logged_in(teacher_a: Agent, teacher_b: Agent) -> None:
    """The deploy's migration (0009) copies the unexpired rows of the old table, the agent's id decoded."""
    AgentSession.objects.all().delete()
    old = DjangoSessionStore()  # Django's own engine, as before the deploy
    old.update(
        {
            SESSION_KEY: str(teacher_a.pk),
            BACKEND_SESSION_KEY: BACKEND,
            HASH_SESSION_KEY: teacher_a.get_session_auth_hash(),
        }
    )
    old.save()
    gone = DjangoSessionStore()
    gone.update({SESSION_KEY: str(teacher_b.pk), BACKEND_SESSION_KEY: BACKEND})
    gone.save()
    Session.objects.filter(session_key=gone.session_key).update(expire_date=timezone.now() - datetime.timedelta(1))
    anonymous = DjangoSessionStore()
    anonymous["iprof_x"] = 1
    anonymous.save()
    assert copy_django_sessions(Session, AgentSession, Agent) == 2
    assert not Session.objects.exists()
    moved = dict(AgentSession.objects.values_list("session_key", "agent_id"))
    assert moved == {old.session_key: teacher_a.pk, anonymous.session_key: None}
    client = Client()
    assert old.session_key
    client.cookies["sessionid"] = old.session_key
    assert is_logged_in(client)


@pytest.mark.django_db(transaction=True)  # autocommit: the foreign key is checked when the row is written
def test_a_session_of_an_agent_deleted_meanwhile_is_refused_not_retried(teacher_a: Agent) -> None:
    store = SessionStore()
    store.update({SESSION_KEY: str(teacher_a.pk), BACKEND_SESSION_KEY: BACKEND})
    Agent.objects.filter(pk=teacher_a.pk).delete()
    with pytest.raises(UpdateError):
        store.create()  # Django's create() retries a CreateError forever
    assert not AgentSession.objects.exists()


@pytest.mark.django_db(transaction=True)  # as in production: the login's last write is the one-UPDATE path
def test_a_login_in_autocommit_writes_the_agent_column(teacher_a: Agent, password: str) -> None:
    client = Client()
    assert client.post("/compte/login/", {"login": "fdupont", "password": password}).status_code == 302
    assert AgentSession.objects.get(session_key=key_of(client)).agent_id == teacher_a.pk
    assert is_logged_in(client)


def test_the_async_user_is_djangos_with_the_same_checks(client_a: Client, teacher_a: Agent) -> None:
    """``request.auser`` (Django's aget_user, the agent read by its own query) names the same agent."""
    request = RequestFactory().get("/")
    request.COOKIES["sessionid"] = key_of(client_a)

    def served(request: HttpRequest) -> HttpResponse:
        return HttpResponse()

    SessionMiddleware(served).process_request(request)
    AuthenticationMiddleware(served).process_request(request)
    assert async_to_sync(request.auser)() == teacher_a
    Agent.objects.filter(pk=teacher_a.pk).update(is_active=False)
    del request._acached_user  # type: ignore[attr-defined]
    assert not async_to_sync(request.auser)().is_authenticated
