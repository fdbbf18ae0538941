from __future__ import annotations

import time_machine
from django.test import Client

from accounts.models import Agent, AgentSession

PROTECTED = ["/"]


def test_anonymous_is_sent_to_login(client: Client, db: None) -> None:
    for url in PROTECTED:
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith("/compte/login/?next=")


def test_logout_by_get_is_refused(client_a: Client) -> None:
    assert client_a.get("/compte/deconnexion/").status_code == 405
    assert client_a.get("/").status_code == 200


def test_logout_by_post_destroys_the_server_session(client_a: Client) -> None:
    old_key = client_a.cookies["sessionid"].value
    response = client_a.post("/compte/deconnexion/")
    assert response.status_code == 302
    assert response["Location"] == "/compte/deconnecte/"
    assert not AgentSession.objects.filter(session_key=old_key).exists()
    page = client_a.get("/compte/deconnecte/").content.decode()
    assert "Votre session I-Prof est fermée" in page and "fermez aussi" in page
    replay = Client()
    replay.cookies["sessionid"] = old_key
    response = replay.get("/")
    assert response.status_code == 302 and response["Location"].startswith("/compte/login/")


def test_login_issues_a_new_session_key(client: Client, teacher_a: Agent, password: str) -> None:
    client.get("/compte/login/")
    client.session.save()
    before = client.session.session_key
    client.post("/compte/login/", {"login": "fdupont", "password": password})
    assert client.session.session_key != before


def test_session_expires_after_30_idle_minutes(teacher_a: Agent, password: str) -> None:
    with time_machine.travel("2026-11-27 08:00 +0000", tick=False) as traveller:
        client = Client()
        client.post("/compte/login/", {"login": "fdupont", "password": password})
        assert client.get("/").status_code == 200
        traveller.shift(29 * 60)
        assert client.get("/").status_code == 200  # activity slides the window
        traveller.shift(29 * 60)
        assert client.get("/").status_code == 200
        traveller.shift(31 * 60)
        response = client.get("/")
        assert response.status_code == 302 and response["Location"].startswith("/compte/login/")


def test_session_ends_after_12_hours_even_when_active(teacher_a: Agent, password: str) -> None:
    with time_machine.travel("2026-11-27 07:00 +0000", tick=False) as traveller:
        client = Client()
        client.post("/compte/login/", {"login": "fdupont", "password": password})
        for _ in range(12 * 3 + 2):
            traveller.shift(20 * 60)
            response = client.get("/")
            if response.status_code != 200:
                break
        assert response.status_code == 302
        assert response["Location"].startswith("/compte/login/")


def test_pages_behind_login_are_never_stored(client_a: Client) -> None:
    response = client_a.get("/")
    assert "no-store" in response["Cache-Control"]
