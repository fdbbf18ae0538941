from __future__ import annotations

from collections.abc import Callable
from typing import Any

from allauth.mfa.models import Authenticator
from django.contrib import auth, messages
from django.contrib.auth.middleware import AuthenticationMiddleware as DjangoAuthenticationMiddleware
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext as _

from accounts.sessions import current_session

SESSION_FLAG = "iprof_staff_totp"
# Pages a staff member may reach before enrolling: account, enrolment, logout.
EXEMPT_PREFIXES = ("/compte/", "/static/")


def holds_staff_rights(user: Any) -> bool:
    """Superuser, staff, or any group or permission (``staff_rights``, kept by accounts.rights): whoever
    can see more than his own file. The staff pages check permissions, not ``is_staff``: the second
    factor follows the rights. Read from the user row already loaded: no query.
    """
    if not user.is_authenticated:
        return False
    return bool(user.is_superuser or user.is_staff or getattr(user, "staff_rights", False))


class StaffSecondFactorMiddleware:
    """Accounts holding any staff right reach nothing until they have enrolled a TOTP second factor.

    The one place the rule is checked: every staff page (admin or portal) is behind it.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        needs_check = (
            user.is_authenticated
            and not request.path.startswith(EXEMPT_PREFIXES)
            and not request.session.get(SESSION_FLAG)
            and holds_staff_rights(user)
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


def _user_of(request: HttpRequest) -> Any:
    """Django's auth.get_user, every check of it, with the agent the session read (accounts.backends)."""
    if not hasattr(request, "_cached_user"):
        token = current_session.set(request.session)  # type: ignore[arg-type]
        try:
            request._cached_user = auth.get_user(request)  # type: ignore[attr-defined]
        finally:
            current_session.reset(token)
    return request._cached_user  # type: ignore[attr-defined]


class AuthenticationMiddleware(DjangoAuthenticationMiddleware):
    """Django's, request.user read from the session's row: its agent is joined to it (accounts.sessions), so a
    logged-in page reads who is logged in in one query. ``request.auser`` stays Django's (a query of the agent)."""

    def process_request(self, request: HttpRequest) -> None:
        super().process_request(request)
        request.user = SimpleLazyObject(lambda: _user_of(request))  # type: ignore[assignment]
