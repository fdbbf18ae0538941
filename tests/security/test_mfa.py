from __future__ import annotations

import time

from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from django.contrib.auth.models import Group
from django.test import Client

from accounts.models import Agent, AuditEvent
from lib.roles import RECTORAT
from tests.factories import PASSWORD, enrol_totp


def _staff_without_totp() -> Agent:
    agent = Agent(prenom="Sans", nom="Facteur", is_staff=True, email="sans.facteur@ac-clermont.fr")
    agent.set_password(PASSWORD)
    agent.save()
    agent.groups.set(Group.objects.filter(name=RECTORAT))
    return agent


def test_staff_without_second_factor_is_sent_to_enrolment(db: None) -> None:
    client = Client()
    client.force_login(_staff_without_totp())
    for url in ("/admin/", "/admin/accounts/agent/", "/"):
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"] == "/compte/2fa/totp/activate/"
    # the enrolment itself is reachable: allauth asks the password again first, then shows the TOTP form
    response = client.get("/compte/2fa/totp/activate/")
    assert response.status_code == 302
    assert response["Location"] == "/compte/reauthenticate/?next=%2Fcompte%2F2fa%2Ftotp%2Factivate%2F"
    response = client.post(response["Location"], {"password": PASSWORD})
    assert response.status_code == 302 and response["Location"] == "/compte/2fa/totp/activate/"
    response = client.get("/compte/2fa/totp/activate/")
    assert response.status_code == 200
    assert 'name="code"' in response.content.decode()


def test_staff_with_second_factor_reaches_the_admin(rectorat: Agent) -> None:
    client = Client()
    client.force_login(rectorat)
    assert client.get("/admin/").status_code == 200


def test_staff_login_asks_for_the_totp_code(db: None) -> None:
    agent = _staff_without_totp()
    secret = enrol_totp(agent)
    client = Client()
    response = client.post("/compte/login/", {"login": agent.identifiant, "password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == "/compte/2fa/authenticate/"
    assert "_auth_user_id" not in client.session
    wrong = client.post("/compte/2fa/authenticate/", {"code": "000000"})
    assert "_auth_user_id" not in client.session, wrong
    code = format_hotp_value(hotp_value(secret, int(time.time()) // 30))
    client.post("/compte/2fa/authenticate/", {"code": code})
    assert client.session["_auth_user_id"] == str(agent.pk)
    assert client.get("/admin/").status_code == 200
    assert AuditEvent.objects.of_kind(AuditEvent.Kind.LOGIN).for_object(agent).exists()


def test_teachers_may_enable_the_second_factor(client_a: Client) -> None:
    assert client_a.get("/compte/2fa/").status_code == 200
