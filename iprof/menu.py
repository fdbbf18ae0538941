"""The I-Prof menu, in the memento's order. An entry links only once its section exists."""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import NoReverseMatch, reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class MenuEntry:
    label: str | Promise
    url_name: str
    section: str

    @property
    def url(self) -> str | None:
        try:
            return reverse(self.url_name)
        except NoReverseMatch:
            return None


MENU = (
    MenuEntry(_("Votre courrier"), "courrier:inbox", "courrier"),
    MenuEntry(_("Votre dossier"), "dossier:dossier", "dossier"),
    MenuEntry(_("Vos perspectives"), "dossier:perspectives", "perspectives"),
    MenuEntry(_("Votre CV"), "dossier:cv", "cv"),
    MenuEntry(_("Les services"), "services", "services"),
    MenuEntry(_("Les guides"), "guides:list", "guides"),
)
