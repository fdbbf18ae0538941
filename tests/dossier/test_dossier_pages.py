"""Votre dossier, Signaler une erreur and Vos perspectives, as a teacher sees them."""

from __future__ import annotations

import datetime
import html
from typing import Any

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from accounts.models import Agent
from dossier.models import Diplome, Dossier, EchelonHistorique, Enfant, SignalementErreur
from iprof.courrier.models import Conversation, CorrespondantGestion

NOW = datetime.datetime(2026, 11, 27, 10, 0, tzinfo=datetime.UTC)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _frozen_time() -> Any:
    with time_machine.travel(NOW, tick=False):
        yield


# --- Votre dossier ----------------------------------------------------------------------


def test_dossier_shows_the_echelon_its_date_and_seniority_on_the_first_screen(client_a: Client) -> None:
    response = client_a.get(reverse("dossier:dossier"))
    assert response.status_code == 200
    body = response.content.decode()
    resume = body[body.index('data-testid="resume"') : body.index('id="identite"')]
    assert "7e échelon" in resume
    assert "Date d'effet\u00a0: 1er septembre 2023 — depuis 3 ans 2 mois" in resume
    assert "Lycée Blaise-Pascal" in resume


def test_dossier_shows_every_section_with_french_dates(client_a: Client, teacher_a: Agent) -> None:
    dossier = Dossier.objects.get(agent=teacher_a)
    dossier.debut_ags = datetime.date(2010, 9, 1)
    dossier.save()
    Enfant.objects.create(dossier=dossier, prenom="Léo", date_naissance=datetime.date(2015, 5, 12))
    EchelonHistorique.objects.create(
        dossier=dossier, grade=dossier.grade, echelon=6, date_effet=datetime.date(2020, 9, 1)
    )
    body = client_a.get(reverse("dossier:dossier")).content.decode()
    for heading in (
        "Identité",
        "Situation familiale",
        "Carrière",
        "Affectation",
        "Ancienneté générale de service",
        "Diplômes et qualifications",
        "Absences et formations",
    ):
        assert f">{heading}</h2>" in body
    assert "12 mai 2015" in body
    assert "1er septembre 2020" in body
    # AGS from 1 September 2010 to 27 November 2026
    assert "<strong>16 ans 2 mois et 26 jours</strong> au 27 novembre 2026" in body


def test_histories_are_in_page_order_whatever_the_order_they_were_recorded(client_a: Client, teacher_a: Agent) -> None:
    dossier = Dossier.objects.get(agent=teacher_a)
    for year in (2015, 2020):  # the older first: the table shows the newer first
        EchelonHistorique.objects.create(
            dossier=dossier, grade=dossier.grade, echelon=year - 2010, date_effet=datetime.date(year, 9, 1)
        )
    for prenom, year in (("Lou", 2019), ("Léo", 2015)):  # the younger first: children in birth order
        Enfant.objects.create(dossier=dossier, prenom=prenom, date_naissance=datetime.date(year, 5, 12))
    body = client_a.get(reverse("dossier:dossier")).content.decode()
    assert body.index("1er septembre 2020</td>") < body.index("1er septembre 2015</td>")
    assert body.index("<td>Léo</td>") < body.index("<td>Lou</td>")


def test_a_change_made_by_the_rectorat_shows_on_the_next_request(client_a: Client, teacher_a: Agent) -> None:
    """Nothing of the dossier is kept between requests (only the query's SQL text and the page's words are)."""
    first = client_a.get(reverse("dossier:dossier")).content.decode()
    assert 'data-testid="echelon">7e échelon' in first and "Emma" not in first
    dossier = Dossier.objects.get(agent=teacher_a)
    dossier.echelon, dossier.date_echelon = 8, datetime.date(2026, 9, 1)
    dossier.save()
    Enfant.objects.create(dossier=dossier, prenom="Emma", date_naissance=datetime.date(2018, 10, 3))
    second = client_a.get(reverse("dossier:dossier")).content.decode()
    assert 'data-testid="echelon">8e échelon' in second and "7e échelon" not in second
    assert "Date d'effet\u00a0: 1er septembre 2026 — depuis 2 mois" in second
    assert "<tr><td>Emma</td><td>3 octobre 2018</td></tr>" in second


def test_the_page_links_kept_per_process_follow_a_changed_setting(client_a: Client, settings: Any) -> None:
    assert 'href="/dossier/signaler/?rubrique=identite"' in client_a.get(reverse("dossier:dossier")).content.decode()
    settings.ROOT_URLCONF = "tests.dossier.urls_portail"
    body = client_a.get("/portail/dossier/").content.decode()
    assert 'href="/portail/dossier/signaler/?rubrique=identite"' in body
    assert 'href="/portail/dossier/perspectives/"' in body


def test_dossier_escapes_what_the_administration_wrote(client_a: Client, teacher_a: Agent) -> None:
    dossier = Dossier.objects.get(agent=teacher_a)
    dossier.telephone, dossier.conjoint_nom, dossier.conjoint_profession = "<b>04</b>", "<i>Sophie</i>", "a & b"
    dossier.save()
    Enfant.objects.create(dossier=dossier, prenom="<script>x</script>", date_naissance=datetime.date(2015, 5, 12))
    Diplome.objects.create(dossier=dossier, intitule="<img src=x>", annee=2010)
    body = client_a.get(reverse("dossier:dossier")).content.decode()
    assert "<script>x" not in body and "<td>&lt;script&gt;x&lt;/script&gt;</td>" in body
    assert "<img src=x>" not in body and "<td>&lt;img src=x&gt;</td>" in body
    assert "<dd>&lt;b&gt;04&lt;/b&gt;</dd>" in body
    assert "<dd>&lt;i&gt;Sophie&lt;/i&gt; (a &amp; b)</dd>" in body


def test_staff_without_a_dossier_get_a_message_not_an_error(rectorat: Agent) -> None:
    client = Client()
    client.force_login(rectorat)
    for name in ("dossier:dossier", "dossier:perspectives"):
        response = client.get(reverse(name))
        assert response.status_code == 200
        assert "Aucun dossier administratif" in response.content.decode()


@pytest.mark.parametrize(
    "url",
    [
        "/dossier/",
        "/dossier/signaler/",
        "/dossier/perspectives/",
        "/dossier/cv/",
        "/dossier/cv/ajouter/",
        "/dossier/cv/contact/",
        "/dossier/cv/1/modifier/",
        "/dossier/cv/1/supprimer/",
    ],
)
def test_anonymous_visitors_are_sent_to_the_login_page(client: Client, url: str) -> None:
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


@pytest.mark.parametrize(
    ("method", "name"),
    [
        ("post", "dossier:dossier"),
        ("post", "dossier:perspectives"),
        ("post", "dossier:cv"),
        ("put", "dossier:signaler"),
        ("delete", "dossier:cv-add"),
    ],
)
def test_wrong_method_is_405(client_a: Client, method: str, name: str) -> None:
    assert getattr(client_a, method)(reverse(name)).status_code == 405


# --- Signaler une erreur ----------------------------------------------------------------


def test_signaler_preselects_the_rubrique_of_the_link(client_a: Client) -> None:
    body = client_a.get(reverse("dossier:signaler") + "?rubrique=carriere").content.decode()
    assert '<option value="carriere" selected>' in body


def test_signaler_without_a_correspondant_keeps_the_report_for_the_staff(client_a: Client, teacher_a: Agent) -> None:
    response = client_a.post(
        reverse("dossier:signaler"),
        {"rubrique": "famille", "message": "Mon deuxième enfant, né en 2018, n'apparaît pas."},
    )
    assert response.status_code == 302
    signalement = SignalementErreur.objects.get()
    assert (signalement.agent, signalement.rubrique, signalement.statut) == (teacher_a, "famille", "nouveau")
    assert signalement.envoye_au_courrier is False
    assert "le rectorat va le traiter" in client_a.get(response["Location"]).content.decode()


def test_signaler_writes_to_the_correspondant_de_gestion_through_the_courrier(
    client_a: Client, teacher_a: Agent, rectorat: Agent
) -> None:
    CorrespondantGestion.objects.create(libelle="DPE 2 — mathématiques", agent=rectorat)
    response = client_a.post(
        reverse("dossier:signaler"), {"rubrique": "carriere", "message": "Mon 7e échelon date du 1er mars 2023."}
    )
    assert SignalementErreur.objects.get().envoye_au_courrier is True
    conversation = Conversation.objects.get(agent=teacher_a)
    assert conversation.sujet == "Signalement d'erreur dans mon dossier — Carrière"
    assert "Mon 7e échelon date du 1er mars 2023." in conversation.messages.get().corps
    assert conversation in Conversation.objects.for_staff(rectorat)
    assert "sa réponse arrivera dans Votre courrier" in html.unescape(
        client_a.get(response["Location"]).content.decode()
    )


@pytest.mark.parametrize(
    ("data", "error"),
    [
        ({"rubrique": "", "message": "Un message assez long pour être lu."}, "Ce champ est obligatoire."),
        ({"rubrique": "carriere", "message": "court"}, "au moins 10 caractères"),
        ({"rubrique": "inconnue", "message": "Un message assez long pour être lu."}, "Sélectionnez un choix valide"),
        ({"rubrique": "carriere", "message": "x" * 2001}, "au plus 2000 caractères"),
    ],
)
def test_signaler_refuses_invalid_reports_and_writes_nothing(
    client_a: Client, data: dict[str, str], error: str
) -> None:
    response = client_a.post(reverse("dossier:signaler"), data)
    assert response.status_code == 200
    assert error in response.content.decode()
    assert not SignalementErreur.objects.exists()


# --- Vos perspectives -------------------------------------------------------------------


def test_perspectives_explain_the_next_echelon_and_draw_an_accessible_timeline(client_a: Client, grid: Any) -> None:
    response = client_a.get(reverse("dossier:perspectives"))
    assert response.status_code == 200
    body = response.content.decode()
    # 7th since 1 September 2023 + 3 years = 1 September 2026: already due
    assert "Selon la grille, votre passage au 8e échelon était dû le 1er septembre 2026" in body
    assert 'role="img"' in body and '<title id="timeline-title">' in body and '<desc id="timeline-desc">' in body
    assert 'aria-labelledby="timeline-title timeline-desc"' in body
    assert "Échelons atteints et projetés (données du graphique)" in body
    assert "Hors-classe" in body and "À partir de la campagne" in body
    assert "<script" not in body.split('data-testid="timeline"')[1].split("</svg>")[0]


def test_perspectives_with_an_accelerated_date_ahead(client_a: Client, teacher_a: Agent, grid: Any) -> None:
    Dossier.objects.filter(agent=teacher_a).update(echelon=6, date_echelon=datetime.date(2025, 3, 1))
    body = html.unescape(client_a.get(reverse("dossier:perspectives")).content.decode())
    assert "Vous passerez au 7e échelon le 1er mars 2028 à l'ancienneté" in body
    assert "ou dès le 1er mars 2027 en cas d'avancement accéléré" in body


def test_perspectives_say_what_is_missing_instead_of_guessing(client_a: Client, teacher_a: Agent, grid: Any) -> None:
    Dossier.objects.filter(agent=teacher_a).update(date_echelon=None)
    body = html.unescape(client_a.get(reverse("dossier:perspectives")).content.decode())
    assert "Une information manque dans votre dossier" in body
    assert "la date d'effet de votre 7e échelon" in body
    assert "Information manquante" in body


def test_perspectives_svg_coordinates_are_not_localised(client_a: Client, grid: Any) -> None:
    body = client_a.get(reverse("dossier:perspectives")).content.decode()
    svg = body[body.index("<svg") : body.index("</svg>")]
    points = svg.split('points="')[1].split('"')[0]
    assert "," in points and all(part.replace(".", "").isdigit() for pair in points.split() for part in pair.split(","))
