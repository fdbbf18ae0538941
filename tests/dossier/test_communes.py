"""Every commune of France: the COG extract, its bulk idempotent load, and the accent-insensitive search."""

from __future__ import annotations

import csv
import io
import json
import tarfile
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from dossier import cog
from dossier.models import Academie, Commune, Departement, Etablissement
from siam.bareme.geography import ACADEMIES, DEPARTEMENTS

REFERENTIEL = "fixtures/10_referentiel.json"

# A slice of the COG: the fixtures' Clermont-Ferrand and Riom, and communes of eight other départements.
SLICE = [
    ("63113", "Clermont-Ferrand", "063"),
    ("63300", "Riom", "063"),
    ("31555", "Toulouse", "031"),
    ("31575", "Vieille-Toulouse", "031"),
    ("39533", "Toulouse-le-Château", "039"),
    ("42218", "Saint-Étienne", "042"),
    ("42207", "Saint-Étienne-le-Molard", "042"),
    ("15182", "Saint-Étienne-Cantalès", "015"),
    ("97411", "Saint-Denis", "974"),
    ("93066", "Saint-Denis", "093"),
    ("97415", "Saint-Paul", "974"),
    ("2A004", "Ajaccio", "02A"),
    ("2B033", "Bastia", "02B"),
    ("69123", "Lyon", "069"),
    ("75056", "Paris", "075"),
    ("13055", "Marseille", "013"),
    ("01001", "L'Abergement-Clémenciat", "001"),
    ("59350", "Lille", "059"),
    ("67482", "Strasbourg", "067"),
    ("33063", "Bordeaux", "033"),
    ("44109", "Nantes", "044"),
    ("35238", "Rennes", "035"),
    ("97101", "Les Abymes", "971"),
    ("97209", "Fort-de-France", "972"),
    ("97302", "Cayenne", "973"),
    ("97611", "Mamoudzou", "976"),
    ("14118", "Caen", "014"),
    ("76540", "Rouen", "076"),
    ("64445", "Pau", "064"),
    ("87085", "Limoges", "087"),
]


def write_slice(path: Path, rows: list[tuple[str, str, str]]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(("code_insee", "nom", "departement"))
        writer.writerows(rows)
    return path


def load(path: Path) -> str:
    out = io.StringIO()
    call_command("load_communes", communes=path, stdout=out)
    return out.getvalue()


@pytest.fixture
def referentiel(db: None) -> None:
    call_command("loaddata", REFERENTIEL, verbosity=0)


@pytest.fixture
def academies(db: None) -> None:
    """Just the 30 académies (quicker than the whole référentiel fixture)."""
    Academie.objects.bulk_create(
        Academie(code=f"A{code}", nom=nom, code_ministere=code) for code, nom in ACADEMIES.items()
    )


@pytest.fixture
def slice_file(tmp_path: Path) -> Path:
    return write_slice(tmp_path / "communes.csv", SLICE)


# -- the committed extract -------------------------------------------------------------------------


def test_the_departements_extract_is_the_barème_geography_all_101_with_their_académie() -> None:
    rows = cog.read_departements(cog.DEPARTEMENTS_FILE)
    assert len(rows) == 101
    assert {r.code: (r.nom, r.academie) for r in rows} == dict(DEPARTEMENTS)
    assert dict(cog.ACADEMIE_PAR_DEPARTEMENT) == {code: aca for code, (_nom, aca) in DEPARTEMENTS.items()}


def test_the_committed_file_loads_every_commune_of_france_with_its_académie(referentiel: None) -> None:
    out = load(cog.COMMUNES_FILE)
    assert 34_500 <= Commune.objects.count() <= 35_500, out
    assert Departement.objects.count() == 101
    found = {
        c.code_insee: (c.nom, c.departement.code, c.departement.academie.nom)
        for c in Commune.objects.filter(
            code_insee__in=["31555", "97411", "2A004", "2B033", "63113", "14118"]
        ).select_related("departement__academie")
    }
    assert found == {
        "31555": ("Toulouse", "031", "Toulouse"),
        "97411": ("Saint-Denis", "974", "La Réunion"),
        "2A004": ("Ajaccio", "02A", "Corse"),
        "2B033": ("Bastia", "02B", "Corse"),
        "63113": ("Clermont-Ferrand", "063", "Clermont-Ferrand"),
        "14118": ("Caen", "014", "Normandie"),
    }
    # arrondissements municipaux are not communes; collectivités d'outre-mer have no académie
    assert not Commune.objects.filter(code_insee__in=["75101", "69381", "13201", "98735", "97501"]).exists()


# -- the refresh: from the npm package to the extract ---------------------------------------------

JSON_ENTRIES = [
    ({"code": "31555", "nom": "Toulouse", "type": "commune-actuelle", "zone": "metro", "departement": "31"}, True),
    ({"code": "2A004", "nom": "Ajaccio", "type": "commune-actuelle", "zone": "metro", "departement": "2A"}, True),
    ({"code": "97411", "nom": "Saint-Denis", "type": "commune-actuelle", "zone": "drom", "departement": "974"}, True),
    ({"code": "75101", "nom": "Paris 1er", "type": "arrondissement-municipal", "zone": "metro", "departement": "75"}, False),
    ({"code": "01015", "nom": "Arbignieu", "type": "commune-deleguee", "zone": "metro", "departement": "01"}, False),
    ({"code": "01039", "nom": "Arvière", "type": "commune-associee", "zone": "metro", "departement": "01"}, False),
    ({"code": "98735", "nom": "Papeete", "type": "commune-actuelle", "zone": "com", "departement": "987"}, False),
]  # fmt: skip


@pytest.mark.parametrize(("entry", "kept"), JSON_ENTRIES, ids=[e["nom"] for e, _ in JSON_ENTRIES])
def test_only_current_communes_of_the_101_departements_are_kept(entry: dict[str, str], kept: bool) -> None:
    rows = cog.communes_from_json([entry])
    assert rows == ([cog.CommuneRow(entry["code"], entry["nom"], entry["departement"].zfill(3))] if kept else [])


def _package(path: Path, communes: list[dict[str, str]], departements: list[dict[str, str]]) -> Path:
    with tarfile.open(path, "w:gz") as tar:
        for name, data in (("communes.json", communes), ("departements.json", departements)):
            payload = json.dumps(data).encode()
            info = tarfile.TarInfo(f"package/data/{name}")
            info.size = len(payload)
            tar.addfile(info, io.BytesIO(payload))
    return path


def _all_departements() -> list[dict[str, str]]:
    return [{"code": code.lstrip("0"), "nom": nom, "zone": "metro"} for code, (nom, _aca) in DEPARTEMENTS.items()] + [
        {"code": "987", "nom": "Polynésie française", "zone": "com"}
    ]


def test_the_refresh_reads_the_npm_package_and_writes_the_same_bytes_twice(tmp_path: Path) -> None:
    package = _package(tmp_path / "pkg.tgz", [e for e, _ in JSON_ENTRIES], _all_departements())
    communes, departements = cog.read_package(package)
    assert [c.code_insee for c in communes] == ["2A004", "31555", "97411"]
    assert len(departements) == 101 and departements[0] == cog.DepartementRow("001", "Ain", "10")
    first, second = tmp_path / "a.csv.gz", tmp_path / "b.csv.gz"
    cog.write_communes(communes, first)
    cog.write_communes(communes, second)
    assert first.read_bytes() == second.read_bytes()
    assert list(cog.read_communes(first)) == communes


def test_the_refresh_refuses_a_departement_without_academie(tmp_path: Path) -> None:
    deps = [*_all_departements(), {"code": "979", "nom": "Nouveau département", "zone": "drom"}]
    with pytest.raises(ValueError, match="979"):
        cog.read_package(_package(tmp_path / "pkg.tgz", [], deps))


# -- load_communes ---------------------------------------------------------------------------------


def test_a_slice_loads_then_a_second_run_changes_nothing_and_keeps_coordinates_and_links(
    referentiel: None, slice_file: Path
) -> None:
    clermont = Commune.objects.get(code_insee="63113")
    lycee = Etablissement.objects.filter(commune=clermont).first()
    before = Commune.objects.count()
    out = load(slice_file)
    assert "24 créées, 0 modifiées" in out and "départements : 93 créés, 0 modifiés" in out
    assert Commune.objects.count() == before + 24
    out = load(slice_file)
    assert "0 créées, 0 modifiées" in out and "départements : 0 créés, 0 modifiés" in out
    assert Commune.objects.count() == before + 24
    kept = Commune.objects.get(code_insee="63113")
    assert kept.pk == clermont.pk and (kept.latitude, kept.longitude) == (Decimal("45.77722"), Decimal("3.08703"))
    assert lycee is not None and Etablissement.objects.get(pk=lycee.pk).commune_id == clermont.pk
    toulouse = Commune.objects.select_related("departement__academie").get(code_insee="31555")
    assert toulouse.latitude is None and toulouse.departement.academie.code == "TOULOUSE"


def test_a_renamed_commune_is_updated_and_one_no_longer_listed_is_kept(referentiel: None, tmp_path: Path) -> None:
    load(write_slice(tmp_path / "a.csv", SLICE))
    renamed = [(code, "Riom-la-Nouvelle" if code == "63300" else nom, dep) for code, nom, dep in SLICE]
    out = load(write_slice(tmp_path / "b.csv", renamed))
    assert "0 créées, 1 modifiées" in out
    assert Commune.objects.get(code_insee="63300").nom == "Riom-la-Nouvelle"
    assert "41 absentes du COG conservées" in out  # the fixtures' other communes stay
    assert Commune.objects.filter(code_insee="03190").exists()


@pytest.mark.parametrize(
    ("row", "message"),
    [
        (("99999", "Nulle-part", "099"), "département inconnu\u00a0: 099"),
        (("3155", "Toulouse", "031"), "code INSEE ou nom invalide\u00a0: 3155"),
        (("31555", "", "031"), "code INSEE ou nom invalide\u00a0: 31555"),
        (("63113", "Clermont", "063"), "code INSEE en double\u00a0: 63113"),
    ],
)
def test_a_bad_file_is_refused_with_a_french_reason_and_writes_nothing(
    academies: None, tmp_path: Path, row: tuple[str, str, str], message: str
) -> None:
    counts = (Commune.objects.count(), Departement.objects.count())
    with pytest.raises(CommandError, match=message):
        load(write_slice(tmp_path / "bad.csv", [*SLICE, row]))
    assert (Commune.objects.count(), Departement.objects.count()) == counts


def test_without_the_academies_nothing_is_loaded(db: None, slice_file: Path) -> None:
    with pytest.raises(CommandError, match="Académie\\(s\\) absente\\(s\\) du référentiel"):
        load(slice_file)
    assert not Commune.objects.exists()


# -- search ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("q", "first", "count"),
    [
        ("toulouse", "31555", 3),
        ("TOULOUSE", "31555", 3),
        ("31555", "31555", 1),
        ("saint etienne", "42218", 3),
        ("Saint-Étienne", "42218", 3),
        ("saint-etienne-le", "42207", 1),
        ("2a004", "2A004", 1),
        ("l abergement", "01001", 1),
        ("  ajaccio ", "2A004", 1),
        ("Saint Denis", "93066", 2),
        ("Zzyzx", None, 0),
        ("99999", None, 0),
    ],
)
def test_search_by_name_accent_insensitive_or_by_insee_code(
    academies: None, slice_file: Path, q: str, first: str | None, count: int
) -> None:
    load(slice_file)
    found = list(Commune.objects.search(q).values_list("code_insee", flat=True))
    assert len(found) == count
    assert (found[0] if found else None) == first
