"""Loading the Code officiel géographique into the référentiel: bulk, idempotent, in one transaction.

Both lists are copied (PostgreSQL COPY) into temporary staging tables, then upserted: new
départements and communes are inserted, a changed name or département is updated, and nothing else
is touched, so that a second run writes nothing and existing communes keep their primary key (the
établissements, dossiers and voeux that point at them), their coordinates and their groupements.
Communes of the référentiel that the COG no longer lists are kept and counted, never deleted.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.db import connection, transaction
from django.utils.translation import gettext as _

from dossier.cog import CommuneRow, DepartementRow
from dossier.errors import DossierError
from dossier.models import Academie, Commune, Departement
from dossier.models.referentiel import INSEE_CODE


@dataclass(frozen=True, slots=True)
class LoadReport:
    departements_crees: int
    departements_modifies: int
    communes_creees: int
    communes_modifiees: int
    communes_hors_cog: int
    communes: int  # in the référentiel after the load


def _check(communes: Sequence[CommuneRow], departements: Sequence[DepartementRow]) -> dict[str, int]:
    academies = dict(Academie.objects.exclude(code_ministere="").values_list("code_ministere", "pk"))
    missing = sorted({d.academie for d in departements} - set(academies))
    if missing:
        raise DossierError(
            _(
                "Académie(s) absente(s) du référentiel (code ministériel)\u00a0: %(codes)s. Chargez d'abord les académies."
            )
            % {"codes": ", ".join(missing)}
        )
    known = {d.code for d in departements}
    bad = [c.code_insee for c in communes if not INSEE_CODE.match(c.code_insee) or not c.nom or len(c.nom) > 100]
    unknown = sorted({c.departement for c in communes} - known)
    doubles = sorted(code for code, n in Counter(c.code_insee for c in communes).items() if n > 1)
    for problem, codes in (
        (_("code INSEE ou nom invalide"), bad),
        (_("département inconnu"), unknown),
        (_("code INSEE en double"), doubles),
    ):
        if codes:
            raise DossierError(
                _("Fichier des communes refusé, %(problem)s\u00a0: %(codes)s.")
                % {"problem": problem, "codes": ", ".join(codes[:10])}
            )
    return academies


def _upsert(table: str, staging: str, columns: str, select: str, key: str, compared: str) -> tuple[int, int]:
    """INSERT … ON CONFLICT DO UPDATE only where something differs; (inserted, updated)."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} ({columns}) {select} "  # table and column names are ours, never input
            f"ON CONFLICT ({key}) DO UPDATE SET ({compared}) = ROW({_excluded(compared)}) "
            f"WHERE ({_qualified(table, compared)}) IS DISTINCT FROM ({_excluded(compared)}) "
            "RETURNING (xmax = 0)"
        )
        flags = [row[0] for row in cursor.fetchall()]
        cursor.execute(f"DROP TABLE {staging}")
    return sum(flags), len(flags) - sum(flags)


def _excluded(columns: str) -> str:
    return ", ".join(f"EXCLUDED.{c.strip()}" for c in columns.split(","))


def _qualified(table: str, columns: str) -> str:
    return ", ".join(f"{table}.{c.strip()}" for c in columns.split(","))


def _copy(staging: str, definition: str, rows: Iterable[tuple[object, ...]]) -> None:
    with connection.cursor() as cursor:
        cursor.execute(f"CREATE TEMPORARY TABLE {staging} ({definition}) ON COMMIT DROP")
        with cursor.cursor.copy(f"COPY {staging} FROM STDIN") as copy:  # type: ignore[attr-defined]
            for row in rows:
                copy.write_row(row)


def load_cog(*, communes: Iterable[CommuneRow], departements: Sequence[DepartementRow]) -> LoadReport:
    """Upsert the départements (with their académie) and the communes of a COG extract."""
    rows = list(communes)
    academies = _check(rows, departements)
    dep_table, com_table = Departement._meta.db_table, Commune._meta.db_table
    with transaction.atomic():
        _copy(
            "cog_departement",
            "code varchar(3) PRIMARY KEY, nom varchar(100), academie_id bigint",
            ((d.code, d.nom, academies[d.academie]) for d in departements),
        )
        deps = _upsert(
            dep_table,
            "cog_departement",
            "code, nom, academie_id",
            "SELECT code, nom, academie_id FROM cog_departement",
            "code",
            "nom, academie_id",
        )
        _copy(
            "cog_commune",
            "code_insee varchar(5) PRIMARY KEY, nom varchar(100), departement varchar(3)",
            ((c.code_insee, c.nom, c.departement) for c in rows),
        )
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT count(*) FROM {com_table} c "  # noqa: S608
                "WHERE NOT EXISTS (SELECT 1 FROM cog_commune s WHERE s.code_insee = c.code_insee)"
            )
            (hors_cog,) = cursor.fetchone()
        coms = _upsert(
            com_table,
            "cog_commune",
            "code_insee, nom, departement_id",
            f"SELECT s.code_insee, s.nom, d.id FROM cog_commune s JOIN {dep_table} d ON d.code = s.departement",  # noqa: S608
            "code_insee",
            "nom, departement_id",
        )
    return LoadReport(*deps, *coms, communes_hors_cog=hors_cog, communes=Commune.objects.count())
