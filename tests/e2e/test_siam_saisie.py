"""A whole saisie in Chromium: from Les services to the confirmation PDF, then log out."""

from __future__ import annotations

import datetime
import io
from typing import Any

from axe_playwright_python.sync_playwright import Axe
from django.utils import timezone
from playwright.sync_api import Page, expect
from pypdf import PdfReader

from accounts.models import Agent
from dossier.models import Academie, Dossier
from siam.demo import demo_calendar
from siam.models import Campagne, CampagneKind, Demande, StatutMotif, Voeu
from tests.e2e.conftest import ARTIFACTS
from tests.siam.bareme_cast import family, inter_demande
from tests.siam.conftest import build_campagne, build_ref


def login(page: Page, live_server: Any, identifiant: str, password: str) -> None:
    page.goto(f"{live_server.url}/")
    page.get_by_label("Compte utilisateur").fill(identifiant)
    page.get_by_label("Mot de passe", exact=True).fill(password)
    page.get_by_role("button", name="Valider").click()


def assert_accessible(page: Page) -> None:
    """axe-core finds nothing (the shell's identity banner, outside any landmark, is the shell's matter)."""
    violations = [v for v in Axe().run(page).response["violations"] if v["id"] != "region"]
    assert violations == [], [(v["id"], v["nodes"][0]["target"]) for v in violations]


def voeux_in_order(page: Page) -> list[str]:
    return [text.split("\n")[0] for text in page.get_by_test_id("voeu").all_inner_texts()]


def test_teacher_enters_voeux_reorders_sees_a_warning_downloads_the_confirmation_and_logs_out(
    page: Page, live_server: Any, teacher_a: Agent, password: str, shoot: Any
) -> None:
    build_ref()
    Dossier.objects.filter(agent=teacher_a).update(situation_familiale="marie")
    campagne = build_campagne(CampagneKind.INTRA, **demo_calendar(timezone.now(), 10))

    login(page, live_server, "fdupont", password)
    page.get_by_role("link", name="Les services").first.click()
    page.get_by_role("link", name="SIAM — Mouvement intra-académique 2027").click()
    expect(page.get_by_role("heading", name="Bienvenue sur SIAM 2nd degré")).to_be_visible()
    shoot("siam-01-accueil")
    assert_accessible(page)

    # a GET never creates the demande: the teacher starts it with an explicit POST
    page.get_by_test_id("campagne-intra-2027").get_by_role("button", name="Commencer ma demande").click()
    expect(page.get_by_role("heading", name="Votre demande de mutation")).to_be_visible()
    expect(page.get_by_text("Votre demande est ouverte : vous pouvez saisir vos vœux.")).to_be_visible()
    expect(page.get_by_test_id("participation")).to_contain_text("volontaire")
    expect(page.get_by_test_id("dossier")).to_contain_text("Lycée Blaise-Pascal")
    famille = page.get_by_test_id("motif-famille-form")
    famille.get_by_label("Motif").select_option(label="rapprochement de conjoints")
    famille.get_by_label("Commune de résidence professionnelle du conjoint").fill("Riom")  # by name or INSEE code
    famille.get_by_label("Années de séparation").fill("2")
    famille.get_by_role("button", name="Déclarer ce motif").click()
    expect(page.get_by_test_id("motifs")).to_contain_text("rapprochement de conjoints")
    shoot("siam-02-demande-motif")
    assert_accessible(page)

    page.get_by_role("link", name="Vos vœux").click()
    # by code: an établissement (not his own lycée: SIAM refuses that one), which loses the family bonus
    by_code = page.get_by_test_id("voeu-code-form")
    by_code.get_by_label("Type de vœu").select_option("ETB")
    by_code.get_by_label("Code", exact=False).fill("0630018C")
    by_code.get_by_role("button", name="Ajouter ce vœu").click()
    expect(page.get_by_text("est votre établissement actuel")).to_be_visible()
    by_code = page.get_by_test_id("voeu-code-form")
    by_code.get_by_label("Code", exact=False).fill("0631018P")
    by_code.get_by_role("button", name="Ajouter ce vœu").click()
    expect(page.get_by_test_id("voeu-warnings")).to_contain_text("Rapprochement de conjoints")
    shoot("siam-03-voeu-etb-avertissement")

    # by search: a commune, without JavaScript needed
    search = page.get_by_test_id("voeu-search-form")
    search.get_by_label("Type de vœu").select_option("COM")
    search.get_by_label("Nom ou code").fill("Riom")
    search.get_by_role("button", name="Chercher").click()
    expect(page.get_by_test_id("resultats")).to_contain_text("Riom")
    shoot("siam-04-recherche")
    assert_accessible(page)
    page.get_by_test_id("resultats").get_by_role("button", name="Ajouter Riom").click()

    by_code = page.get_by_test_id("voeu-code-form")
    by_code.get_by_label("Type de vœu").select_option("DPT")
    by_code.get_by_label("Code", exact=False).fill("63")
    by_code.get_by_role("button", name="Ajouter ce vœu").click()
    assert [v.split(" — ")[0] for v in voeux_in_order(page)] == ["1", "2", "3"]
    assert Voeu.objects.filter(demande__agent=teacher_a).count() == 3

    # reorder with the keyboard: focus « Monter le voeu n° 3 », press Enter twice (focus comes back to it)
    page.get_by_role("button", name="Monter le vœu n° 3").focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    expect(page.get_by_role("button", name="Monter le vœu n° 2")).to_be_focused()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    expect(page.get_by_role("button", name="Descendre le vœu n° 1")).to_be_focused()
    order = list(Voeu.objects.filter(demande__agent=teacher_a).order_by("rang").values_list("type", flat=True))
    assert order == ["DPT", "ETB", "COM"]
    expect(page.get_by_test_id("voeu").first).to_contain_text("Puy-de-Dôme")
    shoot("siam-05-voeux-reordonnes")
    assert_accessible(page)
    page.get_by_role("link", name="Postes vacants").first.click()
    expect(page.get_by_role("heading", name="Postes vacants et susceptibles d'être vacants")).to_be_visible()
    assert_accessible(page)
    page.go_back()

    # the saisie closes; the confirmation becomes available (dates set by the test)
    now = timezone.now()
    Campagne.objects.filter(pk=campagne.pk).update(
        saisie_debut=now - datetime.timedelta(days=20),
        saisie_fin=now - datetime.timedelta(hours=2),
        confirmation_debut=now - datetime.timedelta(hours=1),
    )
    page.get_by_role("link", name="Votre demande et votre dossier").click()
    expect(page.get_by_test_id("saisie-fermee")).to_be_visible()
    shoot("siam-06-confirmation-disponible")
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Télécharger la confirmation (PDF)").click()
    pdf = download_info.value
    content = open(pdf.path(), "rb").read()  # noqa: SIM115 - the download's temporary file
    assert content.startswith(b"%PDF-")
    words = " ".join(" ".join(p.extract_text() for p in PdfReader(io.BytesIO(content)).pages).split())
    assert "DUPONT Frédéric" in words
    voeux = words.split("Vœux, dans l'ordre de préférence")[1].split("Motifs déclarés")[0]
    assert voeux.index("Puy-de-Dôme") < voeux.index("0631018P") < voeux.index("63300")

    page.get_by_test_id("logout").click()
    expect(page.get_by_role("heading", name="Votre session I-Prof est fermée")).to_be_visible()
    shoot("siam-07-deconnecte")


def test_moving_the_conjoints_academie_warns_with_both_totals_and_annuler_works_without_javascript(
    browser: Any, live_server: Any, teacher_a: Agent, password: str
) -> None:
    ref = build_ref()
    campagne = build_campagne(CampagneKind.INTER, **demo_calendar(timezone.now(), 10))
    family(teacher_a, ref)
    places = {
        "lyon": ref["lyon_academie"],
        "grenoble": Academie.objects.create(code="GRENOBLE", nom="Grenoble"),
        "paris": Academie.objects.create(code="PARIS", nom="Paris"),
        "lyon_commune": ref["lyon"],
    }
    demande: Demande = inter_demande(teacher_a, campagne, places, rc=StatutMotif.VALIDE)
    Voeu.objects.filter(demande=demande, rang=3).delete()  # Lyon, then Grenoble (limitrophe)

    # every action is a plain POST form: the whole scenario runs with JavaScript off
    context = browser.new_context(java_script_enabled=False, locale="fr-FR", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    login(page, live_server, "fdupont", password)
    page.goto(f"{live_server.url}/siam/demandes/{demande.pk}/voeux/")
    expect(page.get_by_test_id("voeux-aide")).to_contain_text("Le rang d'un vœu peut changer le barème")
    page.get_by_label("Nouveau rang du vœu n° 1").fill("2")
    page.get_by_role("button", name="Déplacer le vœu n° 1 au rang indiqué").click()
    changement = page.get_by_test_id("dernier-changement")
    expect(changement).to_contain_text(
        "En plaçant Lyon en 2e position, vous perdez la bonification de rapprochement de conjoints "
        "sur tous vos vœux\u00a0: 1\u00a0044,2 → 369\u00a0points."
    )
    assert list(Voeu.objects.filter(demande=demande).order_by("rang").values_list("academie__code", flat=True)) == [
        "GRENOBLE",
        "LYON",
    ]
    page.screenshot(path=str(ARTIFACTS / "siam-08-perte-rc-avertissement.png"), full_page=True)

    changement.get_by_role("button", name="Annuler : remettre Lyon au rang 1").click()
    expect(page.get_by_test_id("dernier-changement")).to_contain_text("vous obtenez la bonification")
    assert list(Voeu.objects.filter(demande=demande).order_by("rang").values_list("academie__code", flat=True)) == [
        "LYON",
        "GRENOBLE",
    ]
    page.screenshot(path=str(ARTIFACTS / "siam-09-perte-rc-annulee.png"), full_page=True)

    # removing Lyon: the same warning, and « Annuler » puts it back at rank 1
    page.get_by_role("button", name="Supprimer le vœu n° 1").click()
    expect(page.get_by_test_id("dernier-changement")).to_contain_text("En supprimant Lyon (vœu n° 1), vous perdez")
    page.get_by_role("button", name="Annuler : rétablir ce vœu au rang 1").click()
    assert list(Voeu.objects.filter(demande=demande).order_by("rang").values_list("academie__code", flat=True)) == [
        "LYON",
        "GRENOBLE",
    ]
    context.close()
