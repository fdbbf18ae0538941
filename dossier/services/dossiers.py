"""Creating an agent's dossier, whoever asks (the CSV import, the shell): the journal records it."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from accounts.models import Agent
from dossier.models import Dossier
from dossier.services.history import Change, record_changes


@transaction.atomic
def create_agent_dossier(*, agent: Agent, dossier: Dossier, auteur: Agent | None, motif: str) -> Dossier:
    """Save a new agent (without a usable password: they choose theirs) and their dossier, and journal it."""
    agent.set_unusable_password()
    agent.save()  # assigns the identifier (fdupont, fdupont1…)
    dossier.agent = agent
    dossier.save(force_insert=True)
    record_changes(
        dossier=dossier, auteur=auteur, motif=motif, changes=[Change(_("création du dossier"), "", str(agent))]
    )
    return dossier
