"""SIAM home and the postes of a campagne."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_POST

from dossier.models import Dossier
from dossier.selectors import banner_of
from siam.errors import SiamError
from siam.forms import PosteFilterForm
from siam.portal import depart_for, dossier_and_campagnes, dossier_for_depart
from siam.search import filter_postes
from siam.selectors import agent_of, get_campagne
from siam.services.demandes import find_demande, start_demande
from siam.views.home_cards import campagne_card, campagne_cards

# Pages managed as guides (iprof.guides), by slug.
GUIDES = (
    ("note-de-service", _("Consulter la note de service parue au B.O.E.N.")),
    ("informations-generales", _("Consulter les pages d'informations générales")),
    ("guide-regles-mouvement", _("Consulter le guide interactif expliquant les règles du mouvement")),
    ("information-academique", _("Consulter l'information académique")),
)
POSTES_PAR_PAGE = 25


@require_GET
@login_required
def home(request: HttpRequest) -> HttpResponse:
    now, agent = timezone.now(), agent_of(request)
    dossier, campagnes = dossier_and_campagnes(agent, now)
    token = get_token(request)  # the cards' forms and the header's: one token, as {% csrf_token %} would give
    cards = [
        campagne_card(campagne, demande, depart_for(dossier, campagne, demande=demande), now=now, token=token)
        for campagne, demande in campagnes
    ]
    guides = [(f"/guides/{slug}/", label) for slug, label in GUIDES]
    context = {
        "cards": campagne_cards(cards),
        "csrf_token": token,
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
