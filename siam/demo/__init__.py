"""Demo calendar for `make run`: the demo campagnes' saisie is open today, whatever today is.

fixtures/60_siam.json holds the campagnes, their posts and fdupont1's demande; this hook moves
their dates around now, and removes fdupont's demandes so that the demo shows him starting one
(« Commencer ma demande ») and entering his voeux. No accusé de réception exists in the demo: they
leave at the closing of the saisie, and the demo saisie is open (tests/siam/test_demo_coherence.py).
"""

from __future__ import annotations

import datetime

from django.utils import timezone

from siam.models import Campagne, Demande, Voeu

DEMO_SLUGS = {"inter-2027": 14, "intra-2027-clermont": 21}  # days of saisie left
FIXTURE_VOEUX = {1: (1, 2, 3, 4)}  # demande pk -> voeu pks of the fixture
RESET_IDENTIFIANTS = ("fdupont",)


def demo_calendar(now: datetime.datetime, days_left: int) -> dict[str, datetime.datetime]:
    """Opened a week ago, closing at noon (Paris) in ``days_left`` days; later phases follow."""
    noon = timezone.localtime(now).replace(hour=12, minute=0, second=0, microsecond=0)
    fin = noon + datetime.timedelta(days=days_left)
    day = datetime.timedelta(days=1)
    return {
        "saisie_debut": noon - 7 * day,
        "saisie_fin": fin,
        "confirmation_debut": fin + day,
        "retour_pieces_fin": fin + 11 * day,
        "bareme_affichage_debut": fin + 40 * day,
        "bareme_affichage_fin": fin + 61 * day,
        "baremes_definitifs": fin + 70 * day,
        "annulation_fin": fin + 75 * day,
        "resultats": fin + 100 * day,
    }


def after_fixtures() -> None:
    now = timezone.now()
    for slug, days_left in DEMO_SLUGS.items():
        Campagne.objects.filter(slug=slug).update(**demo_calendar(now, days_left))
    for demande_pk, voeu_pks in FIXTURE_VOEUX.items():
        # voeux added by hand during an earlier demo would clash with the fixture's ranks
        Voeu.objects.filter(demande_id=demande_pk).exclude(pk__in=voeu_pks).delete()
    Demande.objects.filter(campagne__slug__in=DEMO_SLUGS, agent__identifiant__in=RESET_IDENTIFIANTS).delete()
