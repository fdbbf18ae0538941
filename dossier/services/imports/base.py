"""What every CSV import shares: decoding, reading with line numbers, the preview, the refusal."""

from __future__ import annotations

import csv
import datetime
import io
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, ClassVar

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from dossier.errors import DossierError

if TYPE_CHECKING:
    from accounts.models import Agent

MAX_BYTES = 2 * 1024 * 1024
MAX_LINES = 5000
DATE_FORMATS = ("%d/%m/%Y", "%Y-%m-%d")


@dataclass(frozen=True)
class LineError:
    line: int  # physical line of the file; the header is line 1
    message: str

    def __str__(self) -> str:
        return _("Ligne %(line)s\u00a0: %(message)s") % {"line": self.line, "message": self.message}


@dataclass
class Row:
    """One valid line, ready to be written: what the preview shows and what apply uses."""

    line: int
    action: str  # "création" or "mise à jour"
    cells: tuple[str, ...]
    values: dict[str, Any] = field(default_factory=dict)


@dataclass
class Preview:
    columns: tuple[str, ...]
    rows: list[Row]
    errors: list[LineError]

    @property
    def ok(self) -> bool:
        return not self.errors and bool(self.rows)


class ImportRefused(DossierError):
    def __init__(self, errors: list[LineError]) -> None:
        super().__init__(_("Import refusé\u00a0: aucune ligne n'a été enregistrée."))
        self.errors = errors


def decode_upload(raw: bytes) -> str:
    """UTF-8 (with or without BOM), else Windows-1252 — what a spreadsheet saves as « CSV »."""
    if len(raw) > MAX_BYTES:
        raise DossierError(_("Le fichier dépasse 2 Mo\u00a0: découpez-le en plusieurs fichiers."))
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
    if any("\ufffd" in c for c in cells):
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


class Importer:
    """Subclasses declare their columns and validate one line at a time."""

    columns: ClassVar[tuple[str, ...]]
    required: ClassVar[tuple[str, ...]]
    label: ClassVar[str]
    example: ClassVar[tuple[str, ...]]

    def load_references(self) -> None:
        """Load what validation needs in bulk (a few queries, whatever the number of lines); reset per-file state."""

    def validate(self, line: int, data: dict[str, str]) -> tuple[Row | None, list[str]]:
        raise NotImplementedError

    def write(self, rows: list[Row], auteur: Agent | None) -> int:
        raise NotImplementedError

    def preview(self, text: str) -> Preview:
        self.load_references()
        header, rows = read_rows(text)
        missing = [c for c in self.required if c not in header]
        if missing:
            message = _("colonnes obligatoires absentes\u00a0: %(cols)s (attendu\u00a0: %(expected)s).") % {
                "cols": ", ".join(missing),
                "expected": ";".join(self.columns),
            }
            return Preview(self.columns, [], [LineError(1, message)])
        valid: list[Row] = []
        errors: list[LineError] = []
        for count, (line, cells, problem) in enumerate(rows, start=1):
            if problem:
                errors.append(LineError(line, problem))
                continue
            if count > MAX_LINES:
                errors.append(LineError(line, _("plus de %(n)s lignes\u00a0: découpez le fichier.") % {"n": MAX_LINES}))
                break
            if len(cells) > len(header):
                errors.append(
                    LineError(
                        line, _("trop de colonnes (%(n)s au lieu de %(m)s).") % {"n": len(cells), "m": len(header)}
                    )
                )
                continue
            data = {name: (cells[i] if i < len(cells) else "") for i, name in enumerate(header)}
            row, messages = self.validate(line, data)
            errors.extend(LineError(line, m) for m in messages)
            if row is not None and not messages:
                row.cells = tuple(data.get(c, "") for c in self.columns)
                valid.append(row)
        if not valid and not errors:
            errors.append(LineError(2, _("le fichier ne contient aucune ligne de données.")))
        return Preview(self.columns, valid, errors)

    def apply(self, text: str, *, auteur: Agent | None) -> int:
        """Validate again (the data may have changed since the preview) and write everything, or nothing."""
        try:
            with transaction.atomic():
                result = self.preview(text)
                if result.errors:
                    raise ImportRefused(result.errors)
                return self.write(result.rows, auteur)
        except IntegrityError as exc:
            raise ImportRefused(
                [LineError(0, _("conflit à l'enregistrement (%(detail)s).") % {"detail": exc})]
            ) from exc
