"""The inter's capacités d'accueil: CSV import (preview, line-numbered errors, nothing written on error)
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

import csv
import io
from collections import Counter
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from dossier.models import Academie, Discipline
from siam.errors import MouvementError
from siam.models import Campagne, CapaciteAccueil

COLUMNS = ("academie", "discipline", "places")
MAX_LINES = 20000
MAX_PLACES = 100_000


@dataclass(frozen=True)
class LigneCapacite:
    line: int
    academie: Academie
    discipline: Discipline
    places: int


@dataclass(frozen=True)
class CapaciteImport:
    lignes: list[LigneCapacite]
    erreurs: list[tuple[int, str]]


def parse_capacites_csv(text: str) -> CapaciteImport:
    text = text.lstrip("\ufeff")
    first = text.split("\n", 1)[0]
    reader = csv.reader(io.StringIO(text), delimiter=";" if first.count(";") >= first.count(",") else ",")
    header = [h.strip().lower() for h in next(reader, [])]
    if tuple(header[: len(COLUMNS)]) != COLUMNS:
        return CapaciteImport([], [(1, _("En-tête attendu\u00a0: %(cols)s.") % {"cols": ";".join(COLUMNS)})])
    rows = list(reader)
    if len(rows) > MAX_LINES:
        return CapaciteImport([], [(1, _("Fichier trop long\u00a0: %(max)s lignes au plus.") % {"max": MAX_LINES})])
    academies = {a.code.upper(): a for a in Academie.objects.all()}
    disciplines = {d.code.upper(): d for d in Discipline.objects.all()}
    lignes: list[LigneCapacite] = []
    erreurs: list[tuple[int, str]] = []
    seen: set[tuple[int, int]] = set()
    for number, row in enumerate(rows, start=2):
        cells = [c.strip() for c in row] + [""] * (len(COLUMNS) - len(row))
        if not any(cells):
            continue
        code_aca, code_disc, places_raw = cells[: len(COLUMNS)]
        academie, discipline = academies.get(code_aca.upper()), disciplines.get(code_disc.upper())
        if academie is None:
            erreurs.append((number, _("Académie inconnue\u00a0: « %(code)s ».") % {"code": code_aca}))
            continue
        if discipline is None:
            erreurs.append((number, _("Discipline inconnue\u00a0: « %(code)s ».") % {"code": code_disc}))
            continue
        if not places_raw.isdigit() or int(places_raw) > MAX_PLACES:
            erreurs.append(
                (
                    number,
                    _("Nombre de places invalide\u00a0: « %(v)s » (entier de 0 à %(max)s).")
                    % {"v": places_raw, "max": MAX_PLACES},
                )
            )
            continue
        if (academie.pk, discipline.pk) in seen:
            erreurs.append((number, _("Cette académie et cette discipline figurent déjà plus haut dans le fichier.")))
            continue
        seen.add((academie.pk, discipline.pk))
        lignes.append(LigneCapacite(number, academie, discipline, int(places_raw)))
    if not lignes and not erreurs:
        erreurs.append((2, _("Le fichier ne contient aucune capacité.")))
    return CapaciteImport(lignes, erreurs)


def import_capacites(*, campagne: Campagne, result: CapaciteImport) -> tuple[int, int]:
    """Create or update each line's capacity; returns (created, updated). Refuses a result with errors."""
    if not campagne.is_inter:
        raise MouvementError(_("Les capacités d'accueil ne concernent que le mouvement inter-académique."))
    if result.erreurs:
        raise MouvementError(_("Import refusé\u00a0: le fichier contient des erreurs."))
    created = updated = 0
    with transaction.atomic():
        for ligne in result.lignes:
            _row, was_created = CapaciteAccueil.objects.update_or_create(
                campagne=campagne,
                academie=ligne.academie,
                discipline=ligne.discipline,
                defaults={"places": ligne.places},
            )
            created += was_created
            updated += not was_created
    return created, updated


def french(n: int) -> int:
    """The count ngettext should see: in French, 0 and 1 take the singular."""
    return 1 if n <= 1 else n


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
        who = ngettext("%(n)s participant obligatoire", "%(n)s participants obligatoires", french(self.obligatoires))
        where = ngettext("%(p)s place", "%(p)s places", french(self.places))
        text = _("%(d)s\u00a0: %(who)s, %(where)s") % {
            "d": self.discipline,
            "who": who % {"n": self.obligatoires},
            "where": where % {"p": self.places},
        }
        if self.volontaires_sans_poste:
            text += ngettext(
                " (et %(v)s volontaire sans poste à conserver)",
                " (et %(v)s volontaires sans poste à conserver)",
                french(self.volontaires_sans_poste),
            ) % {"v": self.volontaires_sans_poste}
        if self.titulaires_corse_dom:
            text += ngettext(
                " (et %(t)s titulaire de Corse ou des DOM qui peut venir sur le continent)",
                " (et %(t)s titulaires de Corse ou des DOM qui peuvent venir sur le continent)",
                french(self.titulaires_corse_dom),
            ) % {"t": self.titulaires_corse_dom}
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
