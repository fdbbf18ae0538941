"""The trail, the navigation and the heading's words shared by a demande's pages (demande, vœux, pièces, barème),
ready for the page.

Their templates (siam/includes/_breadcrumb.html, _demande_nav.html) are rendered once per process, language, script
prefix and URLconf with stand-ins for what varies (the demande's id, the campagne's slug and libellé), which each
page then puts in: the same HTML as the includes, without their 7 reverse() and 10 translations on every request
(without a French catalogue each gettext of a French msgid walks Django's ten catalogues).
"""

from __future__ import annotations

import functools
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.template.loader import render_to_string
from django.urls import get_script_prefix, get_urlconf
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language, gettext

if TYPE_CHECKING:
    from siam.models import Demande

# stand-ins: none can be part of the templates' own text; the id and the slug go through reverse() unchanged
_PK = 918273645
_SLUG = "zz-slug-zz"
_LIBELLE = "zz-libelle-zz"


def demande_parts(demande: Demande, current: str) -> dict[str, Any]:
    """The context of the shared parts for the page ``current`` (demande, voeux, pieces or bareme)."""
    crumb, nav = _parts(current, get_language(), get_script_prefix(), get_urlconf() or settings.ROOT_URLCONF)
    campagne = demande.campagne
    return {
        "breadcrumb": mark_safe(crumb.replace(_LIBELLE, conditional_escape(campagne.libelle))),  # noqa: S308
        "demande_nav": mark_safe(  # noqa: S308 (the template's own HTML; the slug is a SlugField's)
            nav.replace(str(_PK), str(demande.pk)).replace(_SLUG, conditional_escape(campagne.slug))
        ),
        "head_words": head_words(get_language()),
    }


@functools.lru_cache(maxsize=8)
def head_words(language: str | None) -> dict[str, SafeString]:
    """The words of siam/includes/_demande_head.html (the demande, vœux and barème pages), translated once per
    process and language; safe as the template's own {% translate %} words were (« n'obtenez », not « n&#x27; »)."""
    said = {
        "etat": gettext("État de votre demande\u00a0:"),
        "saisie_jusquau": gettext("Saisie ouverte jusqu'au"),
        "participation": gettext("Participation\u00a0:"),
        "obligatoire": gettext("obligatoire"),
        "volontaire": gettext("volontaire"),
        "motif": gettext("Motif\u00a0:"),
        "extension": gettext("Si vous n'obtenez aucun de vos vœux, la procédure d'extension s'applique."),
        "conserve": gettext("Si vous n'obtenez aucun de vos vœux, vous conservez votre poste actuel."),
        "ouvrira": gettext("La saisie des vœux ouvrira le"),
        "fermee": gettext("La saisie des vœux est fermée depuis le"),
        "plus_modifiable": gettext("votre demande ne peut plus être modifiée."),
    }
    return {key: mark_safe(text) for key, text in said.items()}  # noqa: S308 (the code's strings, no data)


@functools.lru_cache(maxsize=32)
def _parts(current: str, language: str | None, prefix: str, urlconf: str) -> tuple[str, str]:
    """Keyed on all that gettext and reverse() read (a test's own URLconf, a deployment under a prefix)."""
    titles = {
        "demande": gettext("Votre demande"),
        "voeux": gettext("Vos vœux"),
        "pieces": gettext("Pièces justificatives"),
        "bareme": gettext("Votre barème"),
    }
    title = mark_safe(titles[current])  # noqa: S308 (as {% translate "…" as current %} gives it: the code's words)
    crumb = render_to_string("siam/includes/_breadcrumb.html", {"campagne": {"libelle": _LIBELLE}, "current": title})
    nav = render_to_string(
        "siam/includes/_demande_nav.html",
        {"demande": {"pk": _PK}, "campagne": {"slug": _SLUG}, "current": current},
    )
    return SafeString(crumb), SafeString(nav)
