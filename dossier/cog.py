"""The Code officiel géographique (COG): every current commune of France and its département.

Source: Etalab's « découpage administratif » (INSEE's COG, Licence Ouverte), published on the npm
registry as ``@etalab/decoupage-administratif``; ``COG_VERSION`` pins the millésime. ``make
communes-refresh`` packs that version into var/ and runs ``python -m dossier.cog PACKAGE.tgz``, which
writes the two committed extracts under fixtures/cog/ that ``load_communes`` loads without any network:

- ``communes-<version>.csv.gz``: code INSEE, nom, département (the référentiel's three characters);
- ``departements-<version>.csv``: code, nom, académie (the ministry's two-digit code).

Kept: the ``commune-actuelle`` entries of the 101 départements (metropolitan France, Corse, the five
DROM). Left out: arrondissements municipaux of Paris, Lyon and Marseille (the commune is what the
rules name), communes déléguées and associées (no longer communes in their own right; INSEE lists them
beside the commune nouvelle they joined), and the collectivités d'outre-mer, which belong to no académie.

Pure: imports no Django, so that the refresh runs without settings.
"""

from __future__ import annotations

import csv
import gzip
import io
import json
import sys
import tarfile
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType

COG_PACKAGE = "@etalab/decoupage-administratif"
COG_VERSION = "6.0.0"  # millésime 2026 of the COG
FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "cog"
COMMUNES_FILE = FIXTURES / f"communes-{COG_VERSION}.csv.gz"
DEPARTEMENTS_FILE = FIXTURES / f"departements-{COG_VERSION}.csv"
ZONES = frozenset({"metro", "drom"})  # not "com": the collectivités d'outre-mer have no académie

# The académie of each département (Code de l'éducation, art. R222-3), by the ministry's two-digit
# académie codes; tests/dossier/test_communes.py checks it against siam.bareme.geography.
ACADEMIE_PAR_DEPARTEMENT: Mapping[str, str] = MappingProxyType(
    {
        **dict.fromkeys(("001", "042", "069"), "10"),  # Lyon
        **dict.fromkeys(("002", "060", "080"), "20"),  # Amiens
        **dict.fromkeys(("003", "015", "043", "063"), "06"),  # Clermont-Ferrand
        **dict.fromkeys(("004", "005", "013", "084"), "02"),  # Aix-Marseille
        **dict.fromkeys(("006", "083"), "23"),  # Nice
        **dict.fromkeys(("007", "026", "038", "073", "074"), "08"),  # Grenoble
        **dict.fromkeys(("008", "010", "051", "052"), "19"),  # Reims
        **dict.fromkeys(("009", "012", "031", "032", "046", "065", "081", "082"), "16"),  # Toulouse
        **dict.fromkeys(("011", "030", "034", "048", "066"), "11"),  # Montpellier
        **dict.fromkeys(("014", "027", "050", "061", "076"), "70"),  # Normandie (Caen + Rouen)
        **dict.fromkeys(("016", "017", "079", "086"), "13"),  # Poitiers
        **dict.fromkeys(("018", "028", "036", "037", "041", "045"), "18"),  # Orléans-Tours
        **dict.fromkeys(("019", "023", "087"), "22"),  # Limoges
        **dict.fromkeys(("02A", "02B"), "27"),  # Corse
        **dict.fromkeys(("021", "058", "071", "089"), "07"),  # Dijon
        **dict.fromkeys(("022", "029", "035", "056"), "14"),  # Rennes
        **dict.fromkeys(("024", "033", "040", "047", "064"), "04"),  # Bordeaux
        **dict.fromkeys(("025", "039", "070", "090"), "03"),  # Besançon
        **dict.fromkeys(("044", "049", "053", "072", "085"), "17"),  # Nantes
        **dict.fromkeys(("054", "055", "057", "088"), "12"),  # Nancy-Metz
        **dict.fromkeys(("059", "062"), "09"),  # Lille
        **dict.fromkeys(("067", "068"), "15"),  # Strasbourg
        "075": "01",  # Paris
        **dict.fromkeys(("077", "093", "094"), "24"),  # Créteil
        **dict.fromkeys(("078", "091", "092", "095"), "25"),  # Versailles
        "971": "32",  # Guadeloupe
        "972": "31",  # Martinique
        "973": "33",  # Guyane
        "974": "28",  # La Réunion
        "976": "43",  # Mayotte
    }
)


@dataclass(frozen=True, slots=True)
class CommuneRow:
    code_insee: str
    nom: str
    departement: str  # the référentiel's three characters: "031", "02A", "974"


@dataclass(frozen=True, slots=True)
class DepartementRow:
    code: str
    nom: str
    academie: str  # ministry code of the académie: "16"


def departement_code(cog_code: str) -> str:
    """INSEE's "31", "2A", "974" as the référentiel's "031", "02A", "974"."""
    return cog_code.zfill(3)


def communes_from_json(entries: Iterable[Mapping[str, object]]) -> list[CommuneRow]:
    rows = [
        CommuneRow(str(e["code"]), str(e["nom"]), departement_code(str(e["departement"])))
        for e in entries
        if e.get("type") == "commune-actuelle" and e.get("zone") in ZONES
    ]
    return sorted(rows, key=lambda r: r.code_insee)


def departements_from_json(entries: Iterable[Mapping[str, object]]) -> list[DepartementRow]:
    rows = []
    for e in entries:
        if e.get("zone") not in ZONES:
            continue
        code = departement_code(str(e["code"]))
        if code not in ACADEMIE_PAR_DEPARTEMENT:
            raise ValueError(f"Département {code} ({e['nom']}) sans académie : complétez ACADEMIE_PAR_DEPARTEMENT.")
        rows.append(DepartementRow(code, str(e["nom"]), ACADEMIE_PAR_DEPARTEMENT[code]))
    missing = set(ACADEMIE_PAR_DEPARTEMENT) - {r.code for r in rows}
    if missing:
        raise ValueError(f"Départements absents du COG : {', '.join(sorted(missing))}.")
    return sorted(rows, key=lambda r: r.code)


def read_package(path: Path) -> tuple[list[CommuneRow], list[DepartementRow]]:
    """The two lists from the npm tarball (``npm pack``) of the découpage administratif."""
    with tarfile.open(path, "r:gz") as tar:

        def load(name: str) -> list[dict[str, object]]:
            member = tar.extractfile(f"package/data/{name}")
            if member is None:
                raise ValueError(f"{name} absent de {path}")
            return list(json.load(member))

        communes, departements = load("communes.json"), load("departements.json")
    return communes_from_json(communes), departements_from_json(departements)


def write_communes(rows: Iterable[CommuneRow], path: Path) -> None:
    # mtime=0 and no file name in the header: the same data gives the same bytes.
    with path.open("wb") as raw, gzip.GzipFile(filename="", fileobj=raw, mode="wb", mtime=0) as gz:
        text = io.TextIOWrapper(gz, encoding="utf-8", newline="")
        writer = csv.writer(text, lineterminator="\n")
        writer.writerow(("code_insee", "nom", "departement"))
        writer.writerows((r.code_insee, r.nom, r.departement) for r in rows)
        text.flush()
        text.detach()


def write_departements(rows: Iterable[DepartementRow], path: Path) -> None:
    with path.open("w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(("code", "nom", "academie"))
        writer.writerows((r.code, r.nom, r.academie) for r in rows)


def read_communes(path: Path) -> Iterator[CommuneRow]:
    """Rows of a communes extract, gzipped (``.gz``) or plain CSV."""
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rt", encoding="utf-8", newline="") as src:  # type: ignore[operator]
        for line in csv.DictReader(src):
            yield CommuneRow(line["code_insee"], line["nom"], line["departement"])


def read_departements(path: Path) -> list[DepartementRow]:
    with path.open(encoding="utf-8", newline="") as src:
        return [DepartementRow(line["code"], line["nom"], line["academie"]) for line in csv.DictReader(src)]


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        print("usage : python -m dossier.cog PAQUET.tgz", file=sys.stderr)
        return 2
    communes, departements = read_package(Path(argv[0]))
    FIXTURES.mkdir(parents=True, exist_ok=True)
    write_communes(communes, COMMUNES_FILE)
    write_departements(departements, DEPARTEMENTS_FILE)
    print(f"{len(communes)} communes → {COMMUNES_FILE} ({COMMUNES_FILE.stat().st_size} octets)")
    print(f"{len(departements)} départements → {DEPARTEMENTS_FILE}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
