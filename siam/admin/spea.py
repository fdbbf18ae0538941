"""The rectorat reviews applications to profiled posts: avis, ranking, then the recteur's decision."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from siam.errors import SiamError
from siam.models import CandidatureSpea, EtatCandidature
from siam.selectors import agent_of
from siam.services.spea import decide_candidature, record_review

REVIEW_FIELDS = ("avis_chef", "avis_chef_motif", "avis_inspecteur", "avis_inspecteur_motif", "classement")


class ReviewForm(forms.ModelForm):
    class Meta:
        model = CandidatureSpea
        fields = REVIEW_FIELDS

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if self.instance.etat != EtatCandidature.DEPOSEE:
            raise forms.ValidationError(
                _("Cette candidature n'est plus en cours d'examen\u00a0: ses avis ne changent plus.")
            )
        rang = data.get("classement")
        others = CandidatureSpea.objects.actives().filter(poste_id=self.instance.poste_id, classement=rang)
        if rang is not None and others.exclude(pk=self.instance.pk).exists():
            self.add_error("classement", _("Ce rang est déjà donné à une autre candidature sur ce poste."))
        return data


@admin.register(CandidatureSpea)
class CandidatureSpeaAdmin(admin.ModelAdmin):
    form = ReviewForm
    list_display = ("agent", "poste", "etat", "avis_chef", "avis_inspecteur", "classement", "deposee_le")
    list_filter = ("campagne", "etat", "poste__discipline")
    search_fields = ("agent__nom", "agent__identifiant", "poste__etablissement__nom", "poste__etablissement__uai")
    list_select_related = ("agent", "poste__discipline", "poste__etablissement", "campagne")
    ordering = ("campagne", "poste", "classement", "deposee_le")
    readonly_fields = ("agent", "campagne", "poste", "etat", "lettre_link", "cv_display", "deposee_le", "retiree_le",
                       "decidee_par", "decidee_le")  # fmt: skip
    fields = (*readonly_fields[:7], *REVIEW_FIELDS, *readonly_fields[7:])
    actions = ("retenir", "ne_pas_retenir")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # the teacher applies in SIAM, with his letter and his CV

    def has_delete_permission(self, request: HttpRequest, obj: CandidatureSpea | None = None) -> bool:
        return False  # a decision is a record

    def get_readonly_fields(self, request: HttpRequest, obj: CandidatureSpea | None = None) -> Any:
        if obj is not None and obj.etat != EtatCandidature.DEPOSEE:
            return (*self.readonly_fields, *REVIEW_FIELDS)
        return self.readonly_fields

    @admin.display(description=gettext_lazy("lettre de motivation"))
    def lettre_link(self, obj: CandidatureSpea) -> str:
        return format_html('<a href="{}">{}</a>', reverse("siam:spea-lettre", args=[obj.pk]), obj.lettre_nom)

    @admin.display(description=gettext_lazy("CV transmis (figé au dépôt)"))
    def cv_display(self, obj: CandidatureSpea) -> str:
        entries = obj.cv.get("entrees", [])
        return format_html_join(
            "", "<p><strong>{}</strong> — {} {}</p>", ((e["rubrique"], e["titre"], e["organisme"]) for e in entries)
        )

    def save_model(self, request: HttpRequest, obj: CandidatureSpea, form: Any, change: bool) -> None:
        record_review(candidature=obj, **{name: getattr(obj, name) for name in REVIEW_FIELDS})

    def _decide(self, request: HttpRequest, queryset: QuerySet[CandidatureSpea], *, retenue: bool) -> None:
        done = 0
        for candidature in queryset:
            try:
                decide_candidature(candidature=candidature, staff=agent_of(request), retenue=retenue)
                done += 1
            except SiamError as exc:
                self.message_user(request, f"{candidature} : {exc.message}", messages.ERROR)
        if done:
            self.message_user(request, _("%(n)s décision(s) enregistrée(s) et adressée(s) au courrier.") % {"n": done})

    @admin.action(description=gettext_lazy("Retenir les candidatures sélectionnées"), permissions=["change"])
    def retenir(self, request: HttpRequest, queryset: QuerySet[CandidatureSpea]) -> None:
        self._decide(request, queryset, retenue=True)

    @admin.action(description=gettext_lazy("Ne pas retenir les candidatures sélectionnées"), permissions=["change"])
    def ne_pas_retenir(self, request: HttpRequest, queryset: QuerySet[CandidatureSpea]) -> None:
        self._decide(request, queryset, retenue=False)
