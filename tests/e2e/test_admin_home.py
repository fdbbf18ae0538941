"""The rectorat's staff home in a browser: what is waiting, and a count that opens exactly its rows."""

from __future__ import annotations

from typing import Any

from playwright.sync_api import Page, expect

from accounts.models import Agent
from siam.models import CampagneKind, Demande, DemandeVersion, EtatDemande, Motif, MotifDeclare, Participation
from tests.e2e.conftest import ARTIFACTS
from tests.factories import make_teacher
from tests.siam.conftest import build_campagne, build_ref, client_for, paris
from tests.siam.test_admin_queues import piece


def test_the_staff_home_says_what_is_waiting_and_opens_the_list(
    page: Page, live_server: Any, rectorat: Agent, shoot: Any
) -> None:
    build_ref()
    intra = build_campagne(CampagneKind.INTRA)
    build_campagne(CampagneKind.INTER)
    teachers = [make_teacher("Agent", f"Attente{c}") for c in "ABC"]
    for i, agent in enumerate(teachers):
        demande = Demande.objects.create(
            agent=agent,
            campagne=intra,
            participation=Participation.OBLIGATOIRE if i == 0 else Participation.VOLONTAIRE,
            etat=EtatDemande.ENREGISTREE,
        )
        piece(demande, MotifDeclare.objects.create(demande=demande, motif=Motif.RQTH))
        for day in range(i + 1):  # saves on the 2nd, 3rd and 4th of March: 3, 2, 1
            version = DemandeVersion.objects.create(demande=demande, version=day + 1, action="ajout", contenu={})
            DemandeVersion.objects.filter(pk=version.pk).update(date=paris(2027, 3, 2 + day, 10))
    client = client_for(rectorat, staff=True)  # a staff session with its second factor done
    page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )
    page.goto(f"{live_server.url}/admin/")
    queues = page.locator(".iprof-queues")
    expect(queues.get_by_role("heading", name="À traiter")).to_be_visible()
    expect(queues).to_contain_text("Mouvement intra-académique 2027")
    expect(queues.get_by_role("link", name="3 pièces à vérifier")).to_be_visible()
    expect(queues.get_by_role("link", name="1 participant obligatoire sans vœu")).to_be_visible()
    shoot("admin-01-accueil-a-traiter")
    queues.get_by_role("link", name="3 motifs à valider").click()
    expect(page.locator("#result_list tbody tr")).to_have_count(3)
    shoot("admin-02-motifs-a-valider")
    page.goto(f"{live_server.url}/admin/siam/campagne/{intra.pk}/change/")
    chart = page.get_by_test_id("chart-saves")
    expect(chart.get_by_role("img")).to_be_visible()
    expect(chart.locator("tbody tr")).to_have_count(3)
    chart.scroll_into_view_if_needed()
    chart.screenshot(path=str(ARTIFACTS / "admin-03-graphique-saisie.png"))
