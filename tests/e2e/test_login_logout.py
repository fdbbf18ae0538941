from __future__ import annotations

from playwright.sync_api import Page, expect

from accounts.models import Agent


def login(page: Page, live_server, identifiant: str, password: str) -> None:  # type: ignore[no-untyped-def]
    page.goto(f"{live_server.url}/")
    page.get_by_label("Compte utilisateur").fill(identifiant)
    page.get_by_label("Mot de passe", exact=True).fill(password)
    page.get_by_role("button", name="Valider").click()


def test_teacher_logs_in_sees_banner_logs_out_and_back_shows_nothing(
    page: Page,
    live_server,
    teacher_a: Agent,
    password: str,
    shoot,  # type: ignore[no-untyped-def]
) -> None:
    page.goto(f"{live_server.url}/")
    expect(page.get_by_role("heading", name="Connexion à I-Prof")).to_be_visible()
    shoot("01-login")

    login(page, live_server, "fdupont", password)
    expect(page.get_by_role("heading", name="Bienvenue dans I-Prof")).to_be_visible()
    banner = page.get_by_test_id("banner")
    expect(banner).to_contain_text("DUPONT Frédéric")
    expect(banner).to_contain_text("Mathématiques")
    shoot("02-home")

    page.get_by_test_id("logout").click()
    expect(page.get_by_role("heading", name="Votre session I-Prof est fermée")).to_be_visible()
    shoot("03-logged-out")

    page.go_back()
    page.wait_for_load_state()
    expect(page.get_by_test_id("banner")).to_have_count(0)
    expect(page.get_by_role("heading", name="Bienvenue dans I-Prof", exact=True)).to_have_count(0)
    expect(page.get_by_text("Professeur certifié de classe normale")).to_have_count(0)
    shoot("04-after-back")
    assert "/compte/login/" in page.url or "deconnecte" in page.url
