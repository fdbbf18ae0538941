"""The vœux page's forms: one CSRF token masked once for the page, action addresses under the portal's prefix."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.test.utils import override_script_prefix

from accounts.models import Agent
from siam.models import Demande, Voeu
from tests.siam.conftest import add, client_for

pytestmark = pytest.mark.django_db

TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def test_every_form_of_the_voeux_page_carries_one_token_that_the_csrf_check_accepts(
    demande_a: Demande, teacher_a: Agent, ref: object
) -> None:
    setup = client_for(teacher_a)
    for code in ("0631018P", "63113"):
        assert add(setup, demande_a, "ETB" if code.endswith("P") else "COM", code).status_code == 302
    client = Client(enforce_csrf_checks=True)
    client.force_login(teacher_a)
    page = client.get(f"/siam/demandes/{demande_a.pk}/voeux/").content.decode()
    tokens = TOKEN.findall(page)
    assert 'action="/compte/deconnexion/"' in page
    assert len(tokens) > 4 and set(tokens) == {tokens[0]}  # the rows' forms and the logout form: one mask
    first = Voeu.objects.get(demande=demande_a, rang=1)
    demande_a.refresh_from_db()
    data = {"csrfmiddlewaretoken": tokens[0], "version": demande_a.version, "direction": "down"}
    assert client.post(f"/siam/voeux/{first.pk}/deplacer/", data).status_code == 302
    assert Voeu.objects.get(pk=first.pk).rang == 2
    assert client.post("/compte/deconnexion/", {"csrfmiddlewaretoken": tokens[-1]}).status_code == 302


def test_the_rows_action_addresses_follow_the_prefix_the_portal_is_served_under(
    demande_a: Demande, teacher_a: Agent, ref: object
) -> None:
    client = client_for(teacher_a)
    assert add(client, demande_a, "ETB", "0631018P").status_code == 302
    voeu = Voeu.objects.get(demande=demande_a)
    plain = the_list(client.get(f"/siam/demandes/{demande_a.pk}/voeux/").content.decode())
    assert f'action="/siam/voeux/{voeu.pk}/supprimer/"' in plain
    with override_script_prefix("/iprof/"):  # what the WSGI handler sets from SCRIPT_NAME
        prefixed = the_list(client.get(f"/siam/demandes/{demande_a.pk}/voeux/").content.decode())
    assert f'action="/iprof/siam/voeux/{voeu.pk}/supprimer/"' in prefixed  # not the addresses kept for "/"


def the_list(page: str) -> str:
    """The <ol> of the vœux (not the « Annuler » form above it)."""
    return page.split('data-testid="voeux"')[1].split("</ol>")[0]
