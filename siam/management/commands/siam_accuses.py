"""Post the accusés de réception of a campagne once its saisie is closed. Safe to re-run."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from siam.errors import SiamError
from siam.models import Campagne
from siam.services.confirmation import post_accuses


class Command(BaseCommand):
    help = (
        "Dépose dans le courrier I-Prof l'accusé de réception (confirmation de demande en PDF) de chaque participant."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("campagne", help="identifiant de la campagne (ex. inter-2027)")

    def handle(self, *args: Any, **options: Any) -> None:
        campagne = Campagne.objects.filter(slug=options["campagne"]).first()
        if campagne is None:
            known = ", ".join(Campagne.objects.values_list("slug", flat=True)) or "aucune"
            raise CommandError(f"Campagne inconnue : {options['campagne']} (campagnes : {known}).")
        try:
            posted, already = post_accuses(campagne=campagne)
        except SiamError as exc:
            raise CommandError(exc.message) from exc
        self.stdout.write(
            self.style.SUCCESS(f"{campagne} : {posted} accusé(s) de réception déposé(s), {already} déjà envoyé(s).")
        )
