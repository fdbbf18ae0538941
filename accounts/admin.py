from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.forms import UserChangeForm
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect
from django.utils.translation import gettext_lazy as _

from accounts.middleware import holds_staff_rights
from accounts.models import Agent, AuditEvent
from accounts.services import journal_account_changes
from lib.admin_search import SemiJoinSearchMixin

PRIVILEGED_FIELDS = {"password", "is_staff", "is_superuser", "groups", "user_permissions"}
# On another staff member's or a superuser's account, only a superuser changes these (issue 17: a gestionnaire
# who could set the DRH's e-mail would take the account over through « Mot de passe oublié »).
PROTECTED_FIELDS = ("email", "is_active")
JOURNALED_FIELDS = (
    "civilite",
    "nom",
    "nom_famille",
    "prenom",
    "numen",
    "date_naissance",
    "email",
    "is_active",
    "is_staff",
    "is_superuser",
)
JOURNALED_RELATIONS = ("groups", "user_permissions")


class AgentChangeForm(UserChangeForm[Agent]):
    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        value = cleaned.get  # a field left out of the form keeps the account's value
        instance = self.instance
        rights = (
            value("is_superuser", instance.is_superuser)
            or bool(value("groups", None))
            or bool(value("user_permissions", None))
        )
        if "is_staff" in self.fields and rights and not value("is_staff", instance.is_staff):
            self.add_error(
                "is_staff",
                _(
                    "Un compte qui reçoit un groupe, une permission ou le statut de super-utilisateur doit avoir "
                    "« accès à l'administration »\u00a0: il devra alors activer la double authentification."
                ),
            )
        return cleaned


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
class AgentAdmin(SemiJoinSearchMixin, UserAdmin):
    add_form = AgentCreationForm
    form = AgentChangeForm
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
    ordering = ("nom", "prenom", "pk")  # a total order, read along agent_nom_prenom_idx
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
                    "d'homonymie). L'agent choisit son mot de passe par « Mot de passe oublié\u00a0? »."
                ),
            },
        ),
    )

    def get_readonly_fields(self, request: Any, obj: Agent | None = None) -> Any:
        if obj is None:
            return ()
        if _is_protected_from(request.user, obj):
            return (*self.readonly_fields, *PROTECTED_FIELDS)
        return self.readonly_fields

    def has_delete_permission(self, request: Any, obj: Agent | None = None) -> bool:
        if obj is not None and _is_protected_from(request.user, obj):
            return False
        return super().has_delete_permission(request, obj)

    def save_model(self, request: Any, obj: Agent, form: Any, change: bool) -> None:
        before = Agent.objects.filter(pk=obj.pk).first() if change else None
        # kept on the request, not on the shared ModelAdmin: two gestionnaires may save at the same moment
        request.iprof_journal = (
            {f: getattr(before, f) for f in JOURNALED_FIELDS} if before else {},
            {r: set(getattr(before, r).all()) for r in JOURNALED_RELATIONS} if before else {},
        )
        super().save_model(request, obj, form, change)

    def save_related(self, request: Any, form: Any, formsets: Any, change: bool) -> None:
        super().save_related(request, form, formsets, change)
        if not change:
            return
        agent = form.instance
        before, relations = request.iprof_journal
        changes: dict[str, tuple[Any, Any]] = {
            f: (old, getattr(agent, f)) for f, old in before.items() if old != getattr(agent, f)
        }
        for relation, old_set in relations.items():
            new_set = set(getattr(agent, relation).all())
            if new_set != old_set:
                changes[relation] = (old_set, new_set)
        if changes:
            journal_account_changes(request=request, by=request.user, agent=agent, changes=changes)

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
        response = super().user_change_password(request, id, form_url)
        if request.method == "POST" and isinstance(response, HttpResponseRedirect):
            agent = Agent.objects.get(pk=id)
            changes: dict[str, tuple[Any, Any]] = {"password": ("", "")}
            journal_account_changes(request=request, by=request.user, agent=agent, changes=changes)
        return response


def _is_protected_from(user: Any, agent: Agent) -> bool:
    """Only a superuser touches the e-mail, activity, password or rights of a staff account or a superuser."""
    return not user.is_superuser and holds_staff_rights(agent)


def _portal_password_change(request: HttpRequest, extra_context: Any = None) -> HttpResponse:
    """The admin's own password page sends to the portal's, which journals the change and notifies the owner."""
    return redirect("account_change_password")


admin.site.password_change = _portal_password_change  # type: ignore[method-assign,assignment]


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
    show_full_result_count = False  # the journal only grows
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
