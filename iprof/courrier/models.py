"""Votre courrier: messages posted to agents, their attachments, and the exchanges
between a teacher and their correspondant de gestion.

A Message always has one reader: its recipient (an agent), or — for what a
teacher writes in a conversation — the correspondant de gestion of that
conversation (recipient is then empty).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from django.conf import settings
from django.contrib.auth.models import Group
from django.db import models
from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from accounts.models import Agent


class Categorie(models.TextChoices):
    INFORMATION = "information", _("Information")
    RESULTAT = "resultat", _("Résultat")
    ACCUSE_RECEPTION = "accuse_reception", _("Accusé de réception")
    CORRESPONDANCE = "correspondance", _("Correspondance")


class Envoi(models.Model):
    """One posting of a courrier to many agents, identified by its idempotency key."""

    key = models.CharField(_("clé d'envoi"), max_length=200)
    sujet = models.CharField(_("objet"), max_length=200)
    categorie = models.CharField(_("catégorie"), max_length=20, choices=Categorie)
    # sha256 of what the key stands for: reusing a key for another courrier is refused.
    fingerprint = models.CharField(_("empreinte"), max_length=64)
    sender = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("expéditeur"),
    )
    posted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("diffusé par"),
    )
    description = models.CharField(_("destinataires"), max_length=300, blank=True)
    recipient_count = models.PositiveIntegerField(_("nombre de destinataires"), default=0)
    created_at = models.DateTimeField(_("créé le"), auto_now_add=True)

    class Meta:
        verbose_name = _("envoi")
        verbose_name_plural = _("envois")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["key"],
                name="envoi_key_unique",
                violation_error_message=_("Cet envoi a déjà été fait (même clé)."),
            )
        ]
        permissions = [("post_courrier", _("Diffuser un courrier aux agents"))]

    def __str__(self) -> str:
        return f"{self.sujet} ({self.key})"


# The dossier tells the courrier an agent's (discipline id, département id), and which agents teach a discipline
# (the filter of the correspondant's inbox): see dossier/courrier.py.
AffectationResolver = Callable[["Agent"], tuple[int | None, int | None]]
DisciplineAgents = Callable[[int], "QuerySet[Agent]"]
_affectation_resolvers: list[AffectationResolver] = []
_discipline_agents: list[DisciplineAgents] = []


def register_affectation_resolver(resolver: AffectationResolver) -> None:
    """Called once from the dossier app's ready(); without one, every agent goes to the default correspondant."""
    _affectation_resolvers[:] = [resolver]


def register_discipline_agents(agents: DisciplineAgents) -> None:
    """Called once from the dossier app's ready(): the agents whose dossier names a discipline (by its id)."""
    _discipline_agents[:] = [agents]


def agents_of_discipline(discipline_id: int) -> QuerySet[Agent] | None:
    """The agents of a discipline, or None when no app tells the courrier (the inbox then has no such filter)."""
    return _discipline_agents[0](discipline_id) if _discipline_agents else None


class CorrespondantGestionQuerySet(models.QuerySet["CorrespondantGestion"]):
    def for_agent(self, agent: Agent) -> CorrespondantGestion | None:
        """The most specific assignment: discipline + département, then discipline, then département, then default."""
        discipline_id, departement_id = _affectation_resolvers[0](agent) if _affectation_resolvers else (None, None)
        return (
            self.filter(Q(discipline__isnull=True) | Q(discipline_id=discipline_id))
            .filter(Q(departement__isnull=True) | Q(departement_id=departement_id))
            .select_related("agent", "groupe")
            .order_by(models.F("discipline").asc(nulls_last=True), models.F("departement").asc(nulls_last=True))
            .first()
        )


class CorrespondantGestion(models.Model):
    """Who at the rectorat answers the teachers of a discipline and/or a département."""

    libelle = models.CharField(
        _("libellé"), max_length=150, help_text=_("Ce que voit l'enseignant, ex. « Bureau DPE 2 — mathématiques ».")
    )
    discipline = models.ForeignKey(
        settings.COURRIER_DISCIPLINE_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("discipline"),
        help_text=_("Vide\u00a0: toutes les disciplines."),
    )
    departement = models.ForeignKey(
        settings.COURRIER_DEPARTEMENT_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("département"),
        help_text=_("Vide\u00a0: tous les départements."),
    )
    agent = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        limit_choices_to={"is_staff": True},
        verbose_name=_("gestionnaire"),
    )
    groupe = models.ForeignKey(
        Group,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("groupe de gestionnaires"),
    )

    objects = CorrespondantGestionQuerySet.as_manager()

    class Meta:
        verbose_name = _("correspondant de gestion")
        verbose_name_plural = _("correspondants de gestion")
        ordering = ["libelle"]
        constraints = [
            models.CheckConstraint(
                condition=Q(agent__isnull=False) | Q(groupe__isnull=False),
                name="correspondant_has_someone",
                violation_error_message=_("Un correspondant de gestion est un agent ou un groupe."),
            ),
            models.UniqueConstraint(
                fields=["discipline", "departement"],
                nulls_distinct=False,
                name="correspondant_scope_unique",
                violation_error_message=_(
                    "Un correspondant de gestion est déjà désigné pour cette discipline et ce département."
                ),
            ),
        ]

    def __str__(self) -> str:
        return self.libelle


class ConversationQuerySet(models.QuerySet["Conversation"]):
    def for_agent(self, agent: Agent) -> ConversationQuerySet:
        return self.filter(agent=agent)

    def for_staff(self, user: Agent) -> ConversationQuerySet:
        """Conversations addressed to this staff member, directly or through one of their groups."""
        if user.is_superuser:
            return self.all()
        return self.filter(Q(correspondant__agent=user) | Q(correspondant__groupe__in=user.groups.all()))


class Conversation(models.Model):
    """An exchange between a teacher and their correspondant de gestion."""

    agent = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="conversations", verbose_name=_("enseignant")
    )
    correspondant = models.ForeignKey(
        CorrespondantGestion,
        on_delete=models.SET_NULL,
        null=True,
        related_name="conversations",
        verbose_name=_("correspondant de gestion"),
    )
    sujet = models.CharField(_("objet"), max_length=200)
    created_at = models.DateTimeField(_("commencée le"), auto_now_add=True)
    last_message_at = models.DateTimeField(_("dernier message le"))

    objects = ConversationQuerySet.as_manager()

    class Meta:
        verbose_name = _("échange avec un correspondant")
        verbose_name_plural = _("échanges avec les correspondants")
        ordering = ["-last_message_at"]
        permissions = [("answer_conversation", _("Répondre aux enseignants (correspondant de gestion)"))]
        indexes = [models.Index(fields=["agent", "-last_message_at"], name="conversation_agent_idx")]

    def __str__(self) -> str:
        return self.sujet

    def get_absolute_url(self) -> str:
        return reverse("courrier:conversation", args=[self.pk])


class MessageQuerySet(models.QuerySet["Message"]):
    def for_recipient(self, agent: Agent) -> MessageQuerySet:
        return self.filter(recipient=agent)

    def unread(self) -> MessageQuerySet:
        return self.filter(read_at__isnull=True)

    def inbox(self, agent: Agent) -> MessageQuerySet:
        """The inbox page: newest first, with what the list shows, in one query."""
        has_attachment = models.Exists(Attachment.objects.filter(message=models.OuterRef("pk")))
        return (
            self.for_recipient(agent)
            .select_related("sender")
            .annotate(has_attachment=has_attachment)
            .order_by("-created_at", "-pk")
        )


class Message(models.Model):
    # Foreign keys without their own index when a composite index below starts with them:
    # every index costs time on a 50,000-row insert.
    envoi = models.ForeignKey(
        Envoi,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="messages",
        verbose_name=_("envoi"),
        db_index=False,
    )
    conversation = models.ForeignKey(
        Conversation,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="messages",
        verbose_name=_("échange"),
        db_index=False,
    )
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="courriers",
        verbose_name=_("destinataire"),
        db_index=False,
        help_text=_("Vide pour un message d'enseignant adressé à son correspondant de gestion."),
    )
    sender = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("expéditeur"),
        help_text=_("Vide\u00a0: la DRH ou le système."),
        db_index=False,
    )
    sujet = models.CharField(_("objet"), max_length=200)
    corps = models.TextField(_("message"))
    categorie = models.CharField(_("catégorie"), max_length=20, choices=Categorie, default=Categorie.INFORMATION)
    created_at = models.DateTimeField(_("reçu le"))
    read_at = models.DateTimeField(_("lu le"), null=True, blank=True)
    notified_at = models.DateTimeField(_("notification par courriel le"), null=True, blank=True)

    objects = MessageQuerySet.as_manager()

    class Meta:
        verbose_name = _("message")
        verbose_name_plural = _("messages")
        ordering = ["-created_at", "-pk"]
        constraints = [
            # the idempotency of post_courrier: one message per recipient and envoi
            models.UniqueConstraint(
                fields=["envoi", "recipient"],
                name="message_envoi_recipient_unique",
                violation_error_message=_("Ce destinataire a déjà reçu le message de cet envoi."),
            ),
            models.CheckConstraint(
                condition=Q(recipient__isnull=False) | Q(conversation__isnull=False),
                name="message_has_a_reader",
                violation_error_message=_("Un message a un destinataire ou appartient à une conversation."),
            ),
        ]
        indexes = [
            models.Index(fields=["recipient", "-created_at"], name="message_inbox_idx"),  # the inbox page
            models.Index(  # the unread badge of the menu, on every page
                fields=["recipient"], condition=Q(read_at__isnull=True), name="message_unread_idx"
            ),
            models.Index(  # the notification sweep
                fields=["created_at"],
                condition=Q(notified_at__isnull=True, recipient__isnull=False),
                name="message_to_notify_idx",
            ),
            models.Index(
                fields=["conversation", "created_at"],
                condition=Q(conversation__isnull=False),
                name="message_conversation_idx",
            ),
            models.Index(  # SET NULL when an agent is deleted
                fields=["sender"], condition=Q(sender__isnull=False), name="message_sender_idx"
            ),
        ]

    def __str__(self) -> str:
        return self.sujet

    def get_absolute_url(self) -> str:
        return reverse("courrier:message", args=[self.pk])

    @property
    def is_read(self) -> bool:
        return self.read_at is not None

    @property
    def expediteur(self) -> str:
        if self.sender_id is None:
            return str(_("Rectorat — DRH"))
        return self.sender.nom_complet  # type: ignore[union-attr]


class AttachmentQuerySet(models.QuerySet["Attachment"]):
    def visible_to(self, user: Agent) -> AttachmentQuerySet:
        allowed = Q(message__recipient=user) | Q(message__sender=user)
        if user.has_perm("courrier.view_message"):
            allowed |= Q(message__envoi__isnull=False)
        if user.has_perm("courrier.answer_conversation"):
            allowed |= Q(message__conversation__in=Conversation.objects.for_staff(user))
        return self.filter(allowed)


def attachment_path(instance: Attachment, filename: str) -> str:
    return f"courrier/{instance.sha256[:2]}/{instance.sha256}"


class Attachment(models.Model):
    """A file attached to one message. Files live under MEDIA_ROOT, named by their content's hash
    (one PDF sent to 10,000 agents is stored once), and are served only by the download view."""

    message = models.ForeignKey(Message, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(_("fichier"), upload_to=attachment_path, max_length=200)
    filename = models.CharField(_("nom du fichier"), max_length=200)
    content_type = models.CharField(_("type"), max_length=100)
    size = models.PositiveIntegerField(_("taille (octets)"))
    sha256 = models.CharField(_("empreinte SHA-256"), max_length=64)

    objects = AttachmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("pièce jointe")
        verbose_name_plural = _("pièces jointes")
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.filename

    def get_absolute_url(self) -> str:
        return reverse("courrier:attachment", args=[self.pk])
