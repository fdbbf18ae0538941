"""CVs (read by staff) and the errors teachers report in their dossier."""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from dossier.models import CVContact, CVEntry, SignalementErreur
from lib.text import accord


class ReadOnlyAdmin(admin.ModelAdmin):
    """Staff read; only the teacher writes."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(CVEntry)
class CVEntryAdmin(ReadOnlyAdmin):
    list_display = ("agent", "section", "titre", "organisme", "date_debut", "date_fin", "modifie_le")
    list_filter = ("section",)
    search_fields = ("agent__nom", "agent__prenom", "agent__identifiant", "titre", "organisme")
    list_select_related = ("agent",)
    show_full_result_count = False  # several entries per agent: more rows than agents
    ordering = ("agent__nom", "agent__prenom", "section", "ordre")


@admin.register(CVContact)
class CVContactAdmin(ReadOnlyAdmin):
    list_display = ("agent", "email", "telephone")
    search_fields = ("agent__nom", "agent__identifiant", "email")
    list_select_related = ("agent",)


@admin.register(SignalementErreur)
class SignalementErreurAdmin(admin.ModelAdmin):
    list_display = ("cree_le", "agent", "rubrique", "extrait", "statut", "envoye_au_courrier", "traite_par")
    list_filter = ("statut", "rubrique", "envoye_au_courrier")
    search_fields = ("agent__nom", "agent__identifiant", "message")
    list_select_related = ("agent", "traite_par")
    readonly_fields = ("agent", "rubrique", "message", "cree_le", "envoye_au_courrier", "traite_par", "traite_le")
    fields = ("agent", "rubrique", "message", "cree_le", "envoye_au_courrier", "statut", "traite_par", "traite_le")
    actions = ["marquer_traites"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    @admin.display(description=gettext_lazy("message"))
    def extrait(self, obj: SignalementErreur) -> str:
        return Truncator(obj.message).chars(80)

    def save_model(self, request: HttpRequest, obj: SignalementErreur, form: Any, change: bool) -> None:
        if "statut" in form.changed_data and obj.statut == SignalementErreur.Statut.TRAITE:
            obj.traite_par, obj.traite_le = request.user, timezone.now()  # type: ignore[assignment]
        super().save_model(request, obj, form, change)

    @admin.action(description=gettext_lazy("Marquer comme traités"), permissions=["change"])
    def marquer_traites(self, request: HttpRequest, queryset: QuerySet[SignalementErreur]) -> None:
        count = queryset.a_traiter().update(  # type: ignore[attr-defined]
            statut=SignalementErreur.Statut.TRAITE, traite_par=request.user, traite_le=timezone.now()
        )
        one, many = _("%(n)s signalement marqué comme traité."), _("%(n)s signalements marqués comme traités.")
        messages.success(request, accord(count, one, many))
