"""One audit log for the whole house: who did what to which object, when and why.

In the manner of pretix's ``LoggingMixin.log_action``: every writer calls ``log_action(obj, action, …)``
(or ``obj.log_action(action, …)`` on a model with ``LoggingMixin``), and every history page reads
``LogEntry.objects.for_object(obj)``. Actions are dotted names owned by their app (``dossier.modification``,
``bareme.regles``, ``securite.login``…); each app keeps a proxy of ``LogEntry`` restricted to its own
prefix, so its admin page and its permissions stay its own (``dossier.view_dossierchange``…).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from django.db import models

    from lib.audit.models import LogEntry


def log_action(
    obj: models.Model | None,
    action: str,
    *,
    auteur: Any = None,
    motif: str = "",
    libelle: str = "",
    avant: Any = None,
    apres: Any = None,
    data: dict[str, Any] | None = None,
    save: bool = True,
    model: type[LogEntry] | None = None,
) -> LogEntry:
    """Keep one entry; ``auteur`` is the user who acted (None: the application), ``motif`` why."""
    from django.contrib.contenttypes.models import ContentType

    from lib.audit.models import LogEntry

    if auteur is not None and not getattr(auteur, "is_authenticated", False):
        auteur = None
    entry = (model or LogEntry)(
        content_type=ContentType.objects.get_for_model(obj) if obj is not None else None,
        object_id=obj.pk if obj is not None else None,
        action=action,
        auteur=auteur,
        motif=motif,
        libelle=libelle[:300],
        avant=avant,
        apres=apres,
        data=data or {},
    )
    if save:
        entry.save()
    return entry


class LoggingMixin:
    """For models whose history is kept: ``obj.log_action(action, …)`` and ``obj.logentries()``."""

    pk: Any

    def log_action(self, action: str, **kwargs: Any) -> LogEntry:
        return log_action(self, action, **kwargs)  # type: ignore[arg-type]

    def logentries(self) -> Any:
        from lib.audit.models import LogEntry

        return LogEntry.objects.for_object(self)  # type: ignore[arg-type]
