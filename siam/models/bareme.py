"""The barème as stored: a campagne's rules, each voeu's total and lines, corrections, contestations, history.

The calculator (``siam.bareme``) is pure; ``siam.services.bareme`` loads the ORM in bulk, calls it and
writes back here. Lines are stored once per campagne (``BaremeLigne``) and each voeu lists the ids of
its lines: a campagne of 30,000 participants × 31 voeux has about a million voeux but only thousands
of distinct lines, and writing each voeu's lines as JSON made a recompute 10 times slower.
"""

from __future__ import annotations

import uuid
from decimal import Decimal
from pathlib import PurePosixPath
from typing import TYPE_CHECKING, Any, ClassVar, cast

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lib.audit import log_action
from lib.audit.models import LogEntry, LogEntryManager
from siam.bareme.components import REGISTRY
from siam.models.campagne import Campagne
from siam.models.demande import Demande, Voeu, private_storage

if TYPE_CHECKING:
    from siam.bareme.config import JSON

COMPOSANTES = [(code, cls.label) for code, cls in REGISTRY.items()]


class RegleBareme(models.Model):
    """One component of a campagne's barème; the rows' order is the order of evaluation and display."""

    campagne = models.ForeignKey(
        Campagne, on_delete=models.CASCADE, related_name="regles_bareme", verbose_name=_("campagne")
    )
    ordre = models.PositiveSmallIntegerField(_("ordre"))
    code = models.CharField(_("composante"), max_length=40, choices=COMPOSANTES)
    voeu_specific = models.BooleanField(
        _("liée à un vœu"),
        default=False,
        help_text=_("Retirée du barème d'extension (bonification propre à un vœu)."),
    )
    applique_a = models.JSONField(
        _("vœux concernés"),
        default=dict,
        blank=True,
        help_text=_('Par exemple {"rangs": "voeu_1", "types_exclus": ["ETB"], "filtres": ["TOUT"]}.'),
    )
    params = models.JSONField(
        _("paramètres"), default=dict, blank=True, help_text=_('Par exemple {"points": "150.2"}.')
    )
    actif = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("règle du barème")
        verbose_name_plural = _("règles du barème")
        ordering = ["campagne", "ordre"]
        constraints = [
            models.UniqueConstraint(
                fields=["campagne", "code"],
                name="reglebareme_campagne_code_unique",
                violation_error_message=_("Cette composante du barème figure déjà dans les règles de la campagne."),
            ),
            models.UniqueConstraint(
                fields=["campagne", "ordre"],
                name="reglebareme_campagne_ordre_unique",
                violation_error_message=_("Cet ordre est déjà celui d'une autre règle de la campagne."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.ordre}. {self.get_code_display()}"

    def as_dict(self) -> dict[str, JSON]:
        """The row as ``Rules.from_dicts`` reads it."""
        return {
            "code": self.code,
            "voeu_specific": self.voeu_specific,
            "applique_a": self.applique_a or {},
            "params": self.params or {},
        }


class ReglesBareme(Campagne):
    """The campagne seen from its barème rules (an admin page of its own)."""

    class Meta:
        proxy = True
        verbose_name = _("règles du barème d'une campagne")
        verbose_name_plural = _("règles du barème des campagnes")


class EtatLigne(models.TextChoices):
    APPLIQUEE = "applied", _("retenue")
    EN_ATTENTE = "pending", _("en attente de validation")
    REFUSEE = "refused", _("refusée")
    NON_APPLICABLE = "not_applicable", _("sans effet sur ce vœu")
    CORRIGEE = "corrected", _("corrigée par le rectorat")


COUNTING = (EtatLigne.APPLIQUEE, EtatLigne.CORRIGEE)


class BaremeLigne(models.Model):
    """One explained line, stored once per campagne and shared by every voeu that has exactly it."""

    # The line's fingerprint (see siam.services.bareme.store.line_id): known before the line is stored.
    id = models.BigIntegerField(_("empreinte"), primary_key=True)
    campagne = models.ForeignKey(Campagne, on_delete=models.CASCADE, related_name="+", verbose_name=_("campagne"))
    code = models.CharField(_("composante"), max_length=40)
    etat = models.CharField(_("état"), max_length=16, choices=EtatLigne)
    points = models.DecimalField(_("points"), max_digits=8, decimal_places=2)
    potentiel = models.DecimalField(
        _("points une fois validée"),
        max_digits=8,
        decimal_places=2,
        help_text=_("Ce qu'une bonification en attente vaudrait."),
    )
    detail = models.TextField(_("raison"))
    phrase = models.TextField(_("explication"))

    class Meta:
        verbose_name = _("ligne de barème")
        verbose_name_plural = _("lignes de barème")

    def __str__(self) -> str:
        return self.phrase

    @property
    def compte(self) -> bool:
        return self.etat in COUNTING


class BaremeVoeuQuerySet(models.QuerySet["BaremeVoeu"]):
    def for_campagne(self, campagne: Campagne) -> BaremeVoeuQuerySet:
        return self.filter(demande__campagne=campagne)


class BaremeVoeu(models.Model):
    """A voeu's barème as last computed: its total and the ids of its lines, in display order."""

    # No database foreign keys: a recompute inserts up to a million rows at once and the per-row
    # integrity triggers tripled its time. Rows are only written by recompute_baremes, for voeux it
    # read in the same transaction once the saisie is closed, and Django's collector still deletes
    # them with their voeu.
    voeu = models.OneToOneField(
        Voeu,
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="bareme",
        db_constraint=False,
        verbose_name=_("vœu"),
    )
    # The voeu's demande, copied: a campagne's rows are found by a join with its 30,000 demandes
    # instead of its million voeux (no index: only whole-campagne scans use it).
    demande = models.ForeignKey(
        Demande,
        on_delete=models.CASCADE,
        related_name="+",
        db_constraint=False,
        db_index=False,
        verbose_name=_("demande"),
    )
    total = models.DecimalField(_("barème"), max_digits=8, decimal_places=1)
    lignes = ArrayField(models.BigIntegerField(), verbose_name=_("lignes"), default=list)
    calcule_le = models.DateTimeField(_("calculé le"))
    definitif = models.BooleanField(_("définitif"), default=False)

    objects = BaremeVoeuQuerySet.as_manager()

    class Meta:
        verbose_name = _("barème d'un vœu")
        verbose_name_plural = _("barèmes des vœux")
        # Campagne.jalons: "are this campagne's barèmes définitifs?" (empty until they are, so COPY pays nothing)
        indexes = [models.Index(fields=["demande"], condition=Q(definitif=True), name="baremevoeu_definitif_idx")]

    def __str__(self) -> str:
        return f"{self.voeu_id} : {self.total}"


class BaremeExtension(models.Model):
    """The barème used by the procédure d'extension (participants whose participation is obligatoire)."""

    demande = models.OneToOneField(
        Demande, on_delete=models.CASCADE, primary_key=True, related_name="bareme_extension", verbose_name=_("demande")
    )
    rang = models.PositiveSmallIntegerField(_("rang du vœu dont il est tiré"))
    total = models.DecimalField(_("barème d'extension"), max_digits=8, decimal_places=1)
    lignes = ArrayField(models.BigIntegerField(), verbose_name=_("lignes"), default=list)
    calcule_le = models.DateTimeField(_("calculé le"))
    definitif = models.BooleanField(_("définitif"), default=False)

    class Meta:
        verbose_name = _("barème d'extension")
        verbose_name_plural = _("barèmes d'extension")

    def __str__(self) -> str:
        return f"{self.demande_id} : {self.total}"


class FaitCorrige(models.TextChoices):
    """The facts staff may correct; values are the core's ``siam.bareme.Fait``."""

    ANNEES_SEPARATION = "annees_separation", _("années de séparation")
    ENFANTS = "enfants", _("enfants de moins de 18 ans")
    ECHELON = "echelon", _("échelon")
    ANCIENNETE_POSTE = "anciennete_poste", _("années d'ancienneté dans le poste (comme titulaire)")


class BaremeCorrection(models.Model):
    """A staff correction fed to the calculator: a corrected fact, or new points for one line.

    A fact (``fait`` and ``valeur``, with ``valeur_avant`` as the dossier gave it) concerns every voeu: the
    barème is recomputed from it by the rules. A line (``code`` and ``points``) on one voeu or on every voeu
    only changes a line the rule applies there (siam.bareme.corrections): it never creates one.
    """

    demande = models.ForeignKey(
        Demande, on_delete=models.CASCADE, related_name="corrections_bareme", verbose_name=_("demande")
    )
    voeu = models.ForeignKey(
        Voeu,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("vœu"),
        help_text=_("Vide\u00a0: la correction porte sur tous les vœux."),
    )
    code = models.CharField(_("ligne corrigée"), max_length=40, choices=COMPOSANTES, blank=True)
    points = models.DecimalField(_("points retenus"), max_digits=8, decimal_places=1, null=True, blank=True)
    fait = models.CharField(_("donnée corrigée"), max_length=30, choices=FaitCorrige, blank=True)
    valeur = models.PositiveSmallIntegerField(_("valeur retenue"), null=True, blank=True)
    valeur_avant = models.PositiveSmallIntegerField(_("valeur du dossier"), null=True, blank=True)
    justification = models.TextField(_("justification (communiquée à l'agent)"))
    auteur = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("auteur")
    )
    date = models.DateTimeField(_("date"), default=timezone.now)

    class Meta:
        verbose_name = _("correction de barème")
        verbose_name_plural = _("corrections de barème")
        ordering = ["demande", "fait", "code"]
        constraints = [
            models.UniqueConstraint(
                fields=["demande", "voeu", "code", "fait"],
                nulls_distinct=False,
                name="baremecorrection_one_per_target",
                violation_error_message=_(
                    "Cette donnée ou cette ligne du barème est déjà corrigée pour cette demande."
                ),
            ),
            models.CheckConstraint(
                condition=~Q(justification=""),
                name="baremecorrection_has_justification",
                violation_error_message=_("Une correction du barème doit être justifiée."),
            ),
            models.CheckConstraint(
                condition=(
                    Q(fait="", valeur__isnull=True, valeur_avant__isnull=True) & ~Q(code="") & Q(points__isnull=False)
                )
                | (~Q(fait="") & Q(valeur__isnull=False, voeu__isnull=True, code="", points__isnull=True)),
                name="baremecorrection_fact_or_line",
                violation_error_message=_(
                    "Une correction porte soit sur une donnée (avec sa valeur), soit sur une ligne (avec ses points), pas les deux."
                ),
            ),
        ]

    def __str__(self) -> str:
        if self.fait:
            return f"{self.get_fait_display()} : {self.valeur}"
        return f"{self.get_code_display()} : {self.points}"

    @property
    def est_fait(self) -> bool:
        return bool(self.fait)


class ObjetChange(models.TextChoices):
    """The barème's actions in the journal (lib.audit)."""

    REGLES = "bareme.regles", _("règles du barème")
    MOTIF = "bareme.motif", _("bonification demandée")
    CORRECTION = "bareme.correction", _("correction d'une ligne")
    CONTESTATION = "bareme.contestation", _("réponse à une demande de correction")


class BaremeChangeManager(LogEntryManager["BaremeChange"]):
    def for_demande(self, demande: Demande) -> models.QuerySet[BaremeChange]:
        """What the teacher is shown: their own changes, and rule changes made once barèmes were displayed."""
        campagne = demande.campagne
        rules_shown = Q(
            content_type=ContentType.objects.get_for_model(Campagne), object_id=campagne.pk,
            action=ObjetChange.REGLES, date__gte=campagne.bareme_affichage_debut,
        )  # fmt: skip
        mine = Q(content_type=ContentType.objects.get_for_model(Demande), object_id=demande.pk)
        return self.get_queryset().filter(mine | rules_shown)


class BaremeChange(LogEntry):
    """Who changed what in a barème, when, and why; shown to the teacher as « modifié par le rectorat le … ».

    The barème's entries of the journal: on the demande (motif, correction, contestation) or, for a change of
    the rules, on the campagne; ``data`` keeps the campagne, and the voeu with its rank at the time.
    """

    objects: ClassVar[BaremeChangeManager] = BaremeChangeManager(prefix="bareme.")  # type: ignore[assignment]

    class Meta:
        proxy = True
        verbose_name = _("modification de barème")
        verbose_name_plural = _("historique des barèmes")

    @property
    def objet(self) -> str:
        return self.action

    def get_objet_display(self) -> str:
        return str(dict(ObjetChange.choices).get(self.action, self.action))

    @property
    def voeu_rang(self) -> int | None:
        rang = self.info("voeu_rang", None)
        return int(rang) if rang is not None else None

    @property
    def totaux(self) -> list[tuple[Any, Any, Any]]:
        """(rang, avant, après) of each voeu whose total moved, for the teacher's history."""
        before = (self.avant or {}).get("totaux", {}) if isinstance(self.avant, dict) else {}
        after = (self.apres or {}).get("totaux", {}) if isinstance(self.apres, dict) else {}
        moved = []
        for rang in sorted({*before, *after}, key=int):
            old, new = before.get(rang), after.get(rang)
            if old != new:
                moved.append((int(rang), Decimal(old) if old else None, Decimal(new) if new else None))
        return moved


def log_bareme_change(
    obj: Demande | Campagne, objet: str, *, auteur: Any, libelle: str, motif: str, avant: Any = None,
    apres: Any = None, voeu: Voeu | None = None,
) -> BaremeChange:  # fmt: skip
    """Keep one change of a barème in the journal (on the demande, or on the campagne for its rules)."""
    campagne_id = obj.pk if isinstance(obj, Campagne) else obj.campagne_id
    data: dict[str, Any] = {"campagne": campagne_id}
    if voeu is not None:
        data |= {"voeu": voeu.pk, "voeu_rang": voeu.rang}
    entry = log_action(
        obj, objet, auteur=auteur, libelle=libelle, motif=motif, avant=avant, apres=apres, data=data,
        model=BaremeChange,
    )  # fmt: skip
    return cast(BaremeChange, entry)


class StatutContestation(models.TextChoices):
    OUVERTE = "ouverte", _("en cours d'examen")
    ACCEPTEE = "acceptee", _("acceptée")
    REJETEE = "rejetee", _("rejetée")


def contestation_path(instance: Contestation, filename: str) -> str:
    return (
        f"siam/contestations/{instance.demande.campagne_id}/{uuid.uuid4().hex}{PurePosixPath(filename).suffix.lower()}"
    )


class ContestationQuerySet(models.QuerySet["Contestation"]):
    def for_agent(self, agent: Any) -> ContestationQuerySet:
        return self.filter(demande__agent=agent)

    def ouvertes(self) -> ContestationQuerySet:
        return self.filter(statut=StatutContestation.OUVERTE)


class Contestation(models.Model):
    """A teacher asks for a correction of their barème during the display window."""

    demande = models.ForeignKey(
        Demande, on_delete=models.CASCADE, related_name="contestations", verbose_name=_("demande")
    )
    voeu = models.ForeignKey(
        Voeu, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("vœu concerné")
    )
    motif = models.TextField(_("motif de la demande"))
    piece = models.FileField(
        _("pièce jointe"), upload_to=contestation_path, storage=private_storage, max_length=200, blank=True
    )
    piece_nom = models.CharField(_("nom du fichier déposé"), max_length=200, blank=True)
    piece_type = models.CharField(_("type de contenu"), max_length=40, blank=True)
    statut = models.CharField(
        _("statut"), max_length=10, choices=StatutContestation, default=StatutContestation.OUVERTE
    )
    reponse = models.TextField(_("réponse du rectorat"), blank=True)
    repondu_par = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("réponse de"),
    )
    repondu_le = models.DateTimeField(_("réponse le"), null=True, blank=True)
    creee_le = models.DateTimeField(_("demandée le"), default=timezone.now)

    objects = ContestationQuerySet.as_manager()

    class Meta:
        verbose_name = _("demande de correction de barème")
        verbose_name_plural = _("demandes de correction de barème")
        ordering = ["-creee_le"]
        constraints = [
            models.UniqueConstraint(
                fields=["demande"],
                condition=Q(statut="ouverte"),
                name="contestation_one_open_per_demande",
                violation_error_message=_("Une demande de correction est déjà en cours pour cette demande."),
            ),
            models.CheckConstraint(
                condition=~Q(motif=""),
                name="contestation_has_motif",
                violation_error_message=_("Indiquez le motif de la demande de correction."),
            ),
            models.CheckConstraint(
                condition=Q(statut="ouverte") | ~Q(reponse=""),
                name="contestation_answer_has_text",
                violation_error_message=_("Une réponse à une demande de correction doit être rédigée."),
            ),
        ]
        # staff's queue: open contestations, oldest first
        indexes = [models.Index(fields=["statut", "creee_le"], name="contestation_statut_idx")]

    def __str__(self) -> str:
        return f"{self.demande} — {self.creee_le:%d/%m/%Y}"


class VerificationBareme(Demande):
    """A demande seen by staff verifying its barème: claims, pièces, corrections, history."""

    class Meta:
        proxy = True
        verbose_name = _("vérification du barème")
        verbose_name_plural = _("vérifications des barèmes")


class TirageDepartage(models.Model):
    """The campagne's recorded seed: every participant's tie-break number derives from it (see departage.py)."""

    campagne = models.OneToOneField(
        Campagne, on_delete=models.CASCADE, primary_key=True, related_name="tirage", verbose_name=_("campagne")
    )
    seed = models.CharField(_("graine du tirage"), max_length=64)
    drawn_at = models.DateTimeField(_("tiré le"), default=timezone.now)
    drawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("tiré par")
    )

    class Meta:
        verbose_name = _("tirage au sort de départage")
        verbose_name_plural = _("tirages au sort de départage")

    def __str__(self) -> str:
        return f"{self.campagne} : {self.seed}"
