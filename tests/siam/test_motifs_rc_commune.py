"""RC and APC for a conjoint anywhere in France: the commune by name or INSEE code, the académie from it."""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

import pytest
from django.core.management import call_command

from accounts.models import Agent
from dossier.models import Academie, Commune, Departement
from siam.models import Campagne, Demande, DemandeVersion, Motif, MotifDeclare, StatutMotif, Voeu
from siam.services.bareme import provisional_baremes
from siam.services.motifs import decide_motif
from tests.siam.conftest import client_for, text

pytestmark = pytest.mark.django_db

RC, APC = Motif.RAPPROCHEMENT_CONJOINTS, Motif.AUTORITE_PARENTALE


@pytest.fixture
def france(ref: dict[str, Any]) -> dict[str, Any]:
    """Communes beyond the académie: Toulouse, Saint-Étienne, and two Saint-Denis."""
    toulouse_aca = Academie.objects.create(code="TOULOUSE", nom="Toulouse", code_ministere="16")
    creteil = Academie.objects.create(code="CRETEIL", nom="Créteil", code_ministere="24")
    garonne = Departement.objects.create(code="031", nom="Haute-Garonne", academie=toulouse_aca)
    seine = Departement.objects.create(code="093", nom="Seine-Saint-Denis", academie=creteil)
    loire = Departement.objects.create(code="042", nom="Loire", academie=ref["lyon_academie"])
    return {
        "toulouse_aca": toulouse_aca,
        "toulouse": Commune.objects.create(code_insee="31555", nom="Toulouse", departement=garonne),
        "vieille": Commune.objects.create(code_insee="31575", nom="Vieille-Toulouse", departement=garonne),
        "st_etienne": Commune.objects.create(code_insee="42218", nom="Saint-Étienne", departement=loire),
        "st_denis_93": Commune.objects.create(code_insee="93066", nom="Saint-Denis", departement=seine),
        "st_denis_11": Commune.objects.create(code_insee="11339", nom="Saint-Denis", departement=garonne),
    }


def motifs_url(demande: Demande) -> str:
    return f"/siam/demandes/{demande.pk}/motifs/"


def unchanged(demande: Demande) -> bool:
    demande.refresh_from_db()
    return (
        not MotifDeclare.objects.filter(demande=demande).exists()
        and demande.version == 0
        and (not DemandeVersion.objects.filter(demande=demande).exists())
    )


@pytest.mark.parametrize("typed", ["31555", "toulouse", "TOULOUSE", " Toulouse "])
def test_rc_is_declared_for_toulouse_by_code_or_name_and_the_academie_follows(
    demande_a: Demande, teacher_a: Agent, france: dict[str, Any], typed: str
) -> None:
    lyon = france["st_etienne"].departement.academie
    response = client_for(teacher_a).post(
        motifs_url(demande_a), {"version": 0, "motif": RC, "commune": typed, "annees": 1, "academie": lyon.pk}
    )
    assert response.status_code == 302
    motif = MotifDeclare.objects.get(demande=demande_a)
    # the académie comes from the commune, whatever else was posted
    assert (motif.conjoint_commune, motif.academie, motif.annees) == (france["toulouse"], france["toulouse_aca"], 1)


def test_apc_takes_the_academie_of_the_childrens_commune(
    demande_a: Demande, teacher_a: Agent, france: dict[str, Any]
) -> None:
    response = client_for(teacher_a).post(motifs_url(demande_a), {"version": 0, "motif": APC, "commune": "42218"})
    assert response.status_code == 302
    motif = MotifDeclare.objects.get(demande=demande_a)
    assert (motif.conjoint_commune.nom, motif.academie.nom) == ("Saint-Étienne", "Lyon")  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("", "Indiquez la commune concernée : son nom ou son code INSEE."),
        ("   ", "Indiquez la commune concernée : son nom ou son code INSEE."),
        ("31999", "Aucune commune ne porte le code INSEE « 31999 »."),
        ("2A004", "Aucune commune ne porte le code INSEE « 2A004 »."),
        ("Zzyzx", "Aucune commune ne correspond à « Zzyzx »."),
        ("x" * 81, "Assurez-vous que cette valeur comporte au plus 80 caractères"),
    ],
)
def test_a_missing_or_unknown_commune_gets_a_french_error_and_writes_nothing(
    demande_a: Demande, teacher_a: Agent, france: dict[str, Any], typed: str, message: str
) -> None:
    response = client_for(teacher_a).post(motifs_url(demande_a), {"version": 0, "motif": RC, "commune": typed})
    assert response.status_code == 400
    assert message in text(response)
    assert unchanged(demande_a)


def test_an_ambiguous_name_lists_the_communes_to_pick_from(
    demande_a: Demande, teacher_a: Agent, france: dict[str, Any]
) -> None:
    response = client_for(teacher_a).post(motifs_url(demande_a), {"version": 0, "motif": RC, "commune": "saint denis"})
    assert response.status_code == 400
    page = text(response)
    assert "Plusieurs communes s'appellent « saint denis »" in page
    assert "Saint-Denis — Seine-Saint-Denis (93066), académie de Créteil" in page
    assert f"/siam/demandes/{demande_a.pk}/?commune=93066#motif-famille" in page
    assert f"/siam/demandes/{demande_a.pk}/?commune=11339#motif-famille" in page
    assert unchanged(demande_a)


@pytest.mark.parametrize(
    ("q", "shown"),
    [
        ("toulouse", "Toulouse — Haute-Garonne (31555), académie de Toulouse"),
        ("31555", "Toulouse — Haute-Garonne (31555), académie de Toulouse"),
        ("saint etienne", "Saint-Étienne — Loire (42218), académie de Lyon"),
    ],
)
def test_the_commune_search_works_without_javascript_and_writes_nothing(
    demande_a: Demande, teacher_a: Agent, france: dict[str, Any], q: str, shown: str
) -> None:
    client = client_for(teacher_a)
    page = text(client.get(f"/siam/demandes/{demande_a.pk}/", {"commune_q": q}))
    assert shown in page
    code = re.search(r"\((\w{5})\), académie", shown).group(1)  # type: ignore[union-attr]
    assert f"?commune={code}#motif-famille" in page
    picked = client.get(f"/siam/demandes/{demande_a.pk}/", {"commune": code}).content.decode()
    assert re.search(rf'name="commune"[^>]*value="{code}"', picked)
    assert f"Commune choisie : {shown}." in text(client.get(f"/siam/demandes/{demande_a.pk}/", {"commune": code}))
    assert unchanged(demande_a)


def test_the_commune_field_is_required_and_not_labelled_optional(demande_a: Demande, teacher_a: Agent) -> None:
    page = client_for(teacher_a).get(f"/siam/demandes/{demande_a.pk}/").content.decode()
    famille = page.split('data-testid="motif-famille-form"')[1].split("</form>")[0]
    label = famille.split('for="famille_commune"')[1].split("</label>")[0]
    assert "facultatif" not in label and "L'académie concernée en découle" in label.replace("&#x27;", "'")
    assert re.search(r'<input[^>]*name="commune"[^>]*required', famille)
    other = page.split('data-testid="motif-form"')[1].split("</form>")[0]
    assert 'name="commune"' not in other  # the other motifs name no commune


def test_rc_towards_toulouse_gives_the_toulouse_voeu_its_rc_points(
    inter: Campagne, teacher_a: Agent, rectorat: Agent, france: dict[str, Any]
) -> None:
    demande = Demande.objects.create(agent=teacher_a, campagne=inter)
    Voeu.objects.create(demande=demande, rang=1, type="ACA", academie=france["toulouse_aca"])
    Voeu.objects.create(demande=demande, rang=2, type="ACA", academie=france["st_etienne"].departement.academie)
    response = client_for(teacher_a).post(motifs_url(demande), {"version": 0, "motif": RC, "commune": "Toulouse"})
    assert response.status_code == 302
    decide_motif(motif=MotifDeclare.objects.get(demande=demande), staff=rectorat, statut=StatutMotif.VALIDE)
    baremes = {Voeu.objects.get(pk=pk).rang: b for pk, b in provisional_baremes(demande).items()}
    rc = baremes[1].line("rc")  # type: ignore[attr-defined]
    assert rc is not None and rc.points == Decimal("150.2") and "Toulouse" in rc.sentence
    assert baremes[2].line("rc") is None or baremes[2].line("rc").points == 0  # type: ignore[attr-defined, union-attr]


def test_achevalier_of_the_demo_declares_rc_with_31555(settings: Any) -> None:
    """The reproduction of issue 11: the demo teacher whose conjoint works in Toulouse."""
    settings.IPROF_ENV = "dev"
    call_command("load_demo", verbosity=0)
    call_command("load_communes", verbosity=0)
    achevalier = Agent.objects.get(identifiant="achevalier")
    inter = Campagne.objects.get(kind="inter")
    toulouse = Academie.objects.get(code="TOULOUSE")
    demande = Demande.objects.create(agent=achevalier, campagne=inter)
    Voeu.objects.create(demande=demande, rang=1, type="ACA", academie=toulouse)
    response = client_for(achevalier).post(
        motifs_url(demande), {"version": demande.version, "motif": RC, "commune": "31555", "annees": 2}
    )
    assert response.status_code == 302, text(response)
    motif = MotifDeclare.objects.get(demande=demande)
    assert (motif.conjoint_commune.nom, motif.academie) == ("Toulouse", toulouse)  # type: ignore[union-attr]
    (bareme,) = provisional_baremes(demande).values()
    rc = bareme.line("rc")  # type: ignore[attr-defined]
    assert rc is not None and rc.potential == Decimal("150.2")  # pending until the rectorat validates it


@pytest.mark.parametrize("q", ["clermont ferrand", "CLERMONT-FERRAND", "63113"])
def test_the_voeux_commune_search_is_accent_and_hyphen_insensitive_too(
    demande_a: Demande, teacher_a: Agent, france: dict[str, Any], q: str
) -> None:
    page = text(client_for(teacher_a).get(f"/siam/demandes/{demande_a.pk}/voeux/", {"type": "COM", "q": q}))
    assert "1 résultat" in page and "Clermont-Ferrand (063)" in page
    assert "Toulouse" not in page  # the intra searches its own académie only
