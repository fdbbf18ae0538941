from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from import_export.admin import ExportMixin

from iprof.courrier.services import CourrierError
from lib.admin_actions import rappel_form, reason_form, reason_page
from lib.admin_search import SemiJoinSearchMixin
from lib.exports import FORMATS
from lib.queues import QueueFilter
from lib.text import accord, bilan
from siam.admin.exports import BaremeResource, DemandeResource
from siam.errors import SiamError
from siam.models import Demande, DemandeVersion, MotifDeclare, StatutMotif, Voeu
from siam.selectors import agent_of
from siam.services.bareme.verification import decide_claim
from siam.services.decisions import decide_claims
from siam.services.rappels import send_rappel


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class VoeuInline(ReadOnlyInline):
    """Voeux are the teacher's: staff read them here, changes go through the versioned service."""

    model = Voeu
    fields = ("rang", "type", "cible_display", "filtre")
    readonly_fields = fields
    ordering = ("rang",)

    def get_queryset(self, request: HttpRequest) -> QuerySet[Voeu]:
        return super().get_queryset(request).with_targets()  # type: ignore[attr-defined]

    @admin.display(description=gettext_lazy("vœu"))
    def cible_display(self, obj: Voeu) -> str:
        return f"{obj.cible} ({obj.code})"


class MotifInline(ReadOnlyInline):
    model = MotifDeclare
    fields = ("motif", "conjoint_commune", "academie", "annees", "statut", "motif_refus", "decided_by", "decided_at")
    readonly_fields = fields
    show_change_link = True


class VersionInline(ReadOnlyInline):
    model = DemandeVersion
    fields = ("version", "date", "auteur", "action")
    readonly_fields = fields
    ordering = ("-version",)


@admin.register(Demande)
class DemandeAdmin(SemiJoinSearchMixin, ExportMixin, admin.ModelAdmin):
    resource_classes = [DemandeResource, BaremeResource]  # the demandes, or their barèmes per vœu
    formats = FORMATS
    show_full_result_count = False  # no second COUNT(*) over 50,000 rows on every page
    list_display = ("agent", "campagne", "etat", "participation", "nb_voeux", "version", "modifiee_le")
    list_filter = (QueueFilter, "campagne", "etat", "participation", "entrant_inter")
    search_fields = (
        "agent__nom__unaccent",
        "agent__prenom__unaccent",
        "=agent__identifiant",
        "=agent__numen",
        "=agent__dossier__etablissement__uai",
        "agent__dossier__etablissement__nom__unaccent",
    )
    list_select_related = ("agent", "campagne")
    ordering = ("-modifiee_le", "-pk")  # the latest saved first, read along demande_modifiee_idx

    def has_add_permission(self, request: HttpRequest) -> bool:
        # a demande is the teacher's own act, made in SIAM; staff examine it
        return False

    readonly_fields = (
        "agent",
        "campagne",
        "etat",
        "participation",
        "participation_raisons",
        "version",
        "creee_le",
        "modifiee_le",
        "accuse_envoye_le",
        "annulee_le",
    )
    fields = (
        "agent",
        "campagne",
        "etat",
        "participation",
        "participation_raisons",
        "entrant_inter",
        "version",
        "creee_le",
        "modifiee_le",
        "accuse_envoye_le",
        "annulee_le",
    )
    inlines = (VoeuInline, MotifInline, VersionInline)
    raw_id_fields = ("agent",)

    actions = ("rappeler",)

    def has_rappel_permission(self, request: HttpRequest) -> bool:
        return request.user.has_perm("courrier.post_courrier")

    @admin.action(description=gettext_lazy("Envoyer un rappel aux agents sélectionnés…"), permissions=["rappel"])
    def rappeler(self, request: HttpRequest, queryset: QuerySet[Demande]) -> HttpResponse | None:
        form = rappel_form(request)
        if not form.is_valid():
            title = _("Envoyer un rappel par le courrier")
            return reason_page(self, request, queryset, action="rappeler", title=title, form=form, submit=_("Envoyer"))
        data = form.cleaned_data
        try:
            sent = send_rappel(
                demandes=queryset.values_list("pk", flat=True),
                staff=agent_of(request),
                sujet=data["sujet"],
                corps=data["corps"],
                key=data["key"],
            )
        except CourrierError as exc:
            self.message_user(request, str(exc), messages.ERROR)
            return None
        text = accord(sent.created, _("%(n)s rappel envoyé"), _("%(n)s rappels envoyés"))
        self.message_user(request, bilan(text, sent.already_posted, _("%(n)s déjà reçu"), _("%(n)s déjà reçus")))
        return None

    def get_queryset(self, request: HttpRequest) -> QuerySet[Demande]:
        return super().get_queryset(request).with_nb_voeux()  # type: ignore[attr-defined]

    def get_readonly_fields(self, request: HttpRequest, obj: Demande | None = None) -> Any:
        # Creating a demande (an intra entrant before they log in) needs the agent and the campagne.
        return self.readonly_fields if obj else ("etat", "participation", "participation_raisons", "version")

    @admin.display(description=gettext_lazy("vœux"), ordering="nb_voeux")
    def nb_voeux(self, obj: Demande) -> int:
        return obj.nb_voeux  # type: ignore[attr-defined]


class MotifDecisionForm(forms.ModelForm):
    class Meta:
        model = MotifDeclare
        fields = ("statut", "motif_refus")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("statut") == StatutMotif.REFUSE and not str(data.get("motif_refus") or "").strip():
            self.add_error("motif_refus", _("Indiquez le motif du refus\u00a0: il sera communiqué à l'agent."))
        return data


@admin.register(MotifDeclare)
class MotifDeclareAdmin(SemiJoinSearchMixin, admin.ModelAdmin):
    form = MotifDecisionForm
    list_display = ("demande", "motif", "statut", "decided_by", "decided_at")
    list_filter = (QueueFilter, "demande__campagne", "motif", "statut")
    search_fields = (
        "demande__agent__nom__unaccent",
        "demande__agent__prenom__unaccent",
        "=demande__agent__identifiant",
        "=demande__agent__numen",
        "=demande__agent__dossier__etablissement__uai",
        "demande__agent__dossier__etablissement__nom__unaccent",
    )
    list_select_related = ("demande__agent", "demande__campagne", "decided_by")
    show_full_result_count = False  # no second COUNT(*) over 50,000 rows on every page
    ordering = ("pk",)  # in the order declared, along the primary key (the model's order joins two tables)
    readonly_fields = (
        "demande",
        "motif",
        "conjoint_commune",
        "academie",
        "annees",
        "precision",
        "decided_by",
        "decided_at",
        "declare_le",
    )
    fields = (
        "demande",
        "motif",
        "conjoint_commune",
        "academie",
        "annees",
        "precision",
        "statut",
        "motif_refus",
        "decided_by",
        "decided_at",
        "declare_le",
    )
    actions = ("valider", "refuser")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # teachers declare their motifs themselves

    def save_model(self, request: HttpRequest, obj: MotifDeclare, form: Any, change: bool) -> None:
        # decide_claim records the decision in the barème history and recomputes, whatever the page
        decide_claim(motif=obj, staff=agent_of(request), statut=obj.statut, motif_refus=obj.motif_refus)

    @admin.action(description=gettext_lazy("Valider les motifs sélectionnés"), permissions=["change"])
    def valider(self, request: HttpRequest, queryset: QuerySet[MotifDeclare]) -> None:
        self._decide(request, queryset, StatutMotif.VALIDE, "", _("%(n)s motif validé"), _("%(n)s motifs validés"))

    @admin.action(description=gettext_lazy("Refuser les motifs sélectionnés (avec un motif)…"), permissions=["change"])
    def refuser(self, request: HttpRequest, queryset: QuerySet[MotifDeclare]) -> HttpResponse | None:
        form = reason_form(request)
        if not form.is_valid():
            return reason_page(self, request, queryset, action="refuser", title=_("Refuser des motifs"), form=form)
        raison = form.cleaned_data["motif_refus"]
        self._decide(request, queryset, StatutMotif.REFUSE, raison, _("%(n)s motif refusé"), _("%(n)s motifs refusés"))
        return None

    def _decide(
        self, request: HttpRequest, queryset: QuerySet[MotifDeclare], statut: str, raison: str, one: str, many: str
    ) -> None:
        try:
            done = decide_claims(
                motifs=queryset.values_list("pk", flat=True), staff=agent_of(request), statut=statut, motif_refus=raison
            )
        except SiamError as exc:
            self.message_user(request, exc.message, messages.ERROR)
            return
        text = bilan(accord(done.traitees, one, many), done.deja, _("%(n)s déjà traité"), _("%(n)s déjà traités"))
        self.message_user(request, text, messages.SUCCESS)
