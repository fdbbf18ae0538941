"""The rows of the voeux page, ready to print: a list of 31 voeux is the page teachers reload most.

Every row carries its texts and addresses as plain strings, so that the template only prints them:
the sentences are translated once per page (not four times per row), the action addresses are
reversed once per page and filled with each voeu's id, labels of types and filters come from the
choices once. The output is the same as rendering each row with {% url %} and {% blocktranslate %}.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.urls import reverse
from django.utils.translation import gettext as _

from siam.bareme.text import format_points
from siam.models import TypeFiltre, TypeVoeu, Voeu

_ID = 987654321  # a voeu id no URL pattern could mistake for anything else


def _url_for(name: str) -> Callable[[int], str]:
    """reverse(name, args=[pk]) for every pk of the page, at the cost of one reverse."""
    before, after = reverse(name, args=[_ID]).split(str(_ID))
    return lambda pk: f"{before}{pk}{after}"


@dataclass(frozen=True)
class VoeuRow:
    voeu: Voeu
    warnings: tuple[str, ...]
    first: bool
    last: bool
    nouveau: bool
    pk: str
    rang: str
    cible: str
    type_label: str
    filtre_label: str
    bareme: str | None
    move_url: str
    move_to_url: str
    remove_url: str
    monter: str
    descendre: str
    nouveau_rang: str
    deplacer: str
    deplacer_sr: str
    supprimer: str


def voeu_rows(
    voeux: Sequence[Voeu],
    warnings: dict[int, tuple[str, ...]],
    baremes: dict[int, Decimal],
    *,
    nouveau: str,
) -> list[VoeuRow]:
    """The list in order, each voeu with the bonuses its type or filter loses (DOMAIN.md §2) and its barème."""
    move, move_to, remove = (_url_for(n) for n in ("siam:voeu-move", "siam:voeu-move-to", "siam:voeu-remove"))
    monter, descendre = _("Monter le vœu n° %(rang)s"), _("Descendre le vœu n° %(rang)s")
    nouveau_rang = _("Nouveau rang du vœu n° %(rang)s")
    deplacer = _("Déplacer le vœu n° %(rang)s au rang indiqué")
    deplacer_sr = _("le vœu n° %(rang)s au rang indiqué")
    supprimer = _("Supprimer le vœu n° %(rang)s")
    types = {value: str(label) for value, label in TypeVoeu.choices}
    filtres = {value: str(label) for value, label in TypeFiltre.choices}
    last = len(voeux) - 1
    rows = []
    for i, v in enumerate(voeux):
        total = baremes.get(v.pk)
        rang = {"rang": v.rang}
        rows.append(
            VoeuRow(
                voeu=v,
                warnings=warnings.get(v.pk, ()),
                first=i == 0,
                last=i == last,
                nouveau=str(v.pk) == nouveau,
                pk=str(v.pk),
                rang=str(v.rang),
                cible=str(v.cible),
                type_label=types.get(v.type, v.type),
                filtre_label=filtres.get(v.filtre, v.filtre) if v.a_filtre else "",
                bareme=None if total is None else format_points(Decimal(total)),
                move_url=move(v.pk),
                move_to_url=move_to(v.pk),
                remove_url=remove(v.pk),
                monter=monter % rang,
                descendre=descendre % rang,
                nouveau_rang=nouveau_rang % rang,
                deplacer=deplacer % rang,
                deplacer_sr=deplacer_sr % rang,
                supprimer=supprimer % rang,
            )
        )
    return rows
