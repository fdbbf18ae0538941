from __future__ import annotations

from typing import Any

from allauth.account.adapter import DefaultAccountAdapter
from allauth.mfa.adapter import DefaultMFAAdapter
from django.http import HttpRequest


class IProfAccountAdapter(DefaultAccountAdapter):
    """Accounts are created by the administration, never by sign-up."""

    def is_open_for_signup(self, request: HttpRequest) -> bool:
        return False


class IProfMFAAdapter(DefaultMFAAdapter):
    def get_totp_label(self, user: Any) -> str:
        return str(getattr(user, "identifiant", user))
