"""Forms of the teacher's pages: they validate and normalise, the services write."""

from __future__ import annotations

import datetime
import re
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dossier.models import CVEntry, CVSection, Rubrique
from iprof.courrier.forms import PieceJointeField

OLDEST = datetime.date(1940, 1, 1)
# Sections whose end date is a past fact (a diploma obtained, a paper published).
END_IN_PAST = {CVSection.DIPLOME, CVSection.PUBLICATION}
PHONE = re.compile(r"^\+?[0-9 .\-()]{6,20}$")


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs=attrs, format="%Y-%m-%d")


class CVEntryForm(forms.ModelForm[CVEntry]):
    class Meta:
        model = CVEntry
        fields = ("section", "titre", "organisme", "date_debut", "date_fin", "description")
        widgets = {
            "date_debut": DateInput(),
            "date_fin": DateInput(),
            "description": forms.Textarea(attrs={"rows": 4}),
        }
        help_texts = {
            "date_debut": _("Facultatif. Ne peut pas être dans le futur."),
            "date_fin": _("Facultatif\u00a0: laissez vide pour une activité en cours."),
            "description": _("2 000 caractères au plus."),
        }

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        today = timezone.localdate()
        debut, fin, section = data.get("date_debut"), data.get("date_fin"), data.get("section")
        for name, value in (("date_debut", debut), ("date_fin", fin)):
            if value is not None and value < OLDEST:
                self.add_error(name, _("Cette date est trop ancienne\u00a0: vérifiez l'année."))
        if debut is not None and debut > today:
            self.add_error("date_debut", _("La date de début ne peut pas être dans le futur."))
        if fin is not None and section in END_IN_PAST and fin > today:
            self.add_error("date_fin", _("Pour un diplôme ou une publication, la date ne peut pas être dans le futur."))
        if debut is not None and fin is not None and fin < debut:
            self.add_error("date_fin", _("La date de fin doit être postérieure ou égale à la date de début."))
        return data

    def clean_titre(self) -> str:
        return " ".join(self.cleaned_data["titre"].split())


class CVContactForm(forms.Form):
    email = forms.EmailField(label=_("Adresse électronique"), required=False, max_length=254)
    telephone = forms.CharField(
        label=_("Téléphone"), required=False, max_length=20, help_text=_("Exemple\u00a0: 04 73 99 30 00.")
    )

    def clean_telephone(self) -> str:
        value = self.cleaned_data["telephone"].strip()
        if value and not PHONE.match(value):
            raise ValidationError(_("Saisissez un numéro de téléphone (chiffres, espaces, points ou tirets)."))
        return value


class SignalementForm(forms.Form):
    rubrique = forms.ChoiceField(label=_("Rubrique concernée"), choices=[("", "—"), *Rubrique.choices])
    message = forms.CharField(
        label=_("Votre message"),
        widget=forms.Textarea(attrs={"rows": 6}),
        min_length=10,
        max_length=2000,
        help_text=_("Décrivez l'erreur et, si possible, la bonne information (2 000 caractères au plus)."),
    )
    # checked by its first bytes (lib.uploads.sniff) and bounded to 5 Mo, as every courrier attachment
    justificatif = PieceJointeField(
        label=_("Justificatif"),
        help_text=_("Facultatif\u00a0: arrêté, acte, attestation… PDF, JPEG ou PNG, 5 Mo au plus."),
    )
