from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from accounts.models import Agent, AuditEvent

PRIVILEGED_FIELDS = {"password", "is_staff", "is_superuser", "groups", "user_permissions"}


class AgentCreationForm(forms.ModelForm[Agent]):
    """Staff create agents; the identifier is assigned, never typed."""

    class Meta:
        model = Agent
        fields = ("civilite", "nom", "nom_famille", "prenom", "numen", "date_naissance", "email")

    def save(self, commit: bool = True) -> Agent:
        agent = super().save(commit=False)
        agent.set_unusable_password()
        if commit:
            agent.save()
        return agent


@admin.register(Agent)
class AgentAdmin(UserAdmin):
    add_form = AgentCreationForm
    list_display = ("identifiant", "nom", "prenom", "email", "is_staff", "is_active")
    list_filter = ("is_staff", "is_active", "groups")
    search_fields = ("identifiant", "nom", "prenom", "numen", "email")
    ordering = ("nom", "prenom")
    readonly_fields = ("identifiant", "last_login", "date_joined")
    fieldsets = (
        (None, {"fields": ("identifiant", "password")}),
        (_("Identité"), {"fields": ("civilite", "nom", "nom_famille", "prenom", "date_naissance", "numen", "email")}),
        (_("Droits"), {"fields": ("is_active", "is_staff", "is_superuser", "groups", "user_permissions")}),
        (_("Dates"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (
            None,
            {
                "classes": ("wide",),
                "fields": ("civilite", "nom", "nom_famille", "prenom", "numen", "date_naissance", "email"),
                "description": _(
                    "L'identifiant est attribué automatiquement (initiale du prénom + nom, numéroté en cas "
                    "d'homonymie). L'agent choisit son mot de passe par « Mot de passe oublié ? »."
                ),
            },
        ),
    )

    def get_readonly_fields(self, request: Any, obj: Agent | None = None) -> Any:
        return self.readonly_fields if obj else ()

    def get_fieldsets(self, request: Any, obj: Agent | None = None) -> Any:
        fieldsets = super().get_fieldsets(request, obj)
        if request.user.is_superuser or obj is None:
            return fieldsets
        # Roles and rights are given by the superuser only: a gestionnaire cannot raise anyone's rights,
        # nor set a password (agents choose theirs through « Mot de passe oublié ? »).
        return tuple(
            (name, {**opts, "fields": tuple(f for f in opts["fields"] if f not in PRIVILEGED_FIELDS)})
            for name, opts in fieldsets
            if any(f not in PRIVILEGED_FIELDS for f in opts["fields"])
        )

    def user_change_password(self, request: Any, id: str, form_url: str = "") -> Any:
        if not request.user.is_superuser:
            raise PermissionDenied
        return super().user_change_password(request, id, form_url)


class KindFilter(admin.SimpleListFilter):
    title = _("événement")
    parameter_name = "kind"

    def lookups(self, request: Any, model_admin: Any) -> list[tuple[str, str]]:
        return [(str(value), str(label)) for value, label in AuditEvent.Kind.choices]

    def queryset(self, request: Any, queryset: QuerySet[Any]) -> QuerySet[Any]:
        if self.value() in AuditEvent.Kind.values:
            return queryset.filter(action=AuditEvent.action_of(str(self.value())))
        return queryset


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin[AuditEvent]):
    """Read-only: the journal is written by the application, never by hand."""

    list_display = ("created_at", "kind", "identifiant", "ip", "libelle")
    list_filter = (KindFilter,)
    search_fields = ("libelle", "data__identifiant", "data__ip")
    date_hierarchy = "date"
    fields = readonly_fields = ("created_at", "kind", "identifiant", "agent", "auteur", "ip", "user_agent", "libelle")

    @admin.display(description=_("date"), ordering="date")
    def created_at(self, obj: AuditEvent) -> Any:
        return obj.date

    @admin.display(description=_("événement"))
    def kind(self, obj: AuditEvent) -> str:
        return obj.get_kind_display()

    @admin.display(description=_("identifiant saisi ou concerné"))
    def identifiant(self, obj: AuditEvent) -> str:
        return obj.identifiant

    @admin.display(description=_("agent"))
    def agent(self, obj: AuditEvent) -> Any:
        return obj.content_object

    @admin.display(description=_("adresse IP"))
    def ip(self, obj: AuditEvent) -> str:
        return obj.ip or ""

    @admin.display(description=_("navigateur"))
    def user_agent(self, obj: AuditEvent) -> str:
        return obj.user_agent

    def has_add_permission(self, request: Any) -> bool:
        return False

    def has_change_permission(self, request: Any, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: Any, obj: Any = None) -> bool:
        return False
