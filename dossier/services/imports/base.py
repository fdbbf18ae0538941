"""What every CSV import shares: decoding, reading with line numbers, the preview, the refusal.

The rows go through django-import-export: an `ImportResource` (a ModelResource) finds the instance a row
updates or creates and fills it from the row; `Importer.preview` runs the resource's dry run and
`Importer.run` the real import, in one transaction. The file itself is read here (`read_rows`, `safe_rows`),
not by tablib, so that a malformed file gets a French message with its line number instead of a 500.
"""

from __future__ import annotations

import csv
import datetime
import io
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar

import tablib
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from import_export import resources
from import_export.results import Result, RowResult

from dossier.errors import DossierError
from lib.text import accord

if TYPE_CHECKING:
    from accounts.models import Agent

MAX_BYTES = 5 * 1024 * 1024
MAX_LINES = 5000
DATE_FORMATS = ("%d/%m/%Y", "%Y-%m-%d")
UNREADABLE = "\ufffd"  # what decoding puts in place of a byte it cannot read


@dataclass(frozen=True)
class LineError:
    line: int  # physical line of the file; the header is line 1
    message: str

    def __str__(self) -> str:
        return _("Ligne %(line)s\u00a0: %(message)s") % {"line": self.line, "message": self.message}


@dataclass
class Row:
    """One valid line, as the preview shows it."""

    line: int
    action: str  # "création" or "mise à jour"
    cells: tuple[str, ...]


@dataclass
class Preview:
    columns: tuple[str, ...]
    rows: list[Row]
    errors: list[LineError]

    @property
    def ok(self) -> bool:
        return not self.errors and bool(self.rows)


@dataclass(frozen=True)
class Bilan:
    """What a confirmed import wrote."""

    created: int
    updated: int

    @property
    def total(self) -> int:
        return self.created + self.updated


class ImportRefused(DossierError):
    def __init__(self, errors: list[LineError]) -> None:
        super().__init__(_("Import refusé\u00a0: aucune ligne n'a été enregistrée."))
        self.errors = errors


def decode_upload(raw: bytes) -> str:
    """UTF-8 (with or without BOM), else Windows-1252 — what a spreadsheet saves as « CSV »."""
    if len(raw) > MAX_BYTES:
        raise DossierError(_("Le fichier dépasse 5 Mo\u00a0: découpez-le en plusieurs fichiers."))
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        return raw.decode("cp1252", errors="replace")


def normalise_header(name: str) -> str:
    """' Échelon ' -> 'echelon'; 'Date d'effet' -> 'date_d_effet'."""
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^a-z0-9]+", "_", ascii_name.lower()).strip("_")


def read_rows(text: str) -> tuple[list[str], Iterator[tuple[int, list[str], str]]]:
    """The normalised header, then (line, cells, problem) per non-empty line; ``problem`` is a French
    sentence when the line cannot be read (see safe_rows), never an exception."""
    first_line = text.split("\n", 1)[0]
    delimiter = ";" if ";" in first_line else ("\t" if "\t" in first_line else ",")
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    lines = safe_rows(reader)
    first = next(lines, None)
    header = [normalise_header(h) for h in first[1]] if first and not first[2] else []

    def rows() -> Iterator[tuple[int, list[str], str]]:
        for line, cells, problem in lines:
            if problem or any(c.strip() for c in cells):
                yield line, [c.strip() for c in cells], problem

    return header, rows()


MAX_BAD_LINES = 50


def safe_rows(reader: Any) -> Iterator[tuple[int, list[str], str]]:
    """Every line of a csv.reader as (line, cells, problem): a huge cell (over csv's 131,072 characters),
    a NUL, a badly quoted line or undecodable characters give a French ``problem`` with the line number
    instead of an exception (a 500). Stops after MAX_BAD_LINES bad lines."""
    bad = 0
    while bad < MAX_BAD_LINES:
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            bad += 1
            yield reader.line_num, [], _csv_error(str(exc))
            continue
        problem = _cell_problem(cells)
        bad += bool(problem)
        yield reader.line_num, cells, problem


def _csv_error(detail: str) -> str:
    if "field larger than field limit" in detail:
        return _("une cellule dépasse %(n)s caractères\u00a0: ce n'est pas une donnée attendue.") % {
            "n": f"{csv.field_size_limit():,}".replace(",", "\u202f")
        }
    if "NUL" in detail:
        return _("la ligne contient un caractère nul (NUL)\u00a0: ce fichier n'est pas un CSV texte.")
    return _("ligne illisible (guillemets ou séparateurs mal placés).")


def _cell_problem(cells: list[str]) -> str:
    if any("\x00" in c for c in cells):
        return _("la ligne contient un caractère nul (NUL)\u00a0: ce fichier n'est pas un CSV texte.")
    if any(UNREADABLE in c for c in cells):
        return _(
            "caractères illisibles\u00a0: enregistrez le fichier en « CSV UTF-8 » depuis votre tableur, puis déposez-le "
            "à nouveau."
        )
    return ""


def parse_date(value: str) -> datetime.date | None:
    for fmt in DATE_FORMATS:
        try:
            return datetime.datetime.strptime(value, fmt).date()
        except ValueError:
            continue
    return None


class ImportOptions:
    """The Meta every import resource starts from (``class Meta(ImportOptions): model = …``)."""

    skip_diff = True  # the preview shows the cells, not an HTML diff
    clean_model_instances = False  # clean_row validates, with references loaded once (no query per row)
    # import-export's bulk mode: no savepoint around every row (10,000 SAVEPOINT/RELEASE for the dry run of
    # 5,000 lines); a real run queues the rows and writes them with bulk_create / bulk_update (``fields``:
    # what an update writes), or row by row when the resource says ``bulk = False``.
    use_bulk = True


class ImportResource(resources.ModelResource):
    """The rows of one import, through django-import-export: `load_references` once per file (a few queries,
    whatever the number of lines), `clean_row` per row (French messages), `find` the instance a row updates.
    The dry run of the preview validates every row and saves nothing; the real run saves each row."""

    bulk: ClassVar[bool] = True  # False: each row saved through `write` (a service with side effects)

    def __init__(self, *, auteur: Agent | None = None, **context: Any) -> None:
        super().__init__()
        self.auteur = auteur
        self.context = context
        self.lines: list[int] = []  # physical line of each dataset row
        self.actions: dict[int, str] = {}  # line -> what the import does with it
        self.line = 0
        self.values: dict[str, Any] = {}

    def load_references(self, dataset: tablib.Dataset) -> None:
        """Load what validation needs in bulk; reset per-file state."""

    def clean_row(self, line: int, data: dict[str, str]) -> tuple[dict[str, Any], list[str]]:
        """The model values of a row, or the French messages saying what is wrong with it."""
        raise NotImplementedError

    def find(self, values: dict[str, Any]) -> Any:
        """The existing instance the row updates, or None to create one."""
        return None

    def describe(self, values: dict[str, Any], new: bool) -> str:
        return _("création") if new else _("mise à jour")

    def write(self, instance: Any, is_create: bool) -> None:
        instance.save(force_insert=is_create)

    def save_row(self, instance: Any, is_create: bool) -> None:
        """One row's write in its savepoint: a refused row is reported on its line, the others go on."""
        with transaction.atomic():
            self.write(instance, is_create)

    # django-import-export's hooks ------------------------------------------------------------------

    def before_import(self, dataset: tablib.Dataset, **kwargs: Any) -> None:
        self.load_references(dataset)

    def before_import_row(self, row: dict[str, Any], **kwargs: Any) -> None:
        self.line = self.lines[kwargs["row_number"] - 1]
        values, errors = self.clean_row(self.line, {k: str(v or "") for k, v in row.items()})
        if errors:
            raise ValidationError(errors)
        self.values = values

    def get_or_init_instance(self, instance_loader: Any, row: dict[str, Any]) -> tuple[Any, bool]:
        instance = self.find(self.values)
        return (instance, False) if instance is not None else (self.init_instance(row), True)

    def import_instance(self, instance: Any, row: dict[str, Any], **kwargs: Any) -> None:
        for name, value in self.values.items():
            setattr(instance, name, value)

    def save_instance(self, instance: Any, is_create: bool, row: dict[str, Any], **kwargs: Any) -> None:
        if kwargs.get("dry_run"):  # the preview writes nothing, not even rolled back
            return
        if self.bulk:
            (self.create_instances if is_create else self.update_instances).append(instance)
        else:
            self.save_row(instance, is_create)

    def after_import(self, dataset: tablib.Dataset, result: Result, **kwargs: Any) -> None:
        """Not ModelResource's sequence reset: ids never come from the file (and setval is not rolled back)."""

    def bulk_update(
        self,
        using_transactions: bool,
        dry_run: bool,
        raise_errors: bool,
        batch_size: int | None = None,
        result: Any = None,
    ) -> None:
        """The updates as one upsert per batch (INSERT … ON CONFLICT (pk) DO UPDATE): Django's bulk_update builds a
        CASE … WHEN per field and row, 15 s of Python for 5,000 établissements."""
        if self.update_instances and (using_transactions or not dry_run):
            try:
                self._meta.model.objects.bulk_create(
                    self.update_instances,
                    batch_size=batch_size,
                    update_conflicts=True,
                    unique_fields=[self._meta.model._meta.pk.name],
                    update_fields=self.get_bulk_update_fields(),
                )
            except Exception as exc:  # as import-export's own bulk_update: reported, the import refused
                self.handle_import_error(result, exc, raise_errors)
            finally:
                self.update_instances.clear()

    def after_import_row(self, row: dict[str, Any], row_result: RowResult, **kwargs: Any) -> None:
        if row_result.import_type in (RowResult.IMPORT_TYPE_NEW, RowResult.IMPORT_TYPE_UPDATE):
            self.actions[self.line] = self.describe(self.values, row_result.import_type == RowResult.IMPORT_TYPE_NEW)


class Importer:
    """One kind of import: its columns, its resource, its words. ``context`` is what the form adds to the
    file (the campagne of a postes import) and is passed to the resource."""

    resource_class: ClassVar[type[ImportResource]]
    columns: ClassVar[tuple[str, ...]]
    required: ClassVar[tuple[str, ...]]
    label: ClassVar[str | Promise]
    example: ClassVar[tuple[str, ...]]
    noun: ClassVar[tuple[str | Promise, str | Promise]]  # (« %(n)s poste », « %(n)s postes »)
    created_phrase: ClassVar[tuple[str | Promise, str | Promise]]
    updated_phrase: ClassVar[tuple[str | Promise, str | Promise] | None] = None
    help: ClassVar[str | Promise] = ""  # what the columns hold, shown above the upload form
    max_lines: ClassVar[int] = MAX_LINES
    sentences: ClassVar[bool] = False  # messages written as sentences (« Discipline inconnue ») rather than clauses

    def __init__(self, **context: Any) -> None:
        self.context = context

    def check_header(self, header: list[str]) -> str | None:
        missing = [c for c in self.required if c not in header]
        if not missing:
            return None
        return _("colonnes obligatoires absentes\u00a0: %(cols)s (attendu\u00a0: %(expected)s).") % {
            "cols": ", ".join(missing),
            "expected": ";".join(self.columns),
        }

    def empty_message(self) -> str:
        return _("le fichier ne contient aucune ligne de données.")

    def bilan_message(self, bilan: Bilan) -> str:
        text = accord(bilan.created, *map(str, self.created_phrase))
        if self.updated_phrase is not None:
            text += ", " + accord(bilan.updated, *map(str, self.updated_phrase))
        return text

    def preview(self, text: str) -> Preview:
        """The dry run: every line checked, nothing written."""
        return self._import(text, dry_run=True, auteur=None)[0]

    def run(self, text: str, *, auteur: Agent | None) -> Bilan:
        """Validate again (the data may have changed since the preview) and write everything, or nothing."""
        with transaction.atomic():
            preview, result = self._import(text, dry_run=False, auteur=auteur)
            if preview.errors or result is None:
                raise ImportRefused(preview.errors)
            return Bilan(result.totals[RowResult.IMPORT_TYPE_NEW], result.totals[RowResult.IMPORT_TYPE_UPDATE])

    def apply(self, text: str, *, auteur: Agent | None) -> int:
        return self.run(text, auteur=auteur).total

    def _sentence(self, message: str) -> str:
        return message[:1].upper() + message[1:] if self.sentences else message

    def _import(self, text: str, *, dry_run: bool, auteur: Agent | None) -> tuple[Preview, Result | None]:
        header, rows = read_rows(text)
        if (problem := self.check_header(header)) is not None:
            return Preview(self.columns, [], [LineError(1, self._sentence(problem))]), None
        dataset = tablib.Dataset(headers=header)
        resource = self.resource_class(auteur=auteur, **self.context)
        errors: list[LineError] = []
        for count, (line, cells, problem) in enumerate(rows, start=1):
            if problem:
                errors.append(LineError(line, self._sentence(problem)))
            elif count > self.max_lines:
                message = _("plus de %(n)s lignes\u00a0: découpez le fichier.") % {"n": self.max_lines}
                errors.append(LineError(line, self._sentence(message)))
                break
            elif len(cells) > len(header):
                message = _("trop de colonnes (%(n)s au lieu de %(m)s).") % {"n": len(cells), "m": len(header)}
                errors.append(LineError(line, self._sentence(message)))
            else:
                dataset.append(cells + [""] * (len(header) - len(cells)))
                resource.lines.append(line)
        try:
            result = resource.import_data(
                dataset, dry_run=dry_run, use_transactions=True, rollback_on_validation_errors=True
            )
        except IntegrityError as exc:  # a conflict in the final writes, outside any row
            return Preview(self.columns, [], [*errors, LineError(0, _conflict(exc))]), None
        errors += _result_errors(result, resource.lines)
        errors.sort(key=lambda e: e.line)
        shown = [
            Row(
                line,
                resource.actions[line],
                tuple(dict(zip(header, data, strict=False)).get(c, "") for c in self.columns),
            )
            for line, data in zip(resource.lines, dataset, strict=True)
            if line in resource.actions
        ]
        if not shown and not errors:
            errors.append(LineError(2, self._sentence(self.empty_message())))
        return Preview(self.columns, shown, errors), result


def _conflict(exc: Exception) -> str:
    return _("conflit à l'enregistrement (%(detail)s).") % {"detail": exc}


def _result_errors(result: Result, lines: list[int]) -> list[LineError]:
    """import-export's invalid rows (our messages) and row errors (a database refusal), on the file's lines."""
    errors = [
        LineError(lines[invalid.number - 1], message)
        for invalid in result.invalid_rows
        for message in invalid.error.messages
    ]
    errors += [LineError(lines[row.number - 1], _conflict(e.error)) for row in result.error_rows for e in row.errors]
    errors += [LineError(1, _conflict(e.error)) for e in result.base_errors]
    return errors
