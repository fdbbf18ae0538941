from __future__ import annotations

from typing import Any

from allauth.account.adapter import DefaultAccountAdapter
from allauth.mfa.adapter import DefaultMFAAdapter
from django import forms
from django.conf import settings
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from accounts import lockout


def _typed_identifier(credentials: dict[str, Any]) -> str:
    return str(credentials.get("username") or credentials.get("email") or "").strip().lower()


class IProfAccountAdapter(DefaultAccountAdapter):
    """Accounts are created by the administration, never by sign-up; the library speaks I-Prof's words."""

    # allauth's French catalogue says « pseudo » and « e-mail »: the portal says identifiant, adresse électronique
    error_messages = {
        **DefaultAccountAdapter.error_messages,
        "username_password_mismatch": _("L’identifiant ou le mot de passe est incorrect."),
        "email_password_mismatch": _("L’adresse électronique ou le mot de passe est incorrect."),
        "invalid_login": _("Identifiant ou mot de passe incorrect."),
        "too_many_login_attempts": _(
            "Trop de tentatives de connexion échouées\u00a0: patientez quelques minutes avant de réessayer."
        ),
        "unknown_email": _("Cette adresse électronique ne correspond à aucun compte I-Prof."),
        "incorrect_password": _("Mot de passe incorrect."),
        "enter_current_password": _("Saisissez votre mot de passe actuel."),
        "invalid_password_reset": _("Le lien de réinitialisation du mot de passe n’est pas valide."),
        "invalid_or_expired_key": _("Ce lien n’est pas valide ou a expiré."),
        "username_blacklisted": _("Cet identifiant ne peut pas être utilisé."),
        "username_taken": _("Cet identifiant est déjà utilisé."),
        "email_taken": _("Cette adresse électronique est déjà celle d’un autre compte."),
        "incorrect_code": _("Code incorrect."),
    }

    def send_mail(self, template_prefix: str, email: str, context: dict[str, Any]) -> None:
        # mails are rendered without the request: the académie's contacts come in here
        context = {
            **context,
            "IPROF_SUPPORT_EMAIL": settings.IPROF_SUPPORT_EMAIL,
            "IPROF_SUPPORT_PHONE": settings.IPROF_SUPPORT_PHONE,
        }
        super().send_mail(template_prefix, email, context)

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
