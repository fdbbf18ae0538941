"""The security journal: one function to write to it (onto the one journal, lib.audit), and the signal handlers."""

from __future__ import annotations

from typing import Any, cast

from django.http import HttpRequest

from accounts.models import Agent, AuditEvent
from lib.audit import log_action


def client_ip(request: HttpRequest | None) -> str | None:
    """The client's address, through the trusted proxies (ALLAUTH_TRUSTED_PROXY_COUNT), as the rate limits see it."""
    if request is None:
        return None
    from allauth.account.adapter import get_adapter
    from django.core.exceptions import PermissionDenied

    try:
        return get_adapter(request).get_client_ip(request) or None
    except PermissionDenied:
        return None


def record(
    kind: str,
    *,
    request: HttpRequest | None = None,
    agent: Agent | None = None,
    identifiant: str = "",
    detail: str = "",
    auteur: Agent | None = None,
) -> AuditEvent:
    """One security event on ``agent`` (None: an unknown identifier), done by ``auteur`` (default: the agent)."""
    if agent is not None and not identifiant:
        identifiant = agent.identifiant
    data = {
        "identifiant": identifiant[:150],
        "ip": client_ip(request),
        "user_agent": (request.headers.get("user-agent", "") if request else "")[:300],
    }
    entry = log_action(
        agent, AuditEvent.action_of(kind), auteur=auteur or agent, libelle=detail, data=data, model=AuditEvent
    )
    return cast(AuditEvent, entry)


def on_logged_in(sender: Any, request: HttpRequest, user: Agent, **kwargs: Any) -> None:
    record(AuditEvent.Kind.LOGIN, request=request, agent=user)


def on_login_failed(
    sender: Any, credentials: dict[str, Any], request: HttpRequest | None = None, **kwargs: Any
) -> None:
    # credentials hold the password too: keep only the identifier typed.
    typed = str(credentials.get("username") or credentials.get("identifiant") or credentials.get("login") or "")
    record(AuditEvent.Kind.LOGIN_FAILED, request=request, identifiant=typed.lower())


def on_logged_out(sender: Any, request: HttpRequest, user: Agent | None, **kwargs: Any) -> None:
    if user is not None:
        record(AuditEvent.Kind.LOGOUT, request=request, agent=user)


def on_password_changed(sender: Any, request: HttpRequest, user: Agent, **kwargs: Any) -> None:
    record(AuditEvent.Kind.PASSWORD_CHANGED, request=request, agent=user)


def on_password_reset(sender: Any, request: HttpRequest, user: Agent, **kwargs: Any) -> None:
    from accounts import lockout

    record(AuditEvent.Kind.PASSWORD_RESET, request=request, agent=user)
    lockout.lift(user.identifiant)  # the owner proved he reads the académie mail: every login limit goes


def on_mfa_added(sender: Any, request: HttpRequest, user: Agent, **kwargs: Any) -> None:
    record(AuditEvent.Kind.MFA_ADDED, request=request, agent=user, detail=str(kwargs.get("authenticator", "")))


def on_mfa_removed(sender: Any, request: HttpRequest, user: Agent, **kwargs: Any) -> None:
    record(AuditEvent.Kind.MFA_REMOVED, request=request, agent=user, detail=str(kwargs.get("authenticator", "")))


def on_mfa_failed(sender: Any, request: HttpRequest, user: Agent, **kwargs: Any) -> None:
    record(AuditEvent.Kind.MFA_FAILED, request=request, agent=user)


def connect() -> None:
    from allauth.account import signals as account_signals
    from allauth.mfa import signals as mfa_signals
    from django.contrib.auth import signals as auth_signals

    auth_signals.user_logged_in.connect(on_logged_in, dispatch_uid="audit_login")
    auth_signals.user_login_failed.connect(on_login_failed, dispatch_uid="audit_login_failed")
    auth_signals.user_logged_out.connect(on_logged_out, dispatch_uid="audit_logout")
    account_signals.password_changed.connect(on_password_changed, dispatch_uid="audit_password_changed")
    account_signals.password_reset.connect(on_password_reset, dispatch_uid="audit_password_reset")
    mfa_signals.authenticator_added.connect(on_mfa_added, dispatch_uid="audit_mfa_added")
    mfa_signals.authenticator_removed.connect(on_mfa_removed, dispatch_uid="audit_mfa_removed")
    mfa_signals.authentication_failed.connect(on_mfa_failed, dispatch_uid="audit_mfa_failed")
