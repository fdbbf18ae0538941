from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.contrib.auth.models import Group

from accounts.models import Agent
from iprof.courrier.models import CorrespondantGestion
from lib.roles import RECTORAT


@pytest.fixture(autouse=True)
def _media(settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def many_agents(db: None) -> Callable[[int], list[int]]:
    """Bare agents created in bulk, with an e-mail address; returns their ids."""

    def make(count: int, prefix: str = "bulk") -> list[int]:
        agents = Agent.objects.bulk_create(
            Agent(identifiant=f"{prefix}{i}", nom=f"Nom{i}", prenom="Agent", email=f"{prefix}{i}@example.org")
            for i in range(count)
        )
        return [a.pk for a in agents]

    return make


@pytest.fixture
def correspondant(rectorat: Agent) -> CorrespondantGestion:
    """The default correspondant: the rectorat group, for every discipline and département."""
    return CorrespondantGestion.objects.create(
        libelle="Bureau des personnels enseignants", groupe=Group.objects.get(name=RECTORAT)
    )
