"""The trail and the navigation of a demande's pages, rendered once per process with stand-ins (siam.views.demande_parts)."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.template.loader import render_to_string
from django.test.utils import override_script_prefix

from accounts.models import Agent
from siam.models import Campagne, Demande, Participation
from siam.views.demande_parts import demande_parts
from tests.siam.conftest import APRES, AVANT, client_for, text

pytestmark = pytest.mark.django_db

TITLES = {"demande": "Votre demande", "voeux": "Vos vœux", "pieces": "Pièces justificatives", "bareme": "Votre barème"}
PAGES = {"demande": "", "voeux": "voeux/", "pieces": "pieces/", "bareme": "bareme/"}


@pytest.mark.parametrize("current", list(TITLES))
def test_each_page_gets_the_includes_as_they_render_for_its_demande(
    intra: Campagne, demande_a: Demande, current: str
) -> None:
    Campagne.objects.filter(pk=intra.pk).update(libelle="Mouvement <intra> & « SPEA »")
    demande = Demande.objects.select_related("campagne").get(pk=demande_a.pk)
    parts = demande_parts(demande, current)
    context = {"demande": demande, "campagne": demande.campagne}
    assert parts["breadcrumb"] == render_to_string(
        "siam/includes/_breadcrumb.html", {**context, "current": TITLES[current]}
    )
    assert parts["demande_nav"] == render_to_string("siam/includes/_demande_nav.html", {**context, "current": current})
    assert "Mouvement &lt;intra&gt; &amp; « SPEA »" in parts["breadcrumb"]
    assert f'href="/siam/demandes/{demande.pk}/pieces/"' in parts["demande_nav"]


@pytest.mark.parametrize("current", list(TITLES))
def test_the_pages_show_their_trail_and_navigation(demande_a: Demande, teacher_a: Agent, current: str) -> None:
    page = text(client_for(teacher_a).get(f"/siam/demandes/{demande_a.pk}/{PAGES[current]}"))
    assert f'<a class="fr-breadcrumb__link" aria-current="page">{TITLES[current]}</a>' in page
    assert f'<span class="fr-breadcrumb__link">{demande_a.campagne.libelle}</span>' in page
    assert f'href="/siam/demandes/{demande_a.pk}/voeux/"' in page
    assert f'href="/siam/{demande_a.campagne.slug}/postes/"' in page
    own = f'href="/siam/demandes/{demande_a.pk}/{PAGES[current]}" aria-current="page">'
    nav = page.split('<nav class="fr-mb-4w" aria-label="Votre demande">')[1].split("</nav>")[0]
    assert own in nav and nav.count('aria-current="page"') == 1  # the page's own button, no other


def test_the_parts_follow_the_script_prefix_the_portal_is_served_under(demande_a: Demande) -> None:
    demande = Demande.objects.select_related("campagne").get(pk=demande_a.pk)
    assert f'href="/siam/demandes/{demande.pk}/bareme/"' in demande_parts(demande, "voeux")["demande_nav"]
    with override_script_prefix("/iprof/"):
        parts = demande_parts(demande, "voeux")
    assert f'href="/iprof/siam/demandes/{demande.pk}/bareme/"' in parts["demande_nav"]
    assert 'href="/iprof/siam/"' in parts["breadcrumb"]


def heading(page: str) -> str:
    """The words of the demande's heading (title to navigation), as text() shows them."""
    part = page.split("<h1>")[1].split('<nav class="fr-mb-4w"')[0]
    return " ".join(re.sub(r"<[^>]+>", " ", part).split())


@pytest.mark.parametrize("path", ["", "voeux/", "bareme/"])
def test_the_heading_says_the_participation_and_the_saisie_in_french_in_each_case(
    demande_a: Demande, teacher_a: Agent, at: Any, path: str
) -> None:
    url = f"/siam/demandes/{demande_a.pk}/{path}"
    said = heading(text(client_for(teacher_a).get(url)))
    assert "État de votre demande : en cours de saisie Saisie ouverte jusqu'au 2 avril 2027 à 12 h ." in said
    assert "Participation : volontaire Si vous n'obtenez aucun de vos vœux, vous conservez votre poste actuel." in said
    Demande.objects.filter(pk=demande_a.pk).update(
        participation=Participation.OBLIGATOIRE, participation_raisons=["mesure de carte scolaire"]
    )
    at(APRES)  # a new login after each move of the clock: the session would have expired
    said = heading(text(client_for(teacher_a).get(url)))
    assert (
        "Participation : obligatoire Motif : mesure de carte scolaire. Si vous n'obtenez aucun de vos vœux, la " in said
    )
    assert "procédure d'extension s'applique." in said and "Saisie ouverte" not in said
    assert (
        "La saisie des vœux est fermée depuis le 2 avril 2027 à 12 h : votre demande ne peut plus être modifiée."
        in said
    )
    at(AVANT)
    said = heading(text(client_for(teacher_a).get(url)))
    assert "La saisie des vœux ouvrira le" in said and "fermée" not in said
