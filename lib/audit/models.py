"""The one journal table. Rows are written by the application only, and never changed."""

from __future__ import annotations

from typing import Any, ClassVar, TypeVar

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

_E = TypeVar("_E", bound="LogEntry")


class LogEntryQuerySet(models.QuerySet[_E]):
    def for_object(self, obj: models.Model) -> LogEntryQuerySet[_E]:
        """The history of one object (a dossier, a demande, a campagne, an agent)."""
        return self.filter(content_type=ContentType.objects.get_for_model(obj), object_id=obj.pk)


class LogEntryManager(models.Manager[_E]):
    """All entries, or (on an app's proxy) only the actions under its prefix."""

    def __init__(self, prefix: str = "") -> None:
        super().__init__()
        self.prefix = prefix

    def get_queryset(self) -> LogEntryQuerySet[_E]:
        queryset: LogEntryQuerySet[_E] = LogEntryQuerySet(self.model, using=self._db)
        return queryset.filter(action__startswith=self.prefix) if self.prefix else queryset

    def for_object(self, obj: models.Model) -> LogEntryQuerySet[_E]:
        return self.get_queryset().for_object(obj)


class LogEntry(models.Model):
    """Who (auteur) did what (action, libellé, avant → après) to which object, when (date) and why (motif)."""

    content_type = models.ForeignKey(
        ContentType, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("type d'objet")
    )
    object_id = models.BigIntegerField(_("identifiant de l'objet"), null=True, blank=True)
    content_object = GenericForeignKey("content_type", "object_id")
    action = models.CharField(_("action"), max_length=50)
    auteur = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("auteur"),
    )  # fmt: skip
    date = models.DateTimeField(_("date"), default=timezone.now)
    libelle = models.CharField(_("modification"), max_length=300, blank=True)
    avant: Any = models.JSONField(_("avant"), null=True, blank=True)  # whatever the action keeps
    apres: Any = models.JSONField(_("après"), null=True, blank=True)
    motif = models.TextField(_("motif"), blank=True)
    data = models.JSONField(_("détails"), default=dict, blank=True)

    objects: ClassVar[LogEntryManager[LogEntry]] = LogEntryManager()  # type: ignore[assignment]

    class Meta:
        verbose_name = _("entrée du journal")
        verbose_name_plural = _("journal")
        ordering = ["-date", "-pk"]
        indexes = [
            # an object's history page, newest first (dossier, demande, campagne, agent)
            models.Index(fields=["content_type", "object_id", "-date"], name="logentry_object_date_idx"),
            # the journals by kind: the security journal, the campagne's rule changes
            models.Index(fields=["action", "-date"], name="logentry_action_date_idx"),
            # the staff journals, newest first: a proxy reads action__startswith, which the index above cannot order
            models.Index(fields=["-date", "-id"], name="logentry_date_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.libelle or self.action} — {timezone.localtime(self.date):%d/%m/%Y %H:%M}"

    def info(self, key: str, default: Any = "") -> Any:
        return (self.data or {}).get(key, default)
