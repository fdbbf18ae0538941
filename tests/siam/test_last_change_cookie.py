"""The change to offer undoing rides in a cookie of the session (lib.session_cookies), not in the session's row:
signed with the session's key, so that nobody else's browser, nor a new login, reads it; deleted at logout; kept in
the session when too long for a cookie. What the page offers is the same either way."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from accounts.models import Agent, AgentSession
from lib import session_cookies
from siam.models import Demande, Voeu
from siam.views.voeux import LAST_CHANGE
from tests.siam.conftest import add, client_for, text

UNDO = "Annuler l'ajout de"


def _page(client: Client, demande: Demande) -> str:
    return text(client.get(f"/siam/demandes/{demande.pk}/voeux/"))


def _row(client: Client) -> tuple[str, Any]:
    row = AgentSession.objects.get(session_key=client.session.session_key)
    return row.session_data, row.expire_date


def test_a_change_is_offered_for_undoing_without_writing_the_session(demande_a: Demande, teacher_a: Agent) -> None:
    client = client_for(teacher_a)
    _page(client, demande_a)
    before = _row(client)
    response = add(client, demande_a, "COM", "63113")
    assert response.status_code == 302
    cookie = response.cookies[LAST_CHANGE]
    assert (cookie["path"], cookie["httponly"], cookie["samesite"], cookie["max-age"]) == ("/siam/", True, "Lax", "")
    assert _row(client) == before  # the row as it was: no UPDATE
    assert UNDO in _page(client, demande_a)
    assert LAST_CHANGE not in client.session


def test_another_session_does_not_read_the_cookie(
    demande_a: Demande, teacher_a: Agent, teacher_b: Agent, demande_b: Demande
) -> None:
    client = client_for(teacher_a)
    add(client, demande_a, "COM", "63113")
    stolen = client.cookies[LAST_CHANGE].value
    again = client_for(teacher_a)  # the same teacher, logged in again: a new session
    again.cookies[LAST_CHANGE] = stolen
    assert UNDO not in _page(again, demande_a)
    assert session_cookies.read(again.get("/siam/").wsgi_request, LAST_CHANGE) is None
    assert UNDO in _page(client, demande_a)  # still there for the session that made the change


def test_an_altered_cookie_is_ignored(demande_a: Demande, teacher_a: Agent) -> None:
    client = client_for(teacher_a)
    add(client, demande_a, "COM", "63113")
    value = client.cookies[LAST_CHANGE].value
    client.cookies[LAST_CHANGE] = value[:-2] + ("AA" if not value.endswith("AA") else "BB")
    assert UNDO not in _page(client, demande_a)


def test_logout_deletes_the_cookie(demande_a: Demande, teacher_a: Agent) -> None:
    client = client_for(teacher_a)
    add(client, demande_a, "COM", "63113")
    response = client.post("/compte/deconnexion/")
    assert response.status_code == 302
    deleted = response.cookies[LAST_CHANGE]
    assert (deleted.value, deleted["path"], deleted["max-age"]) == ("", "/siam/", 0)


def test_a_change_too_long_for_a_cookie_is_kept_in_the_session(
    demande_a: Demande, teacher_a: Agent, monkeypatch: pytest.MonkeyPatch
) -> None:
    client = client_for(teacher_a)
    monkeypatch.setattr(session_cookies, "MAX_LENGTH", 10)
    response = add(client, demande_a, "COM", "63113")
    assert LAST_CHANGE not in response.cookies
    assert client.session[LAST_CHANGE]["undo"] == {"action": "remove", "voeu": Voeu.objects.get().pk}
    assert UNDO in _page(client, demande_a)
    monkeypatch.undo()  # the next change fits: the cookie, and the session forgets the long one
    response = add(client, demande_a, "COM", "63300")
    assert LAST_CHANGE in response.cookies
    assert LAST_CHANGE not in client.session
    assert "Annuler l'ajout de Riom" in _page(client, demande_a)


def test_a_cookie_change_followed_by_a_long_one_leaves_only_the_long_one(
    demande_a: Demande, teacher_a: Agent, monkeypatch: pytest.MonkeyPatch
) -> None:
    client = client_for(teacher_a)
    add(client, demande_a, "COM", "63113")
    monkeypatch.setattr(session_cookies, "MAX_LENGTH", 10)
    response = add(client, demande_a, "COM", "63300")
    assert response.cookies[LAST_CHANGE].value == ""  # deleted: it would hide the session's
    assert "Annuler l'ajout de Riom" in _page(client, demande_a)
