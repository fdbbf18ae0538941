"""The career file the administration holds on an agent (read-only for the teacher)."""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from dossier.models.referentiel import (
    Academie,
    Commune,
    Corps,
    Discipline,
    Etablissement,
    Grade,
    ZoneRemplacement,
)
from lib.audit import LoggingMixin
from lib.audit.models import LogEntry, LogEntryManager


class SituationFamiliale(models.TextChoices):
    CELIBATAIRE = "celibataire", _("célibataire")
    MARIE = "marie", _("marié(e)")
    PACSE = "pacse", _("pacsé(e)")
    CONCUBINAGE = "concubinage", _("en concubinage")
    DIVORCE = "divorce", _("divorcé(e)")
    VEUF = "veuf", _("veuf(ve)")


class Position(models.TextChoices):
    TITULAIRE = "titulaire", _("titulaire")
    STAGIAIRE = "stagiaire", _("stagiaire")
    STAGIAIRE_EX_CONTRACTUEL = "stagiaire_ex_contractuel", _("stagiaire ex-contractuel")


class Dossier(LoggingMixin, models.Model):
    agent = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="dossier",
        verbose_name=_("agent"),
    )
    # Identité et contacts
    adresse = models.CharField(_("adresse"), max_length=200, blank=True)
    code_postal = models.CharField(_("code postal"), max_length=5, blank=True)
    ville = models.CharField(_("ville"), max_length=100, blank=True)
    telephone = models.CharField(_("téléphone"), max_length=20, blank=True)
    # Situation familiale
    situation_familiale = models.CharField(
        _("situation familiale"),
        max_length=12,
        choices=SituationFamiliale,
        default=SituationFamiliale.CELIBATAIRE,
    )
    conjoint_nom = models.CharField(_("nom du conjoint"), max_length=150, blank=True)
    conjoint_profession = models.CharField(_("profession du conjoint"), max_length=150, blank=True)
    conjoint_academie = models.ForeignKey(
        Academie,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("académie de résidence professionnelle du conjoint"),
    )
    conjoint_commune = models.ForeignKey(
        Commune,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("commune de résidence professionnelle du conjoint"),
    )
    # Carrière
    position = models.CharField(_("position"), max_length=30, choices=Position, default=Position.TITULAIRE)
    corps = models.ForeignKey(Corps, on_delete=models.PROTECT, related_name="+", verbose_name=_("corps"))
    grade = models.ForeignKey(Grade, on_delete=models.PROTECT, related_name="+", verbose_name=_("grade"))
    echelon = models.PositiveSmallIntegerField(_("échelon"))
    date_echelon = models.DateField(_("date d'effet de l'échelon"), null=True, blank=True)
    reclassement_echelon = models.PositiveSmallIntegerField(
        _("échelon de reclassement (stagiaire ex-contractuel)"), null=True, blank=True
    )
    academie_stage = models.ForeignKey(
        Academie, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("académie de stage")
    )
    debut_ags = models.DateField(_("début de l'ancienneté générale de service"), null=True, blank=True)
    # Affectation
    discipline = models.ForeignKey(Discipline, on_delete=models.PROTECT, related_name="+", verbose_name=_("discipline"))
    etablissement = models.ForeignKey(
        Etablissement,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="agents",
        verbose_name=_("établissement"),
    )
    zone_remplacement = models.ForeignKey(
        ZoneRemplacement,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="agents",
        verbose_name=_("zone de remplacement"),
    )
    affectation_provisoire = models.BooleanField(_("affecté à titre provisoire"), default=False)
    date_entree_poste = models.DateField(_("date d'entrée dans le poste"), null=True, blank=True)

    class Meta:
        verbose_name = _("dossier administratif")
        verbose_name_plural = _("dossiers administratifs")
        constraints = [
            models.CheckConstraint(
                condition=~(models.Q(etablissement__isnull=False) & models.Q(zone_remplacement__isnull=False)),
                name="dossier_one_affectation",
                violation_error_message=_(
                    "Un agent est affecté dans un établissement ou sur une zone de remplacement, pas les deux."
                ),
            ),
        ]

    def __str__(self) -> str:
        return str(self.agent)

    @property
    def is_tzr(self) -> bool:
        return self.zone_remplacement_id is not None


class EchelonHistorique(models.Model):
    class Modalite(models.TextChoices):
        ANCIENNETE = "anciennete", _("à l'ancienneté")
        ACCELERE = "accelere", _("accéléré (rendez-vous de carrière)")
        PROMOTION = "promotion", _("promotion de grade")
        RECLASSEMENT = "reclassement", _("reclassement")
        TITULARISATION = "titularisation", _("titularisation")

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="echelons", verbose_name=_("dossier"))
    grade = models.ForeignKey(Grade, on_delete=models.PROTECT, related_name="+", verbose_name=_("grade"))
    echelon = models.PositiveSmallIntegerField(_("échelon"))
    date_effet = models.DateField(_("date d'effet"))
    modalite = models.CharField(_("modalité"), max_length=16, choices=Modalite.choices, default=Modalite.ANCIENNETE)

    class Meta:
        verbose_name = _("historique d'échelon")
        verbose_name_plural = _("historique des échelons et grades")
        ordering = ["-date_effet"]

    def __str__(self) -> str:
        return f"{self.grade} — {self.echelon}e échelon au {self.date_effet:%d/%m/%Y}"


class Affectation(models.Model):
    class Nature(models.TextChoices):
        DEFINITIVE = "definitive", _("à titre définitif")
        PROVISOIRE = "provisoire", _("à titre provisoire")
        STAGE = "stage", _("stage")

    dossier = models.ForeignKey(
        Dossier, on_delete=models.CASCADE, related_name="affectations", verbose_name=_("dossier")
    )
    etablissement = models.ForeignKey(
        Etablissement,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("établissement"),
    )
    zone_remplacement = models.ForeignKey(
        ZoneRemplacement,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("zone de remplacement"),
    )
    libelle = models.CharField(_("libellé (hors académie)"), max_length=200, blank=True)
    nature = models.CharField(_("nature"), max_length=12, choices=Nature.choices, default=Nature.DEFINITIVE)
    date_debut = models.DateField(_("du"))
    date_fin = models.DateField(_("au"), null=True, blank=True)

    class Meta:
        verbose_name = _("affectation")
        verbose_name_plural = _("historique des affectations")
        ordering = ["-date_debut"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(date_fin__isnull=True) | models.Q(date_fin__gte=models.F("date_debut")),
                name="affectation_dates_ordered",
                violation_error_message=_("La date de fin de l'affectation ne peut pas précéder sa date de début."),
            ),
        ]

    def __str__(self) -> str:
        return self.lieu

    @property
    def lieu(self) -> str:
        return str(self.etablissement or self.zone_remplacement or self.libelle)


class Enfant(models.Model):
    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="enfants", verbose_name=_("dossier"))
    prenom = models.CharField(_("prénom"), max_length=100)
    date_naissance = models.DateField(_("date de naissance"))

    class Meta:
        verbose_name = _("enfant")
        verbose_name_plural = _("enfants")
        ordering = ["date_naissance"]

    def __str__(self) -> str:
        return f"{self.prenom} ({self.date_naissance:%d/%m/%Y})"


class Diplome(models.Model):
    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="diplomes", verbose_name=_("dossier"))
    intitule = models.CharField(_("intitulé"), max_length=200)
    specialite = models.CharField(_("spécialité"), max_length=200, blank=True)
    annee = models.PositiveSmallIntegerField(_("année d'obtention"))
    etablissement = models.CharField(_("délivré par"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("diplôme ou qualification")
        verbose_name_plural = _("diplômes et qualifications")
        ordering = ["-annee"]

    def __str__(self) -> str:
        return f"{self.intitule} ({self.annee})"


class Formation(models.Model):
    """Absences and formations recorded by the administration."""

    class Nature(models.TextChoices):
        FORMATION = "formation", _("formation")
        CONGE = "conge", _("congé")
        ABSENCE = "absence", _("absence")

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="formations", verbose_name=_("dossier"))
    nature = models.CharField(_("nature"), max_length=10, choices=Nature.choices)
    libelle = models.CharField(_("libellé"), max_length=200)
    date_debut = models.DateField(_("du"))
    date_fin = models.DateField(_("au"), null=True, blank=True)

    class Meta:
        verbose_name = _("absence ou formation")
        verbose_name_plural = _("absences et formations")
        ordering = ["-date_debut"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(date_fin__isnull=True) | models.Q(date_fin__gte=models.F("date_debut")),
                name="formation_dates_ordered",
                violation_error_message=_("La date de fin de la formation ne peut pas précéder sa date de début."),
            ),
        ]

    def __str__(self) -> str:
        return self.libelle


class DossierChange(LogEntry):
    """Who changed what in a dossier, when and why: the dossier's entries of the journal, kept forever."""

    ACTION = "dossier.modification"

    objects: ClassVar[LogEntryManager[DossierChange]] = LogEntryManager(prefix="dossier.")  # type: ignore[assignment]

    class Meta:
        proxy = True
        verbose_name = _("modification du dossier")
        verbose_name_plural = _("historique des modifications")

    @property
    def objet(self) -> str:
        return self.libelle
