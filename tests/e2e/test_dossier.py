"""A teacher reads Votre dossier and Vos perspectives, then adds and reorders CV entries (real Chromium)."""

from __future__ import annotations

import datetime
import re

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page, expect

from accounts.models import Agent
from dossier.models import Dossier, EchelonHistorique
from tests.dossier.conftest import make_grid

pytestmark = pytest.mark.django_db(transaction=True)


def assert_accessible(page: Page) -> None:
    """axe-core finds nothing on the page; the shell's identity banner (outside any landmark,
    the « region » rule) belongs to the portal shell, not to these pages."""
    violations = [v for v in Axe().run(page).response["violations"] if v["id"] != "region"]
    assert violations == [], [(v["id"], v["nodes"][0]["target"]) for v in violations]


def test_teacher_reads_dossier_and_perspectives_then_edits_and_reorders_the_cv(
    page: Page,
    live_server,  # type: ignore[no-untyped-def]
    teacher_a: Agent,
    password: str,
    shoot,  # type: ignore[no-untyped-def]
) -> None:
    make_grid()
    dossier = Dossier.objects.get(agent=teacher_a)
    for echelon, year in ((5, 2017), (6, 2020)):
        EchelonHistorique.objects.create(
            dossier=dossier, grade=dossier.grade, echelon=echelon, date_effet=datetime.date(year, 9, 1)
        )
    EchelonHistorique.objects.create(dossier=dossier, grade=dossier.grade, echelon=7, date_effet=dossier.date_echelon)  # type: ignore[misc]

    page.goto(f"{live_server.url}/")
    page.get_by_label("Compte utilisateur").fill("fdupont")
    page.get_by_label("Mot de passe", exact=True).fill(password)
    page.get_by_role("button", name="Valider").click()

    menu = page.get_by_role("navigation", name="Menu I-Prof")

    # Votre dossier: the échelon and its seniority on the first screen
    menu.get_by_role("link", name="Votre dossier").click()
    expect(page.get_by_role("heading", name="Votre dossier", level=1)).to_be_visible()
    resume = page.get_by_test_id("resume")
    expect(resume).to_contain_text("7e échelon")
    expect(page.get_by_test_id("echelon-depuis")).to_contain_text("Date d'effet : 1er septembre 2023 — depuis")
    expect(page.get_by_test_id("echelon-depuis")).to_be_in_viewport()
    expect(page.get_by_role("table", name="Historique des échelons et des grades")).to_contain_text(
        "1er septembre 2020"
    )
    shoot("dossier-01-votre-dossier")
    assert_accessible(page)

    # Vos perspectives: sentences, and the timeline as an image with its text equivalent
    menu.get_by_role("link", name="Vos perspectives").click()
    expect(page.get_by_role("heading", name="Vos perspectives", level=1)).to_be_visible()
    expect(page.get_by_test_id("prochain-phrase")).to_contain_text("8e échelon")
    expect(page.get_by_role("img", name=re.compile("Chronologie de vos échelons"))).to_be_visible()
    expect(page.get_by_test_id("chronologie")).to_contain_text("prévu à l'ancienneté")
    shoot("dossier-02-vos-perspectives")
    assert_accessible(page)

    # Votre CV: add two languages, then move the second one up with the keyboard
    menu.get_by_role("link", name="Votre CV").click()
    expect(page.get_by_role("heading", name="Votre CV", level=1)).to_be_visible()
    for titre in ("Anglais — niveau C1", "Allemand — niveau B2"):
        page.get_by_role("link", name="Ajouter dans « Langues »").click()
        page.get_by_label("Intitulé").fill(titre)
        page.get_by_role("button", name="Enregistrer").click()
        expect(page.get_by_text(f"« {titre} » est ajouté à votre CV.")).to_be_visible()
    langues = page.get_by_test_id("cv-langue")
    expect(langues.get_by_role("heading", level=3)).to_have_text(["Anglais — niveau C1", "Allemand — niveau B2"])
    shoot("dossier-03-cv-ajout")

    move_up = page.get_by_role("button", name="Monter « Allemand — niveau B2 »")
    move_up.focus()
    page.keyboard.press("Enter")
    expect(page.get_by_text("« Allemand — niveau B2 » est déplacé.")).to_be_visible()
    expect(langues.get_by_role("heading", level=3)).to_have_text(["Allemand — niveau B2", "Anglais — niveau C1"])
    expect(page.get_by_role("button", name="Monter « Allemand — niveau B2 »")).to_be_disabled()
    shoot("dossier-04-cv-reordonne")
    assert_accessible(page)

    # a wrong date is refused in French, and nothing is written
    page.get_by_role("link", name="Ajouter dans « Formations »").click()
    page.get_by_label("Intitulé").fill("Formation à venir")
    page.get_by_label("Début").fill("2020-09-01")
    page.get_by_label("Fin", exact=False).first.fill("2019-06-30")
    page.get_by_role("button", name="Enregistrer").click()
    expect(page.get_by_text("La date de fin doit être postérieure ou égale à la date de début.")).to_be_visible()
    shoot("dossier-05-cv-erreur")
    assert_accessible(page)
