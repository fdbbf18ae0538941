"""Les guides: Markdown rendered and sanitised, drafts for staff only, a list by section with search."""

from __future__ import annotations

import html

import pytest
from django.core.management import call_command
from django.test import Client

from accounts.models import Agent
from iprof.guides.markdown import render_markdown
from iprof.guides.models import Guide, PieceJointeGuide, Section


def _guide(**fields: object) -> Guide:
    values = {
        "titre": "Le barème",
        "slug": "bareme",
        "section": Section.MOUVEMENT,
        "corps": "Texte.",
        "published": True,
    }
    return Guide.objects.create(**{**values, **fields})


def _text(response) -> str:  # type: ignore[no-untyped-def]
    return html.unescape(response.content.decode())


@pytest.mark.parametrize(
    ("markdown", "forbidden"),
    [
        ("<script>alert('x')</script>Bonjour", "<script"),
        ("<img src=x onerror=alert(1)>", "onerror"),
        ("[clic](javascript:alert(1))", "javascript:"),
        ('<a href="https://ok.fr" onclick="alert(1)">lien</a>', "onclick"),
        ("<iframe src='https://evil.example'></iframe>", "<iframe"),
        ("<style>body{display:none}</style>", "<style"),
        ('<p style="position:fixed">x</p>', "style="),
    ],
)
def test_markdown_never_lets_a_script_through(markdown: str, forbidden: str) -> None:
    assert forbidden not in render_markdown(markdown)


def test_markdown_keeps_what_a_guide_needs() -> None:
    out = render_markdown(
        "# Titre\n\n## Partie\n\n**gras**, [lien](https://www.education.gouv.fr/bo)\n\n| a | b |\n|---|---|\n| 1 | 2 |"
    )
    assert "<h2>Titre</h2>" in out and "<h2>Partie</h2>" in out  # no second h1 on the page
    assert "<strong>gras</strong>" in out
    assert '<a href="https://www.education.gouv.fr/bo" rel="noopener noreferrer">lien</a>' in out
    assert '<div class="fr-table"><table>' in out


def test_a_script_in_a_guide_never_reaches_the_page(client_a: Client) -> None:
    _guide(corps="Bonjour <script>document.title='pirate'</script> et **bienvenue**.")
    body = client_a.get("/guides/bareme/").content.decode()
    assert "<strong>bienvenue</strong>" in body
    assert "pirate" not in body
    assert "<script>document" not in body


def test_the_list_groups_published_guides_by_section(client_a: Client) -> None:
    _guide(titre="Se connecter", slug="connexion", section=Section.PORTAIL)
    _guide(titre="Le barème", slug="bareme", section=Section.MOUVEMENT)
    _guide(titre="Brouillon secret", slug="brouillon", published=False)
    body = _text(client_a.get("/guides/"))
    assert body.index("Utiliser I-Prof") < body.index("Se connecter") < body.index("Mutations (SIAM)")
    assert body.index("Mutations (SIAM)") < body.index("Le barème")
    assert "Brouillon secret" not in body


def test_drafts_are_404_for_teachers_and_visible_to_the_rectorat(client_a: Client, rectorat: Agent) -> None:
    _guide(slug="brouillon", titre="Brouillon secret", published=False)
    assert client_a.get("/guides/brouillon/").status_code == 404
    staff = Client()
    staff.force_login(rectorat)
    response = staff.get("/guides/brouillon/")
    assert response.status_code == 200
    assert "Brouillon\u00a0: visible du rectorat seulement" in _text(response)
    assert "Brouillon secret" in _text(staff.get("/guides/"))


@pytest.mark.parametrize(
    ("q", "found"),
    [("bareme", True), ("BARÈME", True), ("mutations", True), ("échelon points", True), ("hors-sujet", False)],
)
def test_search_ignores_case_and_accents_and_stems_french(client_a: Client, q: str, found: bool) -> None:
    _guide(titre="Le barème", corps="Les points d'échelon comptent sur chaque vœu de mutation.")
    _guide(titre="Se connecter", slug="connexion", section=Section.PORTAIL, corps="Identifiant et mot de passe.")
    body = _text(client_a.get("/guides/", {"q": q}))
    assert ("Le barème" in body) is found
    assert "Se connecter" not in body
    if not found:
        assert "Aucun guide ne correspond à votre recherche." in body


def test_search_never_shows_drafts(client_a: Client) -> None:
    _guide(slug="brouillon", titre="Barème brouillon", published=False)
    assert "Barème brouillon" not in _text(client_a.get("/guides/", {"q": "barème"}))


def test_the_list_needs_few_queries(client_a: Client, django_assert_max_num_queries) -> None:  # type: ignore[no-untyped-def]
    for i in range(12):
        _guide(slug=f"g{i}", titre=f"Guide {i}")
    client_a.get("/")
    with django_assert_max_num_queries(8):
        response = client_a.get("/guides/")
    listed = _text(response)
    assert all(f"Guide {i}" in listed for i in range(12))


def test_a_guide_document_is_served_to_readers_only(client_a: Client, settings, tmp_path) -> None:  # type: ignore[no-untyped-def]
    from django.core.files.base import ContentFile

    settings.MEDIA_ROOT = tmp_path
    published = _guide()
    draft = _guide(slug="brouillon", published=False)
    piece = PieceJointeGuide(guide=published, titre="Note de service")
    piece.fichier.save("note.pdf", ContentFile(b"%PDF-1.4 note"))
    hidden = PieceJointeGuide(guide=draft, titre="Projet")
    hidden.fichier.save("projet.pdf", ContentFile(b"%PDF-1.4 projet"))
    response = client_a.get(f"/guides/bareme/fichiers/{piece.pk}/")
    assert response.status_code == 200 and b"".join(response.streaming_content) == b"%PDF-1.4 note"  # type: ignore[attr-defined]
    assert client_a.get(f"/guides/brouillon/fichiers/{hidden.pk}/").status_code == 404
    assert client_a.get(f"/guides/bareme/fichiers/{hidden.pk}/").status_code == 404
    assert str(tmp_path) in piece.fichier.path


def test_guide_pages_refuse_anonymous_and_wrong_methods(client: Client, client_a: Client) -> None:
    _guide()
    for url in ("/guides/", "/guides/bareme/"):
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith("/compte/login/")
        assert client_a.post(url).status_code == 405
    assert client_a.get("/guides/inconnu/").status_code == 404


def test_the_demo_guides_cover_what_siam_links_to(db: None) -> None:
    call_command("loaddata", "fixtures/50_guides.json", verbosity=0)
    slugs = set(Guide.objects.published().values_list("slug", flat=True))
    assert {"note-de-service", "informations-generales", "guide-regles-mouvement", "information-academique"} <= slugs
    assert {"se-connecter-a-i-prof", "fonctionnement-siam", "bareme", "calendrier-campagne", "departage"} <= slugs
    bareme = Guide.objects.get(slug="bareme")
    assert "150,2" in bareme.corps and "configuration" in bareme.corps
    assert Guide.objects.search("deconnecter").filter(slug="se-connecter-a-i-prof").exists()
