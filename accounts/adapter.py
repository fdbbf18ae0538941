from __future__ import annotations

from typing import Any

from allauth.account.adapter import DefaultAccountAdapter
from allauth.mfa.adapter import DefaultMFAAdapter
from django import forms
from django.http import HttpRequest

from accounts import lockout


def _typed_identifier(credentials: dict[str, Any]) -> str:
    return str(credentials.get("username") or credentials.get("email") or "").strip().lower()


class IProfAccountAdapter(DefaultAccountAdapter):
    """Accounts are created by the administration, never by sign-up."""

    def is_open_for_signup(self, request: HttpRequest) -> bool:
        return False

    def _get_login_attempts_cache_key(self, request: HttpRequest, **credentials: Any) -> str:
        from accounts.audit import client_ip

        return lockout.rate_limit_key(_typed_identifier(credentials), client_ip(request))

    def pre_authenticate(self, request: HttpRequest, **credentials: Any) -> None:
        try:
            super().pre_authenticate(request, **credentials)
        except forms.ValidationError:
            from accounts.audit import record
            from accounts.models import AuditEvent

            record(
                AuditEvent.Kind.LOGIN_LIMITED,
                request=request,
                identifiant=_typed_identifier(credentials),
                detail="refusée : trop d'échecs depuis cette adresse",
            )
            raise

    def authentication_failed(self, request: HttpRequest, **credentials: Any) -> None:
        identifier = _typed_identifier(credentials)
        if not identifier:
            return
        failures = lockout.count_failure(identifier)
        delay = lockout.slowdown(failures)
        if delay:
            from accounts.audit import record
            from accounts.models import AuditEvent

            record(
                AuditEvent.Kind.LOGIN_LIMITED,
                request=request,
                identifiant=identifier,
                detail=f"ralentie : {failures} échecs sur cet identifiant, réponse retardée de {delay:.2f} s",
            )
            lockout.pause(delay)


class IProfMFAAdapter(DefaultMFAAdapter):
    def get_totp_label(self, user: Any) -> str:
        return str(getattr(user, "identifiant", user))
