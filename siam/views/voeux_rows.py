"""The rows of the voeux page, ready to print: a list of 31 voeux is the page teachers reload most.

Every row carries its texts and its markup as ready strings, so that the template prints about ten values
per row instead of forty lookups, four {% csrf_token %} and as many {% if %}: the sentences are translated
once per page (not four times per row), the action addresses are reversed once per page and filled with
each voeu's id, labels of types and filters come from the choices once, and the hidden fields every form
carries (the CSRF token and the list's version) are rendered once per page (page_hidden).

The row's four small forms (monter, descendre, déplacer au rang, supprimer) are the format strings below.
Escaping: every text and address of the page is escaped once per page (conditional_escape, as {{ }} does);
what a row adds to them is its id, rang and the list's length, integers; the code of its target is escaped
per row. The output is the same as the template's {% url %}, {% blocktranslate %} and {% csrf_token %}.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.http import HttpRequest
from django.middleware.csrf import get_token
from django.urls import reverse
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import SafeString
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
BADGE = ' — <span class="fr-badge fr-badge--sm fr-badge--no-icon">{}</span>'


def page_hidden(request: HttpRequest, version: int) -> SafeString:
    """The hidden fields of every change form of the page, rendered once: what {% csrf_token %} prints, and the
    version of the list the change is built on."""
    return format_html(
        '<input type="hidden" name="csrfmiddlewaretoken" value="{}"><input type="hidden" name="version" value="{}">',
        get_token(request),
        version,
    )


def _url_for(name: str) -> Callable[[int], str]:
    """reverse(name, args=[pk]) for every pk of the page, escaped, at the cost of one reverse."""
    before, after = (conditional_escape(part) for part in reverse(name, args=[_ID]).split(str(_ID)))
    return lambda pk: f"{before}{pk}{after}"


@dataclass(slots=True)
class VoeuRow:
    voeu: Voeu
    warnings: tuple[str, ...]
    nouveau: bool
    pk: str
    rang: str
    sr_rang: str  # « Vœu n° 3 : », for screen readers (the big number beside is hidden from them)
    cible: str
    details: SafeString  # type, code and the établissement type filter's badge
    bareme: str | None
    actions: SafeString  # the four forms, empty once the saisie is closed


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
    e = conditional_escape
    move, move_to, remove = (_url_for(n) for n in ("siam:voeu-move", "siam:voeu-move-to", "siam:voeu-remove"))
    monter, descendre = e(_("Monter le vœu n° %(rang)s")), e(_("Descendre le vœu n° %(rang)s"))
    nouveau_rang = e(_("Nouveau rang du vœu n° %(rang)s"))
    deplacer = e(_("Déplacer le vœu n° %(rang)s au rang indiqué"))
    deplacer_sr = e(_("le vœu n° %(rang)s au rang indiqué"))
    supprimer = e(_("Supprimer le vœu n° %(rang)s"))
    voeu_n, code_label, deplacer_court = _("Vœu n°"), e(_("code")), e(_("Déplacer"))
    types = {value: (e(label), e(value)) for value, label in TypeVoeu.choices}
    badges = {value: BADGE.format(e(label)) for value, label in TypeFiltre.choices}
    last, count = len(voeux) - 1, len(voeux)
    rows = []
    for i, v in enumerate(voeux):
        total = baremes.get(v.pk)
        rang = {"rang": v.rang}
        type_label, type_code = types.get(v.type) or (e(v.type), e(v.type))
        details = DETAILS.format(type_label=type_label, type=type_code, code_label=code_label, code=e(v.code))
        if v.a_filtre:
            details += badges.get(v.filtre) or BADGE.format(e(v.filtre))
        actions = ""
        if hidden is not None:
            forms = []
            if i:
                forms.append(UP.format(url=move(v.pk), hidden=hidden, label=monter % rang))
            if i != last:
                forms.append(DOWN.format(url=move(v.pk), hidden=hidden, label=descendre % rang))
            if count > 1:
                forms.append(
                    MOVE_TO.format(
                        url=move_to(v.pk),
                        hidden=hidden,
                        pk=v.pk,
                        nouveau_rang=nouveau_rang % rang,
                        count=count,
                        rang=v.rang,
                        title=deplacer % rang,
                        label=deplacer_court,
                        label_sr=deplacer_sr % rang,
                    )
                )
            forms.append(REMOVE.format(url=remove(v.pk), hidden=hidden, label=supprimer % rang))
            actions = f'<div class="siam-voeu__actions">{"".join(forms)}</div>'
        rows.append(
            VoeuRow(
                voeu=v,
                warnings=warnings.get(v.pk, ()),
                nouveau=str(v.pk) == nouveau,
                pk=str(v.pk),
                rang=str(v.rang),
                sr_rang=f"{voeu_n} {v.rang} :",
                cible=str(v.cible),
                details=SafeString(details),  # escaped above, see the module's docstring
                bareme=None if total is None else format_points(Decimal(total)),
                actions=SafeString(actions),  # likewise
            )
        )
    return rows
