"""The admin's search, with each related table searched on its own (issue 13, point 7).

Django's admin joins every table a search field crosses and ORs the conditions of every field over the
joined rows: at 50,000 demandes, ``agent__nom__unaccent`` and ``agent__dossier__etablissement__uai``
make PostgreSQL join and scan agents, dossiers and établissements for every search. Here the same
search_fields, the same lookups (``=`` exact, ``^`` starts with, ``unaccent``…), the same words (each
word must match one field), but each relation becomes a semi-join, ``agent_id IN (SELECT id FROM
agents WHERE …)``, evaluated once, so no join of the listed rows and no duplicate rows either. An
unaccented field compares ``unaccent(column)`` with the word unaccented once (one query per word):
Django's bilateral transform would run unaccent() on the word again for every row.
"""

from __future__ import annotations

import functools
from collections import defaultdict
from collections.abc import Callable
from typing import Any, cast

from django.contrib import admin
from django.contrib.admin.utils import lookup_spawns_duplicates
from django.core.exceptions import FieldDoesNotExist
from django.db import connection
from django.db.models import CharField, F, Field, Func, Model, Q, QuerySet
from django.http import HttpRequest
from django.utils.text import smart_split, unescape_string_literal

PREFIXES = {"^": "istartswith", "=": "iexact", "@": "search"}


def orm_lookup(model: type[Model], search_field: str) -> str:
    """``=agent__numen`` → ``agent__numen__iexact``; a field name alone → ``…__icontains`` (as Django's admin)."""
    if search_field[:1] in PREFIXES:
        return f"{search_field[1:]}__{PREFIXES[search_field[0]]}"
    opts, previous = model._meta, None
    for part in search_field.split("__"):
        try:
            field = opts.get_field(opts.pk.name if part == "pk" else part)
        except FieldDoesNotExist:
            if previous is not None and previous.get_lookup(part):
                return search_field  # ends with a lookup of its own
            continue
        previous = field  # type: ignore[assignment]
        if hasattr(field, "path_infos"):
            opts = field.path_infos[-1].to_opts
    return f"{search_field}__icontains"


def _relation(model: type[Model], name: str) -> Any:
    try:
        field = model._meta.get_field(name)
    except FieldDoesNotExist:
        return None
    # a foreign key of this model, or one pointing to it; many-to-many fields are left to the join
    return field if (field.many_to_one or field.one_to_one or field.one_to_many) else None


def unaccented(word: str) -> str:
    """The word as PostgreSQL's unaccent() reads it: computed once, not once per row of the table."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT unaccent(%s)", [word])
        return str(cursor.fetchone()[0])  # type: ignore[index]


def _condition(model: type[Model], lookup: str, word: str, bare: Callable[[], str]) -> Q:
    parts = lookup.split("__")
    if len(parts) == 3 and parts[1] == "unaccent":  # nom__unaccent__icontains: the column unaccented, the word once
        field = model._meta.get_field(parts[0])
        column = Func(F(parts[0]), function="UNACCENT", output_field=CharField())  # a Func: not bilateral
        return Q(field.get_lookup(parts[2])(column, bare()))  # type: ignore[misc]
    return Q(**{lookup: word})


def search_q(model: type[Model], lookups: list[str], word: str, bare: Callable[[], str] | None = None) -> Q:
    """One word against every lookup: this model's own fields directly, each relation as one subquery."""
    bare = bare or functools.cache(lambda: unaccented(word))
    q, hops = Q(), defaultdict(list)
    for lookup in lookups:
        first, _, rest = lookup.partition("__")
        if rest and _relation(model, first) is not None:
            hops[first].append(rest)
        else:
            q |= _condition(model, lookup, word, bare)
    for name, rests in hops.items():
        field = _relation(model, name)
        related: type[Model] = field.related_model
        inner = related._default_manager.filter(search_q(related, rests, word, bare))
        if isinstance(field, Field) and field.concrete:  # our foreign key: its value among the matching rows
            q |= Q(**{f"{name}__in": inner.values("pk")})
        else:  # their foreign key to us
            q |= Q(pk__in=inner.values(field.field.attname))
    return q


class SemiJoinSearchMixin:
    """Put first in a ModelAdmin's bases: ``class DemandeAdmin(SemiJoinSearchMixin, admin.ModelAdmin)``."""

    def get_search_results(
        self, request: HttpRequest, queryset: QuerySet[Any], search_term: str
    ) -> tuple[QuerySet[Any], bool]:
        model_admin = cast(admin.ModelAdmin, self)  # type: ignore[type-arg]
        fields = model_admin.get_search_fields(request)
        if not fields or not search_term:
            return queryset, False
        model = model_admin.model
        lookups = [orm_lookup(model, f) for f in fields]
        for word in smart_split(search_term):
            if word[:1] in {'"', "'"} and word[-1:] == word[:1]:
                word = unescape_string_literal(word)
            queryset = queryset.filter(search_q(model, lookups, word))
        # semi-joins never list a row twice; a many-to-many field searched through its join may
        joined = [lookup for lookup in lookups if _relation(model, lookup.partition("__")[0]) is None]
        return queryset, any(lookup_spawns_duplicates(model._meta, lookup) for lookup in joined)
