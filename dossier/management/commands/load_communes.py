"""Load every current commune of France and its département from the committed COG extract.

`make run` calls it after the demo fixtures; a second run writes nothing. No network: the
extract under fixtures/cog/ is refreshed by `make communes-refresh` (see dossier/cog.py).
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from dossier import cog
from dossier.errors import DossierError
from dossier.services.communes import load_cog


class Command(BaseCommand):
    help = "Charge les communes et départements du Code officiel géographique (extrait de fixtures/cog/)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--communes", type=Path, default=cog.COMMUNES_FILE, help="CSV (ou .csv.gz) des communes")
        parser.add_argument("--departements", type=Path, default=cog.DEPARTEMENTS_FILE, help="CSV des départements")

    def handle(self, *args: Any, **options: Any) -> None:
        started = time.perf_counter()
        try:
            report = load_cog(
                communes=cog.read_communes(options["communes"]),
                departements=cog.read_departements(options["departements"]),
            )
        except (DossierError, OSError, KeyError, ValueError) as exc:
            raise CommandError(f"Communes non chargées : {exc}") from exc
        self.stdout.write(
            self.style.SUCCESS(
                f"COG {cog.COG_VERSION} : {report.communes} communes au référentiel "
                f"({report.communes_creees} créées, {report.communes_modifiees} modifiées, "
                f"{report.communes_hors_cog} absentes du COG conservées) ; départements : "
                f"{report.departements_crees} créés, {report.departements_modifies} modifiés "
                f"— {time.perf_counter() - started:.1f} s."
            )
        )
