"""Database sessions read with the agent logged in, in one query compiled once (issue 14).

The row is accounts.models.AgentSession: Django's session with the agent's id as a column, written from the
session's data at every save. The read made on every request is Django's SELECT (the row of the key, if it has not
expired) joined to its agent, a query compiled once (lib.prepared); the agent read is kept on the store, and
accounts.backends answers Django's get_user with it (``agent_read``) while accounts.middleware runs Django's own
checks on it (backend, session hash, active account): no second query for the user.

Writing an existing session (the idle clock, a vœu's « Annuler ») is one UPDATE, not Django's BEGIN, UPDATE,
COMMIT: a single statement is atomic on its own in autocommit; creating one, or writing inside a transaction, is
Django's own.
"""

from __future__ import annotations

import functools
from contextvars import ContextVar
from typing import TYPE_CHECKING, Any

from django.contrib.auth import SESSION_KEY
from django.contrib.sessions.backends.base import CreateError, UpdateError
from django.contrib.sessions.backends.db import SessionStore as DatabaseSessionStore
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connections, router, transaction
from django.db.models import CharField, DateTimeField, Model
from django.utils import timezone
from psycopg.errors import ForeignKeyViolation

from lib.prepared import Param, PreparedQuery

if TYPE_CHECKING:
    from accounts.models import AgentSession

_UNEXPIRED: PreparedQuery[Any] = PreparedQuery(
    lambda: (
        SessionStore.get_model_class()
        .objects.select_related("agent")
        .filter(session_key=Param("key", CharField()), expire_date__gt=Param("now", DateTimeField()))[:1]
    )
)

# What agent_read answers when the store did not read the agent of that id: the caller queries it.
NOT_READ: Any = object()

# The session of the request whose user Django is reading (set by accounts.middleware around auth.get_user).
current_session: ContextVar[SessionStore | None] = ContextVar("current_session", default=None)


def agent_id_of(data: dict[str, Any]) -> int | None:
    """The agent's id a session's data names (Django's _auth_user_id, a string), or None."""
    from accounts.models import Agent

    try:
        return Agent._meta.pk.to_python(data.get(SESSION_KEY))  # type: ignore[union-attr,no-any-return]
    except ValidationError:
        return None


class SessionStore(DatabaseSessionStore):
    # the row read with its agent, and the agent's id its data named then; None: no row read
    _read: tuple[Any, int | None] | None = None

    @classmethod
    def get_model_class(cls) -> type[AgentSession]:
        from accounts.models import AgentSession

        return AgentSession

    def _get_session_from_db(self) -> Any:
        found = _UNEXPIRED.first(key=self.session_key, now=timezone.now())
        if found is None:
            self._session_key = None
        return found

    def load(self) -> dict[str, Any]:
        row = self._get_session_from_db()
        data: dict[str, Any] = self.decode(row.session_data) if row is not None else {}
        self._read = (row, agent_id_of(data)) if row is not None else None
        return data

    def agent_read(self, pk: int) -> Any:
        """The agent joined to the row this store read, if its data named ``pk``: NOT_READ when it read none for
        that id (no row, or the data changed since: the caller queries); None (nobody) when the row's column
        disagrees with its data."""
        if self._read is None or self._read[1] != pk:
            return NOT_READ
        row = self._read[0]
        return row.agent if row.agent_id == pk else None

    def create_model_instance(self, data: dict[str, Any]) -> AgentSession:
        obj: AgentSession = super().create_model_instance(data)  # type: ignore[assignment]
        obj.agent_id = agent_id_of(data)
        return obj

    def save(self, must_create: bool = False) -> None:
        using = router.db_for_write(self.model)
        if must_create or self.session_key is None or transaction.get_connection(using).in_atomic_block:
            try:
                return super().save(must_create=must_create)
            except CreateError as error:  # an agent deleted meanwhile: not a key taken, create() must not retry
                if isinstance(error.__context__, IntegrityError) and isinstance(
                    error.__context__.__cause__, ForeignKeyViolation
                ):
                    raise UpdateError from error
                raise
        data = self._get_session()  # type: ignore[attr-defined]
        values = (self.encode(data), self.get_expiry_date(), agent_id_of(data), self.session_key)
        with connections[using].cursor() as cursor:
            cursor.execute(_update_sql(using), values)
            written = cursor.rowcount
        if not written:  # deleted meanwhile (a logout in another tab): as Django's forced update
            raise UpdateError
        return None


@functools.cache
def _update_sql(using: str) -> str:
    """The UPDATE of a session's row (its data, expiry and agent), as QuerySet.update() would send it, written once
    from the model's meta: compiling the update cost a quarter of a session write's Python (issue 14)."""
    meta, quote = SessionStore.get_model_class()._meta, connections[using].ops.quote_name
    column = {f.name: str(f.column) for f in meta.concrete_fields}
    columns = ", ".join(f"{quote(column[name])} = %s" for name in ("session_data", "expire_date", "agent"))
    key = quote(column["session_key"])
    return f"UPDATE {quote(meta.db_table)} SET {columns} WHERE {key} = %s"  # noqa: S608 (names from the model)


def copy_django_sessions(old: type[Model], new: type[Model], agent: type[Model]) -> int:
    """Move the unexpired rows of Django's django_session into AgentSession, the agent's id decoded from each
    (a deploy keeps the teachers logged in); every row of the old table is deleted. The models may be a
    migration's historical ones. Returns the number of sessions copied."""
    store = SessionStore()
    rows = list(old.objects.filter(expire_date__gt=timezone.now()))  # type: ignore[attr-defined]
    named = {row.session_key: agent_id_of(store.decode(row.session_data)) for row in rows}
    existing = set(agent.objects.filter(pk__in={i for i in named.values() if i}).values_list("pk", flat=True))  # type: ignore[attr-defined]
    new.objects.bulk_create(  # type: ignore[attr-defined]
        [
            new(
                session_key=row.session_key,
                session_data=row.session_data,
                expire_date=row.expire_date,
                agent_id=named[row.session_key] if named[row.session_key] in existing else None,
            )
            for row in rows
        ],
        batch_size=1000,
        ignore_conflicts=True,
    )
    old.objects.all().delete()  # type: ignore[attr-defined]
    return len(rows)
