"""A teacher's demande for a campagne: voeux, their history, claimed motifs and pièces."""

from __future__ import annotations

import uuid
from pathlib import PurePosixPath
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.files.storage import Storage, storages
from django.db import models
from django.db.models import Q
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from dossier.models import Academie, Commune, Departement, Etablissement, GroupementCommunes, ZoneRemplacement
from siam.models.campagne import Campagne
from siam.models.choices import (
    CIBLE_PAR_TYPE,
    CIBLES,
    EtatDemande,
    Motif,
    Participation,
    StatutMotif,
    StatutPiece,
    TypeFiltre,
    TypeVoeu,
)

if TYPE_CHECKING:
    from accounts.models import Agent


class DemandeQuerySet(models.QuerySet["Demande"]):
    def for_agent(self, agent: Agent) -> DemandeQuerySet:
        return self.filter(agent=agent)

    def with_nb_voeux(self) -> DemandeQuerySet:
        # a subquery, not Count("voeux"): a page of 100 demandes counts its own voeux, never GROUP BY all of them
        voeux = Voeu.objects.filter(demande=models.OuterRef("pk")).order_by().values("demande")
        count = voeux.annotate(n=models.Count("pk")).values("n")
        return self.annotate(nb_voeux=Coalesce(models.Subquery(count, output_field=models.IntegerField()), 0))


class Demande(models.Model):
    agent = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="demandes", verbose_name=_("agent")
    )
    campagne = models.ForeignKey(
        Campagne, on_delete=models.PROTECT, related_name="demandes", verbose_name=_("campagne")
    )
    etat = models.CharField(_("état"), max_length=12, choices=EtatDemande.choices, default=EtatDemande.EN_SAISIE)
    participation = models.CharField(
        _("participation"), max_length=12, choices=Participation.choices, default=Participation.VOLONTAIRE
    )
    participation_raisons = models.JSONField(_("raisons de la participation obligatoire"), default=list, blank=True)
    # Set by staff (or by the results of the inter) for each agent entering the académie at the intra.
    entrant_inter = models.BooleanField(_("entré dans l'académie par le mouvement inter"), default=False)
    version = models.PositiveIntegerField(_("version"), default=0, help_text=_("Augmente à chaque modification."))
    creee_le = models.DateTimeField(_("créée le"), auto_now_add=True)
    modifiee_le = models.DateTimeField(_("modifiée le"), auto_now=True)
    accuse_envoye_le = models.DateTimeField(_("accusé de réception envoyé le"), null=True, blank=True)
    annulee_le = models.DateTimeField(_("annulée le"), null=True, blank=True)

    objects = DemandeQuerySet.as_manager()

    class Meta:
        verbose_name = _("demande de mutation")
        verbose_name_plural = _("demandes de mutation")
        ordering = ["campagne", "agent"]
        constraints = [
            models.UniqueConstraint(
                fields=["agent", "campagne"],
                name="demande_agent_campagne_unique",
                violation_error_message=_("Cet agent a déjà une demande pour cette campagne."),
            )
        ]
        # siam_accuses and staff lists: a campagne's demandes in one state
        indexes = [
            models.Index(fields=["campagne", "etat"], name="demande_campagne_etat_idx"),
            # the staff lists of demandes and barème checks: the latest saved first
            models.Index(fields=["-modifiee_le", "-id"], name="demande_modifiee_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.agent} — {self.campagne}"

    @property
    def est_obligatoire(self) -> bool:
        return self.participation == Participation.OBLIGATOIRE


class VoeuQuerySet(models.QuerySet["Voeu"]):
    def for_agent(self, agent: Agent) -> VoeuQuerySet:
        return self.filter(demande__agent=agent)

    def with_targets(self) -> VoeuQuerySet:
        # down to the académie: the barème facts of every voeu need it (no query per voeu)
        return self.select_related(
            "etablissement__commune__departement__academie",
            "commune__departement__academie",
            "groupement__departement__academie",
            "departement__academie",
            "academie",
            "zone_remplacement__departement__academie",
        )


def _target_matches_type() -> Q:
    condition = Q()
    for voeu_type, field in CIBLE_PAR_TYPE.items():
        filled = {f"{name}__isnull": name != field for name in CIBLES}
        condition |= Q(type=voeu_type, **filled)
    return condition


class Voeu(models.Model):
    demande = models.ForeignKey(Demande, on_delete=models.CASCADE, related_name="voeux", verbose_name=_("demande"))
    rang = models.PositiveSmallIntegerField(_("rang"))
    type = models.CharField(_("type de vœu"), max_length=3, choices=TypeVoeu.choices)
    filtre = models.CharField(
        _("type d'établissement"), max_length=4, choices=TypeFiltre.choices, default=TypeFiltre.TOUT
    )
    etablissement = models.ForeignKey(
        Etablissement,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("établissement"),
    )
    commune = models.ForeignKey(
        Commune, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("commune")
    )
    groupement = models.ForeignKey(
        GroupementCommunes,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("groupement de communes"),
    )
    departement = models.ForeignKey(
        Departement, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("département")
    )
    academie = models.ForeignKey(
        Academie, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("académie")
    )
    zone_remplacement = models.ForeignKey(
        ZoneRemplacement,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("zone de remplacement"),
    )

    objects = VoeuQuerySet.as_manager()

    class Meta:
        verbose_name = _("vœu")
        verbose_name_plural = _("vœux")
        ordering = ["demande", "rang"]
        constraints = [
            # deferred: moving a voeu swaps two ranks inside one transaction
            models.UniqueConstraint(
                fields=["demande", "rang"],
                name="voeu_demande_rang_unique",
                violation_error_message=_("Deux vœux de la demande ne peuvent pas avoir le même rang."),
                deferrable=models.Deferrable.DEFERRED,
            ),
            models.UniqueConstraint(
                fields=["demande", "type", "filtre", *CIBLES],
                nulls_distinct=False,
                name="voeu_no_duplicate_target",
                violation_error_message=_("Ce vœu figure déjà dans la demande."),
            ),
            models.CheckConstraint(
                condition=Q(rang__gte=1),
                name="voeu_rang_positive",
                violation_error_message=_("Le rang d'un vœu commence à 1."),
            ),
            models.CheckConstraint(
                condition=_target_matches_type(),
                name="voeu_target_matches_type",
                violation_error_message=_("Le lieu demandé ne correspond pas au type du vœu."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.rang}. {self.get_type_display()} — {self.cible}"

    @property
    def cible(self) -> Any:
        return getattr(self, CIBLE_PAR_TYPE[self.type])

    @property
    def code(self) -> str:
        return code_of(self.type, self.cible)

    @property
    def a_filtre(self) -> bool:
        return self.filtre != TypeFiltre.TOUT


def code_of(voeu_type: str, cible: Any) -> str:
    field = CIBLE_PAR_TYPE[voeu_type]
    return str(getattr(cible, {"etablissement": "uai", "commune": "code_insee"}.get(field, "code")))


class DemandeVersion(models.Model):
    """One row per change: the whole list after the change, who made it and when."""

    demande = models.ForeignKey(Demande, on_delete=models.CASCADE, related_name="versions", verbose_name=_("demande"))
    version = models.PositiveIntegerField(_("version"))
    auteur = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("auteur")
    )
    date = models.DateTimeField(_("date"), auto_now_add=True)
    action = models.CharField(_("modification"), max_length=200)
    contenu = models.JSONField(_("vœux et motifs après la modification"))

    class Meta:
        verbose_name = _("version de la demande")
        verbose_name_plural = _("historique de la demande")
        ordering = ["demande", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["demande", "version"],
                name="demandeversion_demande_version_unique",
                violation_error_message=_("Cette version de la demande est déjà enregistrée."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.demande} — version {self.version}"


class MotifDeclareQuerySet(models.QuerySet["MotifDeclare"]):
    def valides(self) -> MotifDeclareQuerySet:
        """What the barème counts: claims staff validated."""
        return self.filter(statut=StatutMotif.VALIDE)


class MotifDeclare(models.Model):
    demande = models.ForeignKey(Demande, on_delete=models.CASCADE, related_name="motifs", verbose_name=_("demande"))
    motif = models.CharField(_("motif"), max_length=30, choices=Motif.choices)
    conjoint_commune = models.ForeignKey(
        Commune,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("commune (du conjoint ou de résidence des enfants)"),
    )
    academie = models.ForeignKey(
        Academie,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("académie (du conjoint, du CIMM ou du vœu préférentiel)"),
    )
    annees = models.PositiveSmallIntegerField(
        _("nombre d'années"), null=True, blank=True, help_text=_("Années de séparation, de vœu préférentiel ou sur ZR.")
    )
    precision = models.CharField(_("précisions"), max_length=300, blank=True)
    statut = models.CharField(_("statut"), max_length=10, choices=StatutMotif.choices, default=StatutMotif.DECLARE)
    motif_refus = models.CharField(_("motif du refus"), max_length=300, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("décidé par"),
    )
    decided_at = models.DateTimeField(_("décidé le"), null=True, blank=True)
    declare_le = models.DateTimeField(_("déclaré le"), auto_now_add=True)

    objects = MotifDeclareQuerySet.as_manager()

    class Meta:
        verbose_name = _("motif déclaré")
        verbose_name_plural = _("motifs déclarés")
        ordering = ["demande", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["demande", "motif"],
                name="motifdeclare_demande_motif_unique",
                violation_error_message=_("Cette bonification est déjà demandée dans cette demande."),
            ),
            models.CheckConstraint(
                condition=~Q(statut=StatutMotif.REFUSE) | ~Q(motif_refus=""),
                name="motifdeclare_refus_has_reason",
                violation_error_message=_("Indiquez le motif du refus\u00a0: il sera communiqué à l'agent."),
            ),
        ]
        # the barème service reads a campagne's validated claims in bulk
        indexes = [models.Index(fields=["demande", "statut"], name="motif_demande_statut_idx")]

    def __str__(self) -> str:
        return f"{self.get_motif_display()} ({self.get_statut_display()})"


def private_storage() -> Storage:
    """STORAGES["default"]: MEDIA_ROOT (var/media), which no URL serves, or an object store; files go out only
    through views that check who asks and read them through the storage (never a path on a local disk)."""
    return storages["default"]


def piece_path(instance: PieceJustificative, filename: str) -> str:
    # Never the uploaded name: it is kept in nom_original, the disk only sees a random one.
    return f"siam/pieces/{instance.demande.campagne_id}/{uuid.uuid4().hex}{PurePosixPath(filename).suffix.lower()}"


class PieceJustificativeQuerySet(models.QuerySet["PieceJustificative"]):
    def for_agent(self, agent: Agent) -> PieceJustificativeQuerySet:
        return self.filter(demande__agent=agent)


class PieceJustificative(models.Model):
    demande = models.ForeignKey(Demande, on_delete=models.CASCADE, related_name="pieces", verbose_name=_("demande"))
    motif = models.ForeignKey(
        MotifDeclare, on_delete=models.CASCADE, null=True, blank=True, related_name="pieces", verbose_name=_("motif")
    )
    fichier = models.FileField(_("fichier"), upload_to=piece_path, storage=private_storage, max_length=200)
    nom_original = models.CharField(_("nom du fichier déposé"), max_length=200)
    content_type = models.CharField(_("type de contenu"), max_length=40)
    taille = models.PositiveIntegerField(_("taille (octets)"))
    description = models.CharField(_("description"), max_length=200, blank=True)
    statut = models.CharField(_("statut"), max_length=10, choices=StatutPiece.choices, default=StatutPiece.EN_ATTENTE)
    motif_refus = models.CharField(_("motif du refus"), max_length=300, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("examinée par"),
    )
    decided_at = models.DateTimeField(_("examinée le"), null=True, blank=True)
    deposee_le = models.DateTimeField(_("déposée le"), auto_now_add=True)

    objects = PieceJustificativeQuerySet.as_manager()

    class Meta:
        verbose_name = _("pièce justificative")
        verbose_name_plural = _("pièces justificatives")
        ordering = ["demande", "deposee_le"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(statut=StatutPiece.REFUSEE) | ~Q(motif_refus=""),
                name="piece_refus_has_reason",
                violation_error_message=_(
                    "Indiquez le motif du refus de la pièce\u00a0: il sera communiqué à l'agent."
                ),
            ),
            models.CheckConstraint(
                condition=Q(content_type__in=["application/pdf", "image/jpeg", "image/png"]),
                name="piece_allowed_content_type",
                violation_error_message=_("Une pièce justificative est un fichier PDF, JPEG ou PNG."),
            ),
        ]
        # staff's queue of pièces to examine
        indexes = [models.Index(fields=["statut", "deposee_le"], name="piece_statut_deposee_idx")]

    def __str__(self) -> str:
        return self.nom_original
