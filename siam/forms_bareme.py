"""Forms of the barème pages: a teacher's request for a correction."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from siam.models import Demande, Voeu


class ContestationForm(forms.Form):
    voeu = forms.ModelChoiceField(
        label=_("Vœu concerné"),
        queryset=Voeu.objects.none(),
        required=False,
        empty_label=_("Tous mes vœux / ma situation en général"),
    )
    motif = forms.CharField(
        label=_("Ce qui vous semble erroné, et pourquoi"),
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=3000,
        help_text=_(
            "Par exemple\u00a0: « mon rapprochement de conjoints n'est pas retenu alors que j'ai déposé l'attestation »."
        ),
    )
    fichier = forms.FileField(
        label=_("Pièce jointe (PDF, JPEG ou PNG, 5 Mo au plus)"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf,image/jpeg,image/png"}),
    )

    def __init__(self, *args: Any, demande: Demande, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["voeu"].queryset = Voeu.objects.filter(demande=demande).with_targets().order_by("rang")  # type: ignore[attr-defined]

    def clean_motif(self) -> str:
        motif = str(self.cleaned_data["motif"]).strip()
        if not motif:
            raise forms.ValidationError(_("Expliquez ce qui vous semble erroné dans votre barème."))
        return motif
