"""Issue 17, point 3, in a browser: a staff account created in the admin, reset by « Mot de passe oublié »,
enrols TOTP and reaches its pages (it used to loop /admin/ → enrolment → refusal for good)."""

from __future__ import annotations

import re
import time

from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from django.contrib.auth.models import Group
from django.core import mail
from django.test import Client
from playwright.sync_api import Page, expect

from accounts.models import Agent
from lib.roles import RECTORAT
from tests.factories import PASSWORD, enrol_totp

NEW_PASSWORD = "une phrase de passe toute neuve"


def _created_in_the_admin() -> Agent:
    superuser = Agent.objects.create_superuser("admin", PASSWORD, email="admin@ac-clermont.fr")
    enrol_totp(superuser)
    admin = Client()
    admin.force_login(superuser)
    response = admin.post(
        "/admin/accounts/agent/add/",
        {"civilite": "MME", "nom": "Nouvel", "prenom": "Agathe", "email": "agathe.nouvel@ac-clermont.fr"},
    )
    assert response.status_code == 302
    agent = Agent.objects.get(nom="Nouvel")
    agent.is_staff = True
    agent.save()
    agent.groups.set(Group.objects.filter(name=RECTORAT))
    return agent


def _code(secret: str) -> str:
    return format_hotp_value(hotp_value(secret, int(time.time()) // 30))


def test_a_new_agent_resets_enrols_totp_and_reaches_the_admin(page: Page, live_server, shoot) -> None:  # type: ignore[no-untyped-def]
    agent = _created_in_the_admin()
    page.goto(f"{live_server.url}/compte/password/reset/")
    page.locator('input[name="email"]').fill(agent.email)
    page.locator('input[name="email"]').press("Enter")
    page.wait_for_load_state()
    link = re.search(r"https?://[^/\s]+(/compte/password/reset/key/\S+/)", str(mail.outbox[-1].body))
    assert link, mail.outbox[-1].body
    page.goto(live_server.url + link.group(1))
    page.locator('input[name="password1"]').fill(NEW_PASSWORD)
    page.locator('input[name="password2"]').fill(NEW_PASSWORD)
    page.locator('input[name="password2"]').press("Enter")
    page.wait_for_load_state()
    page.goto(f"{live_server.url}/compte/login/")
    if page.get_by_label("Compte utilisateur").count():
        page.get_by_label("Compte utilisateur").fill(agent.identifiant)
        page.get_by_label("Mot de passe", exact=True).fill(NEW_PASSWORD)
        page.get_by_role("button", name="Valider").click()
        page.wait_for_load_state()
    page.goto(f"{live_server.url}/admin/")
    if "/compte/reauthenticate/" in page.url:
        page.locator('input[name="password"]').fill(NEW_PASSWORD)
        page.locator('input[name="password"]').press("Enter")
        page.wait_for_load_state()
    assert "/compte/2fa/totp/activate/" in page.url, page.url
    secret = page.locator("#authenticator_secret").input_value()
    shoot("staff-enrolment-01-activate")
    page.locator('input[name="code"]').fill(_code(secret))
    page.locator('input[name="code"]').press("Enter")
    page.wait_for_load_state()
    page.goto(f"{live_server.url}/admin/")
    expect(page.get_by_text("I-Prof — administration du rectorat")).to_be_visible()
    shoot("staff-enrolment-02-admin")
    page.goto(f"{live_server.url}/courrier/gestion/")
    assert "/courrier/gestion/" in page.url
