"""Issue 17, point 3: the académie e-mail is the verified address by construction.

Reproduction: a staff account created in the admin asks « Mot de passe oublié » (as the admin tells new agents
to), which used to leave an unverified allauth address; allauth then refused TOTP enrolment for good.
"""

from __future__ import annotations

import re
import time
from typing import Any

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import SECRET_SESSION_KEY, format_hotp_value, hotp_value
from django.apps import apps
from django.core import mail
from django.test import Client

from accounts.models import Agent
from tests.factories import PASSWORD, enrol_totp

NEW_PASSWORD = "une phrase de passe toute neuve"


def _new_agent_through_the_admin() -> Agent:
    superuser = Agent.objects.create_superuser("admin", PASSWORD, email="admin@ac-clermont.fr")
    enrol_totp(superuser)
    client = Client()
    client.force_login(superuser)
    response = client.post(
        "/admin/accounts/agent/add/",
        {"civilite": "MME", "nom": "Nouvel", "prenom": "Agathe", "email": "agathe.nouvel@ac-clermont.fr"},
    )
    assert response.status_code == 302
    agent = Agent.objects.get(nom="Nouvel")
    agent.is_staff = True
    agent.save()
    return agent


def _reset_password(client: Client, email: str) -> None:
    mail.outbox.clear()
    assert client.post("/compte/password/reset/", {"email": email}).status_code == 302
    link = re.search(r"http://testserver(/compte/password/reset/key/\S+/)", str(mail.outbox[-1].body))
    assert link, mail.outbox[-1].body
    form = client.get(link.group(1), follow=True)
    response = client.post(form.redirect_chain[-1][0], {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})
    assert response.status_code == 302, response.content.decode()[:500]


def test_a_password_reset_leaves_no_unverified_address(db: None) -> None:
    agent = _new_agent_through_the_admin()
    _reset_password(Client(), agent.email)
    addresses = list(EmailAddress.objects.filter(user=agent).values_list("email", "verified", "primary"))
    assert addresses == [("agathe.nouvel@ac-clermont.fr", True, True)]


def test_a_staff_member_reset_by_mot_de_passe_oublie_enrols_totp_and_reaches_the_admin(db: None) -> None:
    agent = _new_agent_through_the_admin()
    client = Client()
    _reset_password(client, agent.email)
    client.post("/compte/login/", {"login": agent.identifiant, "password": NEW_PASSWORD})
    assert client.get("/admin/")["Location"] == "/compte/2fa/totp/activate/"
    activate = client.get("/compte/2fa/totp/activate/")
    if activate.status_code == 302:  # allauth asks for the password again before a second factor is added
        assert activate["Location"].startswith("/compte/reauthenticate/")
        client.post(activate["Location"], {"password": NEW_PASSWORD})
        activate = client.get("/compte/2fa/totp/activate/")
    assert activate.status_code == 200
    secret = client.session[SECRET_SESSION_KEY]
    code = format_hotp_value(hotp_value(secret, int(time.time()) // 30))
    response = client.post("/compte/2fa/totp/activate/", {"code": code})
    assert response.status_code == 302, re.findall(r"fr-error-text.{0,200}", response.content.decode(), re.S)
    assert Authenticator.objects.filter(user=agent, type=Authenticator.Type.TOTP).exists()
    assert client.get("/admin/").status_code == 200


def test_a_changed_email_replaces_the_verified_address(teacher_a: Agent) -> None:
    teacher_a.email = "frederic.dupont@ac-clermont.fr"
    teacher_a.save()
    assert list(EmailAddress.objects.filter(user=teacher_a).values_list("email", "verified")) == [
        ("frederic.dupont@ac-clermont.fr", True)
    ]


def test_the_data_migration_verifies_own_addresses_and_drops_the_others(teacher_a: Agent, teacher_b: Agent) -> None:
    from importlib import import_module

    migration: Any = import_module("accounts.migrations.0004_security_verified_email")
    EmailAddress.objects.filter(user=teacher_a).update(verified=False, primary=False)
    EmailAddress.objects.bulk_create([EmailAddress(user=teacher_b, email="ancienne@example.org", verified=False)])
    migration.verify_own_addresses(apps, None)
    assert set(EmailAddress.objects.values_list("user_id", "email", "verified", "primary")) == {
        (teacher_a.pk, "frederic.dupont@example.org", True, True),
        (teacher_b.pk, "francoise.dupont@example.org", True, True),
    }
