"""The SIAM home's cards, built in Python: what the two includes print elsewhere, escaped as the template escaped."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.template.loader import render_to_string

from accounts.models import Agent
from dossier.models import Dossier, Position
from siam.models import Campagne, Demande, Participation
from siam.portal import Depart, depart_for, dossier_for_depart
from siam.views.home_cards import card_words, commencer_html, obligatoire_html
from tests.siam.conftest import client_for, text

pytestmark = pytest.mark.django_db

TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


@pytest.mark.parametrize("with_demande", [False, True])
@pytest.mark.parametrize(
    "raisons",
    [[], ["stagiaire devant obtenir une première affectation"], ["affecté(e) à titre provisoire", "l'autre <raison>"]],
)
def test_the_obligatory_block_is_what_the_include_prints(
    intra: Campagne, teacher_a: Agent, with_demande: bool, raisons: list[str]
) -> None:
    demande = Demande.objects.create(agent=teacher_a, campagne=intra) if with_demande else None
    consequences = ["Si vous n'obtenez <aucun> vœu…", "Sinon : la même procédure."]
    depart = Depart(True, "", True, raisons, consequences)
    included = render_to_string(
        "siam/includes/_obligatoire.html", {"depart": depart, "demande": demande, "campagne": intra}
    )
    built = obligatoire_html(depart, demande, intra, card_words())
    assert built == included
    assert "&lt;raison&gt;" in built or len(raisons) < 2


def test_the_start_form_is_what_the_include_prints(intra: Campagne) -> None:
    included = render_to_string("siam/includes/_commencer.html", {"campagne": intra, "csrf_token": "abc123"})
    assert commencer_html(intra, "abc123", card_words()) == included


def test_the_start_form_carries_the_page_token_that_the_start_accepts(intra: Campagne, teacher_a: Agent) -> None:
    client = client_for(teacher_a)
    client.handler.enforce_csrf_checks = True
    page = client.get("/siam/").content.decode()
    tokens = set(TOKEN.findall(page))
    assert len(tokens) == 1 and page.count("csrfmiddlewaretoken") == 2  # the card's form and the header's logout
    response = client.post("/siam/intra-2027/demande/commencer/", {"csrfmiddlewaretoken": tokens.pop()})
    assert response.status_code == 302 and Demande.objects.filter(agent=teacher_a, campagne=intra).exists()


def test_the_campagne_libelle_and_the_empechement_are_escaped(intra: Campagne, rectorat: Agent) -> None:
    Campagne.objects.filter(pk=intra.pk).update(libelle="Intra <b>2027</b> & co")
    page = client_for(rectorat, staff=True).get("/siam/").content.decode()
    assert "Intra &lt;b&gt;2027&lt;/b&gt; &amp; co" in page and "<b>" not in page
    assert 'data-testid="empechement">Aucun dossier administratif d&#x27;enseignant' in page


def test_a_card_shows_the_demande_link_and_its_voeux_and_the_obligatory_reasons(
    intra: Campagne, teacher_a: Agent, ref: Any
) -> None:
    Dossier.objects.filter(agent=teacher_a).update(position=Position.STAGIAIRE, affectation_provisoire=True)
    demande = Demande.objects.create(
        agent=teacher_a, campagne=intra, entrant_inter=True, participation=Participation.OBLIGATOIRE
    )
    page = " ".join(text(client_for(teacher_a).get("/siam/")).split())
    assert f'<a class="fr-btn" href="/siam/demandes/{demande.pk}/">Saisir ou consulter votre demande</a>' in page
    assert "Votre demande : <strong>en cours de saisie</strong> — 0 vœu — participation obligatoire" in page
    depart = depart_for(dossier_for_depart(teacher_a), intra, demande=demande)
    assert depart.obligatoire and "(affecté(e) à titre provisoire ; entré(e) dans l'académie" in page
    assert "Commencez votre demande" not in page and 'data-testid="commencer"' not in page
