"""Votre dossier (read-only), Signaler une erreur, Vos perspectives."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from django.views.decorators.http import require_GET, require_http_methods

from dossier.errors import DossierError
from dossier.forms import SignalementForm
from dossier.models import Dossier, Rubrique
from dossier.selectors import banner_of, dossier_record
from dossier.services.perspectives import perspectives_page
from dossier.services.signalement import signaler_erreur
from dossier.views.dossier_page import dossier_page, texts
from lib.queries import unique_row

SENT = gettext_noop(
    "Votre signalement est transmis à votre correspondant de gestion\u00a0; sa réponse arrivera dans Votre courrier."
)
RECORDED = gettext_noop("Votre signalement est enregistré\u00a0: le rectorat va le traiter.")
RECORDED_WITHOUT_PIECE = gettext_noop(
    "Votre signalement est enregistré\u00a0: le rectorat va le traiter. Aucun correspondant de gestion n’étant "
    "désigné pour votre discipline, le justificatif n’a pas pu être joint\u00a0: le rectorat vous le demandera."
)


@require_GET
@login_required
def dossier(request: HttpRequest) -> HttpResponse:
    record = dossier_record(request.user)  # type: ignore[arg-type]
    page = dossier_page(request.user, record, timezone.localdate()) if record else None  # type: ignore[arg-type]
    banner = page.banner if page else banner_of(request.user, None)  # type: ignore[arg-type]
    context = {"page": page, "t": texts().labels, "section": "dossier", "iprof_banner": banner}
    return render(request, "dossier/dossier.html", context)


@require_http_methods(["GET", "POST"])
@login_required
def signaler(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        form = SignalementForm(request.POST, request.FILES)
    else:
        rubrique = request.GET.get("rubrique", "")
        form = SignalementForm(initial={"rubrique": rubrique if rubrique in Rubrique.values else ""})
    if form.is_bound and form.is_valid():
        try:
            signalement = signaler_erreur(agent=request.user, **form.cleaned_data)  # type: ignore[arg-type]
        except DossierError as exc:
            form.add_error(None, exc.message)
        else:
            unsent = RECORDED_WITHOUT_PIECE if form.cleaned_data["justificatif"] else RECORDED
            messages.success(request, _(SENT if signalement.envoye_au_courrier else unsent))
            return redirect("dossier:dossier")
    return render(request, "dossier/signaler.html", {"form": form, "section": "dossier"})


@require_GET
@login_required
def perspectives(request: HttpRequest) -> HttpResponse:
    dossier = unique_row(Dossier.objects.select_related("grade").filter(agent=request.user))  # type: ignore[misc]
    page = perspectives_page(dossier, timezone.localdate()) if dossier else None
    return render(request, "dossier/perspectives.html", {"page": page, "section": "perspectives"})
