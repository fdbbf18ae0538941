"""Staff lists cost the same number of queries for 3 rows as for 15: no per-row query, a pinned bound."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.models import Agent
from iprof.courrier.models import CorrespondantGestion
from iprof.courrier.services import start_conversation
from siam.models import Campagne, Demande, Motif, MotifDeclare, Voeu
from siam.models.bareme import Contestation
from tests.factories import make_teacher
from tests.siam.conftest import client_for
from tests.siam.test_admin_queues import piece

pytestmark = pytest.mark.django_db

LISTS = {  # url -> pinned bound (session, user, MFA, perms, the page's own queries)
    "/admin/siam/demande/": 8,
    "/admin/siam/demande/?file=obligatoires_sans_voeu": 8,
    "/admin/siam/piecejustificative/": 8,
    "/admin/siam/motifdeclare/": 8,
    "/admin/siam/contestation/": 9,  # and the date_hierarchy
    "/admin/accounts/agent/": 8,
    "/admin/courrier/conversation/": 8,
}


def add_rows(intra: Campagne, ref: dict[str, Any], n: int, start: int) -> None:
    for i in range(start, start + n):
        agent = make_teacher("Agent", f"Liste{i:03d}")
        demande = Demande.objects.create(agent=agent, campagne=intra)
        Voeu.objects.create(demande=demande, rang=1, type="COM", commune=ref["clermont"])
        motif = MotifDeclare.objects.create(demande=demande, motif=Motif.RQTH)
        piece(demande, motif)
        Contestation.objects.create(demande=demande, motif="Échelon")
        start_conversation(agent=agent, sujet=f"Question {i}", corps="Bonjour")


def queries(staff: Any, url: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert staff.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_staff_lists_make_no_query_per_row(intra: Campagne, ref: dict[str, Any], rectorat: Agent) -> None:
    CorrespondantGestion.objects.create(libelle="DPE", agent=rectorat)
    staff = client_for(rectorat, staff=True)
    add_rows(intra, ref, 3, 0)
    staff.get("/admin/")  # the first request of a session caches its permissions
    few = {url: queries(staff, url) for url in LISTS}
    add_rows(intra, ref, 12, 3)
    many = {url: queries(staff, url) for url in LISTS}
    assert many == few, (few, many)
    assert {url: n for url, n in many.items() if n > LISTS[url]} == {}
