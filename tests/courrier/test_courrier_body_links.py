"""Courrier bodies: the portal's own paths become links, nothing a sender typed becomes markup."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from accounts.models import Agent
from iprof.courrier.models import Message
from iprof.courrier.services import post_courrier
from iprof.templatetags.courrier_text import courrier_body

pytestmark = pytest.mark.django_db


def test_an_own_path_in_brackets_becomes_a_link_and_the_bracket_stays_text() -> None:
    html = courrier_body("Votre résultat est en ligne (/siam/inter-2027/resultat/).")
    assert html == (
        '<p>Votre résultat est en ligne (<a href="/siam/inter-2027/resultat/">/siam/inter-2027/resultat/</a>).</p>'
    )


def test_an_own_path_at_the_end_of_a_sentence_keeps_its_full_stop_outside_the_link() -> None:
    assert courrier_body("Voir /dossier/.") == '<p>Voir <a href="/dossier/">/dossier/</a>.</p>'


@pytest.mark.parametrize(
    "hostile",
    [
        "<script>alert(1)</script> /siam/",
        '<a href="https://phishing.example/">/siam/</a>',
        "<img src=x onerror=alert(1)>",
        '" onmouseover="alert(1)',
        "javascript:alert(1)",
    ],
)
def test_nothing_a_sender_typed_becomes_markup(hostile: str) -> None:
    html = courrier_body(hostile)
    assert "<script" not in html and "<img" not in html and '<a href="https' not in html
    assert 'onmouseover="' not in html and 'href="javascript' not in html
    assert html.count("<a ") == html.count('<a href="/siam/">')


@pytest.mark.parametrize(
    "text",
    [
        "https://phishing.example/siam/inter-2027/resultat/",
        "//phishing.example/siam/",
        "/chemin/qui/nexiste/pas/",
        "/admin/accounts/agent/",
        "/siam/../admin/",
        "www.example.org/siam/",
    ],
)
def test_outside_addresses_unknown_paths_and_the_back_office_stay_text(text: str) -> None:
    assert "<a " not in courrier_body(text)


def test_the_message_page_shows_the_link_and_escapes_the_rest(client_a: Client, teacher_a: Agent) -> None:
    post_courrier(
        recipients=[teacher_a.pk],  # type: ignore[arg-type]
        sujet="Résultat",
        corps="Consultez (/siam/inter-2027/resultat/) <b>vite</b>",
        key="test-liens",
    )
    message = Message.objects.get(recipient=teacher_a)
    body = client_a.get(reverse("courrier:message", args=[message.pk])).content.decode()
    assert '(<a href="/siam/inter-2027/resultat/">/siam/inter-2027/resultat/</a>)' in body
    assert "&lt;b&gt;vite&lt;/b&gt;" in body and "<b>vite</b>" not in body
