"""SIAM home and the postes of a campagne."""

from __future__ import annotations

import datetime
import functools
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import get_language, gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_POST

from dossier.models import Dossier
from dossier.selectors import banner_of
from lib.text import accord
from siam.calendar import phase_end
from siam.errors import SiamError
from siam.forms import PosteFilterForm
from siam.models import Campagne, Demande, EtatDemande, Participation, Phase
from siam.portal import Depart, depart_for, dossier_and_campagnes, dossier_for_depart
from siam.search import filter_postes
from siam.selectors import agent_of, get_campagne
from siam.services.demandes import find_demande, start_demande

# Pages managed as guides (iprof.guides), by slug.
GUIDES = (
    ("note-de-service", _("Consulter la note de service parue au B.O.E.N.")),
    ("informations-generales", _("Consulter les pages d'informations générales")),
    ("guide-regles-mouvement", _("Consulter le guide interactif expliquant les règles du mouvement")),
    ("information-academique", _("Consulter l'information académique")),
)
POSTES_PAR_PAGE = 25


# The phase's badge on the card: open, published, or anything else.
BADGES = {Phase.SAISIE: "fr-badge--success", Phase.RESULTATS: "fr-badge--info"}


@dataclass(frozen=True)
class CampagneLinks:
    postes: str
    resultat: str
    barres: str
    spea: str


def campagne_links(slug: str) -> CampagneLinks:
    """A campagne's pages: what reverse() answers for its slug, the same for everybody (kept per process)."""
    return _links(slug, get_script_prefix(), get_urlconf() or settings.ROOT_URLCONF)


@functools.lru_cache(maxsize=64)
def _links(slug: str, prefix: str, urlconf: Any) -> CampagneLinks:
    """Keyed on all that reverse() reads (a test's own URLconf, a deployment under a prefix)."""
    return CampagneLinks(
        postes=reverse("siam:postes", args=[slug], urlconf=urlconf),
        resultat=reverse("siam:resultat", args=[slug], urlconf=urlconf),
        barres=reverse("siam:barres", args=[slug], urlconf=urlconf),
        spea=reverse("siam:spea", urlconf=urlconf),
    )


@functools.lru_cache(maxsize=8)
def card_words(language: str | None) -> dict[str, Any]:
    """The words every card repeats, translated once per process and language: without a French catalogue, each
    gettext of a French msgid walks Django's ten catalogues and their fallback (65 Python calls), 14 per card."""
    said = {
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
    }
    return {
        # safe as a template's own {% translate %} words are (« jusqu'au », not « jusqu&#x27;au »)
        **{key: mark_safe(text) for key, text in said.items()},  # noqa: S308
        "voeu": gettext("%(n)s vœu"),
        "voeux": gettext("%(n)s vœux"),
        "phases": {phase: str(phase.label) for phase in Phase},
        "etats": {etat: str(etat.label) for etat in EtatDemande},
        "participations": {participation: str(participation.label) for participation in Participation},
    }


@dataclass(frozen=True)
class CampagneRow:
    """A card of the SIAM home, ready to print: no logic left to the template but if/for."""

    campagne: Campagne
    phase: Phase
    phase_fin: datetime.datetime | None
    demande: Demande | None
    depart: Depart
    words: dict[str, Any]
    links: CampagneLinks = field(init=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "links", campagne_links(self.campagne.slug))

    @property
    def phase_label(self) -> str:
        return str(self.words["phases"][self.phase])

    @property
    def etat(self) -> str:
        return str(self.words["etats"][self.demande.etat]) if self.demande else ""

    @property
    def participation(self) -> str:
        return str(self.words["participations"][self.demande.participation]) if self.demande else ""

    @property
    def nb_voeux(self) -> str:
        """« 0 vœu », « 1 vœu », « 2 vœux » (ngettext without a French catalogue would say « 0 vœux »)."""
        n = self.demande.nb_voeux if self.demande else 0  # type: ignore[attr-defined]
        return accord(n, self.words["voeu"], self.words["voeux"])

    @property
    def saisie_ouverte(self) -> bool:
        return self.phase == Phase.SAISIE

    @property
    def resultats(self) -> bool:
        return self.phase == Phase.RESULTATS

    @property
    def badge(self) -> str:
        return BADGES.get(self.phase, "fr-badge--new")

    @property
    def demande_url(self) -> str:
        return reverse("siam:demande", args=[self.demande.pk]) if self.demande else ""


@require_GET
@login_required
def home(request: HttpRequest) -> HttpResponse:
    now, agent = timezone.now(), agent_of(request)
    dossier, campagnes = dossier_and_campagnes(agent, now)
    rows, words = [], card_words(get_language())
    for campagne, demande in campagnes:
        phase = campagne.phase_at(now)
        depart = depart_for(dossier, campagne, demande=demande)
        rows.append(CampagneRow(campagne, phase, phase_end(campagne.calendrier, phase), demande, depart, words))
    guides = [(f"/guides/{slug}/", label) for slug, label in GUIDES]
    context = {
        "rows": rows,
        "words": words,
        "guides": guides,
        "section": "services",
        "iprof_banner": banner_of(agent, dossier),
    }
    return render(request, "siam/home.html", context)


@require_GET
@login_required
def postes(request: HttpRequest, slug: str) -> HttpResponse:
    campagne = get_campagne(slug)
    data = request.GET.copy()
    if "discipline" not in data:
        discipline_id = Dossier.objects.filter(agent=agent_of(request)).values_list("discipline_id", flat=True).first()
        data["discipline"] = str(discipline_id or "")
    form = PosteFilterForm(data, campagne=campagne)
    form.is_valid()
    page = Paginator(filter_postes(campagne, form.cleaned_data), POSTES_PAR_PAGE).get_page(request.GET.get("page"))
    context = {"campagne": campagne, "form": form, "page_obj": page, "section": "services"}
    return render(request, "siam/postes.html", context)


@require_GET
@login_required
def demande_open(request: HttpRequest, slug: str) -> HttpResponse:
    """The teacher's own demande; without one, a page that explains and offers « Commencer ma demande »."""
    campagne = get_campagne(slug)
    demande = find_demande(agent=agent_of(request), campagne=campagne)
    if demande is not None:
        return redirect("siam:demande", pk=demande.pk)
    depart = depart_for(dossier_for_depart(agent_of(request)), campagne)
    context = {"campagne": campagne, "depart": depart, "section": "services"}
    return render(request, "siam/demande_absente.html", context)


@require_POST
@login_required
def demande_start(request: HttpRequest, slug: str) -> HttpResponse:
    campagne = get_campagne(slug)
    try:
        demande = start_demande(agent=agent_of(request), campagne=campagne)
    except SiamError as exc:
        messages.error(request, exc.message)
        return redirect("siam:demande-open", slug=campagne.slug)
    messages.success(request, _("Votre demande est ouverte\u00a0: vous pouvez saisir vos vœux."))
    return redirect("siam:demande", pk=demande.pk)
