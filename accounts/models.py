from __future__ import annotations

from typing import Any, ClassVar

from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.contrib.sessions.base_session import AbstractBaseSession
from django.db import IntegrityError, models, transaction
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.identifiers import base_identifier, first_free
from lib.audit.models import LogEntry, LogEntryManager, LogEntryQuerySet

IDENTIFIER_CONSTRAINT = "agent_identifiant_unique"


class Civilite(models.TextChoices):
    MADAME = "MME", _("Madame")
    MONSIEUR = "M", _("Monsieur")


class AgentManager(BaseUserManager["Agent"]):
    def get_by_natural_key(self, username: str | None) -> Agent:
        return self.get(identifiant__iexact=username)

    def create_user(self, identifiant: str = "", password: str | None = None, **fields: Any) -> Agent:
        agent = self.model(identifiant=(identifiant or "").lower(), **fields)
        agent.set_password(password)
        agent.save()
        return agent

    def create_superuser(self, identifiant: str, password: str | None = None, **fields: Any) -> Agent:
        fields.update(is_staff=True, is_superuser=True)
        fields.setdefault("nom", identifiant)
        fields.setdefault("prenom", identifiant)
        return self.create_user(identifiant, password, **fields)


class Agent(AbstractBaseUser, PermissionsMixin):
    """A person who logs in: a teacher, or a member of the rectorat / DRH staff."""

    identifiant = models.CharField(
        _("identifiant"),
        max_length=40,
        blank=True,
        help_text=_("Attribué automatiquement\u00a0: initiale du prénom + nom, suivi d'un numéro en cas d'homonymie."),
    )
    civilite = models.CharField(_("civilité"), max_length=3, choices=Civilite, blank=True)
    nom = models.CharField(_("nom d'usage"), max_length=100)
    nom_famille = models.CharField(_("nom de famille"), max_length=100, blank=True)
    prenom = models.CharField(_("prénom"), max_length=100)
    numen = models.CharField(_("NUMEN"), max_length=13, blank=True, help_text=_("13 caractères."))
    date_naissance = models.DateField(_("date de naissance"), null=True, blank=True)
    email = models.EmailField(_("adresse électronique"), blank=True)
    is_staff = models.BooleanField(_("accès à l'administration"), default=False)
    is_active = models.BooleanField(_("actif"), default=True)
    # Kept by accounts.rights from the groups and permissions: the second-factor check reads it from the
    # row every request loads anyway, instead of a query per page.
    staff_rights = models.BooleanField(_("détient des droits de gestion"), default=False, editable=False)
    date_joined = models.DateTimeField(_("date de création"), default=timezone.now)

    objects = AgentManager()

    USERNAME_FIELD = "identifiant"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["nom", "prenom"]

    class Meta:
        verbose_name = _("agent")
        verbose_name_plural = _("agents")
        ordering = ["nom", "prenom"]
        constraints = [
            models.UniqueConstraint(
                fields=["identifiant"],
                name=IDENTIFIER_CONSTRAINT,
                violation_error_message=_("Cet identifiant est déjà celui d'un autre agent."),
            ),
            models.UniqueConstraint(
                fields=["numen"],
                condition=~models.Q(numen=""),
                name="agent_numen_unique",
                violation_error_message=_("Ce NUMEN est déjà celui d'un autre agent."),
            ),
            models.CheckConstraint(
                condition=models.Q(identifiant=Lower("identifiant")),
                name="agent_identifiant_lowercase",
                violation_error_message=_("L'identifiant s'écrit en minuscules."),
            ),
        ]
        indexes = [
            # identifiant oublié: lookup by NUMEN + date de naissance
            models.Index(fields=["numen", "date_naissance"], name="agent_numen_naissance_idx"),
            # the staff list of agents, in alphabetical order (a total order: the id last)
            models.Index(fields=["nom", "prenom", "id"], name="agent_nom_prenom_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.nom.upper()} {self.prenom} ({self.identifiant})"

    @property
    def nom_complet(self) -> str:
        return f"{self.prenom} {self.nom.upper()}"

    def get_full_name(self) -> str:
        return self.nom_complet

    def get_short_name(self) -> str:
        return self.prenom

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.identifiant:
            self.identifiant = self.identifiant.lower()
            super().save(*args, **kwargs)
            return
        self._save_with_new_identifier(*args, **kwargs)

    def _save_with_new_identifier(self, *args: Any, **kwargs: Any) -> None:
        # Two homonyms created at the same moment can both see `fdupont` free: the
        # unique constraint decides, and the loser takes the next free number.
        base = base_identifier(self.prenom, self.nom)
        for _attempt in range(20):
            taken = set(
                Agent.objects.filter(identifiant__regex=rf"^{base}[0-9]*$").values_list("identifiant", flat=True)
            )
            self.identifiant = first_free(base, taken)
            try:
                with transaction.atomic():
                    super().save(*args, **kwargs)
                return
            except IntegrityError as exc:
                self.identifiant = ""
                if IDENTIFIER_CONSTRAINT not in str(exc):
                    raise
        raise IntegrityError("Impossible d'attribuer un identifiant libre.")


class AuditEventManager(LogEntryManager["AuditEvent"]):
    def of_kind(self, kind: str) -> LogEntryQuerySet[AuditEvent]:
        return self.get_queryset().filter(action=AuditEvent.action_of(kind))


class AuditEvent(LogEntry):
    """Security events: who, what, when, from where — the « securite.* » entries of the journal (lib.audit).

    The agent concerned is the entry's object (none for a failed login on an unknown identifier); what was
    typed or concerned, the address and the browser are kept in ``data``. Never a password or a session key.
    """

    class Kind(models.TextChoices):
        LOGIN = "login", _("connexion réussie")
        LOGIN_FAILED = "login_failed", _("échec de connexion")
        LOGIN_LIMITED = "login_limited", _("connexion refusée ou ralentie (trop d'échecs)")
        LOGOUT = "logout", _("déconnexion")
        PASSWORD_CHANGED = "password_changed", _("mot de passe modifié")
        PASSWORD_RESET = "password_reset", _("mot de passe réinitialisé")
        MFA_ADDED = "mfa_added", _("double authentification activée")
        MFA_REMOVED = "mfa_removed", _("double authentification désactivée")
        MFA_FAILED = "mfa_failed", _("code de double authentification refusé")
        STAFF_CHANGE = "staff_change", _("modification par un gestionnaire")

    PREFIX = "securite."

    objects: ClassVar[AuditEventManager] = AuditEventManager(prefix=PREFIX)  # type: ignore[assignment]

    class Meta:
        proxy = True
        verbose_name = _("événement de sécurité")
        verbose_name_plural = _("journal de sécurité")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} — {self.identifiant} — {timezone.localtime(self.date):%d/%m/%Y %H:%M}"

    @classmethod
    def action_of(cls, kind: str) -> str:
        return f"{cls.PREFIX}{kind}"

    @property
    def kind(self) -> str:
        return self.action.removeprefix(self.PREFIX)

    def get_kind_display(self) -> str:
        return str(dict(self.Kind.choices).get(self.kind, self.kind))

    @property
    def identifiant(self) -> str:
        return str(self.info("identifiant"))

    @property
    def ip(self) -> str | None:
        return self.info("ip", None)

    @property
    def user_agent(self) -> str:
        return str(self.info("user_agent"))

    @property
    def created_at(self) -> Any:
        return self.date


class AgentSession(AbstractBaseSession):
    """A database session with the id of the agent logged in as a column (issue 14: who is logged in, one query).

    accounts.sessions reads the row with its agent joined and writes ``agent`` from the session's data at every
    save; an agent deleted is logged out everywhere (CASCADE). Django's session engine otherwise, as documented in
    "Extending database-backed session engines".
    """

    agent = models.ForeignKey(Agent, null=True, on_delete=models.CASCADE, related_name="+", db_index=True)

    @classmethod
    def get_session_store_class(cls) -> Any:
        from accounts.sessions import SessionStore

        return SessionStore
