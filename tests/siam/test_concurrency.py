"""Two tabs saving the same list at the same moment: one wins, the other gets the conflict, never a mix."""

from __future__ import annotations

import threading
from collections.abc import Callable
from itertools import pairwise
from typing import Any

import pytest
from django.db import connection
from django.test import Client

from accounts.models import Agent
from siam.models import Demande, DemandeVersion, Voeu
from tests.siam.conftest import client_for

pytestmark = pytest.mark.django_db(transaction=True)


def race(*posts: Callable[[], Any]) -> list[int]:
    """Run the posts in threads released together; the status codes, in the order given."""
    barrier = threading.Barrier(len(posts))
    statuses: list[int] = [0] * len(posts)

    def run(index: int, post: Callable[[], Any]) -> None:
        try:
            barrier.wait()
            statuses[index] = post().status_code
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, post)) for i, post in enumerate(posts)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return statuses


def listing(demande: Demande) -> list[tuple[int, str]]:
    return list(Voeu.objects.filter(demande=demande).order_by("rang").values_list("rang", "type"))


def post_add(
    client: Client, demande: Demande, voeu_type: str, code: str, version: int, filtre: str = "TOUT"
) -> Callable[[], Any]:
    url = f"/siam/demandes/{demande.pk}/voeux/ajouter/"
    return lambda: client.post(url, {"type": voeu_type, "code": code, "filtre": filtre, "version": version})


# Ten different voeux: two per round, so that a refusal can only come from the race.
TARGETS = [
    ("ZRD", "063", "TOUT"),
    ("ETB", "0631018P", "TOUT"),
    ("COM", "63113", "TOUT"),
    ("COM", "63300", "TOUT"),
    ("GEO", "GEO063CLF", "TOUT"),
    ("ZRE", "ZR063CLF", "TOUT"),
    ("DPT", "063", "TOUT"),
    ("ACA", "CLERMONT", "TOUT"),
    ("COM", "63113", "CLG"),
    ("COM", "63300", "LYC"),
]


def test_two_tabs_adding_on_the_same_version_one_wins_one_gets_the_conflict(
    demande_a: Demande, teacher_a: Agent, ref: Any
) -> None:
    tab_1, tab_2 = client_for(teacher_a), client_for(teacher_a)
    for round_number in range(5):
        demande_a.refresh_from_db()
        version = demande_a.version
        (t1, c1, f1), (t2, c2, f2) = TARGETS[2 * round_number : 2 * round_number + 2]
        statuses = race(
            post_add(tab_1, demande_a, t1, c1, version, f1), post_add(tab_2, demande_a, t2, c2, version, f2)
        )
        assert sorted(statuses) == [302, 409], statuses
        demande_a.refresh_from_db()
        assert demande_a.version == version + 1
    versions = list(DemandeVersion.objects.filter(demande=demande_a).order_by("version"))
    assert [v.version for v in versions] == [1, 2, 3, 4, 5]
    # every saved list is the previous one plus exactly one voeu: nothing lost, nothing mixed
    for before, after in pairwise(versions):
        assert after.contenu["voeux"][: len(before.contenu["voeux"])] == before.contenu["voeux"]
        assert len(after.contenu["voeux"]) == len(before.contenu["voeux"]) + 1
    assert [(r, t) for r, t in listing(demande_a)] == [(v["rang"], v["type"]) for v in versions[-1].contenu["voeux"]]


def test_a_move_and_a_removal_racing_never_leave_a_mixed_list(demande_a: Demande, teacher_a: Agent, ref: Any) -> None:
    tab_1, tab_2 = client_for(teacher_a), client_for(teacher_a)
    for voeu_type, code in (("ETB", "0631018P"), ("COM", "63113"), ("GEO", "GEO063CLF"), ("ZRE", "ZR063CLF")):
        demande_a.refresh_from_db()
        assert post_add(tab_1, demande_a, voeu_type, code, demande_a.version)().status_code == 302
    demande_a.refresh_from_db()
    version = demande_a.version
    third = Voeu.objects.get(demande=demande_a, rang=3)
    first = Voeu.objects.get(demande=demande_a, rang=1)
    statuses = race(
        lambda: tab_1.post(f"/siam/voeux/{third.pk}/deplacer/", {"version": version, "direction": "up"}),
        lambda: tab_2.post(f"/siam/voeux/{first.pk}/supprimer/", {"version": version}),
    )
    assert sorted(statuses) == [302, 409]
    moved = [(1, "ETB"), (2, "GEO"), (3, "COM"), (4, "ZRE")]
    removed = [(1, "COM"), (2, "GEO"), (3, "ZRE")]
    assert listing(demande_a) == (moved if statuses[0] == 302 else removed)
    latest = DemandeVersion.objects.filter(demande=demande_a).latest("version")
    assert [(v["rang"], v["type"]) for v in latest.contenu["voeux"]] == listing(demande_a)
