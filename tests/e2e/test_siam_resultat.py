"""In Chromium: a teacher kept on their post reads the result in their courrier, then its explanation in SIAM."""

from __future__ import annotations

import datetime
from typing import Any

from django.utils import timezone
from playwright.sync_api import Page, expect

from accounts.models import Agent
from siam.models import CampagneKind
from siam.services.mouvement import run_mouvement
from siam.services.mouvement.publication import publish_run
from tests.e2e.test_login_logout import login
from tests.siam.conftest import build_campagne, build_ref
from tests.siam.mouvement_helpers import chain_scenario


def results_since_yesterday() -> dict[str, datetime.datetime]:
    now = timezone.now()
    day = datetime.timedelta(days=1)
    start = now - 120 * day
    return {
        "saisie_debut": start,
        "saisie_fin": start + 20 * day,
        "confirmation_debut": start + 21 * day,
        "retour_pieces_fin": start + 31 * day,
        "bareme_affichage_debut": start + 60 * day,
        "bareme_affichage_fin": start + 81 * day,
        "baremes_definitifs": start + 90 * day,
        "annulation_fin": start + 95 * day,
        "resultats": now - day,
    }


def test_a_teacher_reads_their_result_and_why_they_did_not_obtain_their_voeu(
    page: Page, live_server: Any, drh: Agent, password: str, shoot: Any
) -> None:
    ref = build_ref()
    campagne = build_campagne(CampagneKind.INTRA, **results_since_yesterday())
    scenario = chain_scenario(campagne, ref)
    run = run_mouvement(campagne=campagne, by=None)
    publish_run(run=run, by=drh)

    login(page, live_server, scenario.agents["F"].identifiant, password)
    nav = page.get_by_role("navigation", name="Menu I-Prof")
    nav.get_by_role("link", name="Votre courrier").click()
    page.get_by_role("link", name="Résultat de votre demande de mutation — Mouvement intra-académique 2027").click()
    message = page.get_by_test_id("message")
    expect(message).to_contain_text("vous restez affecté(e) sur votre poste actuel : Collège Mendès-France")
    expect(message).to_contain_text("/siam/intra-2027/resultat/")
    shoot("mouvement-01-courrier-resultat")

    page.goto(f"{live_server.url}/siam/")
    page.get_by_test_id("campagne-intra-2027").get_by_role("link", name="Consulter votre résultat").click()
    expect(page.get_by_role("heading", name="Aucun vœu obtenu")).to_be_visible()
    table = page.get_by_test_id("why-not")
    expect(table).to_contain_text("Lycée Virlogeux")
    expect(table).to_contain_text("200,5")
    expect(table).to_contain_text("300")
    expect(table).to_contain_text("barème inférieur à la barre")
    shoot("mouvement-02-resultat-explication")

    # another participant's page is theirs only: the same address shows Fanny her own result
    expect(page.get_by_test_id("phrase")).not_to_contain_text("Albert-Camus")
