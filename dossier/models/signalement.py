"""Errors a teacher reports in their dossier, read by the rectorat."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Rubrique(models.TextChoices):
    """The sections of Votre dossier, in page order."""

    IDENTITE = "identite", _("Identité")
    FAMILLE = "famille", _("Situation familiale")
    CARRIERE = "carriere", _("Carrière")
    AFFECTATION = "affectation", _("Affectation")
    AGS = "ags", _("Ancienneté générale de service")
    DIPLOMES = "diplomes", _("Diplômes et qualifications")
    FORMATIONS = "formations", _("Absences et formations")


class SignalementQuerySet(models.QuerySet["SignalementErreur"]):
    def a_traiter(self) -> SignalementQuerySet:
        return self.filter(statut=SignalementErreur.Statut.NOUVEAU)


class SignalementErreur(models.Model):
    class Statut(models.TextChoices):
        NOUVEAU = "nouveau", _("à traiter")
        TRAITE = "traite", _("traité")

    agent = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="signalements", verbose_name=_("enseignant")
    )
    rubrique = models.CharField(_("rubrique concernée"), max_length=12, choices=Rubrique)
    message = models.TextField(_("message"), max_length=2000)
    cree_le = models.DateTimeField(_("signalé le"), auto_now_add=True)
    statut = models.CharField(_("statut"), max_length=8, choices=Statut.choices, default=Statut.NOUVEAU)
    traite_par = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("traité par"),
    )
    traite_le = models.DateTimeField(_("traité le"), null=True, blank=True)
    envoye_au_courrier = models.BooleanField(_("transmis par le courrier"), default=False)

    objects = SignalementQuerySet.as_manager()

    class Meta:
        verbose_name = _("signalement d'erreur")
        verbose_name_plural = _("signalements d'erreur")
        ordering = ["-cree_le"]
        indexes = [models.Index(fields=["statut", "-cree_le"], name="signalement_statut_idx")]  # staff queue

    def __str__(self) -> str:
        return f"{self.get_rubrique_display()} — {self.agent}"
