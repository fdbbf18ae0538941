"""Issue 17, point 5: bodies above REQUEST_BODY_MAX_SIZE are refused with a French 413 before being read."""

from __future__ import annotations

from typing import Any

from django.test import Client

from accounts.models import Agent


def test_a_200_mb_body_on_the_login_page_is_refused_unread(db: None) -> None:
    # the test client's body is empty: reading any of the announced 200 MB would fail loudly
    response = Client().generic(
        "POST", "/compte/login/", b"", content_type="application/x-www-form-urlencoded", CONTENT_LENGTH=str(200 << 20)
    )
    assert response.status_code == 413
    body = response.content.decode()
    assert "Envoi trop volumineux" in body and "12\u00a0Mo" in body
    assert response["Connection"] == "close"


def test_an_oversized_upload_of_a_logged_in_teacher_is_refused_too(client_a: Client, settings: Any) -> None:
    settings.REQUEST_BODY_MAX_SIZE = 1024
    response = client_a.post("/courrier/correspondant/nouveau/", {"sujet": "x", "corps": "y" * 2000})
    assert response.status_code == 413


def test_a_body_within_the_limit_is_served(teacher_a: Agent, password: str) -> None:
    client = Client()
    response = client.post("/compte/login/", {"login": "fdupont", "password": password})
    assert response.status_code == 302


def test_a_body_without_a_length_is_read_as_empty(teacher_a: Agent) -> None:
    """Chunked bodies (no Content-Length) are bounded too: Django's WSGI request reads nothing of them."""
    client = Client()
    response = client.generic(
        "POST",
        "/compte/login/",
        b"login=fdupont&password=x",
        content_type="application/x-www-form-urlencoded",
        CONTENT_LENGTH="",
        HTTP_TRANSFER_ENCODING="chunked",
    )
    assert response.status_code == 200
    assert 'value="fdupont"' not in response.content.decode()  # the form saw no login: nothing was read
    with_length = client.post("/compte/login/", {"login": "fdupont", "password": "x"})
    assert 'value="fdupont"' in with_length.content.decode()  # the guard of the line above
