"""Votre CV: list, add, edit, delete, move up and down; contact details."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from dossier.errors import DossierError
from dossier.forms import CVContactForm, CVEntryForm
from dossier.models import CVSection
from dossier.selectors import cv_blocks, cv_contact_of, get_cv_entry_for_user
from dossier.services.cv import add_cv_entry, delete_cv_entry, move_cv_entry, save_cv_contact, update_cv_entry


@require_GET
@login_required
def cv(request: HttpRequest) -> HttpResponse:
    agent = request.user
    context = {"blocks": cv_blocks(agent), "contact": cv_contact_of(agent), "section": "cv"}  # type: ignore[arg-type]
    return render(request, "dossier/cv.html", context)


@require_http_methods(["GET", "POST"])
@login_required
def cv_add(request: HttpRequest) -> HttpResponse:
    section = request.GET.get("section", "")
    form = CVEntryForm(_data(request), initial={"section": section if section in CVSection.values else ""})
    if request.method == "POST" and form.is_valid():
        try:
            entry = add_cv_entry(agent=request.user, data=form.cleaned_data)  # type: ignore[arg-type]
        except DossierError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("« %(titre)s » est ajouté à votre CV.") % {"titre": entry.titre})
            return redirect(f"{_cv_url()}#cv-{entry.section}")
    return render(request, "dossier/cv_form.html", {"form": form, "entry": None, "section": "cv"})


@require_http_methods(["GET", "POST"])
@login_required
def cv_edit(request: HttpRequest, pk: int) -> HttpResponse:
    entry = get_cv_entry_for_user(request, pk)
    form = CVEntryForm(_data(request), instance=entry)
    if request.method == "POST" and form.is_valid():
        try:
            update_cv_entry(entry=entry, data=form.cleaned_data)
        except DossierError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("« %(titre)s » est modifié.") % {"titre": entry.titre})
            return redirect(f"{_cv_url()}#cv-{entry.section}")
    return render(request, "dossier/cv_form.html", {"form": form, "entry": entry, "section": "cv"})


@require_http_methods(["GET", "POST"])
@login_required
def cv_delete(request: HttpRequest, pk: int) -> HttpResponse:
    entry = get_cv_entry_for_user(request, pk)
    if request.method == "POST":
        delete_cv_entry(entry=entry)
        messages.success(request, _("« %(titre)s » est supprimé de votre CV.") % {"titre": entry.titre})
        return redirect(f"{_cv_url()}#cv-{entry.section}")
    return render(request, "dossier/cv_delete.html", {"entry": entry, "section": "cv"})


@require_POST
@login_required
def cv_move_up(request: HttpRequest, pk: int) -> HttpResponse:
    return _move(request, pk, -1)


@require_POST
@login_required
def cv_move_down(request: HttpRequest, pk: int) -> HttpResponse:
    return _move(request, pk, 1)


def _move(request: HttpRequest, pk: int, offset: int) -> HttpResponse:
    entry = get_cv_entry_for_user(request, pk)
    if move_cv_entry(entry=entry, offset=offset):
        messages.success(request, _("« %(titre)s » est déplacé.") % {"titre": entry.titre})
    else:
        messages.info(request, _("« %(titre)s » est déjà à cette extrémité de la rubrique.") % {"titre": entry.titre})
    return redirect(f"{_cv_url()}#cv-entry-{entry.pk}")


@require_http_methods(["GET", "POST"])
@login_required
def cv_contact(request: HttpRequest) -> HttpResponse:
    contact = cv_contact_of(request.user)  # type: ignore[arg-type]
    initial = {"email": contact.email, "telephone": contact.telephone} if contact else {"email": request.user.email}  # type: ignore[union-attr]
    form = CVContactForm(_data(request), initial=initial)
    if request.method == "POST" and form.is_valid():
        save_cv_contact(agent=request.user, **form.cleaned_data)  # type: ignore[arg-type]
        messages.success(request, _("Vos coordonnées de contact sont enregistrées."))
        return redirect(f"{_cv_url()}#cv-contact")
    return render(request, "dossier/cv_contact.html", {"form": form, "section": "cv"})


def _data(request: HttpRequest) -> QueryDict | None:
    """Bound on POST, even an empty one (which must show the errors)."""
    return request.POST if request.method == "POST" else None


def _cv_url() -> str:
    return reverse("dossier:cv")
