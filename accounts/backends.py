"""Who is logged in, read on every request: allauth's backend, the user row already read with the session.

The session row is read with its agent joined (accounts.sessions); while Django's auth.get_user runs for a request
(accounts.middleware), ``get_user`` answers with that agent, without a second query, if the session's data names
it and the row's agent column agrees (else nobody). Outside a request (the async ``auser``, a session whose data
changed since it was read) the user row is read by a query compiled once (lib.prepared): Django's ModelBackend
compiles ``Agent.objects.get(pk=…)`` on every call (≈ 0.3 ms of Python, issue 14). Either way the rights are checked
as ModelBackend does (an inactive account is nobody); Django checks the session hash on what this returns.
"""

from __future__ import annotations

from typing import Any

from allauth.account.auth_backends import AuthenticationBackend as AllauthBackend
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db.models import BigIntegerField

from accounts.sessions import NOT_READ, current_session
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
        session = current_session.get()
        user = session.agent_read(pk) if session is not None else NOT_READ
        if user is NOT_READ:
            user = _BY_PK.first(pk=pk)
        if user is None:
            return None
        return user if self.user_can_authenticate(user) else None
