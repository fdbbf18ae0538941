"""Votre dossier, ready to print: the page every teacher opens first after the home page.

The dossier comes in one row (dossier.selectors.dossier_record); here each value becomes the text the page
shows, so that the templates only print it. The labels and sentences are translated once per process and
language (they are the code's, the same for everybody: nothing of a teacher is kept), the choices' labels
come from dictionaries (escaped once) instead of get_FOO_display, and the rows of each history are written by
one format_html call. The output is the same as rendering the model with {% translate %} and filters.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass

from django.urls import reverse
from django.utils.html import conditional_escape, escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _

from accounts.models import Agent, Civilite
from dossier.models import Affectation, EchelonHistorique, Formation, Position, SituationFamiliale
from dossier.models.referentiel import EducationPrioritaire, TypeEtablissement
from dossier.perspectives import ecart, format_date, ordinal
from dossier.selectors import Banner, DossierRecord


def _texts() -> dict[str, str]:
    """The page's own words; marked safe, as {% translate %} treats a template's literal."""
    words = {
        "titre": _("Votre dossier"),
        "intro": _(
            "Ces informations sont tenues par le rectorat\u00a0; vous ne pouvez pas les modifier. Si l'une d'elles est "
            "inexacte, utilisez « Signaler une erreur »\u00a0: votre correspondant de gestion la vérifiera."
        ),
        "identite": _("Identité"),
        "famille": _("Situation familiale"),
        "carriere": _("Carrière"),
        "affectation": _("Affectation"),
        "ags": _("Ancienneté générale de service"),
        "diplomes": _("Diplômes et qualifications"),
        "formations": _("Absences et formations"),
        "signaler_rubrique": _("Signaler une erreur dans cette rubrique"),
        # Identité
        "civilite": _("Civilité"),
        "nom_usage": _("Nom d'usage"),
        "nom_famille": _("Nom de famille"),
        "prenom": _("Prénom"),
        "date_naissance": _("Date de naissance"),
        "numen": _("NUMEN"),
        "adresse": _("Adresse"),
        "telephone": _("Téléphone"),
        "email": _("Adresse électronique"),
        # Situation familiale
        "situation": _("Situation"),
        "conjoint": _("Conjoint"),
        "residence_conjoint": _("Résidence professionnelle du conjoint"),
        "aucun_enfant": _("Aucun enfant n'est enregistré."),
        # Carrière
        "position": _("Position"),
        "corps": _("Corps"),
        "grade": _("Grade"),
        "echelon": _("Échelon"),
        "date_echelon": _("Date d'effet de l'échelon"),
        "reclassement": _("Échelon de reclassement"),
        "academie_stage": _("Académie de stage"),
        "historique_echelons": _("Historique des échelons et des grades"),
        "date_effet": _("Date d'effet"),
        "modalite": _("Modalité"),
        "perspectives": _("Voir vos perspectives de carrière"),
        # Affectation
        "etablissement": _("Établissement"),
        "zone_remplacement": _("Zone de remplacement"),
        "aucune_affectation": _("aucune affectation enregistrée"),
        "nature": _("Nature"),
        "discipline": _("Discipline"),
        "date_entree_poste": _("Date d'entrée dans le poste"),
        "historique_affectations": _("Historique des affectations"),
        "du": _("Du"),
        "au": _("Au"),
        "lieu": _("Lieu"),
        # Ancienneté, diplômes, formations
        "ags_absente": _("La date de début de votre ancienneté générale de service n'est pas renseignée."),
        "annee": _("Année"),
        "intitule": _("Intitulé"),
        "specialite": _("Spécialité"),
        "delivre_par": _("Délivré par"),
        "aucun_diplome": _("Aucun diplôme n'est enregistré."),
        "libelle": _("Libellé"),
        "aucune_formation": _("Aucune absence ni formation n'est enregistrée."),
        # Sentences with a value
        "n_echelon": _("%(n)s échelon"),
        "echelon_depuis": _("Date d'effet\u00a0: %(date)s — depuis %(duree)s"),
        "date_effet_absente": _("Date d'effet non renseignée"),
        "depuis_le": _("depuis le %(date)s"),
        "depuis": _("depuis %(duree)s"),
        "aucune": _("Aucune"),
        "non_renseignee": _("Non renseignée"),
        "non_renseignee_bas": _("non renseignée"),
        "academie_de": _("académie de %(nom)s"),
        "a_titre_provisoire": _("à titre provisoire"),
        "a_titre_definitif": _("à titre définitif"),
        "en_cours": _("en cours"),
        "ags_au": _("<strong>%(duree)s</strong> au %(date)s, comptés depuis le %(debut)s."),
    }
    return {key: mark_safe(text) for key, text in words.items()}  # noqa: S308 (the code's strings, no data)


@dataclass(frozen=True)
class Texts:
    """The page's words in one language: labels, the labels of the choices it prints (escaped), its links."""

    labels: dict[str, str]
    signaler_url: str
    perspectives_url: str
    civilites: dict[str, str]
    situations: dict[str, str]
    positions: dict[str, str]
    modalites: dict[str, str]
    types: dict[str, str]
    education_prioritaire: dict[str, str]
    natures_affectation: dict[str, str]
    natures_formation: dict[str, str]


# The same for every teacher, resolved once per process and language; emptied when a setting changes (tests).
_TEXTS: dict[str | None, Texts] = {}


def forget_texts(**kwargs: object) -> None:
    _TEXTS.clear()


def texts() -> Texts:
    """The words of the page in the active language, translated once per process (the code's own strings)."""
    language = get_language()
    found = _TEXTS.get(language)
    if found is None:

        def labels(choices: Iterable[tuple[str, object]]) -> dict[str, str]:
            return {value: escape(str(label)) for value, label in choices}  # escaped once, printed as they are

        found = _TEXTS[language] = Texts(
            labels=_texts(),
            signaler_url=reverse("dossier:signaler"),
            perspectives_url=reverse("dossier:perspectives"),
            civilites=labels(Civilite.choices),
            situations=labels(SituationFamiliale.choices),
            positions=labels(Position.choices),
            modalites=labels(EchelonHistorique.Modalite.choices),
            types=labels(TypeEtablissement.choices),
            education_prioritaire=labels(EducationPrioritaire.choices),
            natures_affectation=labels(Affectation.Nature.choices),
            natures_formation=labels(Formation.Nature.choices),
        )
    return found


def _date(day: datetime.date | None) -> str:
    return "" if day is None else format_date(day)


def _or_dash(text: str) -> str:
    return text or "—"


def _fill(sentence: str, **values: str) -> SafeString:
    """A translated sentence with its values escaped, as {% blocktranslate with … %} writes it."""
    return mark_safe(sentence % {key: conditional_escape(value) for key, value in values.items()})  # noqa: S308


@dataclass(frozen=True)
class DossierPage:
    """Every text of the page, in page order; an empty text is a line the page does not show."""

    banner: Banner
    signaler_url: str
    perspectives_url: str
    # Résumé
    echelon_titre: str
    grade: str
    echelon_depuis: str
    affectation_resume: str
    discipline_depuis: str
    ags_resume: str
    # Identité
    civilite: str
    nom: str
    nom_famille: str
    prenom: str
    date_naissance: str
    numen: str
    adresse: str
    telephone: str
    email: str
    # Situation familiale
    situation: str
    conjoint: str  # empty: no conjoint recorded
    residence_conjoint: str
    enfants_caption: str
    enfants: SafeString  # the table's rows; empty: none
    # Carrière
    position: str
    corps: str
    echelon: str
    date_echelon: str
    reclassement: str
    academie_stage: str
    echelons: SafeString
    # Affectation
    etablissement: str  # « nom — commune »; empty: not in an établissement
    etablissement_detail: str
    education_prioritaire: str
    zone_remplacement: str  # « nom (code) — département »; empty: not on a zone
    nature: str
    discipline: str
    discipline_code: str
    date_entree_poste: str
    affectations: SafeString
    # Ancienneté générale de service, diplômes, formations
    ags: str  # empty: no start date
    ags_au: str
    diplomes: SafeString
    formations: SafeString


def _lieu(row: tuple[str | None, str | None, str | None, str], zone: str) -> str:
    etablissement, commune, zone_remplacement, libelle = row
    if etablissement is not None:
        return f"{etablissement}, {commune}"
    if zone_remplacement is not None:
        return f"{zone} {zone_remplacement}"
    return libelle


def _table(row: str, lines: Iterable[tuple[object, ...]]) -> SafeString:
    """format_html_join("", row, lines) in one format_html call: each cell escaped, no call per row."""
    rows = list(lines)
    return format_html(row * len(rows), *(cell for line in rows for cell in line)) if rows else SafeString("")


def _histories(record: DossierRecord, words: Texts) -> tuple[SafeString, ...]:
    t = words.labels
    enfants = _table(
        "<tr><td>{}</td><td>{}</td></tr>", ((e.prenom, format_date(e.date_naissance)) for e in record.enfants)
    )
    echelons = _table(
        '<tr><td class="iprof-nowrap">{}</td><td>{}</td><td>{}</td><td>{}</td></tr>',
        (
            (format_date(h.date_effet), h.grade, ordinal(h.echelon), words.modalites.get(h.modalite, h.modalite))
            for h in record.echelons
        ),
    )
    affectations = _table(
        '<tr><td class="iprof-nowrap">{}</td><td class="iprof-nowrap">{}</td><td>{}</td><td>{}</td></tr>',
        (
            (
                format_date(a.date_debut),
                t["en_cours"] if a.date_fin is None else format_date(a.date_fin),
                _lieu(a[2:6], t["zone_remplacement"]),
                words.natures_affectation.get(a.nature, a.nature),
            )
            for a in record.affectations
        ),
    )
    diplomes = _table(
        "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
        ((d.annee, d.intitule, _or_dash(d.specialite), _or_dash(d.etablissement)) for d in record.diplomes),
    )
    formations = _table(
        '<tr><td>{}</td><td>{}</td><td class="iprof-nowrap">{}</td><td class="iprof-nowrap">{}</td></tr>',
        (
            (
                words.natures_formation.get(f.nature, f.nature),
                f.libelle,
                format_date(f.date_debut),
                _or_dash(_date(f.date_fin)),
            )
            for f in record.formations
        ),
    )
    return enfants, echelons, affectations, diplomes, formations


def dossier_page(agent: Agent, record: DossierRecord, today: datetime.date) -> DossierPage:
    """The page of ``record``, the dossier of ``agent``, on ``today`` (seniorities are counted to it)."""
    words = texts()
    t = words.labels
    r = record
    depuis_echelon = ecart(r.date_echelon, today) if r.date_echelon else None
    depuis_poste = ecart(r.date_entree_poste, today) if r.date_entree_poste else None
    ags = ecart(r.debut_ags, today).texte if r.debut_ags else ""
    if r.etablissement is not None:
        resume: str = f"{r.etablissement}, {r.etablissement_commune}"
    elif r.zone_remplacement is not None:
        resume = format_html("{} {}", t["zone_remplacement"], r.zone_remplacement)
    else:
        resume = t["aucune"]
    entree = _date(r.date_entree_poste)
    conjoint = r.conjoint_nom or r.conjoint_academie is not None or r.conjoint_commune is not None
    academie = _fill(t["academie_de"], nom=r.conjoint_academie) if r.conjoint_academie is not None else "—"
    residence = format_html("{}, {}", r.conjoint_commune, academie) if r.conjoint_commune is not None else academie
    n_enfants = len(r.enfants)
    enfants, echelons, affectations, diplomes, formations = _histories(r, words)
    return DossierPage(
        banner=Banner(nom=agent.nom.upper(), prenom=agent.prenom, grade=r.grade, discipline=r.discipline),
        signaler_url=words.signaler_url,
        perspectives_url=words.perspectives_url,
        echelon_titre=_fill(t["n_echelon"], n=ordinal(r.echelon)),
        grade=r.grade,
        echelon_depuis=(
            _fill(t["echelon_depuis"], date=_date(r.date_echelon), duree=depuis_echelon.texte_court)
            if depuis_echelon
            else ""
        ),
        affectation_resume=resume,
        discipline_depuis=(
            format_html("{} — {}", r.discipline, _fill(t["depuis_le"], date=entree)) if entree else r.discipline
        ),
        ags_resume=ags or t["non_renseignee"],
        civilite=_or_dash(words.civilites.get(agent.civilite, agent.civilite)),
        nom=agent.nom.upper(),
        nom_famille=(agent.nom_famille or agent.nom).upper(),
        prenom=agent.prenom,
        date_naissance=_or_dash(_date(agent.date_naissance)),
        numen=_or_dash(agent.numen),
        adresse=f"{r.adresse}, {r.code_postal} {r.ville}" if r.adresse else "—",
        telephone=_or_dash(r.telephone),
        email=_or_dash(agent.email),
        situation=words.situations.get(r.situation_familiale, r.situation_familiale),
        conjoint=(
            _or_dash(r.conjoint_nom) + (f" ({r.conjoint_profession})" if r.conjoint_profession else "")
            if conjoint
            else ""
        ),
        residence_conjoint=residence,
        enfants_caption=_fill(ngettext("Enfant (%(n)s)", "Enfants (%(n)s)", n_enfants), n=str(n_enfants)),
        enfants=enfants,
        position=words.positions.get(r.position, r.position),
        corps=r.corps,
        echelon=ordinal(r.echelon),
        date_echelon=(
            format_html("{} ({})", _date(r.date_echelon), _fill(t["depuis"], duree=depuis_echelon.texte))
            if depuis_echelon
            else t["non_renseignee_bas"]
        ),
        reclassement=ordinal(r.reclassement_echelon) if r.reclassement_echelon else "",
        academie_stage=r.academie_stage or "",
        echelons=echelons,
        etablissement=f"{r.etablissement} — {r.etablissement_commune}" if r.etablissement is not None else "",
        etablissement_detail=(
            format_html(
                "{}, UAI {}", words.types.get(r.etablissement_type or "", r.etablissement_type), r.etablissement_uai
            )
            if r.etablissement is not None
            else ""
        ),
        education_prioritaire=(
            words.education_prioritaire.get(r.education_prioritaire, r.education_prioritaire)
            if r.education_prioritaire
            else ""
        ),
        zone_remplacement=(
            f"{r.zone_remplacement} ({r.zone_remplacement_code}) — {r.zone_remplacement_departement}"
            if r.zone_remplacement is not None
            else ""
        ),
        nature=t["a_titre_provisoire"] if r.affectation_provisoire else t["a_titre_definitif"],
        discipline=r.discipline,
        discipline_code=r.discipline_code,
        date_entree_poste=(
            format_html("{} ({})", entree, _fill(t["depuis"], duree=depuis_poste.texte_court))
            if depuis_poste
            else t["non_renseignee_bas"]
        ),
        affectations=affectations,
        ags=ags,
        ags_au=_fill(t["ags_au"], duree=ags, date=format_date(today), debut=_date(r.debut_ags)) if ags else "",
        diplomes=diplomes,
        formations=formations,
    )
