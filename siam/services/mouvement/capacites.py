"""The inter's capacités d'accueil: CSV import (django-import-export: preview, line-numbered errors, nothing written on error)
and the check made before a run, per discipline, that capacity can place every obligatory participant.

Format (UTF-8, separator « ; » or « , », one header line):
    academie;discipline;places
    LYON;L1300;42
``academie`` is an académie code, ``discipline`` a discipline code; a line already present
(same campagne, académie and discipline) is updated.

The guarantee (``siam.mouvement.expansion.extension_zones``, property-tested in
tests/siam/mouvement/test_mouvement_extension.py): when, in a discipline, the places outside Corse
and the DOM are at least the participants who may take one without freeing one there (obligatory
participants; volunteers who are not tenured, who take a seat if they obtain a voeu; tenured teachers
of Corse and the DOM, who may move to the mainland), the extension places every obligatory
participant. Seats freed by mainland movers are not counted: they are not known before the run. Corse and the DOM are never reached by extension at the inter, so
their places count in the total shown but not in that guarantee.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Any

import tablib
from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from dossier.models import Academie, Discipline
from dossier.services.imports import ImportOptions, ImportResource, Row
from lib.text import accord
from siam.errors import MouvementError
from siam.models import Campagne, CapaciteAccueil
from siam.postes_import import SiamImporter

COLUMNS = ("academie", "discipline", "places")
MAX_LINES = 20000
MAX_PLACES = 100_000


class CapaciteResource(ImportResource):
    class Meta(ImportOptions):
        model = CapaciteAccueil
        fields = ("places",)

    def load_references(self, dataset: tablib.Dataset) -> None:
        campagne: Campagne | None = self.context.get("campagne")
        self.academies = {a.code.upper(): a for a in Academie.objects.all()}
        self.disciplines = {d.code.upper(): d for d in Discipline.objects.all()}
        existing = CapaciteAccueil.objects.filter(campagne=campagne) if campagne else CapaciteAccueil.objects.none()
        self.existing = {(c.academie_id, c.discipline_id): c for c in existing}
        self.seen: set[tuple[int, int]] = set()

    def find(self, values: dict[str, Any]) -> CapaciteAccueil | None:
        return self.existing.get((values["academie"].pk, values["discipline"].pk))

    def clean_row(self, line: int, data: dict[str, str]) -> tuple[dict[str, Any], list[str]]:
        academie = self.academies.get(data["academie"].upper())
        discipline = self.disciplines.get(data["discipline"].upper())
        places = data["places"]
        if academie is None:
            return {}, [_("Académie inconnue\u00a0: « %(code)s ».") % {"code": data["academie"]}]
        if discipline is None:
            return {}, [_("Discipline inconnue\u00a0: « %(code)s ».") % {"code": data["discipline"]}]
        if not places.isdigit() or int(places) > MAX_PLACES:
            message = _("Nombre de places invalide\u00a0: « %(v)s » (entier de 0 à %(max)s).")
            return {}, [message % {"v": places, "max": MAX_PLACES}]
        if (academie.pk, discipline.pk) in self.seen:
            return {}, [_("Cette académie et cette discipline figurent déjà plus haut dans le fichier.")]
        self.seen.add((academie.pk, discipline.pk))
        values = {"academie": academie, "discipline": discipline, "places": int(places)}
        return values | {"campagne": self.context.get("campagne")}, []


class CapaciteImporter(SiamImporter):
    resource_class = CapaciteResource
    label = gettext_lazy("capacités d'accueil")
    columns = COLUMNS
    required = COLUMNS
    example = ("LYON", "L1300", "42")
    help = gettext_lazy(
        "« academie »\u00a0: code de l'académie (ex. LYON)\u00a0; « discipline »\u00a0: code de la discipline (ex. L1300)\u00a0; "
        "« places »\u00a0: la capacité d'accueil fixée par le ministère. Une capacité déjà présente (même campagne, "
        "même académie, même discipline) est mise à jour."
    )
    noun = (gettext_lazy("%(n)s capacité"), gettext_lazy("%(n)s capacités"))
    created_phrase = (gettext_lazy("%(n)s capacité créée"), gettext_lazy("%(n)s capacités créées"))
    updated_phrase = (gettext_lazy("%(n)s mise à jour"), gettext_lazy("%(n)s mises à jour"))

    def __init__(self, **context: Any) -> None:
        campagne = context.get("campagne")
        if campagne is not None and not campagne.is_inter:
            raise MouvementError(_("Les capacités d'accueil ne concernent que le mouvement inter-académique."))
        super().__init__(**context)

    def empty_message(self) -> str:
        return _("Le fichier ne contient aucune capacité.")


@dataclass(frozen=True)
class CapaciteImport:
    lignes: list[Row]
    erreurs: list[tuple[int, str]]
    text: str


def parse_capacites_csv(text: str) -> CapaciteImport:
    """The preview of a capacités file, as (line, message) pairs (for the shell and the tests)."""
    preview = CapaciteImporter().preview(text)
    return CapaciteImport(preview.rows, [(e.line, e.message) for e in preview.errors], text)


def import_capacites(*, campagne: Campagne, result: CapaciteImport) -> tuple[int, int]:
    """Create or update each line's capacity; returns (created, updated). Refuses a result with errors."""
    importer = CapaciteImporter(campagne=campagne)
    if result.erreurs:
        raise MouvementError(_("Import refusé\u00a0: le fichier contient des erreurs."))
    bilan = importer.run(result.text, auteur=None)
    return bilan.created, bilan.updated


@dataclass(frozen=True)
class CapaciteDiscipline:
    """One discipline, before the run: who must get a seat, and how many seats there are."""

    discipline: str
    obligatoires: int
    volontaires_sans_poste: int  # volunteers with no post to keep: they take a seat if they obtain a voeu
    titulaires_corse_dom: int  # tenured in Corse or a DOM: leaving, they may take a mainland seat
    places: int
    places_hors_corse_dom: int

    @property
    def bloquant(self) -> bool:
        return self.places_hors_corse_dom < self.obligatoires + self.volontaires_sans_poste + self.titulaires_corse_dom

    @property
    def message(self) -> str:
        who = accord(self.obligatoires, _("%(n)s participant obligatoire"), _("%(n)s participants obligatoires"))
        where = accord(self.places, _("%(n)s place"), _("%(n)s places"))
        text = _("%(d)s\u00a0: %(who)s, %(where)s") % {"d": self.discipline, "who": who, "where": where}
        if self.volontaires_sans_poste:
            text += accord(
                self.volontaires_sans_poste,
                _(" (et %(n)s volontaire sans poste à conserver)"),
                _(" (et %(n)s volontaires sans poste à conserver)"),
            )
        if self.titulaires_corse_dom:
            text += accord(
                self.titulaires_corse_dom,
                _(" (et %(n)s titulaire de Corse ou des DOM qui peut venir sur le continent)"),
                _(" (et %(n)s titulaires de Corse ou des DOM qui peuvent venir sur le continent)"),
            )
        if self.places_hors_corse_dom != self.places:
            text += _(", dont %(h)s hors Corse et DOM (l'extension n'y affecte jamais)") % {
                "h": self.places_hors_corse_dom
            }
        return text


def capacity_report(campagne: Campagne) -> list[CapaciteDiscipline]:
    """Per discipline with participants or places: obligatory participants, volunteers without post, places."""
    from siam.services.mouvement.market import inter_places, load_participants, market_postes

    far = set(Academie.objects.filter(Q(is_dom=True) | Q(is_corse=True)).values_list("pk", flat=True))
    must: Counter[int] = Counter()
    volunteers: Counter[int] = Counter()
    from_far: Counter[int] = Counter()
    for p in load_participants(campagne):
        if p.discipline_id is None:
            continue
        if p.obligatory:
            must[p.discipline_id] += 1
        elif p.current is None:
            volunteers[p.discipline_id] += 1
        elif p.current[1] in far:
            from_far[p.discipline_id] += 1
    places: Counter[int] = Counter()
    reachable: Counter[int] = Counter()
    cells = inter_places(campagne)
    if cells is None:  # no capacité d'accueil entered: the académie posts' own numbers, as the run reads them
        rows = (
            market_postes(campagne).filter(academie__isnull=False).values_list("academie_id", "discipline_id", "nombre")
        )
        cells = {(a, d): n for a, d, n in rows}
    for (a, d), n in cells.items():
        places[d] += n
        if a not in far:
            reachable[d] += n
    ids = set(must) | set(volunteers) | set(places)
    names = dict(Discipline.objects.filter(pk__in=ids).values_list("pk", "libelle"))
    report = [CapaciteDiscipline(names[d], must[d], volunteers[d], from_far[d], places[d], reachable[d]) for d in ids]
    return sorted(report, key=lambda r: (not r.bloquant, r.discipline))


def check_capacities(campagne: Campagne) -> None:
    """Refuse an inter run whose capacities cannot place every obligatory participant."""
    short = [r.message for r in capacity_report(campagne) if r.bloquant]
    if short:
        raise MouvementError(
            _("Capacités d'accueil insuffisantes, le mouvement ne peut pas être lancé\u00a0: %(d)s.")
            % {"d": " ; ".join(short)}
        )
