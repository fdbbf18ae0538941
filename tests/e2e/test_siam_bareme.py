"""In Chromium: a teacher reads their barème, line by line with the rectorat's changes, and asks for a correction."""

from __future__ import annotations

import datetime
from typing import Any

from axe_playwright_python.sync_playwright import Axe
from django.utils import timezone
from playwright.sync_api import Page, expect

from accounts.models import Agent
from dossier.models import Academie
from siam.models import CampagneKind, StatutMotif
from siam.models.bareme import Contestation
from siam.services.bareme import recompute_baremes
from siam.services.bareme.contestation import answer_contestation, open_contestation
from siam.services.bareme.verification import override_line
from tests.siam.bareme_cast import family, inter_demande
from tests.siam.conftest import build_campagne, build_ref, client_for


def login(page: Page, live_server: Any, identifiant: str, password: str) -> None:
    page.goto(f"{live_server.url}/")
    page.get_by_label("Compte utilisateur").fill(identifiant)
    page.get_by_label("Mot de passe", exact=True).fill(password)
    page.get_by_role("button", name="Valider").click()


def display_phase_now() -> dict[str, datetime.datetime]:
    """A calendar whose barème display window is open today."""
    now, day = timezone.now(), datetime.timedelta(days=1)
    return {
        "saisie_debut": now - 60 * day, "saisie_fin": now - 40 * day, "confirmation_debut": now - 39 * day,
        "retour_pieces_fin": now - 30 * day, "bareme_affichage_debut": now - 2 * day,
        "bareme_affichage_fin": now + 10 * day, "baremes_definitifs": now + 20 * day,
        "annulation_fin": now + 25 * day, "resultats": now + 40 * day,
    }  # fmt: skip


def test_a_teacher_reads_each_line_of_their_barème_and_the_history_then_asks_for_a_correction(
    page: Page, live_server: Any, teacher_a: Agent, rectorat: Agent, password: str, shoot: Any
) -> None:
    ref = build_ref()
    campagne = build_campagne(CampagneKind.INTER, **display_phase_now())
    academies = {
        "lyon": ref["lyon_academie"], "grenoble": Academie.objects.create(code="GRENOBLE", nom="Grenoble"),
        "paris": Academie.objects.create(code="PARIS", nom="Paris"), "lyon_commune": ref["lyon"],
    }  # fmt: skip
    family(teacher_a, ref)
    demande = inter_demande(teacher_a, campagne, academies, rc=StatutMotif.VALIDE)
    recompute_baremes(campagne=campagne)
    override_line(demande=demande, staff=rectorat, code="poste", points="340",
                  justification="Affectation au 1er septembre 2015 : arrêté du 3 juillet 2015")  # fmt: skip
    earlier = open_contestation(demande=demande, motif="Mon ancienneté dans le poste compte une année de plus.")
    answer_contestation(contestation=earlier, staff=rectorat, accepte=True,
                        reponse="Vérifié : une année de plus, la ligne est corrigée.")  # fmt: skip

    login(page, live_server, "fdupont", password)
    page.goto(f"{live_server.url}/siam/demandes/{demande.pk}/")
    page.get_by_role("link", name="Votre barème").click()
    expect(page.get_by_role("heading", name="Votre barème", exact=True)).to_be_visible()
    expect(page.get_by_test_id("bareme-calcule")).to_contain_text("Barème vérifié par le rectorat")
    expect(page.get_by_test_id("bareme-resume")).to_contain_text("064,2 points")
    first = page.locator(f"#lignes-{demande.voeux.get(rang=1).pk}")
    expect(first).to_be_visible()
    expect(first.locator("[data-code=rc]")).to_contain_text("150,2")
    expect(first.locator("[data-code=rc]")).to_contain_text(
        "Académie de résidence professionnelle du conjoint (Lyon), en vœu 1"
    )
    expect(first.locator("[data-code=poste]")).to_contain_text("corrigée par le rectorat")
    expect(page.get_by_test_id("historique")).to_contain_text("Modifié par le rectorat le")
    expect(page.get_by_test_id("historique")).to_contain_text(
        "Affectation au 1er septembre 2015 : arrêté du 3 juillet 2015"
    )
    expect(page.get_by_test_id("contestation")).to_contain_text("Vérifié : une année de plus")
    shoot("siam-bareme-01-voeu-1")
    violations = [v for v in Axe().run(page).response["violations"] if v["id"] != "region"]
    assert violations == [], [(v["id"], v["nodes"][0]["target"]) for v in violations]

    paris = demande.voeux.get(rang=3)
    page.get_by_role("button", name="Vœu n° 3 : Paris").click()
    lines = page.locator(f"#lignes-{paris.pk}")
    expect(lines.locator("[data-code=rc]")).to_contain_text(
        "Ni l'académie du conjoint (Lyon) ni une académie limitrophe"
    )
    shoot("siam-bareme-02-voeu-3")

    form = page.get_by_test_id("contestation-form")
    form.get_by_label("Vœu concerné").select_option(label=str(paris))
    form.get_by_label("Ce qui vous semble erroné, et pourquoi").fill(
        "Mes trois années de séparation ne sont pas comptées."
    )
    form.get_by_role("button", name="Envoyer ma demande de correction").click()
    expect(page.get_by_text("Votre demande de correction est envoyée au rectorat.")).to_be_visible()
    expect(page.get_by_test_id("contestation").first).to_contain_text("en cours d'examen")
    assert Contestation.objects.filter(demande=demande, statut="ouverte", voeu=paris).exists()
    shoot("siam-bareme-03-demande-de-correction")


def test_the_rectorat_validates_a_claim_then_sees_the_barème_recomputed_and_recorded(
    page: Page, live_server: Any, teacher_a: Agent, rectorat: Agent, shoot: Any
) -> None:
    ref = build_ref()
    now, day = timezone.now(), datetime.timedelta(days=1)
    campagne = build_campagne(CampagneKind.INTER, **{**display_phase_now(), "bareme_affichage_debut": now + 5 * day})
    academies = {
        "lyon": ref["lyon_academie"], "grenoble": Academie.objects.create(code="GRENOBLE", nom="Grenoble"),
        "paris": Academie.objects.create(code="PARIS", nom="Paris"), "lyon_commune": ref["lyon"],
    }  # fmt: skip
    family(teacher_a, ref)
    demande = inter_demande(teacher_a, campagne, academies, rc=StatutMotif.DECLARE)
    recompute_baremes(campagne=campagne)
    # a staff session with its second factor done (the TOTP step has its own tests)
    client = client_for(rectorat, staff=True)
    page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )

    page.goto(f"{live_server.url}/admin/siam/verificationbareme/?a_verifier=oui")
    expect(page.get_by_role("link", name=str(teacher_a))).to_be_visible()
    page.get_by_role("link", name=str(teacher_a)).click()
    bareme = page.get_by_test_id("admin-bareme")
    expect(bareme).to_contain_text("369 points")
    expect(bareme).to_contain_text("en attente de validation")
    shoot("siam-bareme-04-verification-avant")
    page.locator("select[name='motifs-0-statut']").select_option("validated")
    page.get_by_role("button", name="Enregistrer et continuer les modifications").click()
    expect(page.get_by_test_id("admin-bareme")).to_contain_text("044,2 points")
    expect(page.locator("#bareme_changes-group")).to_contain_text("Rapprochement de conjoints : validé")
    shoot("siam-bareme-05-verification-apres")
    assert str(demande.voeux.get(rang=1).bareme.total) == "1044.2"  # type: ignore[attr-defined]

    page.goto(f"{live_server.url}/admin/siam/reglesbareme/{campagne.pk}/change/")
    expect(page.get_by_role("heading", name="Modification de règles du barème d'une campagne")).to_be_visible()
    shoot("siam-bareme-06-regles")
