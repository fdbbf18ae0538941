from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lib.queues import QueueFilter
from siam.models import PieceJustificative, StatutPiece
from siam.selectors import agent_of
from siam.services.pieces import decide_piece


class PieceDecisionForm(forms.ModelForm):
    class Meta:
        model = PieceJustificative
        fields = ("statut", "motif_refus")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("statut") == StatutPiece.REFUSEE and not str(data.get("motif_refus") or "").strip():
            self.add_error("motif_refus", _("Indiquez le motif du refus : il sera communiqué à l'agent."))
        return data


class RefusForm(forms.Form):
    motif_refus = forms.CharField(label=gettext_lazy("Motif du refus (communiqué à l'agent)"), max_length=300)


@admin.register(PieceJustificative)
class PieceJustificativeAdmin(admin.ModelAdmin):
    form = PieceDecisionForm
    list_display = ("nom_original", "demande", "motif", "content_type", "deposee_le", "statut")
    list_filter = (QueueFilter, "statut", "demande__campagne", "content_type")
    search_fields = ("nom_original", "demande__agent__nom", "demande__agent__identifiant")
    list_select_related = ("demande__agent", "demande__campagne", "motif")
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
        for piece in queryset:
            decide_piece(piece=piece, staff=agent_of(request), statut=StatutPiece.ACCEPTEE)
        self.message_user(request, _("%(n)s pièce(s) acceptée(s).") % {"n": queryset.count()}, messages.SUCCESS)

    @admin.action(description=gettext_lazy("Refuser les pièces sélectionnées (avec un motif)…"), permissions=["change"])
    def refuser(self, request: HttpRequest, queryset: QuerySet[PieceJustificative]) -> HttpResponse | None:
        form = RefusForm(request.POST if "motif_refus" in request.POST else None)
        if form.is_valid():
            for piece in queryset:
                decide_piece(
                    piece=piece,
                    staff=agent_of(request),
                    statut=StatutPiece.REFUSEE,
                    motif_refus=form.cleaned_data["motif_refus"],
                )
            self.message_user(request, _("%(n)s pièce(s) refusée(s).") % {"n": queryset.count()}, messages.SUCCESS)
            return None
        context = {
            **self.admin_site.each_context(request),
            "form": form,
            "pieces": queryset,
            "opts": self.model._meta,
            "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
            "title": _("Refuser des pièces"),
        }
        return TemplateResponse(request, "admin/siam/piecejustificative/refuser.html", context)
