"""A reminder to the agents of a filtered list of demandes: previewed with its count, posted once per key."""

from __future__ import annotations

import re
from typing import Any

import pytest

from accounts.models import Agent
from iprof.courrier.models import Message
from siam.models import Campagne, Demande, Participation
from tests.factories import make_teacher
from tests.siam.conftest import client_for, text
from tests.siam.test_admin_bulk import messages_of

pytestmark = pytest.mark.django_db

URL = "/admin/siam/demande/"


@pytest.fixture
def sans_voeu(intra: Campagne) -> list[int]:
    Demande.objects.create(agent=make_teacher("Agent", "RappelC"), campagne=intra)  # volontaire: not selected
    agents = [make_teacher("Agent", f"Rappel{c}") for c in "AB"]
    return [Demande.objects.create(agent=a, campagne=intra, participation=Participation.OBLIGATOIRE).pk for a in agents]


def test_the_drh_previews_then_sends_a_reminder_once_even_when_the_form_is_submitted_twice(
    sans_voeu: list[int], intra: Campagne, drh: Agent
) -> None:
    staff = client_for(drh, staff=True)
    listing = f"{URL}?file=obligatoires_sans_voeu&campagne__id__exact={intra.pk}"
    preview = staff.post(listing, {"action": "rappeler", "_selected_action": sans_voeu})
    assert preview.status_code == 200 and "2 lignes sélectionnées" in text(preview)
    assert not Message.objects.exists()
    [key] = re.findall(r'name="key" value="(rappel-[0-9a-f]{32})"', preview.content.decode())
    data = {
        "action": "rappeler",
        "_selected_action": sans_voeu,
        "sujet": "Votre demande de mutation",
        "corps": "Vous participez obligatoirement : formulez au moins un vœu.",
        "key": key,
    }
    assert messages_of(staff.post(listing, data, follow=True)) == ["2 rappels envoyés"]
    assert messages_of(staff.post(listing, data, follow=True)) == ["0 rappel envoyé, 2 déjà reçus"]
    assert sorted(Message.objects.values_list("recipient__nom", flat=True)) == ["RappelA", "RappelB"]


def test_the_rectorat_may_not_post_to_the_courrier(sans_voeu: list[int], rectorat: Agent) -> None:
    staff = client_for(rectorat, staff=True)
    page = staff.get(URL)
    assert 'value="rappeler"' not in page.content.decode()
    data = {
        "action": "rappeler",
        "_selected_action": sans_voeu,
        "sujet": "x",
        "corps": "y",
        "key": "rappel-" + "0" * 32,
    }
    staff.post(URL, data)
    assert not Message.objects.exists()


def test_a_forged_key_is_refused_and_nothing_is_sent(sans_voeu: list[int], drh: Agent) -> None:
    staff = client_for(drh, staff=True)
    data: dict[str, Any] = {"action": "rappeler", "_selected_action": sans_voeu, "sujet": "x", "corps": "y"}
    response = staff.post(URL, {**data, "key": "diffusion-autre"})
    assert response.status_code == 200 and not Message.objects.exists()
