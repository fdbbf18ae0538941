"""Who is logged in, read on every request: allauth's backend, the user row by a query compiled once.

Django's ModelBackend.get_user compiles ``Agent.objects.get(pk=…)`` on every request (≈ 0.3 ms of Python, as
much as the whole middleware stack: issue 14); the same SELECT is kept here (lib.prepared) and the rights are
checked as ModelBackend does (an inactive account is nobody).
"""

from __future__ import annotations

from typing import Any

from allauth.account.auth_backends import AuthenticationBackend as AllauthBackend
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db.models import BigIntegerField

from lib.prepared import Param, PreparedQuery

_BY_PK: PreparedQuery[Any] = PreparedQuery(
    lambda: get_user_model()._default_manager.filter(pk=Param("pk", BigIntegerField()))[:1]
)


class AuthenticationBackend(AllauthBackend):
    def get_user(self, user_id: Any) -> Any:
        try:
            pk = get_user_model()._meta.pk.to_python(user_id)  # type: ignore[union-attr]
        except ValidationError:
            return None
        user = _BY_PK.first(pk=pk)
        if user is None:
            return None
        return user if self.user_can_authenticate(user) else None
