"""The rows of the voeux page, ready to print: a list of 31 voeux is the page teachers reload most.

Every row is its whole <li> as one ready string (VoeuRow.html), so that the template prints one value for the
list instead of forty lookups per row, four {% csrf_token %} and as many {% if %}: the sentences, the labels of
types and filters and the action addresses around a voeu's id are the same for everybody, translated and
reversed once per process, language and URLconf (row_words); the hidden fields every form carries (the CSRF
token and the list's version) are rendered once per page (page_hidden).

The row's markup and its four small forms (monter, descendre, déplacer au rang, supprimer) are the format
strings below. Escaping: every text and address the rows share is escaped once (conditional_escape, as {{ }}
does); what a row adds to them is its id, rang and the list's length, integers; its target's name and code,
its barème and its warnings are escaped per row. The output is the template's {% url %}, {% translate %},
{% blocktranslate %} and {% csrf_token %}, without the template's indentation.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import SafeString
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from siam.bareme.text import format_points
from siam.models import TypeFiltre, TypeVoeu, Voeu

_ID = 987654321  # a voeu id no URL pattern could mistake for anything else

# The forms of one row; {hidden} is page_hidden(): the CSRF token and the list's version.
UP = (
    '<form method="post" action="{url}">{hidden}<input type="hidden" name="direction" value="up">'
    '<button type="submit" class="fr-btn fr-btn--sm fr-btn--tertiary fr-icon-arrow-up-line" data-move="up"'
    ' title="{label}">{label}</button></form>'
)
DOWN = (
    '<form method="post" action="{url}">{hidden}<input type="hidden" name="direction" value="down">'
    '<button type="submit" class="fr-btn fr-btn--sm fr-btn--tertiary fr-icon-arrow-down-line" data-move="down"'
    ' title="{label}">{label}</button></form>'
)
MOVE_TO = (
    '<form method="post" action="{url}" class="siam-voeu__rang-form">{hidden}'
    '<label class="fr-sr-only" for="rang-{pk}">{nouveau_rang}</label>'
    '<input class="fr-input" type="number" name="rang" id="rang-{pk}" min="1" max="{count}" value="{rang}" required>'
    '<button type="submit" class="fr-btn fr-btn--sm fr-btn--tertiary" title="{title}">{label}'
    '<span class="fr-sr-only"> {label_sr}</span></button></form>'
)
REMOVE = (
    '<form method="post" action="{url}">{hidden}'
    '<button type="submit" class="fr-btn fr-btn--sm fr-btn--tertiary fr-icon-delete-line"'
    ' title="{label}">{label}</button></form>'
)
DETAILS = "{type_label} ({type}) — {code_label} {code}"
# One item of the list, as the template printed it; {bareme}, {warnings} and {actions} may be empty.
ROW = (
    '<li id="voeu-{pk}" class="siam-voeu fr-p-2w fr-mb-1w{nouveau}" data-testid="voeu">'
    '<div class="siam-voeu__body"><span class="siam-voeu__rang" aria-hidden="true">{rang}</span><div>'
    '<p class="fr-mb-0"><span class="fr-sr-only">{sr_rang}</span> <strong>{cible}</strong></p>'
    '<p class="fr-text--sm fr-mb-0">{details}</p>{bareme}{warnings}</div></div>{actions}</li>'
)
BAREME = '<p class="fr-text--sm fr-mb-0" data-testid="bareme-provisoire">{label} <strong>{bareme}</strong></p>'
WARNINGS_NEW = (
    '<div class="fr-alert fr-alert--warning fr-alert--sm fr-mt-1w" role="alert" data-testid="voeu-warnings">'
    "<p>{attention}</p><ul>{items}</ul></div>"
)
WARNINGS = '<ul class="fr-mt-1w fr-mb-0" data-testid="voeu-warnings">{items}</ul>'

BADGE = ' — <span class="fr-badge fr-badge--sm fr-badge--no-icon">{}</span>'


def page_hidden(token: str, version: int) -> SafeString:
    """The hidden fields of every change form of the page, rendered once: what {% csrf_token %} prints for the
    page's ``token`` (get_token()), and the version of the list the change is built on."""
    return format_html(
        '<input type="hidden" name="csrfmiddlewaretoken" value="{}"><input type="hidden" name="version" value="{}">',
        token,
        version,
    )


def _url_for(name: str, urlconf: Any) -> tuple[str, str]:
    """What reverse(name, args=[pk]) answers around the pk, escaped: every pk of the page at the cost of none."""
    before, after = reverse(name, args=[_ID], urlconf=urlconf).split(str(_ID))
    return conditional_escape(before), conditional_escape(after)


@dataclass(frozen=True, slots=True)
class RowWords:
    """The words and addresses every row repeats, escaped: the same for everybody, kept per process (row_words)."""

    monter: str
    descendre: str
    nouveau_rang: str
    deplacer: str
    deplacer_sr: str
    supprimer: str
    voeu_n: str
    code_label: str
    deplacer_court: str
    bareme_label: str
    attention: str
    types: dict[str, tuple[str, str]]
    badges: dict[str, str]
    move: tuple[str, str]
    move_to: tuple[str, str]
    remove: tuple[str, str]


def row_words() -> RowWords:
    """The rows' words in the active language, their addresses under this request's prefix and URLconf."""
    return _row_words(get_language(), get_script_prefix(), get_urlconf() or settings.ROOT_URLCONF)


@functools.lru_cache(maxsize=16)
def _row_words(language: str | None, prefix: str, urlconf: Any) -> RowWords:
    """Keyed on all that gettext and reverse() read: without a French catalogue each gettext of a French msgid walks
    Django's ten catalogues; a label of the choices is a lazy string translated at each use."""
    e = conditional_escape
    return RowWords(
        monter=e(_("Monter le vœu n° %(rang)s")),
        descendre=e(_("Descendre le vœu n° %(rang)s")),
        nouveau_rang=e(_("Nouveau rang du vœu n° %(rang)s")),
        deplacer=e(_("Déplacer le vœu n° %(rang)s au rang indiqué")),
        deplacer_sr=e(_("le vœu n° %(rang)s au rang indiqué")),
        supprimer=e(_("Supprimer le vœu n° %(rang)s")),
        voeu_n=e(_("Vœu n°")),
        code_label=e(_("code")),
        deplacer_court=e(_("Déplacer")),
        bareme_label=e(_("Barème provisoire\u00a0:")),
        attention=e(_("Attention\u00a0: sur ce vœu, vous perdez une bonification.")),
        types={value: (e(label), e(value)) for value, label in TypeVoeu.choices},
        badges={value: BADGE.format(e(label)) for value, label in TypeFiltre.choices},
        move=_url_for("siam:voeu-move", urlconf),
        move_to=_url_for("siam:voeu-move-to", urlconf),
        remove=_url_for("siam:voeu-remove", urlconf),
    )


@dataclass(slots=True)
class VoeuRow:
    voeu: Voeu
    warnings: tuple[str, ...]
    nouveau: bool
    pk: str
    bareme: str | None
    html: SafeString  # the whole <li>: see the module's docstring on escaping


def _warnings_html(warnings: tuple[str, ...], nouveau: bool, words: RowWords) -> str:
    """The bonuses the voeu loses: an alert on the voeu just added, a discreet list on the others."""
    if not warnings:
        return ""
    e = conditional_escape
    if nouveau:
        items = "".join(f"<li>{e(w)}</li>" for w in warnings)
        return WARNINGS_NEW.format(attention=words.attention, items=items)
    items = "".join(f'<li class="fr-message fr-message--warning fr-text--sm">{e(w)}</li>' for w in warnings)
    return WARNINGS.format(items=items)


def voeu_rows(
    voeux: Sequence[Voeu],
    warnings: dict[int, tuple[str, ...]],
    baremes: dict[int, Decimal],
    *,
    nouveau: str,
    hidden: SafeString | None,
) -> list[VoeuRow]:
    """The list in order, each voeu with the bonuses its type or filter loses (DOMAIN.md §2) and its barème.

    ``hidden``: page_hidden() while the saisie is open (each row gets its forms), None once it is closed."""
    e, w = conditional_escape, row_words()
    (move_a, move_b), (to_a, to_b), (remove_a, remove_b) = w.move, w.move_to, w.remove
    last, count = len(voeux) - 1, len(voeux)
    rows = []
    for i, v in enumerate(voeux):
        pk, total = v.pk, baremes.get(v.pk)
        rang = {"rang": v.rang}
        type_label, type_code = w.types.get(v.type) or (e(v.type), e(v.type))
        details = DETAILS.format(type_label=type_label, type=type_code, code_label=w.code_label, code=e(v.code))
        if v.a_filtre:
            details += w.badges.get(v.filtre) or BADGE.format(e(v.filtre))
        actions = ""
        if hidden is not None:
            forms = []
            if i:
                forms.append(UP.format(url=f"{move_a}{pk}{move_b}", hidden=hidden, label=w.monter % rang))
            if i != last:
                forms.append(DOWN.format(url=f"{move_a}{pk}{move_b}", hidden=hidden, label=w.descendre % rang))
            if count > 1:
                forms.append(
                    MOVE_TO.format(
                        url=f"{to_a}{pk}{to_b}",
                        hidden=hidden,
                        pk=pk,
                        nouveau_rang=w.nouveau_rang % rang,
                        count=count,
                        rang=v.rang,
                        title=w.deplacer % rang,
                        label=w.deplacer_court,
                        label_sr=w.deplacer_sr % rang,
                    )
                )
            forms.append(REMOVE.format(url=f"{remove_a}{pk}{remove_b}", hidden=hidden, label=w.supprimer % rang))
            actions = f'<div class="siam-voeu__actions">{"".join(forms)}</div>'
        shown = None if total is None else format_points(Decimal(total))
        found = warnings.get(pk, ())
        is_new = str(pk) == nouveau
        html = ROW.format(
            pk=pk,
            nouveau=" siam-voeu--nouveau" if is_new else "",
            rang=v.rang,
            sr_rang=f"{w.voeu_n} {v.rang} :",
            cible=e(str(v.cible)),
            details=details,
            bareme="" if shown is None else BAREME.format(label=w.bareme_label, bareme=e(shown)),
            warnings=_warnings_html(found, is_new, w),
            actions=actions,
        )
        rows.append(
            VoeuRow(
                voeu=v,
                warnings=found,
                nouveau=is_new,
                pk=str(pk),
                bareme=shown,
                html=SafeString(html),  # escaped above, see the module's docstring
            )
        )
    return rows


def rows_html(rows: Sequence[VoeuRow]) -> SafeString:
    """The list's items, one string for the template to print."""
    return SafeString("".join(row.html for row in rows))
