"""The confirmation PDF laid out as a form a teacher signs: one page, French dates, no empty column, readable cells.

Text extracted with pypdf; the pages are also rendered to PNG with pdftoppm into test-artifacts/ to be looked at.
"""

from __future__ import annotations

import datetime
import io
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone
from pypdf import PdfReader

from dossier.models import Etablissement
from siam.models import Campagne, Demande, Motif, MotifDeclare, Voeu
from siam.services.confirmation import render_confirmation_pdf
from tests.siam.conftest import paris

pytestmark = pytest.mark.django_db
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"


def pages_and_text(content: bytes) -> tuple[int, str]:
    reader = PdfReader(io.BytesIO(content))
    text = " ".join(page.extract_text() for page in reader.pages).replace("\u00a0", " ").replace("\u202f", " ")
    return len(reader.pages), " ".join(text.split())


def keep_png(content: bytes, name: str) -> None:
    """A PNG of each page beside the other screenshots (skipped where poppler is not installed)."""
    if shutil.which("pdftoppm") is None:
        return
    ARTIFACTS.mkdir(exist_ok=True)
    pdf = ARTIFACTS / f"{name}.pdf"
    pdf.write_bytes(content)
    subprocess.run(["pdftoppm", "-png", "-r", "70", str(pdf), str(ARTIFACTS / name)], check=True)


@pytest.fixture
def demande_normale(demande_a: Demande, intra: Campagne, ref: dict[str, Any]) -> Demande:
    """A usual intra demande: eight voeux of every kind, two motifs with their précisions."""
    intra.retour_pieces_fin = paris(2027, 5, 1, 12)
    intra.save(update_fields=["retour_pieces_fin"])
    extra = [
        Etablissement.objects.create(uai=f"06300{i}0X", nom=f"Lycée numéro {i}", type="LGT", commune=ref["riom"])
        for i in range(3)
    ]
    voeux = [
        {"type": "ETB", "etablissement": ref["college"]},
        *({"type": "ETB", "etablissement": e} for e in extra),
        {"type": "COM", "commune": ref["riom"], "filtre": "LYC"},
        {"type": "GEO", "groupement": ref["geo"]},
        {"type": "DPT", "departement": ref["departement"]},
        {"type": "ZRE", "zone_remplacement": ref["zr"]},
    ]
    for rang, fields in enumerate(voeux, start=1):
        Voeu.objects.create(demande=demande_a, rang=rang, **fields)
    MotifDeclare.objects.create(
        demande=demande_a,
        motif=Motif.RAPPROCHEMENT_CONJOINTS,
        conjoint_commune=ref["lyon"],
        annees=2,
        precision="Conjoint ingénieur chez un constructeur",
    )
    MotifDeclare.objects.create(demande=demande_a, motif=Motif.TZR, annees=1)
    return demande_a


def test_a_normal_demande_fits_on_one_page_with_the_signature(demande_normale: Demande) -> None:
    content = render_confirmation_pdf(demande_normale)
    keep_png(content, "confirmation-intra")
    count, text = pages_and_text(content)
    assert count == 1, f"{count} pages"
    assert "Signature de l'agent" in text and "Fait à" in text


def test_dates_are_french_with_1er_and_the_hour(demande_normale: Demande) -> None:
    _, text = pages_and_text(render_confirmation_pdf(demande_normale))
    assert "avant le 1er mai 2027 à 12 h" in text
    assert " 1 mai" not in text


def test_the_precisions_cell_says_each_fact_on_its_own_line(demande_normale: Demande) -> None:
    _, text = pages_and_text(render_confirmation_pdf(demande_normale))
    assert "Commune du conjoint : Lyon" in text
    assert "Durée : 2 ans" in text and "Durée : 1 an" in text and "an(s)" not in text
    assert "Conjoint ingénieur chez un constructeur" in text
    assert "2 an(s)Conjoint" not in text and "ansConjoint" not in text


def test_the_intra_shows_the_type_d_etablissement_column(demande_normale: Demande) -> None:
    _, text = pages_and_text(render_confirmation_pdf(demande_normale))
    assert "Type d'établissement" in text and "lycée" in text.lower()


def test_the_inter_has_no_type_d_etablissement_column(inter: Campagne, teacher_a: Any, ref: dict[str, Any]) -> None:
    demande = Demande.objects.create(agent=teacher_a, campagne=inter)
    Voeu.objects.create(demande=demande, rang=1, type="ACA", academie=ref["lyon_academie"])
    content = render_confirmation_pdf(demande)
    keep_png(content, "confirmation-inter")
    count, text = pages_and_text(content)
    assert count == 1 and "Lyon" in text
    assert "Type d'établissement" not in text and "tout type" not in text.lower()


def test_the_edition_date_is_french(demande_normale: Demande, at: Any) -> None:
    at(timezone.make_aware(datetime.datetime(2027, 4, 1, 9, 5)))
    _, text = pages_and_text(render_confirmation_pdf(demande_normale))
    assert "Édité le 1er avril 2027 à 9 h 05" in text
