from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from accounts.models import Agent
from iprof.demo import DEMO_PASSWORD


class Command(BaseCommand):
    help = "Affiche les identifiants de démonstration."

    def handle(self, *args: Any, **options: Any) -> None:
        self.stdout.write(f"Comptes de démonstration (mot de passe : {DEMO_PASSWORD})")
        for agent in Agent.objects.order_by("-is_staff", "identifiant").prefetch_related("groups"):
            role = ", ".join(g.name for g in agent.groups.all()) or ("enseignant" if not agent.is_staff else "staff")
            self.stdout.write(f"  {agent.identifiant:<12} {agent.prenom} {agent.nom.upper():<12} {role}")
