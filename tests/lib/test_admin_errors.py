"""Domain errors in the back office come back as one French message, once, whatever raised them."""

from __future__ import annotations

from django.contrib.messages import get_messages
from django.contrib.messages.storage.fallback import FallbackStorage
from django.contrib.sessions.backends.db import SessionStore
from django.core.exceptions import ValidationError
from django.test import RequestFactory

from dossier.errors import DossierError
from lib.admin_errors import show_error
from lib.admin_views import site
from siam.errors import CalendrierVerrouille


def request():  # type: ignore[no-untyped-def]
    req = RequestFactory().post("/admin/")
    req.session = SessionStore()
    req._messages = FallbackStorage(req)  # type: ignore[attr-defined]
    return req


def test_the_same_error_reported_twice_is_shown_once() -> None:
    req = request()
    show_error(req, CalendrierVerrouille("La saisie est déjà ouverte."))
    show_error(req, CalendrierVerrouille("La saisie est déjà ouverte."))
    show_error(req, ValidationError(["La date de fin précède la date de début."]))
    show_error(req, DossierError("Choisissez une rubrique du CV."))
    assert [str(m) for m in get_messages(req)] == [
        "La saisie est déjà ouverte.",
        "La date de fin précède la date de début.",
        "Choisissez une rubrique du CV.",
    ]


def test_every_staff_page_of_the_site_names_the_permissions_it_needs() -> None:
    pages = {v.name: v.permissions for v in site().staff_views()}
    assert pages == {
        "siam_mouvementrun_launch": ("siam.run_mouvement",),
        "siam_mouvementrun_compare": ("siam.view_mouvementrun",),
        "siam_mouvementrun_publish": ("siam.publish_mouvement",),
    }
