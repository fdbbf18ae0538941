"""Exports of staff lists (django-import-export), CSV and XLSX, with formula injection neutralised.

A cell that begins with = + - @ (or a tab, a carriage return) is read as a formula by spreadsheet
software: a teacher who names a conjoint « =HYPERLINK(…) » must not run it on a gestionnaire's
machine. Such a cell is exported with a leading apostrophe, shown as text and kept readable.
"""

from __future__ import annotations

from typing import Any

from import_export import resources
from import_export.formats.base_formats import CSV, XLSX

FORMATS = [CSV, XLSX]
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value: Any) -> Any:
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


class SafeResource(resources.ModelResource):
    def export_field(self, field: Any, instance: Any, **kwargs: Any) -> Any:
        return neutralise(super().export_field(field, instance, **kwargs))
