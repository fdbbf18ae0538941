"""CSV import of a campagne's posts (django-import-export): every bad line reported, nothing written on error.

Format (UTF-8, separator « ; » or « , », one header line):
    discipline;lieu;nombre;susceptible;profil
    L1300;0630018C;2;non;
    L1300;ZR063A;0;oui;
    L0202;0630021F;1;non;Section européenne anglais : niveau C1 attendu.
``lieu`` is a UAI, a zone de remplacement code or (inter) an académie code; a non-empty
``profil`` makes the post a poste à profil (SPEA / SPEN). A post already there (same discipline,
same lieu, same profile) is updated.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import tablib
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from dossier.models import Academie, Discipline, Etablissement, ZoneRemplacement
from dossier.services.imports import Importer, ImportOptions, ImportResource, Row
from siam.models import Campagne, Poste

COLUMNS = ("discipline", "lieu", "nombre", "susceptible", "profil")
YES = {"oui", "o", "1", "x", "vrai", "true", "yes"}
NO = {"non", "n", "0", "", "faux", "false", "no"}
MAX_LINES = 20000
LIEU_FIELDS = {Etablissement: "etablissement", ZoneRemplacement: "zone_remplacement", Academie: "academie"}
Lieu = Etablissement | ZoneRemplacement | Academie


class SiamImporter(Importer):
    """The SIAM imports: a campagne to import into, a header that must be exactly the columns."""

    sentences = True
    max_lines = MAX_LINES

    def check_header(self, header: list[str]) -> str | None:
        if tuple(header[: len(self.columns)]) == self.columns:
            return None
        return _("En-tête attendu\u00a0: %(cols)s.") % {"cols": ";".join(self.columns)}


class PosteResource(ImportResource):
    class Meta(ImportOptions):
        model = Poste
        fields = ("nombre", "susceptible_vacant", "profil")

    def load_references(self, dataset: tablib.Dataset) -> None:
        campagne: Campagne = self.context["campagne"]
        self.disciplines = {d.code.upper(): d for d in Discipline.objects.all()}
        self.lieux = _lieux(
            campagne, {str(code).strip().upper() for code in dataset["lieu"]} if dataset.height else set()
        )
        self.existing = {_key(p.__dict__): p for p in Poste.objects.filter(campagne=campagne)}
        self.seen: set[tuple[Any, ...]] = set()

    def find(self, values: dict[str, Any]) -> Poste | None:
        return self.existing.get(_key(values))

    def clean_row(self, line: int, data: dict[str, str]) -> tuple[dict[str, Any], list[str]]:
        discipline = self.disciplines.get(data["discipline"].upper())
        if discipline is None:
            return {}, [_("Discipline inconnue\u00a0: « %(code)s ».") % {"code": data["discipline"]}]
        lieu = self.lieux.get(data["lieu"].upper())
        if lieu is None:
            message = _("Lieu inconnu pour cette campagne\u00a0: « %(code)s » (UAI, zone de remplacement ou académie).")
            return {}, [message % {"code": data["lieu"]}]
        raw = data["nombre"]
        nombre = int(raw or "0") if (raw or "0").isdigit() else -1
        if not 0 <= nombre <= 999:
            return {}, [_("Nombre de postes invalide\u00a0: « %(v)s ».") % {"v": raw}]
        susceptible = data["susceptible"].lower()
        if susceptible not in YES | NO:
            return {}, [_("Colonne « susceptible »\u00a0: oui ou non, pas « %(v)s ».") % {"v": data["susceptible"]}]
        if nombre == 0 and susceptible not in YES:
            return {}, [_("Un poste doit être vacant (nombre > 0) ou susceptible d'être vacant.")]
        values = {
            "campagne": self.context["campagne"],
            "discipline": discipline,
            "etablissement": None,
            "zone_remplacement": None,
            "academie": None,
            LIEU_FIELDS[type(lieu)]: lieu,
            "nombre": nombre,
            "susceptible_vacant": susceptible in YES,
            "profil": data["profil"],
            "profile": bool(data["profil"]),
        }
        if (key := _key(values)) in self.seen:
            return {}, [_("Ce poste figure déjà plus haut dans le fichier.")]
        self.seen.add(key)
        return values, []


def _key(values: dict[str, Any]) -> tuple[Any, ...]:
    """What identifies a post of the campagne: its discipline, its lieu and whether it is profiled."""

    def pk(name: str) -> Any:
        return values.get(f"{name}_id", getattr(values.get(name), "pk", None))

    return (pk("discipline"), pk("etablissement"), pk("zone_remplacement"), pk("academie"), values["profile"])


def _lieux(campagne: Campagne, codes: set[str]) -> dict[str, Lieu]:
    found: dict[str, Lieu] = {}
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


class PosteImporter(SiamImporter):
    resource_class = PosteResource
    label = gettext_lazy("postes")
    columns = COLUMNS
    required = COLUMNS
    example = ("L1300", "0630018C", "2", "non", "")
    help = gettext_lazy(
        "« lieu »\u00a0: code UAI, code de zone de remplacement ou (mouvement inter) code d'académie\u00a0; « susceptible »\u00a0: "
        "oui ou non\u00a0; un « profil » non vide fait du poste un poste à profil. Un poste déjà présent (même discipline, "
        "même lieu, même profil) est mis à jour."
    )
    noun = (gettext_lazy("%(n)s poste"), gettext_lazy("%(n)s postes"))
    created_phrase = (gettext_lazy("%(n)s poste créé"), gettext_lazy("%(n)s postes créés"))
    updated_phrase = (gettext_lazy("%(n)s mis à jour"), gettext_lazy("%(n)s mis à jour"))

    def empty_message(self) -> str:
        return _("Le fichier ne contient aucun poste.")


@dataclass(frozen=True)
class ImportResult:
    lignes: list[Row]
    erreurs: list[tuple[int, str]]


def parse_postes_csv(campagne: Campagne, text: str) -> ImportResult:
    """The preview of a postes file, as (line, message) pairs (for the shell and the tests)."""
    preview = PosteImporter(campagne=campagne).preview(text)
    return ImportResult(preview.rows, [(e.line, e.message) for e in preview.errors])
