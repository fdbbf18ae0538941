"""In Chromium: a teacher reads a courrier with its PDF; the DRH posts to a discipline after a preview."""

from __future__ import annotations

import html

from playwright.sync_api import Page, expect

from accounts.models import Agent
from iprof.courrier.models import Message
from iprof.courrier.services import post_courrier
from tests.e2e.test_login_logout import login

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


def test_a_teacher_reads_a_courrier_and_downloads_its_pdf(
    page: Page,
    live_server,
    teacher_a: Agent,
    teacher_b: Agent,
    password: str,
    shoot,  # type: ignore[no-untyped-def]
    settings,
    tmp_path,
) -> None:
    settings.MEDIA_ROOT = tmp_path
    post_courrier(recipients=[teacher_b.pk], sujet="Pour Françoise", corps="Privé.", key="b")
    post_courrier(
        recipients=[teacher_a.pk],
        sujet="Accusé de réception de votre confirmation de demande",
        corps="Bonjour,\n\nNous avons bien reçu votre confirmation de demande et vos pièces justificatives.",
        categorie="accuse_reception",
        key="accuse-a",
        attachments=[("accuse-reception.pdf", PDF, "application/pdf")],
    )
    login(page, live_server, "fdupont", password)
    nav = page.get_by_role("navigation", name="Menu I-Prof")
    expect(nav.get_by_role("link", name="Votre courrier")).to_contain_text("1")
    nav.get_by_role("link", name="Votre courrier").click()
    expect(page.get_by_role("heading", name="Votre courrier", exact=True)).to_be_visible()
    expect(page.get_by_test_id("unread")).to_have_count(1)
    expect(page.get_by_text("Pour Françoise")).to_have_count(0)
    shoot("courrier-01-inbox")

    page.get_by_role("link", name="Accusé de réception de votre confirmation de demande").click()
    expect(page.get_by_role("heading", name="Accusé de réception de votre confirmation de demande")).to_be_visible()
    expect(page.get_by_text("Nous avons bien reçu votre confirmation")).to_be_visible()
    expect(nav.get_by_role("link", name="Votre courrier")).not_to_contain_text("1")
    shoot("courrier-02-message")
    with page.expect_download() as download_info:
        page.get_by_test_id("attachment").click()
    download = download_info.value
    assert download.suggested_filename == "accuse-reception.pdf"
    with open(download.path(), "rb") as fh:
        assert fh.read() == PDF
    assert Message.objects.get(recipient=teacher_a).read_at is not None


def test_the_drh_previews_then_posts_to_a_discipline_once(
    page: Page,
    live_server,
    drh: Agent,
    teacher_a: Agent,
    teacher_b: Agent,
    shoot,  # type: ignore[no-untyped-def]
) -> None:
    from django.test import Client

    client = Client()
    client.force_login(drh)
    page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )
    page.goto(f"{live_server.url}/courrier/diffusion/")
    page.locator("label", has_text="Les enseignants d'une discipline").click()  # DSFR draws the radio on the label
    page.get_by_label("Discipline", exact=True).select_option(label="Mathématiques")
    page.get_by_label("Objet").fill("Réunion d'information sur le mouvement intra")
    page.get_by_role("textbox", name="Message").fill(
        "Une réunion aura lieu le 4 décembre à 17 h au lycée Blaise-Pascal."
    )
    shoot("courrier-03-diffusion-form")
    page.get_by_role("button", name="Prévisualiser").click()
    expect(page.get_by_test_id("preview-count")).to_contain_text("2 destinataires")
    shoot("courrier-04-diffusion-preview")
    # what a second tab showing the same preview would submit
    fields = page.eval_on_selector_all(
        "[data-testid=send-form] input[type=hidden]", "els => Object.fromEntries(els.map(e => [e.name, e.value]))"
    )
    page.get_by_role("button", name="Envoyer à 2 destinataires").click()
    expect(page.get_by_text("Courrier envoyé à 2 agent(s).")).to_be_visible()
    shoot("courrier-05-diffusion-sent")
    again = page.request.post(
        f"{live_server.url}/courrier/diffusion/envoyer/", form=fields, headers={"Referer": page.url}
    )
    assert again.ok  # redirected to the posting page, which says so
    assert "Ce courrier avait déjà été envoyé" in html.unescape(again.text())
    assert Message.objects.count() == 2
