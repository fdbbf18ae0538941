"""Compute a campagne's barèmes, draw its tie-break seed, or mark them définitifs (from cron at the date)."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from siam.errors import SiamError
from siam.models import Campagne
from siam.services.bareme import freeze_baremes, recompute_baremes
from siam.services.bareme.departage import draw_seed


class Command(BaseCommand):
    help = "Calcule (ou recalcule) tous les barèmes d'une campagne ; --tirage fait le tirage au sort de départage ; --definitifs les fige."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("campagne", help="identifiant de la campagne (ex. inter-2027)")
        parser.add_argument("--tirage", action="store_true", help="tirer la graine de départage (une seule fois)")
        parser.add_argument(
            "--definitifs", action="store_true", help="marquer les barèmes définitifs (à la date prévue)"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        campagne = Campagne.objects.filter(slug=options["campagne"]).first()
        if campagne is None:
            known = ", ".join(Campagne.objects.values_list("slug", flat=True)) or "aucune"
            raise CommandError(f"Campagne inconnue : {options['campagne']} (campagnes : {known}).")
        try:
            if options["definitifs"]:
                count = freeze_baremes(campagne=campagne)
                self.stdout.write(
                    self.style.SUCCESS(f"{campagne} : {count} barème(s) de voeux marqué(s) définitif(s).")
                )
                return
            if options["tirage"]:
                tirage = draw_seed(campagne=campagne, staff=None)
                self.stdout.write(self.style.SUCCESS(f"{campagne} : graine de départage {tirage.seed}."))
                return
            started = time.perf_counter()
            result = recompute_baremes(campagne=campagne)
        except SiamError as exc:
            raise CommandError(exc.message) from exc
        self.stdout.write(
            self.style.SUCCESS(
                f"{campagne} : barèmes de {result.voeux} voeu(x) de {result.demandes} demande(s) calculés "
                f"({result.extensions} barème(s) d'extension) en {time.perf_counter() - started:.1f} s."
            )
        )
