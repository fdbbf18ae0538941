from __future__ import annotations

from allauth.account.views import LogoutView
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.forms import IdentifiantOublieForm
from accounts.services import identifiant_oublie_allowed, send_identifiant_reminder
from lib import session_cookies


@require_POST
def logout(request: HttpRequest) -> HttpResponse:
    """Log out by POST only; allauth flushes the server-side session, and the session's cookies go with it."""
    return session_cookies.delete_all(LogoutView.as_view()(request))


@require_GET
def logged_out(request: HttpRequest) -> HttpResponse:
    return render(request, "account/logged_out.html")


@require_http_methods(["GET", "POST"])
def identifiant_oublie(request: HttpRequest) -> HttpResponse:
    form = IdentifiantOublieForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if not identifiant_oublie_allowed(request, numen=form.cleaned_data["numen"]):
            return render(request, "429.html", status=429)  # the same whether the NUMEN matches or not
        send_identifiant_reminder(**form.cleaned_data)
        messages.info(
            request,
            _(
                "Si ces informations correspondent à un compte, votre identifiant vient d'être envoyé "
                "à l'adresse électronique connue de l'administration."
            ),
        )
        return redirect("accounts:identifiant-oublie")
    return render(request, "account/identifiant_oublie.html", {"form": form})


@require_GET
@login_required
def securite(request: HttpRequest) -> HttpResponse:
    return render(request, "account/securite.html", {"section": "securite"})


@require_GET
@login_required
def adresse_electronique(request: HttpRequest) -> HttpResponse:
    """Replaces allauth's e-mail management: the address is the one the administration holds."""
    return render(request, "account/adresse_electronique.html", {"section": "securite"})


@require_GET
def aide_connexion(request: HttpRequest) -> HttpResponse:
    return render(request, "account/aide_connexion.html")
