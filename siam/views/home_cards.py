"""The cards of the SIAM home, one per visible campagne, each as one ready string (issue 14: half the page's CPU
was the template's ~15 lookups per card, two {% include %} with their {% url %}, {% csrf_token %} and
{% translate %}).

The words and addresses every card repeats are the same for everybody: translated and reversed once per process,
language and URLconf (card_words, campagne_links). Escaping: as the template did, a {% translate %} word is printed
as it is (the msgids hold no markup), every value ({{ }}) is escaped — once per process for the labels of phases,
états and participations and for the addresses, per card for the campagne's libellé and slug, the dates, the
number of voeux, the départ's reasons, consequences and empêchement.

The obligatory block and the « Commencer ma demande » form are what siam/includes/_obligatoire.html and
_commencer.html print, to the byte (tests/siam/test_home_cards.py renders the includes and compares); the rest
of a card is the template's markup without its indentation.
"""

from __future__ import annotations

import datetime
import functools
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language, gettext

from lib.text import accord
from siam.calendar import phase_end
from siam.models import Campagne, Demande, EtatDemande, Participation, Phase
from siam.portal import Depart
from siam.text import moment

_ID = 987654321  # a demande id no URL pattern could mistake for anything else

# The phase's badge on the card: open, published, or anything else.
BADGES = {Phase.SAISIE: "fr-badge--success", Phase.RESULTATS: "fr-badge--info"}

CARD = (
    '<div class="fr-col-12 fr-col-md-6"><div class="fr-card fr-card--no-arrow" data-testid="campagne-{slug}">'
    '<div class="fr-card__body"><div class="fr-card__content"><h3 class="fr-card__title">{libelle}</h3>'
    '<p class="fr-card__desc"><span class="fr-badge fr-badge--sm {badge}" data-testid="phase">{phase}</span>{fin}</p>'
    '{obligatoire}<p class="fr-card__desc" data-testid="etat-demande">{etat}</p></div>'
    '<div class="fr-card__footer"><ul class="fr-btns-group fr-btns-group--inline-sm fr-btns-group--sm">{buttons}</ul>'
    "</div></div></div></div>"
)
FIN = " <br>{jusqu} <strong>{date}</strong>"
ETAT = "{votre_demande} <strong>{etat}</strong> — {nb_voeux} — {participation} {label}"
EMPECHEMENT = ' <br><span data-testid="empechement">{}</span>'
BUTTON = '<li><a class="fr-btn" href="{url}">{label}</a></li>'
SECONDARY = '<li><a class="fr-btn fr-btn--secondary" href="{url}"{testid}>{label}</a></li>'
# siam/includes/_obligatoire.html as it renders; {commencez} and {consequences} may be empty
OBLIGATOIRE = (
    '\n  <div class="fr-alert fr-alert--warning fr-alert--sm fr-mb-2w" data-testid="obligatoire">\n'
    "    <p><strong>{obligatoire}</strong>{raisons}.</p>\n"
    "    {commencez}\n"
    "    {consequences}\n"
    "  </div>\n\n"
)
RAISONS = "\u00a0; "  # between two reasons
# siam/includes/_commencer.html as it renders
COMMENCER = (
    '<form method="post" action="{url}" data-testid="commencer">\n'
    '  <input type="hidden" name="csrfmiddlewaretoken" value="{token}">\n'
    '  <button type="submit" class="fr-btn">{label}</button>\n'
    "</form>\n"
)


@dataclass(frozen=True, slots=True)
class CampagneLinks:
    """A campagne's pages, escaped."""

    postes: str
    resultat: str
    barres: str
    spea: str
    commencer: str


def campagne_links(slug: str) -> CampagneLinks:
    """What reverse() answers for a campagne's slug, the same for everybody (kept per process)."""
    return _links(slug, get_script_prefix(), get_urlconf() or settings.ROOT_URLCONF)


@functools.lru_cache(maxsize=64)
def _links(slug: str, prefix: str, urlconf: Any) -> CampagneLinks:
    """Keyed on all that reverse() reads (a test's own URLconf, a deployment under a prefix)."""
    e = conditional_escape
    return CampagneLinks(
        postes=e(reverse("siam:postes", args=[slug], urlconf=urlconf)),
        resultat=e(reverse("siam:resultat", args=[slug], urlconf=urlconf)),
        barres=e(reverse("siam:barres", args=[slug], urlconf=urlconf)),
        spea=e(reverse("siam:spea", urlconf=urlconf)),
        commencer=e(reverse("siam:demande-start", args=[slug], urlconf=urlconf)),
    )


def card_words() -> dict[str, Any]:
    """The cards' words in the active language, the demande's address under this request's prefix and URLconf."""
    return _card_words(get_language(), get_script_prefix(), get_urlconf() or settings.ROOT_URLCONF)


@functools.lru_cache(maxsize=16)
def _card_words(language: str | None, prefix: str, urlconf: Any) -> dict[str, Any]:
    """Without a French catalogue, each gettext of a French msgid walks Django's ten catalogues and their fallback
    (65 Python calls); a label of the choices is a lazy string translated at each use."""
    e = conditional_escape
    before, after = reverse("siam:demande", args=[_ID], urlconf=urlconf).split(str(_ID))
    return {
        # as the template's {% translate %}: the msgid's own characters (« jusqu'au », not « jusqu&#x27;au »)
        "jusqu_saisie": gettext("Saisie des vœux ouverte jusqu'au"),
        "jusqu_au": gettext("Jusqu'au"),
        "votre_demande": gettext("Votre demande\u00a0:"),
        "participation": gettext("participation"),
        "pas_de_demande": gettext("Vous n'avez pas encore de demande pour ce mouvement."),
        "saisir": gettext("Saisir ou consulter votre demande"),
        "consulter": gettext("Consulter votre demande"),
        "resultat": gettext("Consulter votre résultat"),
        "postes_vacants": gettext("Postes vacants"),
        "spea": gettext("Postes à profil (SPEA)"),
        "barres": gettext("Barres du mouvement"),
        "obligatoire": gettext("Votre participation à ce mouvement est obligatoire"),
        "commencez": gettext(
            "Commencez votre demande avant le %(date)s\u00a0: c'est elle qui vous inscrit au mouvement."
        ),
        "commencer": gettext("Commencer ma demande"),
        "voeu": gettext("%(n)s vœu"),
        "voeux": gettext("%(n)s vœux"),
        "phases": {phase: e(phase.label) for phase in Phase},
        "etats": {etat: e(etat.label) for etat in EtatDemande},
        "participations": {participation: e(participation.label) for participation in Participation},
        "demande_url": (e(before), e(after)),
    }


def obligatoire_html(depart: Depart, demande: Demande | None, campagne: Campagne, words: dict[str, Any]) -> str:
    """What {% include "siam/includes/_obligatoire.html" %} prints for an obligatory participant."""
    e = conditional_escape
    raisons = f" ({RAISONS.join(e(r) for r in depart.raisons)})" if depart.raisons else ""
    commencez = "" if demande else f"<p>{words['commencez'] % {'date': e(moment(campagne.saisie_fin))}}</p>"
    consequences = "".join(f"<p>{e(c)}</p>" for c in depart.consequences)
    return OBLIGATOIRE.format(
        obligatoire=words["obligatoire"], raisons=raisons, commencez=commencez, consequences=consequences
    )


def commencer_html(campagne: Campagne, token: str, words: dict[str, Any]) -> str:
    """What {% include "siam/includes/_commencer.html" %} prints, with the page's CSRF token."""
    url = campagne_links(campagne.slug).commencer
    return COMMENCER.format(url=url, token=conditional_escape(token), label=words["commencer"])


def campagne_card(
    campagne: Campagne, demande: Demande | None, depart: Depart, *, now: datetime.datetime, token: str
) -> str:
    """One card: the campagne's phase and its end, the obligatory participation, the demande, the buttons."""
    e, words, links = conditional_escape, card_words(), campagne_links(campagne.slug)
    phase = campagne.phase_at(now)
    saisie, resultats = phase == Phase.SAISIE, phase == Phase.RESULTATS
    fin = phase_end(campagne.calendrier, phase)
    jusqu = words["jusqu_saisie"] if saisie else words["jusqu_au"]
    buttons = []
    if demande is not None:
        before, after = words["demande_url"]
        label = words["saisir"] if saisie else words["consulter"]
        buttons.append(BUTTON.format(url=f"{before}{demande.pk}{after}", label=label))
        nb_voeux = accord(demande.nb_voeux, words["voeu"], words["voeux"])  # type: ignore[attr-defined]
        etat = ETAT.format(
            votre_demande=words["votre_demande"],
            etat=words["etats"][demande.etat],
            nb_voeux=e(nb_voeux),
            participation=words["participation"],
            label=words["participations"][demande.participation],
        )
    else:
        if saisie and depart.peut_commencer:
            buttons.append(f"<li>{commencer_html(campagne, token, words)}</li>")
        empeche = saisie and not depart.peut_commencer
        etat = words["pas_de_demande"] + (EMPECHEMENT.format(e(depart.empechement)) if empeche else "")
    if resultats and demande is not None:
        buttons.append(BUTTON.format(url=links.resultat, label=words["resultat"]))
    buttons.append(SECONDARY.format(url=links.postes, testid="", label=words["postes_vacants"]))
    if saisie and campagne.is_intra:
        buttons.append(SECONDARY.format(url=links.spea, testid=' data-testid="lien-spea"', label=words["spea"]))
    if resultats:
        buttons.append(SECONDARY.format(url=links.barres, testid=' data-testid="lien-barres"', label=words["barres"]))
    return CARD.format(
        slug=e(campagne.slug),
        libelle=e(campagne.libelle),
        badge=BADGES.get(phase, "fr-badge--new"),
        phase=words["phases"][phase],
        fin=FIN.format(jusqu=jusqu, date=e(moment(fin))) if fin else "",
        obligatoire=obligatoire_html(depart, demande, campagne, words) if depart.obligatoire else "",
        etat=etat,
        buttons="".join(buttons),
    )


def campagne_cards(cards: Sequence[str]) -> SafeString:
    """The cards joined, safe: every part was escaped where it was made (see the module's docstring)."""
    return mark_safe("".join(cards))  # noqa: S308
