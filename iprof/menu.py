"""The I-Prof menu, in the memento's order. An entry links only once its section exists."""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import NoReverseMatch, reverse
from django.utils.functional import Promise
from django.utils.translation import get_language
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


@dataclass(frozen=True)
class MenuLink:
    """An entry as the header shows it: label translated, URL reversed."""

    label: str
    url: str | None
    section: str


MENU = (
    MenuEntry(_("Votre courrier"), "courrier:inbox", "courrier"),
    MenuEntry(_("Votre dossier"), "dossier:dossier", "dossier"),
    MenuEntry(_("Vos perspectives"), "dossier:perspectives", "perspectives"),
    MenuEntry(_("Votre CV"), "dossier:cv", "cv"),
    MenuEntry(_("Les services"), "services", "services"),
    MenuEntry(_("Les guides"), "guides:list", "guides"),
)

# The same for every teacher: resolved once per process and language (emptied with the shell fragments).
_LINKS: dict[str | None, tuple[MenuLink, ...]] = {}


def menu_links() -> tuple[MenuLink, ...]:
    language = get_language()
    links = _LINKS.get(language)
    if links is None:
        links = _LINKS[language] = tuple(MenuLink(str(e.label), e.url, e.section) for e in MENU)
    return links


def forget_menu_links() -> None:
    _LINKS.clear()
