from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.core.exceptions import PermissionDenied
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
    show_full_result_count = False  # no second COUNT(*) over 50,000 rows on every page
    list_filter = ("is_staff", "is_active", "groups")
    search_fields = (
        "=identifiant",
        "nom__unaccent",
        "prenom__unaccent",
        "=numen",
        "email",
        "=dossier__etablissement__uai",
    )
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


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin[AuditEvent]):
    """Read-only: the journal is written by the application, never by hand."""

    list_display = ("created_at", "kind", "identifiant", "ip", "detail")
    list_filter = ("kind",)
    search_fields = ("identifiant", "ip")
    date_hierarchy = "created_at"
    readonly_fields = ("kind", "agent", "identifiant", "ip", "user_agent", "detail", "created_at")

    def has_add_permission(self, request: Any) -> bool:
        return False

    def has_change_permission(self, request: Any, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: Any, obj: Any = None) -> bool:
        return False
