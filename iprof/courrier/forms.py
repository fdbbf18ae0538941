from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from django import forms
from django.apps import apps
from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db.models import Q, QuerySet
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from accounts.models import Agent
from iprof.courrier.models import Categorie, Conversation, agents_of_discipline
from iprof.courrier.selectors import RecipientSelector, get_selector, selectors
from iprof.courrier.services import AttachmentData
from lib.uploads import sniff

MAX_UPLOAD = 5 * 1024 * 1024
# A free message is information: « Résultat » and « Accusé de réception » are posted only by SIAM's services
# (a fake result must not reach teachers), « Correspondance » only by an exchange with a correspondant.
FREE_CATEGORIES = (Categorie.INFORMATION,)
KEY_PATTERN = re.compile(r"^diffusion-[0-9a-f]{32}$")


def _normalise(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n").strip()


class PieceJointeField(forms.FileField):
    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("label", _("Pièce jointe"))
        kwargs.setdefault("help_text", _("Facultatif. PDF, JPEG ou PNG, 5 Mo au plus."))
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)
        self.widget.attrs.update({"accept": ".pdf,.jpg,.jpeg,.png", "class": "fr-upload"})

    def clean(self, data: Any, initial: Any = None) -> AttachmentData | None:  # type: ignore[override]
        upload: UploadedFile | None = super().clean(data, initial)
        if not upload:
            return None
        if upload.size and upload.size > MAX_UPLOAD:
            raise forms.ValidationError(gettext("Le fichier dépasse 5 Mo."))
        content = upload.read()
        found = sniff(content[:16])
        if found is None:
            raise forms.ValidationError(gettext("Seuls les fichiers PDF, JPEG ou PNG sont acceptés."))
        return (upload.name or "piece-jointe", content, found[0])


class ConversationForm(forms.Form):
    sujet = forms.CharField(label=_("Objet"), max_length=200)
    corps = forms.CharField(label=_("Votre message"), max_length=5000, widget=forms.Textarea(attrs={"rows": 8}))
    piece_jointe = PieceJointeField()

    def clean_corps(self) -> str:
        return _normalise(self.cleaned_data["corps"])


class ReplyForm(forms.Form):
    corps = forms.CharField(label=_("Votre réponse"), max_length=5000, widget=forms.Textarea(attrs={"rows": 6}))
    piece_jointe = PieceJointeField()

    def clean_corps(self) -> str:
        return _normalise(self.cleaned_data["corps"])


class FieldSubset:
    """Some fields of a form, for includes/_form_fields.html (which iterates over a form)."""

    def __init__(self, form: forms.Form, names: list[str]) -> None:
        self.form = form
        self.names = names

    def __iter__(self) -> Iterator[forms.BoundField]:
        return (self.form[name] for name in self.names)

    def non_field_errors(self) -> list[str]:
        return []


class DiffusionForm(forms.Form):
    """The DRH posting page: who receives it (a named selection), and what it says."""

    selection = forms.ChoiceField(label=_("Destinataires"), widget=forms.RadioSelect)
    sujet = forms.CharField(label=_("Objet"), max_length=200)
    corps = forms.CharField(label=_("Message"), max_length=20000, widget=forms.Textarea(attrs={"rows": 10}))
    categorie = forms.ChoiceField(
        label=_("Catégorie"),
        choices=[c for c in Categorie.choices if c[0] in FREE_CATEGORIES],
        initial=Categorie.INFORMATION,
        help_text=_("Les résultats et les accusés de réception sont envoyés par SIAM, jamais par un message libre."),
        error_messages={"invalid_choice": _("Un message libre ne peut être qu’une information.")},
    )

    recipients: QuerySet[Agent]
    description: str

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.selectors = selectors()
        self.fields["selection"].choices = [(s.name, s.label) for s in self.selectors]  # type: ignore[attr-defined]
        for selector in self.selectors:
            if selector.make_field is not None:
                field = selector.make_field()
                field.required = False
                self.fields[f"param_{selector.name}"] = field

    def selection_rows(self) -> list[tuple[Any, forms.BoundField | None]]:
        """Each choice of selection with the field that parameterises it (for the template)."""
        radios = list(self["selection"])
        return [(radio, self._param(s)) for radio, s in zip(radios, self.selectors, strict=True)]

    def message_fields(self) -> FieldSubset:
        return FieldSubset(self, ["sujet", "corps", "categorie"])

    def categorie_label(self) -> str:
        return str(Categorie(self.cleaned_data["categorie"]).label)

    def _param(self, selector: RecipientSelector) -> forms.BoundField | None:
        return self[f"param_{selector.name}"] if selector.make_field is not None else None

    def clean_corps(self) -> str:
        return _normalise(self.cleaned_data["corps"])

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        selector = get_selector(cleaned.get("selection", ""))
        if selector is None:
            return cleaned
        value = None
        if selector.make_field is not None:
            value = cleaned.get(f"param_{selector.name}")
            if value in (None, ""):
                if f"param_{selector.name}" not in self.errors:
                    self.add_error(f"param_{selector.name}", gettext("Précisez la sélection choisie."))
                return cleaned
        self.recipients = selector.agents(value)
        self.description = selector.describe(value)
        return cleaned


def valid_key(key: str) -> bool:
    return bool(KEY_PATTERN.match(key))


def _discipline_model() -> Any:
    # the référentiel's discipline, named by the settings (COURRIER_DISCIPLINE_MODEL): the courrier imports no app
    return apps.get_model(settings.COURRIER_DISCIPLINE_MODEL)


class GestionFilterForm(forms.Form):
    """Filters of the correspondant's inbox; an invalid value is ignored (GET, nothing is written)."""

    q = forms.CharField(label=_("Rechercher (nom, identifiant, NUMEN, objet)"), required=False, max_length=100)
    non_lu = forms.BooleanField(label=_("Non lus seulement"), required=False)
    discipline: forms.ModelChoiceField[Any] = forms.ModelChoiceField(
        label=_("Discipline de l'enseignant"), queryset=None, required=False, empty_label=_("Toutes")
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["discipline"].queryset = _discipline_model().objects.order_by("libelle")  # type: ignore[attr-defined]

    def filter(self, queryset: QuerySet[Conversation]) -> QuerySet[Conversation]:
        if not self.is_valid():
            return queryset
        data = self.cleaned_data
        if q := data["q"].strip():
            queryset = queryset.filter(
                Q(agent__nom__unaccent__icontains=q)
                | Q(agent__prenom__unaccent__icontains=q)
                | Q(agent__identifiant__iexact=q)
                | Q(agent__numen__iexact=q)
                | Q(sujet__unaccent__icontains=q)
            )
        if data["non_lu"]:
            queryset = queryset.filter(unread__gt=0)  # type: ignore[misc]  # annotated by the view
        if data["discipline"]:
            agents = agents_of_discipline(data["discipline"].pk)
            queryset = queryset.none() if agents is None else queryset.filter(agent__in=agents)
        return queryset
