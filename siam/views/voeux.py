"""Entering voeux: add by code, by search or from the postes list, remove, move; each change can be undone.

Works without JavaScript. After every change the page says what it did to the barème (a bonus lost
because voeu 1 changed…) and offers « Annuler », a POST to the same versioned services: the undo
is itself a change, checked against the version like any other.
"""

from __future__ import annotations

import functools
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, QueryDict
from django.middleware.csrf import get_token
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language, gettext
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from dossier.selectors import banner_of
from lib import session_cookies
from lib.text import is_singular
from siam.errors import SiamError
from siam.forms import (
    MoveForm,
    MoveToForm,
    PosteVoeuForm,
    VersionForm,
    VoeuCodeForm,
    VoeuSearchForm,
    filtre_allowed,
    on_version,
    plain_voeu_code,
)
from siam.models import Demande, Phase, Poste, TypeFiltre
from siam.search import LIMIT, search_cibles
from siam.selectors import agent_of, get_demande_for_user, get_voeu_for_user, voeux_of
from siam.services.bareme.display import bareme_of_list
from siam.services.voeux import (
    Report,
    add_voeu_reported,
    move_voeu_reported,
    move_voeu_to,
    remove_voeu_reported,
    voeu_of_poste,
)
from siam.text import moment
from siam.views.demande_parts import demande_parts
from siam.views.voeux_rows import page_hidden, rows_html, voeu_rows

# The last change of the list, to offer « Annuler » until the list changes again: in a cookie of the session
# (lib.session_cookies: signed with its key, deleted at logout), so that a change writes no session row; in the
# session itself when too long for a cookie.
LAST_CHANGE = session_cookies.register("siam_voeux_dernier_changement", "/siam/")


def render_voeux(
    request: HttpRequest,
    demande: Demande,
    *,
    code_form: VoeuCodeForm | None = None,
    status: int = 200,
    fresh: bool = False,
) -> HttpResponse:
    """The page; ``fresh``: the demande was just loaded (a GET), no service has changed it since."""
    if not fresh:
        demande.refresh_from_db(fields=["version", "etat", "modifiee_le"])
    campagne = demande.campagne
    phase = campagne.phase_at(timezone.now())
    saisie_ouverte = phase == Phase.SAISIE
    token = get_token(request)  # masked once for the page: its forms and the header's {% csrf_token %}
    hidden = page_hidden(token, demande.version) if saisie_ouverte else None  # every change form carries it
    voeux = voeux_of(demande)
    bareme = bareme_of_list(demande, voeux)
    rows = voeu_rows(voeux, bareme.warnings, bareme.provisoires, nouveau=request.GET.get("ajout", ""), hidden=hidden)
    complet = len(rows) >= campagne.max_voeux
    context: dict[str, Any] = {
        "demande": demande,
        "campagne": campagne,
        "rows": rows,
        "liste": rows_html(rows),
        "hidden": hidden,
        "add_url": reverse("siam:voeu-add", args=[demande.pk]),
        "iprof_banner": banner_of(agent_of(request), bareme.dossier),  # the dossier the barème loaded
        "phase": phase,
        "saisie_ouverte": saisie_ouverte,
        "complet": complet,
        **(add_forms(request, demande, code_form) if saisie_ouverte and not complet else {}),
        "dernier_changement": last_change(request, demande),
        "derniere_modification": modified_on(demande),
        "section": "services",
        **demande_parts(demande, "voeux"),
        "words": page_words(get_language()),
        **list_words(get_language(), len(rows), campagne.max_voeux),
        "csrf_token": token,  # what the csrf context processor gives, without a second mask
    }
    return render(request, "siam/voeux.html", context, status=status)


@functools.lru_cache(maxsize=8)
def page_words(language: str | None) -> dict[str, str]:
    """The page's own sentences, translated once per process and language (as card_words on the SIAM home):
    without a French catalogue each gettext of a French msgid walks Django's ten catalogues."""
    said = {
        "vos_voeux": gettext("Vos vœux"),
        "aide_ordre": gettext(
            "Vos vœux sont examinés dans l'ordre où vous les classez. Chaque modification est enregistrée immédiatement."
        ),
        "aide_inter": gettext(
            "Le rang d'un vœu peut changer le barème de tous vos vœux\u00a0: le rapprochement de conjoints et l'autorité parentale conjointe ne comptent que si l'académie du conjoint ou des enfants est votre vœu 1\u00a0; la mutation simultanée, le CIMM, le vœu préférentiel et la bonification de stagiaire dépendent aussi de votre vœu 1."
        ),
        "aide_intra": gettext(
            "Le barème d'un vœu dépend surtout de son type et du type d'établissement choisi\u00a0; certaines bonifications, comme la mutation simultanée, dépendent aussi de votre vœu 1."
        ),
        "aide_annuler": gettext(
            "Si un ajout, un déplacement ou une suppression vous fait perdre une bonification, la page vous le dit aussitôt, avec le barème avant et après, et vous propose d'annuler."
        ),
    }
    # safe as a template's own {% translate %} words are (« l'ordre », not « l&#x27;ordre »)
    return {key: mark_safe(text) for key, text in said.items()}  # noqa: S308 (the code's strings, no data)


@functools.lru_cache(maxsize=256)
def list_words(language: str | None, count: int, max_voeux: int) -> dict[str, str]:
    """The list's heading and the « list full » notice, once per process, language and numbers (as page_words)."""
    # « 0 vœu », as French agrees (lib.text.is_singular; ngettext without a French catalogue would say « 0 vœux »)
    singulier = gettext("Votre liste\u00a0: %(counter)s vœu sur %(max)s possibles")
    pluriel = gettext("Votre liste\u00a0: %(counter)s vœux sur %(max)s possibles")
    heading = (singulier if is_singular(count) else pluriel) % {"counter": count, "max": max_voeux}
    full = gettext("Vous avez saisi le nombre maximal de vœux (%(max)s). Supprimez-en un pour en ajouter un autre.") % {
        "max": max_voeux
    }
    # safe as {% blocktranslate %} leaves its words (numbers only are put in)
    return {"liste_titre": mark_safe(heading), "liste_complete": mark_safe(full)}  # noqa: S308


def add_forms(request: HttpRequest, demande: Demande, code_form: VoeuCodeForm | None) -> dict[str, Any]:
    """The add-by-code and search forms, and the search's results: only while the page shows them (the saisie
    is open and the list not full)."""
    campagne = demande.campagne
    search = VoeuSearchForm(request.GET if "q" in request.GET else None, campagne=campagne, auto_id="recherche_%s")
    resultats = (
        search_cibles(campagne, search.cleaned_data["type"], search.cleaned_data["q"]) if search.is_valid() else None
    )
    return {
        "code_form": on_version(code_form, demande.version)
        if code_form
        else VoeuCodeForm(initial={"version": demande.version}, campagne=campagne),
        "search_form": search,
        "resultats": resultats,
        "resultats_limites": resultats is not None and len(resultats) >= LIMIT,
        "filtre_options": filtre_options() if resultats and filtre_allowed(campagne) else "",
    }


def filtre_options() -> SafeString:
    """The établissement types offered beside each search result, rendered once for all of them."""
    return format_html_join("", '<option value="{}">{}</option>', TypeFiltre.choices)


def modified_on(demande: Demande) -> str:
    """« Dernière modification le 1er mars 2027 à 14 h 05 », once the list has changed at least once."""
    if not demande.version:
        return ""
    when = moment(demande.modifiee_le)
    if timezone.localtime(demande.modifiee_le).day == 1:
        when = "1er" + when[1:]
    return _("Dernière modification le %(moment)s") % {"moment": when}


def remember(request: HttpRequest, response: HttpResponse, demande: Demande, report: Report) -> HttpResponse:
    """The change, for the next page to offer undoing it (last_change); ``response``, the redirect to it."""
    change = {
        "demande": demande.pk,
        "version": report.version,
        "libelle": str(report.voeu.cible),
        "pertes": list(report.pertes),
        "gains": list(report.gains),
        "undo": report.undo,
    }
    if session_cookies.store(request, response, LAST_CHANGE, change):
        if LAST_CHANGE in request.session:  # an earlier change, too long for the cookie
            del request.session[LAST_CHANGE]
    else:
        request.session[LAST_CHANGE] = change
        session_cookies.forget(request, response, LAST_CHANGE)
    return response


def last_change(request: HttpRequest, demande: Demande) -> dict[str, Any] | None:
    """The change to offer undoing: only while the list is as that change left it (read, never written, on GET)."""
    found = session_cookies.read(request, LAST_CHANGE) or request.session.get(LAST_CHANGE)
    if not isinstance(found, dict) or found.get("demande") != demande.pk or found.get("version") != demande.version:
        return None
    return found


def refused(request: HttpRequest, demande: Demande, exc: SiamError) -> HttpResponse:
    messages.error(request, exc.message)
    return render_voeux(request, demande, status=exc.status)


@require_GET
@login_required
def voeux(request: HttpRequest, pk: int) -> HttpResponse:
    return render_voeux(request, get_demande_for_user(request, pk), fresh=True)


@require_POST
@login_required
def voeu_add(request: HttpRequest, pk: int) -> HttpResponse:
    added = _added_straight(request, pk)
    if added is not None:
        return added
    demande = get_demande_for_user(request, pk)
    form = VoeuCodeForm(request.POST, campagne=demande.campagne)
    if not form.is_valid():
        return render_voeux(request, demande, code_form=form, status=400)
    try:
        report = _add(demande, agent_of(request), form.cleaned_data)
    except SiamError as exc:
        if exc.field not in form.fields or exc.field == "rang":  # phase, conflict, maximum: about the list
            return refused(request, demande, exc)
        form.add_error(exc.field, exc.message)
        return render_voeux(request, demande, code_form=form, status=exc.status)
    return _added(request, demande, report)


def _added_straight(request: HttpRequest, pk: int) -> HttpResponse | None:
    """The add of a plainly written vœu (plain_voeu_code) without reading the demande first: the version bump, on
    the asker's demande only, reads it (the busiest request of the closing day, one query fewer). None for anything
    else — what only the form can read, a refusal, another tab's change, somebody else's demande or none — which
    voeu_add then answers from the demande read, as always: this attempt changed nothing (its transaction rolled
    back)."""
    data = plain_voeu_code(request.POST)  # every type: the campagne's are checked on the locked one
    if data is None:
        return None
    agent = agent_of(request)
    demande = Demande(pk=pk, agent_id=agent.pk)  # its id and its agent's: what the bump is scoped to
    try:
        report = _add(demande, agent, data, explain=False)  # not yet known to be the asker's: nothing said about it
    except SiamError:
        return None
    return _added(request, demande, report)


def _add(demande: Demande, agent: Any, data: dict[str, Any], *, explain: bool = True) -> Report:
    """add_voeu_reported with what VoeuCodeForm (or plain_voeu_code) read."""
    return add_voeu_reported(
        demande=demande,
        auteur=agent,
        version=data["version"],
        voeu_type=data["type"],
        code=data["code"],
        filtre=data["filtre"],
        rang=data["rang"],
        explain=explain,
    )


def _added(request: HttpRequest, demande: Demande, report: Report) -> HttpResponse:
    voeu = report.voeu
    messages.success(request, _("Vœu n° %(rang)s ajouté\u00a0: %(voeu)s.") % {"rang": voeu.rang, "voeu": voeu.cible})
    url = f"{reverse('siam:voeux', args=[demande.pk])}?ajout={voeu.pk}#voeu-{voeu.pk}"
    return remember(request, redirect(url), demande, report)


@require_POST
@login_required
def voeu_remove(request: HttpRequest, pk: int) -> HttpResponse:
    voeu = get_voeu_for_user(request, pk)
    form = VersionForm(request.POST)
    version = form.cleaned_data["version"] if form.is_valid() else None
    try:
        report = remove_voeu_reported(demande=voeu.demande, auteur=agent_of(request), version=version, voeu_id=voeu.pk)
    except SiamError as exc:
        return refused(request, voeu.demande, exc)
    messages.success(request, _("Vœu n° %(rang)s supprimé\u00a0: %(voeu)s.") % {"rang": voeu.rang, "voeu": voeu.cible})
    url = f"{reverse('siam:voeux', args=[voeu.demande_id])}#dernier-changement"
    return remember(request, redirect(url), voeu.demande, report)


@require_POST
@login_required
def voeu_move(request: HttpRequest, pk: int) -> HttpResponse:
    voeu = get_voeu_for_user(request, pk)
    form = MoveForm(request.POST)
    valid = form.is_valid()
    version, direction = (form.cleaned_data["version"], form.cleaned_data["direction"]) if valid else (None, "up")
    try:
        report = move_voeu_reported(
            demande=voeu.demande, auteur=agent_of(request), version=version, voeu_id=voeu.pk, direction=direction
        )
    except SiamError as exc:
        return refused(request, voeu.demande, exc)
    moved = report.voeu
    messages.success(request, _("Vœu placé en n° %(rang)s\u00a0: %(voeu)s.") % {"rang": moved.rang, "voeu": voeu.cible})
    url = f"{reverse('siam:voeux', args=[voeu.demande_id])}?focus={direction}#voeu-{voeu.pk}"
    return remember(request, redirect(url), voeu.demande, report)


@require_POST
@login_required
def voeu_move_to(request: HttpRequest, pk: int) -> HttpResponse:
    """« Déplacer au rang n », and « Annuler » after a move."""
    voeu = get_voeu_for_user(request, pk)
    form = MoveToForm(request.POST)
    if not form.is_valid():
        errors = form.errors.get("rang") or [_("Le formulaire est incomplet\u00a0: rechargez la page.")]
        messages.error(request, str(errors[0]))
        return render_voeux(request, voeu.demande, status=400)
    data = form.cleaned_data
    try:
        report = move_voeu_to(
            demande=voeu.demande, auteur=agent_of(request), version=data["version"], voeu_id=voeu.pk, rang=data["rang"]
        )
    except SiamError as exc:
        return refused(request, voeu.demande, exc)
    messages.success(
        request, _("Vœu placé en n° %(rang)s\u00a0: %(voeu)s.") % {"rang": data["rang"], "voeu": voeu.cible}
    )
    return remember(
        request, redirect(f"{reverse('siam:voeux', args=[voeu.demande_id])}#voeu-{voeu.pk}"), voeu.demande, report
    )


def back_to_postes(poste: Poste, form: PosteVoeuForm) -> str:
    """The postes list as the teacher left it (filters, page): a query string, the path is ours."""
    url = reverse("siam:postes", args=[poste.campagne.slug])
    retour = form.cleaned_data.get("retour", "") if form.is_valid() else ""
    return f"{url}?{QueryDict(retour).urlencode()}" if retour else url


@require_POST
@login_required
def poste_voeu_add(request: HttpRequest, pk: int) -> HttpResponse:
    """« Ajouter à mes vœux » on the postes list: the post's place, through the same add service."""
    postes = Poste.objects.select_related("campagne", "etablissement", "zone_remplacement", "academie")
    poste = get_object_or_404(postes, pk=pk, campagne__publiee=True)
    form = PosteVoeuForm(request.POST)
    demande = Demande.objects.for_agent(agent_of(request)).filter(campagne=poste.campagne).first()
    if demande is None:
        messages.error(request, _("Commencez d'abord votre demande\u00a0: vous pourrez ensuite y ajouter ce poste."))
        return redirect(back_to_postes(poste, form))
    voeu_type, code = voeu_of_poste(poste)
    version = form.cleaned_data["version"] if form.is_valid() else None
    try:
        report = add_voeu_reported(
            demande=demande, auteur=agent_of(request), version=version, voeu_type=voeu_type, code=code
        )
    except SiamError as exc:
        messages.error(request, exc.message)
        return redirect(back_to_postes(poste, form))
    voeu = report.voeu
    messages.success(request, _("Vœu n° %(rang)s ajouté\u00a0: %(voeu)s.") % {"rang": voeu.rang, "voeu": voeu.cible})
    return remember(request, redirect(back_to_postes(poste, form)), demande, report)
