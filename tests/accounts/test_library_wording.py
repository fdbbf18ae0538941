"""The login library's pages, messages and mails read as I-Prof: identifiant, adresse électronique, the académie's contacts."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from accounts.models import Agent
from tests.factories import PASSWORD

# the words of a generic library, never I-Prof's
FORBIDDEN = re.compile(r"pseudo|username|nom d.utilisateur|e-mail|\bemail\b|contactez-nous|contact us|sûr\(e\)", re.I)
USER_TEXT = re.compile(r"<(script|style)\b.*?</\1>|<[^>]+>", re.S)


def _text(html: str) -> str:
    return USER_TEXT.sub(" ", html)


ANONYMOUS_PAGES = [
    "account_login",
    "account_reset_password",
    "account_reset_password_done",
    "account_reset_password_from_key_done",
    "account_inactive",
    "account_signup",
]


@pytest.mark.parametrize("name", ANONYMOUS_PAGES)
def test_anonymous_library_pages_use_the_portal_words(client: Client, db: None, name: str) -> None:
    text = _text(client.get(reverse(name)).content.decode())
    assert not FORBIDDEN.search(text), FORBIDDEN.search(text)


def test_an_invalid_reset_link_says_so_in_the_portal_words(client: Client, db: None) -> None:
    response = client.get(reverse("account_reset_password_from_key", kwargs={"uidb36": "1", "key": "x-y"}))
    text = _text(response.content.decode())
    assert "Ce lien n’est plus valide" in text and not FORBIDDEN.search(text)


@pytest.mark.parametrize("name", ["account_change_password", "account_logout", "account_reauthenticate", "mfa_index"])
def test_logged_in_library_pages_use_the_portal_words(client_a: Client, name: str) -> None:
    response = client_a.get(reverse(name))
    assert response.status_code == 200
    text = _text(response.content.decode())
    assert not FORBIDDEN.search(text), FORBIDDEN.search(text)


def test_a_wrong_password_speaks_of_the_identifiant_never_the_pseudo(client: Client, teacher_a: Agent) -> None:
    response = client.post(reverse("account_login"), {"login": teacher_a.identifiant, "password": "faux"})
    body = response.content.decode()
    assert "L’identifiant ou le mot de passe est incorrect." in body
    assert "pseudo" not in body.lower()


def test_reset_pages_give_the_academie_contacts_from_settings(client: Client, db: None, settings: Any) -> None:
    settings.IPROF_SUPPORT_EMAIL = "assistance@ac-besancon.fr"
    settings.IPROF_SUPPORT_PHONE = "03 81 00 00 00"
    for name in ("account_reset_password", "account_reset_password_done"):
        body = client.get(reverse(name)).content.decode()
        assert "assistance@ac-besancon.fr" in body and "03 81 00 00 00" in body, name
    assert "Adresse électronique académique" in client.get(reverse("account_reset_password")).content.decode()


def test_the_reset_mail_is_french_names_the_identifiant_and_gives_the_contacts(
    client: Client, teacher_a: Agent, settings: Any
) -> None:
    settings.IPROF_SUPPORT_EMAIL = "assistance@ac-besancon.fr"
    client.post(reverse("account_reset_password"), {"email": teacher_a.email})
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.subject == "I-Prof\u00a0: choisir un nouveau mot de passe"
    assert teacher_a.identifiant in message.body and "assistance@ac-besancon.fr" in message.body
    assert not FORBIDDEN.search(str(message.subject + message.body)), message.body


def test_the_recovery_codes_page_is_a_styled_french_page(rectorat: Agent) -> None:
    from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes

    codes = RecoveryCodes.activate(rectorat)
    client = Client()
    client.force_login(rectorat)
    client.post(reverse("account_reauthenticate"), {"password": PASSWORD})
    response = client.get(reverse("mfa_view_recovery_codes"))
    assert response.status_code == 200
    body = response.content.decode()
    assert "Codes de secours" in body and 'class="fr-btn' in body and "fr-footer" in body
    assert all(f"<code>{code}</code>" in body for code in codes.get_unused_codes())
    assert not FORBIDDEN.search(_text(body))
    index = client.get(reverse("mfa_index")).content.decode()
    assert "Application d’authentification" in index and "Activée" in index
