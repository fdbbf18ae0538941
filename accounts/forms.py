from __future__ import annotations

from typing import Any

from allauth.account.forms import LoginForm, ResetPasswordForm
from django import forms
from django.utils.translation import gettext_lazy as _


class IdentifiantLoginForm(LoginForm):
    """allauth's login form with the memento's words ("Compte utilisateur")."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        login = self.fields["login"]
        login.label = _("Compte utilisateur")
        login.widget.attrs.update(
            {"placeholder": "", "autocomplete": "username", "autocapitalize": "none", "spellcheck": "false"}
        )
        login.help_text = _("Exemple\u00a0: fdupont pour Frédéric DUPONT")
        self.fields["password"].label = _("Mot de passe")
        self.fields["password"].widget.attrs["placeholder"] = ""
        self.fields["password"].help_text = ""
        self.fields.pop("remember", None)

    def clean_login(self) -> str:
        return str(self.cleaned_data["login"]).strip().lower()


class IdentifiantOublieForm(forms.Form):
    numen = forms.CharField(
        label=_("NUMEN"),
        min_length=13,
        max_length=13,
        help_text=_("Votre numéro d'identification éducation nationale, 13 caractères."),
        error_messages={
            "min_length": _("Le NUMEN comporte 13 caractères."),
            "max_length": _("Le NUMEN comporte 13 caractères."),
            "required": _("Saisissez votre NUMEN."),
        },
    )
    date_naissance = forms.DateField(
        label=_("Date de naissance"),
        help_text=_("Au format jj/mm/aaaa."),
        input_formats=["%d/%m/%Y", "%Y-%m-%d"],
        error_messages={
            "invalid": _("Saisissez une date valide au format jj/mm/aaaa."),
            "required": _("Saisissez votre date de naissance."),
        },
    )

    def clean_numen(self) -> str:
        return str(self.cleaned_data["numen"]).strip().upper()


class AdresseResetPasswordForm(ResetPasswordForm):
    """allauth's reset form, asking for the « adresse électronique » (never « e-mail »)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        email = self.fields["email"]
        email.label = _("Adresse électronique académique")
        email.help_text = _("Exemple\u00a0: frederic.dupont@ac-clermont.fr")
        email.widget.attrs.update({"placeholder": "", "autocomplete": "email"})
        email.error_messages = {
            "required": _("Saisissez votre adresse électronique."),
            "invalid": _("Saisissez une adresse électronique valide, par exemple frederic.dupont@ac-clermont.fr."),
        }
