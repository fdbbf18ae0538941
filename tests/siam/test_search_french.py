"""French search: accent- and case-insensitive, tolerant of a typo, in French collation order."""

from __future__ import annotations

from typing import Any

import pytest

from accounts.models import Agent
from dossier.models import Academie, Discipline, Etablissement
from siam.models import Campagne, Poste
from siam.search import filter_postes, fold, search_cibles
from tests.siam.conftest import client_for, text

pytestmark = pytest.mark.django_db


@pytest.fixture
def postes(intra: Campagne, ref: dict[str, Any]) -> dict[str, Poste]:
    jeanne = Etablissement.objects.create(uai="0630020C", nom="Lycée Jeanne-d'Arc", type="LGT", commune=ref["clermont"])
    musique = Discipline.objects.create(code="L1700", libelle="Éducation musicale")
    techno = Discipline.objects.create(code="L1400", libelle="Technologie")
    zen = Discipline.objects.create(code="L9999", libelle="Zoologie appliquée")
    return {
        "techno": Poste.objects.create(campagne=intra, discipline=techno, etablissement=ref["college"], nombre=1),
        "musique": Poste.objects.create(campagne=intra, discipline=musique, etablissement=jeanne, nombre=1),
        "zen": Poste.objects.create(campagne=intra, discipline=zen, etablissement=ref["etablissement"], nombre=1),
    }


@pytest.mark.parametrize(
    ("raw", "folded"), [("Lycée Jeanne-d'Arc", "lycee jeanne-d'arc"), ("ŒUVRE", "oeuvre"), ("Réunion", "reunion")]
)
def test_fold_lowers_and_strips_accents_like_unaccent(raw: str, folded: str) -> None:
    assert fold(raw) == folded


def test_postes_sort_in_french_order_education_before_technologie(postes: dict[str, Poste], intra: Campagne) -> None:
    order = [p.discipline.libelle for p in filter_postes(intra, {})]
    assert order == ["Éducation musicale", "Technologie", "Zoologie appliquée"]


@pytest.mark.parametrize("q", ["lycee jeanne", "LYCÉE JEANNE", "jeanne arc", "lycee jeane", "jeanne d'arc"])
def test_postes_search_ignores_accents_case_and_one_typo(postes: dict[str, Poste], intra: Campagne, q: str) -> None:
    assert list(filter_postes(intra, {"q": q})) == [postes["musique"]]


def test_every_word_must_match_so_an_unrelated_word_finds_nothing(postes: dict[str, Poste], intra: Campagne) -> None:
    assert list(filter_postes(intra, {"q": "lycee xylophone"})) == []


def test_postes_search_by_uai_still_works(postes: dict[str, Poste], intra: Campagne) -> None:
    assert list(filter_postes(intra, {"q": "0630020c"})) == [postes["musique"]]


def test_postes_filter_by_commune_name_ignores_accents(postes: dict[str, Poste], intra: Campagne) -> None:
    found = set(filter_postes(intra, {"commune": "CLERMONT FERRAND"}))
    assert postes["musique"] in found and postes["techno"] in found


def test_inter_postes_find_la_reunion_typed_without_accent(inter: Campagne, ref: dict[str, Any]) -> None:
    reunion = Academie.objects.create(code="REUNION", nom="La Réunion")
    poste = Poste.objects.create(campagne=inter, discipline=ref["discipline"], academie=reunion, nombre=3)
    Poste.objects.create(campagne=inter, discipline=ref["discipline"], academie=ref["lyon_academie"], nombre=1)
    assert list(filter_postes(inter, {"q": "reunion"})) == [poste]


def test_the_postes_page_finds_lycee_jeanne(postes: dict[str, Poste], teacher_a: Agent) -> None:
    page = text(client_for(teacher_a).get("/siam/intra-2027/postes/", {"discipline": "", "q": "lycee jeanne"}))
    assert "1 poste trouvé" in page and "Lycée Jeanne-d'Arc" in page and "Collège Albert-Camus" not in page


def test_voeu_target_search_finds_a_school_typed_without_accents_or_with_a_typo(
    postes: dict[str, Poste], intra: Campagne
) -> None:
    for q in ("lycee jeanne", "college albert camus", "colege camus"):
        assert search_cibles(intra, "ETB", q), q
    assert search_cibles(intra, "ETB", "lycee jeanne")[0].libelle.startswith("Lycée Jeanne-d'Arc")


def test_voeu_target_search_by_code_is_exact(postes: dict[str, Poste], intra: Campagne) -> None:
    assert [r.code for r in search_cibles(intra, "ETB", "0630020C")] == ["0630020C"]


def test_a_query_with_nothing_searchable_finds_nothing(postes: dict[str, Poste], intra: Campagne) -> None:
    assert list(filter_postes(intra, {"q": "😀 !"})) == []
    assert search_cibles(intra, "ETB", "😀") == []
