"""Who is logged in, read on every request: allauth's backend, the user row by a query compiled once.

Django's ModelBackend.get_user compiles ``Agent.objects.get(pk=…)`` on every request (≈ 0.3 ms of Python, as
much as the whole middleware stack: issue 14); the same SELECT is kept here (lib.queries.Prepared) and the
rights are checked as ModelBackend does (an inactive account is nobody).
"""

from __future__ import annotations

from typing import Any

from allauth.account.auth_backends import AuthenticationBackend as AllauthBackend
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError

from lib.queries import Prepared

_NOBODY = -7_340_227_219  # no row has this id: the sample the query is compiled with

_BY_PK = Prepared(lambda pk: get_user_model()._default_manager.filter(pk=pk), _NOBODY)


class AuthenticationBackend(AllauthBackend):
    def get_user(self, user_id: Any) -> Any:
        try:
            pk = get_user_model()._meta.pk.to_python(user_id)  # type: ignore[union-attr]
        except ValidationError:
            return None
        found = _BY_PK.instances(pk)
        if not found:
            return None
        return found[0] if self.user_can_authenticate(found[0]) else None
