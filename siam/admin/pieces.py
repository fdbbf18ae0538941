from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lib.admin_actions import reason_form, reason_page
from lib.admin_search import SemiJoinSearchMixin
from lib.queues import QueueFilter
from lib.text import accord, bilan
from siam.models import PieceJustificative, StatutPiece
from siam.selectors import agent_of
from siam.services.pieces import Bilan, decide_piece, decide_pieces


class PieceDecisionForm(forms.ModelForm):
    class Meta:
        model = PieceJustificative
        fields = ("statut", "motif_refus")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("statut") == StatutPiece.REFUSEE and not str(data.get("motif_refus") or "").strip():
            self.add_error("motif_refus", _("Indiquez le motif du refus\u00a0: il sera communiqué à l'agent."))
        return data


@admin.register(PieceJustificative)
class PieceJustificativeAdmin(SemiJoinSearchMixin, admin.ModelAdmin):
    form = PieceDecisionForm
    list_display = ("nom_original", "demande", "motif", "content_type", "deposee_le", "statut")
    list_filter = (QueueFilter, "statut", "demande__campagne", "content_type")
    search_fields = (
        "nom_original",
        "demande__agent__nom__unaccent",
        "demande__agent__prenom__unaccent",
        "=demande__agent__identifiant",
        "=demande__agent__numen",
        "=demande__agent__dossier__etablissement__uai",
        "demande__agent__dossier__etablissement__nom__unaccent",
    )
    list_select_related = ("demande__agent", "demande__campagne", "motif")
    show_full_result_count = False  # no second COUNT(*) over 50,000 rows on every page
    ordering = ("pk",)  # in the order deposited, along the primary key (the model's order joins two tables)
    readonly_fields = (
        "demande",
        "motif",
        "fichier_link",
        "nom_original",
        "content_type",
        "taille",
        "description",
        "deposee_le",
        "decided_by",
        "decided_at",
    )
    fields = (
        "demande",
        "motif",
        "fichier_link",
        "nom_original",
        "content_type",
        "taille",
        "description",
        "deposee_le",
        "statut",
        "motif_refus",
        "decided_by",
        "decided_at",
    )
    actions = ("accepter", "refuser")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # teachers upload their pièces themselves

    @admin.display(description=gettext_lazy("fichier"))
    def fichier_link(self, obj: PieceJustificative) -> str:
        return format_html('<a href="{}">{}</a>', reverse("siam:piece-file", args=[obj.pk]), _("Télécharger"))

    def save_model(self, request: HttpRequest, obj: PieceJustificative, form: Any, change: bool) -> None:
        decide_piece(piece=obj, staff=agent_of(request), statut=obj.statut, motif_refus=obj.motif_refus)

    @admin.action(description=gettext_lazy("Accepter les pièces sélectionnées"), permissions=["change"])
    def accepter(self, request: HttpRequest, queryset: QuerySet[PieceJustificative]) -> None:
        done = decide_pieces(
            pieces=queryset.values_list("pk", flat=True), staff=agent_of(request), statut=StatutPiece.ACCEPTEE
        )
        self.message_user(
            request, pieces_bilan(done, _("%(n)s pièce acceptée"), _("%(n)s pièces acceptées")), messages.SUCCESS
        )

    @admin.action(description=gettext_lazy("Refuser les pièces sélectionnées (avec un motif)…"), permissions=["change"])
    def refuser(self, request: HttpRequest, queryset: QuerySet[PieceJustificative]) -> HttpResponse | None:
        form = reason_form(request)
        if not form.is_valid():
            return reason_page(self, request, queryset, action="refuser", title=_("Refuser des pièces"), form=form)
        done = decide_pieces(
            pieces=queryset.values_list("pk", flat=True),
            staff=agent_of(request),
            statut=StatutPiece.REFUSEE,
            motif_refus=form.cleaned_data["motif_refus"],
        )
        self.message_user(
            request, pieces_bilan(done, _("%(n)s pièce refusée"), _("%(n)s pièces refusées")), messages.SUCCESS
        )
        return None


def pieces_bilan(done: Bilan, singulier: str, pluriel: str) -> str:
    return bilan(
        accord(done.traitees, singulier, pluriel), done.deja, _("%(n)s déjà traitée"), _("%(n)s déjà traitées")
    )
