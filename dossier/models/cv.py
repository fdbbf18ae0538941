"""The curriculum vitae, written by the teacher and read by the administration."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class CVSection(models.TextChoices):
    FORMATION = "formation", _("Formations")
    DIPLOME = "diplome", _("Diplômes et titres")
    ACTIVITE = "activite", _("Activités professionnelles")
    COMPETENCE = "competence", _("Compétences")
    LANGUE = "langue", _("Langues")
    JURY = "jury", _("Participation à des jurys")
    PUBLICATION = "publication", _("Publications")


class CVEntryQuerySet(models.QuerySet["CVEntry"]):
    def for_agent(self, agent: object) -> CVEntryQuerySet:
        return self.filter(agent=agent)


class CVEntry(models.Model):
    agent = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="cv_entries", verbose_name=_("agent")
    )
    section = models.CharField(_("rubrique"), max_length=12, choices=CVSection)
    titre = models.CharField(_("intitulé"), max_length=200)
    organisme = models.CharField(_("organisme ou lieu"), max_length=200, blank=True)
    description = models.TextField(_("description"), max_length=2000, blank=True)
    date_debut = models.DateField(_("début"), null=True, blank=True)
    date_fin = models.DateField(_("fin"), null=True, blank=True)
    ordre = models.PositiveIntegerField(_("ordre"), default=0)
    modifie_le = models.DateTimeField(_("modifié le"), auto_now=True)

    objects = CVEntryQuerySet.as_manager()

    class Meta:
        verbose_name = _("entrée du CV")
        verbose_name_plural = _("entrées du CV")
        ordering = ["section", "ordre", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(date_fin__isnull=True)
                | models.Q(date_debut__isnull=True)
                | models.Q(date_fin__gte=models.F("date_debut")),
                name="cventry_dates_ordered",
                violation_error_message=_("La date de fin ne peut pas précéder la date de début."),
            ),
        ]
        indexes = [models.Index(fields=["agent", "section", "ordre"], name="cventry_agent_section_idx")]  # the CV page

    def __str__(self) -> str:
        return self.titre


class CVContact(models.Model):
    agent = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, primary_key=True, related_name="cv_contact"
    )
    email = models.EmailField(_("adresse électronique"), blank=True)
    telephone = models.CharField(_("téléphone"), max_length=20, blank=True)

    class Meta:
        verbose_name = _("contact du CV")
        verbose_name_plural = _("contacts du CV")

    def __str__(self) -> str:
        return self.email or self.telephone
