"""Read helpers that scope every dossier object to its owner."""

from __future__ import annotations

from typing import TYPE_CHECKING

from iprof.banner import Banner

if TYPE_CHECKING:
    from accounts.models import Agent


def banner_identity(agent: Agent) -> Banner:
    from dossier.models import Dossier

    dossier = Dossier.objects.select_related("grade", "discipline").filter(agent=agent).first()
    return Banner(
        nom=agent.nom.upper(),
        prenom=agent.prenom,
        grade=dossier.grade.libelle if dossier else "",
        discipline=dossier.discipline.libelle if dossier else "",
    )
