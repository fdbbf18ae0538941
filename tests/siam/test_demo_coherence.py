"""The demo tells one story: courrier, guides, dossiers and campagnes agree on facts and dates."""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterator
from typing import Any

import pytest
from django.core.management import call_command
from django.db import transaction

from accounts.models import Agent
from dossier.models import EchelonHistorique
from iprof.courrier.models import Categorie, Message
from iprof.demo import after_fixtures, fixture_files
from iprof.guides.models import Guide
from siam.models import Campagne, Demande

pytestmark = pytest.mark.django_db

MOIS = ("janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre", "novembre", "décembre")  # fmt: skip
DAY = datetime.timedelta(days=1)


@pytest.fixture(scope="module")
def demo_loaded(django_db_setup: None, django_db_blocker: Any) -> Iterator[None]:
    """The demo, loaded once for the module inside a transaction rolled back at its end."""
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("loaddata", *fixture_files(), verbosity=0)
        after_fixtures()
        yield
        transaction.set_rollback(True)


@pytest.fixture
def demo(demo_loaded: None, db: None) -> None:
    """The demo, inside this test's savepoint: what a test writes is gone for the next one."""


def test_every_accuse_in_the_demo_courrier_matches_a_demande_siam_holds(demo: None) -> None:
    accuses = Message.objects.filter(envoi__categorie=Categorie.ACCUSE_RECEPTION).select_related("recipient")
    for message in accuses:
        assert Demande.objects.filter(agent=message.recipient, accuse_envoye_le__isnull=False).exists(), (
            f"{message.recipient}: « {message.sujet} » without an acknowledged demande"
        )
    fdupont = Agent.objects.get(identifiant="fdupont")
    assert not Demande.objects.filter(agent=fdupont).exists()  # the demo shows him entering his voeux
    assert not accuses.filter(recipient=fdupont).exists()


def test_loading_the_demo_twice_keeps_one_story(demo: None) -> None:
    counts = (Message.objects.count(), Demande.objects.count())
    after_fixtures()
    assert (Message.objects.count(), Demande.objects.count()) == counts


# Each sentence of the calendar guide, and the two dates of every campagne it speaks about.
GUIDE_DURATIONS = [
    ("3 semaines pour l'inter", "inter", "saisie_debut", "saisie_fin", 21 * DAY),
    ("4 semaines pour l'intra", "intra", "saisie_debut", "saisie_fin", 28 * DAY),
    ("disponible le lendemain de la fermeture", None, "saisie_fin", "confirmation_debut", DAY),
    ("dans les 10 jours qui suivent", None, "confirmation_debut", "retour_pieces_fin", 10 * DAY),
    ("40 jours après la fermeture", None, "saisie_fin", "bareme_affichage_debut", 40 * DAY),
    ("pendant 3 semaines", None, "bareme_affichage_debut", "bareme_affichage_fin", 21 * DAY),
    ("10 semaines après la fermeture", None, "saisie_fin", "baremes_definitifs", 70 * DAY),
    ("5 jours après les barèmes définitifs", None, "baremes_definitifs", "annulation_fin", 5 * DAY),
    ("100 jours après la fermeture", None, "saisie_fin", "resultats", 100 * DAY),
]


def test_the_calendar_guide_says_what_the_demo_campagnes_do(demo: None) -> None:
    corps = Guide.objects.get(slug="calendrier-campagne").corps
    assert not re.search(rf"\b\d{{1,2}} ({'|'.join(MOIS)}) \d{{4}}", corps), "a fixed date cannot stay true"
    campagnes = list(Campagne.objects.filter(year=2027))
    assert {c.kind for c in campagnes} == {"inter", "intra"}
    for sentence, kind, start, end, duration in GUIDE_DURATIONS:
        assert sentence in corps, sentence
        for campagne in campagnes:
            if kind in (None, campagne.kind):
                assert days(campagne, start, end) == duration, (campagne.slug, sentence)
    assert all(timezone_hour(c.saisie_fin) == 12 for c in campagnes)  # « fermeture à 12 h »
    assert all(c.phase == "saisie" for c in campagnes)


def days(campagne: Campagne, start: str, end: str) -> datetime.timedelta:
    """Between two dates as the guide counts them: calendar days in Paris (a DST change is not an hour off)."""
    from django.utils import timezone

    return timezone.localtime(getattr(campagne, end)).date() - timezone.localtime(getattr(campagne, start)).date()


def timezone_hour(value: datetime.datetime) -> int:
    from django.utils import timezone

    return timezone.localtime(value).hour


def test_a_courrier_reply_never_confirms_an_echelon_date_the_dossier_contradicts(demo: None) -> None:
    pattern = re.compile(rf"(\d+)e échelon[^.]*? le (1er|\d{{1,2}}) ({'|'.join(MOIS)}) (\d{{4}})")
    checked = 0
    replies = Message.objects.filter(conversation__isnull=False, sender__is_staff=True).select_related(
        "conversation__agent__dossier"
    )
    for message in replies:
        for echelon, day, month, year in pattern.findall(message.corps):
            date = datetime.date(int(year), MOIS.index(month) + 1, 1 if day == "1er" else int(day))
            dossier = message.conversation.agent.dossier  # type: ignore[union-attr]
            history = EchelonHistorique.objects.filter(dossier=dossier, echelon=int(echelon))
            assert history.filter(date_effet=date).exists(), f"{message.corps[:80]}… vs the dossier"
            if dossier.echelon == int(echelon):
                assert dossier.date_echelon == date
            checked += 1
    assert checked >= 1
