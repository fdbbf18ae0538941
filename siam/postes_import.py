"""CSV import of a campagne's posts: parse everything, report every bad line, write nothing on error.

Format (UTF-8, separator « ; » or « , », one header line):
    discipline;lieu;nombre;susceptible;profil
    L1300;0630018C;2;non;
    L1300;ZR063A;0;oui;
    L0202;0630021F;1;non;Section européenne anglais : niveau C1 attendu.
``lieu`` is a UAI, a zone de remplacement code or (inter) an académie code; a non-empty
``profil`` makes the post a poste à profil (SPEA / SPEN).
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from dossier.models import Academie, Discipline, Etablissement, ZoneRemplacement
from dossier.services.imports.base import safe_rows
from siam.models import Campagne, Poste

COLUMNS = ("discipline", "lieu", "nombre", "susceptible", "profil")
YES = {"oui", "o", "1", "x", "vrai", "true", "yes"}
NO = {"non", "n", "0", "", "faux", "false", "no"}
MAX_LINES = 20000


@dataclass(frozen=True)
class LignePoste:
    line: int
    discipline: Discipline
    lieu: Etablissement | ZoneRemplacement | Academie
    nombre: int
    susceptible: bool
    profil: str

    @property
    def lookup(self) -> dict[str, Any]:
        field = {Etablissement: "etablissement", ZoneRemplacement: "zone_remplacement", Academie: "academie"}
        lieu_field = field[type(self.lieu)]
        return {"discipline": self.discipline, lieu_field: self.lieu, "profile": bool(self.profil)}


@dataclass(frozen=True)
class ImportResult:
    lignes: list[LignePoste]
    erreurs: list[tuple[int, str]]


def parse_postes_csv(campagne: Campagne, text: str) -> ImportResult:
    text = text.lstrip("\ufeff")
    dialect_delimiter = ";" if text.split("\n", 1)[0].count(";") >= text.split("\n", 1)[0].count(",") else ","
    lines = safe_rows(csv.reader(io.StringIO(text), delimiter=dialect_delimiter))
    first = next(lines, None)
    header = [h.strip().lower() for h in first[1]] if first and not first[2] else []
    if tuple(header[: len(COLUMNS)]) != COLUMNS:
        return ImportResult([], [(1, _("En-tête attendu\u00a0: %(cols)s.") % {"cols": ";".join(COLUMNS)})])
    numbered: list[tuple[int, list[str]]] = []
    unreadable: list[tuple[int, str]] = []
    for number, row, problem in lines:
        if problem:
            unreadable.append((number, problem[:1].upper() + problem[1:]))
        else:
            numbered.append((number, row))
    if unreadable:
        return ImportResult([], unreadable)
    rows = [row for _n, row in numbered]
    if len(rows) > MAX_LINES:
        return ImportResult([], [(1, _("Fichier trop long\u00a0: %(max)s lignes au plus.") % {"max": MAX_LINES})])
    disciplines = {d.code.upper(): d for d in Discipline.objects.all()}
    lieux = _lieux(campagne, {row[1].strip().upper() for row in rows if len(row) > 1})
    lignes, erreurs, seen = [], [], set()
    for number, row in numbered:
        if not any(cell.strip() for cell in row):
            continue
        try:
            ligne = _parse_row(number, row, disciplines, lieux)
        except ValueError as exc:
            erreurs.append((number, str(exc)))
            continue
        key = tuple(sorted((k, getattr(v, "pk", v)) for k, v in ligne.lookup.items()))
        if key in seen:
            erreurs.append((number, _("Ce poste figure déjà plus haut dans le fichier.")))
            continue
        seen.add(key)
        lignes.append(ligne)
    if not lignes and not erreurs:
        erreurs.append((2, _("Le fichier ne contient aucun poste.")))
    return ImportResult(lignes, erreurs)


def _lieux(campagne: Campagne, codes: set[str]) -> dict[str, Etablissement | ZoneRemplacement | Academie]:
    found: dict[str, Etablissement | ZoneRemplacement | Academie] = {}
    if campagne.is_inter:
        found.update({a.code.upper(): a for a in Academie.objects.filter(code__in=codes)})
        return found
    etablissements = Etablissement.objects.filter(uai__in=codes).select_related("commune__departement")
    zones = ZoneRemplacement.objects.filter(code__in=codes).select_related("departement")
    wanted = campagne.academie_id
    for etablissement in etablissements:
        if wanted is None or etablissement.commune.departement.academie_id == wanted:
            found[etablissement.uai.upper()] = etablissement
    for zone in zones:
        if wanted is None or zone.departement.academie_id == wanted:
            found[zone.code.upper()] = zone
    return found


def _parse_row(number: int, row: list[str], disciplines: dict, lieux: dict) -> LignePoste:
    cells = [c.strip() for c in row] + [""] * (len(COLUMNS) - len(row))
    code_discipline, code_lieu, nombre_raw, susceptible_raw, profil = cells[: len(COLUMNS)]
    discipline = disciplines.get(code_discipline.upper())
    if discipline is None:
        raise ValueError(_("Discipline inconnue\u00a0: « %(code)s ».") % {"code": code_discipline})
    lieu = lieux.get(code_lieu.upper())
    if lieu is None:
        raise ValueError(
            _("Lieu inconnu pour cette campagne\u00a0: « %(code)s » (UAI, zone de remplacement ou académie).")
            % {"code": code_lieu}
        )
    try:
        nombre = int(nombre_raw or "0")
    except ValueError:
        raise ValueError(_("Nombre de postes invalide\u00a0: « %(v)s ».") % {"v": nombre_raw}) from None
    if nombre < 0 or nombre > 999:
        raise ValueError(_("Nombre de postes invalide\u00a0: « %(v)s ».") % {"v": nombre_raw})
    if susceptible_raw.lower() not in YES | NO:
        raise ValueError(_("Colonne « susceptible »\u00a0: oui ou non, pas « %(v)s ».") % {"v": susceptible_raw})
    susceptible = susceptible_raw.lower() in YES
    if nombre == 0 and not susceptible:
        raise ValueError(_("Un poste doit être vacant (nombre > 0) ou susceptible d'être vacant."))
    return LignePoste(number, discipline, lieu, nombre, susceptible, profil)


def import_postes(campagne: Campagne, result: ImportResult) -> tuple[int, int]:
    """Create or update each line's post; returns (created, updated). Refuses a result with errors."""
    if result.erreurs:
        raise ValueError("import refusé : le fichier contient des erreurs")
    created = updated = 0
    with transaction.atomic():
        for ligne in result.lignes:
            _poste, was_created = Poste.objects.update_or_create(
                campagne=campagne,
                **ligne.lookup,
                defaults={"nombre": ligne.nombre, "susceptible_vacant": ligne.susceptible, "profil": ligne.profil},
            )
            created += was_created
            updated += not was_created
    return created, updated
