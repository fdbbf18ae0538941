"""Forms validate and normalise what was typed; the services decide and write."""

from __future__ import annotations

import functools
import re
from typing import Any, cast

from django import forms
from django.http import QueryDict
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from dossier.models import Academie, Commune, Departement, Discipline, TypeEtablissement
from dossier.models.referentiel import INSEE_CODE
from siam.models import Campagne, Demande, Motif, MotifDeclare, TypeFiltre, TypeVoeu
from siam.models.choices import TYPES_AVEC_FILTRE
from siam.motifs import NEEDS_COMMUNE

CODE_HELP = {
    TypeVoeu.ETB: _("code UAI, ex. 0630018C"),
    TypeVoeu.COM: _("code INSEE, ex. 63113"),
    TypeVoeu.GEO: _("code du groupement"),
    TypeVoeu.DPT: _("code du département, ex. 063"),
    TypeVoeu.ACA: _("code de l'académie"),
    TypeVoeu.ZRE: _("code de la zone de remplacement"),
    TypeVoeu.ZRD: _("code du département"),
    TypeVoeu.ZRA: _("code de l'académie"),
}


class VersionForm(forms.Form):
    """Every change carries the version of the list it was built on."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)


def on_version(form: forms.Form, version: int) -> forms.Form:
    """A bound form re-shown after a refusal must carry the list's current version, not the stale one."""
    if form.is_bound and "version" in form.fields:
        data = QueryDict(mutable=True)
        data.update(form.data)  # type: ignore[arg-type]
        data["version"] = str(version)
        form.data = data
    return form


def type_choices(campagne: Campagne) -> list[tuple[str, str]]:
    return list(_type_choices(get_language(), tuple(campagne.types_voeux)))


@functools.lru_cache(maxsize=32)
def _type_choices(language: str | None, types: tuple[str, ...]) -> tuple[tuple[str, str], ...]:
    """The types a campagne opens, labelled once per process and language (each label a gettext: every vœu
    save builds this form)."""
    return tuple((t.value, f"{t.label} ({t.value})") for t in TypeVoeu if t.value in types)


def filtre_allowed(campagne: Campagne) -> bool:
    return campagne.is_intra and any(t in TYPES_AVEC_FILTRE for t in campagne.types_voeux)


class VoeuCodeForm(VersionForm):
    type = forms.ChoiceField(label=_("Type de vœu"))
    code = forms.CharField(
        label=_("Code"),
        max_length=20,
        help_text=_("UAI, code INSEE, code de groupement, de département, d'académie ou de zone"),
    )
    filtre = forms.ChoiceField(
        label=_("Type d'établissement"),
        choices=TypeFiltre.choices,
        initial=TypeFiltre.TOUT,
        required=False,
        help_text=_(
            "Pour un vœu commune, groupement, département ou académie. Restreindre peut faire perdre des bonifications."
        ),
    )

    def __init__(self, *args: Any, campagne: Campagne, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["type"]).choices = type_choices(campagne)
        if not filtre_allowed(campagne):
            self.fields["filtre"].widget = forms.HiddenInput()

    # Only sent by « Annuler » after a removal: the voeu goes back to its rank.
    rang = forms.IntegerField(widget=forms.HiddenInput, min_value=1, max_value=99, required=False)

    def clean_code(self) -> str:
        return str(self.cleaned_data["code"]).strip().upper()

    def clean_filtre(self) -> str:
        return str(self.cleaned_data.get("filtre") or TypeFiltre.TOUT)


_NUMBER = re.compile(r"[0-9]{1,9}")  # ASCII digits: int() would also take other scripts' digits, the form too
_CODE = re.compile(r"[0-9A-Za-z]{1,20}")  # nothing to strip, no NUL, within max_length
_TYPES, _FILTRES = frozenset(TypeVoeu.values), frozenset(TypeFiltre.values)


def plain_voeu_code(data: QueryDict) -> dict[str, Any] | None:
    """What VoeuCodeForm cleans of ``data`` when a campagne opens every type, for the plain submission the vœux
    page sends: a version in ASCII digits, a known type, a code of letters and digits, a known filtre or none, a
    rang from 1 to 99 or none. None for anything else, which the form itself then reads (its errors, in French).
    The form's construction (a deep copy of its fields) and validation cost 0.2 ms: this reads the same values
    (the last of each key, as the form's widgets) on the busiest request of the closing day, the vœu add."""
    version, type_, code = data.get("version", ""), data.get("type", ""), data.get("code", "")
    filtre, rang = data.get("filtre") or TypeFiltre.TOUT, data.get("rang") or None
    plain = (
        isinstance(version, str)
        and _NUMBER.fullmatch(version)
        and type_ in _TYPES
        and isinstance(code, str)
        and _CODE.fullmatch(code)
        and filtre in _FILTRES
        and (rang is None or (isinstance(rang, str) and _NUMBER.fullmatch(rang) and 1 <= int(rang) <= 99))
    )
    if not plain:
        return None
    return {
        "version": int(version),
        "type": type_,
        "code": code.upper(),
        "filtre": filtre,
        "rang": None if rang is None else int(rang),
    }


class VoeuSearchForm(forms.Form):
    """GET: find a target by name or code, then add it with its own button (works without JavaScript)."""

    type = forms.ChoiceField(label=_("Type de vœu"))
    q = forms.CharField(label=_("Nom ou code"), max_length=80, min_length=2)

    def __init__(self, *args: Any, campagne: Campagne, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["type"]).choices = type_choices(campagne)


class MoveForm(VersionForm):
    direction = forms.ChoiceField(choices=[("up", _("monter")), ("down", _("descendre"))])


class MoveToForm(VersionForm):
    """« Déplacer au rang n »: the upper bound is the list's length, checked by the service."""

    rang = forms.IntegerField(
        label=_("Nouveau rang"),
        min_value=1,
        max_value=99,
        error_messages={
            "required": _("Indiquez le rang où placer ce vœu."),
            "invalid": _("Le rang est un nombre entier."),
            "min_value": _("Le rang commence à 1."),
            "max_value": _("Le rang ne peut pas dépasser %(limit_value)s."),
        },
    )


class PosteVoeuForm(VersionForm):
    """« Ajouter à mes vœux » from the postes list; ``retour`` is the list's query string, to come back to it."""

    retour = forms.CharField(max_length=500, required=False)


def _motif_choices(demande: Demande, *, famille: bool) -> list[tuple[str, Any]]:
    taken = set(demande.motifs.values_list("motif", flat=True))
    return [(v, label) for v, label in Motif.choices if v not in taken and (v in NEEDS_COMMUNE) is famille]


class MotifForm(VersionForm):
    """Every motif but RC and APC (MotifFamilleForm): none of these fields names a commune."""

    motif = forms.ChoiceField(label=_("Motif"), choices=Motif.choices)
    academie = forms.ModelChoiceField(
        label=_("Académie concernée"),
        queryset=Academie.objects.all(),
        required=False,
        help_text=_("Pour le CIMM ou le vœu préférentiel."),
    )
    annees = forms.IntegerField(
        label=_("Nombre d'années"),
        min_value=0,
        max_value=40,
        required=False,
        help_text=_("Années de vœu préférentiel consécutif ou d'exercice sur zone de remplacement."),
    )
    precision = forms.CharField(label=_("Précisions"), max_length=300, required=False)

    def __init__(self, *args: Any, demande: Demande, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["motif"]).choices = _motif_choices(demande, famille=False)


class AmbiguousCommune(forms.ValidationError):
    """Several communes bear the typed name: the page lists them to pick from."""

    def __init__(self, q: str) -> None:
        super().__init__(
            _(
                "Plusieurs communes s'appellent « %(q)s »\u00a0: choisissez la bonne dans la liste ou indiquez son code INSEE."
            ),
            params={"q": q},
            code="ambiguous",
        )
        self.q = q


def resolve_commune(typed: str) -> Commune:
    """An INSEE code, or a name that exactly one commune bears (accents, case and hyphens aside)."""
    q = " ".join(typed.split())
    found = list(Commune.objects.search(q).select_related("departement__academie")[:2])
    if INSEE_CODE.match(q.upper()):
        if not found:
            raise forms.ValidationError(
                _("Aucune commune ne porte le code INSEE « %(code)s »."), params={"code": q}, code="unknown"
            )
        return found[0]
    exact = [c for c in found if c.pertinence == 0]  # type: ignore[attr-defined]
    if len(exact) == 1:
        return exact[0]
    if exact or found:
        raise AmbiguousCommune(q)
    raise forms.ValidationError(_("Aucune commune ne correspond à « %(q)s »."), params={"q": q}, code="unknown")


class MotifFamilleForm(VersionForm):
    """Rapprochement de conjoints or autorité parentale conjointe: the commune says which académie."""

    motif = forms.ChoiceField(label=_("Motif"), choices=Motif.choices)
    commune = forms.CharField(
        label=_("Commune de résidence professionnelle du conjoint, ou de résidence des enfants"),
        max_length=80,
        help_text=_("Nom ou code INSEE, ex. Toulouse ou 31555. L'académie concernée en découle."),
        error_messages={"required": _("Indiquez la commune concernée\u00a0: son nom ou son code INSEE.")},
    )
    annees = forms.IntegerField(
        label=_("Années de séparation"),
        min_value=0,
        max_value=40,
        required=False,
        help_text=_("Pour un rapprochement de conjoints."),
    )
    precision = forms.CharField(label=_("Précisions"), max_length=300, required=False)

    def __init__(self, *args: Any, demande: Demande, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", "famille_%s")  # beside MotifForm on the same page
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["motif"]).choices = _motif_choices(demande, famille=True)

    def clean_commune(self) -> Commune:
        return resolve_commune(str(self.cleaned_data["commune"]))

    def ambiguous(self) -> str | None:
        """The name to list communes for, when the typed one was ambiguous."""
        errors = self.errors.as_data().get("commune", [])
        return next((e.q for e in errors if isinstance(e, AmbiguousCommune)), None)


class CommuneSearchForm(forms.Form):
    """GET: find the commune by name or INSEE code, then pick it (works without JavaScript)."""

    commune_q = forms.CharField(label=_("Rechercher une commune (nom ou code INSEE)"), max_length=80, min_length=2)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", "commune_%s")
        super().__init__(*args, **kwargs)


class PieceForm(forms.Form):
    fichier = forms.FileField(
        label=_("Fichier (PDF, JPEG ou PNG, 5 Mo au plus)"),
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf,image/jpeg,image/png", "class": "fr-upload"}),
    )
    motif = forms.ModelChoiceField(label=_("Motif concerné"), queryset=MotifDeclare.objects.none(), required=False)
    description = forms.CharField(label=_("Description"), max_length=200, required=False)

    def __init__(self, *args: Any, demande: Demande, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["motif"].queryset = MotifDeclare.objects.filter(demande=demande)  # type: ignore[attr-defined]


class PosteFilterForm(forms.Form):
    discipline = forms.ModelChoiceField(
        label=_("Discipline"),
        queryset=Discipline.objects.all(),
        required=False,
        empty_label=_("Toutes les disciplines"),
    )
    departement = forms.ModelChoiceField(
        label=_("Département"),
        queryset=Departement.objects.all(),
        required=False,
        empty_label=_("Tous les départements"),
    )
    commune = forms.CharField(label=_("Commune (nom ou code INSEE)"), max_length=100, required=False)
    type = forms.ChoiceField(
        label=_("Type d'établissement"),
        required=False,
        choices=[("", _("Tous les types")), *TypeEtablissement.choices],
    )
    q = forms.CharField(
        label=_("Rechercher"),
        max_length=100,
        required=False,
        help_text=_("Nom ou code UAI de l'établissement, zone de remplacement, académie"),
    )

    def __init__(self, *args: Any, campagne: Campagne, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if campagne.is_inter:
            # inter posts are académies: no département, commune or établissement to filter on
            for name in ("departement", "commune", "type"):
                del self.fields[name]
        if campagne.academie_id:
            self.fields["departement"].queryset = Departement.objects.filter(  # type: ignore[attr-defined]
                academie_id=campagne.academie_id
            )
