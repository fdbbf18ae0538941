"""A campagne's barème rules: rows in the database, checked and compiled by the pure calculator.

Until staff configure a campagne, the defaults apply: the inter table of DOMAIN.md §3 for the inter
and SPEN, the Clermont-Ferrand intra example for the intra and SPEA. A new campagne gets those rows
at creation so that staff edit a complete list.
"""

from __future__ import annotations

import json
from collections import OrderedDict
from functools import cache
from typing import Any

from django.contrib.postgres.expressions import ArraySubquery
from django.db.models import IntegerField, OuterRef
from django.db.models.functions import JSONArray
from django.utils.translation import gettext as _

from lib.prepared import Param, PreparedQuery
from siam import bareme as core
from siam.bareme.config import JSON
from siam.errors import SiamError
from siam.models import Campagne, CampagneKind
from siam.models.bareme import RegleBareme

_CACHE: OrderedDict[tuple[int, str], core.CompiledRules] = OrderedDict()
_CACHE_SIZE = 16


class ReglesInvalides(SiamError):
    """The rules as entered cannot compute a barème; the message names the component at fault."""


def default_rules(kind: str) -> core.Rules:
    if kind in (CampagneKind.INTER, CampagneKind.SPEN):
        return core.default_rules_inter()
    return core.default_rules_intra_clermont()


def default_rows(campagne: Campagne) -> list[dict[str, Any]]:
    """The default rules as rows to store: ``ordre`` every 10 so staff can slot one in between."""
    return [
        {"ordre": 10 * i, "actif": True, **row}
        for i, row in enumerate(default_rules(campagne.kind).to_dicts(), start=1)
    ]


def stored_rows(campagne: Campagne) -> list[dict[str, Any]]:
    """Every stored row (active or not), in order, as plain dicts."""
    return [
        {"ordre": r.ordre, "actif": r.actif, **r.as_dict()}
        for r in RegleBareme.objects.filter(campagne=campagne).order_by("ordre")
    ]


_ACTIVE = ("code", "voeu_specific", "applique_a", "params")
# Every row of a campagne (active or not), in order: compiled once per process, run at every barème.
_ROWS: PreparedQuery[tuple[Any, ...]] = PreparedQuery(
    lambda: (
        RegleBareme.objects.filter(campagne=Param("campagne", IntegerField()))
        .order_by("ordre")
        .values_list("actif", *_ACTIVE)
    )
)


def active_dicts(rows: list[dict[str, Any]]) -> list[dict[str, JSON]]:
    ordered = sorted(rows, key=lambda row: row["ordre"])
    return [{key: row[key] for key in _ACTIVE} for row in ordered if row["actif"]]


def check_rows(rows: list[dict[str, Any]]) -> core.Rules:
    """Parse and compile the active rows; a French error naming the component otherwise."""
    orders = [row["ordre"] for row in rows]
    if len(set(orders)) != len(orders):
        raise ReglesInvalides(_("Deux composantes ont le même ordre\u00a0: chaque composante doit avoir son rang."))
    try:
        rules = core.Rules.from_dicts(active_dicts(rows))
        rules.compile()
    except core.RulesError as exc:
        raise ReglesInvalides(_("Règles du barème invalides\u00a0: %(erreur)s") % {"erreur": exc}) from None
    return rules


@cache
def _default_dicts(kind: str) -> list[dict[str, JSON]]:
    """The defaults of a kind as the calculator reads them: code, the same in every process (read only)."""
    return default_rules(kind).to_dicts()


# The same rows as _ROWS, as one column of a campagne's own query (one JSON array per row): a statement that reads
# the campagne anyway carries its rules (lock_and_bump), and keep_rules() puts them where compiled_rules reads them.
RULES_ARRAY = ArraySubquery(
    RegleBareme.objects.filter(campagne=OuterRef("pk")).order_by("ordre").values(row=JSONArray("actif", *_ACTIVE))
)


def keep_rules(campagne: Campagne, stored: list[Any]) -> None:
    """The campagne's stored rows (actif, code, voeu_specific, applique_a, params; in order), its rules until it is
    read again: the active ones, the defaults of its kind when it has none at all."""
    rows = [
        {"code": code, "voeu_specific": specific, "applique_a": applique_a or {}, "params": params or {}}
        for actif, code, specific, applique_a, params in stored
        if actif
    ]
    # every row: a campagne whose rows are all inactive has no component, not the defaults
    campagne._bareme_rows = rows if stored else _default_dicts(campagne.kind)  # type: ignore[attr-defined]


def compiled_rules(campagne: Campagne) -> core.CompiledRules:
    """The campagne's compiled rules, compiled once per content and kept in a small process-local cache.

    The active rows are read at every call (one narrow query per campagne instance: a page computing warnings
    and barèmes reads them once; none when the campagne came with them, keep_rules) and are the cache key
    themselves: a change of the rules, from any node, is a different key at the next request. Nothing is kept on a
    time limit.
    """
    if getattr(campagne, "_bareme_rows", None) is None:
        keep_rules(campagne, _ROWS.fetch(campagne=campagne.pk))
    rows = campagne._bareme_rows  # type: ignore[attr-defined]
    key = (campagne.pk, json.dumps(rows, sort_keys=True))
    compiled = _CACHE.get(key)
    if compiled is None:
        compiled = core.Rules.from_dicts(rows).compile()
        _CACHE[key] = compiled
        while len(_CACHE) > _CACHE_SIZE:
            _CACHE.popitem(last=False)
    else:
        _CACHE.move_to_end(key)
    return compiled


def write_rows(campagne: Campagne, rows: list[dict[str, Any]]) -> None:
    """Replace the campagne's rows (the caller checked them and holds the transaction)."""
    campagne._bareme_rows = None  # type: ignore[attr-defined]
    RegleBareme.objects.filter(campagne=campagne).delete()
    RegleBareme.objects.bulk_create(
        RegleBareme(
            campagne=campagne,
            ordre=row["ordre"],
            code=row["code"],
            voeu_specific=row["voeu_specific"],
            applique_a=row["applique_a"],
            params=row["params"],
            actif=row["actif"],
        )
        for row in sorted(rows, key=lambda row: row["ordre"])
    )


def ensure_default_rules(campagne: Campagne) -> bool:
    """Give a campagne without rules the defaults of its kind; True when rows were created."""
    if RegleBareme.objects.filter(campagne=campagne).exists():
        return False
    write_rows(campagne, default_rows(campagne))
    return True


def rule_changes(before: list[dict[str, Any]], after: list[dict[str, Any]]) -> tuple[list[Any], list[Any]]:
    """The rows that differ, by component code: (what they were, what they become)."""
    old = {row["code"]: row for row in before}
    new = {row["code"]: row for row in after}
    codes = [code for code in dict.fromkeys([*old, *new]) if old.get(code) != new.get(code)]
    return [old.get(code) for code in codes], [new.get(code) for code in codes]


def default_rules_for_new_campagne(
    sender: type[Campagne], instance: Campagne, created: bool, raw: bool = False, **kwargs: Any
) -> None:
    """A new campagne starts with the default rules of its kind, whoever creates it (admin, shell, test).

    Connected in ``SiamConfig.ready()``; fixtures load as they are (``raw``).
    """
    if created and not raw:
        ensure_default_rules(instance)
