"""Cheaper reads: the one row of a unique key without QuerySet.first(), and queries compiled once (Prepared)."""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from django.core.exceptions import ImproperlyConfigured
from django.db import connections, models

M = TypeVar("M", bound=models.Model)


def unique_row(queryset: models.QuerySet[M]) -> M | None:
    """The row of ``queryset`` filtered on a unique key (a OneToOne, a unique constraint), or None.

    ``first()`` orders the query (by the model's ordering, else by pk): with a wide select_related, compiling that
    ORDER BY costs as much Python as the rest of the query (issue 14: 2,500 calls of the SIAM home's 30,000 for the
    dossier alone), and an ordering through a foreign key (Demande: campagne, agent) joins the related table.
    A unique key needs no order; LIMIT 1 is kept.
    """
    return next(iter(queryset.order_by()[:1]), None)


class Prepared:
    """A queryset compiled to SQL once per process, then run with other values of its parameters.

    Compiling a query costs the ORM 300–600 µs of Python here (the SQL itself runs in PostgreSQL): as much as the
    whole middleware stack of a request (issue 14). The queries every page makes (the session, the user, the
    banner, the unread count) have a fixed shape and differ only by a key: ``build`` makes the queryset from
    sample values (``samples``, values no real row has), the SQL and its parameters are kept, and every call puts
    the real values where the samples were. Rows come back through the same converters the ORM applies; model
    instances (select_related ones and annotations included) built as the ORM builds them. No prefetch_related:
    call ``prefetch_related_objects`` on the instances.

    The shape must not depend on the values (no ``if value:`` in ``build``): a sample the ORM transforms (a
    ``__contains`` wraps it in %) or drops is refused at the first call.
    """

    def __init__(self, build: Callable[..., models.QuerySet[Any]], *samples: object, count: bool = False) -> None:
        self._build = build
        self._samples = samples
        self._count = count
        self._local = threading.local()  # converters belong to one thread's connection

    def _compiled(self) -> _Compiled:
        compiled: _Compiled | None = getattr(self._local, "compiled", None)
        if compiled is None:
            queryset = self._build(*self._samples)
            compiler = queryset.query.get_compiler(using=queryset.db)
            sql, params = compiler.as_sql()
            slots = [self._slot(param) for param in params]
            # the backend may wrap a value to bind its type (psycopg's Int8 for a bigint): wrap the new one alike
            wrappers: list[Callable[[Any], Any] | None] = [
                None if slot is None or type(param) is type(self._samples[slot]) else type(param)
                for param, slot in zip(params, slots, strict=True)
            ]
            if sorted({s for s in slots if s is not None}) != list(range(len(self._samples))):
                raise ImproperlyConfigured(f"Prepared: the samples {self._samples!r} are not all parameters of {sql}")
            if getattr(queryset, "_prefetch_related_lookups", ()) or getattr(queryset, "_known_related_objects", {}):
                raise ImproperlyConfigured("Prepared: no prefetch_related, no related manager's queryset")
            select = [column for column, _sql, _alias in compiler.select]
            builder = None
            if compiler.klass_info is not None and not self._count:
                builder = _InstanceBuilder(compiler, queryset.db)
            if self._count:
                sql, select = f"SELECT COUNT(*) FROM ({sql}) subquery", []  # noqa: S608 (the ORM's own SQL)
            compiled = _Compiled(
                using=queryset.db,
                sql=sql,
                params=list(params),
                slots=slots,
                wrappers=wrappers,
                converters=compiler.get_converters(select) if select else {},
                compiler=compiler,
                builder=builder,
            )
            self._local.compiled = compiled
        return compiled

    def _slot(self, param: object) -> int | None:
        for i, sample in enumerate(self._samples):
            if isinstance(param, type(sample)) and param == sample:
                return i
        return None

    def rows(self, *values: object) -> list[tuple[Any, ...]]:
        compiled = self._compiled()
        params: list[Any] = [
            p if s is None else values[s] if w is None else w(values[s])
            for p, s, w in zip(compiled.params, compiled.slots, compiled.wrappers, strict=True)
        ]
        with connections[compiled.using].cursor() as cursor:
            cursor.execute(compiled.sql, params)
            rows = cursor.fetchall()
        if compiled.converters:
            rows = [tuple(row) for row in compiled.compiler.apply_converters(rows, compiled.converters)]
        return rows

    def count(self, *values: object) -> int:
        return int(self.rows(*values)[0][0])

    def instances(self, *values: object) -> list[Any]:
        compiled = self._compiled()
        if compiled.builder is None:
            raise ImproperlyConfigured("Prepared.instances: build a queryset of model instances")
        return [compiled.builder.build(row) for row in self.rows(*values)]


class _InstanceBuilder:
    """A row into its model instance, select_related objects and annotations: what QuerySet's ModelIterable does
    with the compiler's select (Django 5.2; tests/lib/test_prepared_queries.py compares with the ORM's objects)."""

    def __init__(self, compiler: Any, db: str) -> None:
        from django.db.models.query import get_related_populators

        select, klass_info = compiler.select, compiler.klass_info
        fields = klass_info["select_fields"]
        self.db = db
        self.model = klass_info["model"]
        self.start, self.end = fields[0], fields[-1] + 1
        self.attnames = [column[0].target.attname for column in select[self.start : self.end]]
        self.related = get_related_populators(klass_info, select, db)  # type: ignore[call-arg]  # stubs of 6.0
        self.annotations = list(compiler.annotation_col_map.items())

    def build(self, row: tuple[Any, ...]) -> Any:
        obj = self.model.from_db(self.db, self.attnames, row[self.start : self.end])
        for populator in self.related:
            populator.populate(row, obj)
        for name, position in self.annotations:
            setattr(obj, name, row[position])
        return obj


@dataclass
class _Compiled:
    using: str
    sql: str
    params: list[Any]
    slots: list[int | None]
    wrappers: list[Callable[[Any], Any] | None]
    converters: dict[int, Any]
    compiler: Any
    builder: _InstanceBuilder | None
