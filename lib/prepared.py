"""A QuerySet compiled to SQL once per process, run again with new values (issue 14: the ORM's compilation).

Compiling a QuerySet costs 1,500 to 5,000 Python calls (joins, annotations, EXISTS), far more than running it; a
page that asks the same question on every request (the visible campagnes, a teacher's dossier for the SIAM home,
a campagne's jalons) can compile it once and send the same SQL each time with the request's values::

    DOSSIER = PreparedQuery(lambda: Dossier.objects.select_related("grade").filter(agent=Param("agent", IntegerField())))
    dossier = DOSSIER.first(agent=agent.pk)

Only the SQL text is kept, never a result: every call is a query. Its rows become model instances with their
select_related objects and annotations as Django's ModelIterable makes them, planned once (_ModelRows); values()
and values_list() rows are read by Django's own iterables. The text
depends on the code and the schema alone, the same on every node; a deploy restarts the processes. The values
that change (an id, "now") are ``Param`` placeholders, sent as the query's parameters.

The QuerySet must be final: no prefetch_related (``prefetched`` puts the rows of a second prepared query where
prefetch_related would), and what ``fetch`` returns is a list, not a QuerySet to refine.
"""

from __future__ import annotations

import copy
import functools
import threading
from collections.abc import Callable
from typing import Any, Generic, TypeVar

from django.db import connections
from django.db.models import DateField, DecimalField, Expression, Field, Model, QuerySet, TimeField, signals
from django.db.models.base import ModelState
from django.db.models.fields.related_descriptors import ForeignKeyDeferredAttribute
from django.db.models.query import ModelIterable, get_related_populators
from django.db.models.query_utils import DeferredAttribute
from django.db.models.sql import Query
from django.db.models.sql.compiler import SQLCompiler

T = TypeVar("T")
# the QuerySet to clone, its compiler after as_sql(), the SQL, its parameters, the Params' positions, the converters
_Ready = tuple[QuerySet[Any, T], SQLCompiler, str, tuple[Any, ...], dict[int, str], dict[int, Any]]


class Param(Expression):
    """A named placeholder of a PreparedQuery: compiled as one ``%s``, its value given to ``fetch``."""

    def __init__(self, name: str, output_field: Field[Any, Any]) -> None:
        super().__init__(output_field=output_field)
        self.name = name

    def __repr__(self) -> str:
        return f"Param({self.name!r})"

    def as_sql(self, compiler: Any, connection: Any) -> tuple[str, tuple[Any, ...]]:
        return "%s", (self,)


class _PreparedSQL(Query):
    """The query of a prepared QuerySet: its compiler is the one compiled once, with this run's parameters."""

    prepared: PreparedQuery[Any]
    run_values: dict[str, Any]

    def get_compiler(self, using: str | None = None, connection: Any = None, elide_empty: bool = True) -> Any:
        return self.prepared.compiler(using or "default", self.run_values)


class PreparedQuery(Generic[T]):
    """``build`` returns the QuerySet (its per-request values as ``Param``); it is called and compiled once."""

    def __init__(self, build: Callable[[], QuerySet[Any, T]]) -> None:
        self._build = build
        self._lock = threading.Lock()
        self._ready: _Ready[T] | None = None
        self._rows: dict[str, _ModelRows | None] = {}  # per database: how its rows become instances

    def _prepare(self) -> _Ready[T]:
        with self._lock:
            if self._ready is None:
                queryset = self._build()
                if queryset._prefetch_related_lookups:  # type: ignore[attr-defined]
                    raise ValueError("A prepared query runs one statement: no prefetch_related.")
                compiler = queryset.query.get_compiler(using=queryset.db)
                sql, params = compiler.as_sql()  # fills compiler.select, klass_info, annotation_col_map
                slots = {i: p.name for i, p in enumerate(params) if isinstance(p, Param)}
                converters = compiler.get_converters([s[0] for s in compiler.select[: compiler.col_count]])
                template = queryset._chain()  # type: ignore[attr-defined]
                template.query.__class__ = _PreparedSQL
                template.query.prepared = self
                self._ready = (template, compiler, sql, tuple(params), slots, converters)
            return self._ready

    def statement(self, using: str, values: dict[str, Any]) -> tuple[str, tuple[Any, ...]]:
        """The SQL compiled once and this run's parameters (a subclass may wrap the statement: keep its Params)."""
        _template, _compiled, sql, params, slots, _converters = self._prepare()
        missing = set(slots.values()) - values.keys()
        if missing:
            raise TypeError(f"Missing values for {', '.join(sorted(missing))}")
        run = list(params)
        for i, name in slots.items():
            run[i] = values[name]
        return sql, tuple(run)

    def compiler(self, using: str, values: dict[str, Any]) -> SQLCompiler:
        _template, compiled, _sql, _params, _slots, converters = self._prepare()
        statement = self.statement(using, values)
        compiler = copy.copy(compiled)  # the select, klass_info and annotations of the compiled one
        compiler.connection = connections[using]  # this thread's connection
        compiler.as_sql = lambda *args, **kwargs: statement  # type: ignore[method-assign]
        compiler.get_converters = lambda expressions: converters  # type: ignore[method-assign]  # same columns
        return compiler

    def fetch(self, **values: Any) -> list[T]:
        """The rows (model instances, dicts or tuples, as the QuerySet gives them), in one query."""
        template, compiled, _sql, _params, _slots, converters = self._prepare()
        using = template.db
        rows = self._rows.get(using, _UNPLANNED)
        if rows is _UNPLANNED:  # a race plans it twice, the same
            rows = self._rows[using] = _ModelRows.plan(template, compiled, converters, using)
        if rows is None:  # not instances of a model: Django's own iterable (values(), values_list())
            return list(_run_copy(template, values))
        return rows.run(*self.statement(using, values))

    def first(self, **values: Any) -> T | None:
        """The row of a query on a unique key (its QuerySet sliced [:1] by ``build``), or None."""
        rows = self.fetch(**values)
        return rows[0] if rows else None


_UNPLANNED: Any = object()


class _ModelRows:
    """What Django's ModelIterable makes of the rows of a compiled query, planned once per database: the main
    model's instance (from_db's, or _instance's for a plain model), its select_related objects (Django's own
    RelatedPopulators, which keep nothing of a run) and its annotations. Run on the statement through the
    connection's cursor, as execute_sql does (the execute wrappers and the query log see it); Django's iterable
    costs twice the statement's own Python on a one-row read: the queryset's clone, the compiler's copy, the
    chunked fetch (issue 14: the session read, the demande, the vœu save's bump)."""

    @classmethod
    def plan(cls, template: QuerySet[Any, Any], compiler: SQLCompiler, converters: dict[int, Any], using: str) -> Any:
        """The plan, or None when the rows are not instances of the model alone (values(), known related
        objects, composite columns): Django's iterable then."""
        if template._iterable_class is not ModelIterable or template._known_related_objects:  # type: ignore[attr-defined]
            return None
        columns = [s[0] for s in compiler.select[: compiler.col_count]]
        if compiler.klass_info is None or compiler.has_composite_fields(columns):
            return None
        return cls(compiler, converters, using)

    def __init__(self, compiler: SQLCompiler, converters: dict[int, Any], using: str) -> None:
        select, klass_info = compiler.select, compiler.klass_info
        assert klass_info is not None  # plan() checked
        self.using, self.model = using, klass_info["model"]
        fields = klass_info["select_fields"]
        self.start, self.end = fields[0], fields[-1] + 1
        self.attnames = tuple(f[0].target.attname for f in select[self.start : self.end])
        self.related = get_related_populators(klass_info, select, using)  # type: ignore[call-arg]  # 5.2's: no fetch_mode
        self.annotations = list((compiler.annotation_col_map or {}).items())
        self.converters = list(converters.items())
        self.width = compiler.col_count if compiler.has_extra_select else None

    def run(self, sql: str, params: tuple[Any, ...]) -> list[Any]:
        connection = connections[self.using]
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            rows = cursor.fetchall()
        found = []
        for fetched in rows:
            row = list(fetched[: self.width] if self.width else fetched)
            for pos, (convs, expression) in self.converters:  # as SQLCompiler.apply_converters
                value = row[pos]
                for converter in convs:
                    value = converter(value, expression, connection)
                row[pos] = value
            obj = _instance(self.model, self.using, self.attnames, row[self.start : self.end])
            for populator in self.related:
                populator.populate(row, obj)
            for name, pos in self.annotations:
                setattr(obj, name, row[pos])
            found.append(obj)
        return found


def _run_copy(template: QuerySet[Any, T], values: dict[str, Any]) -> QuerySet[Any, T]:
    """The template with this run's values: shallow copies of it and of its query, instead of QuerySet._chain()'s
    clone of the WHERE tree and deep copy of select_related. Nothing of the query is changed by the run (its
    compiler is the one compiled once, copied: _PreparedSQL.get_compiler); the template is never evaluated itself,
    so its result cache is empty."""
    queryset = QuerySet.__new__(type(template))
    queryset.__dict__ = template.__dict__.copy()
    query = Query.__new__(_PreparedSQL)
    query.__dict__ = template.query.__dict__.copy()
    query.run_values = values  # type: ignore[attr-defined]
    queryset._query = query  # type: ignore[attr-defined]  # not the property's setter, which would reset a values_list()'s iterable class
    return queryset


class JsonRow:
    """Instances of ``model`` from rows a query carried as JSON arrays of its columns ``attnames`` (an ArraySubquery
    of JSONArray: a prepared query folding a relation's rows into one of its columns). JSON has strings, numbers,
    booleans and null only: dates, times and decimals (sent as text: a JSON number is a float) go through their
    field's to_python, the rest is the database's value as from_db takes it."""

    def __init__(self, model: type[Model], attnames: tuple[str, ...]) -> None:
        fields = {f.attname: f for f in model._meta.concrete_fields}
        if list(attnames) != [name for name in fields if name in attnames]:  # from_db reads them in the model's order
            raise ValueError(f"{model.__name__}: columns not in the model's order: {attnames}")
        self.model, self.attnames = model, attnames
        self.converters = [
            (i, fields[name].to_python)
            for i, name in enumerate(attnames)
            if isinstance(fields[name], DateField | TimeField | DecimalField)
        ]

    def instance(self, db: str, values: list[Any]) -> Any:
        """One row (``values`` in ``attnames``' order; converted in place) as the instance from_db makes."""
        for i, to_python in self.converters:
            values[i] = to_python(values[i])
        return _instance(self.model, db, self.attnames, values)


def _instance(model: type[Model], db: str, attnames: tuple[str, ...], values: list[Any]) -> Any:
    """The instance from_db makes of ``values`` (the columns ``attnames``, in the model's order)."""
    if not _plain(model):
        return model.from_db(db, attnames, values)
    # what Model.__init__ does for a plain model, without its per-field loop (issue 14: the top of the vœu
    # save's profile): the values in the instance's __dict__, the columns not read left deferred
    instance = model.__new__(model)
    state = instance._state = ModelState()
    state.adding, state.db = False, db
    instance.__dict__.update(zip(attnames, values, strict=True))
    return instance


_PLAIN_DESCRIPTORS = (DeferredAttribute, ForeignKeyDeferredAttribute)


@functools.cache
def _plain(model: type[Model]) -> bool:
    """A model whose instance from_db builds is its columns' values in its __dict__ and nothing else: Django's own
    __init__ and from_db, no pre_init/post_init receiver (an ImageField's, for one), and every column behind the
    plain attribute Django gives a column or a foreign key (a FileField has its own: from_db for it). The receivers
    of a model are connected when its class is prepared, before any query: cached once per process."""
    return (
        model.__init__ is Model.__init__
        and model.from_db.__func__ is Model.from_db.__func__  # type: ignore[attr-defined]
        and not signals.pre_init.has_listeners(model)
        and not signals.post_init.has_listeners(model)
        and all(type(model.__dict__.get(f.attname)) in _PLAIN_DESCRIPTORS for f in model._meta.concrete_fields)
    )


def prefetched(instance: Any, name: str, rows: list[Any]) -> None:
    """What prefetch_related_objects leaves on ``instance`` for its reverse relation ``name``, from rows a prepared
    query read (prefetch_related_objects would compile its query each time): ``all()`` answers ``rows`` without a
    query, each row knows its parent; other lookups on the relation query as usual."""
    manager = getattr(instance, name)
    queryset = manager.get_queryset()  # before the cache is set: the relation's own filter
    queryset._result_cache = rows
    queryset._prefetch_done = True
    for row in rows:
        manager.field.set_cached_value(row, instance)
    if not hasattr(instance, "_prefetched_objects_cache"):
        instance._prefetched_objects_cache = {}
    instance._prefetched_objects_cache[name] = queryset
