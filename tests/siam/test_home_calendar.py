"""The SIAM home follows the calendar at once (issue 14: its SQL is compiled once per process, no data is kept)."""

from __future__ import annotations

from typing import Any

import pytest
from django.utils import timezone

from accounts.models import Agent
from siam.models import Campagne, Demande, EtatDemande, Voeu
from siam.services.campagnes import update_calendar
from tests.factories import make_staff
from tests.siam.conftest import client_for, paris, text

pytestmark = pytest.mark.django_db


def card(page: str, slug: str) -> str:
    """The campagne's card, its white space collapsed."""
    return " ".join(page.split(f'data-testid="campagne-{slug}"')[1].split('data-testid="campagne-')[0].split())


def test_a_date_moved_by_staff_shows_on_the_next_request(intra: Campagne, teacher_a: Agent) -> None:
    client = client_for(teacher_a)
    assert "2 avril 2027 à 12 h" in card(text(client.get("/siam/")), "intra-2027")
    update_calendar(
        campagne=intra, by=make_staff("Rita", "Rectorat"), dates={"saisie_fin": paris(2027, 4, 2, 18)}, motif="Panne"
    )
    page = card(text(client.get("/siam/")), "intra-2027")
    assert "2 avril 2027 à 18 h" in page and "à 12 h" not in page


def test_a_closed_saisie_and_a_recorded_jalon_change_the_phase_at_once(
    intra: Campagne, demande_a: Demande, teacher_a: Agent
) -> None:
    client = client_for(teacher_a)
    assert "Saisie des vœux ouverte jusqu'au" in card(text(client.get("/siam/")), "intra-2027")
    # the dates still say « saisie », but the accusés are sent: the saisie is closed from now on
    Demande.objects.filter(pk=demande_a.pk).update(accuse_envoye_le=timezone.now(), etat=EtatDemande.ENREGISTREE)
    page = card(text(client.get("/siam/")), "intra-2027")
    assert "Saisie des vœux ouverte" not in page and "saisie close" in page
    assert "Consulter votre demande" in page and "Saisir ou consulter" not in page
    # a date moved into the past (another node's staff): the next page says so
    Campagne.objects.filter(pk=intra.pk).update(saisie_debut=paris(2027, 3, 1, 12), saisie_fin=paris(2027, 3, 2, 12))
    Demande.objects.filter(pk=demande_a.pk).update(accuse_envoye_le=None, etat=EtatDemande.EN_SAISIE)
    assert "saisie close" in card(text(client.get("/siam/")), "intra-2027")


def test_the_home_reads_each_teacher_s_own_demandes(intra: Campagne, demande_a: Demande, teacher_b: Agent) -> None:
    page = card(text(client_for(teacher_b).get("/siam/")), "intra-2027")
    assert "pas encore de demande" in page and f"/siam/demandes/{demande_a.pk}/" not in page


def test_the_number_of_voeux_agrees_in_french(intra: Campagne, demande_a: Demande, teacher_a: Agent, ref: Any) -> None:
    client = client_for(teacher_a)
    assert "— 0 vœu —" in card(text(client.get("/siam/")), "intra-2027")  # ngettext's English rule said « 0 vœux »
    Voeu.objects.create(demande=demande_a, rang=1, type="COM", commune=ref["clermont"])
    assert "— 1 vœu —" in card(text(client.get("/siam/")), "intra-2027")
    Voeu.objects.create(demande=demande_a, rang=2, type="COM", commune=ref["riom"])
    assert "— 2 vœux —" in card(text(client.get("/siam/")), "intra-2027")
