from __future__ import annotations

import re

import pytest
from django.core import mail
from django.test import Client

from accounts.models import Agent

LOGIN = "/compte/login/"


def _post_login(client: Client, login: str, password: str) -> str:
    response = client.post(LOGIN, {"login": login, "password": password})
    body = response.content.decode()
    # the CSRF token differs per request; the rest must not
    body = re.sub(r'nonce="[^"]+"', 'nonce="n"', body)
    return f"{response.status_code}|" + re.sub(r'value="[^"]{32,}"', 'value="token"', body)


def test_login_page_explains_the_identifier_rule(client: Client, db: None) -> None:
    body = client.get(LOGIN).content.decode()
    assert "Connexion à I-Prof" in body
    assert "fdupont" in body and "fdupont1" in body
    assert "Identifiant oublié ?" in body and "Mot de passe oublié ?" in body
    assert "/compte/aide-connexion/" in body
    assert "signup" not in body


def test_login_with_identifier_is_case_insensitive(client: Client, teacher_a: Agent, password: str) -> None:
    response = client.post(LOGIN, {"login": "FDupont", "password": password})
    assert response.status_code == 302
    assert response["Location"] == "/"
    assert client.get("/").status_code == 200


def test_wrong_password_and_unknown_identifier_answer_identically(
    client: Client, teacher_a: Agent, password: str
) -> None:
    wrong_password = _post_login(Client(), "fdupont", "not-the-password-at-all")
    unknown = _post_login(Client(), "zzinconnu", "not-the-password-at-all")
    assert wrong_password.startswith("200|")
    assert wrong_password.replace('value="fdupont"', 'value="X"') == unknown.replace('value="zzinconnu"', 'value="X"')


TOO_MANY = "Trop de tentatives de connexion échouées"


def _fail(client: Client, identifiant: str, times: int, url: str = LOGIN) -> None:
    for _ in range(times):
        response = client.post(url, {"login": identifiant, "password": "wrong-password-123"})
        assert response.status_code == 200 and "_auth_user_id" not in client.session


def test_four_failures_still_let_the_right_password_in(client: Client, teacher_a: Agent, password: str) -> None:
    # the control of the test below: under the limit, the same right password logs in
    _fail(client, "fdupont", 4)
    response = client.post(LOGIN, {"login": "fdupont", "password": password})
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(teacher_a.pk)


def test_failed_logins_are_rate_limited_per_identifier(client: Client, teacher_a: Agent, password: str) -> None:
    # the right password, after the fifth failure from this client: refused by the limit, not by the password
    _fail(client, "fdupont", 5)
    response = client.post(LOGIN, {"login": "fdupont", "password": password})
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session
    assert TOO_MANY in response.content.decode()


def test_admin_login_goes_through_the_rate_limited_portal_login(client: Client, rectorat: Agent, password: str) -> None:
    response = client.get("/admin/login/?next=/admin/")
    assert response.status_code == 302
    assert response["Location"].startswith("/compte/login/")
    _fail(client, rectorat.identifiant, 5, url="/compte/login/?next=/admin/")
    response = client.post("/compte/login/?next=/admin/", {"login": rectorat.identifiant, "password": password})
    assert "_auth_user_id" not in client.session
    assert TOO_MANY in response.content.decode()
    assert client.get("/admin/").status_code == 302


def test_admin_login_with_the_right_password_under_the_limit_asks_the_second_factor(
    client: Client, rectorat: Agent, password: str
) -> None:
    # the control of the test above: the password is accepted, the staff's TOTP is asked next
    _fail(client, rectorat.identifiant, 4, url="/compte/login/?next=/admin/")
    response = client.post("/compte/login/?next=/admin/", {"login": rectorat.identifiant, "password": password})
    assert response.status_code == 302
    assert response["Location"] == "/compte/2fa/authenticate/"


def test_teacher_is_refused_the_admin(client_a: Client) -> None:
    # a teacher is not staff: the admin sends them to its login, which is the portal's
    assert client_a.get("/admin/").status_code == 302
    assert client_a.get("/admin/").headers["Location"].startswith("/admin/login/")
    response = client_a.get("/admin/accounts/agent/")
    assert response.status_code == 302 and response.headers["Location"].startswith("/admin/login/")


def test_signup_is_closed(client: Client, db: None) -> None:
    client.post("/compte/signup/", {"username": "pirate", "password1": "a-long-password-123"})
    assert not Agent.objects.filter(identifiant="pirate").exists()


@pytest.mark.parametrize("numen", ["12E0312345ABC", "99X9999999ZZZ"])
def test_identifiant_oublie_answers_identically(client: Client, db: None, numen: str) -> None:
    agent = Agent.objects.create_user(nom="Dupont", prenom="Frédéric", numen="12E0312345ABC", email="f@example.org")
    agent.date_naissance = "1984-03-14"
    agent.save()
    response = client.post("/compte/identifiant-oublie/", {"numen": numen, "date_naissance": "14/03/1984"}, follow=True)
    assert "Si ces informations correspondent à un compte" in response.content.decode()
    if numen == agent.numen:
        assert len(mail.outbox) == 1
        assert "fdupont" in mail.outbox[0].body
        assert mail.outbox[0].to == ["f@example.org"]
    else:
        assert mail.outbox == []


def test_identifiant_oublie_rejects_a_malformed_numen_in_french(client: Client, db: None) -> None:
    response = client.post("/compte/identifiant-oublie/", {"numen": "123", "date_naissance": "32/13/1984"})
    body = response.content.decode()
    assert "Le NUMEN comporte 13 caractères." in body
    assert "Saisissez une date valide" in body


def test_password_reset_mails_the_agent(client: Client, teacher_a: Agent) -> None:
    response = client.post("/compte/password/reset/", {"email": teacher_a.email})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    assert "/compte/password/reset/key/" in mail.outbox[0].body
