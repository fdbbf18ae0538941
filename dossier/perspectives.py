"""Vos perspectives: where a career goes next, from the échelon grid as data.

Pure core, like the barème: frozen dataclasses in, results out, no Django and
no database. The service (dossier/services/perspectives.py) loads the grid and
the dossier in bulk and calls `compute_perspectives`. Sentences are plain
French, as in siam.bareme: a pure core has no gettext.

Rules (DOMAIN.md §1, all numbers come in as data):
- the next échelon is due `duree_mois` after the date d'effet of the current
  one, or `duree_acceleree_mois` after it for the accelerated 30 % (rendez-vous
  de carrière); an accelerated date already past did not happen, since the
  dossier would show the new échelon;
- a grade change is never automatic: a missing duration in the grid means the
  next échelon is reached by choice (échelon spécial), not by seniority;
- promouvabilité to a higher grade follows `Condition`s (échelon, seniority in
  it, years of fonctions particulières) appreciated on one day of the year
  (31 August): that day's year is the first campagne the agent can be examined.
"""

from __future__ import annotations

import calendar
import datetime
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum

from lib.dates import MOIS

CLASSE_LABELS = {
    "normale": "classe normale",
    "hors_classe": "hors-classe",
    "exceptionnelle": "classe exceptionnelle",
}
CLASSE_ORDER = ("normale", "hors_classe", "exceptionnelle")


# --- French wording -----------------------------------------------------------


def format_date(day: datetime.date) -> str:
    """2027-09-01 -> '1er septembre 2027'; 2026-11-27 -> '27 novembre 2026'."""
    number = "1er" if day.day == 1 else str(day.day)
    return f"{number} {MOIS[day.month - 1]} {day.year}"


def ordinal(n: int) -> str:
    return "1er" if n == 1 else f"{n}e"


def format_mois(months: int) -> str:
    """30 -> '2 ans 6 mois'; 12 -> '1 an'; 6 -> '6 mois'."""
    years, rest = divmod(months, 12)
    parts = []
    if years:
        parts.append(f"{years} an" if years == 1 else f"{years} ans")
    if rest or not years:
        parts.append(f"{rest} mois")
    return " ".join(parts)


@dataclass(frozen=True)
class Ecart:
    """A duration as the administration states it: years, months, days."""

    annees: int
    mois: int
    jours: int

    @property
    def texte(self) -> str:
        parts = []
        if self.annees:
            parts.append(f"{self.annees} an" if self.annees == 1 else f"{self.annees} ans")
        if self.mois:
            parts.append(f"{self.mois} mois")
        if self.jours or not parts:
            parts.append(f"{self.jours} jour" if self.jours <= 1 else f"{self.jours} jours")
        if len(parts) == 1:
            return parts[0]
        return " ".join(parts[:-1]) + " et " + parts[-1]

    @property
    def texte_court(self) -> str:
        """Years and months only: 'depuis 3 ans 2 mois'."""
        if not self.annees and not self.mois:
            return "moins d'un mois"
        return format_mois(self.annees * 12 + self.mois)


def add_months(day: datetime.date, months: int) -> datetime.date:
    """Same day `months` later, clamped to the end of a shorter month (31 Jan + 1 -> 28/29 Feb)."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return datetime.date(year, month + 1, min(day.day, last))


def ecart(debut: datetime.date, fin: datetime.date) -> Ecart:
    """Whole years, then whole months, then days from `debut` to `fin` (0 if fin < debut)."""
    if fin <= debut:
        return Ecart(0, 0, 0)
    months = (fin.year - debut.year) * 12 + fin.month - debut.month
    if add_months(debut, months) > fin:
        months -= 1
    days = (fin - add_months(debut, months)).days
    return Ecart(months // 12, months % 12, days)


# --- Inputs -------------------------------------------------------------------


@dataclass(frozen=True)
class Duree:
    """Time spent in one échelon before the next: normal, and accelerated where the grid has one."""

    mois: int
    acceleree_mois: int | None = None


@dataclass(frozen=True)
class Grille:
    classe: str  # "normale", "hors_classe", "exceptionnelle"
    libelle: str
    echelon_max: int
    durees: Mapping[int, Duree] = field(default_factory=dict)

    @property
    def classe_label(self) -> str:
        return CLASSE_LABELS.get(self.classe, self.classe)


@dataclass(frozen=True)
class Condition:
    """Promouvabilité from the grade of classe `depuis` to the grade `vers`."""

    libelle: str  # "vivier 1 — fonctions particulières", or "" when there is one way
    depuis: str  # classe of the current grade
    vers: str  # classe of the grade it leads to
    echelon_min: int
    anciennete_mois: int = 0
    fonctions_particulieres_mois: int = 0
    appreciation_mois: int = 8
    appreciation_jour: int = 31


@dataclass(frozen=True)
class Situation:
    grille: Grille
    echelon: int
    date_effet: datetime.date | None
    aujourd_hui: datetime.date
    conditions: tuple[Condition, ...] = ()
    # Months in éducation prioritaire from the affectations; None: not known.
    fonctions_particulieres_mois: int | None = None


# --- Results ------------------------------------------------------------------


class Statut(StrEnum):
    REMPLIE = "remplie"
    A_VENIR = "a_venir"
    NON_REMPLIE = "non_remplie"
    INCONNUE = "inconnue"
    SANS_OBJET = "sans_objet"


@dataclass(frozen=True)
class Etape:
    echelon: int
    date: datetime.date  # à l'ancienneté
    date_au_plus_tot: datetime.date  # with every acceleration the grid allows


@dataclass(frozen=True)
class ProchainEchelon:
    echelon: int
    date: datetime.date
    date_acceleree: datetime.date | None
    en_retard: bool  # due date already past: the dossier may not be up to date


@dataclass(frozen=True)
class Eligibilite:
    titre: str
    statut: Statut
    phrase: str
    date: datetime.date | None = None
    campagne: int | None = None


@dataclass(frozen=True)
class Perspectives:
    situation: str
    anciennete_echelon: Ecart | None
    prochain: ProchainEchelon | None
    prochain_phrase: str
    projection: tuple[Etape, ...]
    projection_phrase: str
    eligibilites: tuple[Eligibilite, ...]
    manques: tuple[str, ...]


# --- Core ---------------------------------------------------------------------


def project(situation: Situation) -> tuple[tuple[Etape, ...], int | None]:
    """Échelons still to come in the current grade, and the échelon where automatic advancement stops.

    The second value is None when the projection reaches the last échelon.
    """
    grille, today = situation.grille, situation.aujourd_hui
    if situation.date_effet is None:
        return (), None
    etapes: list[Etape] = []
    normal = au_plus_tot = situation.date_effet
    echelon = situation.echelon
    while echelon < grille.echelon_max:
        duree = grille.durees.get(echelon)
        if duree is None:
            return tuple(etapes), echelon
        accelere = add_months(au_plus_tot, duree.acceleree_mois) if duree.acceleree_mois else None
        if accelere is not None and echelon == situation.echelon and accelere <= today:
            accelere = None  # already past: it did not happen
        normal = add_months(normal, duree.mois)
        au_plus_tot = accelere or add_months(au_plus_tot, duree.mois)
        echelon += 1
        etapes.append(Etape(echelon, normal, au_plus_tot))
    return tuple(etapes), None


def _situation_phrase(s: Situation, anciennete: Ecart | None) -> str:
    where = f"au {ordinal(s.echelon)} échelon de la {s.grille.classe_label} ({s.grille.libelle})"
    if s.date_effet is None:
        return f"Vous êtes {where} ; la date d'effet de cet échelon n'est pas renseignée dans votre dossier."
    if s.date_effet > s.aujourd_hui:
        return f"Vous serez {where} à compter du {format_date(s.date_effet)}."
    assert anciennete is not None
    return f"Vous êtes {where} depuis le {format_date(s.date_effet)}, soit {anciennete.texte}."


def _prochain(s: Situation, etapes: tuple[Etape, ...], bloque: int | None) -> tuple[ProchainEchelon | None, str]:
    grille = s.grille
    if s.echelon >= grille.echelon_max:
        if grille.classe == "exceptionnelle":
            return None, (
                f"Vous avez atteint le dernier échelon ({ordinal(grille.echelon_max)}) de la classe "
                "exceptionnelle\u00a0: votre carrière a atteint le sommet de la grille."
            )
        return None, (
            f"Vous avez atteint le dernier échelon ({ordinal(grille.echelon_max)}) de la {grille.classe_label}\u00a0: "
            "votre avancement se poursuit par une promotion de grade (voir ci-dessous)."
        )
    if s.date_effet is None:
        return None, (
            f"La date de passage au {ordinal(s.echelon + 1)} échelon ne peut pas être calculée\u00a0: il manque la "
            f"date d'effet de votre {ordinal(s.echelon)} échelon. Signalez-le à votre correspondant de gestion."
        )
    if bloque == s.echelon:
        return None, (
            f"La grille ne fixe pas de durée pour passer du {ordinal(s.echelon)} au {ordinal(s.echelon + 1)} "
            "échelon\u00a0: ce passage n'est pas automatique, il se fait au choix."
        )
    first = etapes[0]
    duree = grille.durees[s.echelon]
    accelere = first.date_au_plus_tot if first.date_au_plus_tot < first.date else None
    en_retard = first.date <= s.aujourd_hui
    prochain = ProchainEchelon(first.echelon, first.date, accelere, en_retard)
    if en_retard:
        return prochain, (
            f"Selon la grille, votre passage au {ordinal(first.echelon)} échelon était dû le "
            f"{format_date(first.date)} ({format_mois(duree.mois)} après le {format_date(s.date_effet)})\u00a0: "
            "s'il n'apparaît pas encore dans votre dossier, signalez-le à votre correspondant de gestion."
        )
    phrase = (
        f"Vous passerez au {ordinal(first.echelon)} échelon le {format_date(first.date)} à l'ancienneté, "
        f"soit {format_mois(duree.mois)} après le {format_date(s.date_effet)}"
    )
    if accelere is not None and duree.acceleree_mois:
        phrase += (
            f", ou dès le {format_date(accelere)} en cas d'avancement accéléré "
            f"({format_mois(duree.acceleree_mois)}, décidé après le rendez-vous de carrière pour 30 % des agents)"
        )
    return prochain, phrase + "."


def _projection_phrase(s: Situation, etapes: tuple[Etape, ...], bloque: int | None) -> str:
    if not etapes:
        return ""
    last = etapes[-1]
    phrase = f"À l'ancienneté, vous atteindriez le {ordinal(last.echelon)} échelon le {format_date(last.date)}"
    if last.date_au_plus_tot < last.date:
        phrase += f" (au plus tôt le {format_date(last.date_au_plus_tot)} avec les avancements accélérés)"
    if bloque is not None:
        phrase += f" ; le passage au {ordinal(bloque + 1)} échelon se fait ensuite au choix"
    elif last.echelon == s.grille.echelon_max:
        phrase += f", dernier échelon de la {s.grille.classe_label}"
    return phrase + "."


def campagne_for(day: datetime.date, condition: Condition) -> int:
    """First year whose appreciation day (31 August) falls on or after `day`."""
    last = calendar.monthrange(day.year, condition.appreciation_mois)[1]
    appreciation = datetime.date(day.year, condition.appreciation_mois, min(condition.appreciation_jour, last))
    return day.year if day <= appreciation else day.year + 1


def _condition_text(c: Condition) -> str:
    where = f"le {ordinal(c.echelon_min)} échelon de la {CLASSE_LABELS.get(c.depuis, c.depuis)}"
    text = f"avoir atteint {where}"
    if c.anciennete_mois:
        text = f"compter {format_mois(c.anciennete_mois)} d'ancienneté dans {where}"
    if c.fonctions_particulieres_mois:
        text += (
            f" et justifier de {format_mois(c.fonctions_particulieres_mois)} de fonctions particulières "
            "(éducation prioritaire, etc.)"
        )
    return text


def _titre(c: Condition) -> str:
    label = CLASSE_LABELS.get(c.vers, c.vers)
    titre = label[:1].upper() + label[1:]
    return f"{titre} — {c.libelle}" if c.libelle else titre


def _echelon_date(
    s: Situation, c: Condition, etapes: tuple[Etape, ...]
) -> tuple[datetime.date | None, datetime.date | None, str | None]:
    """When the échelon part is met (normal, earliest), or why it cannot be said."""
    if s.echelon == c.echelon_min and s.date_effet is not None:
        return add_months(s.date_effet, c.anciennete_mois), add_months(s.date_effet, c.anciennete_mois), None
    if s.date_effet is None:
        return (
            None,
            None,
            (
                f"La date d'effet de votre {ordinal(s.echelon)} échelon manque dans votre dossier\u00a0: "
                "la date de promouvabilité ne peut pas être calculée."
            ),
        )
    etape = next((e for e in etapes if e.echelon == c.echelon_min), None)
    if etape is None:
        return (
            None,
            None,
            (
                f"Le {ordinal(c.echelon_min)} échelon ne s'atteint pas à l'ancienneté depuis votre échelon actuel\u00a0: "
                "la date ne peut pas être projetée."
            ),
        )
    return add_months(etape.date, c.anciennete_mois), add_months(etape.date_au_plus_tot, c.anciennete_mois), None


def _evaluate(s: Situation, c: Condition, etapes: tuple[Etape, ...]) -> Eligibilite:
    vers = CLASSE_LABELS.get(c.vers, c.vers)
    libelle = f" ({c.libelle})" if c.libelle else ""
    parts = [
        f"Pour être promouvable à la {vers}{libelle}, il faut {_condition_text(c)} au "
        f"{c.appreciation_jour} {MOIS[c.appreciation_mois - 1]} de l'année de la campagne."
    ]
    date: datetime.date | None = None
    campagne: int | None = None
    if s.echelon > c.echelon_min:
        echelon_ok: bool | None = True
        parts.append(f"Vous êtes au {ordinal(s.echelon)} échelon\u00a0: la condition d'échelon est remplie.")
    else:
        date, au_plus_tot, missing = _echelon_date(s, c, etapes)
        if date is None or au_plus_tot is None:
            parts.append(missing or "")
            echelon_ok = None
        elif date <= s.aujourd_hui:
            echelon_ok = True
            parts.append(f"Vous remplissez la condition d'échelon depuis le {format_date(date)}.")
        else:
            echelon_ok = False
            campagne = campagne_for(date, c)
            text = f"Vous remplirez la condition d'échelon le {format_date(date)} à l'ancienneté"
            if au_plus_tot < date:
                text += f" (au plus tôt le {format_date(au_plus_tot)} avec les avancements accélérés)"
            parts.append(f"{text}, soit à partir de la campagne {campagne}.")
    fp_ok: bool | None = True
    if c.fonctions_particulieres_mois:
        if s.fonctions_particulieres_mois is None:
            fp_ok = None
            parts.append("Vos années de fonctions particulières ne sont pas connues de votre dossier.")
        else:
            fp_ok = s.fonctions_particulieres_mois >= c.fonctions_particulieres_mois
            exiges = format_mois(c.fonctions_particulieres_mois)
            if s.fonctions_particulieres_mois:
                done = format_mois(s.fonctions_particulieres_mois)
                parts.append(
                    f"D'après vos affectations, vous comptez {done} en éducation prioritaire, pour {exiges} exigés."
                )
            else:
                parts.append(
                    f"D'après vos affectations, vous n'avez pas exercé en éducation prioritaire ({exiges} exigés)."
                )
    if fp_ok is False:
        statut = Statut.NON_REMPLIE
    elif echelon_ok is None or fp_ok is None:
        statut = Statut.INCONNUE
    elif echelon_ok:
        statut = Statut.REMPLIE
        parts.append("Vous êtes promouvable\u00a0: la promotion se fait au choix, elle n'est pas automatique.")
    else:
        statut = Statut.A_VENIR
    return Eligibilite(_titre(c), statut, " ".join(parts), date, campagne)


def _eligibilites(s: Situation, etapes: tuple[Etape, ...]) -> tuple[Eligibilite, ...]:
    results = [_evaluate(s, c, etapes) for c in s.conditions if c.depuis == s.grille.classe]
    rank = CLASSE_ORDER.index(s.grille.classe) if s.grille.classe in CLASSE_ORDER else -1
    later: dict[str, Condition] = {}
    for c in s.conditions:
        if c.depuis in CLASSE_ORDER and CLASSE_ORDER.index(c.depuis) > rank:
            later.setdefault(c.vers, c)
    for c in later.values():
        vers = CLASSE_LABELS.get(c.vers, c.vers)
        depuis = CLASSE_LABELS.get(c.depuis, c.depuis)
        results.append(
            Eligibilite(
                vers[:1].upper() + vers[1:],
                Statut.SANS_OBJET,
                f"La {vers} est réservée aux agents de la {depuis} (à partir du {ordinal(c.echelon_min)} échelon "
                f"de la {depuis})\u00a0: elle vous sera ouverte après une promotion à la {depuis}.",
            )
        )
    if s.grille.classe == "exceptionnelle":
        results.append(
            Eligibilite(
                "Promotion de grade",
                Statut.SANS_OBJET,
                "Vous êtes à la classe exceptionnelle, le grade le plus élevé de votre corps.",
            )
        )
    elif not results:
        results.append(
            Eligibilite(
                "Promotion de grade", Statut.SANS_OBJET, "Aucune condition de promotion n'est définie pour votre grade."
            )
        )
    return tuple(results)


def compute_perspectives(s: Situation) -> Perspectives:
    grille = s.grille
    if not 1 <= s.echelon <= grille.echelon_max:
        message = (
            f"Votre dossier indique le {ordinal(s.echelon)} échelon, alors que la {grille.classe_label} en compte "
            f"{grille.echelon_max}\u00a0: signalez l'erreur à votre correspondant de gestion."
        )
        return Perspectives(message, None, None, message, (), "", (), ("un échelon cohérent avec votre grade",))
    manques = () if s.date_effet is not None else (f"la date d'effet de votre {ordinal(s.echelon)} échelon",)
    anciennete = ecart(s.date_effet, s.aujourd_hui) if s.date_effet else None
    etapes, bloque = project(s)
    prochain, prochain_phrase = _prochain(s, etapes, bloque)
    return Perspectives(
        situation=_situation_phrase(s, anciennete),
        anciennete_echelon=anciennete,
        prochain=prochain,
        prochain_phrase=prochain_phrase,
        projection=etapes,
        projection_phrase=_projection_phrase(s, etapes, bloque),
        eligibilites=_eligibilites(s, etapes),
        manques=manques,
    )
