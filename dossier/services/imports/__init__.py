"""CSV imports of the admin: établissements, and agents with their dossier basics (django-import-export).

Two steps, both through an `Importer`: `preview` (the resource's dry run: every line validated, nothing
written) then `run` (the real import, in one transaction: one wrong line means nothing is written).
"""

from dossier.services.imports.agents import AgentImporter
from dossier.services.imports.base import (
    Bilan,
    Importer,
    ImportOptions,
    ImportRefused,
    ImportResource,
    LineError,
    Preview,
    Row,
    decode_upload,
)
from dossier.services.imports.etablissements import EtablissementImporter

__all__ = [
    "AgentImporter",
    "Bilan",
    "EtablissementImporter",
    "ImportOptions",
    "ImportRefused",
    "ImportResource",
    "Importer",
    "LineError",
    "Preview",
    "Row",
    "decode_upload",
]
