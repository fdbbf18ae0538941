from __future__ import annotations

from collections.abc import Callable

from allauth.mfa.models import Authenticator
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _

SESSION_FLAG = "iprof_staff_totp"
# Pages a staff member may reach before enrolling: account, enrolment, logout.
EXEMPT_PREFIXES = ("/compte/", "/static/")


class StaffSecondFactorMiddleware:
    """Rectorat and DRH accounts reach nothing until they have enrolled a TOTP second factor."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        needs_check = (
            user.is_authenticated
            and user.is_staff
            and not request.path.startswith(EXEMPT_PREFIXES)
            and not request.session.get(SESSION_FLAG)
        )
        if needs_check:
            if not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists():
                messages.warning(
                    request,
                    _(
                        "Les comptes du rectorat et de la DRH doivent activer la double authentification "
                        "avant d'accéder aux pages de gestion."
                    ),
                )
                return redirect("mfa_activate_totp")
            request.session[SESSION_FLAG] = True
        return self.get_response(request)
