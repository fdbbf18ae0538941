"""Computed barèmes into the database: lines stored once per campagne, voeux streamed by COPY.

The calculator shares its results: a participant's voeux with the same lines get the same ``Bareme``
object, and fixed lines (échelon, poste…) are the same objects for everybody with the same facts. So
lines and barèmes are turned into database values once per object, not once per voeu.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from contextlib import ExitStack
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Protocol

from django.db import connection
from django.db.models import IntegerField
from django.utils import timezone
from psycopg.copy import QueuedLibpqWriter

from lib.prepared import Param, PreparedQuery
from siam import bareme as core
from siam.models import Campagne, Demande
from siam.models.bareme import BaremeCorrection, BaremeExtension, BaremeLigne, BaremeVoeu


class LineLike(Protocol):
    code: str
    state: Any  # LineState (a str enum)
    points: Decimal
    potential: Decimal
    detail: str
    sentence: str


class BaremeLike(Protocol):
    @property
    def lines(self) -> Sequence[Any]: ...

    @property
    def total(self) -> Decimal: ...


@dataclass(frozen=True, slots=True)
class Corrections:
    """A demande's staff corrections, as the calculator takes them (siam.bareme.corrections).

    ``lines``: (voeu id or None for every voeu, code, points, justification).
    """

    facts: tuple[core.FactCorrection, ...] = ()
    lines: tuple[tuple[int | None, str, Decimal, str], ...] = ()

    def overrides(self, voeu_ids: Sequence[int], facts: Sequence[core.VoeuFacts]) -> tuple[core.LineOverride, ...]:
        rangs = {pk: f.rang for pk, f in zip(voeu_ids, facts, strict=True)}
        return tuple(
            # A voeu that is not (any more) the participant's: rank 0 matches none of his voeux.
            core.LineOverride(
                code=code, points=points, justification=why, rang=None if pk is None else rangs.get(pk, 0)
            )
            for pk, code, points, why in self.lines
        )

    def baremes(
        self,
        situation: core.Situation,
        voeu_ids: Sequence[int],
        facts: Sequence[core.VoeuFacts],
        rules: core.CompiledRules,
    ) -> tuple[core.Bareme, ...]:
        overrides = self.overrides(voeu_ids, facts)
        return core.corrected_baremes(situation, facts, rules, facts=self.facts, overrides=overrides)

    def extension(
        self,
        situation: core.Situation,
        voeu_ids: Sequence[int],
        facts: Sequence[core.VoeuFacts],
        rules: core.CompiledRules,
    ) -> core.ExtensionBareme:
        overrides = self.overrides(voeu_ids, facts)
        return core.corrected_extension(situation, facts, rules, facts=self.facts, overrides=overrides)


NONE = Corrections()


_CORRECTION = ("demande_id", "voeu_id", "code", "points", "fait", "valeur", "justification")


def corrections_by_demande(demande_ids: Iterable[int] | None, campagne: Campagne) -> dict[int, Corrections]:
    """Each demande's corrections, one query; facts in the order they were made (the last wins)."""
    queryset = BaremeCorrection.objects.filter(demande__campagne=campagne)
    if demande_ids is not None:
        queryset = queryset.filter(demande_id__in=list(demande_ids))
    return _by_demande(queryset.order_by("date", "pk").values_list(*_CORRECTION))


# compiled once per process (lib.prepared): compiling it cost more than running it on every page of the list
_CORRECTIONS: PreparedQuery[tuple[Any, ...]] = PreparedQuery(
    lambda: (
        BaremeCorrection.objects.filter(demande_id=Param("demande", IntegerField()))
        .order_by()
        .values_list("date", "pk", *_CORRECTION)
    )
)


def corrections_of(demande: Demande) -> Corrections:
    """One demande's corrections (a page's provisional barème): its own rows, no join with the demandes, and
    put in the order they were made here (a handful of rows; no ORDER BY to compile)."""
    read: list[dict[str, Any]] | None = getattr(demande, "bareme_corrections", None)
    if read is not None:  # read with the demande (siam.selectors.get_demande_for_user), in the order they were made
        return _by_demande(
            (demande.pk, r["voeu"], r["code"], _decimal(r["points"]), r["fait"], r["valeur"], r["justification"])
            for r in read
        ).get(demande.pk, NONE)
    rows = _CORRECTIONS.fetch(demande=demande.pk)
    return _by_demande(row[2:] for row in sorted(rows)).get(demande.pk, NONE)


def _decimal(text: str | None) -> Decimal | None:
    return None if text is None else Decimal(text)


def _by_demande(rows: Iterable[tuple[Any, ...]]) -> dict[int, Corrections]:
    facts: dict[int, list[core.FactCorrection]] = {}
    lines: dict[int, list[tuple[int | None, str, Decimal, str]]] = {}
    for demande_id, voeu_id, code, points, fait, valeur, justification in rows:
        # A check constraint says which: a fact has its valeur, a line its points.
        if fait:
            facts.setdefault(demande_id, []).append(core.FactCorrection(fait=core.Fait(fait), valeur=int(valeur or 0)))
        else:
            lines.setdefault(demande_id, []).append((voeu_id, code, points or Decimal(0), justification))
    return {pk: Corrections(tuple(facts.get(pk, ())), tuple(lines.get(pk, ()))) for pk in {*facts, *lines}}


def line_id(campagne_id: int, line: LineLike) -> int:
    """The line's fingerprint, its id: the first 8 bytes of a SHA-256 of the campagne and the line, signed.

    Known before anything is written, so voeux can be streamed to the database while the next ones
    are computed. Two different lines of a campagne sharing an id would need a 64-bit collision
    among some 10^5 lines: about one chance in 10^9.
    """
    text = "\x1f".join(
        (str(campagne_id), line.code, str(line.state), str(line.points), str(line.potential), line.sentence)
    )
    return int.from_bytes(hashlib.sha256(text.encode()).digest()[:8], "big", signed=True)


class Catalogue:
    """The campagne's lines: each distinct line is one row, whoever and whichever voeu has it."""

    def __init__(self, campagne: Campagne) -> None:
        self.campagne_id = campagne.pk
        self.stored: set[int] = set(BaremeLigne.objects.filter(campagne=campagne).values_list("pk", flat=True))
        self.new: dict[int, Any] = {}
        self.used: set[int] = set()
        # id(object) -> (object, value): keeping the object alive keeps its id() unique
        self._ids: dict[int, tuple[Any, int]] = {}
        self._arrays: dict[int, tuple[Any, str]] = {}

    def line(self, line: LineLike) -> int:
        found = self._ids.get(id(line))
        if found is None:
            pk = line_id(self.campagne_id, line)
            found = self._ids[id(line)] = (line, pk)
            self.used.add(pk)
            if pk not in self.stored:
                self.new[pk] = line
        return found[1]

    def array(self, bareme: BaremeLike) -> str:
        """The PostgreSQL array literal of the barème's line ids, e.g. ``{12,-15,40}``."""
        found = self._arrays.get(id(bareme))
        if found is None:
            found = self._arrays[id(bareme)] = (bareme, "{" + ",".join(str(self.line(x)) for x in bareme.lines) + "}")
        return found[1]

    def save_new(self) -> None:
        BaremeLigne.objects.bulk_create(
            [
                BaremeLigne(
                    pk=pk,
                    campagne_id=self.campagne_id,
                    code=line.code,
                    etat=str(line.state),
                    points=line.points,
                    potentiel=line.potential,
                    detail=line.detail,
                    phrase=line.sentence,
                )
                for pk, line in self.new.items()
            ],
            batch_size=2000,
            ignore_conflicts=True,  # the same line written meanwhile by a recompute of a few demandes
        )
        self.stored.update(self.new)
        self.new = {}


class BaremeWriter:
    """Replaces the stored barèmes of a campagne (or of some demandes), streaming them to PostgreSQL.

    Use inside the caller's transaction::

        with BaremeWriter(campagne, demande_ids) as writer:
            for demande_id, voeu_ids, baremes, extension in ...:
                writer.add(demande_id, voeu_ids, baremes, extension)

    The stale rows are deleted first; then every voeu row goes through one COPY, sent in chunks while
    the next participants are computed, so the server stores while Python computes. A participant's
    voeux sharing a barème object share its formatted columns.
    """

    CHUNK = 1 << 20  # characters sent at a time

    def __init__(self, campagne: Campagne, demande_ids: Sequence[int] | None) -> None:
        self.campagne = campagne
        self.demande_ids = demande_ids
        self.catalogue = Catalogue(campagne)
        self.now = timezone.now()
        self._stamp = self.now.isoformat()
        self._tails: dict[int, str] = {}
        self._alive: list[Any] = []
        self._buffer: list[str] = []
        self._size = 0
        self._extensions: list[str] = []
        self.voeux = 0
        self._stack = ExitStack()

    def __enter__(self) -> BaremeWriter:
        _delete_stored(self.campagne, self.demande_ids)
        cursor = self._stack.enter_context(connection.cursor()).cursor  # psycopg's own, for its queued writer
        statement = (
            f"COPY {BaremeVoeu._meta.db_table} (voeu_id, demande_id, total, lignes, calcule_le, definitif) FROM STDIN"
        )
        if connection.queries_logged:  # as Django's debug cursor would (query counts in tests)
            connection.queries_log.append({"sql": statement, "time": "0.000"})
        # A thread sends the data: the computation of the next participants never waits on the socket.
        self._copy = self._stack.enter_context(cursor.copy(statement, writer=QueuedLibpqWriter(cursor)))
        return self

    def _tail(self, bareme: Any) -> str:
        """Everything after the ids, the same for every voeu sharing this barème object: built once."""
        text = f"\t{format(bareme.total, 'f')}\t{self.catalogue.array(bareme)}\t{self._stamp}\tf\n"
        self._tails[id(bareme)] = text
        self._alive.append(bareme)  # its id() stays its own while the writer lives
        return text

    def add(
        self, demande_id: int, voeu_ids: Sequence[int], baremes: Sequence[Any], extension: tuple[int, Any] | None
    ) -> None:
        tails, head = self._tails, f"\t{demande_id}"
        rows = self._buffer
        for pk, bareme in zip(voeu_ids, baremes, strict=True):
            rows.append(f"{pk}{head}{tails.get(id(bareme)) or self._tail(bareme)}")
        self._size += len(voeu_ids) * 48
        self.voeux += len(voeu_ids)
        if extension is not None:
            rang, bareme = extension
            self._extensions.append(f"{demande_id}\t{rang}{tails.get(id(bareme)) or self._tail(bareme)}")
        if self._size >= self.CHUNK:
            self._flush()

    def _flush(self) -> None:
        if self._buffer:
            self._copy.write("".join(self._buffer))
            self._buffer, self._size = [], 0

    def __exit__(self, kind: object, error: object, trace: object) -> None:
        if error is None:
            self._flush()
        self._stack.close()  # ends the COPY (or aborts it on error)
        if error is not None:
            return
        _copy(
            BaremeExtension._meta.db_table,
            "demande_id, rang, total, lignes, calcule_le, definitif",
            self._extensions,
        )
        self.catalogue.save_new()
        if self.demande_ids is None:
            # Every voeu of the campagne was just written: lines nobody has any more can go.
            with connection.cursor() as cursor:
                cursor.execute(
                    f"DELETE FROM {BaremeLigne._meta.db_table} WHERE campagne_id = %s AND NOT (id = ANY(%s::bigint[]))",  # noqa: S608
                    [self.campagne.pk, sorted(self.catalogue.used)],
                )


def _copy(table: str, columns: str, rows: Iterable[str]) -> None:
    with connection.cursor() as cursor, cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:  # type: ignore[attr-defined]
        copy.write("".join(rows))


def _delete_stored(campagne: Campagne, demande_ids: Sequence[int] | None) -> None:
    voeux, extensions = BaremeVoeu._meta.db_table, BaremeExtension._meta.db_table
    with connection.cursor() as cursor:
        if demande_ids is None:
            # A join with the campagne's demandes, not its voeux: a tenth of a million-row delete's time.
            for table in (voeux, extensions):
                cursor.execute(
                    f"DELETE FROM {table} AS b USING {Demande._meta.db_table} AS d "  # noqa: S608
                    "WHERE b.demande_id = d.id AND d.campagne_id = %s",
                    [campagne.pk],
                )
        else:
            # A few demandes: their voeux through the voeu table's index on demande.
            BaremeVoeu.objects.filter(voeu__demande_id__in=list(demande_ids)).delete()
            BaremeExtension.objects.filter(demande_id__in=list(demande_ids)).delete()
