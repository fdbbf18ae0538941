"""Load the demo data of `make run`: reference data, agents, dossiers, campagnes.

Refuses to run outside IPROF_ENV=dev: the demo password must never exist elsewhere.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from accounts.models import Agent
from iprof.demo import DEMO_PASSWORD, after_fixtures, fixture_files


class Command(BaseCommand):
    help = "Charge les données de démonstration (make run)."

    def handle(self, *args: Any, **options: Any) -> None:
        if settings.IPROF_ENV != "dev":
            raise CommandError("Les données de démonstration ne se chargent qu'avec IPROF_ENV=dev.")
        with transaction.atomic():
            call_command("loaddata", *fixture_files(), verbosity=0)
            # fixtures mark demo agents with the unusable password "!"
            for agent in Agent.objects.filter(password="!"):  # noqa: S106
                agent.set_password(DEMO_PASSWORD)
                agent.save(update_fields=["password"])
            after_fixtures()
        self.stdout.write(self.style.SUCCESS("Données de démonstration chargées."))
