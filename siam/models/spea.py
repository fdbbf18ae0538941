"""Mouvement spécifique académique (SPEA): applications to profiled posts, reviewed and decided by the rectorat.

A candidature names one ``Poste`` with ``profile=True`` of an intra campagne. The CV is a
snapshot taken at submission (what the reviewers read is what the teacher sent, whatever he edits
later); the lettre de motivation is a PDF kept in the private storage of the pièces.
"""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from siam.models.campagne import Campagne, Poste
from siam.models.demande import private_storage

if TYPE_CHECKING:
    from accounts.models import Agent


class EtatCandidature(models.TextChoices):
    DEPOSEE = "deposee", _("déposée — en cours d'examen")
    RETIREE = "retiree", _("retirée")
    RETENUE = "retenue", _("retenue")
    NON_RETENUE = "non_retenue", _("non retenue")


class Avis(models.TextChoices):
    FAVORABLE = "favorable", _("favorable")
    RESERVE = "reserve", _("réservé")
    DEFAVORABLE = "defavorable", _("défavorable")


DECIDEES = (EtatCandidature.RETENUE, EtatCandidature.NON_RETENUE)


def lettre_path(instance: CandidatureSpea, filename: str) -> str:
    return f"siam/spea/{instance.campagne_id}/{uuid.uuid4().hex}.pdf"


class CandidatureSpeaQuerySet(models.QuerySet["CandidatureSpea"]):
    def for_agent(self, agent: Agent) -> CandidatureSpeaQuerySet:
        return self.filter(agent=agent)

    def actives(self) -> CandidatureSpeaQuerySet:
        return self.exclude(etat=EtatCandidature.RETIREE)

    def retenues(self) -> CandidatureSpeaQuerySet:
        return self.filter(etat=EtatCandidature.RETENUE)


class CandidatureSpea(models.Model):
    agent = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="candidatures_spea", verbose_name=_("agent")
    )
    # the poste's campagne, kept here so that the database can hold « one post per teacher and campagne »
    campagne = models.ForeignKey(
        Campagne, on_delete=models.PROTECT, related_name="candidatures_spea", verbose_name=_("campagne")
    )
    poste = models.ForeignKey(
        Poste,
        on_delete=models.PROTECT,
        related_name="candidatures_spea",
        verbose_name=_("poste à profil"),
        limit_choices_to={"profile": True},
    )
    etat = models.CharField(_("état"), max_length=12, choices=EtatCandidature, default=EtatCandidature.DEPOSEE)
    lettre = models.FileField(_("lettre de motivation"), upload_to=lettre_path, storage=private_storage, max_length=200)
    lettre_nom = models.CharField(_("nom du fichier déposé"), max_length=200)
    lettre_taille = models.PositiveIntegerField(_("taille de la lettre (octets)"))
    cv = models.JSONField(_("CV au moment de la candidature"), default=dict)
    deposee_le = models.DateTimeField(_("déposée le"), auto_now_add=True)
    retiree_le = models.DateTimeField(_("retirée le"), null=True, blank=True)
    avis_chef = models.CharField(_("avis du chef d'établissement"), max_length=12, choices=Avis, blank=True)
    avis_chef_motif = models.TextField(_("motivation de l'avis du chef d'établissement"), max_length=2000, blank=True)
    avis_inspecteur = models.CharField(_("avis de l'inspecteur (IA-IPR)"), max_length=12, choices=Avis, blank=True)
    avis_inspecteur_motif = models.TextField(_("motivation de l'avis de l'inspecteur"), max_length=2000, blank=True)
    classement = models.PositiveSmallIntegerField(
        _("classement du rectorat"),
        null=True,
        blank=True,
        help_text=_("1 pour le candidat classé premier sur le poste."),
    )
    decidee_par = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("décidée par"),
    )
    decidee_le = models.DateTimeField(_("décidée le"), null=True, blank=True)
    courrier_key = models.CharField(_("clé de l'envoi au courrier"), max_length=200, blank=True)

    objects = CandidatureSpeaQuerySet.as_manager()

    class Meta:
        verbose_name = _("candidature sur poste à profil (SPEA)")
        verbose_name_plural = _("candidatures sur postes à profil (SPEA)")
        ordering = ["campagne", "poste", "classement", "deposee_le"]
        constraints = [
            # one live application per teacher and post; a withdrawn one may be followed by a new one
            models.UniqueConstraint(
                fields=["agent", "poste"],
                condition=~Q(etat=EtatCandidature.RETIREE),
                name="spea_one_active_per_poste",
                violation_error_message=_("Cet agent a déjà une candidature en cours sur ce poste à profil."),
            ),
            # a teacher obtains at most one profiled post per campagne
            models.UniqueConstraint(
                fields=["agent", "campagne"],
                condition=Q(etat=EtatCandidature.RETENUE),
                name="spea_one_retenue",
                violation_error_message=_("Cet agent est déjà retenu sur un autre poste à profil de cette campagne."),
            ),
            models.UniqueConstraint(
                fields=["poste", "classement"],
                condition=~Q(etat=EtatCandidature.RETIREE) & Q(classement__isnull=False),
                name="spea_classement_unique",
                violation_error_message=_("Ce rang de classement est déjà attribué à un autre candidat de ce poste."),
            ),
            models.CheckConstraint(
                condition=~Q(etat__in=DECIDEES) | Q(decidee_le__isnull=False),
                name="spea_decision_has_date",
                violation_error_message=_("Une candidature décidée doit porter la date de la décision."),
            ),
            models.CheckConstraint(
                condition=~Q(etat=EtatCandidature.RETIREE) | Q(retiree_le__isnull=False),
                name="spea_retrait_has_date",
                violation_error_message=_("Une candidature retirée doit porter la date du retrait."),
            ),
            models.CheckConstraint(
                condition=Q(classement__isnull=True) | Q(classement__gte=1),
                name="spea_rang_positive",
                violation_error_message=_("Le rang de classement commence à 1."),
            ),
        ]
        # the market excludes a campagne's retained candidates; the admin lists a campagne's applications
        indexes = [models.Index(fields=["campagne", "etat"], name="spea_campagne_etat_idx")]

    def __str__(self) -> str:
        return f"{self.agent} — {self.poste}"

    @property
    def est_decidee(self) -> bool:
        return self.etat in DECIDEES
